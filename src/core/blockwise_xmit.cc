// Attaching large bodies to PDUs: coap_add_data_large_request() and
// coap_add_data_large_response(). A body that fits is simply added; one
// that does not gets its first block, the Block1/Block2, Size1/Size2,
// ETag / Request-Tag options, and an LgXmit that serves the other blocks.
#include <cstring>

#include "core/blockwise.h"
#include "core/blockwise_state.h"
#include "core/context.h"
#include "core/pdu_copy.h"
#include "core/session.h"
#include "runtime/log.h"
#include "wire/block.h"
#include "wire/pdu.h"

namespace coap::blockwise {

namespace {

// NUM has 20 bits and blocks at most 1 KiB (without BERT): the largest
// body block-wise transfer can carry.
constexpr size_t kMaxBlockedLength = ((size_t{1} << 20) - 1) * 1024;

// Room a response to a request with this PDU's token and options may need
// beyond them: an Echo option of up to 40 bytes and a token grown to 8
// bytes (libcoap reserves the same).
long long headroom(const coap_pdu_t *pdu) {
  long long extra = static_cast<long long>(coap_opt_encode_size(COAP_OPTION_ECHO, 40));
  if (pdu->token_length() < 8) extra += 8 - static_cast<long long>(pdu->token_length());
  return extra;
}

long long room_for_payload(const coap_pdu_t *pdu) {
  return static_cast<long long>(pdu->max_size()) - static_cast<long long>(pdu->used_size()) -
         headroom(pdu);
}

// Largest SZX whose block fits into avail bytes (libcoap's fls - 5).
unsigned szx_for(long long avail) {
  if (avail <= 0) return 6;  // the caller rejects the PDU anyway
  unsigned bits =
      64 - static_cast<unsigned>(__builtin_clzll(static_cast<unsigned long long>(avail)));
  return bits >= 11 ? 6 : (bits > 5 ? bits - 5 : 0);
}

void set_var8_option(coap_pdu_t *pdu, uint16_t number, uint64_t value) {
  uint8_t buf[8];
  unsigned n = coap_encode_var_safe8(buf, sizeof(buf), value);
  pdu->update_option(number, buf, n);
}

void insert_uint(coap_pdu_t *pdu, uint16_t number, uint32_t value) {
  uint8_t buf[4];
  size_t n = 0;
  for (uint32_t v = value; v; v >>= 8) ++n;  // minimal length, 0 for 0
  for (size_t i = n; i-- > 0; value >>= 8) buf[i] = static_cast<uint8_t>(value);
  pdu->insert_option(number, buf, n);
}

// A stable 64-bit ETag for data (FNV-1a), never 0.
uint64_t content_etag(const uint8_t *data, size_t length) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < length; ++i) h = (h ^ data[i]) * 0x100000001b3ULL;
  return h ? h : 1;
}

bool query_equal(const Bytes &stored, const coap_string_t *query) {
  size_t n = query ? query->length : 0;
  return same_bytes(stored, n ? query->s : nullptr, n);
}

void release(const LargeBody &a) {
  if (a.release_func) a.release_func(a.session, a.app_ptr);
}

}  // namespace

LgXmit *find_response_xmit(BlockState *st, const coap_pdu_t *request,
                           const coap_resource_t *resource, const coap_string_t *query) {
  if (!st || !request) return nullptr;
  const uint8_t *rtag = nullptr;
  size_t rtag_len = 0;
  bool has_rtag = option_value(request, COAP_OPTION_RTAG, &rtag, &rtag_len);
  for (LgXmit *x = st->xmits.front(); x; x = st->xmits.next(x)) {
    if (x->is_request || x->resource != resource || x->method != request->code ||
        !query_equal(x->query, query)) {
      continue;
    }
    if (has_rtag || x->rtag_set) {
      if (!(has_rtag && x->rtag_set) || !same_bytes(x->rtag, rtag, rtag_len)) continue;
    }
    return x;
  }
  return nullptr;
}

