#include "protocol/json.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <cstdint>

namespace om::proto {
namespace {

// Bodies are parsed keeping key order, so problems come out in document order
// and metadata keeps the client's key order.
using Doc = nlohmann::ordered_json;

// Deeper JSON is refused: nlohmann's dump() recurses, so unbounded nesting
// in metadata would overflow the stack of whoever prints it.
constexpr int kMaxJsonDepth = 64;

// nlohmann's DOM builder plus what it lacks: the byte offset of every kind
// of error (its exceptions carry one for syntax errors but not for number
// overflow) and a nesting limit. sax_parse() calls the SAX methods on this
// static type, so the ones declared here take the place of the base's.
class BoundedDomParser : public nlohmann::detail::json_sax_dom_parser<Doc> {
 public:
  explicit BoundedDomParser(Doc& root) : json_sax_dom_parser(root, /*allow_exceptions=*/false) {}

  bool start_object(std::size_t n) { return Enter() && json_sax_dom_parser::start_object(n); }
  bool start_array(std::size_t n) { return Enter() && json_sax_dom_parser::start_array(n); }
  bool end_object() { --depth_; return json_sax_dom_parser::end_object(); }
  bool end_array() { --depth_; return json_sax_dom_parser::end_array(); }
  bool parse_error(std::size_t position, const std::string& /*token*/, const nlohmann::detail::exception& e) {
    // position counts the bytes read, the offending one included.
    error_ = "malformed JSON at byte " + std::to_string(position > 0 ? position - 1 : 0) + ": " + Reason(e.what());
    return false;
  }

  // Empty when the document parsed.
  const std::string& error() const { return error_; }

 private:
  bool Enter() {
    if (++depth_ <= kMaxJsonDepth) return true;
    // Called between tokens, so the depth error has no position of its own.
    error_ = "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }
  // "[json.exception.parse_error.101] parse error at line 1, column 17: syntax error ..." -> "syntax error ..."
  // "[json.exception.out_of_range.406] number overflow ..." -> "number overflow ..."
  static std::string Reason(std::string_view what) {
    size_t cut = what.find(", column ");
    cut = cut == std::string_view::npos ? what.find("] ") : what.find(": ", cut);
    return std::string(cut == std::string_view::npos ? what : what.substr(cut + 2));
  }

  int depth_ = 0;
  std::string error_;
};

// Parses text into *out; returns "" or what is wrong with it
// ("malformed JSON at byte 16: syntax error ...").
std::string ParseBounded(std::string_view text, Doc* out) {
  BoundedDomParser sax(*out);
  bool ok = Doc::sax_parse(text, &sax);
  if (!ok && sax.error().empty()) return "malformed JSON";  // not expected: every failure says why
  return sax.error();
}

// Bytes of text as printable ASCII (others as \xNN), at most max_len of them,
// so that messages are safe to embed in any JSON or log line.
std::string Printable(std::string_view text, size_t max_len = 200) {
  std::string out;
  for (unsigned char c : text.substr(0, max_len)) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "\\x%02x", c);
    out += c >= 0x20 && c < 0x7f ? std::string(1, static_cast<char>(c)) : std::string(hex);
  }
  return text.size() > max_len ? out + "..." : out;
}

void PutIfNotEmpty(nlohmann::json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

template <typename T>
nlohmann::json ArrayOf(const std::vector<T>& values) {
  nlohmann::json array = nlohmann::json::array();
  for (const T& v : values) array.push_back(ToJson(v));
  return array;
}

// Sum of quantity * unit price, or null when a price is missing or it overflows.
nlohmann::json TotalCents(const std::vector<OrderItem>& items) {
  int64_t total = 0;
  for (const OrderItem& item : items) {
    if (!item.unit_price_cents) return nullptr;
    int64_t line = 0;
    if (__builtin_mul_overflow(static_cast<int64_t>(item.quantity), *item.unit_price_cents, &line) ||
        __builtin_add_overflow(total, line, &total)) {
      return nullptr;
    }
  }
  return total;
}

// The catalog's total when the pipeline priced the order, else the client's.
nlohmann::json OrderTotal(const OrderRecord& r) {
  if (auto priced = PricedTotalCents(r.outputs)) return *priced;
  return TotalCents(r.request.items);
}

// The stored metadata object; stored text that is not one is shown raw.
nlohmann::json StoredMetadata(const std::string& text) {
  if (text.empty()) return nlohmann::json::object();
  Doc parsed;
  if (!ParseBounded(text, &parsed).empty() || !parsed.is_object()) return text;
  return nlohmann::json(parsed);
}

}  // namespace

std::string FormatTime(int64_t unix_micros) {
  using namespace std::chrono;
  // Clamp to the years RFC 3339 can write (0000-9999); also keeps the
  // arithmetic below far from overflow.
  constexpr int64_t kMin = -62167219200LL * 1000000;  // 0000-01-01T00:00:00Z
  constexpr int64_t kMax = 253402300799999999LL;      // 9999-12-31T23:59:59.999999Z
  sys_time<microseconds> t{microseconds{std::clamp(unix_micros, kMin, kMax)}};
  sys_days day = floor<days>(t);
  year_month_day date{day};
  hh_mm_ss<microseconds> time{t - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()), static_cast<long long>(time.subseconds().count()));
  return buf;
}

