// The catalog and the ledger: seeding, operator changes, the effects of a
// result applied with the order's final status all-or-none and exactly once,
// and the payment.voided compensation event.
#include "broker/broker_core_test_fixture.h"

namespace om::broker::testing {
namespace {

proto::CatalogEntry Entry(const std::string& id, int64_t stock, int64_t price = 1999) {
  return {id, "name of " + id, price, "EUR", stock};
}

proto::OrderRequest TwoProducts() {
  proto::OrderRequest r = Order();
  r.items = {{"sku-1", 2, std::nullopt}, {"sku-2", 1, std::nullopt}, {"sku-1", 1, std::nullopt}};
  return r;
}

class LedgerTest : public BrokerCoreTest {
 protected:
  void StartWithCatalog(std::vector<proto::CatalogEntry> entries) {
    Start();
    auto seeded = core_->SeedCatalog(entries);
    ASSERT_TRUE(seeded.ok()) << seeded.status().ToString();
    ASSERT_TRUE(*seeded);
    Turn();
    Events();  // the catalog.updated events
  }
  int64_t StockOf(const std::string& id) {
    auto c = Query<proto::Catalog>(proto::CatalogList{{id}});
    EXPECT_EQ(c.entries.size(), 1u) << id;
    return c.entries.empty() ? -1 : c.entries[0].stock;
  }
  // Delivers one order to node-a and answers ok with these effects and outputs.
  std::string ProcessWith(const proto::OrderRequest& order, std::vector<proto::Effect> effects,
                          std::map<std::string, std::string> outputs = {},
                          AttemptEnd end = AttemptEnd::kOk, const std::string& code = "") {
    std::string id = SubmitOk(order);
    Turn();
    Delivery d = TakeOneDelivery("node-a");
    SendResult(d, end, std::move(effects), std::move(outputs), code);
    Turn();
    return id;
  }
  void SendResult(const Delivery& d, AttemptEnd end, std::vector<proto::Effect> effects,
                  std::map<std::string, std::string> outputs, const std::string& code = "") {
    proto::NodeResult r;
    r.order_id = d.order_id();
    r.end = end;
    r.error_code = code;
    if (end == AttemptEnd::kTerminalError) r.step = "reserve";
    r.effects = std::move(effects);
    r.outputs = std::move(outputs);
    r.steps = {{"price", "ok", "", "", 5}};
    core_->OnBackFrame("node-a", proto::Encode(d.delivery_id, r));
  }
  static std::vector<proto::Event> WithTopic(const std::vector<proto::Event>& evs, const std::string& topic) {
    std::vector<proto::Event> out;
    for (const auto& e : evs) {
      if (proto::EventTopic(e) == topic) out.push_back(e);
    }
    return out;
  }
};

TEST_F(LedgerTest, CatalogIsSeededOnTheFirstStartOnlyAndEachEntryIsAnEvent) {
  Start();
  auto seeded = core_->SeedCatalog({Entry("sku-1", 5), Entry("sku-2", 7)});
  ASSERT_TRUE(seeded.ok() && *seeded);
  Turn();
  auto evs = WithTopic(Events(), proto::kTopicCatalogUpdated);
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[0].status, OrderStatus::kNone);
  EXPECT_NE(evs[0].data_json.find("\"sku-1\""), std::string::npos) << evs[0].data_json;
  EXPECT_EQ(StockOf("sku-2"), 7);

