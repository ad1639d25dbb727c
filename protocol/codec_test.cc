// Tests of protocol/codec.h: every message and stored record survives a round
// trip with every field intact, and no malformed input - truncated, mistyped,
// out of range, from another socket, oversized or random - gets past a
// decoder, crashes it or makes it throw.
#include "protocol/codec.h"

#include <chrono>
#include <functional>
#include <random>
#include <set>
#include <tuple>

#include <gtest/gtest.h>

namespace om::proto {

// ---------------------------------------------------------------- equality
// The wire types have no operator==. Fields(x) ties every field of x in
// declaration order; the template below compares and prints by it. These live
// in om::proto so that ADL finds them from EXPECT_EQ and std::variant.

auto Fields(const OrderItem& x) { return std::tie(x.product_id, x.quantity, x.unit_price_cents); }
auto Fields(const OrderRequest& x) {
  return std::tie(x.customer_id, x.items, x.currency, x.metadata_json, x.idempotency_key, x.traceparent);
}
auto Fields(const HistoryEntry& x) { return std::tie(x.time_us, x.status, x.attempt, x.node_id, x.reason); }
auto Fields(const StepTrace& x) { return std::tie(x.step, x.outcome, x.code, x.message, x.duration_us); }
auto Fields(const AttemptRecord& x) {
  return std::tie(x.attempt, x.node_id, x.started_us, x.duration_us, x.end, x.step, x.error_code, x.error_message,
                  x.steps);
}
auto Fields(const OrderRecord& x) {
  return std::tie(x.order_id, x.request, x.status, x.attempts, x.redrives, x.created_us, x.updated_us,
                  x.next_attempt_us, x.reason, x.history, x.attempt_log, x.outputs);
}
auto Fields(const Event& x) {
  return std::tie(x.seq, x.time_us, x.order_id, x.status, x.attempt, x.node_id, x.reason, x.traceparent, x.topic,
                  x.data_json);
}
auto Fields(const DlqFilter& x) { return std::tie(x.order_id, x.reason, x.from_us, x.to_us); }
auto Fields(const DeadLetter& x) { return std::tie(x.order_id, x.reason, x.dead_lettered_us, x.attempts, x.redrives); }
auto Fields(const NodeInfo& x) {
  return std::tie(x.node_id, x.host, x.pid, x.credit, x.in_flight, x.connected_us, x.last_heartbeat_us, x.completed);
}
auto Fields(const Stats& x) {
  return std::tie(x.orders_by_status, x.backlog, x.in_flight, x.accepted_total, x.retries_total, x.late_results_total,
                  x.bad_frames_total, x.rejected_total, x.last_event_seq, x.started_us, x.max_backlog, x.nodes);
}
auto Fields(const Effect& x) { return std::tie(x.kind, x.key, x.amount); }
auto Fields(const CatalogEntry& x) { return std::tie(x.product_id, x.name, x.unit_price_cents, x.currency, x.stock); }
auto Fields(const CatalogList& x) { return std::tie(x.product_ids); }
auto Fields(const CatalogSet& x) { return std::tie(x.entries); }
auto Fields(const Catalog& x) { return std::tie(x.entries); }
auto Fields(const Submit& x) { return std::tie(x.order); }
auto Fields(const GetOrder& x) { return std::tie(x.order_id); }
auto Fields(const ListOrders& x) { return std::tie(x.status, x.limit, x.cursor); }
auto Fields(const GetStats& x) { return std::tie(x.with_nodes); }
auto Fields(const EventsSince& x) { return std::tie(x.after_seq, x.limit); }
auto Fields(const DlqList& x) { return std::tie(x.filter, x.limit, x.cursor); }
auto Fields(const DlqShow& x) { return std::tie(x.order_id); }
auto Fields(const DlqRedrive& x) { return std::tie(x.filter, x.limit); }
auto Fields(const DlqPurge& x) { return std::tie(x.filter, x.limit); }
auto Fields(const Accepted& x) { return std::tie(x.order_id, x.duplicate); }
auto Fields(const Error& x) { return std::tie(x.code, x.detail, x.retry_after_ms); }
auto Fields(const Order& x) { return std::tie(x.order); }
auto Fields(const OrderList& x) { return std::tie(x.orders, x.next_cursor); }
auto Fields(const StatsReply& x) { return std::tie(x.stats); }
auto Fields(const Events& x) { return std::tie(x.events, x.first_retained_seq, x.last_seq); }
auto Fields(const DlqListReply& x) { return std::tie(x.entries, x.next_cursor); }
auto Fields(const DlqEntry& x) { return std::tie(x.entry, x.order); }
auto Fields(const DlqCount& x) { return std::tie(x.count, x.remaining); }
auto Fields(const Ready& x) { return std::tie(x.node_id, x.credit, x.host, x.pid); }
auto Fields(const Heartbeat& x) { return std::tie(x.node_id); }
auto Fields(const Deliver& x) { return std::tie(x.order_id, x.attempt, x.order, x.catalog); }
auto Fields(const NodeResult& x) {
  return std::tie(x.order_id, x.end, x.step, x.error_code, x.error_message, x.duration_us, x.effects, x.outputs,
                  x.steps);
}
auto Fields(const Disconnect& x) { return std::tie(x.node_id); }
auto Fields(const Reconnect& x) { return std::tie(x.detail); }
auto Fields(const EventMsg& x) { return std::tie(x.event); }

template <typename T>
concept HasFields = requires(const T& t) { Fields(t); };

template <HasFields T>
bool operator==(const T& a, const T& b) {
  return Fields(a) == Fields(b);
}

// Prints as msgpack's JSON-like text, so a failed EXPECT_EQ shows the fields.
// (Through bytes: types.h's enums have no msgpack::object adaptor.)
template <HasFields T>
void PrintTo(const T& x, std::ostream* os) {
  std::string bytes = EncodeRecord(x);
  *os << msgpack::unpack(bytes.data(), bytes.size()).get();
}

namespace {

// ---------------------------------------------------------------- samples
// Every field differs from its default (checked by SamplesSetEveryField), so
// a field lost on the way shows up as a mismatch.

OrderRequest SampleRequest() {
  return {"cust-7",
          {{"sku-1", 3, 1299}, {"sku-2", 1, std::nullopt}},
          "EUR",
          R"({"gift":true})",
          "idem-7",
          "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"};
}

std::vector<StepTrace> SampleSteps() {
  return {{"price", "ok", "", "", 12}, {"payment", "compensated", "payment.voided", "voided auth-1", 340}};
}
CatalogEntry SampleEntry() { return {"sku-1", "Widget", 1999, "USD", 100}; }

OrderRecord SampleRecord() {
  OrderRecord r;
  r.order_id = "0192f1e0-7a7b-7c7d-8e8f-909192939495";
  r.request = SampleRequest();
  r.status = OrderStatus::kRetrying;
  r.attempts = 2;
  r.redrives = 1;
  r.created_us = 1795322118123456;
  r.updated_us = 1795322119000000;
  r.next_attempt_us = 1795322120000000;
  r.reason = "retryable_error";
  r.history = {{1795322118123456, OrderStatus::kProcessing, 1, "node-a", "delivered"},
               {1795322119000000, OrderStatus::kRetrying, 1, "node-a", "retryable_error"}};
  r.attempt_log = {{1, "node-a", 1795322118200000, -5, AttemptEnd::kRetryableError, "payment", "gateway_timeout",
                    "payment gateway timed out", SampleSteps()},
                   {2, "node-b", 1795322120000000, 0, AttemptEnd::kInProgress, "", "", "", {}}};
  r.outputs = {{"total_cents", "3998"}, {"authorization_id", "auth-1"}};
  return r;
}

Event SampleEvent() {
  return {987654321,   1795322118123456, "ord-9", OrderStatus::kProcessed, 3, "node-c", "processed", "00-ab-cd-01",
          "payment.voided", R"({"authorization_id":"auth-1"})"};
}
DlqFilter SampleFilter() { return {"ord-2", "node_lost", 1000, 2000}; }
DeadLetter SampleDeadLetter() { return {"ord-3", "max_attempts", 1795322118123456, 5, 2}; }
NodeInfo SampleNode() { return {"node-a", "host-a", 4321, 8, 3, 1795322000000000, 1795322118000000, 1234567}; }

Stats SampleStats() {
  Stats s;
  s.orders_by_status = {0, 10, 2, 3, 400, 5, 6};
  s.backlog = 13;
  s.in_flight = 2;
  s.accepted_total = 426;
  s.retries_total = 31;
  s.late_results_total = 4;
  s.bad_frames_total = 7;
  s.rejected_total = 9;
  s.last_event_seq = 1 << 20;
  s.started_us = -1;
  s.max_backlog = 10000;
  s.nodes = {SampleNode(), SampleNode()};
  return s;
}

std::vector<FrontRequest> FrontRequests() {
  return {Submit{SampleRequest()},
          GetOrder{"ord-1"},
          ListOrders{OrderStatus::kFailed, 25, "ord-0"},
          GetStats{false},
          EventsSince{41, 7},
          DlqList{SampleFilter(), 9, "ord-3"},
          DlqShow{"ord-4"},
          DlqRedrive{SampleFilter(), 11},
          DlqPurge{SampleFilter(), 12},
          CatalogList{{"sku-1", "sku-2"}},
          CatalogSet{{SampleEntry(), SampleEntry()}}};
}

std::vector<FrontReply> FrontReplies() {
  return {Accepted{"ord-5", true},
          Error{ErrorCode::kBacklogFull, "backlog is full", 1500},
          Order{SampleRecord()},
          OrderList{{SampleRecord(), SampleRecord()}, "ord-9"},
          StatsReply{SampleStats()},
          Events{{SampleEvent(), SampleEvent()}, 3, 99},
          DlqListReply{{SampleDeadLetter()}, "ord-8"},
          DlqEntry{SampleDeadLetter(), SampleRecord()},
          DlqCount{5, 2},
          Catalog{{SampleEntry()}}};
}

std::vector<NodeToBroker> NodeMessages() {
  return {Ready{"node-1", 8, "host-a", 4321},
          Heartbeat{"node-1"},
          NodeResult{"ord-1", AttemptEnd::kTerminalError, "payment", "card_declined", "the card was declined", 12345,
                     {{"reserve", "sku-1", 3}, {"reserve", "sku-2", -1}},
                     {{"authorization_id", "auth-1"}},
                     SampleSteps()},
          Disconnect{"node-1"}};
}

std::vector<BrokerToNode> BrokerMessages() {
  return {Heartbeat{"broker"}, Deliver{"ord-1", 3, SampleRequest(), {SampleEntry()}}, Reconnect{"broker restarted"}};
}

// Ids of different msgpack widths.
constexpr uint64_t kIds[] = {0, 1, 300, 1ull << 32, ~0ull};

// ---------------------------------------------------------------- round trips

template <typename V>
void ExpectEveryAlternativeOnce(const std::vector<V>& samples) {
  std::set<size_t> seen;
  for (const V& s : samples) EXPECT_TRUE(seen.insert(s.index()).second) << "alternative " << s.index() << " twice";
  EXPECT_EQ(seen.size(), std::variant_size_v<V>);
}

template <typename V>
void ExpectRoundTrips(const std::vector<V>& samples, Result<Envelope<V>> (*decode)(std::string_view)) {
  for (size_t i = 0; i < samples.size(); ++i) {
    const V& sent = samples[i];
    uint64_t id = kIds[i % std::size(kIds)];
    std::string bytes = std::visit([&](const auto& m) { return Encode(id, m); }, sent);
    auto got = decode(bytes);
    ASSERT_TRUE(got.ok()) << "alternative " << sent.index() << ": " << got.status().ToString();
    EXPECT_EQ(got->version, kProtocolVersion);
    EXPECT_EQ(got->id, id);
    EXPECT_EQ(got->msg, sent);
  }
}

TEST(Codec, SamplesCoverEveryMessageType) {
  ExpectEveryAlternativeOnce(FrontRequests());
  ExpectEveryAlternativeOnce(FrontReplies());
  ExpectEveryAlternativeOnce(NodeMessages());
  ExpectEveryAlternativeOnce(BrokerMessages());
}

TEST(Codec, FrontRequestsRoundTrip) { ExpectRoundTrips(FrontRequests(), &DecodeFrontRequest); }
TEST(Codec, FrontRepliesRoundTrip) { ExpectRoundTrips(FrontReplies(), &DecodeFrontReply); }
TEST(Codec, NodeToBrokerMessagesRoundTrip) { ExpectRoundTrips(NodeMessages(), &DecodeNodeToBroker); }
TEST(Codec, BrokerToNodeMessagesRoundTrip) { ExpectRoundTrips(BrokerMessages(), &DecodeBrokerToNode); }

TEST(Codec, EventMessageRoundTripsThroughDecodeEvent) {
  auto got = DecodeEvent(Encode(SampleEvent().seq, EventMsg{SampleEvent()}));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, SampleEvent());
}

TEST(Codec, HeaderGivesVersionTypeAndId) {
  auto h = DecodeHeader(Encode(~0ull, DlqCount{1, 2}));
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->version, kProtocolVersion);
  EXPECT_EQ(h->type, MsgType::kDlqCount);
  EXPECT_EQ(h->id, ~0ull);
}

