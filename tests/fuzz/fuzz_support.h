// Pieces shared by the fuzz targets that drive a server context: a fake
// address, a request handler that echoes the payload, and a PacketIo that
// accepts every datagram and every stream write (up to a window the input
// controls) without touching a socket.
#pragma once

#include <netinet/in.h>

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"
#include "core/context.h"
#include "core/endpoint.h"
#include "core/packet_io.h"
#include "core/session.h"

namespace fuzz {

// 10.0.0.host:port
inline coap_address_t address(uint8_t host, uint16_t port) {
  coap_address_t a;
  coap_address_init(&a);
  a.addr.sin.sin_family = AF_INET;
  a.addr.sin.sin_port = htons(port);
  a.addr.sin.sin_addr.s_addr = htonl(0x0a000000u | host);
  a.size = sizeof(a.addr.sin);
  return a;
}

// 2.05 with the request's payload.
inline void echo(coap_resource_t *, coap_session_t *, const coap_pdu_t *request,
                 const coap_string_t *, coap_pdu_t *response) {
  size_t len;
  const uint8_t *data;
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
  if (coap_get_data(request, &len, &data)) coap_add_data(response, len, data);
}

// Swallows output. Stream writes take at most `window` bytes: sometimes
// the socket is full and the core must queue, never drop. Closed
// connections are forgotten in `conns` so the target can reopen them.
template <int Conns>
class SwallowIo final : public coap::PacketIo {
 public:
  ssize_t send(coap_session_t *, const uint8_t *, size_t length) override {
    return static_cast<ssize_t>(length);
  }
  bool open_client(coap_session_t *) override { return true; }
  void close_client(coap_session_t *) override {}
  bool open_endpoint(coap_endpoint_t *) override { return true; }
  void close_endpoint(coap_endpoint_t *) override {}
  ssize_t stream_write(coap_session_t *s, const uint8_t *, size_t length) override {
    if (s->fd < 0) return -1;
    return static_cast<ssize_t>(length < window ? length : window);
  }
  void stream_close(coap_session_t *s) override {
    for (coap_session_t *&c : conns) {
      if (c == s) c = nullptr;
    }
    s->fd = -1;
  }
  size_t window = SIZE_MAX;
  coap_session_t *conns[Conns] = {};
};

// A server context on io (small limits, so big inputs are cheap to refuse)
// with a stream endpoint of proto at 10.0.0.1:port and echoing, observable
// resources "", "a" and "obs". *ep receives the endpoint.
inline coap_context_t *stream_server(coap::PacketIo *io, coap_proto_t proto, uint16_t port,
                                     coap_endpoint_t **ep) {
  coap_context_t *ctx = coap_context_t::create();
  ctx->io = io;
  ctx->block_mode = COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY;
  ctx->csm_max_message_size = 4096;
  ctx->max_idle_sessions = 2;
  *ep = coap_endpoint_t::create(ctx, address(1, port), proto);
  const char *paths[] = {"", "a", "obs"};
  for (const char *p : paths) {
    coap_resource_t *r = coap_resource_init(coap_make_str_const(p), 0);
    coap_register_request_handler(r, COAP_REQUEST_GET, echo);
    coap_register_request_handler(r, COAP_REQUEST_PUT, echo);
    coap_resource_set_get_observable(r, 1);
    coap_add_resource(ctx, r);
  }
  return ctx;
}

}  // namespace fuzz
