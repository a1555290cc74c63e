// State of block-wise transfers, per session (libcoap's lg_xmit, lg_crcv
// and lg_srcv; the public header only names them as opaque types). Shared
// by the client and server halves of the engine (blockwise_client.cc,
// blockwise_server.cc); see core/blockwise.h for the overview.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "coap3/coap.h"
#include "util/intrusive_list.h"
#include "util/memory.h"
#include "util/timer_queue.h"

namespace coap::blockwise {

using Bytes = std::vector<uint8_t, Allocator<uint8_t>>;

// Tokens of follow-up requests: the low 48 bits identify the transfer, the
// high 16 bits count the requests made for it, so every request has its
// own token (RFC 9175 section 4.2) and responses still find the transfer.
constexpr uint64_t kStateBaseMask = 0x0000ffffffffffffULL;
inline uint64_t state_base(uint64_t token) {
  return token & kStateBaseMask;
}
inline uint64_t state_full(uint64_t token, uint64_t counter) {
  return state_base(token) | (counter << 48);
}

// A body being put together. Grows geometrically, so adding N blocks costs
// O(N) copying in total; bytes never written read as zero.
class Body {
 public:
  static constexpr size_t kMaxSizeHint = size_t{64} << 20;

  Body() = default;
  ~Body() { clear(); }
  Body(const Body &) = delete;
  Body &operator=(const Body &) = delete;

  // Stores length bytes at offset. size_hint (the announced total) lets the
  // first call allocate everything at once. The body's size becomes at
  // least offset + length. False when out of memory.
  bool put(size_t offset, const uint8_t *data, size_t length, size_t size_hint);
  const uint8_t *data() const { return buf_; }
  size_t size() const { return size_; }
  bool empty() const { return buf_ == nullptr; }
  void clear();

 private:
  bool reserve(size_t capacity);

  uint8_t *buf_ = nullptr;
  size_t size_ = 0;
  size_t cap_ = 0;
};

// Which parts of a body arrived, in 16-byte units (the smallest block), so
// that blocks of different sizes (after a size change) are tracked
// together. A few sorted ranges, as libcoap keeps; more gaps than that
// mean too many losses and the transfer is given up.
class ReceivedBlocks {
 public:
  static constexpr size_t kMaxRanges = 3;
  static constexpr unsigned kUnitShift = 4;

  // Units [first, last] of a block at offset with length bytes.
  static uint32_t first_unit(size_t offset) { return static_cast<uint32_t>(offset >> kUnitShift); }
  static uint32_t last_unit(size_t offset, size_t length) {
    return length ? static_cast<uint32_t>((offset + length - 1) >> kUnitShift) : first_unit(offset);
  }

  bool has(uint32_t unit) const;
  // Records units first..last; `final` marks the end of the body (block
  // without M). False when there would be too many gaps or the units lie
  // beyond the end.
  bool add(uint32_t first, uint32_t last, bool final);
  // The end is known and nothing before it is missing.
  bool complete() const;
  // unit continues what arrived so far without a gap.
  bool is_next(uint32_t unit) const;
  void reset() {
    used_ = 0;
    total_units_ = 0;
  }

 private:
  struct Range {
    uint32_t begin;
    uint32_t end;  // inclusive
  };
  Range range_[kMaxRanges];
  size_t used_ = 0;
  uint32_t total_units_ = 0;  // 0 until the block without M arrived
};

struct BlockState;
struct LgCrcv;

// A large body we send: a client's request body (Block1) or a server's
// response body (Block2).
struct LgXmit {
  ListHook link;
  bool is_request = false;
  const uint8_t *data = nullptr;  // the application's, until released
  size_t length = 0;
  coap_release_large_data_t release_func = nullptr;
  void *app_ptr = nullptr;
  uint16_t option = 0;  // COAP_OPTION_BLOCK1 or COAP_OPTION_BLOCK2
  uint8_t szx = 6;      // current block size
  size_t offset = 0;    // where the block last sent starts
  int64_t last_block = -1;
  coap_pdu_t *pdu = nullptr;  // skeleton: header, token, options, no payload
  uint64_t last_sent = 0;     // ms tick; 0: never
  uint64_t last_all_sent = 0;

  // Client (Block1).
  Bytes app_token;  // the token the application used
  uint64_t state_token = 0;
  uint16_t count = 1;
  LgCrcv *crcv = nullptr;  // following the responses to this request
  size_t sent_size = 0;    // payload size of the block in flight

