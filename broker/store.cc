#include "broker/store.h"

#include <filesystem>

#include "protocol/codec.h"

namespace om::broker {
namespace {

const char* const kFamilies[] = {"default", "orders", "status_index", "dead_letters", "idempotency", "events", "ledger", "catalog"};

Status FromRocks(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) return Status::Ok();
  if (s.IsNotFound()) return Status::NotFound(what);
  if (s.IsCorruption()) return Status::Corruption(what + ": " + s.ToString());
  return Status::IoError(what + ": " + s.ToString());
}

std::string IndexKey(proto::OrderStatus status, const std::string& order_id) {
  std::string k;
  k.reserve(1 + order_id.size());
  k.push_back(static_cast<char>(status));
  k += order_id;
  return k;
}

const char kStockPrefix[] = "stock/";
const char kCatalogLoadedKey[] = "meta/catalog_loaded";

std::string EncodeInt64(int64_t v) {
  std::string out(8, '\0');
  auto u = static_cast<uint64_t>(v);
  for (int i = 7; i >= 0; --i, u >>= 8) out[i] = static_cast<char>(u & 0xff);
  return out;
}

Result<int64_t> DecodeInt64(std::string_view bytes) {
  if (bytes.size() != 8) return Status::Corruption("ledger counter of " + std::to_string(bytes.size()) + " bytes");
  uint64_t u = 0;
  for (unsigned char c : bytes) u = (u << 8) | c;
  return static_cast<int64_t>(u);
}

uint64_t DecodeSeq(const rocksdb::Slice& key) {
  uint64_t seq = 0;
  for (size_t i = 0; i < 8 && i < key.size(); ++i) seq = (seq << 8) | static_cast<uint8_t>(key[i]);
  return seq;
}

}  // namespace

std::string EventKey(uint64_t seq) {
  std::string k(8, '\0');
  for (int i = 7; i >= 0; --i, seq >>= 8) k[i] = static_cast<char>(seq & 0xff);
  return k;
}

// ---- StoreBatch ----

void StoreBatch::PutOrder(const proto::OrderRecord& rec, std::optional<proto::OrderStatus> old_status) {
  batch_.Put(store_->orders_, rec.order_id, proto::EncodeRecord(rec));
  if (old_status == rec.status) return;
  if (old_status) batch_.Delete(store_->status_index_, IndexKey(*old_status, rec.order_id));
  batch_.Put(store_->status_index_, IndexKey(rec.status, rec.order_id), "");
}

void StoreBatch::PutEvent(const proto::Event& ev) {
  batch_.Put(store_->events_, EventKey(ev.seq), proto::EncodeRecord(ev));
}

void StoreBatch::PutDeadLetter(const proto::DeadLetter& dl) {
  batch_.Put(store_->dead_letters_, dl.order_id, proto::EncodeRecord(dl));
}

void StoreBatch::DeleteDeadLetter(const std::string& order_id) { batch_.Delete(store_->dead_letters_, order_id); }

void StoreBatch::PutIdempotency(const std::string& key, const IdempotencyEntry& e) {
  batch_.Put(store_->idempotency_, key, proto::EncodeRecord(e));
}

void StoreBatch::DeleteIdempotency(const std::string& key) { batch_.Delete(store_->idempotency_, key); }

void StoreBatch::PutCatalogEntry(const proto::CatalogEntry& entry) {
  batch_.Put(store_->catalog_, entry.product_id, proto::EncodeRecord(entry));
  PutStock(entry.product_id, entry.stock);
}

void StoreBatch::PutStock(const std::string& product_id, int64_t stock) {
  batch_.Put(store_->ledger_, kStockPrefix + product_id, EncodeInt64(stock));
}

void StoreBatch::MarkCatalogLoaded() { batch_.Put(store_->ledger_, kCatalogLoadedKey, ""); }

// ---- Store ----

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, Durability durability) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create data directory " + dir + ": " + ec.message());

  rocksdb::DBOptions db_opts;
  db_opts.create_if_missing = true;
  db_opts.create_missing_column_families = true;
  db_opts.max_background_jobs = 2;
  rocksdb::ColumnFamilyOptions cf_opts;
  cf_opts.OptimizeLevelStyleCompaction();
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const char* name : kFamilies) cfs.emplace_back(name, cf_opts);

  std::unique_ptr<Store> store(new Store());
  store->durability_ = durability;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_opts, dir, cfs, &store->handles_, &db);
  if (!s.ok()) return Status::IoError("cannot open RocksDB at " + dir + ": " + s.ToString());
  store->db_.reset(db);
  store->orders_ = store->handles_[1];
  store->status_index_ = store->handles_[2];
  store->dead_letters_ = store->handles_[3];
  store->idempotency_ = store->handles_[4];
  store->events_ = store->handles_[5];
  store->ledger_ = store->handles_[6];
  store->catalog_ = store->handles_[7];
  return store;
}

Store::~Store() {
  if (!db_) return;
  for (auto* h : handles_) (void)db_->DestroyColumnFamilyHandle(h);
  (void)db_->Close();
}

Status Store::Commit(StoreBatch& batch) {
  if (batch.empty()) return Status::Ok();
  rocksdb::WriteOptions wo;
  wo.sync = durability_ == Durability::kSync;
  Status st = FromRocks(db_->Write(wo, &batch.batch_), "write batch");
  batch.batch_.Clear();
  return st;
}