TEST(Codec, StoredRecordsRoundTrip) {
  auto record = DecodeRecord<OrderRecord>(EncodeRecord(SampleRecord()));
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  EXPECT_EQ(*record, SampleRecord());
  auto event = DecodeRecord<Event>(EncodeRecord(SampleEvent()));
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(*event, SampleEvent());
  auto letter = DecodeRecord<DeadLetter>(EncodeRecord(SampleDeadLetter()));
  ASSERT_TRUE(letter.ok()) << letter.status().ToString();
  EXPECT_EQ(*letter, SampleDeadLetter());
}

// Each field of sample, and of the structs nested in it, differs from the
// default's: descends where both are arrays of the same non-zero length
// (structs; a default vector is empty).
void ExpectNoDefaultField(const msgpack::object& sample, const msgpack::object& def, const std::string& path) {
  if (sample.type == msgpack::type::ARRAY && def.type == msgpack::type::ARRAY && def.via.array.size > 0 &&
      sample.via.array.size == def.via.array.size) {
    for (uint32_t i = 0; i < def.via.array.size; ++i) {
      ExpectNoDefaultField(sample.via.array.ptr[i], def.via.array.ptr[i], path + "[" + std::to_string(i) + "]");
    }
  } else {
    EXPECT_FALSE(sample == def) << path << " has its default value " << sample;
  }
}

