// Helpers for the nodes' unit tests: orders with a catalog, and running one
// step or one pipeline to its end through its waits. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nodes/pipeline.h"

namespace om::node::testing {

inline constexpr int64_t kStart = 5'000'000;

inline proto::CatalogEntry Entry(std::string id, int64_t price, int64_t stock = 100, std::string currency = "USD") {
  return {id, "name of " + id, price, std::move(currency), stock};
}

// An order of `items` whose delivery carries `catalog`.
inline OrderContext Order(std::vector<proto::OrderItem> items, std::vector<proto::CatalogEntry> catalog,
                          std::string order_id = "order-1", uint32_t attempt = 1) {
  OrderContext ctx;
  ctx.order_id = std::move(order_id);
  ctx.attempt = attempt;
  ctx.order.customer_id = "alice";
  ctx.order.items = std::move(items);
  for (auto& e : catalog) ctx.catalog[e.product_id] = e;
  return ctx;
}

// Runs one step at kStart and again at each wake-up time until it stops waiting.
inline StepResult RunStep(Step& step, OrderContext& ctx, int64_t now = kStart) {
  for (int i = 0; i < 100; ++i) {
    ctx.now_mono_us = now;
    StepResult r = step.Run(ctx);
    if (r.kind != StepResult::Kind::kWait) return r;
    EXPECT_GE(r.wait_until_us, now) << "a wait into the past";
    now = r.wait_until_us;
  }
  ADD_FAILURE() << "the step never stopped waiting";
  return StepResult::Terminal("test", "never stopped waiting");
}

// Runs a pipeline to its end, waking at each wait; the result at the end time.
inline proto::NodeResult RunToEnd(const Pipeline& p, OrderContext ctx, int64_t now = kStart) {
  PipelineRun run(&p, 9, std::move(ctx), now);
  for (int i = 0; i < 100 && !run.Advance(now); ++i) now = run.wait_until();
  return run.result(now);
}

inline Pipeline MakePipelineOf(const NodeOptions& options) {
  auto p = Pipeline::Make(options);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return std::move(p).value();
}

}  // namespace om::node::testing
