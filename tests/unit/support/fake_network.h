// An in-memory network for driving the protocol core without sockets or a
// real clock: each PacketIo send lands in a queue, and tests deliver the
// queue (or drop packets) at a time they choose.
#pragma once

#include <arpa/inet.h>

#include <deque>
#include <functional>
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

 private:
  FakeNetwork *net_;
  uint16_t next_port_ = 40000;
};

class FakeNetwork {
 public:
  std::deque<Packet> in_flight;
  std::vector<Packet> sent_log;  // every packet ever sent
  std::vector<FakeHost *> hosts;
  uint64_t now = 1000;  // ms ticks

  // Delivers queued packets (including ones sent while delivering) until
  // the queue is empty; `drop` can discard chosen packets.
  void deliver(std::function<bool(const Packet &)> drop = nullptr);
  // Moves time forward, firing every host's due timers in order.
  void advance(uint64_t ms);
  // Runs timers at the current time.
  void run_timers();
};

}  // namespace coap::test
