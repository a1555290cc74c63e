// Server half of the block-wise engine: reassembling Block1 request bodies
// (LgSrcv) and serving later blocks of large responses from memory
// (LgXmit), around the call of the resource's request handler.
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

void answer(coap_pdu_t *response, unsigned code, const char *text) {
  response->code = static_cast<coap_pdu_code_t>(code);
  if (text) coap_add_data(response, std::strlen(text), reinterpret_cast<const uint8_t *>(text));
}

bool path_equal(const Bytes &stored, const coap_string_t *path) {
  size_t n = path ? path->length : 0;
  return same_bytes(stored, n ? path->s : nullptr, n);
}

// Block1 request bodies. True: the handler is not called.
bool receive_upload(BlockState *st, coap_pdu_t *pdu, coap_pdu_t *response,
                    coap_resource_t *resource, uint32_t mode, RequestState *rs, uint64_t now) {
  coap_session_t *s = st->session;
  coap_context_t *ctx = s->context;
  const uint8_t *data = pdu->payload();
  size_t length = pdu->payload_length();
  pdu->body_offset = 0;
  pdu->body_total = length;

  coap_block_b_t block;
  // BERT (RFC 8323 section 6): on a reliable session where both sides
  // offered it, SZX 7 blocks are whole KiB (szx 6 units, chunk = payload).
  if (!wire::read_block(*pdu, COAP_OPTION_BLOCK1, session_uses_bert(s), &block)) return false;
  if (block.num == 0 && block.m == 0) return false;  // all of it in one block

  size_t total = static_cast<size_t>(uint_option(pdu, COAP_OPTION_SIZE1, 0, nullptr));
  uint16_t fmt = static_cast<uint16_t>(
      uint_option(pdu, COAP_OPTION_CONTENT_FORMAT, COAP_MEDIATYPE_TEXT_PLAIN, nullptr));
  const uint8_t *rtag = nullptr;
  size_t rtag_len = 0;
  bool has_rtag = option_value(pdu, COAP_OPTION_RTAG, &rtag, &rtag_len);

  if (length > block.chunk_size) {
    LOGD("block: oversized block of %zu bytes cut to %u\n", length, block.chunk_size);
    length = block.chunk_size;
  } else if (block.m && length != block.chunk_size) {
    LOGI("block: block of %zu bytes where %u were expected\n", length, block.chunk_size);
    response->code = static_cast<coap_pdu_code_t>(COAP_RESPONSE_CODE(400));
    return true;
  }
  size_t offset = static_cast<size_t>(block.num) << (block.szx + 4);

  if (!(mode & (COAP_BLOCK_SINGLE_BODY | COAP_BLOCK_NOT_RANDOM_BLOCK1))) {
    // Per-block delivery: the handler sees this block and answers 2.31
    // (or 2.01/2.04 for the last one) itself; Block1 is echoed for it.
    set_block_option(response, COAP_OPTION_BLOCK1, block.num, block.m, block.aszx);
    pdu->body_data = data;
    pdu->body_length = length;
    pdu->body_offset = offset;
    size_t least = offset + length + (block.m ? 1 : 0);
    pdu->body_total = total < least ? least : total;
    rs->added_block = block.m != 0;
    return false;
  }

  // Which upload is this block part of?
  coap_string_t *uri_path = nullptr;
  bool path_known = false;
  auto path = [&]() {
    if (!path_known) {
      uri_path = coap_get_uri_path(pdu);
      path_known = true;
    }
    return uri_path;
  };
  LgSrcv *r = st->srcvs.front();
  for (; r; r = st->srcvs.next(r)) {
    if (has_rtag || r->rtag_set) {
      if (!(has_rtag && r->rtag_set) || !same_bytes(r->rtag, rtag, rtag_len)) continue;
    }
    if (resource == r->resource) break;
    if ((r->resource == ctx->unknown_resource || resource == ctx->proxy_uri_resource) &&
        path_equal(r->uri_path, path())) {
      break;
    }
  }
  auto done = [&](bool skip) {
    coap_delete_string(uri_path);
    return skip;
  };

  if (!r && block.num != 0 && (mode & COAP_BLOCK_NOT_RANDOM_BLOCK1)) {
    answer(response, COAP_RESPONSE_CODE(408), "Missing block 0");
    return done(true);
  }
  if (!r) {
    r = coap::create<LgSrcv>();
    if (!r) {
      answer(response, COAP_RESPONSE_CODE(500), "Memory issue");
      return done(true);
    }
    r->resource = resource;
    if (resource == ctx->unknown_resource || resource == ctx->proxy_uri_resource) {
      if (coap_string_t *p = path()) assign(&r->uri_path, p->s, p->length);
    }
    r->content_format = fmt;
    r->total_len = total;
    uint8_t limit = max_block_szx(s);
    r->szx = static_cast<uint8_t>(block.num == 0 && limit < block.szx ? limit : block.szx);
    r->block_option = COAP_OPTION_BLOCK1;
    const uint8_t *obs = nullptr;
    size_t obs_len = 0;
    if (resource->observable &&
        (pdu->code == COAP_REQUEST_CODE_GET || pdu->code == COAP_REQUEST_CODE_FETCH) &&
        option_value(pdu, COAP_OPTION_OBSERVE, &obs, &obs_len)) {
      r->observe_length = obs_len > 3 ? 3 : obs_len;
      std::memcpy(r->observe, obs, r->observe_length);
      r->observe_set = true;
    }
    if (has_rtag) {
      assign(&r->rtag, rtag, rtag_len);
      r->rtag_set = true;
    }
    st->srcvs.push_front(r);
  }
  r->last_used = now;
  arm_timer(st, now + max_transmit_wait_ms(s));

  uint32_t first = ReceivedBlocks::first_unit(offset);
  uint32_t last = ReceivedBlocks::last_unit(offset, length);
  if ((mode & COAP_BLOCK_NOT_RANDOM_BLOCK1) && !r->blocks.is_next(first) && !r->blocks.has(first)) {
    answer(response, COAP_RESPONSE_CODE(408), "Missing interim block");
    return done(true);
  }
  if (fmt != r->content_format) {
    answer(response, COAP_RESPONSE_CODE(408), "Content-Format mismatch");
    delete_srcv(st, r);
    return done(true);
  }
  r->last_mid = pdu->mid;
  r->last_type = pdu->message_type();

  if (!r->blocks.has(first)) {
    if (!r->blocks.add(first, last, !block.m)) {
      ctx->notify(s, COAP_EVENT_PARTIAL_BLOCK);
      answer(response, COAP_RESPONSE_CODE(408), "Too many missing blocks");
      delete_srcv(st, r);
      return done(true);
    }
    if (r->total_len < offset + length) r->total_len = offset + length;
    if (!r->body.put(offset, data, length, r->total_len)) {
      answer(response, COAP_RESPONSE_CODE(500), "Memory issue");
      return done(true);
    }
  }

  if (block.m || !r->blocks.complete()) {
    if (!block.m) {
      // The last block came before some earlier one: wait (empty ACK) for
      // the missing ones; a 4.08 follows if they never come.
      r->no_more_seen = true;
      assign(&r->last_token, pdu->token(), pdu->token_length());
      r->has_last_token = true;
      arm_timer(st, now + 10000);  // the missing blocks' deadline
      return done(true);
    }
    unsigned aszx = block.aszx;
    uint8_t limit = max_block_szx(s);
    // Ask for smaller blocks (a BERT sender keeps BERT).
    if (block.num == 0 && limit < aszx && !block.bert) aszx = limit;
    if (total == 0 || !r->blocks.complete()) {
      set_block_option(response, COAP_OPTION_BLOCK1, block.num, block.m, aszx);
      response->code = static_cast<coap_pdu_code_t>(COAP_RESPONSE_CODE(231));
      return done(true);
    }
    // This (late) block completed a body whose last block came earlier:
    // it gets its own 2.31 and the handler answers the last block's token.
    coap_pdu_t *cont =
        duplicate_pdu(response, s, response->token(), response->token_length(), nullptr);
    if (cont) {
      cont->code = static_cast<coap_pdu_code_t>(COAP_RESPONSE_CODE(231));
      send_pdu(s, cont, now);
    }
    if (r->has_last_token) {
      response->update_token(r->last_token.data(), r->last_token.size());
      pdu->update_token(r->last_token.data(), r->last_token.size());
    }
  }

  // The whole body is in: the handler sees it as one request.
  if (r->observe_set) pdu->update_option(COAP_OPTION_OBSERVE, r->observe, r->observe_length);
  pdu->remove_option(COAP_OPTION_BLOCK1);
  // The body ends where the last block ended. (libcoap reports Size1
  // when that was larger, with bytes it never received; a peer's Size1
  // alone does not make us allocate or hand out anything here.)
  pdu->body_data = r->body.empty() ? nullptr : r->body.data();
  pdu->body_length = r->body.size();
  pdu->body_offset = 0;
  pdu->body_total = r->body.size();
  rs->finished_srcv = r;
  LOGD("block: request body of %zu bytes complete\n", r->body.size());
  return done(false);
}