template <typename M>
void ExpectNoDefaultField(const M& sample) {
  std::string sample_bytes = EncodeRecord(sample), default_bytes = EncodeRecord(M{});
  auto s = msgpack::unpack(sample_bytes.data(), sample_bytes.size());
  auto d = msgpack::unpack(default_bytes.data(), default_bytes.size());
  ExpectNoDefaultField(s.get(), d.get(), "type " + std::to_string(int(M::kType)));
}

TEST(Codec, SamplesSetEveryField) {
  auto check = [](const auto& variants) {
    for (const auto& v : variants) std::visit([](const auto& m) { ExpectNoDefaultField(m); }, v);
  };
  check(FrontRequests());
  check(FrontReplies());
  check(NodeMessages());
  check(BrokerMessages());
  ExpectNoDefaultField(EventMsg{SampleEvent()});
}

// ---------------------------------------------------------------- the corpus
// One valid encoding of every message type and stored record, with the
// decoder meant for it.

using Decode = std::function<Status(std::string_view)>;

struct Decoder {
  std::string name;
  Decode decode;
  std::function<bool(MsgType)> accepts;
};

template <typename V>
bool Holds(MsgType type) {
  return [&]<size_t... I>(std::index_sequence<I...>) {
    return ((std::variant_alternative_t<I, V>::kType == type) || ...);
  }(std::make_index_sequence<std::variant_size_v<V>>());
}

