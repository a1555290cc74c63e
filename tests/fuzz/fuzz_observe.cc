// Fuzzes the server side of Observe: datagrams from a few peers
// (registrations, deregistrations, RSTs, ACKs, anything) mixed with
// application calls - reporting changes, switching observability and
// notification mode, deleting and re-adding resources - and time moving
// on so CON notifications are retransmitted and given up. No sockets:
// replies go to a PacketIo that discards them.
//
// Input: records [op(1) arg(1) ...]:
//   op % 6 == 0: datagram from peer arg%4: [length(1) bytes(length)]
//   op % 6 == 1: coap_resource_notify_observers() on resource arg%4
//   op % 6 == 2: time advances arg * 100 ms (timers run)
//   op % 6 == 3: resource arg%4 deleted (4.04 to observers) and re-created
//   op % 6 == 4: observability of resource arg%4 toggled
//   op % 6 == 5: notification mode of resource arg%4 set to arg/4 % 3
// The handler answers with a code taken from the request's last byte.
#include <cstdint>
#include <cstring>

#include "coap3/coap.h"
#include "core/context.h"
#include "core/messaging.h"
#include "core/observe.h"
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

const char *const kPaths[] = {"obs", "con", "non", "x/y"};

void get(coap_resource_t *, coap_session_t *, const coap_pdu_t *request, const coap_string_t *,
         coap_pdu_t *response) {
  static const coap_pdu_code_t codes[] = {COAP_RESPONSE_CODE_CONTENT, COAP_RESPONSE_CODE_VALID,
                                          COAP_RESPONSE_CODE_NOT_FOUND,
                                          COAP_RESPONSE_CODE_INTERNAL_ERROR, COAP_EMPTY_CODE};
  size_t len = 0;
  const uint8_t *data = nullptr;
  coap_get_data(request, &len, &data);
  coap_pdu_code_t code = codes[len ? data[len - 1] % 5 : 0];
  if (code != COAP_EMPTY_CODE) coap_pdu_set_code(response, code);
  coap_add_data(response, 5, reinterpret_cast<const uint8_t *>("value"));
}

coap_resource_t *make(coap_context_t *ctx, int i) {
  static const int flags[] = {0, COAP_RESOURCE_FLAGS_NOTIFY_CON,
                              COAP_RESOURCE_FLAGS_NOTIFY_NON_ALWAYS, 0};
  coap_resource_t *r = coap_resource_init(coap_make_str_const(kPaths[i]), flags[i]);
  coap_register_request_handler(r, COAP_REQUEST_GET, get);
  coap_register_request_handler(r, COAP_REQUEST_FETCH, get);
  coap_resource_set_get_observable(r, 1);
  coap_add_resource(ctx, r);
  return r;
}

}  // namespace

// Deterministic message ids (starting at 0) so inputs can answer them.
static int zero_prng(void *out, size_t len) {
  std::memset(out, 0, len);
  return 1;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static NullIo io;
  coap_set_log_level(COAP_LOG_EMERG);
  coap_set_prng(zero_prng);
  coap_context_t *ctx = coap_context_t::create();
  ctx->io = &io;
  coap_endpoint_t *ep = coap_endpoint_t::create(ctx, fuzz::address(1, 5683), COAP_PROTO_UDP);
  coap_resource_t *res[4];
  for (int i = 0; i < 4; ++i) res[i] = make(ctx, i);
  uint64_t now = 1000;
  size_t pos = 0;
  while (pos + 2 <= size) {
    uint8_t op = data[pos] % 6, arg = data[pos + 1];
    pos += 2;
    int k = arg % 4;
    switch (op) {
      case 0: {
        if (pos >= size) break;
        size_t len = data[pos++];
        if (len > size - pos) len = size - pos;
        coap_addr_tuple_t addrs;
        addrs.remote = fuzz::address(static_cast<uint8_t>(10 + k), 40000);
        addrs.local = fuzz::address(1, 5683);
        coap::receive_datagram(ctx, ep, nullptr, data + pos, len, addrs, 1, now);
        pos += len;
        break;
      }
      case 1:
        coap::observe::notify_observers(res[k], now);
        break;
      case 2:
        now += arg * 100u;
        ctx->timers.run(now);
        break;
      case 3:
        coap_delete_resource(ctx, res[k]);
        res[k] = make(ctx, k);
        break;
      case 4:
        coap_resource_set_get_observable(res[k], !res[k]->observable);
        break;
      case 5: {
        static const int modes[] = {COAP_RESOURCE_FLAGS_NOTIFY_NON, COAP_RESOURCE_FLAGS_NOTIFY_CON,
                                    COAP_RESOURCE_FLAGS_NOTIFY_NON_ALWAYS};
        coap_resource_set_mode(res[k], modes[(arg / 4) % 3]);
        break;
      }
    }
    ctx->timers.run(now);
  }
  ctx->timers.run(now + 600 * 1000);
  coap_context_t::destroy(ctx);
  return 0;
}