// Later blocks of a large response, from memory. True: the handler is not
// called.
bool serve_block(BlockState *st, coap_pdu_t *request, coap_pdu_t *response,
                 coap_resource_t *resource, const coap_string_t *query, uint64_t now) {
  coap_block_b_t block;
  if (!wire::read_block(*request, COAP_OPTION_BLOCK2, false, &block)) return false;
  if (block.num == 0) return false;  // block 0: a fresh copy from the handler
  LgXmit *x = find_response_xmit(st, request, resource, query);
  if (!x) return false;

  const uint8_t *etag = nullptr;
  size_t etag_len = 0;
  if (option_value(request, COAP_OPTION_ETAG, &etag, &etag_len)) {
    if (coap_decode_var_bytes8(etag, etag_len) != x->etag) return false;
    response->code = static_cast<coap_pdu_code_t>(COAP_RESPONSE_CODE(203));
    x->last_sent = now;
    return true;
  }
  response->code = x->pdu->code;

  // The block asked for, in the size asked for as long as it is not bigger
  // than the one the body is sent with (RFC 7959 section 2.4); a bigger
  // request is answered with the body's size.
  size_t offset = static_cast<size_t>(block.num) << (block.szx + 4);
  unsigned szx = block.szx <= x->szx ? block.szx : x->szx;
  if (block.szx != x->szx) {
    LOGD("block: block %u of %u bytes asked for, answered with %u bytes\n", block.num,
         1u << (block.szx + 4), 1u << (szx + 4));
  }
  size_t chunk = size_t{1} << (szx + 4);
  uint32_t num = static_cast<uint32_t>(offset >> (szx + 4));
  if (offset >= x->length) {
    answer(response, COAP_RESPONSE_CODE(400), coap_response_phrase(COAP_RESPONSE_CODE(400)));
    return true;
  }
  x->offset = offset;

  coap_opt_iterator_t it;
  if (coap_option_iterator_init(x->pdu, &it, COAP_OPT_ALL)) {
    while (coap_opt_t *opt = coap_option_next(&it)) {
      // Observe is part of the first block (the notification) only.
      if (it.number == COAP_OPTION_OBSERVE && num != 0) continue;
      if (!response->insert_option(it.number, coap_opt_value(opt), coap_opt_length(opt))) {
        answer(response, COAP_RESPONSE_CODE(500), coap_response_phrase(COAP_RESPONSE_CODE(500)));
        x->last_all_sent = now;
        return true;
      }
    }
  }
  if (request->type == COAP_MESSAGE_NON) response->type = COAP_MESSAGE_NON;
  bool more = offset + chunk < x->length;
  set_block_option(response, COAP_OPTION_BLOCK2, num, more ? 1 : 0, szx);
  if (!more) x->last_all_sent = now;  // kept a little longer for repeats
  if (x->maxage_expire) {
    uint64_t secs = now / 1000;
    uint64_t rem = x->maxage_expire > secs ? x->maxage_expire - secs : 0;
    if (rem == 0) x->last_all_sent = now;
    set_uint_option(response, COAP_OPTION_MAXAGE, rem);
  }
  size_t n = x->length - offset < chunk ? x->length - offset : chunk;
  if (coap_add_data(response, n, x->data + offset) == 0) {
    answer(response, COAP_RESPONSE_CODE(500), coap_response_phrase(COAP_RESPONSE_CODE(500)));
    x->last_all_sent = now;
    return true;
  }
  x->last_block = num;
  x->last_sent = now;
  arm_timer(st, now + (x->last_all_sent ? 8000 : max_transmit_wait_ms(st->session)));
  return true;
}

}  // namespace