bool add_large(const LargeBody &a, uint64_t now) {
  coap_session_t *s = a.session;
  coap_pdu_t *pdu = a.pdu;
  if (pdu->has_payload()) {
    LOGW("coap_add_data_large: the PDU already has a payload\n");
    release(a);
    return false;
  }
  if (!(s->block_mode & COAP_BLOCK_USE_LIBCOAP)) {
    LOGD("coap_add_data_large: COAP_BLOCK_USE_LIBCOAP is not set, adding the data as it is\n");
    bool ok = coap_add_data(pdu, a.length, a.data) != 0;
    release(a);
    return ok;
  }
  // Stream transports assume CON throughout.
  if (s->reliable() && pdu->type == COAP_MESSAGE_NON) pdu->type = COAP_MESSAGE_CON;

  size_t length = a.length;
  if (length > kMaxBlockedLength) {
    LOGW("coap_add_data_large: body limited to %zu bytes\n", kMaxBlockedLength);
    length = kMaxBlockedLength;
  }
  // The state is made only once a transfer needs it (below): a body that
  // fits costs no per-session memory.
  BlockState *st = state_of(s, false);

  bool is_request = is_request_code(pdu->code);
  uint16_t option = is_request ? COAP_OPTION_BLOCK1 : COAP_OPTION_BLOCK2;
  // Q-Block is not in this build: any Q-Block option the caller set goes.
  pdu->remove_option(is_request ? COAP_OPTION_Q_BLOCK1 : COAP_OPTION_Q_BLOCK2);
  if (is_request) {
    // The same token already sending a large body (unlikely): start over.
    for (LgXmit *x = st ? st->xmits.front() : nullptr; x; x = st->xmits.next(x)) {
      if (x->is_request && same_bytes(x->app_token, pdu->token(), pdu->token_length())) {
        delete_xmit(st, x);
        s->context->notify(s, COAP_EVENT_XMIT_BLOCK_FAIL);
        break;
      }
    }
  } else if (LgXmit *old = find_response_xmit(st, a.request, a.resource, a.query)) {
    // A new body for the same resource replaces the one being served.
    delete_xmit(st, old);
    s->context->notify(s, COAP_EVENT_XMIT_BLOCK_FAIL);
  }

  long long avail = room_for_payload(pdu);
  unsigned blk_size = szx_for(avail);
  uint8_t limit = max_block_szx(s);
  if (blk_size > limit) blk_size = limit;
  coap_block_b_t block{};
  bool have_block = wire::read_block(*pdu, option, false, &block);
  if (have_block && block.szx < blk_size) blk_size = block.szx;
  if (!have_block) block = coap_block_b_t{};
  if (avail < 16 && (static_cast<long long>(length) > avail || have_block)) {
    LOGD("coap_add_data_large: not even a 16-byte block fits\n");
    release(a);
    return false;
  }

  size_t chunk = size_t{1} << (blk_size + 4);
  bool stateless =
      (s->block_mode & COAP_BLOCK_STLESS_BLOCK2) && s->type != COAP_SESSION_TYPE_CLIENT;
  if ((have_block && block.num != 0) || a.single_request || stateless) {
    // One block only (the one asked for), no state kept.
    size_t start = static_cast<size_t>(block.num) * chunk;
    if (length >= start) {
      if (stateless) {
        set_uint_option(pdu, COAP_OPTION_SIZE2, static_cast<uint32_t>(length));
        set_var8_option(pdu, COAP_OPTION_ETAG, a.etag ? a.etag : content_etag(a.data, length));
        coap_block_b_t asked{};
        if (!a.request || !wire::read_block(*a.request, option, false, &asked)) asked.num = 0;
        coap_block_b_t sized{};
        sized.num = asked.num;
        sized.szx = blk_size;
        if (wire::write_block_b(*pdu, option, &sized, false, length) != wire::kBlockWritten) {
          release(a);
          return false;
        }
        start = static_cast<size_t>(sized.num) << (sized.szx + 4);
        chunk = size_t{1} << (sized.szx + 4);
      }
      size_t rem = length - start < chunk ? length - start : chunk;
      if (rem && coap_add_data(pdu, rem, a.data + start) == 0) {
        release(a);
        return false;
      }
    }
    release(a);
    return true;
  }

  if ((have_block && length > chunk) || static_cast<long long>(length) > avail) {
    if (!st) st = state_of(s, true);
    LgXmit *x = st ? coap::create<LgXmit>() : nullptr;
    if (!x) {
      release(a);
      return false;
    }
    x->is_request = is_request;
    x->szx = static_cast<uint8_t>(blk_size);
    x->option = option;
    x->data = a.data;
    x->length = length;
    x->release_func = a.release_func;
    x->app_ptr = a.app_ptr;
    x->last_sent = now;
    // From here on the release callback belongs to x (delete_xmit calls it).
    auto fail = [&]() {
      delete_xmit(st, x);  // not linked yet: just frees and releases
      return false;
    };
    if (is_request) {
      assign(&x->app_token, pdu->token(), pdu->token_length());
      x->count = 1;
      x->state_token = state_full(++s->tx_token, x->count);
      set_uint_option(pdu, COAP_OPTION_SIZE1, static_cast<uint32_t>(length));
      if (!pdu->has_option(COAP_OPTION_RTAG)) {
        set_uint_option(pdu, COAP_OPTION_RTAG, static_cast<uint32_t>(++st->tx_rtag));
      }
    } else {
      // Later Block2 requests find the body by resource, method, query and
      // Request-Tag (the token changes with every request).
      x->resource = a.resource;
      if (a.query && a.query->length) assign(&x->query, a.query->s, a.query->length);
      const uint8_t *rtag = nullptr;
      size_t rtag_len = 0;
      if (a.request && option_value(a.request, COAP_OPTION_RTAG, &rtag, &rtag_len)) {
        assign(&x->rtag, rtag, rtag_len > 8 ? 8 : rtag_len);
        x->rtag_set = true;
      }
      x->method = a.method;
      x->maxage_expire = a.maxage >= 0 ? now / 1000 + static_cast<uint64_t>(a.maxage) : 0;
      set_uint_option(pdu, COAP_OPTION_SIZE2, static_cast<uint32_t>(length));
      uint64_t etag = a.etag;
      if (etag == 0) {
        if (++s->context->block_etag == 0) ++s->context->block_etag;
        etag = s->context->block_etag;
      }
      x->etag = etag;
      set_var8_option(pdu, COAP_OPTION_ETAG, etag);
    }
    coap_block_b_t first{};
    first.num = block.num;
    first.szx = blk_size;
    if (wire::write_block_b(*pdu, option, &first, false, length) != wire::kBlockWritten) {
      return fail();
    }
    x->pdu = clone_pdu(pdu);  // no payload yet: the base of later blocks
    if (!x->pdu) return fail();

    // The options just added take room too: shrink the block if needed.
    avail = room_for_payload(pdu);
    if (avail < static_cast<long long>(chunk)) {
      if (avail < 16) {
        LOGW("coap_add_data_large: not even a 16-byte block fits\n");
        return fail();
      }
      unsigned smaller = szx_for(avail);
      first.num <<= (x->szx - smaller);
      x->szx = static_cast<uint8_t>(smaller);
      chunk = size_t{1} << (smaller + 4);
      first.chunk_size = static_cast<uint32_t>(chunk);
      set_block_option(pdu, option, first.num, first.m, smaller);
    }
    size_t start = static_cast<size_t>(first.num) * chunk;
    size_t rem = first.chunk_size < length - start ? first.chunk_size : length - start;
    if (coap_add_data(pdu, rem, a.data + start) == 0) return fail();
    if (is_request) x->sent_size = rem;
    x->last_block = -1;
    st->xmits.push_front(x);
    arm_timer(st, now + max_transmit_wait_ms(s));
    LOGD("block: sending a body of %zu bytes in blocks of %zu\n", length, chunk);
    return true;
  }

  // Fits into one PDU.
  if (a.etag) set_var8_option(pdu, COAP_OPTION_ETAG, a.etag);
  if (have_block) set_block_option(pdu, option, 0, 0, blk_size);
  bool ok = coap_add_data(pdu, length, a.data) != 0;
  release(a);
  return ok;
}