  Start();  // restart on the same store: the file is not taken again
  auto again = core_->SeedCatalog({Entry("sku-1", 500)});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  EXPECT_EQ(StockOf("sku-1"), 5);
  EXPECT_EQ(Query<proto::Catalog>(proto::CatalogList{}).entries.size(), 2u);
}

TEST_F(LedgerTest, AnInvalidSeedEntryIsAnErrorAndNothingIsTaken) {
  Start();
  auto seeded = core_->SeedCatalog({Entry("sku-1", 5), Entry("sku-2", -1)});
  EXPECT_FALSE(seeded.ok());
  EXPECT_NE(seeded.status().message().find("sku-2"), std::string::npos);
  Turn();
  EXPECT_TRUE(Query<proto::Catalog>(proto::CatalogList{}).entries.empty());
}

TEST_F(LedgerTest, DeliveryCarriesTheCatalogEntriesOfTheOrdersProductsOnce) {
  StartWithCatalog({Entry("sku-1", 5), Entry("sku-2", 7), Entry("sku-3", 9)});
  Ready("node-a", 4);
  proto::OrderRequest r = TwoProducts();
  r.items.push_back({"unknown", 1, std::nullopt});
  SubmitOk(r);
  Turn();
  Delivery d = TakeOneDelivery("node-a");
  ASSERT_EQ(d.msg.catalog.size(), 2u);
  EXPECT_EQ(d.msg.catalog[0].product_id, "sku-1");
  EXPECT_EQ(d.msg.catalog[0].stock, 5);
  EXPECT_EQ(d.msg.catalog[1].product_id, "sku-2");
}

TEST_F(LedgerTest, OkResultTakesTheStockInTheSameBatchAsProcessed) {
  StartWithCatalog({Entry("sku-1", 5), Entry("sku-2", 7)});
  Ready("node-a", 4);
  std::string id = ProcessWith(TwoProducts(), {{"reserve", "sku-1", 2}, {"reserve", "sku-2", 1}, {"reserve", "sku-1", 1}},
                               {{"total_cents", "7996"}});
  EXPECT_EQ(StatusOf(id), OrderStatus::kProcessed);
  EXPECT_EQ(StockOf("sku-1"), 2);
  EXPECT_EQ(StockOf("sku-2"), 6);
  EXPECT_EQ(Stored(id).outputs.at("total_cents"), "7996");
  ASSERT_FALSE(Stored(id).attempt_log.empty());
  EXPECT_EQ(Stored(id).attempt_log.back().steps.size(), 1u);  // the node's trace is kept

  Start();  // what was committed is what the store holds
  EXPECT_EQ(StockOf("sku-1"), 2);
  EXPECT_EQ(StockOf("sku-2"), 6);
}

TEST_F(LedgerTest, WhenOneEffectCannotApplyNoneDoesAndThePaymentIsVoided) {
  StartWithCatalog({Entry("sku-1", 5), Entry("sku-2", 1)});
  Ready("node-a", 4);
  std::string id = ProcessWith(TwoProducts(), {{"reserve", "sku-1", 3}, {"reserve", "sku-2", 2}},
                               {{"total_cents", "100"}, {"authorization_id", "auth-x"}});
  proto::OrderRecord rec = Stored(id);
  EXPECT_EQ(rec.status, OrderStatus::kFailed);
  EXPECT_EQ(rec.reason, "insufficient_stock");
  EXPECT_EQ(StockOf("sku-1"), 5);
  EXPECT_EQ(StockOf("sku-2"), 1);
  EXPECT_EQ(rec.outputs.at("voided_authorization_id"), "auth-x");
  EXPECT_EQ(rec.outputs.at("voided_by"), "broker");
  const auto& steps = rec.attempt_log.back().steps;
  ASSERT_GE(steps.size(), 3u);
  EXPECT_EQ(steps[steps.size() - 2].code, "insufficient_stock");
  EXPECT_NE(steps[steps.size() - 2].message.find("sku-2"), std::string::npos);
  EXPECT_EQ(steps.back().outcome, "compensated");

  auto voided = WithTopic(Events(), proto::kTopicPaymentVoided);
  ASSERT_EQ(voided.size(), 1u);
  EXPECT_EQ(voided[0].order_id, id);
  EXPECT_EQ(voided[0].reason, "insufficient_stock");
  EXPECT_NE(voided[0].data_json.find("auth-x"), std::string::npos);
  EXPECT_NE(voided[0].data_json.find("\"broker\""), std::string::npos);
  EXPECT_NE(voided[0].data_json.find("\"amount_cents\":100"), std::string::npos) << voided[0].data_json;
}

TEST_F(LedgerTest, NodeCompensatedFailureIsPublishedAndUnpaidFailureIsNot) {
  StartWithCatalog({Entry("sku-1", 5)});
  Ready("node-a", 4);
  std::string paid = ProcessWith(Order(), {}, {{"voided_authorization_id", "auth-1"}}, AttemptEnd::kTerminalError,
                                 "insufficient_stock");
  std::string unpaid = ProcessWith(Order(), {}, {}, AttemptEnd::kTerminalError, "price_mismatch");
  auto voided = WithTopic(Events(), proto::kTopicPaymentVoided);
  ASSERT_EQ(voided.size(), 1u);
  EXPECT_EQ(voided[0].order_id, paid);
  EXPECT_NE(voided[0].data_json.find("\"node\""), std::string::npos);
  EXPECT_EQ(StatusOf(unpaid), OrderStatus::kFailed);
  EXPECT_EQ(StockOf("sku-1"), 5);  // a FAILED result's effects are never applied
}

TEST_F(LedgerTest, TwoResultsInOneTurnSeeEachOthersReservations) {
  StartWithCatalog({Entry("sku-1", 1)});
  Ready("node-a", 4);
  SubmitOk(Order());
  SubmitOk(Order());
  Turn();
  auto ds = TakeDeliveries("node-a");
  ASSERT_EQ(ds.size(), 2u);
  SendResult(ds[0], AttemptEnd::kOk, {{"reserve", "sku-1", 1}}, {});
  SendResult(ds[1], AttemptEnd::kOk, {{"reserve", "sku-1", 1}}, {});
  Turn();
  EXPECT_EQ(StatusOf(ds[0].order_id()), OrderStatus::kProcessed);
  EXPECT_EQ(StatusOf(ds[1].order_id()), OrderStatus::kFailed);
  EXPECT_EQ(StockOf("sku-1"), 0);
}

TEST_F(LedgerTest, ADuplicateResultNeverTakesStockTwice) {
  StartWithCatalog({Entry("sku-1", 10)});
  Ready("node-a", 4);
  SubmitOk(Order());
  Turn();
  Delivery d = TakeOneDelivery("node-a");
  SendResult(d, AttemptEnd::kOk, {{"reserve", "sku-1", 4}}, {});
  SendResult(d, AttemptEnd::kOk, {{"reserve", "sku-1", 4}}, {});
  Turn();
  SendResult(d, AttemptEnd::kOk, {{"reserve", "sku-1", 4}}, {});
  Turn();
  EXPECT_EQ(StockOf("sku-1"), 6);
  EXPECT_EQ(core_->counters().late_results, 2u);
}

TEST_F(LedgerTest, AResultLostWithTheBrokerIsAppliedOnceOnTheRedelivery) {
  StartWithCatalog({Entry("sku-1", 10)});
  Ready("node-a", 4);
  std::string id = SubmitOk(Order());
  Turn();
  Delivery d = TakeOneDelivery("node-a");
  SendResult(d, AttemptEnd::kOk, {{"reserve", "sku-1", 4}}, {});
  // The broker dies before this turn's commit: neither the status nor the stock was written.
  Start();
  EXPECT_EQ(StockOf("sku-1"), 10);
  Ready("node-a", 4);
  Turn();
  Delivery again = TakeOneDelivery("node-a");
  EXPECT_EQ(again.order_id(), id);
  SendResult(d, AttemptEnd::kOk, {{"reserve", "sku-1", 4}}, {});  // the old delivery's result: ignored
  SendResult(again, AttemptEnd::kOk, {{"reserve", "sku-1", 4}}, {});
  Turn();
  EXPECT_EQ(StatusOf(id), OrderStatus::kProcessed);
  EXPECT_EQ(StockOf("sku-1"), 6);
}

TEST_F(LedgerTest, UnknownOrInvalidEffectsFailTheOrderAndApplyNothing) {
  StartWithCatalog({Entry("sku-1", 10)});
  Ready("node-a", 4);
  std::string unknown = ProcessWith(Order(), {{"reserve", "sku-1", 1}, {"refund", "sku-1", 1}});
  std::string negative = ProcessWith(Order(), {{"reserve", "sku-1", -3}});
  std::string missing = ProcessWith(Order(), {{"reserve", "sku-9", 1}});
  EXPECT_EQ(Stored(unknown).reason, "unknown_effect");
  EXPECT_EQ(Stored(negative).reason, "invalid_effect");
  EXPECT_EQ(Stored(missing).reason, "insufficient_stock");
  EXPECT_EQ(StockOf("sku-1"), 10);
}

TEST_F(LedgerTest, CatalogSetIsAllOrNoneAndKeepsTheFileFromReplacingIt) {
  Start();
  auto bad = SendQuery(proto::CatalogSet{{Entry("sku-1", 3), Entry("sku-2", 1, -5)}});
  Turn();
  EXPECT_EQ(ErrorOf(bad), ErrorCode::kBadRequest);
  EXPECT_TRUE(Query<proto::Catalog>(proto::CatalogList{}).entries.empty());

  auto ok = SendQuery(proto::CatalogSet{{Entry("sku-1", 3)}});
  Turn();
  auto reply = ReplyAs<proto::Catalog>(ok);
  ASSERT_EQ(reply.entries.size(), 1u);
  EXPECT_EQ(reply.entries[0].stock, 3);
  EXPECT_EQ(WithTopic(Events(), proto::kTopicCatalogUpdated).size(), 1u);

  Start();
  auto seeded = core_->SeedCatalog({Entry("sku-1", 999)});
  ASSERT_TRUE(seeded.ok());
  EXPECT_FALSE(*seeded);
  EXPECT_EQ(StockOf("sku-1"), 3);
}

}  // namespace
}  // namespace om::broker::testing
