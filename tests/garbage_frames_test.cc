// Garbage and truncated frames sent to the broker's front and back sockets:
// the broker keeps serving, answers the front with a clear error, counts the
// frames and logs why.
#include <gtest/gtest.h>

#include <random>

#include "protocol/codec.h"
#include "tests/harness.h"

namespace om::test {
namespace {

TEST(GarbageFrames, BrokerKeepsServingAndSaysWhy) {
  Mesh mesh;
  mesh.AddNode();
  ASSERT_TRUE(WaitFor([&] { return mesh.Stats().nodes.size() == 1; }, 10s));

  zmq::context_t ctx(1);
  zmq::socket_t front(ctx, zmq::socket_type::dealer), back(ctx, zmq::socket_type::dealer);
  for (auto* s : {&front, &back}) s->set(zmq::sockopt::linger, 0);
  front.connect(mesh.front());
  back.connect(mesh.back());

  proto::Submit submit;
  submit.order.customer_id = "c";
  submit.order.items = {{"sku", 1, std::nullopt}};
  std::string valid = proto::Encode(77, submit);
  std::mt19937 rng(7);
  int front_sent = 0, back_sent = 0;
  auto send_both = [&](const std::string& bytes) {
    (void)front.send(zmq::buffer(bytes), zmq::send_flags::none);
    (void)back.send(zmq::buffer(bytes), zmq::send_flags::none);
    ++front_sent;
    ++back_sent;
  };
  for (size_t cut = 1; cut < valid.size(); cut += 3) send_both(valid.substr(0, cut));  // truncated
  for (int i = 0; i < 200; ++i) {                                                        // random bytes
    std::string junk(1 + rng() % 300, '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    send_both(junk);
  }
  send_both("");                                                  // empty frame
  // Valid messages on the wrong socket.
  (void)front.send(zmq::buffer(proto::Encode(5, proto::Heartbeat{"wrong socket"})), zmq::send_flags::none);
  (void)back.send(zmq::buffer(valid), zmq::send_flags::none);
  ++front_sent;
  ++back_sent;
  // A multi-part message where one frame is expected.
  (void)front.send(zmq::buffer(valid), zmq::send_flags::sndmore);
  (void)front.send(zmq::buffer(valid), zmq::send_flags::none);
  ++front_sent;

  // The front answers every bad request with an error, never ACCEPTED for junk.
  int errors = 0, not_errors = 0;
  WaitFor(
      [&] {
        zmq::message_t m;
        while (front.recv(m, zmq::recv_flags::dontwait)) {
          auto env = proto::DecodeFrontReply(m.to_string_view());
          auto* e = env.ok() ? std::get_if<proto::Error>(&env->msg) : nullptr;
          if (!e || e->code != proto::ErrorCode::kBadRequest || e->detail.empty()) {
            ++not_errors;
          } else {
            ++errors;
          }
        }
        return errors + not_errors >= front_sent;
      },
      10s);
  EXPECT_EQ(not_errors, 0) << "garbage was answered with something other than a bad_request error";
  EXPECT_EQ(errors, front_sent);

  // Still serving: a good order goes all the way through.
  auto ids = mesh.Submit(5);
  ASSERT_EQ(ids.size(), 5u);
  ASSERT_TRUE(mesh.WaitAllTerminal(5, 10s));
  proto::Stats stats = mesh.Stats();
  EXPECT_GE(stats.bad_frames_total, static_cast<uint64_t>(front_sent + back_sent));
  EXPECT_TRUE(mesh.broker().Running());
  std::string log = ReadFile(mesh.broker().err_path());
  EXPECT_NE(log.find("front: bad frame"), std::string::npos) << log.substr(0, 2000);
  EXPECT_NE(log.find("back: bad frame"), std::string::npos);
  EXPECT_NE(log.find("truncated frame"), std::string::npos);
}

}  // namespace
}  // namespace om::test
