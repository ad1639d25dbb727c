#include "protocol/codec.h"

#include <exception>

namespace om::proto {
namespace {

// Bounds for one frame: no container or string may be larger than a frame
// could legitimately hold, and nesting stays shallow.
const msgpack::unpack_limit kLimits(/*array=*/1 << 20, /*map=*/1 << 16, /*str=*/kMaxFrameBytes,
                                    /*bin=*/kMaxFrameBytes, /*ext=*/1024, /*depth=*/16);

}  // namespace

Result<msgpack::object_handle> UnpackBounded(std::string_view bytes) {
  if (bytes.empty()) return Status::Corruption("empty frame");
  if (bytes.size() > kMaxFrameBytes) {
    return Status::Corruption("frame of " + std::to_string(bytes.size()) + " bytes exceeds the limit");
  }
  try {
    size_t offset = 0;
    msgpack::object_handle oh = msgpack::unpack(bytes.data(), bytes.size(), offset, nullptr, nullptr, kLimits);
    if (offset != bytes.size()) {
      return Status::Corruption(std::to_string(bytes.size() - offset) + " trailing bytes after the message");
    }
    return oh;
  } catch (const msgpack::insufficient_bytes&) {
    return Status::Corruption("truncated frame");
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("undecodable frame: ") + e.what());
  }
}

namespace {

Result<Header> ReadHeader(const msgpack::object& o) {
  if (o.type != msgpack::type::ARRAY || o.via.array.size != 4) {
    return Status::Corruption("not a message: expected an array [version, type, id, payload]");
  }
  const msgpack::object* f = o.via.array.ptr;
  if (f[0].type != msgpack::type::POSITIVE_INTEGER || f[1].type != msgpack::type::POSITIVE_INTEGER ||
      f[2].type != msgpack::type::POSITIVE_INTEGER) {
    return Status::Corruption("message header fields must be unsigned integers");
  }
  if (f[0].via.u64 > UINT32_MAX) return Status::Corruption("protocol version out of range");
  if (f[1].via.u64 > 255) return Status::Corruption("message type out of range");
  return Header{static_cast<uint32_t>(f[0].via.u64), static_cast<MsgType>(f[1].via.u64), f[2].via.u64};
}

Status CheckVersion(const Header& h) {
  if (h.version == kProtocolVersion) return Status::Ok();
  return Status::InvalidArgument("unsupported protocol version " + std::to_string(h.version) +
                                 " (this side speaks " + std::to_string(kProtocolVersion) + ")");
}

// Converts the payload into the alternative of V whose kType matches.
template <typename V, size_t I = 0>
Result<V> ConvertPayload(MsgType type, const msgpack::object& payload) {
  if constexpr (I == std::variant_size_v<V>) {
    return Status::Corruption("unexpected message type " + std::to_string(static_cast<int>(type)) + " on this socket");
  } else {
    using Alt = std::variant_alternative_t<I, V>;
    if (Alt::kType != type) return ConvertPayload<V, I + 1>(type, payload);
    if (payload.type != msgpack::type::ARRAY) return Status::Corruption("payload is not an array");
    try {
      Alt msg;
      payload.convert(msg);
      return V(std::move(msg));
    } catch (const std::exception& e) {
      return Status::Corruption("bad payload for message type " + std::to_string(static_cast<int>(type)) + ": " +
                                e.what());
    }
  }
}

template <typename V>
Result<Envelope<V>> DecodeAs(std::string_view bytes) {
  auto oh = UnpackBounded(bytes);
  if (!oh.ok()) return oh.status();
  const msgpack::object& o = oh->get();
  auto h = ReadHeader(o);
  if (!h.ok()) return h.status();
  if (Status st = CheckVersion(*h); !st.ok()) return st;
  auto v = ConvertPayload<V>(h->type, o.via.array.ptr[3]);
  if (!v.ok()) return v.status();
  return Envelope<V>{h->version, h->id, std::move(v).value()};
}

}  // namespace

Result<Header> DecodeHeader(std::string_view bytes) {
  auto oh = UnpackBounded(bytes);
  if (!oh.ok()) return oh.status();
  return ReadHeader(oh->get());
}

Result<Envelope<FrontRequest>> DecodeFrontRequest(std::string_view b) { return DecodeAs<FrontRequest>(b); }
Result<Envelope<FrontReply>> DecodeFrontReply(std::string_view b) { return DecodeAs<FrontReply>(b); }
Result<Envelope<NodeToBroker>> DecodeNodeToBroker(std::string_view b) { return DecodeAs<NodeToBroker>(b); }
Result<Envelope<BrokerToNode>> DecodeBrokerToNode(std::string_view b) { return DecodeAs<BrokerToNode>(b); }

Result<Event> DecodeEvent(std::string_view bytes) {
  auto env = DecodeAs<std::variant<EventMsg>>(bytes);
  if (!env.ok()) return env.status();
  return std::get<EventMsg>(env->msg).event;
}

}  // namespace om::proto
