// Client half of the block-wise engine: requests leave through send(),
// responses come back through client_response(), which continues a Block1
// upload (LgXmit) or asks for the next Block2 block (LgCrcv) and decides
// what the application gets to see.
#include <cstring>

#include "core/blockwise.h"
#include "core/blockwise_state.h"
#include "core/context.h"
#include "core/messaging.h"
#include "core/pdu_copy.h"
#include "core/session.h"
#include "core/session_facts.h"
#include "runtime/log.h"
#include "wire/block.h"
#include "wire/pdu.h"

namespace coap::blockwise {

namespace {

constexpr uint64_t kFailedKeepMs = 1000;  // a failed LgCrcv lingers this long

int response_class(const coap_pdu_t *pdu) {
  return pdu->code >> 5;
}

// Encodes a state token the way libcoap does (no leading zero bytes).
size_t encode_token(uint8_t buf[8], uint64_t token) {
  return coap_encode_var_safe8(buf, 8, token);
}

void put_token(coap_pdu_t *pdu, const Bytes &token) {
  if (!same_bytes(token, pdu->token(), pdu->token_length())) {
    pdu->update_token(token.data(), token.size());
  }
}

bool token_matches(const coap_pdu_t *rcvd, uint64_t state_token, const Bytes &app_token) {
  uint64_t value = token_value(rcvd->token(), rcvd->token_length());
  return state_base(value) == state_base(state_token) ||
         same_bytes(app_token, rcvd->token(), rcvd->token_length());
}

void ack(coap_session_t *s, const coap_pdu_t *rcvd, uint64_t now) {
  if (rcvd->type == COAP_MESSAGE_CON) send_empty(s, COAP_MESSAGE_ACK, rcvd->mid, now);
}

// Hands rcvd to the application and answers it (as client.cc does for
// responses the engine lets through).
void deliver(coap_session_t *s, coap_pdu_t *sent, coap_pdu_t *rcvd, uint64_t now) {
  coap_context_t *ctx = s->context;
  coap_response_t verdict = COAP_RESPONSE_OK;
  if (ctx->response_handler) verdict = ctx->response_handler(s, sent, rcvd, rcvd->mid);
  if (rcvd->type == COAP_MESSAGE_CON) {
    send_empty(s, verdict == COAP_RESPONSE_OK ? COAP_MESSAGE_ACK : COAP_MESSAGE_RST, rcvd->mid,
               now);
  } else if (rcvd->type == COAP_MESSAGE_NON && verdict != COAP_RESPONSE_OK) {
    send_empty(s, COAP_MESSAGE_RST, rcvd->mid, now);
  }
}

// A copy of the request that later Block2 requests are made from.
LgCrcv *new_crcv(coap_session_t *s, const coap_pdu_t *pdu, const LgXmit *xmit, uint64_t now) {
  LgCrcv *c = coap::create<LgCrcv>();
  if (!c) return nullptr;
  c->state_token = state_full(++s->tx_token, 1);
  c->retry_counter = 1;
  c->last_used = now;
  assign(&c->app_token, pdu->token(), pdu->token_length());
  c->pdu = coap_pdu_t::create(pdu->message_type(), pdu->code, pdu->mid, 0);
  if (!c->pdu || !c->pdu->add_token(pdu->token(), pdu->token_length())) {
    coap::destroy(c);
    return nullptr;
  }
  coap_opt_iterator_t it;
  if (coap_option_iterator_init(pdu, &it, COAP_OPT_ALL)) {
    while (coap_opt_t *opt = coap_option_next(&it)) {
      c->pdu->add_option(it.number, coap_opt_value(opt), coap_opt_length(opt));
    }
  }
  // The request body is kept where follow-ups may need it again: FETCH
  // (stateless FETCH, observe cancellation) and small bodies; a large
  // upload's data stays with its LgXmit.
  const uint8_t *body = nullptr;
  size_t body_len = 0;
  if (xmit && pdu->code == COAP_REQUEST_CODE_FETCH) {
    body = xmit->data;
    body_len = xmit->length;
  } else if (!xmit) {
    body = pdu->payload();
    body_len = pdu->payload_length();
  }
  if (body_len) {
    if (uint8_t *p = c->pdu->add_payload(body_len)) std::memcpy(p, body, body_len);
  }
  coap_block_b_t block;
  if (wire::read_block(*c->pdu, COAP_OPTION_BLOCK1, false, &block)) {
    // Follow-up requests must not carry the upload's Block1.
    c->o_block_option = COAP_OPTION_BLOCK1;
    c->o_blk_size = static_cast<uint8_t>(block.aszx);
    c->pdu->remove_option(COAP_OPTION_BLOCK1);
  }
  return c;
}

// Block1: the server acknowledged a block of our upload. True when the
// next block went out (the response is not for the application).
bool continue_upload(BlockState *st, coap_pdu_t *sent, coap_pdu_t *rcvd, uint64_t now) {
  coap_session_t *s = st->session;
  for (LgXmit *x = st->xmits.front(); x; x = st->xmits.next(x)) {
    if (!x->is_request || !token_matches(rcvd, x->state_token, x->app_token)) continue;
    LgCrcv *c = x->crcv;
    if (c) c->last_used = now;
    size_t chunk = size_t{1} << (x->szx + 4);
    coap_block_b_t block;
    if (response_class(rcvd) == 2 && wire::read_block(*rcvd, x->option, false, &block)) {
      if (block.szx != x->szx) {
        size_t wanted = size_t{1} << (block.szx + 4);
        if (block.szx > x->szx) {
          LOGI("block: server asks for bigger blocks (%zu > %zu), ignored\n", wanted, chunk);
        } else if ((x->offset + chunk) % wanted == 0) {
          // Smaller blocks from here on (RFC 7959 section 2.5): renumber
          // what was sent so far in the new unit.
          block.num = static_cast<uint32_t>(((x->offset + chunk) / wanted) - 1);
          x->szx = static_cast<uint8_t>(block.szx);
          chunk = wanted;
          x->offset = block.num * chunk;
          block.aszx = block.szx;
          LOGD("block: block size now %zu, block %u done\n", chunk, block.num);
        } else {
          LOGD("block: smaller block size not aligned with what was sent, ignored\n");
        }
      }
      if (x->last_block == static_cast<int64_t>(block.num)) {
        // A repeated acknowledgement: that block is done already.
        return true;
      }
      x->last_block = block.num;
      x->offset = (static_cast<size_t>(block.num) + 1) * chunk;
      if (x->offset < x->length) {
        uint8_t token[8];
        size_t token_len = encode_token(token, state_full(x->state_token, ++x->count));
        coap_pdu_t *pdu = duplicate_pdu(x->pdu, s, token, token_len, nullptr);
        bool ok = pdu != nullptr;
        if (ok) {
          coap_block_b_t next{};
          next.num = block.num + 1;
          next.szx = x->szx;
          next.m = x->offset + chunk < x->length ? 1 : 0;
          set_block_option(pdu, x->option, next.num, next.m, block.aszx);
          ok = wire::add_block_b(*pdu, x->data, x->length, &next);
          x->sent_size = next.chunk_size;
        }
        if (ok) {
          x->last_sent = now;
          arm_timer(st, now + max_transmit_wait_ms(s));
          ok = send_pdu(s, pdu, now) != COAP_INVALID_MID;
          pdu = nullptr;
        }
        if (ok) return true;
        coap_pdu_t::destroy(pdu);
        s->context->notify(s, COAP_EVENT_XMIT_BLOCK_FAIL);
        rcvd->code = static_cast<coap_pdu_code_t>(COAP_RESPONSE_CODE(500));
      }
    }
    // Done (last block acknowledged, or the server answered otherwise).
    if (c && state_base(x->state_token) == state_base(c->state_token)) {
      c->state_token = x->state_token;
      c->retry_counter = x->count;
    }
    if (!c) put_token(rcvd, x->app_token);
    if (sent) {
      put_token(sent, x->app_token);
      sent->remove_option(x->option);
    }
    delete_xmit(st, x);
    return false;
  }
  return false;
}

enum class Outcome { kDeliver, kHandled };

// Block2: a response that may be one block of a larger body.
Outcome follow_download(BlockState *st, coap_pdu_t *sent, coap_pdu_t *rcvd, uint64_t now,
                        bool may_create) {
  coap_session_t *s = st->session;
  bool single = (s->block_mode & COAP_BLOCK_SINGLE_BODY) != 0;
  uint64_t wait = max_transmit_wait_ms(s);
  coap_block_b_t block{};
  bool have_block = false;

  for (LgCrcv *c = st->crcvs.front(); c; c = st->crcvs.next(c)) {
    if (!token_matches(rcvd, c->state_token, c->app_token)) continue;

    auto restore = [&]() {
      put_token(rcvd, c->app_token);
      if (sent) {
        put_token(sent, c->app_token);
        if (c->block_option) sent->remove_option(c->block_option);
      }
    };
    auto expire = [&]() {
      restore();
      delete_crcv(st, c);
      return Outcome::kDeliver;
    };
    auto fail = [&]() {
      // Kept a moment for stragglers, then expires.
      c->last_used = now + kFailedKeepMs > wait ? now + kFailedKeepMs - wait : 0;
      if (c->last_used == 0) c->last_used = 1;
      arm_timer(st, now + kFailedKeepMs);
      put_token(rcvd, c->app_token);
      return Outcome::kDeliver;
    };
    auto skip = [&]() {
      ack(s, rcvd, now);
      return Outcome::kHandled;
    };

    if (response_class(rcvd) != 2) return expire();  // errors end the transfer

    size_t size2 = static_cast<size_t>(uint_option(rcvd, COAP_OPTION_SIZE2, 0, nullptr));
    const uint8_t *data = rcvd->payload();
    size_t length = rcvd->payload_length();
    rcvd->body_offset = 0;
    rcvd->body_total = length;
    // BERT blocks (RFC 8323 section 6) when both sides offered them.
    have_block = wire::read_block(*rcvd, COAP_OPTION_BLOCK2, session_uses_bert(s), &block);
    if (!(have_block && (block.m || length))) {
      // A body in one piece: ends the transfer unless it is a notification
      // of an observation, which keeps following later ones.
      const uint8_t *v = nullptr;
      size_t n = 0;
      if (!option_value(rcvd, COAP_OPTION_OBSERVE, &v, &n)) {
        c->observe_set = false;
        return expire();
      }
      c->observe_length = n > 3 ? 3 : n;
      std::memcpy(c->observe, v, c->observe_length);
      c->observe_set = true;
      c->last_used = now;
      put_token(rcvd, c->app_token);
      return Outcome::kDeliver;
    }

    bool fmt_present = false;
    uint16_t fmt = static_cast<uint16_t>(
        uint_option(rcvd, COAP_OPTION_CONTENT_FORMAT, COAP_MEDIATYPE_TEXT_PLAIN, &fmt_present));
    const uint8_t *etag = nullptr;
    size_t etag_len = 0;
    bool has_etag = option_value(rcvd, COAP_OPTION_ETAG, &etag, &etag_len);
    if (length > block.chunk_size) {
      LOGD("block: oversized block of %zu bytes cut to %u\n", length, block.chunk_size);
      length = block.chunk_size;
    }
    if (block.m && length != block.chunk_size) {
      LOGW("block: block of %zu bytes where %u were expected\n", length, block.chunk_size);
      rcvd->code = static_cast<coap_pdu_code_t>(COAP_RESPONSE_CODE(402));
      return expire();
    }
    size_t chunk = size_t{1} << (block.szx + 4);
    size_t offset = static_cast<size_t>(block.num) * chunk;
    // Size2 may be missing or too small: more is coming while M is set.
    if (size2 < offset + length) size2 = offset + length + (block.m ? 1 : 0);

    if (c->initial) {
      c->initial = false;
      c->body.clear();
      c->etag_set = has_etag;
      if (has_etag) assign(&c->etag, etag, etag_len);
      c->total_len = size2;
      c->content_format = fmt;
      c->szx = static_cast<uint8_t>(block.szx);
      c->block_option = COAP_OPTION_BLOCK2;
      c->last_type = rcvd->message_type();
      c->blocks.reset();
    }
    if (c->total_len < size2) c->total_len = size2;

    if (has_etag) {
      if (!same_bytes(c->etag, etag, etag_len)) {
        // The representation changed under us: start again from block 0.
        LOGW("block: body changed while being received, asking for it again\n");
        if (!single) s->context->notify(s, COAP_EVENT_PARTIAL_BLOCK);
        c->initial = true;
        c->body.clear();
        // (libcoap takes a fresh session token here, which its own
        // matching then does not recognise; a state token keeps the
        // transfer, and the application's token, together.)
        uint8_t token[8];
        size_t token_len = encode_token(token, state_full(c->state_token, ++c->retry_counter));
        coap_opt_filter_t drop;
        coap_option_filter_clear(&drop);
        coap_option_filter_set(&drop, COAP_OPTION_OBSERVE);
        coap_pdu_t *pdu = duplicate_pdu(c->pdu, s, token, token_len, &drop);
        if (!pdu) return fail();
        set_block_option(pdu, COAP_OPTION_BLOCK2, 0, 0, block.aszx);
        if (send_pdu(s, pdu, now) == COAP_INVALID_MID) return fail();
        return skip();
      }
    } else if (c->etag_set) {
      LOGW("block: a block without the ETag the others have\n");
      return fail();
    }
    if (fmt != c->content_format) {
      LOGW("block: Content-Format changed between blocks\n");
      return fail();
    }
    if (block.num == 0) {
      const uint8_t *v = nullptr;
      size_t n = 0;
      if (option_value(rcvd, COAP_OPTION_OBSERVE, &v, &n)) {
        c->observe_length = n > 3 ? 3 : n;
        std::memcpy(c->observe, v, c->observe_length);
        c->observe_set = true;
      } else {
        c->observe_set = false;
      }
    }

    uint32_t first = ReceivedBlocks::first_unit(offset);
    uint32_t last = ReceivedBlocks::last_unit(offset, length);
    if (c->blocks.has(first)) {
      // A block seen before (duplicate or retransmission).
      c->last_used = now;
      return skip();
    }
    if (!c->blocks.add(first, last, !block.m)) {
      s->context->notify(s, COAP_EVENT_PARTIAL_BLOCK);
      return fail();
    }
    if (single) {
      if (size2 < offset + length) size2 = offset + length;
      if (!c->body.put(offset, data, length, size2)) return fail();
    }
    c->last_used = now;
    arm_timer(st, now + wait);

    if (block.m || !c->blocks.complete()) {
      if (block.m) {
        uint8_t token[8];
        size_t token_len = encode_token(token, state_full(c->state_token, ++c->retry_counter));
        coap_opt_filter_t drop;
        coap_option_filter_clear(&drop);
        // Observe goes with the first request only.
        coap_option_filter_set(&drop, COAP_OPTION_OBSERVE);
        coap_pdu_t *pdu = duplicate_pdu(c->pdu, s, token, token_len, &drop);
        if (!pdu) return fail();
        if (rcvd->type == COAP_MESSAGE_NON) pdu->type = COAP_MESSAGE_NON;  // server uses NON
        // A BERT block spans one NUM per KiB.
        uint32_t next = block.num + (block.bert ? static_cast<uint32_t>(length / 1024) : 1);
        set_block_option(pdu, COAP_OPTION_BLOCK2, next, 0, block.aszx);
        if ((s->block_mode & COAP_BLOCK_STLESS_FETCH) && pdu->code == COAP_REQUEST_CODE_FETCH &&
            c->pdu->has_payload()) {
          // The server keeps no state for FETCH: every request carries the body.
          LargeBody a;
          a.session = s;
          a.pdu = pdu;
          a.length = c->pdu->payload_length();
          a.data = c->pdu->payload();
          add_large(a, now);
        }
        if (send_pdu(s, pdu, now) == COAP_INVALID_MID) return fail();
      }
      if (single) return skip();
      // Each block goes to the application as it comes.
      restore();
      rcvd->body_offset = offset;
      rcvd->body_total = size2;
      return Outcome::kDeliver;
    }

    // The whole body is in.
    if (single) {
      rcvd->remove_option(COAP_OPTION_BLOCK2);
      if (c->observe_set) {
        rcvd->update_option(COAP_OPTION_OBSERVE, c->observe, c->observe_length);
      }
      rcvd->body_data = c->body.data();
      rcvd->body_length = offset + length;
      rcvd->body_offset = 0;
      rcvd->body_total = rcvd->body_length;
    } else {
      rcvd->body_offset = offset;
      rcvd->body_total = size2;
    }
    restore();
    deliver(s, sent, rcvd, now);
    // rcvd may point into c->body: it is not used after this.
    rcvd->body_data = nullptr;
    rcvd->body_length = 0;
    if (!c->observe_set) {
      delete_crcv(st, c);
    } else {
      // The next notification starts a new body.
      c->initial = true;
      c->body.clear();
      c->last_used = now;
    }
    return Outcome::kHandled;
  }

  // No transfer known for this token.
  if (!may_create) return Outcome::kDeliver;
  if (!wire::read_block(*rcvd, COAP_OPTION_BLOCK2, false, &block)) return Outcome::kDeliver;
  if (response_class(rcvd) != 2) return Outcome::kDeliver;
  if (block.num != 0) {
    // Random access: the application asked for this block itself.
    size_t chunk = size_t{1} << (block.szx + 4);
    size_t length = rcvd->payload_length();
    rcvd->body_offset = static_cast<size_t>(block.num) * chunk;
    rcvd->body_total = rcvd->body_offset + length + (block.m ? 1 : 0);
    return Outcome::kDeliver;
  }
  if (!sent) {
    LOGD("block: block 0 of a body for no known request, dropped\n");
    ack(s, rcvd, now);
    return Outcome::kHandled;
  }
  LgCrcv *c = new_crcv(s, sent, nullptr, now);
  if (!c) return Outcome::kDeliver;
  st->crcvs.push_front(c);
  return follow_download(st, sent, rcvd, now, false);
}

}  // namespace

coap_mid_t send(coap_session_t *s, coap_pdu_t *pdu, uint64_t now) {
  if (!(s->block_mode & COAP_BLOCK_USE_LIBCOAP) || !is_request_code(pdu->code)) {
    return send_pdu(s, pdu, now);
  }
  BlockState *st = state_of(s, true);
  if (!st) return send_pdu(s, pdu, now);

  bool has_observe = false;
  uint64_t observe = uint_option(pdu, COAP_OPTION_OBSERVE, 0, &has_observe);
  coap_block_b_t block1;
  bool have_block1 = wire::read_block(*pdu, COAP_OPTION_BLOCK1, false, &block1) && block1.m;
  if (has_observe && observe == COAP_OBSERVE_CANCEL) {
    // Deregistration goes through the observation's own state (its body,
    // its Block1 size); libcoap returns 1 in that case.
    coap_binary_t token{pdu->token_length(), const_cast<uint8_t *>(pdu->token())};
    if (cancel_observe(s, &token, pdu->message_type(), now)) {
      coap_pdu_t::destroy(pdu);
      return 1;
    }
  }
  if (!pdu->has_option(COAP_OPTION_RTAG) && !(s->block_mode & COAP_BLOCK_NO_PREEMPTIVE_RTAG) &&
      pdu->code != COAP_REQUEST_CODE_DELETE) {
    // Pre-emptive Request-Tag (RFC 9175 section 3.4): lets the server tell
    // apart Block2 transfers of concurrent requests for the same resource.
    set_uint_option(pdu, COAP_OPTION_RTAG, static_cast<uint32_t>(++st->tx_rtag));
  }

  // Follow Block2 responses, except for random access (the application
  // asked for one particular block).
  coap_block_b_t block2;
  bool random_access =
      wire::read_block(*pdu, COAP_OPTION_BLOCK2, false, &block2) && block2.num != 0 && !has_observe;
  LgCrcv *c = nullptr;
  LgXmit *xmit = nullptr;
  if (!random_access) {
    for (LgCrcv *old = st->crcvs.front(); old; old = st->crcvs.next(old)) {
      if (same_bytes(old->app_token, pdu->token(), pdu->token_length())) {
        delete_crcv(st, old);  // the token is reused: the old transfer ends
        break;
      }
    }
    if (have_block1) {
      for (LgXmit *x = st->xmits.front(); x; x = st->xmits.next(x)) {
        if (x->is_request && same_bytes(x->app_token, pdu->token(), pdu->token_length())) {
          xmit = x;
          break;
        }
      }
    }
    c = new_crcv(s, pdu, xmit, now);
    if (xmit && c) {
      xmit->state_token = c->state_token;
      xmit->crcv = c;
    }
  }
  if (xmit) xmit->last_sent = now;
  coap_mid_t mid = send_pdu(s, pdu, now);
  if (c) {
    if (mid != COAP_INVALID_MID) {
      st->crcvs.push_front(c);
      arm_timer(st, now + max_transmit_wait_ms(s));
    } else {
      delete_crcv(st, c);
    }
  }
  return mid;
}

bool client_response(coap_session_t *s, coap_pdu_t *sent, coap_pdu_t *rcvd, uint64_t now) {
  if (!(s->block_mode & COAP_BLOCK_USE_LIBCOAP)) return false;
  BlockState *st = state_of(s, false);
  if (!st) return false;
  if (continue_upload(st, sent, rcvd, now)) {
    ack(s, rcvd, now);
    return true;
  }
  return follow_download(st, sent, rcvd, now, true) == Outcome::kHandled;
}

void client_failed(coap_session_t *s, coap_pdu_t *sent) {
  if (!sent || !(s->block_mode & COAP_BLOCK_USE_LIBCOAP)) return;
  BlockState *st = state_of(s, false);
  if (!st) return;
  uint64_t value = token_value(sent->token(), sent->token_length());
  for (LgCrcv *c = st->crcvs.front(); c; c = st->crcvs.next(c)) {
    if (same_bytes(c->app_token, sent->token(), sent->token_length())) return;
    if (state_base(value) == state_base(c->state_token)) {
      put_token(sent, c->app_token);
      return;
    }
  }
  if (!is_request_code(sent->code)) return;
  for (LgXmit *x = st->xmits.front(); x; x = st->xmits.next(x)) {
    if (!x->is_request) continue;
    if (same_bytes(x->app_token, sent->token(), sent->token_length())) return;
    if (state_base(value) == state_base(x->state_token)) {
      put_token(sent, x->app_token);
      return;
    }
  }
}

bool cancel_observe(coap_session_t *s, const coap_binary_t *token, coap_pdu_type_t type,
                    uint64_t now) {
  if (!(s->block_mode & COAP_BLOCK_USE_LIBCOAP)) {
    LOGD("coap_cancel_observe: COAP_BLOCK_USE_LIBCOAP is not set\n");
    return false;
  }
  BlockState *st = state_of(s, false);
  if (!st) return false;
  for (LgCrcv *c = st->crcvs.front(); c; c = st->crcvs.next(c)) {
    if (!c->observe_set) continue;
    bool match = token ? same_bytes(c->app_token, token->s, token->length) : c->app_token.empty();
    if (!match) continue;
    c->observe_set = false;
    c->last_used = now;
    arm_timer(st, now + max_transmit_wait_ms(s));
    coap_pdu_t *pdu = duplicate_pdu(c->pdu, s, c->app_token.data(), c->app_token.size(), nullptr);
    if (!pdu) return false;
    pdu->type = type;
    set_uint_option(pdu, COAP_OPTION_OBSERVE, COAP_OBSERVE_CANCEL);
    if (c->o_block_option) set_uint_option(pdu, c->o_block_option, c->o_blk_size);
    if (c->pdu->has_payload()) {
      add_data_large_request(s, pdu, c->pdu->payload_length(), c->pdu->payload(), nullptr, nullptr,
                             now);
      // A large body goes out under the observation's transfer tokens.
      for (LgXmit *x = st->xmits.front(); x; x = st->xmits.next(x)) {
        if (x->is_request && same_bytes(x->app_token, pdu->token(), pdu->token_length())) {
          x->state_token = c->state_token;
          x->crcv = c;
          break;
        }
      }
    }
    return send_pdu(s, pdu, now) != COAP_INVALID_MID;
  }
  return false;
}

}  // namespace coap::blockwise
