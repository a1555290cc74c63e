// The top-level object of a CoAP stack: endpoints, client sessions,
// resources, the application's handlers and settings, and the timers that
// drive retransmission and expiry. Time is always passed in (`now`, in ms
// ticks); the context never reads a clock or touches a socket itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>

#include "coap3/coap.h"
#include "core/async.h"
#include "core/cache.h"
#include "core/endpoint.h"
#include "core/mcast.h"
#include "core/packet_io.h"
#include "core/resource.h"
#include "core/resource_index.h"
#include "core/session.h"
#include "proto/dedup.h"
#include "util/timer_queue.h"
#include "wire/pdu_pool.h"

namespace coap {
class EventLoop;
struct ObserveRegistry;
}  // namespace coap
namespace coap::tls {
class Backend;
}

struct coap_context_t {
  static coap_context_t *create();
  // Frees every endpoint, session and resource (sessions are told
  // nothing further is coming).
  static void destroy(coap_context_t *context);

  // --- handlers registered by the application ---
  coap_response_handler_t response_handler = nullptr;
  coap_nack_handler_t nack_handler = nullptr;
  coap_ping_handler_t ping_handler = nullptr;
  coap_pong_handler_t pong_handler = nullptr;
  coap_event_handler_t event_handler = nullptr;
  coap_resource_release_userdata_handler_t release_userdata = nullptr;
  void *app_data = nullptr;

  // --- settings ---
  uint32_t block_mode = 0;         // COAP_BLOCK_* flags
  uint8_t max_block_szx = 6;       // largest block size offered (1024)
  unsigned max_idle_sessions = 0;  // 0: not limited
  unsigned max_handshake_sessions = 0;
  unsigned session_timeout = 0;  // seconds; 0: the default of 300
  unsigned csm_timeout_ms = 1000;
  uint32_t csm_max_message_size = 8388864;  // RFC 8323 CSM: 8 MiB + 256
  unsigned ping_timeout = 0;                // keepalive seconds; 0: off
  size_t max_token_size = 8;
  bool mcast_per_resource = false;
  coap_opt_filter_t known_options{};  // registered by coap_register_option
  uint64_t block_etag = 0;            // last ETag made up by coap_add_data_large_response()
  // The core's `now` while a request handler runs (in_handler): the C
  // entry points the handler calls use it instead of the system clock
  // (capi/api_lock.h), so every tick of an exchange comes from one clock.
  // Handlers do not nest, so one value serves all sessions.
  uint64_t handler_now = 0;
  bool in_handler = false;

  // --- what the context owns ---
  coap::EndpointList endpoints;
  coap::SessionList client_sessions;
  coap::ResourceList resources;  // in registration order (for link format)
  coap::ResourceIndex resource_index;
  coap_resource_t *unknown_resource = nullptr;
  coap_resource_t *proxy_uri_resource = nullptr;

  coap::DelayedReplyList delayed_replies;  // multicast responses in leisure

  coap::ObserveRegistry *observe = nullptr;  // observe indexes (core/observe.cc), lazily made

  coap::AsyncList async_states;  // separate responses waiting (core/async.h)
  coap::CacheStore cache;        // coap_cache.h entries (core/cache.h)

  coap::TimerQueue timers;
  coap::DedupTable dedup;  // recently received message ids and replies
  // Messages of the packet path are recycled through here (made on first
  // use); new_pdu() is coap_pdu_t::create() with a pooled message when
  // capacity (bytes the caller will put in it) fits the default size.
  coap::PduPool *pdu_pool = nullptr;
  coap_pdu_t *new_pdu(coap_pdu_type_t type, coap_pdu_code_t code, coap_mid_t mid, size_t max_size,
                      size_t capacity = 0);
  uint32_t last_session_serial = 0;
  // A serial for a new or reset session (never 0).
  uint32_t next_session_serial() {
    if (++last_session_serial == 0) ++last_session_serial;
    return last_session_serial;
  }
  coap::PacketIo *io = nullptr;     // where datagrams go
  coap::EventLoop *loop = nullptr;  // sockets and epoll (may be null in tests)
  std::recursive_mutex lock;        // held by every public entry point
  // (D)TLS credentials and engines (core/secure.h), made on first use.
  coap::tls::Backend *tls = nullptr;

  // The server session of a peer, on any endpoint (ifindex 0: any).
  coap_session_t *find_server_session(const coap_address_t &remote, int ifindex) const;
  coap_resource_t *find_resource(const uint8_t *path, size_t length) const;
  // Registers resource (replacing one with the same path) / removes it.
  void add_resource(coap_resource_t *resource);
  bool remove_resource(coap_resource_t *resource);

  // Delivers an event to the application's handler (if any).
  int notify(coap_session_t *session, coap_event_t event);
};

namespace coap {
using Context = ::coap_context_t;
}