Status Store::Get(rocksdb::ColumnFamilyHandle* cf, const std::string& key, std::string* value) const {
  return FromRocks(db_->Get(rocksdb::ReadOptions(), cf, key, value), key);
}

Result<proto::OrderRecord> Store::GetOrder(const std::string& order_id) const {
  std::string v;
  Status st = Get(orders_, order_id, &v);
  if (!st.ok()) return st.code() == Code::kNotFound ? Status::NotFound("order " + order_id + " is unknown") : st;
  return proto::DecodeRecord<proto::OrderRecord>(v);
}

Result<proto::DeadLetter> Store::GetDeadLetter(const std::string& order_id) const {
  std::string v;
  Status st = Get(dead_letters_, order_id, &v);
  if (!st.ok()) {
    return st.code() == Code::kNotFound ? Status::NotFound("order " + order_id + " is not in the dead-letter store")
                                        : st;
  }
  return proto::DecodeRecord<proto::DeadLetter>(v);
}

Result<IdempotencyEntry> Store::GetIdempotency(const std::string& key) const {
  std::string v;
  Status st = Get(idempotency_, key, &v);
  if (!st.ok()) return st;
  return proto::DecodeRecord<IdempotencyEntry>(v);
}

Status Store::ScanStatus(proto::OrderStatus status, const std::string& after,
                         const std::function<bool(const std::string&)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), status_index_));
  const std::string prefix(1, static_cast<char>(status));
  std::string start = prefix + after;
  for (it->Seek(start); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (!after.empty() && it->key() == start) continue;
    if (!fn(it->key().ToString().substr(1))) break;
  }
  return FromRocks(it->status(), "scan status index");
}

Result<std::vector<uint64_t>> Store::CountByStatus() const {
  std::vector<uint64_t> counts(proto::kNumStatuses, 0);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), status_index_));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto s = static_cast<uint8_t>(it->key()[0]);
    if (s < counts.size()) ++counts[s];
  }
  Status st = FromRocks(it->status(), "count status index");
  if (!st.ok()) return st;
  return counts;
}

Status Store::ScanDeadLetters(const std::string& after, const std::function<bool(const proto::DeadLetter&)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), dead_letters_));
  for (after.empty() ? it->SeekToFirst() : it->Seek(after); it->Valid(); it->Next()) {
    if (!after.empty() && it->key() == after) continue;
    auto dl = proto::DecodeRecord<proto::DeadLetter>(it->value().ToStringView());
    if (!dl.ok()) return dl.status();
    if (!fn(*dl)) break;
  }
  return FromRocks(it->status(), "scan dead letters");
}

Status Store::ScanIdempotency(const std::function<bool(const std::string&, const IdempotencyEntry&)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), idempotency_));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto e = proto::DecodeRecord<IdempotencyEntry>(it->value().ToStringView());
    if (!e.ok()) return e.status();
    if (!fn(it->key().ToString(), *e)) break;
  }
  return FromRocks(it->status(), "scan idempotency keys");
}

Result<std::vector<proto::Event>> Store::EventsSince(uint64_t after_seq, size_t limit) const {
  std::vector<proto::Event> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), events_));
  for (it->Seek(EventKey(after_seq + 1)); it->Valid() && out.size() < limit; it->Next()) {
    auto ev = proto::DecodeRecord<proto::Event>(it->value().ToStringView());
    if (!ev.ok()) return ev.status();
    out.push_back(std::move(ev).value());
  }
  Status st = FromRocks(it->status(), "read events");
  if (!st.ok()) return st;
  return out;
}

std::pair<uint64_t, uint64_t> Store::EventRange() const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), events_));
  it->SeekToFirst();
  if (!it->Valid()) return {0, 0};
  uint64_t first = DecodeSeq(it->key());
  it->SeekToLast();
  return {first, DecodeSeq(it->key())};
}

Status Store::TrimEvents(uint64_t first_kept) {
  rocksdb::WriteOptions wo;
  return FromRocks(db_->DeleteRange(wo, events_, EventKey(0), EventKey(first_kept)), "trim events");
}

Result<std::vector<proto::CatalogEntry>> Store::LoadCatalog() const {
  std::vector<proto::CatalogEntry> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), catalog_));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto entry = proto::DecodeRecord<proto::CatalogEntry>(it->value().ToStringView());
    if (!entry.ok()) return Status::Corruption("catalog entry " + it->key().ToString() + ": " + entry.status().message());
    std::string stock;
    Status st = Get(ledger_, kStockPrefix + entry->product_id, &stock);
    if (!st.ok()) return Status::Corruption("no stock counter for product " + entry->product_id + ": " + st.message());
    auto units = DecodeInt64(stock);
    if (!units.ok()) return units.status();
    entry->stock = *units;
    out.push_back(std::move(entry).value());
  }
  if (!it->status().ok()) return FromRocks(it->status(), "catalog scan");
  return out;
}

Result<bool> Store::CatalogLoaded() const {
  std::string v;
  Status st = Get(ledger_, kCatalogLoadedKey, &v);
  if (st.ok()) return true;
  if (st.code() == Code::kNotFound) return false;
  return st;
}

}  // namespace om::broker