const std::vector<Decoder>& MessageDecoders() {
  static const std::vector<Decoder> decoders = {
      {"DecodeFrontRequest", [](std::string_view b) { return DecodeFrontRequest(b).status(); }, &Holds<FrontRequest>},
      {"DecodeFrontReply", [](std::string_view b) { return DecodeFrontReply(b).status(); }, &Holds<FrontReply>},
      {"DecodeNodeToBroker", [](std::string_view b) { return DecodeNodeToBroker(b).status(); }, &Holds<NodeToBroker>},
      {"DecodeBrokerToNode", [](std::string_view b) { return DecodeBrokerToNode(b).status(); }, &Holds<BrokerToNode>},
      {"DecodeEvent", [](std::string_view b) { return DecodeEvent(b).status(); },
       [](MsgType t) { return t == MsgType::kEvent; }},
  };
  return decoders;
}

// Every decoder, DecodeHeader and DecodeRecord included.
std::vector<Decode> AllDecoders() {
  std::vector<Decode> all;
  for (const Decoder& d : MessageDecoders()) all.push_back(d.decode);
  all.push_back([](std::string_view b) { return DecodeHeader(b).status(); });
  all.push_back([](std::string_view b) { return DecodeRecord<OrderRecord>(b).status(); });
  all.push_back([](std::string_view b) { return DecodeRecord<Stats>(b).status(); });
  return all;
}

struct Case {
  std::string name;
  std::string bytes;
  Decode decode;
  bool is_message = true;  // [version, type, id, payload]; else a bare record
  MsgType type = MsgType::kError;
};

const std::vector<Case>& Corpus() {
  static const std::vector<Case> corpus = [] {
    std::vector<Case> cases;
    auto add = [&](const auto& variants, const Decoder& decoder) {
      for (const auto& v : variants) {
        std::visit([&](const auto& m) {
          using M = std::decay_t<decltype(m)>;
          cases.push_back({"message type " + std::to_string(int(M::kType)) + " for " + decoder.name,
                           Encode(12345, m), decoder.decode, true, M::kType});
        }, v);
      }
    };
    const auto& d = MessageDecoders();
    add(FrontRequests(), d[0]);
    add(FrontReplies(), d[1]);
    add(NodeMessages(), d[2]);
    add(BrokerMessages(), d[3]);
    add(std::vector<std::variant<EventMsg>>{EventMsg{SampleEvent()}}, d[4]);
    cases.push_back({"OrderRecord", EncodeRecord(SampleRecord()),
                     [](std::string_view b) { return DecodeRecord<OrderRecord>(b).status(); }, false});
    cases.push_back({"Event record", EncodeRecord(SampleEvent()),
                     [](std::string_view b) { return DecodeRecord<Event>(b).status(); }, false});
    cases.push_back({"DeadLetter record", EncodeRecord(SampleDeadLetter()),
                     [](std::string_view b) { return DecodeRecord<DeadLetter>(b).status(); }, false});
    return cases;
  }();
  return corpus;
}