int add_data_large_request(coap_session_t *s, coap_pdu_t *pdu, size_t length, const uint8_t *data,
                           coap_release_large_data_t release_func, void *app_ptr, uint64_t now) {
  LargeBody a;
  a.session = s;
  a.pdu = pdu;
  a.length = length;
  a.data = data;
  a.release_func = release_func;
  a.app_ptr = app_ptr;
  return add_large(a, now) ? 1 : 0;
}

int add_data_large_response(coap_resource_t *resource, coap_session_t *s, const coap_pdu_t *request,
                            coap_pdu_t *response, const coap_string_t *query, uint16_t media_type,
                            int maxage, uint64_t etag, size_t length, const uint8_t *data,
                            coap_release_large_data_t release_func, void *app_ptr, uint64_t now) {
  auto error = [&](unsigned code, bool released) {
    response->code = static_cast<coap_pdu_code_t>(code);
    if (!released && release_func) release_func(s, app_ptr);
    if (const char *phrase = coap_response_phrase(static_cast<unsigned char>(code))) {
      coap_add_data(response, std::strlen(phrase), reinterpret_cast<const uint8_t *>(phrase));
    }
    return 0;
  };
  coap_block_b_t block{};
  bool requested = false;
  if (request && wire::read_block(*request, COAP_OPTION_BLOCK2, false, &block)) {
    requested = true;
    if (block.num != 0 && length <= (static_cast<size_t>(block.num) << (block.szx + 4))) {
      LOGD("block: block %u asked for of a %zu-byte body\n", block.num, length);
      return error(COAP_RESPONSE_CODE(400), false);
    }
  }
  // Inserted, not replaced, as libcoap does (an option the handler set
  // already stays).
  insert_uint(response, COAP_OPTION_CONTENT_FORMAT, media_type);
  if (maxage >= 0) insert_uint(response, COAP_OPTION_MAXAGE, static_cast<uint32_t>(maxage));
  if (requested) {
    int rc = wire::write_block_b(*response, COAP_OPTION_BLOCK2, &block, false, length);
    if (rc == wire::kBlockIllegal) return error(COAP_RESPONSE_CODE(400), false);
    if (rc != wire::kBlockWritten) return error(COAP_RESPONSE_CODE(500), false);
  }
  if (!request) {
    // libcoap adds nothing without the request; the data is released
    // here so it does not leak.
    if (release_func) release_func(s, app_ptr);
    return 1;
  }
  // The usual case: a body that fits into this response, no block asked
  // for, no transfer of this session to replace. What add_large() would
  // do for it, without its set-up.
  BlockState *st = state_of(s, false);
  if (!requested && (s->block_mode & COAP_BLOCK_USE_LIBCOAP) && !response->has_payload() &&
      !(s->block_mode & COAP_BLOCK_STLESS_BLOCK2) && (!st || st->xmits.empty()) &&
      static_cast<long long>(length) <= room_for_payload(response) &&
      !response->has_option(COAP_OPTION_BLOCK2)) {
    if (s->reliable() && response->type == COAP_MESSAGE_NON) response->type = COAP_MESSAGE_CON;
    response->remove_option(COAP_OPTION_Q_BLOCK2);
    if (etag) set_var8_option(response, COAP_OPTION_ETAG, etag);
    bool ok = length == 0 || coap_add_data(response, length, data) != 0;
    if (release_func) release_func(s, app_ptr);
    if (!ok) return error(COAP_RESPONSE_CODE(500), true);
    return 1;
  }
  LargeBody a;
  a.session = s;
  a.request = request;
  a.pdu = response;
  a.resource = resource;
  a.query = query;
  a.maxage = maxage;
  a.etag = etag;
  a.length = length;
  a.data = data;
  a.release_func = release_func;
  a.app_ptr = app_ptr;
  a.method = request->code;
  if (!add_large(a, now)) return error(COAP_RESPONSE_CODE(500), true);
  return 1;
}

}  // namespace coap::blockwise
