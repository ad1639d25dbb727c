// The codec: typed messages to frame bytes and back. Only this file (and the
// socket owners that pass its bytes to ZeroMQ unchanged) knows the layout.
//
// Decoding never trusts the peer: truncated input, trailing bytes, a wrong
// type anywhere, an out-of-range enum, an unknown message type or protocol
// version all come back as a Status (kCorruption, or kInvalidArgument for an
// unknown version), never as an exception. Sizes are bounded (kMaxFrameBytes,
// and per-container limits) so garbage cannot make the decoder allocate
// without limit. Pure functions: safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "protocol/messages.h"

namespace om::proto {

inline constexpr size_t kMaxFrameBytes = 4 << 20;

struct Header {
  uint32_t version = 0;
  MsgType type = MsgType::kError;
  uint64_t id = 0;
};

// [version, type, id, payload] as msgpack.
template <typename M>
std::string Encode(uint64_t id, const M& msg) {
  msgpack::sbuffer buf(128);
  msgpack::packer<msgpack::sbuffer> pk(buf);
  pk.pack_array(4);
  pk.pack_uint32(kProtocolVersion);
  pk.pack_uint8(static_cast<uint8_t>(M::kType));
  pk.pack_uint64(id);
  pk.pack(msg);
  return std::string(buf.data(), buf.size());
}

// Reads only the header, whatever its version (the caller compares
// `version`): lets a receiver answer an error to the right id even when the
// payload is garbage or the version unknown.
Result<Header> DecodeHeader(std::string_view bytes);

Result<Envelope<FrontRequest>> DecodeFrontRequest(std::string_view bytes);
Result<Envelope<FrontReply>> DecodeFrontReply(std::string_view bytes);
Result<Envelope<NodeToBroker>> DecodeNodeToBroker(std::string_view bytes);
Result<Envelope<BrokerToNode>> DecodeBrokerToNode(std::string_view bytes);
Result<Event> DecodeEvent(std::string_view bytes);

// Stored records (RocksDB values) use the same msgpack encoding, without envelope.
template <typename T>
std::string EncodeRecord(const T& record) {
  msgpack::sbuffer buf(256);
  msgpack::pack(buf, record);
  return std::string(buf.data(), buf.size());
}

// Unpacks exactly one bounded msgpack value covering all of bytes.
Result<msgpack::object_handle> UnpackBounded(std::string_view bytes);

template <typename T>
Result<T> DecodeRecord(std::string_view bytes) {
  auto oh = UnpackBounded(bytes);
  if (!oh.ok()) return oh.status();
  try {
    T record;
    oh->get().convert(record);
    return record;
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("bad stored record: ") + e.what());
  }
}

}  // namespace om::proto
