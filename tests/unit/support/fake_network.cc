#include "fake_network.h"

#include <errno.h>

#include <algorithm>

#include "core/stream.h"

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
  do {
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
          if (!handled && !s->reliable() &&
              coap_address_get_port(&s->addr_info.local) == coap_address_get_port(&p.to)) {
            handled = true;
            receive_datagram(h->ctx, nullptr, s, p.bytes.data(), p.bytes.size(), addrs, 1, now);
          }
        });
        if (handled) break;
        h->ctx->endpoints.for_each([&](coap_endpoint_t *ep) {
          if (!handled && !COAP_PROTO_RELIABLE(ep->proto) &&
              coap_address_get_port(&ep->bind_addr) == coap_address_get_port(&p.to)) {
            handled = true;
            receive_datagram(h->ctx, ep, nullptr, p.bytes.data(), p.bytes.size(), addrs, 1, now);
          }
        });
        break;
      }
    }
  } while (deliver_streams() || !in_flight.empty());
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

// --- streams ---------------------------------------------------------------

void Conn::inject(const std::vector<uint8_t> &bytes) {
  if (raw_server) to_client.insert(to_client.end(), bytes.begin(), bytes.end());
  if (raw_client) to_server.insert(to_server.end(), bytes.begin(), bytes.end());
}

void Conn::raw_close() {
  if (raw_server) server_closed = true;
  if (raw_client) client_closed = true;
}

Conn *FakeNetwork::conn_of(const coap_session_t *s) {
  for (auto &c : conns) {
    if (c->client == s || c->server == s) return c.get();
  }
  return nullptr;
}

Conn *FakeNetwork::raw_connect(const coap_address_t &from, const coap_address_t &to) {
  auto c = std::make_unique<Conn>();
  c->client_addr = from;
  c->server_addr = to;
  c->raw_client = true;
  conns.push_back(std::move(c));
  return conns.back().get();
}

bool FakeHost::stream_connect(coap_session_t *session) {
  coap_address_t local = address;
  coap_address_set_port(&local, next_port_++);
  session->addr_info.local = local;
  auto c = std::make_unique<Conn>();
  c->client_addr = local;
  c->server_addr = session->addr_info.remote;
  c->client_host = this;
  c->client = session;
  net_->conns.push_back(std::move(c));
  return true;
}

ssize_t FakeHost::stream_write(coap_session_t *session, const uint8_t *data, size_t length) {
  Conn *c = net_->conn_of(session);
  if (!c) return -1;
  bool from_client = c->client == session;
  if (from_client ? c->client_closed : c->server_closed) return -1;
  size_t &budget = from_client ? c->write_budget_client : c->write_budget_server;
  size_t n = length < budget ? length : budget;
  if (budget != SIZE_MAX) budget -= n;
  if (n < length) (from_client ? c->client_blocked : c->server_blocked) = true;
  auto &queue = from_client ? c->to_server : c->to_client;
  // What the peer has closed is swallowed, as a kernel would until a reset.
  if (!(from_client ? c->server_closed : c->client_closed)) {
    queue.insert(queue.end(), data, data + n);
  }
  return static_cast<ssize_t>(n);
}

void FakeHost::stream_linger(coap_session_t *session, const uint8_t *data, size_t length) {
  // The last output still reaches the peer, then the close.
  Conn *c = net_->conn_of(session);
  if (c && !(c->client == session ? c->server_closed : c->client_closed)) {
    auto &queue = c->client == session ? c->to_server : c->to_client;
    queue.insert(queue.end(), data, data + length);
  }
  ++lingered;
  stream_close(session);
}

void FakeHost::stream_close(coap_session_t *session) {
  Conn *c = net_->conn_of(session);
  if (!c) return;
  if (c->client == session) {
    c->client_closed = true;
    c->client = nullptr;
  } else {
    c->server_closed = true;
    c->server = nullptr;
  }
}

