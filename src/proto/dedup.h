// Duplicate detection for received messages (RFC 7252 section 4.5). For
// each recently answered message id the encoded reply is kept, so a
// retransmitted CON gets exactly the same ACK/response again without the
// request being processed twice. Bounded per session: a peer limited by
// NSTART has few exchanges in flight, and an old entry only matters until
// EXCHANGE_LIFETIME has passed.
#pragma once

#include <cstddef>
#include <cstdint>

namespace coap {

class DedupCache {
 public:
  static constexpr size_t kSlots = 4;

  DedupCache() = default;
  ~DedupCache() { clear(); }
  DedupCache(const DedupCache &) = delete;
  DedupCache &operator=(const DedupCache &) = delete;

  // Result of a lookup: the message id was seen, and possibly answered.
  struct Hit {
    bool seen = false;
    const uint8_t *reply = nullptr;  // nullptr: seen but no reply stored
    size_t reply_length = 0;
  };

  Hit find(uint16_t mid, uint64_t now) const;
  // Records that mid was received (and how it was answered: reply may be
  // nullptr when nothing was sent back). Copies the reply bytes.
  void remember(uint16_t mid, const uint8_t *reply, size_t length, uint64_t expires);
  // Attaches a reply to an already remembered mid (e.g. a response sent
  // after the handler returned).
  void set_reply(uint16_t mid, const uint8_t *reply, size_t length);
  void clear();
  bool empty() const;

 private:
  struct Slot {
    uint64_t expires = 0;  // 0: free
    uint8_t *reply = nullptr;
    uint32_t reply_length = 0;
    uint16_t mid = 0;
  };
  Slot slots_[kSlots];
  uint8_t next_ = 0;  // slot to overwrite when all are in use
};

}  // namespace coap
