// The example step of README.md ("Writing a pipeline step"). It is compiled
// and tested by nodes/example_step_test.cc, which also checks that the README
// quotes the part between the markers verbatim, so the example cannot rot.
// It is not registered in MakeStep(): it is documentation.
#pragma once

#include <memory>
#include <string>

#include "nodes/step.h"

namespace om::node::example {

// [readme-example]
// "minimum_order": refuses orders whose total is below a minimum.
// Runs after "price", whose total it reads from the outputs.
class MinimumOrderStep final : public Step {
 public:
  explicit MinimumOrderStep(int64_t minimum_cents) : minimum_cents_(minimum_cents) {}
  const std::string& name() const override { return name_; }

  StepResult Run(OrderContext& ctx) override {
    auto total = ctx.outputs.find("total_cents");
    if (total == ctx.outputs.end()) {
      return StepResult::Terminal("not_priced", "minimum_order needs the price step before it");
    }
    if (std::stoll(total->second) < minimum_cents_) {
      return StepResult::Terminal("below_minimum", "orders start at " + std::to_string(minimum_cents_) + " cents");
    }
    ctx.outputs["minimum_checked"] = "true";  // outputs end up in the order record
    return StepResult::Ok();
  }
  // Nothing to undo: the default Compensate() is enough.

 private:
  std::string name_ = "minimum_order";
  int64_t minimum_cents_;
};
// [readme-example-end]

}  // namespace om::node::example
