#include "core/blockwise_state.h"

#include <cstring>

#include "core/blockwise.h"
#include "core/context.h"
#include "core/messaging.h"
#include "core/session.h"
#include "runtime/log.h"
#include "util/bytes.h"
#include "util/container_of.h"
#include "wire/pdu.h"

namespace coap::blockwise {

namespace {

// How long a completely sent body is kept for repeated block requests
// (libcoap's idle timeout without Q-Block).
constexpr uint64_t kSentBodyKeepMs = 8000;
// How long an upload whose last block came before a missing one waits.
constexpr uint64_t kMissingBlockWaitMs = 10000;

void send_missing_block_error(coap_session_t *s, LgSrcv *srcv, uint64_t now) {
  // A separate NON 4.08 tells the client which exchange failed (its last
  // token); RFC 7252 section 5.2.3 allows NON for it.
  coap_pdu_t *pdu =
      coap_pdu_t::create(COAP_MESSAGE_NON, static_cast<coap_pdu_code_t>(COAP_RESPONSE_CODE(408)),
                         s->next_mid(), s->max_pdu_size());
  if (!pdu) return;
  if (srcv->has_last_token) pdu->add_token(srcv->last_token.data(), srcv->last_token.size());
  static const char kText[] = "Missing interim block";
  if (uint8_t *p = pdu->add_payload(sizeof(kText) - 1)) std::memcpy(p, kText, sizeof(kText) - 1);
  send_pdu(s, pdu, now);
}

// One expired transfer is removed per call (callbacks may change the
// lists); returns false when nothing was due. *next gets the earliest
// future deadline.
bool expire_one(BlockState *st, uint64_t now, uint64_t *next) {
  coap_session_t *s = st->session;
  uint64_t wait = max_transmit_wait_ms(s);
  *next = UINT64_MAX;
  for (LgXmit *x = st->xmits.front(); x; x = st->xmits.next(x)) {
    if (x->last_all_sent) {
      uint64_t due = x->last_all_sent + kSentBodyKeepMs;
      if (due <= now) {
        LOGD("block: sent body of %zu bytes no longer kept\n", x->length);
        delete_xmit(st, x);
        return true;
      }
      if (due < *next) *next = due;
    } else if (x->last_sent) {
      uint64_t due = x->last_sent + wait;
      if (due <= now) {
        LOGD("block: sending a body of %zu bytes stalled, given up\n", x->length);
        delete_xmit(st, x);
        s->context->notify(s, COAP_EVENT_XMIT_BLOCK_FAIL);
        return true;
      }
      if (due < *next) *next = due;
    }
  }
  for (LgCrcv *c = st->crcvs.front(); c; c = st->crcvs.next(c)) {
    if (c->observe_set || !c->last_used) continue;
    uint64_t due = c->last_used + wait;
    if (due <= now) {
      LOGD("block: receiving a response body stalled, given up\n");
      delete_crcv(st, c);
      return true;
    }
    if (due < *next) *next = due;
  }
  for (LgSrcv *r = st->srcvs.front(); r; r = st->srcvs.next(r)) {
    if (!r->last_used) continue;
    uint64_t due = r->last_used + (r->no_more_seen ? kMissingBlockWaitMs : wait);
    if (due <= now) {
      LOGD("block: receiving a request body stalled, given up\n");
      if (r->no_more_seen && r->block_option == COAP_OPTION_BLOCK1) {
        send_missing_block_error(s, r, now);
      }
      delete_srcv(st, r);
      return true;
    }
    if (due < *next) *next = due;
  }
  return false;
}

void on_timer(Timer *t, uint64_t now) {
  BlockState *st = container_of(t, &BlockState::timer);
  uint64_t next = UINT64_MAX;
  while (expire_one(st, now, &next)) {
  }
  if (next != UINT64_MAX) st->session->context->timers.schedule(&st->timer, next);
}

}  // namespace

bool Body::reserve(size_t capacity) {
  if (capacity <= cap_) return true;
  void *p = coap::reallocate(buf_, capacity);
  if (!p) return false;
  buf_ = static_cast<uint8_t *>(p);
  cap_ = capacity;
  return true;
}

bool Body::put(size_t offset, const uint8_t *data, size_t length, size_t size_hint) {
  if (offset > SIZE_MAX - length) return false;
  // The hint comes from the peer (Size1/Size2): trusted for a single
  // allocation only up to a bound; beyond it the body grows as data comes.
  if (size_hint > kMaxSizeHint) size_hint = 0;
  size_t end = offset + length;
  if (end > cap_) {
    size_t want = end;
    if (size_hint > want) want = size_hint;
    if (cap_ > SIZE_MAX / 2) return false;
    if (cap_ * 2 > want) want = cap_ * 2;
    if (!reserve(want)) return false;
  }
  if (end > size_) {
    // Bytes between the old end and this piece were never received.
    if (offset > size_) std::memset(buf_ + size_, 0, offset - size_);
    size_ = end;
  }
  if (length) std::memcpy(buf_ + offset, data, length);
  return true;
}

void Body::clear() {
  coap::deallocate(buf_);
  buf_ = nullptr;
  size_ = cap_ = 0;
}

bool ReceivedBlocks::has(uint32_t unit) const {
  for (size_t i = 0; i < used_; ++i) {
    if (unit < range_[i].begin) return false;
    if (unit <= range_[i].end) return true;
  }
  return false;
}

bool ReceivedBlocks::add(uint32_t first, uint32_t last, bool final) {
  if (total_units_ && last >= total_units_) return false;
  // Merge [first, last] with every range it overlaps or touches.
  Range merged[kMaxRanges + 2];  // at most every old range plus the new one
  size_t n = 0;
  Range add{first, last};
  bool placed = false;
  for (size_t i = 0; i < used_; ++i) {
    const Range &r = range_[i];
    if (uint64_t{r.end} + 1 < add.begin) {
      merged[n++] = r;
    } else if (uint64_t{add.end} + 1 < r.begin) {
      if (!placed) {
        merged[n++] = add;
        placed = true;
      }
      merged[n++] = r;
    } else {
      add.begin = r.begin < add.begin ? r.begin : add.begin;
      add.end = r.end > add.end ? r.end : add.end;
    }
  }
  if (!placed) merged[n++] = add;
  if (n > kMaxRanges) return false;  // too many losses
  std::memcpy(range_, merged, n * sizeof(Range));
  used_ = n;
  if (final) total_units_ = last + 1;
  return true;
}

bool ReceivedBlocks::complete() const {
  return total_units_ != 0 && used_ == 1 && range_[0].begin == 0 &&
         range_[0].end + 1 == total_units_;
}

bool ReceivedBlocks::is_next(uint32_t unit) const {
  if (used_ == 0) return unit == 0;
  return range_[used_ - 1].end + 1 == unit;
}

BlockState *state_of(coap_session_t *s, bool create) {
  if (s->blocks || !create) return s->blocks;
  BlockState *st = coap::create<BlockState>();
  if (!st) return nullptr;
  st->session = s;
  st->timer.fire = on_timer;
  // Request-Tag values start at a random point, as libcoap's do.
  uint64_t start = 0;
  coap_prng(&start, sizeof(start));
  st->tx_rtag = start;
  s->blocks = st;
  return st;
}

void delete_xmit(BlockState *st, LgXmit *x) {
  st->xmits.remove(x);
  if (x->crcv) x->crcv = nullptr;
  if (x->release_func) {
    coap_release_large_data_t release = x->release_func;
    x->release_func = nullptr;
    release(st->session, x->app_ptr);
  }
  coap_pdu_t::destroy(x->pdu);
  coap::destroy(x);
}

void delete_crcv(BlockState *st, LgCrcv *c) {
  st->crcvs.remove(c);
  st->xmits.for_each([c](LgXmit *x) {
    if (x->crcv == c) x->crcv = nullptr;
  });
  coap_pdu_t::destroy(c->pdu);
  coap::destroy(c);
}

void delete_srcv(BlockState *st, LgSrcv *r) {
  st->srcvs.remove(r);
  coap::destroy(r);
}

void arm_timer(BlockState *st, uint64_t due) {
  if (!st->timer.queued() || due < st->timer.due) {
    st->session->context->timers.schedule(&st->timer, due);
  }
}

uint64_t max_transmit_wait_ms(const coap_session_t *s) {
  // ACK_TIMEOUT * (2 ** (MAX_RETRANSMIT + 1) - 1) * ACK_RANDOM_FACTOR
  uint64_t ack = s->params->ack_timeout.integer_part * 1000u + s->params->ack_timeout.fractional_part;
  uint64_t factor =
      s->params->ack_random_factor.integer_part * 1000u + s->params->ack_random_factor.fractional_part;
  unsigned shift = s->params->max_retransmit + 1u;
  if (shift > 20) shift = 20;
  return ack * ((uint64_t{1} << shift) - 1) * factor / 1000;
}

uint8_t max_block_szx(const coap_session_t *s) {
  return s->max_block_szx > 6 ? 6 : s->max_block_szx;
}

void set_uint_option(coap_pdu_t *pdu, uint16_t number, uint64_t value) {
  uint8_t buf[8];
  size_t n = uint_length(value);
  ByteWriter w(buf, sizeof(buf));
  w.uint_be(value, n);
  pdu->update_option(number, buf, n);
}

void set_block_option(coap_pdu_t *pdu, uint16_t number, uint32_t num, unsigned m, unsigned szx) {
  set_uint_option(pdu, number, (static_cast<uint64_t>(num) << 4) | (m ? 8u : 0u) | (szx & 7u));
}

bool option_value(const coap_pdu_t *pdu, uint16_t number, const uint8_t **value, size_t *length) {
  const uint8_t *v = pdu->find_option(number, length);
  if (!v) return false;
  *value = v;
  return true;
}

uint64_t uint_option(const coap_pdu_t *pdu, uint16_t number, uint64_t fallback, bool *present) {
  const uint8_t *v = nullptr;
  size_t n = 0;
  bool found = option_value(pdu, number, &v, &n);
  if (present) *present = found;
  return found ? coap_decode_var_bytes8(v, n) : fallback;
}

uint64_t token_value(const uint8_t *token, size_t length) {
  if (length > 8) {
    token += length - 8;
    length = 8;
  }
  return coap_decode_var_bytes8(token, length);
}

void release_session(coap_session_t *s) {
  BlockState *st = s->blocks;
  if (!st) return;
  s->context->timers.cancel(&st->timer);
  while (LgXmit *x = st->xmits.front()) delete_xmit(st, x);
  while (LgCrcv *c = st->crcvs.front()) delete_crcv(st, c);
  while (LgSrcv *r = st->srcvs.front()) delete_srcv(st, r);
  s->blocks = nullptr;
  coap::destroy(st);
}

}  // namespace coap::blockwise
