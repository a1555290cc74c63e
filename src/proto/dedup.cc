#include "proto/dedup.h"

#include <cstring>

#include "util/memory.h"

namespace coap {

// One ring entry: this header, then the reply bytes, padded to whole units.
// A record with owner 0 is padding up to the physical end of the ring (its
// size in `expires`), so no record ever wraps around.
struct DedupTable::Record {
  uint32_t owner;
  uint16_t mid;
  uint16_t length;
  uint64_t expires;
};

namespace {

constexpr size_t kUnit = sizeof(uint64_t) * 2;
static_assert(kUnit == 16, "records are laid out in 16-byte units");

size_t round_up(size_t n) {
  return (n + kUnit - 1) & ~(kUnit - 1);
}

size_t record_size(size_t length) {
  return kUnit + round_up(length);
}

}  // namespace

DedupTable::DedupTable(size_t ring_bytes) {
  size_t bytes = 256;
  while (bytes < ring_bytes) bytes <<= 1;
  ring_bytes_ = bytes;
}

DedupTable::~DedupTable() {
  coap::deallocate(ring_);
}

bool DedupTable::ensure_storage() {
  if (ring_) return true;
  // At most one record per unit; the index keeps its load at or below 1/2.
  size_t slots = ring_bytes_ / kUnit * 2;
  void *mem = coap::allocate(ring_bytes_ + slots * sizeof(uint32_t));
  if (!mem) return false;
  ring_ = static_cast<uint8_t *>(mem);
  index_ = reinterpret_cast<uint32_t *>(ring_ + ring_bytes_);
  index_slots_ = slots;
  std::memset(index_, 0, slots * sizeof(uint32_t));
  head_ = tail_ = 0;
  return true;
}

DedupTable::Record *DedupTable::record_at(uint64_t pos) const {
  return reinterpret_cast<Record *>(ring_ + (pos & (ring_bytes_ - 1)));
}

size_t DedupTable::home_slot(uint32_t owner, uint16_t mid) const {
  uint32_t h = owner * 0x9e3779b1u ^ (static_cast<uint32_t>(mid) * 0x85ebca77u);
  h ^= h >> 16;
  return h & (index_slots_ - 1);
}

uint64_t DedupTable::lookup(uint32_t owner, uint16_t mid) const {
  if (!ring_) return kNone;
  size_t mask = index_slots_ - 1;
  for (size_t i = home_slot(owner, mid);; i = (i + 1) & mask) {
    uint32_t v = index_[i];
    if (v == 0) return kNone;
    uint64_t phys = static_cast<uint64_t>(v - 1) * kUnit;
    const Record *r = record_at(phys);
    if (r->owner != owner || r->mid != mid) continue;
    // Back to a virtual position: indexed records lie in the last
    // ring_bytes_ before head_.
    return head_ - (((head_ - phys - 1) & (ring_bytes_ - 1)) + 1);
  }
}

void DedupTable::index_insert(uint32_t owner, uint16_t mid, uint64_t pos) {
  size_t mask = index_slots_ - 1;
  uint32_t value = static_cast<uint32_t>((pos & (ring_bytes_ - 1)) / kUnit + 1);
  for (size_t i = home_slot(owner, mid);; i = (i + 1) & mask) {
    uint32_t v = index_[i];
    if (v != 0) {
      const Record *r = record_at(static_cast<uint64_t>(v - 1) * kUnit);
      // A newer record for the same message replaces the older one there.
      if (r->owner != owner || r->mid != mid) continue;
    }
    index_[i] = value;
    return;
  }
}

void DedupTable::index_erase(uint32_t owner, uint16_t mid, uint64_t pos) {
  size_t mask = index_slots_ - 1;
  uint32_t value = static_cast<uint32_t>((pos & (ring_bytes_ - 1)) / kUnit + 1);
  size_t i = home_slot(owner, mid);
  for (;; i = (i + 1) & mask) {
    if (index_[i] == 0) return;  // indexed under a newer record, or not at all
    if (index_[i] == value) break;
  }
  // Backward-shift deletion keeps every probe sequence unbroken.
  size_t j = i;
  for (;;) {
    j = (j + 1) & mask;
    uint32_t v = index_[j];
    if (v == 0) break;
    const Record *r = record_at(static_cast<uint64_t>(v - 1) * kUnit);
    size_t k = home_slot(r->owner, r->mid);
    bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
    if (stays) continue;
    index_[i] = v;
    i = j;
  }
  index_[i] = 0;
}

void DedupTable::evict_oldest() {
  Record *r = record_at(tail_);
  size_t size;
  if (r->owner == 0) {
    size = static_cast<size_t>(r->expires);
  } else {
    size = record_size(r->length);
    index_erase(r->owner, r->mid, tail_);
  }
  tail_ += size;
}

uint64_t DedupTable::append(uint32_t owner, uint16_t mid, uint64_t expires, const uint8_t *data,
                            size_t length) {
  size_t size = record_size(length);
  if (length > UINT16_MAX || size > ring_bytes_ / 2) return kNone;
  size_t phys = head_ & (ring_bytes_ - 1);
  if (phys + size > ring_bytes_) {
    // Pad to the end of the ring; the record starts at its beginning.
    size_t pad = ring_bytes_ - phys;
    while (head_ + pad - tail_ > ring_bytes_) evict_oldest();
    Record *p = record_at(head_);
    p->owner = 0;
    p->mid = 0;
    p->length = 0;
    p->expires = pad;
    head_ += pad;
  }
  while (head_ + size - tail_ > ring_bytes_) evict_oldest();
  uint64_t pos = head_;
  Record *r = record_at(pos);
  r->owner = owner;
  r->mid = mid;
  r->length = static_cast<uint16_t>(length);
  r->expires = expires;
  if (length) std::memcpy(r + 1, data, length);
  head_ += size;
  return pos;
}

DedupTable::Hit DedupTable::find(uint32_t owner, uint16_t mid, uint64_t now) const {
  Hit hit;
  uint64_t pos = lookup(owner, mid);
  if (pos == kNone) return hit;
  const Record *r = record_at(pos);
  if (r->expires <= now) return hit;
  hit.seen = true;
  if (r->length) {
    hit.reply = reinterpret_cast<const uint8_t *>(r + 1);
    hit.reply_length = r->length;
  }
  return hit;
}

DedupTable::Hit DedupTable::check(uint32_t owner, uint16_t mid, uint64_t now, uint64_t expires) {
  Hit hit = find(owner, mid, now);
  if (!hit.seen) remember(owner, mid, expires);
  return hit;
}

bool DedupTable::remember(uint32_t owner, uint16_t mid, uint64_t expires) {
  if (!ensure_storage()) return false;
  uint64_t pos = append(owner, mid, expires, nullptr, 0);
  if (pos == kNone) return false;
  index_insert(owner, mid, pos);
  last_ = pos;
  return true;
}

void DedupTable::set_reply(uint32_t owner, uint16_t mid, const uint8_t *reply, size_t length) {
  if (!reply || length == 0 || !ring_) return;
  // Usually the reply to the message remembered last: no lookup.
  uint64_t pos = last_;
  if (pos == kNone || pos < tail_ || record_at(pos)->owner != owner || record_at(pos)->mid != mid) {
    pos = lookup(owner, mid);
    if (pos == kNone) return;
  }
  Record *r = record_at(pos);
  uint64_t expires = r->expires;
  size_t old_size = record_size(r->length);
  size_t new_size = record_size(length);
  size_t phys = pos & (ring_bytes_ - 1);
  // The usual case: the record was the last one written and can grow in
  // place (nothing but older records has to make room).
  if (head_ == pos + old_size && length <= UINT16_MAX && phys + new_size <= ring_bytes_ &&
      new_size <= ring_bytes_ / 2) {
    while (pos + new_size - tail_ > ring_bytes_) evict_oldest();
    r->length = static_cast<uint16_t>(length);
    std::memcpy(r + 1, reply, length);
    head_ = pos + new_size;
    return;
  }
  uint64_t fresh = append(owner, mid, expires, reply, length);
  if (fresh != kNone) index_insert(owner, mid, fresh);
  last_ = fresh;
}

void DedupTable::clear() {
  if (!ring_) return;
  std::memset(index_, 0, index_slots_ * sizeof(uint32_t));
  head_ = tail_ = 0;
  last_ = kNone;
}

}  // namespace coap
