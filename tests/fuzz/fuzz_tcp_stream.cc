// Fuzzes CoAP over TCP from the socket up: a few accepted connections of
// a server receive the input in pieces of varying size, through the
// RFC 8323 framer, signaling (CSM, Ping, Release, Abort, bad CSM), request
// dispatch and block-wise transfers, with time moving (CSM timeout, idle
// expiry) and short writes on the way out. Output goes to a PacketIo that
// swallows it.
//
// Input: records [conn(1) delay(1) length(1) bytes(length)]; the low bits
// of conn pick the connection (a closed one is reopened), the high bits how
// much the socket takes per write.
#include <cstdint>
#include <cstring>

#include "coap3/coap.h"
#include "core/context.h"
#include "core/stream.h"
#include "fuzz_support.h"
#include "wire/tcp_frame.h"

namespace {

constexpr int kConns = 3;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static fuzz::SwallowIo<kConns> io;
  coap_set_log_level(COAP_LOG_EMERG);
  coap_endpoint_t *ep = nullptr;
  coap_context_t *ctx = fuzz::stream_server(&io, COAP_PROTO_TCP, 5683, &ep);
  uint64_t now = 1000;
  size_t pos = 0;
  uint16_t port = 40000;
  while (pos + 3 <= size) {
    int which = data[pos] % kConns;
    io.window = (data[pos] >> 4) ? static_cast<size_t>(data[pos] >> 4) * 7 : SIZE_MAX;
    now += data[pos + 1] * 10u;
    size_t len = data[pos + 2];
    pos += 3;
    if (len > size - pos) len = size - pos;
    ctx->timers.run(now);
    if (!io.conns[which]) {
      coap_addr_tuple_t addrs;
      addrs.remote = fuzz::address(static_cast<uint8_t>(10 + which), port++);
      addrs.local = fuzz::address(1, 5683);
      coap_session_t *s = coap::stream::accepted(ep, addrs, now);
      if (s) {
        s->fd = 100 + which;
        io.conns[which] = s;
        coap::stream::start(s, now);
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
  // The header scan agrees with itself on any bytes.
  coap::wire::TcpFrameScan scan = coap::wire::scan_tcp_frame(data, size);
  if (scan.status == coap::wire::TcpFrameScan::kComplete && scan.total < scan.need)
    __builtin_trap();
  ctx->timers.run(now + 600 * 1000);
  coap_context_t::destroy(ctx);
  for (coap_session_t *&c : io.conns) c = nullptr;
  return 0;
}