nlohmann::json ToJson(const OrderItem& item) {
  nlohmann::json j{{"product_id", item.product_id}, {"quantity", item.quantity}};
  if (item.unit_price_cents) j["unit_price_cents"] = *item.unit_price_cents;
  return j;
}

nlohmann::json ToJson(const HistoryEntry& e) {
  nlohmann::json j{{"status", StatusName(e.status)}, {"time", FormatTime(e.time_us)}, {"attempt", e.attempt}};
  PutIfNotEmpty(j, "node_id", e.node_id);
  PutIfNotEmpty(j, "reason", e.reason);
  return j;
}

nlohmann::json ToJson(const AttemptRecord& a) {
  nlohmann::json j{{"attempt", a.attempt}, {"node_id", a.node_id}, {"started_at", FormatTime(a.started_us)},
                   {"duration_ms", static_cast<double>(a.duration_us) / 1000.0}, {"outcome", AttemptEndName(a.end)}};
  PutIfNotEmpty(j, "step", a.step);
  PutIfNotEmpty(j, "error_code", a.error_code);
  PutIfNotEmpty(j, "error_message", a.error_message);
  if (!a.steps.empty()) j["steps"] = ArrayOf(a.steps);
  return j;
}

nlohmann::json ToJson(const StepTrace& t) {
  nlohmann::json j{{"step", t.step}, {"outcome", t.outcome}, {"duration_ms", static_cast<double>(t.duration_us) / 1000.0}};
  PutIfNotEmpty(j, "code", t.code);
  PutIfNotEmpty(j, "message", t.message);
  return j;
}

nlohmann::json ToJson(const CatalogEntry& c) {
  return {{"product_id", c.product_id}, {"name", c.name},   {"unit_price_cents", c.unit_price_cents},
          {"currency", c.currency},     {"stock", c.stock}};
}

nlohmann::json ToJson(const OrderRecord& r) {
  const OrderRequest& req = r.request;
  nlohmann::json j{{"order_id", r.order_id},
                   {"status", StatusName(r.status)},
                   {"customer_id", req.customer_id},
                   {"currency", req.currency},
                   {"items", ArrayOf(req.items)},
                   {"total_cents", OrderTotal(r)},
                   {"metadata", StoredMetadata(req.metadata_json)},
                   {"attempts", r.attempts},
                   {"redrives", r.redrives},
                   {"created_at", FormatTime(r.created_us)},
                   {"updated_at", FormatTime(r.updated_us)},
                   {"history", ArrayOf(r.history)},
                   {"attempt_log", ArrayOf(r.attempt_log)}};
  if (r.status == OrderStatus::kRetrying) j["next_attempt_at"] = FormatTime(r.next_attempt_us);
  if (!r.outputs.empty()) j["outputs"] = r.outputs;
  PutIfNotEmpty(j, "reason", r.reason);
  PutIfNotEmpty(j, "traceparent", req.traceparent);
  return j;
}