TEST(Codec, CorpusDecodes) {
  for (const Case& c : Corpus()) EXPECT_TRUE(c.decode(c.bytes).ok()) << c.name << ": " << c.decode(c.bytes).ToString();
}

// ---------------------------------------------------------------- hand-built frames

using Packer = msgpack::packer<msgpack::sbuffer>;

// [version, type, id, payload], the payload written by fill.
std::string Frame(int64_t type, const std::function<void(Packer&)>& fill, uint64_t id = 9,
                  uint32_t version = kProtocolVersion) {
  msgpack::sbuffer buf;
  Packer pk(buf);
  pk.pack_array(4);
  pk.pack_uint32(version);
  pk.pack(type);
  pk.pack_uint64(id);
  fill(pk);
  return std::string(buf.data(), buf.size());
}

int64_t Num(MsgType type) { return static_cast<int64_t>(type); }

std::string Pack(const msgpack::object& o) {
  msgpack::sbuffer buf;
  Packer pk(buf);
  pk.pack(o);
  return std::string(buf.data(), buf.size());
}

// A copy of the msgpack value in bytes with the node at path replaced by a value
// from make (given the zone of the copy).
std::string Replace(std::string_view bytes, const std::vector<uint32_t>& path,
                    const std::function<msgpack::object(const msgpack::object& old)>& make) {
  auto oh = UnpackBounded(bytes);
  EXPECT_TRUE(oh.ok());
  msgpack::zone zone;
  msgpack::object copy(oh->get(), zone);
  msgpack::object* node = &copy;
  for (uint32_t i : path) {
    EXPECT_EQ(node->type, msgpack::type::ARRAY);
    EXPECT_LT(i, node->via.array.size);
    node = &node->via.array.ptr[i];
  }
  *node = make(*node);
  return Pack(copy);
}

msgpack::object Integer(int64_t v) { return msgpack::object(v); }

// ---------------------------------------------------------------- malformed input

TEST(CodecMalformed, EveryTruncationOfEveryEncodingIsCorruption) {
  for (const Case& c : Corpus()) {
    for (size_t len = 0; len < c.bytes.size(); ++len) {
      Status s = c.decode(std::string_view(c.bytes).substr(0, len));
      if (s.code() != Code::kCorruption) {
        ADD_FAILURE() << c.name << " cut to " << len << " of " << c.bytes.size() << " bytes: " << s.ToString();
        break;
      }
    }
  }
}

TEST(CodecMalformed, TrailingBytesAreCorruption) {
  for (const Case& c : Corpus()) {
    Status s = c.decode(c.bytes + '\0');
    EXPECT_EQ(s.code(), Code::kCorruption) << c.name;
    EXPECT_NE(s.message().find("trailing"), std::string::npos) << s.message();
    EXPECT_EQ(c.decode(c.bytes + c.bytes).code(), Code::kCorruption) << c.name << " twice";
  }
}

TEST(CodecMalformed, EmptyInputIsCorruption) {
  for (const Decode& decode : AllDecoders()) EXPECT_EQ(decode("").code(), Code::kCorruption);
}

TEST(CodecMalformed, WrongTypeByHandIsCorruption) {
  auto submit = [](const std::function<void(Packer&)>& quantity) {
    return Frame(Num(MsgType::kSubmit), [&](Packer& pk) {
      pk.pack_array(1);  // Submit{order}
      pk.pack_array(6);  // OrderRequest
      pk.pack("cust-1");
      pk.pack_array(1);
      pk.pack_array(3);  // OrderItem
      pk.pack("sku-1");
      quantity(pk);
      pk.pack_nil();
      pk.pack("USD");
      pk.pack("");
      pk.pack("");
      pk.pack("");
    });
  };
  ASSERT_TRUE(DecodeFrontRequest(submit([](Packer& pk) { pk.pack(3); })).ok());
  EXPECT_EQ(DecodeFrontRequest(submit([](Packer& pk) { pk.pack("three"); })).status().code(), Code::kCorruption);
  EXPECT_EQ(DecodeFrontRequest(submit([](Packer& pk) { pk.pack(-3); })).status().code(), Code::kCorruption);
  EXPECT_EQ(DecodeFrontRequest(submit([](Packer& pk) { pk.pack(1ll << 32); })).status().code(), Code::kCorruption);
  EXPECT_EQ(DecodeFrontRequest(submit([](Packer& pk) { pk.pack(2.5); })).status().code(), Code::kCorruption);

  auto stats = [](const std::function<void(Packer&)>& with_nodes) {
    return Frame(Num(MsgType::kGetStats), [&](Packer& pk) {
      pk.pack_array(1);
      with_nodes(pk);
    });
  };
  ASSERT_TRUE(DecodeFrontRequest(stats([](Packer& pk) { pk.pack_true(); })).ok());
  EXPECT_EQ(DecodeFrontRequest(stats([](Packer& pk) { pk.pack(1); })).status().code(), Code::kCorruption);
  EXPECT_EQ(DecodeFrontRequest(Frame(Num(MsgType::kGetStats), [](Packer& pk) { pk.pack("x"); })).status().code(),
            Code::kCorruption);
}

