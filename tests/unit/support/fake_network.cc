#include "fake_network.h"

#include <algorithm>

namespace coap::test {

FakeHost::FakeHost(FakeNetwork *net, const char *ip) : net_(net) {
  ctx = coap_context_t::create();
  ctx->io = this;
  address = ipv4(ip, 0);
  net->hosts.push_back(this);
}

FakeHost::~FakeHost() {
  coap_context_t::destroy(ctx);
  net_->hosts.erase(std::find(net_->hosts.begin(), net_->hosts.end(), this));
}

ssize_t FakeHost::send(coap_session_t *session, const uint8_t *data, size_t length) {
  Packet p;
  p.from = session->addr_info.local;
  p.to = session->addr_info.remote;
  p.bytes.assign(data, data + length);
  net_->in_flight.push_back(p);
  net_->sent_log.push_back(p);
  return static_cast<ssize_t>(length);
}

bool FakeHost::open_client(coap_session_t *session) {
  coap_address_t local = address;
  coap_address_set_port(&local, next_port_++);
  session->addr_info.local = local;
  return true;
}

bool FakeHost::open_endpoint(coap_endpoint_t *endpoint) {
  coap_address_t bound = address;
  uint16_t port = coap_address_get_port(&endpoint->bind_addr);
  coap_address_set_port(&bound, port ? port : COAP_DEFAULT_PORT);
  endpoint->bind_addr = bound;
  return true;
}

namespace {

bool same_host(const coap_address_t &a, const coap_address_t &b) {
  return a.addr.sin.sin_addr.s_addr == b.addr.sin.sin_addr.s_addr;
}

}  // namespace

void FakeNetwork::deliver(std::function<bool(const Packet &)> drop) {
  while (!in_flight.empty()) {
    Packet p = in_flight.front();
    in_flight.pop_front();
    if (drop && drop(p)) continue;
    for (FakeHost *h : hosts) {
      if (!same_host(h->address, p.to)) continue;
      coap_addr_tuple_t addrs;
      addrs.remote = p.from;
      addrs.local = p.to;
      bool handled = false;
      // A client session bound to that local port?
      h->ctx->client_sessions.for_each([&](coap_session_t *s) {
        if (!handled &&
            coap_address_get_port(&s->addr_info.local) == coap_address_get_port(&p.to)) {
          handled = true;
          receive_datagram(h->ctx, nullptr, s, p.bytes.data(), p.bytes.size(), addrs, 1, now);
        }
      });
      if (handled) break;
      h->ctx->endpoints.for_each([&](coap_endpoint_t *ep) {
        if (!handled && coap_address_get_port(&ep->bind_addr) == coap_address_get_port(&p.to)) {
          handled = true;
          receive_datagram(h->ctx, ep, nullptr, p.bytes.data(), p.bytes.size(), addrs, 1, now);
        }
      });
      break;
    }
  }
}

void FakeNetwork::run_timers() {
  for (FakeHost *h : hosts) h->ctx->timers.run(now);
}

void FakeNetwork::advance(uint64_t ms) {
  uint64_t end = now + ms;
  // Step from one due timer to the next so callbacks see exact times.
  for (;;) {
    uint64_t next = end;
    for (FakeHost *h : hosts) {
      if (!h->ctx->timers.empty() && h->ctx->timers.next_due() < next) {
        next = h->ctx->timers.next_due();
      }
    }
    now = next < now ? now : next;
    run_timers();
    if (now >= end) break;
  }
}

}  // namespace coap::test
