#include "bench/order_key.h"

namespace om::bench {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

uint64_t Fnv1a(std::string_view s, uint64_t h) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

}  // namespace

OrderKey MakeOrderKey(std::string_view id) {
  // xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx
  if (id.size() == 36 && id[8] == '-' && id[13] == '-' && id[18] == '-' && id[23] == '-') {
    uint64_t half[2] = {0, 0};
    int digits = 0;
    bool ok = true;
    for (size_t i = 0; i < id.size() && ok; ++i) {
      if (i == 8 || i == 13 || i == 18 || i == 23) continue;
      int v = HexValue(id[i]);
      ok = v >= 0;
      half[digits / 16] = (half[digits / 16] << 4) | static_cast<uint64_t>(v);
      ++digits;
    }
    if (ok) return {half[0], half[1]};
  }
  // Not a UUID: two independent 64-bit hashes (different offset bases).
  return {Fnv1a(id, 0xcbf29ce484222325ull), Fnv1a(id, 0x84222325cbf29ce4ull) | 1};
}

}  // namespace om::bench
