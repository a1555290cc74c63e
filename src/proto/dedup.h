// Duplicate detection for received messages (RFC 7252 section 4.5), for all
// sessions of a context at once. For each recently received message id the
// encoded reply is kept, so a retransmitted CON gets exactly the same
// ACK/response again without the request being processed twice.
//
// Memory is bounded whatever the number of sessions: records live in a
// ring of fixed size, and the oldest are overwritten first. A duplicate
// whose record is gone is processed again, which is what libcoap does with
// every duplicate. Sessions own no dedup state; records are keyed by a
// session serial that changes when a session is reset, so stale records of
// a reset or freed session never match.
#pragma once

#include <cstddef>
#include <cstdint>

namespace coap {

class DedupTable {
 public:
  // Ring size: a few hundred typical replies, enough for the retransmission
  // window of a busy server; the index adds a quarter of it again.
  static constexpr size_t kDefaultRingBytes = 64 * 1024;

  explicit DedupTable(size_t ring_bytes = kDefaultRingBytes);
  ~DedupTable();
  DedupTable(const DedupTable &) = delete;
  DedupTable &operator=(const DedupTable &) = delete;

  // Result of a lookup: the message id was seen, and possibly answered.
  struct Hit {
    bool seen = false;
    const uint8_t *reply = nullptr;  // nullptr: seen but no reply stored
    size_t reply_length = 0;
  };

  // Was mid received from this owner and not yet expired at now?
  Hit find(uint32_t owner, uint16_t mid, uint64_t now) const;
  // find(); when mid is new, it is also remembered until expires (the
  // packet path: one call per received message).
  Hit check(uint32_t owner, uint16_t mid, uint64_t now, uint64_t expires);
  // Records that mid was received, until expires. Returns false when there
  // is no memory for the table (the message is then simply not tracked).
  bool remember(uint32_t owner, uint16_t mid, uint64_t expires);
  // Attaches the reply to the record of a remembered mid (copied).
  void set_reply(uint32_t owner, uint16_t mid, const uint8_t *reply, size_t length);
  // Forgets everything.
  void clear();

 private:
  struct Record;  // header of one ring entry (dedup.cc)

  bool ensure_storage();
  // Virtual ring position of the record for (owner, mid), or kNone.
  uint64_t lookup(uint32_t owner, uint16_t mid) const;
  // Appends a record; returns its virtual position or kNone.
  uint64_t append(uint32_t owner, uint16_t mid, uint64_t expires, const uint8_t *data,
                  size_t length);
  void evict_oldest();
  void index_insert(uint32_t owner, uint16_t mid, uint64_t pos);
  void index_erase(uint32_t owner, uint16_t mid, uint64_t pos);
  size_t home_slot(uint32_t owner, uint16_t mid) const;
  Record *record_at(uint64_t pos) const;

  static constexpr uint64_t kNone = ~uint64_t{0};

  size_t ring_bytes_;          // power of two, multiple of the record unit
  uint8_t *ring_ = nullptr;    // allocated with the first record
  uint32_t *index_ = nullptr;  // open addressing: ring unit + 1, 0 = empty
  size_t index_slots_ = 0;     // power of two
  uint64_t head_ = 0;          // virtual position of the next record
  uint64_t tail_ = 0;          // virtual position of the oldest record
  uint64_t last_ = kNone;      // record remembered last (set_reply() follows)
};

}  // namespace coap
