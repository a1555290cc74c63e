// Fuzz target for the block-wise engine: a server (single-body Block1
// reassembly and a large Block2 resource) and a client (an upload and a
// download in progress) both in block mode, fed the input as datagrams.
// Input format: repeated [dir][len_hi][len_lo][len bytes]; dir bit 0 picks
// the server endpoint or the client session, bit 1 lets the real traffic
// queued so far flow first, bit 2 moves the clock 30 s on. The engine must
// never crash, read out of bounds or leak, whatever the peer says.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <vector>

#include "coap3/coap.h"
#include "core/blockwise.h"
#include "core/context.h"
#include "core/endpoint.h"
#include "core/messaging.h"
#include "core/packet_io.h"
#include "core/session_manager.h"
#include "wire/pdu.h"

namespace {

struct Datagram {
  bool to_server;
  std::vector<uint8_t> bytes;
};

std::deque<Datagram> *g_queue;
uint8_t g_body[6000];

class LoopIo final : public coap::PacketIo {
 public:
  explicit LoopIo(bool server) : server_(server) {}
  ssize_t send(coap_session_t *, const uint8_t *data, size_t length) override {
    if (g_queue->size() < 64)
      g_queue->push_back({!server_, std::vector<uint8_t>(data, data + length)});
    return static_cast<ssize_t>(length);
  }
  bool open_client(coap_session_t *) override { return true; }
  void close_client(coap_session_t *) override {}
  bool open_endpoint(coap_endpoint_t *) override { return true; }
  void close_endpoint(coap_endpoint_t *) override {}

 private:
  bool server_;
};

void big_get(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *request,
             const coap_string_t *query, coap_pdu_t *response) {
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
  coap_add_data_large_response(r, s, request, response, query, 0, 60, 0, sizeof(g_body), g_body,
                               nullptr, nullptr);
}

void store_put(coap_resource_t *, coap_session_t *, const coap_pdu_t *request,
               const coap_string_t *, coap_pdu_t *response) {
  size_t len = 0, offset = 0, total = 0;
  const uint8_t *data = nullptr;
  volatile uint8_t sink = 0;
  if (coap_get_data_large(request, &len, &data, &offset, &total)) {
    for (size_t i = 0; i < len; ++i) sink = sink + data[i];  // every byte must be readable
  }
  (void)sink;
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CHANGED);
}

coap_response_t on_response(coap_session_t *, const coap_pdu_t *, const coap_pdu_t *rcvd,
                            const coap_mid_t) {
  size_t len = 0, offset = 0, total = 0;
  const uint8_t *data = nullptr;
  volatile uint8_t sink = 0;
  if (coap_get_data_large(rcvd, &len, &data, &offset, &total)) {
    for (size_t i = 0; i < len; ++i) sink = sink + data[i];
  }
  (void)sink;
  return COAP_RESPONSE_OK;
}

coap_address_t ipv4(uint32_t host, uint16_t port) {
  coap_address_t a;
  coap_address_init(&a);
  a.addr.sin.sin_family = AF_INET;
  a.addr.sin.sin_port = htons(port);
  a.addr.sin.sin_addr.s_addr = htonl(host);
  a.size = sizeof(a.addr.sin);
  return a;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::deque<Datagram> queue;
  g_queue = &queue;
  uint64_t now = 1000;
  LoopIo server_io(true), client_io(false);
  coap_context_t *server = coap_context_t::create();
  coap_context_t *client = coap_context_t::create();
  server->io = &server_io;
  client->io = &client_io;
  server->block_mode = COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY;
  client->block_mode = COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY;
  coap_address_t server_addr = ipv4(0x0a000001, 5683);
  coap_address_t client_addr = ipv4(0x0a000002, 40000);
  coap_endpoint_t *ep = coap_endpoint_t::create(server, server_addr, COAP_PROTO_UDP);
  coap_resource_t *r = coap_resource_init(coap_make_str_const("big"), 0);
  coap_register_request_handler(r, COAP_REQUEST_GET, big_get);
  coap_add_resource(server, r);
  r = coap_resource_init(coap_make_str_const("store"), 0);
  coap_register_request_handler(r, COAP_REQUEST_PUT, store_put);
  coap_add_resource(server, r);
  coap_register_response_handler(client, on_response);
  coap_session_t *session =
      coap::new_client_session(client, nullptr, server_addr, COAP_PROTO_UDP, now);
  if (!ep || !session) return 0;
  session->addr_info.local = client_addr;

  // A download and an upload in progress.
  const uint8_t t1[] = {1}, t2[] = {2};
  coap_pdu_t *get = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, session->next_mid(),
                                       session->max_pdu_size());
  get->add_token(t1, 1);
  get->add_option(COAP_OPTION_URI_PATH, reinterpret_cast<const uint8_t *>("big"), 3);
  coap::blockwise::send(session, get, now);
  coap_pdu_t *put = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_REQUEST_CODE_PUT, session->next_mid(),
                                       session->max_pdu_size());
  put->add_token(t2, 1);
  put->add_option(COAP_OPTION_URI_PATH, reinterpret_cast<const uint8_t *>("store"), 5);
  coap::blockwise::add_data_large_request(session, put, sizeof(g_body), g_body, nullptr, nullptr,
                                          now);
  coap::blockwise::send(session, put, now);

  coap_addr_tuple_t to_server{client_addr, server_addr};
  coap_addr_tuple_t to_client{server_addr, client_addr};
  auto inject = [&](bool to_srv, const uint8_t *bytes, size_t n) {
    if (to_srv) {
      coap::receive_datagram(server, ep, nullptr, bytes, n, to_server, 1, now);
    } else {
      coap::receive_datagram(client, nullptr, session, bytes, n, to_client, 1, now);
    }
  };
  auto flow = [&](int budget) {
    while (!queue.empty() && budget-- > 0) {
      Datagram d = queue.front();
      queue.pop_front();
      inject(d.to_server, d.bytes.data(), d.bytes.size());
    }
  };
  size_t pos = 0;
  while (pos + 3 <= size) {
    uint8_t dir = data[pos];
    size_t n = (static_cast<size_t>(data[pos + 1]) << 8) | data[pos + 2];
    pos += 3;
    if (n > size - pos) n = size - pos;
    if (dir & 2) flow(8);
    if (dir & 4) {
      now += 30000;
      server->timers.run(now);
      client->timers.run(now);
    }
    inject(dir & 1, data + pos, n);
    pos += n;
  }
  flow(200);
  coap::release_session(session);
  coap_context_t::destroy(client);
  coap_context_t::destroy(server);
  return 0;
}
