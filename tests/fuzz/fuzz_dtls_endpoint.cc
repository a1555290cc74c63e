// Fuzzes a DTLS server endpoint as the core drives it (core/dtls.h):
// stateless screening of unknown peers, session creation, records for an
// established session, timers and the handshake limit. A real client
// session connects first (through an in-memory PacketIo), then the input
// is a sequence of datagrams, each as [flags][length, 2 bytes][bytes]:
// flags bits 0-2 pick the sending peer (0: the connected client's
// address), bit 3 advances the clock by 1 s afterwards, bit 4 lets the
// client send a request first.
#include <arpa/inet.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <vector>

#include "coap3/coap.h"
#include "core/context.h"
#include "core/messaging.h"
#include "core/packet_io.h"
#include "core/secure.h"
#include "core/session_manager.h"
#include "wire/pdu.h"

namespace {

coap_address_t ipv4(const char *ip, uint16_t port) {
  coap_address_t a;
  coap_address_init(&a);
  a.addr.sin.sin_family = AF_INET;
  a.addr.sin.sin_port = htons(port);
  inet_pton(AF_INET, ip, &a.addr.sin.sin_addr);
  a.size = sizeof(a.addr.sin);
  return a;
}

struct Datagram {
  coap_address_t from, to;
  std::vector<uint8_t> bytes;
};

std::deque<Datagram> g_wire;

class Io final : public coap::PacketIo {
 public:
  explicit Io(const coap_address_t &self) : self_(self) {}
  ssize_t send(coap_session_t *s, const uint8_t *data, size_t length) override {
    if (g_wire.size() < 256)
      g_wire.push_back(
          {s->addr_info.local, s->addr_info.remote, std::vector<uint8_t>(data, data + length)});
    return static_cast<ssize_t>(length);
  }
  bool open_client(coap_session_t *s) override {
    s->addr_info.local = self_;
    return true;
  }
  void close_client(coap_session_t *) override {}
  bool open_endpoint(coap_endpoint_t *) override { return true; }
  void close_endpoint(coap_endpoint_t *) override {}

 private:
  coap_address_t self_;
};

void hello(coap_resource_t *, coap_session_t *, const coap_pdu_t *, const coap_string_t *,
           coap_pdu_t *response) {
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static bool quiet = [] {
    coap_set_log_level(COAP_LOG_EMERG);
    return true;
  }();
  (void)quiet;
  const coap_address_t server_addr = ipv4("10.0.0.1", 5684);
  const coap_address_t client_addr = ipv4("10.0.0.2", 40000);
  Io server_io(server_addr), client_io(client_addr);
  coap_context_t *server = coap_context_t::create();
  coap_context_t *client = coap_context_t::create();
  server->io = &server_io;
  client->io = &client_io;
  coap_context_set_max_handshake_sessions(server, 3);
  coap_dtls_spsk_t spsk = {};
  spsk.version = COAP_DTLS_SPSK_SETUP_VERSION;
  spsk.psk_info.key = {6, reinterpret_cast<const uint8_t *>("secret")};
  coap_context_set_psk2(server, &spsk);
  coap_endpoint_t *ep = coap_endpoint_t::create(server, server_addr, COAP_PROTO_DTLS);
  ep->bind_addr = server_addr;
  coap_resource_t *r = coap_resource_init(nullptr, 0);
  coap_register_request_handler(r, COAP_REQUEST_GET, hello);
  coap_add_resource(server, r);

  uint64_t now = 1000;
  coap_session_t *s = coap::new_client_session(client, nullptr, server_addr, COAP_PROTO_DTLS, now);
  coap_dtls_cpsk_t cpsk = {};
  cpsk.version = COAP_DTLS_CPSK_SETUP_VERSION;
  cpsk.psk_info.identity = {2, reinterpret_cast<const uint8_t *>("me")};
  cpsk.psk_info.key = {6, reinterpret_cast<const uint8_t *>("secret")};
  if (s) coap::secure::start_client(s, &cpsk, nullptr, now);

  auto deliver = [&]() {
    for (int i = 0; i < 512 && !g_wire.empty(); ++i) {
      Datagram d = g_wire.front();
      g_wire.pop_front();
      coap_addr_tuple_t addrs;
      addrs.remote = d.from;
      addrs.local = d.to;
      if (coap_address_equals(&d.to, &server_addr)) {
        coap::receive_datagram(server, ep, nullptr, d.bytes.data(), d.bytes.size(), addrs, 1, now);
      } else if (s && coap_address_equals(&d.to, &client_addr)) {
        coap::receive_datagram(client, nullptr, s, d.bytes.data(), d.bytes.size(), addrs, 1, now);
      }
    }
    g_wire.clear();
  };
  deliver();

  size_t pos = 0;
  while (pos + 3 <= size) {
    uint8_t flags = data[pos];
    size_t length = (static_cast<size_t>(data[pos + 1]) << 8) | data[pos + 2];
    pos += 3;
    if (length > size - pos) length = size - pos;
    if ((flags & 0x10) && s) {
      coap_pdu_t *pdu =
          coap_pdu_t::create(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, s->next_mid(), 64);
      if (pdu) coap::send_pdu(s, pdu, now);
    }
    unsigned peer = flags & 7;
    coap_address_t from = peer ? ipv4("10.0.0.9", static_cast<uint16_t>(1000 + peer)) : client_addr;
    g_wire.push_back({from, server_addr, std::vector<uint8_t>(data + pos, data + pos + length)});
    pos += length;
    deliver();
    if (flags & 8) {
      now += 1000;
      server->timers.run(now);
      client->timers.run(now);
      deliver();
    }
  }
  if (s) coap::release_session(s);
  g_wire.clear();
  coap_context_t::destroy(client);
  coap_context_t::destroy(server);
  return 0;
}
