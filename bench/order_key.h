// OrderKey: an order id as 16 bytes, for the bench's bookkeeping of millions
// of orders. ordermesh order ids are UUIDv7 text (36 characters); those map
// to their 128 bits exactly. Any other text (another implementation of the
// protocol) maps to a 128-bit hash of it, which is unique in practice.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace om::bench {

struct OrderKey {
  uint64_t hi = 0;
  uint64_t lo = 0;
  friend bool operator==(const OrderKey&, const OrderKey&) = default;
  friend auto operator<=>(const OrderKey&, const OrderKey&) = default;
};

OrderKey MakeOrderKey(std::string_view order_id);

struct OrderKeyHash {
  size_t operator()(const OrderKey& k) const {
    // UUIDv7: the low half is random, the high half is mostly time.
    return static_cast<size_t>(k.lo ^ (k.hi * 0x9e3779b97f4a7c15ull));
  }
};

}  // namespace om::bench
