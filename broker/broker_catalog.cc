// BrokerCore's catalog and ledger: seeding from the catalog file, operator
// changes (CATALOG-SET), the effects of a node's result applied atomically
// with the order's final status, and the payment.voided compensation event.
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>


#include "broker/broker_core.h"
#include "config/catalog_file.h"
#include "protocol/json.h"

namespace om::broker {

using proto::ErrorCode;

Result<bool> BrokerCore::SeedCatalog(const std::vector<proto::CatalogEntry>& entries) {
  auto loaded = store_->CatalogLoaded();
  if (!loaded.ok()) return loaded.status();
  if (*loaded) return false;
  for (const auto& entry : entries) {
    if (std::string why = config::InvalidCatalogEntry(entry); !why.empty()) return Status::InvalidArgument(why);
  }
  for (const auto& entry : entries) SetCatalogEntry(entry);
  batch_.MarkCatalogLoaded();
  return true;
}

void BrokerCore::OnCatalogSet(const std::string& client, uint64_t id, const proto::CatalogSet& m) {
  if (m.entries.empty()) return ReplyError(client, id, ErrorCode::kBadRequest, "no catalog entries given");
  for (const auto& entry : m.entries) {
    if (std::string why = config::InvalidCatalogEntry(entry); !why.empty()) {
      return ReplyError(client, id, ErrorCode::kBadRequest, why);  // all or none
    }
  }
  std::vector<std::string> ids;
  for (const auto& entry : m.entries) {
    SetCatalogEntry(entry);
    ids.push_back(entry.product_id);
  }
  batch_.MarkCatalogLoaded();  // an operator's catalog is never replaced by the file
  spdlog::info("catalog: {} entries set", m.entries.size());
  Reply(client, id, proto::Catalog{catalog_.List(ids)});
}

void BrokerCore::SetCatalogEntry(const proto::CatalogEntry& entry) {
  catalog_.Put(entry);
  batch_.PutCatalogEntry(entry);
  Publish({0, clock_->WallMicros(), "", proto::OrderStatus::kNone, 0, "", "set", "", proto::kTopicCatalogUpdated,
           proto::ToJson(entry).dump()});
}

bool BrokerCore::ApplyEffects(OrderState& st, const std::vector<proto::Effect>& effects, std::string* reason) {
  if (effects.empty()) return true;
  EffectPlan plan = catalog_.PlanEffects(effects);
  if (!plan.ok()) {
    if (!st.rec.attempt_log.empty()) {
      st.rec.attempt_log.back().steps.push_back({"ledger", "terminal_error", plan.reason, plan.detail, 0});
    }
    *reason = plan.reason;
    return false;
  }
  for (const auto& [product, stock] : plan.new_stock) {
    catalog_.SetStock(product, stock);
    batch_.PutStock(product, stock);
  }
  return true;
}

bool BrokerCore::VoidPayment(OrderState& st) {
  auto& out = st.rec.outputs;
  if (out.count("voided_authorization_id")) return true;  // the node's compensation voided it
  auto authorized = out.find("authorization_id");
  if (authorized == out.end()) return false;  // never paid: nothing to void
  // The pipeline succeeded but the ledger refused the effects: the broker voids.
  out["voided_authorization_id"] = authorized->second;
  out["voided_by"] = "broker";
  if (!st.rec.attempt_log.empty()) {
    st.rec.attempt_log.back().steps.push_back(
        {"payment", "compensated", proto::kTopicPaymentVoided, "authorization " + authorized->second + " voided", 0});
  }
  return true;
}

void BrokerCore::PublishPaymentVoided(const OrderState& st) {
  const auto& out = st.rec.outputs;
  auto voided = out.find("voided_authorization_id");
  auto by = out.find("voided_by");
  nlohmann::json data{{"authorization_id", voided->second}, {"by", by == out.end() ? "node" : by->second}};
  if (auto total = proto::PricedTotalCents(out)) data["amount_cents"] = *total;
  const std::string node = st.rec.attempt_log.empty() ? "" : st.rec.attempt_log.back().node_id;
  Publish({0, clock_->WallMicros(), st.rec.order_id, st.rec.status, st.rec.attempts, node, st.rec.reason,
           st.rec.request.traceparent, proto::kTopicPaymentVoided, data.dump()});
}

}  // namespace om::broker
