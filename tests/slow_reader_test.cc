// A client that submits far more than its pipe holds before it reads a
// single reply: the broker's front ROUTER (ZMQ_ROUTER_MANDATORY) finds the
// client's pipe full at the high-water mark and must hold the ACCEPTED
// replies for later turns, not drop them. Every submit gets its reply.
#include <gtest/gtest.h>

#include <set>

#include "protocol/codec.h"
#include "tests/harness.h"

namespace om::test {
namespace {

TEST(SlowReader, EveryAcceptedReplyArrivesPastTheHighWaterMark) {
  // The smallest marks the broker allows, so the replies overflow the pipe
  // and the TCP buffers many times over.
  Mesh mesh({"--hwm", "100"});
  constexpr int kOrders = 30'000;

  zmq::context_t ctx(1);
  zmq::socket_t client(ctx, zmq::socket_type::dealer);
  client.set(zmq::sockopt::linger, 0);
  client.set(zmq::sockopt::sndhwm, 0);    // queue every submit
  client.set(zmq::sockopt::rcvhwm, 100);  // ... but take few replies in
  client.set(zmq::sockopt::rcvbuf, 4096);
  client.connect(mesh.front());

  proto::Submit submit;
  submit.order.customer_id = "slow-reader";
  submit.order.items = {{"sku-1", 1, 100}};
  for (uint64_t id = 1; id <= kOrders; ++id) {
    ASSERT_TRUE(client.send(zmq::buffer(proto::Encode(id, submit)), zmq::send_flags::none));
  }
  // Not one reply read until the broker has accepted every order.
  ASSERT_TRUE(WaitFor([&] { return mesh.Stats().accepted_total == kOrders; }, 60s))
      << "accepted " << mesh.Stats().accepted_total;

  std::set<uint64_t> answered;
  int accepted = 0, other = 0;
  WaitFor(
      [&] {
        zmq::message_t m;
        while (client.recv(m, zmq::recv_flags::dontwait)) {
          auto env = proto::DecodeFrontReply(m.to_string_view());
          if (env.ok() && std::holds_alternative<proto::Accepted>(env->msg)) {
            ++accepted;
            answered.insert(env->id);
          } else {
            ++other;
          }
        }
        return accepted + other >= kOrders;
      },
      30s);
  EXPECT_EQ(other, 0);
  EXPECT_EQ(accepted, kOrders) << "replies lost at the high-water mark";
  EXPECT_EQ(answered.size(), static_cast<size_t>(kOrders)) << "a request id answered twice";
  std::string log = ReadFile(mesh.broker().err_path());
  EXPECT_NE(log.find("replies and 0 deliveries held"), std::string::npos)
      << "the broker did not say it held replies:\n"
      << log.substr(0, 2000);
}

}  // namespace
}  // namespace om::test