// Every node of every payload (each field, each nested field, each element)
// replaced by a value of the wrong msgpack type.
TEST(CodecMalformed, WrongTypeInEveryPayloadFieldIsCorruption) {
  static const char kX[] = "x";
  int checked = 0;
  for (const Case& c : Corpus()) {
    auto oh = UnpackBounded(c.bytes);
    ASSERT_TRUE(oh.ok());
    std::vector<std::vector<uint32_t>> paths;
    std::vector<uint32_t> path;
    if (c.is_message) path.push_back(3);
    std::function<void(const msgpack::object&)> collect = [&](const msgpack::object& o) {
      paths.push_back(path);
      if (o.type != msgpack::type::ARRAY) return;
      for (uint32_t i = 0; i < o.via.array.size; ++i) {
        path.push_back(i);
        collect(o.via.array.ptr[i]);
        path.pop_back();
      }
    };
    const msgpack::object& root = oh->get();
    collect(c.is_message ? root.via.array.ptr[3] : root);
    for (const auto& p : paths) {
      std::string bad = Replace(c.bytes, p, [](const msgpack::object& old) {
        if (old.type == msgpack::type::STR) return Integer(7);
        msgpack::object s;
        s.type = msgpack::type::STR;
        s.via.str.ptr = kX;
        s.via.str.size = 1;
        return s;
      });
      std::string where;
      for (uint32_t i : p) where += "[" + std::to_string(i) + "]";
      Status s = c.decode(bad);
      EXPECT_EQ(s.code(), Code::kCorruption) << c.name << " at " << where << ": " << s.ToString();
      ++checked;
    }
  }
  EXPECT_GT(checked, 400);  // the walk really went through the nested fields
}

TEST(CodecMalformed, OutOfRangeEnumsAreCorruption) {
  auto list = [](int64_t status) {
    return DecodeFrontRequest(Frame(Num(MsgType::kListOrders), [&](Packer& pk) {
      pk.pack_array(3);
      pk.pack(status);
      pk.pack(50);
      pk.pack("");
    }));
  };
  EXPECT_TRUE(list(1).ok());
  EXPECT_TRUE(list(6).ok());
  EXPECT_TRUE(list(0).ok());  // kNone decodes (events use it); the broker refuses to list it
  for (int64_t bad : {7, 255, 256, -1}) EXPECT_EQ(list(bad).status().code(), Code::kCorruption) << bad;

  auto result = [](int64_t end) {
    return DecodeNodeToBroker(Frame(Num(MsgType::kResult), [&](Packer& pk) {
      pk.pack_array(7);
      pk.pack("ord-1");
      pk.pack(end);
      pk.pack("");
      pk.pack("");
      pk.pack("");
      pk.pack(0);
      pk.pack_array(0);
    }));
  };
  EXPECT_TRUE(result(0).ok());
  EXPECT_TRUE(result(6).ok());
  for (int64_t bad : {7, 9, -1}) EXPECT_EQ(result(bad).status().code(), Code::kCorruption) << bad;

  auto error = [](int64_t code) {
    return DecodeFrontReply(Frame(Num(MsgType::kError), [&](Packer& pk) {
      pk.pack_array(3);
      pk.pack(code);
      pk.pack("detail");
      pk.pack(0);
    }));
  };
  EXPECT_TRUE(error(1).ok());
  EXPECT_TRUE(error(9).ok());
  for (int64_t bad : {0, 10}) EXPECT_EQ(error(bad).status().code(), Code::kCorruption) << bad;

  // Nested: an event's status, a stored record's history status and attempt end.
  std::string event = Encode(1, EventMsg{SampleEvent()});
  EXPECT_EQ(DecodeEvent(Replace(event, {3, 0, 3}, [](auto&) { return Integer(7); })).status().code(),
            Code::kCorruption);
  EXPECT_EQ(DecodeEvent(Replace(event, {3, 0, 3}, [](auto&) { return Integer(256); })).status().code(),
            Code::kCorruption);
  EXPECT_TRUE(DecodeEvent(Replace(event, {3, 0, 3}, [](auto&) { return Integer(0); })).ok());  // kNone: not an order's
  std::string record = EncodeRecord(SampleRecord());
  EXPECT_TRUE(DecodeRecord<OrderRecord>(Replace(record, {9, 1, 1}, [](auto&) { return Integer(6); })).ok());
  EXPECT_EQ(DecodeRecord<OrderRecord>(Replace(record, {9, 1, 1}, [](auto&) { return Integer(7); })).status().code(),
            Code::kCorruption);
  EXPECT_EQ(DecodeRecord<OrderRecord>(Replace(record, {10, 0, 4}, [](auto&) { return Integer(9); })).status().code(),
            Code::kCorruption);
}

