// Two engines talking through memory: queued output of one is fed to the
// other, with optional loss, on a fake clock.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "core/tls_engine.h"
#include "util/memory.h"

namespace tlstest {

using coap::tls::Backend;
using coap::tls::Engine;
using coap::tls::Kind;
using coap::tls::Status;
using Bytes = std::vector<uint8_t>;

inline Bytes bytes(const std::string &s) {
  return Bytes(s.begin(), s.end());
}

inline coap_bin_const_t bin(const char *s) {
  return coap_bin_const_t{std::strlen(s), reinterpret_cast<const uint8_t *>(s)};
}

struct Sink : coap::tls::PlaintextSink {
  std::vector<Bytes> records;
  void deliver(const uint8_t *data, size_t length) override {
    records.emplace_back(data, data + length);
  }
  std::string text() const {
    std::string all;
    for (const Bytes &r : records) all.append(r.begin(), r.end());
    return all;
  }
};

inline std::vector<Bytes> take_all(Engine *engine) {
  std::vector<Bytes> out;
  const uint8_t *data;
  size_t length;
  while (engine->next_output(&data, &length)) out.emplace_back(data, data + length);
  return out;
}

struct Side {
  Engine *engine = nullptr;
  Sink sink;
  bool connected = false, failed = false, closed = false;
  std::vector<size_t> sent_sizes;
  void note(Status s) {
    if (s == Status::kConnected) connected = true;
    if (s == Status::kFailed) failed = true;
    if (s == Status::kClosed) closed = true;
  }
};

struct Wire {
  Side client, server;
  uint64_t now = 0;
  // Return true to lose a datagram (from_client tells its direction).
  std::function<bool(bool from_client, const Bytes &)> drop;
  int moved = 0;

  ~Wire() {
    coap::destroy(client.engine);
    coap::destroy(server.engine);
  }

  // Delivers queued output both ways until nothing is left.
  void pump(int rounds = 64) {
    for (int i = 0; i < rounds; ++i) {
      bool any = move(client, server, true);
      any = move(server, client, false) || any;
      if (!any) return;
    }
  }

  bool move(Side &from, Side &to, bool from_client) {
    if (!from.engine) return false;
    std::vector<Bytes> out = take_all(from.engine);
    for (const Bytes &d : out) {
      from.sent_sizes.push_back(d.size());
      ++moved;
      if (drop && drop(from_client, d)) continue;
      if (to.engine) to.note(to.engine->feed(d.data(), d.size(), &to.sink, now));
    }
    return !out.empty();
  }

  // Starts the client and runs until both sides are connected (or one
  // failed), firing timers on the fake clock when traffic stops.
  bool handshake(int max_timer_steps = 20) {
    client.note(client.engine->start(now));
    for (int step = 0;; ++step) {
      pump();
      if ((client.connected && server.connected) || client.failed || server.failed) break;
      if (step >= max_timer_steps) break;
      uint64_t next = client.engine->next_timeout(now);
      uint64_t s = server.engine->next_timeout(now);
      if (s < next) next = s;
      if (next == UINT64_MAX) break;
      now = next;
      client.note(client.engine->on_timer(now));
      server.note(server.engine->on_timer(now));
    }
    return client.connected && server.connected && !client.failed && !server.failed;
  }
};

}  // namespace tlstest
