// Fuzzes the server side of CoAP over WebSockets from the socket up: a few
// accepted connections of a coap+ws endpoint receive the input in pieces of
// varying size, through the HTTP upgrade (core/websocket.h), the frame
// reader (masking, fragments, control frames, close codes, size limits)
// and on into RFC 8323 signaling and request dispatch, with time moving
// (upgrade and CSM timeouts, idle expiry) and short writes on the way out.
// The pure parts (wire/ws_frame.h, wire/ws_handshake.h, util/base64.h) are
// also run over the raw input and checked for consistency.
//
// Input: records [conn(1) delay(1) length(1) bytes(length)]. conn: the low
// two bits pick the connection (a closed one is reopened); bit 2 set: a
// newly opened connection first receives a valid upgrade request, so the
// fuzzer reaches the frames sooner; the high bits: how much the socket
// takes per write.
#include <cstdint>
#include <cstring>

#include "coap3/coap.h"
#include "core/context.h"
#include "core/stream.h"
#include "fuzz_support.h"
#include "util/base64.h"
#include "wire/ws_frame.h"
#include "wire/ws_handshake.h"

namespace {

constexpr int kConns = 3;

const char kUpgrade[] =
    "GET /.well-known/coap HTTP/1.1\r\nHost: fuzz\r\nUpgrade: websocket\r\n"
    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Protocol: coap\r\nSec-WebSocket-Version: 13\r\n\r\n";

// The pure functions agree with themselves on any bytes.
void check_pure(const uint8_t *data, size_t size) {
  coap::wire::WsHeaderScan scan = coap::wire::scan_ws_header(data, size);
  if (scan.status == coap::wire::WsHeaderScan::kNeedMore && scan.need <= size) __builtin_trap();
  if (scan.status == coap::wire::WsHeaderScan::kComplete &&
      (scan.header.header_size > size || scan.header.header_size > coap::wire::kWsMaxHeader)) {
    __builtin_trap();
  }
  size_t head = coap::wire::http_head_length(data, size);
  if (head > size) __builtin_trap();
  const char *text = reinterpret_cast<const char *>(data);
  coap::wire::WsRequestCheck req = coap::wire::ws_check_request(text, size);
  if (req.status == 101 && std::strlen(req.key) != coap::wire::kWsKeyTextSize - 1) __builtin_trap();
  coap::wire::ws_check_response(text, size, "dGhlIHNhbXBsZSBub25jZQ==");
  uint8_t out[64];
  long n = coap::base64_decode(text, size < 80 ? size : 80, out, sizeof(out));
  if (n > 0) {
    // What decodes encodes back to the same text.
    char again[coap::base64_encoded_size(sizeof(out)) + 1];
    coap::base64_encode(out, static_cast<size_t>(n), again);
    if (std::memcmp(again, text, std::strlen(again)) != 0) __builtin_trap();
  }
  coap::wire::ws_utf8_valid(data, size);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static fuzz::SwallowIo<kConns> io;
  coap_set_log_level(COAP_LOG_EMERG);
  check_pure(data, size);
  coap_endpoint_t *ep = nullptr;
  coap_context_t *ctx = fuzz::stream_server(&io, COAP_PROTO_WS, 8080, &ep);
  uint64_t now = 1000;
  size_t pos = 0;
  uint16_t port = 40000;
  while (pos + 3 <= size) {
    int which = (data[pos] & 3) % kConns;
    bool upgrade = (data[pos] & 4) != 0;
    io.window = (data[pos] >> 4) ? static_cast<size_t>(data[pos] >> 4) * 7 : SIZE_MAX;
    now += data[pos + 1] * 50u;
    size_t len = data[pos + 2];
    pos += 3;
    if (len > size - pos) len = size - pos;
    ctx->timers.run(now);
    if (!io.conns[which]) {
      coap_addr_tuple_t addrs;
      addrs.remote = fuzz::address(static_cast<uint8_t>(10 + which), port++);
      addrs.local = fuzz::address(1, 8080);
      coap_session_t *s = coap::stream::accepted(ep, addrs, now);
      if (s) {
        s->fd = 100 + which;
        io.conns[which] = s;
        coap::stream::start(s, now);
        if (upgrade && io.conns[which] == s) {
          coap::stream::input(s, reinterpret_cast<const uint8_t *>(kUpgrade), sizeof(kUpgrade) - 1,
                              now);
        }
      }
    }
    if (coap_session_t *s = io.conns[which]) {
      // Half the time the piece arrives whole, else byte by byte.
      if (len && (data[pos] & 1)) {
        for (size_t i = 0; i < len && io.conns[which] == s; ++i) {
          coap::stream::input(s, data + pos + i, 1, now);
        }
      } else {
        coap::stream::input(s, data + pos, len, now);
      }
      if (io.conns[which] == s) coap::stream::writable(s, now);
    }
    pos += len;
  }
  ctx->timers.run(now + 600 * 1000);
  coap_context_t::destroy(ctx);
  for (coap_session_t *&c : io.conns) c = nullptr;
  return 0;
}