TEST(CodecMalformed, UnknownMessageTypeIsCorruption) {
  for (int64_t type : {0, 12, 39, 46, 59, 61, 99, 255, 256, -1}) {
    std::string bytes = Frame(type, [](Packer& pk) { pk.pack_array(0); });
    for (const Decoder& d : MessageDecoders()) {
      EXPECT_EQ(d.decode(bytes).code(), Code::kCorruption) << d.name << " given type " << type;
    }
  }
}

TEST(CodecMalformed, MessageForAnotherSocketIsCorruption) {
  EXPECT_EQ(DecodeFrontRequest(Encode(1, Deliver{"ord-1", 1, SampleRequest(), {}})).status().code(), Code::kCorruption);
  for (const Case& c : Corpus()) {
    if (!c.is_message) continue;
    for (const Decoder& d : MessageDecoders()) {
      Status s = d.decode(c.bytes);
      if (d.accepts(c.type)) {
        EXPECT_TRUE(s.ok()) << c.name << " given to " << d.name << ": " << s.ToString();
      } else {
        EXPECT_EQ(s.code(), Code::kCorruption) << c.name << " given to " << d.name;
      }
    }
  }
}

TEST(CodecMalformed, OtherProtocolVersionIsInvalidArgumentAndTheHeaderStillGivesTheId) {
  std::string bytes = Encode(77, GetOrder{"ord-1"});
  ASSERT_EQ(bytes[1], '\x01');  // [0x94, version, ...]
  for (char version : {'\x00', '\x02'}) {
    bytes[1] = version;
    for (const Decoder& d : MessageDecoders()) {
      EXPECT_EQ(d.decode(bytes).code(), Code::kInvalidArgument) << d.name << " given version " << int(version);
    }
  }
  // Only its low 32 bits match version 1.
  const std::string get_order = Frame(Num(MsgType::kGetOrder), [](Packer& pk) { pk.pack_array(1).pack("ord-1"); });
  ASSERT_TRUE(DecodeFrontRequest(get_order).ok());
  std::string wide = get_order;
  wide.replace(1, 1, std::string_view("\xcf\x00\x00\x00\x01\x00\x00\x00\x01", 9));  // uint64 2^32 + 1
  EXPECT_FALSE(DecodeFrontRequest(wide).ok());
  // A receiver answers S:ERROR unsupported_version to the right request id.
  auto h = DecodeHeader(bytes);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->version, 2u);
  EXPECT_EQ(h->type, MsgType::kGetOrder);
  EXPECT_EQ(h->id, 77u);
}

TEST(CodecMalformed, HeaderGivesTheIdWhenThePayloadIsGarbage) {
  std::string bytes = Frame(Num(MsgType::kSubmit), [](Packer& pk) { pk.pack("garbage"); }, 4242);
  EXPECT_EQ(DecodeFrontRequest(bytes).status().code(), Code::kCorruption);
  auto h = DecodeHeader(bytes);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->id, 4242u);
}

TEST(CodecMalformed, HeaderMustBeFourUnsignedIntegers) {
  auto frame = [](const std::function<void(Packer&)>& fill) {
    msgpack::sbuffer buf;
    Packer pk(buf);
    fill(pk);
    return std::string(buf.data(), buf.size());
  };
  std::vector<std::string> bad = {
      frame([](Packer& pk) { pk.pack("not a message"); }),
      frame([](Packer& pk) { pk.pack_array(3).pack(1).pack(2).pack(3); }),
      frame([](Packer& pk) { pk.pack_array(5).pack(1).pack(2).pack(3).pack_array(0).pack(5); }),
      frame([](Packer& pk) { pk.pack_array(4).pack("1").pack(2).pack(3).pack_array(0); }),
      frame([](Packer& pk) { pk.pack_array(4).pack(1).pack(2.5).pack(3).pack_array(0); }),
      frame([](Packer& pk) { pk.pack_array(4).pack(1).pack(2).pack(-3).pack_array(0); }),
      frame([](Packer& pk) { pk.pack_map(1).pack(1).pack(2); }),
  };
  for (const std::string& bytes : bad) {
    EXPECT_EQ(DecodeHeader(bytes).status().code(), Code::kCorruption);
    for (const Decoder& d : MessageDecoders()) EXPECT_EQ(d.decode(bytes).code(), Code::kCorruption) << d.name;
  }
}

