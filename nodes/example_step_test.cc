// The README's example step works as the README says, and the README quotes
// nodes/example_step.h verbatim.
#include "nodes/example_step.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "nodes/step_test_util.h"

namespace om::node {
namespace {

using example::MinimumOrderStep;
using testing::Order;
using testing::RunStep;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The lines after the line that ends `begin`, up to the line holding `end`.
std::string Between(const std::string& text, const std::string& begin, const std::string& end) {
  size_t from = text.find(begin);
  if (from == std::string::npos) return "";
  from = text.find('\n', from + begin.size()) + 1;
  size_t to = text.find(end, from);
  if (to == std::string::npos) return "";
  to = text.rfind('\n', to) + 1;
  return text.substr(from, to - from);
}

TEST(ExampleStep, RefusesOrdersBelowTheMinimum) {
  MinimumOrderStep step(500);
  OrderContext below = Order({}, {});
  below.outputs["total_cents"] = "499";
  EXPECT_EQ(RunStep(step, below).error_code, "below_minimum");
  OrderContext at = Order({}, {});
  at.outputs["total_cents"] = "500";
  EXPECT_EQ(RunStep(step, at).kind, StepResult::Kind::kOk);
  EXPECT_EQ(at.outputs["minimum_checked"], "true");
  OrderContext unpriced = Order({}, {});
  EXPECT_EQ(RunStep(step, unpriced).error_code, "not_priced");
}

TEST(ExampleStep, ReadmeQuotesTheExampleVerbatim) {
  const std::string source = Between(ReadFile(std::string(ORDERMESH_SOURCE_DIR) + "/nodes/example_step.h"),
                                     "// [readme-example]", "// [readme-example-end]");
  ASSERT_FALSE(source.empty());
  const std::string readme = ReadFile(std::string(ORDERMESH_SOURCE_DIR) + "/README.md");
  const std::string quoted = Between(readme, "<!-- example_step.h -->\n```cpp", "```");
  EXPECT_EQ(quoted, source) << "README.md's example differs from nodes/example_step.h: copy it over";
}

}  // namespace
}  // namespace om::node