namespace {

// Hands bytes to a session end in pieces of at most `chunk` bytes; stops
// when the session lets go of the connection.
bool feed(std::deque<uint8_t> &queue, coap_session_t *const &session, size_t chunk, uint64_t now) {
  bool any = false;
  while (!queue.empty() && session) {
    size_t n = chunk && chunk < queue.size() ? chunk : queue.size();
    std::vector<uint8_t> piece(queue.begin(), queue.begin() + static_cast<long>(n));
    queue.erase(queue.begin(), queue.begin() + static_cast<long>(n));
    stream::input(session, piece.data(), piece.size(), now);
    any = true;
  }
  return any;
}

}  // namespace

bool FakeNetwork::deliver_streams() {
  bool progress = false;
  for (size_t i = 0; i < conns.size(); ++i) {
    Conn *c = conns[i].get();
    if (c->connect_pending) {
      c->connect_pending = false;
      progress = true;
      bool raw = false;
      for (const coap_address_t &a : raw_listeners) {
        if (coap_address_equals(&a, &c->server_addr)) raw = true;
      }
      coap_endpoint_t *ep = nullptr;
      FakeHost *sh = nullptr;
      for (FakeHost *h : hosts) {
        if (!same_host(h->address, c->server_addr)) continue;
        h->ctx->endpoints.for_each([&](coap_endpoint_t *e) {
          if (!ep && COAP_PROTO_RELIABLE(e->proto) &&
              coap_address_get_port(&e->bind_addr) == coap_address_get_port(&c->server_addr)) {
            ep = e;
            sh = h;
          }
        });
      }
      if (!raw && !ep) {
        c->refused = true;
        c->server_closed = c->told_client = c->told_server = true;
        if (c->client) stream::closed(c->client, ECONNREFUSED, now);
        continue;
      }
      // The client's connect completes (the kernel's handshake) before the
      // server application accepts.
      if (c->client) stream::connected(c->client, now);
      if (raw) {
        c->raw_server = true;
      } else {
        coap_addr_tuple_t addrs;
        addrs.remote = c->client_addr;
        addrs.local = c->server_addr;
        coap_session_t *s = stream::accepted(ep, addrs, now);
        if (!s) {
          // Refused by the server (out of memory): a reset.
          c->server_closed = true;
          continue;
        }
        c->server = s;
        c->server_host = sh;
        stream::start(s, now);
      }
    }
    // Sockets that came up short take more now.
    if (c->client_blocked || c->server_blocked) progress = true;
    c->write_budget_client = c->write_budget_server = write_window;
    if (c->client_blocked) {
      c->client_blocked = false;
      if (c->client) stream::writable(c->client, now);
    }
    if (c->server_blocked) {
      c->server_blocked = false;
      if (c->server) stream::writable(c->server, now);
    }
    if (c->raw_server) {
      progress |= !c->to_server.empty();
      c->raw_in.insert(c->raw_in.end(), c->to_server.begin(), c->to_server.end());
      c->to_server.clear();
    } else if (c->server_closed) {
      c->to_server.clear();
    } else {
      progress |= feed(c->to_server, c->server, stream_chunk, now);
    }
    if (c->raw_client) {
      progress |= !c->to_client.empty();
      c->raw_in.insert(c->raw_in.end(), c->to_client.begin(), c->to_client.end());
      c->to_client.clear();
    } else if (c->client_closed) {
      c->to_client.clear();
    } else {
      progress |= feed(c->to_client, c->client, stream_chunk, now);
    }
    // A close reaches the other end after the bytes sent before it.
    if (c->client_closed && c->to_server.empty() && !c->told_server) {
      c->told_server = true;
      progress = true;
      if (c->server) stream::closed(c->server, 0, now);
    }
    if (c->server_closed && c->to_client.empty() && !c->told_client) {
      c->told_client = true;
      progress = true;
      if (c->client) stream::closed(c->client, 0, now);
    }
  }
  return progress;
}

}  // namespace coap::test