nlohmann::json ToJson(const Event& e) {
  nlohmann::json j{{"seq", e.seq}, {"time", FormatTime(e.time_us)}, {"topic", EventTopic(e)}};
  PutIfNotEmpty(j, "order_id", e.order_id);
  if (e.status != OrderStatus::kNone) {
    j["status"] = StatusName(e.status);
    j["attempt"] = e.attempt;
  }
  PutIfNotEmpty(j, "node_id", e.node_id);
  PutIfNotEmpty(j, "reason", e.reason);
  PutIfNotEmpty(j, "traceparent", e.traceparent);
  if (!e.data_json.empty()) j["data"] = StoredMetadata(e.data_json);
  return j;
}

nlohmann::json ToJson(const DeadLetter& d) {
  return {{"order_id", d.order_id}, {"reason", d.reason}, {"dead_lettered_at", FormatTime(d.dead_lettered_us)},
          {"attempts", d.attempts}, {"redrives", d.redrives}};
}

nlohmann::json ToJson(const NodeInfo& n) {
  return {{"node_id", n.node_id},     {"host", n.host},
          {"pid", n.pid},             {"credit", n.credit},
          {"in_flight", n.in_flight}, {"connected_at", FormatTime(n.connected_us)},
          {"completed", n.completed}, {"last_heartbeat_at", FormatTime(n.last_heartbeat_us)}};
}

nlohmann::json ToJson(const Stats& s) {
  nlohmann::json by_status = nlohmann::json::object();
  for (int i = 1; i < kNumStatuses; ++i) {
    uint64_t n = static_cast<size_t>(i) < s.orders_by_status.size() ? s.orders_by_status[i] : 0;
    by_status[std::string(StatusName(static_cast<OrderStatus>(i)))] = n;
  }
  return {{"orders_by_status", std::move(by_status)},
          {"backlog", s.backlog},
          {"in_flight", s.in_flight},
          {"accepted_total", s.accepted_total},
          {"retries_total", s.retries_total},
          {"late_results_total", s.late_results_total},
          {"bad_frames_total", s.bad_frames_total},
          {"rejected_total", s.rejected_total},
          {"last_event_seq", s.last_event_seq},
          {"started_at", FormatTime(s.started_us)},
          {"max_backlog", s.max_backlog},
          {"nodes", ArrayOf(s.nodes)}};
}

// ---------------------------------------------------------------- parsing

namespace {

// "string", "number 1.5", "boolean true", "null", "array", "object".
std::string Describe(const Doc& v) {
  if (v.is_number() || v.is_boolean()) return std::string(v.type_name()) + " " + v.dump();
  return v.type_name();
}

std::string Expected(const char* what, const Doc& got) {
  return std::string("expected ") + what + ", got " + Describe(got);
}

// Walks a parsed body, collecting every problem in document order.
class OrderValidator {
 public:
  OrderValidator(const OrderLimits& limits, std::vector<FieldError>* errors) : limits_(limits), errors_(*errors) {}

  OrderRequest Validate(const Doc& body) {
    OrderRequest req;
    req.currency = "USD";
    if (!body.is_object()) {
      Fail("", Expected("a JSON object", body));
      return req;
    }
    for (const auto& field : body.items()) {
      const std::string& key = field.key();
      const Doc& value = field.value();
      if (key == "customer_id") req.customer_id = Id(value, key);
      else if (key == "items") Items(value, &req.items);
      else if (key == "currency") Currency(value, &req.currency);
      else if (key == "metadata") Metadata(value, &req.metadata_json);
      else Fail(key, "unknown field (expected customer_id, items, currency, metadata)");
    }
    Require(body, "", {"customer_id", "items"});
    return req;
  }

 private:
  void Fail(std::string path, std::string message) { errors_.push_back({std::move(path), std::move(message)}); }

  // Reported where the object ends: after the problems inside it.
  void Require(const Doc& object, const std::string& prefix, std::initializer_list<const char*> keys) {
    for (const char* key : keys) {
      if (!object.contains(key)) Fail(prefix + key, "missing required field");
    }
  }

  std::string Id(const Doc& v, const std::string& path) {
    if (!v.is_string()) {
      Fail(path, Expected("a string", v));
      return "";
    }
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty()) {
      Fail(path, "must not be empty");
    } else if (s.size() > limits_.max_id_length) {
      Fail(path, "must be at most " + std::to_string(limits_.max_id_length) + " bytes long, got " +
                     std::to_string(s.size()));
    }
    return s;
  }

