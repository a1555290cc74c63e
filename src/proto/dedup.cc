#include "proto/dedup.h"

#include <cstring>

#include "util/memory.h"

namespace coap {

DedupCache::Hit DedupCache::find(uint16_t mid, uint64_t now) const {
  Hit hit;
  for (const Slot &s : slots_) {
    if (s.expires && s.expires > now && s.mid == mid) {
      hit.seen = true;
      hit.reply = s.reply;
      hit.reply_length = s.reply_length;
      break;
    }
  }
  return hit;
}

void DedupCache::remember(uint16_t mid, const uint8_t *reply, size_t length, uint64_t expires) {
  // Reuse the slot of the same mid, else a free or expired one... the
  // caller's `now` is not known here, so prefer free, then round-robin.
  Slot *slot = nullptr;
  for (Slot &s : slots_) {
    if (s.expires && s.mid == mid) slot = &s;
  }
  if (!slot) {
    for (Slot &s : slots_) {
      if (!s.expires) {
        slot = &s;
        break;
      }
    }
  }
  if (!slot) {
    slot = &slots_[next_];
    next_ = static_cast<uint8_t>((next_ + 1) % kSlots);
  }
  coap::deallocate(slot->reply);
  slot->reply = nullptr;
  slot->reply_length = 0;
  slot->mid = mid;
  slot->expires = expires ? expires : 1;
  set_reply(mid, reply, length);
}

void DedupCache::set_reply(uint16_t mid, const uint8_t *reply, size_t length) {
  for (Slot &s : slots_) {
    if (!s.expires || s.mid != mid) continue;
    coap::deallocate(s.reply);
    s.reply = nullptr;
    s.reply_length = 0;
    if (reply && length) {
      s.reply = static_cast<uint8_t *>(coap::allocate(length));
      if (s.reply) {
        std::memcpy(s.reply, reply, length);
        s.reply_length = static_cast<uint32_t>(length);
      }
    }
    return;
  }
}

void DedupCache::clear() {
  for (Slot &s : slots_) {
    coap::deallocate(s.reply);
    s = Slot();
  }
}

bool DedupCache::empty() const {
  for (const Slot &s : slots_) {
    if (s.expires) return false;
  }
  return true;
}

}  // namespace coap