  // Server (Block2): what a later Block2 request has to match.
  coap_resource_t *resource = nullptr;
  Bytes query;
  coap_pdu_code_t method = COAP_EMPTY_CODE;
  Bytes rtag;
  bool rtag_set = false;
  uint64_t etag = 0;
  uint64_t maxage_expire = 0;  // seconds (clock / 1000); 0: no Max-Age
};

// A client request whose response may come in blocks (Block2).
struct LgCrcv {
  ListHook link;
  coap_pdu_t *pdu = nullptr;  // the request (application's token), base of follow-ups
  Bytes app_token;
  uint64_t state_token = 0;
  uint16_t retry_counter = 1;
  bool initial = true;  // no block of the current body seen yet
  Bytes etag;
  bool etag_set = false;
  size_t total_len = 0;
  uint16_t content_format = 0;
  uint8_t szx = 0;
  uint16_t block_option = 0;
  coap_pdu_type_t last_type = COAP_MESSAGE_CON;
  ReceivedBlocks blocks;
  Body body;
  uint8_t observe[3] = {0, 0, 0};
  size_t observe_length = 0;
  bool observe_set = false;
  uint16_t o_block_option = 0;  // Block1 of the original request, for cancel
  uint8_t o_blk_size = 0;
  uint64_t last_used = 0;
};

// A large request body a server is receiving (Block1).
struct LgSrcv {
  ListHook link;
  coap_resource_t *resource = nullptr;
  Bytes uri_path;  // for the unknown and proxy resources
  uint16_t content_format = 0;
  size_t total_len = 0;
  uint8_t szx = 0;
  uint16_t block_option = 0;
  uint8_t observe[3] = {0, 0, 0};
  size_t observe_length = 0;
  bool observe_set = false;
  Bytes rtag;
  bool rtag_set = false;
  Body body;
  ReceivedBlocks blocks;
  Bytes last_token;
  bool has_last_token = false;
  coap_mid_t last_mid = COAP_INVALID_MID;
  coap_pdu_type_t last_type = COAP_MESSAGE_CON;
  uint64_t last_used = 0;
  bool no_more_seen = false;  // the last block arrived, an earlier one is missing
};

using XmitList = IntrusiveList<LgXmit, &LgXmit::link>;
using CrcvList = IntrusiveList<LgCrcv, &LgCrcv::link>;
using SrcvList = IntrusiveList<LgSrcv, &LgSrcv::link>;

// Everything one session has in progress, created on first use.
struct BlockState {
  coap_session_t *session = nullptr;
  XmitList xmits;
  CrcvList crcvs;
  SrcvList srcvs;
  uint64_t tx_rtag = 0;  // last Request-Tag value used
  Timer timer;           // earliest expiry of any transfer
};

// The session's state; created when `create` (nullptr if out of memory or
// not created yet).
BlockState *state_of(coap_session_t *session, bool create);

// Unlink and free (LgXmit: the release callback runs first).
void delete_xmit(BlockState *state, LgXmit *xmit);
void delete_crcv(BlockState *state, LgCrcv *crcv);
void delete_srcv(BlockState *state, LgSrcv *srcv);

// Makes sure the expiry timer runs no later than `due`.
void arm_timer(BlockState *state, uint64_t due);

// MAX_TRANSMIT_WAIT (RFC 7252 section 4.8.2) for the session's parameters,
// in ms: how long a transfer may stall before it is given up.
uint64_t max_transmit_wait_ms(const coap_session_t *session);

// --- small PDU helpers shared by both halves ---

// The block size (SZX) limit set with coap_context_set_max_block_size()
// (0 and 6 mean none).
uint8_t max_block_szx(const coap_session_t *session);

// Sets Block option `number` to NUM/M/SZX.
void set_block_option(coap_pdu_t *pdu, uint16_t number, uint32_t num, unsigned m, unsigned szx);
// Sets an unsigned option (update or add).
void set_uint_option(coap_pdu_t *pdu, uint16_t number, uint64_t value);
// Value of option number as unsigned, or fallback when absent.
uint64_t uint_option(const coap_pdu_t *pdu, uint16_t number, uint64_t fallback, bool *present);
// Value bytes of the first option `number`; false when absent.
bool option_value(const coap_pdu_t *pdu, uint16_t number, const uint8_t **value, size_t *length);

// The token as a 64-bit number (the last 8 bytes if longer).
uint64_t token_value(const uint8_t *token, size_t length);
inline bool same_bytes(const Bytes &a, const uint8_t *b, size_t length) {
  return a.size() == length && (length == 0 || std::equal(a.begin(), a.end(), b));
}
inline void assign(Bytes *dst, const uint8_t *p, size_t n) {
  dst->assign(p, p + n);
}

// --- engine internals shared by its files ---

// coap_add_data_large_*() common part (libcoap's add_data_large_internal):
// adds data to pdu, with the block options and an LgXmit when it does not
// fit. request/resource/query are set for responses only.
struct LargeBody {
  coap_session_t *session = nullptr;
  const coap_pdu_t *request = nullptr;
  coap_pdu_t *pdu = nullptr;
  coap_resource_t *resource = nullptr;
  const coap_string_t *query = nullptr;
  int maxage = -1;
  uint64_t etag = 0;
  size_t length = 0;
  const uint8_t *data = nullptr;
  coap_release_large_data_t release_func = nullptr;
  void *app_ptr = nullptr;
  bool single_request = false;
  coap_pdu_code_t method = COAP_EMPTY_CODE;
};
bool add_large(const LargeBody &args, uint64_t now);

// The server's LgXmit answering request (same resource, method, query and
// Request-Tag), or nullptr.
LgXmit *find_response_xmit(BlockState *state, const coap_pdu_t *request,
                           const coap_resource_t *resource, const coap_string_t *query);

}  // namespace coap::blockwise