  // An integer in [lo, hi], stored in *out when it is one.
  template <typename T>
  void Integer(const Doc& v, const std::string& path, int64_t lo, int64_t hi, T* out) {
    if (!v.is_number_integer()) return Fail(path, Expected("an integer", v));
    // Positive numbers parse as unsigned and may not fit in int64.
    bool too_big = v.is_number_unsigned() ? v.get<uint64_t>() > static_cast<uint64_t>(hi) : v.get<int64_t>() > hi;
    bool too_small = !too_big && v.get<int64_t>() < lo;
    if (too_big || too_small) {
      std::string bound = too_big ? "at most " + std::to_string(hi) : "at least " + std::to_string(lo);
      return Fail(path, "must be " + bound + ", got " + v.dump());
    }
    *out = static_cast<T>(v.get<int64_t>());
  }

  void Items(const Doc& v, std::vector<OrderItem>* items) {
    if (!v.is_array()) return Fail("items", Expected("an array", v));
    if (v.empty()) {
      Fail("items", "must have at least 1 item");
    } else if (v.size() > limits_.max_items) {
      Fail("items", "must have at most " + std::to_string(limits_.max_items) + " items, got " +
                        std::to_string(v.size()));
    }
    for (size_t i = 0; i < v.size(); ++i) items->push_back(Item(v[i], "items[" + std::to_string(i) + "]"));
  }

  OrderItem Item(const Doc& v, const std::string& path) {
    OrderItem item;
    if (!v.is_object()) {
      Fail(path, Expected("an object", v));
      return item;
    }
    for (const auto& field : v.items()) {
      const std::string& key = field.key();
      const Doc& value = field.value();
      std::string at = path + "." + key;
      if (key == "product_id") item.product_id = Id(value, at);
      else if (key == "quantity") Integer(value, at, 1, limits_.max_quantity, &item.quantity);
      else if (key == "unit_price_cents") Integer(value, at, 0, INT64_MAX, &item.unit_price_cents);
      else Fail(at, "unknown field (expected product_id, quantity, unit_price_cents)");
    }
    Require(v, path + ".", {"product_id", "quantity"});
    return item;
  }

  void Currency(const Doc& v, std::string* currency) {
    if (!v.is_string()) return Fail("currency", Expected("a string", v));
    const auto& s = v.get_ref<const std::string&>();
    bool ok = s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (ok) *currency = s;
    else Fail("currency", "must be three upper-case letters such as \"USD\", got \"" + Printable(s, 20) + '"');
  }

  void Metadata(const Doc& v, std::string* metadata_json) {
    if (!v.is_object()) return Fail("metadata", Expected("an object", v));
    std::string text = v.dump();
    if (text.size() > limits_.max_metadata_bytes) {
      return Fail("metadata", "must be at most " + std::to_string(limits_.max_metadata_bytes) +
                                  " bytes as compact JSON, got " + std::to_string(text.size()));
    }
    *metadata_json = std::move(text);
  }

  const OrderLimits& limits_;
  std::vector<FieldError>& errors_;
};

Status Problems(const std::vector<FieldError>& errors) {
  const FieldError& first = errors.front();
  std::string where = first.path.empty() ? "" : first.path + ": ";
  if (errors.size() == 1) return Status::InvalidArgument("1 problem in the order: " + where + first.message);
  return Status::InvalidArgument(std::to_string(errors.size()) + " problems in the order, the first: " + where +
                                 first.message);
}

}  // namespace

Result<OrderRequest> ParseOrderJson(std::string_view body, const OrderLimits& limits,
                                    std::vector<FieldError>* errors) {
  std::vector<FieldError> local;
  std::vector<FieldError>& out = errors ? *errors : local;
  out.clear();
  try {
    Doc doc;
    if (std::string why = ParseBounded(body, &doc); !why.empty()) {
      out.push_back({"", Printable(why)});
      return Problems(out);
    }
    OrderRequest req = OrderValidator(limits, &out).Validate(doc);
    if (!out.empty()) return Problems(out);
    return req;
  } catch (const std::exception& e) {  // only bad_alloc is expected here
    out.assign({FieldError{"", std::string("could not validate the order: ") + e.what()}});
    return Status::Internal(out.front().message);
  }
}

}  // namespace om::proto
