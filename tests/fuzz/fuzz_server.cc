// Fuzzes the whole receive path of a server: datagrams from a few peers
// go through parsing, duplicate detection, resource dispatch, handlers and
// response building, with time moving between them. No sockets: replies
// go to a PacketIo that discards them.
//
// Input: a sequence of records [peer(1) delay(1) length(1) bytes(length)].
#include <cstdint>
#include <cstring>

#include "coap3/coap.h"
#include "core/context.h"
#include "core/messaging.h"
#include "core/packet_io.h"
#include "fuzz_support.h"

namespace {

class NullIo final : public coap::PacketIo {
 public:
  ssize_t send(coap_session_t *, const uint8_t *, size_t length) override {
    return static_cast<ssize_t>(length);
  }
  bool open_client(coap_session_t *) override { return true; }
  void close_client(coap_session_t *) override {}
  bool open_endpoint(coap_endpoint_t *) override { return true; }
  void close_endpoint(coap_endpoint_t *) override {}
};

void echo(coap_resource_t *, coap_session_t *, const coap_pdu_t *request,
          const coap_string_t *query, coap_pdu_t *response) {
  size_t len;
  const uint8_t *data;
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
  if (query) coap_add_option(response, COAP_OPTION_LOCATION_QUERY, query->length, query->s);
  if (coap_get_data(request, &len, &data)) coap_add_data(response, len, data);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static NullIo io;
  coap_set_log_level(COAP_LOG_EMERG);
  coap_context_t *ctx = coap_context_t::create();
  ctx->io = &io;
  coap_endpoint_t *ep = coap_endpoint_t::create(ctx, fuzz::address(1, 5683), COAP_PROTO_UDP);
  const char *paths[] = {"", "a", "a/b", "obs"};
  for (const char *p : paths) {
    coap_resource_t *r = coap_resource_init(coap_make_str_const(p), 0);
    coap_register_request_handler(r, COAP_REQUEST_GET, echo);
    coap_register_request_handler(r, COAP_REQUEST_PUT, echo);
    coap_register_request_handler(r, COAP_REQUEST_FETCH, echo);
    coap_add_attr(r, coap_make_str_const("rt"), coap_make_str_const("\"x y\""), 0);
    coap_add_resource(ctx, r);
  }
  uint64_t now = 1000;
  size_t pos = 0;
  while (pos + 3 <= size) {
    uint8_t peer = data[pos] & 3;
    now += data[pos + 1] * 1000u;
    size_t len = data[pos + 2];
    pos += 3;
    if (len > size - pos) len = size - pos;
    coap_addr_tuple_t addrs;
    addrs.remote = fuzz::address(static_cast<uint8_t>(10 + peer), 40000);
    addrs.local = fuzz::address(1, 5683);
    ctx->timers.run(now);
    coap::receive_datagram(ctx, ep, nullptr, data + pos, len, addrs, 1, now);
    pos += len;
  }
  ctx->timers.run(now + 600 * 1000);
  coap_context_t::destroy(ctx);
  return 0;
}
