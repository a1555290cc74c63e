// An in-memory network for driving the protocol core without sockets or a
// real clock: each PacketIo send lands in a queue, and tests deliver the
// queue (or drop packets) at a time they choose. Stream connections (TCP)
// are carried too: connects, accepted connections, bytes in both
// directions (optionally cut into small pieces), short writes, closes, and
// "raw" ends driven by the test itself instead of a context.
#pragma once

#include <arpa/inet.h>

#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "coap3/coap.h"
#include "core/context.h"
#include "core/messaging.h"
#include "core/packet_io.h"
#include "core/session_manager.h"

namespace coap::test {

inline coap_address_t ipv4(const char *ip, uint16_t port) {
  coap_address_t a;
  coap_address_init(&a);
  a.addr.sin.sin_family = AF_INET;
  a.addr.sin.sin_port = htons(port);
  inet_pton(AF_INET, ip, &a.addr.sin.sin_addr);
  a.size = sizeof(a.addr.sin);
  return a;
}

struct Packet {
  coap_address_t from;
  coap_address_t to;
  std::vector<uint8_t> bytes;
};

class FakeNetwork;

// One host on the fake network: a context whose PacketIo is the network.
class FakeHost final : public PacketIo {
 public:
  FakeHost(FakeNetwork *net, const char *ip);
  ~FakeHost() override;

  coap_context_t *ctx;
  coap_address_t address;  // port 0: filled per endpoint/session

  ssize_t send(coap_session_t *session, const uint8_t *data, size_t length) override;
  bool open_client(coap_session_t *session) override;
  void close_client(coap_session_t *) override {}
  bool open_endpoint(coap_endpoint_t *endpoint) override;
  void close_endpoint(coap_endpoint_t *) override {}
  bool stream_connect(coap_session_t *session) override;
  ssize_t stream_write(coap_session_t *session, const uint8_t *data, size_t length) override;
  void stream_close(coap_session_t *session) override;
  void stream_linger(coap_session_t *session, const uint8_t *data, size_t length) override;

  uint16_t take_port() { return next_port_++; }
  int lingered = 0;  // connections closed with output still to write

 private:
  FakeNetwork *net_;
  uint16_t next_port_ = 40000;
};

// One stream connection. Each end is a session of some host, or "raw":
// the test reads what reaches it (`raw_in`) and writes with inject().
struct Conn {
  coap_address_t client_addr{};
  coap_address_t server_addr{};
  FakeHost *client_host = nullptr;
  FakeHost *server_host = nullptr;
  coap_session_t *client = nullptr;  // nullptr: raw client, or let go
  coap_session_t *server = nullptr;
  bool raw_client = false;
  bool raw_server = false;
  bool connect_pending = true;  // the connect has not been answered yet
  bool refused = false;
  std::deque<uint8_t> to_server, to_client;
  bool client_closed = false, server_closed = false;  // that end closed its socket
  bool told_client = false, told_server = false;      // the other end heard of it
  std::vector<uint8_t> raw_in;                        // what reached the raw end
  size_t write_budget_client = SIZE_MAX, write_budget_server = SIZE_MAX;
  bool client_blocked = false, server_blocked = false;  // a write came up short

  // Bytes from the raw end towards the session end.
  void inject(const std::vector<uint8_t> &bytes);
  // The raw end closes its socket.
  void raw_close();
};

class FakeNetwork {
 public:
  std::deque<Packet> in_flight;
  std::vector<Packet> sent_log;  // every packet ever sent
  std::vector<FakeHost *> hosts;
  uint64_t now = 1000;  // ms ticks

  // Stream connections, in the order they were opened.
  std::vector<std::unique_ptr<Conn>> conns;
  // Largest piece of stream bytes handed over at once (0: all there is).
  size_t stream_chunk = 0;
  // Bytes a socket takes per delivery round before writes come up short
  // (SIZE_MAX: no limit); a short write is followed by a "writable".
  size_t write_window = SIZE_MAX;
  // Addresses where the test plays the server itself (raw accepted ends).
  std::vector<coap_address_t> raw_listeners;

  // Delivers queued packets (including ones sent while delivering) until
  // the queue is empty; `drop` can discard chosen packets. Stream connects,
  // bytes and closes are carried as well.
  void deliver(std::function<bool(const Packet &)> drop = nullptr);
  // Opens a connection from a raw client to `to` (accepted on delivery).
  Conn *raw_connect(const coap_address_t &from, const coap_address_t &to);
  // The connection a session is an end of.
  Conn *conn_of(const coap_session_t *session);
  // Moves time forward, firing every host's due timers in order.
  void advance(uint64_t ms);
  // Runs timers at the current time.
  void run_timers();

 private:
  bool deliver_streams();
};

}  // namespace coap::test
