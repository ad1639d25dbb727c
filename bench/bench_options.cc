#include "bench/bench_options.h"

#include <cstdlib>

namespace om::bench {

Status ParseRate(const std::string& text, double* rate) {
  if (text == "max") {
    *rate = 0;
    return Status::Ok();
  }
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(v > 0) || v > 1e8) {
    return Status::InvalidArgument("--rate " + text + ": expected 'max' or a number of orders per second (0 < r <= 1e8)");
  }
  *rate = v;
  return Status::Ok();
}

Status Validate(BenchOptions& o) {
  if (Status st = ParseRate(o.rate_text, &o.rate); !st.ok()) return st;
  if (o.echo && o.spawn) return Status::InvalidArgument("--spawn does not go with echo: echo runs its own server");
  if (o.bare_http && (o.spawn || o.echo)) {
    return Status::InvalidArgument("bare-http runs its own server: no --spawn, no echo");
  }
  if (o.bare_http) {
    o.target = "http://127.0.0.1:0";
    o.window_on = WindowOn::kAccept;  // there is no broker and no event to wait for
  }
  if (o.target.rfind("https://", 0) == 0) return Status::InvalidArgument("--target: https is not supported");
  if (!o.chaos.empty() && !o.spawn) return Status::InvalidArgument("--chaos needs --spawn (it kills spawned nodes)");
  if (o.products < 0) return Status::InvalidArgument("--products must be >= 0");
  if (o.count == 0 && o.duration_s <= 0) o.duration_s = 10;
  if (o.count > 0 && o.duration_s > 0) {
    return Status::InvalidArgument("give --count or --duration, not both");
  }
  if (!o.sets.empty() && !o.spawn) return Status::InvalidArgument("--set only applies to --spawn");
  if (o.echo_transport != "tcp" && o.echo_transport != "inproc") {
    return Status::InvalidArgument("--transport must be tcp or inproc");
  }
  return Status::Ok();
}

}  // namespace om::bench