bool server_before_handler(coap_session_t *s, coap_pdu_t *request, coap_pdu_t *response,
                           coap_resource_t *resource, const coap_string_t *query, RequestState *rs,
                           uint64_t now) {
  if (!(s->block_mode & COAP_BLOCK_USE_LIBCOAP) || !resource) return false;
  // Most requests are not part of a transfer: no Block1/Block2 and nothing
  // to serve, so no per-session state is made for them.
  if (!request->has_option(COAP_OPTION_BLOCK1) && !request->has_option(COAP_OPTION_BLOCK2)) {
    request->body_offset = 0;
    request->body_total = request->payload_length();
    return false;
  }
  BlockState *st = state_of(s, true);
  if (!st) return false;
  uint32_t mode = s->block_mode;
  // FETCH bodies, and resources that ask for it, are always reassembled.
  if (request->code == COAP_REQUEST_CODE_FETCH ||
      (resource->flags & COAP_RESOURCE_FLAGS_FORCE_SINGLE_BODY)) {
    mode |= COAP_BLOCK_SINGLE_BODY;
  }
  if (receive_upload(st, request, response, resource, mode, rs, now) ||
      serve_block(st, request, response, resource, query, now)) {
    return true;
  }
  return false;
}

void server_after_handler(coap_session_t *s, const coap_pdu_t *request, coap_pdu_t *response,
                          coap_resource_t *resource, const coap_string_t *query, RequestState *rs,
                          bool handler_called) {
  if (!(s->block_mode & COAP_BLOCK_USE_LIBCOAP)) return;
  BlockState *st = state_of(s, false);
  if (handler_called && st) {
    // The handler may set the code after coap_add_data_large_response():
    // later blocks carry the code it ended up with.
    if (response->code != COAP_EMPTY_CODE) {
      LgXmit *x = find_response_xmit(st, request, resource, query);
      if (x && x->pdu->code == COAP_EMPTY_CODE) x->pdu->code = response->code;
    }
    if (rs->finished_srcv) {
      // Kept when the server asks for freshness (4.01 with Echo): the
      // client repeats the request.
      if (!(response->code == COAP_RESPONSE_CODE(401) && response->has_option(COAP_OPTION_ECHO))) {
        delete_srcv(st, static_cast<LgSrcv *>(rs->finished_srcv));
      }
      rs->finished_srcv = nullptr;
    }
  }
  if (handler_called && rs->added_block && (response->code >> 5) == 2) {
    response->code =
        static_cast<coap_pdu_code_t>(COAP_RESPONSE_CODE(231));  // more blocks are to come
  }
  if ((response->code >> 5) > 2 && response->code != COAP_RESPONSE_CODE(413)) {
    response->remove_option(COAP_OPTION_BLOCK1);
  }
}

}  // namespace coap::blockwise
