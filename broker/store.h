// Store: the broker's RocksDB database, its only persistent state.
//
// Column families (keys → values, values msgpack-encoded by protocol/codec.h):
//   orders        order_id                     → OrderRecord
//   status_index  [status byte] + order_id      → ""   (lists by status; the
//                 PENDING/RETRYING entries are the durable queue)
//   dead_letters  order_id                     → DeadLetter
//   idempotency   key                          → IdempotencyEntry
//   events        big-endian u64 seq           → Event
//   catalog       product id                   → CatalogEntry (stock not used: see ledger)
//   ledger        "stock/" + product id        → int64 (8 bytes big-endian), the units on hand;
//                 "meta/catalog_loaded"        → "" once the catalog was seeded or set
//
// Writes go through a StoreBatch committed with Commit(): one WriteBatch,
// WAL-synced when durability is kSync. Reads see only committed data.
// NotFound is a value (Code::kNotFound), not an error.
//
// Thread-safety: the broker loop thread owns the Store; RocksDB itself is
// thread-safe, but nothing here relies on that.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "common/status.h"
#include "protocol/types.h"

namespace om::broker {

enum class Durability { kSync, kAsync };

struct IdempotencyEntry {
  uint64_t fingerprint = 0;
  std::string order_id;
  int64_t created_us = 0;
  MSGPACK_DEFINE(fingerprint, order_id, created_us)
};

// Mutations collected during one loop turn.
class StoreBatch {
 public:
  // Writes rec and moves its status-index entry from old_status (if any).
  void PutOrder(const proto::OrderRecord& rec, std::optional<proto::OrderStatus> old_status);
  void PutEvent(const proto::Event& ev);
  void PutDeadLetter(const proto::DeadLetter& dl);
  void DeleteDeadLetter(const std::string& order_id);
  void PutIdempotency(const std::string& key, const IdempotencyEntry& e);
  void DeleteIdempotency(const std::string& key);
  // Writes the entry and its stock counter.
  void PutCatalogEntry(const proto::CatalogEntry& entry);
  void PutStock(const std::string& product_id, int64_t stock);
  void MarkCatalogLoaded();
  bool empty() const { return batch_.Count() == 0; }
  size_t count() const { return batch_.Count(); }

 private:
  friend class Store;
  explicit StoreBatch(class Store* store) : store_(store) {}
  class Store* store_;
  rocksdb::WriteBatch batch_;
};

class Store {
 public:
  static Result<std::unique_ptr<Store>> Open(const std::string& dir, Durability durability);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  StoreBatch NewBatch() { return StoreBatch(this); }
  // Writes the batch atomically (synced when durability is kSync) and clears it.
  Status Commit(StoreBatch& batch);

  Result<proto::OrderRecord> GetOrder(const std::string& order_id) const;
  Result<proto::DeadLetter> GetDeadLetter(const std::string& order_id) const;
  Result<IdempotencyEntry> GetIdempotency(const std::string& key) const;

  // Calls fn for up to limit order ids with this status, in id (= time)
  // order, strictly after `after` ("" = from the start). Stops when fn returns false.
  Status ScanStatus(proto::OrderStatus status, const std::string& after,
                    const std::function<bool(const std::string& order_id)>& fn) const;
  // Number of index entries for each status (index = status value).
  Result<std::vector<uint64_t>> CountByStatus() const;
  // Dead letters in order-id order, strictly after `after`.
  Status ScanDeadLetters(const std::string& after, const std::function<bool(const proto::DeadLetter&)>& fn) const;
  // Idempotency entries created before cutoff_us, for expiry.
  Status ScanIdempotency(const std::function<bool(const std::string& key, const IdempotencyEntry&)>& fn) const;

  // Every catalog entry with its stock from the ledger, by product id.
  Result<std::vector<proto::CatalogEntry>> LoadCatalog() const;
  // Whether the catalog was ever seeded from the file or set by an operator.
  Result<bool> CatalogLoaded() const;

  // Events with seq > after_seq, at most limit.
  Result<std::vector<proto::Event>> EventsSince(uint64_t after_seq, size_t limit) const;
  // Lowest and highest seq in the log (0, 0 when empty).
  std::pair<uint64_t, uint64_t> EventRange() const;
  // Deletes every event with seq < first_kept.
  Status TrimEvents(uint64_t first_kept);

  Durability durability() const { return durability_; }

 private:
  friend class StoreBatch;
  Store() = default;
  Status Get(rocksdb::ColumnFamilyHandle* cf, const std::string& key, std::string* value) const;

  Durability durability_ = Durability::kSync;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* orders_ = nullptr;
  rocksdb::ColumnFamilyHandle* status_index_ = nullptr;
  rocksdb::ColumnFamilyHandle* dead_letters_ = nullptr;
  rocksdb::ColumnFamilyHandle* idempotency_ = nullptr;
  rocksdb::ColumnFamilyHandle* events_ = nullptr;
  rocksdb::ColumnFamilyHandle* ledger_ = nullptr;
  rocksdb::ColumnFamilyHandle* catalog_ = nullptr;
};

// Key of an event: its seq, big-endian, so keys sort by seq.
std::string EventKey(uint64_t seq);

}  // namespace om::broker