TEST(CodecMalformed, FrameOverTheSizeLimitIsCorruption) {
  // Reconnect{detail} with a str32 detail: measure the overhead, then fill up to the limit exactly.
  const size_t probe = 100000;
  size_t overhead = Encode(1, Reconnect{std::string(probe, 'd')}).size() - probe;
  std::string at_limit = Encode(1, Reconnect{std::string(kMaxFrameBytes - overhead, 'd')});
  ASSERT_EQ(at_limit.size(), kMaxFrameBytes);
  EXPECT_TRUE(DecodeBrokerToNode(at_limit).ok());
  std::string over = Encode(1, Reconnect{std::string(kMaxFrameBytes - overhead + 1, 'd')});
  Status s = DecodeBrokerToNode(over).status();
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_NE(s.message().find("exceeds"), std::string::npos) << s.message();
}

// A few bytes that declare a huge container must fail on the declared size,
// before anything is allocated for it: a decoder without a bound would try to
// allocate 2^31 * sizeof(msgpack::object) = 48 GiB and fail (or succeed) on that.
TEST(CodecMalformed, HugeDeclaredContainerIsRefusedWithoutAllocating) {
  const std::string array(std::string_view("\xdd\x80\x00\x00\x00\x01", 6));  // array32 of 2^31, one element
  const std::string map(std::string_view("\xdf\x80\x00\x00\x00\x01", 6));    // map32 of 2^31 pairs
  const std::string payload = std::string("\x94\x01\x2a\x07", 4) + array;     // a Deliver whose payload is it
  auto start = std::chrono::steady_clock::now();
  for (const std::string& bytes : {array, map, payload}) {
    for (const Decode& decode : AllDecoders()) {
      Status s = decode(bytes);
      EXPECT_EQ(s.code(), Code::kCorruption);
      EXPECT_NE(s.message().find("size overflow"), std::string::npos) << s.message();
    }
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

// ---------------------------------------------------------------- fuzz

// A random msgpack value: scalars of every kind, arrays up to depth 3.
void PackRandom(Packer& pk, std::mt19937_64& rng, int depth) {
  switch (rng() % (depth < 3 ? 8 : 6)) {
    case 0: pk.pack(static_cast<int64_t>(rng() % 12) - 2); break;
    case 1: pk.pack(rng()); break;
    case 2: pk.pack(std::string(rng() % 6, static_cast<char>('a' + rng() % 26))); break;
    case 3: pk.pack_nil(); break;
    case 4: rng() % 2 ? pk.pack_true() : pk.pack_false(); break;
    case 5: pk.pack(1.5); break;
    default: {
      uint32_t n = rng() % 9;
      pk.pack_array(n);
      for (uint32_t i = 0; i < n; ++i) PackRandom(pk, rng, depth + 1);
    }
  }
}

std::string RandomInput(std::mt19937_64& rng) {
  static const int64_t kTypes[] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  20, 21, 22, 23,
                                   24, 25, 26, 27, 28, 40, 41, 42, 43, 44, 45, 60};
  switch (rng() % 3) {
    case 0: {  // bytes
      std::string s(rng() % 48, '\0');
      for (char& c : s) c = static_cast<char>(rng());
      return s;
    }
    case 1: {  // a header, then bytes
      std::string s = Frame(kTypes[rng() % std::size(kTypes)], [](Packer&) {});
      for (size_t n = rng() % 40; n > 0; --n) s += static_cast<char>(rng());
      return s;
    }
    default:  // a header and a well-formed payload of random shape
      return Frame(kTypes[rng() % std::size(kTypes)], [&](Packer& pk) { PackRandom(pk, rng, 0); });
  }
}

TEST(CodecFuzz, RandomInputNeverCrashesOrThrows) {
  std::mt19937_64 rng(20261122);
  const std::vector<Decode> decoders = AllDecoders();
  for (int i = 0; i < 20000; ++i) {
    std::string bytes = RandomInput(rng);
    for (const Decode& decode : decoders) {
      EXPECT_NO_THROW({ Status s = decode(bytes); (void)s; }) << "input " << i;
    }
  }
}

TEST(CodecFuzz, SingleByteMutationsNeverCrashOrThrow) {
  std::mt19937_64 rng(42);
  const std::vector<Case>& corpus = Corpus();
  int accepted = 0, rejected = 0;
  for (int i = 0; i < 20000; ++i) {
    const Case& c = corpus[rng() % corpus.size()];
    std::string bytes = c.bytes;
    size_t at = rng() % bytes.size();
    bytes[at] = static_cast<char>(bytes[at] ^ (1 + rng() % 255));  // always a different byte
    Status s;
    EXPECT_NO_THROW(s = c.decode(bytes)) << c.name << " with byte " << at << " changed";
    EXPECT_NO_THROW({ Status h = DecodeHeader(bytes).status(); (void)h; });
    (s.ok() ? accepted : rejected)++;
  }
  // Both outcomes occur, so the loop exercised the decoders past the first byte.
  EXPECT_GT(accepted, 1000);
  EXPECT_GT(rejected, 1000);
}

}  // namespace
}  // namespace om::proto
