// coap_net.h (context part) and coap_io.h: creating and configuring a
// context, registering handlers, and running its I/O.
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <string.h>
#include <sys/epoll.h>

#include "capi/api_lock.h"
#include "core/context.h"
#include "core/messaging.h"
#include "core/session_manager.h"
#include "runtime/clock.h"
#include "runtime/log.h"
#include "transport/event_loop.h"
#include "transport/udp.h"

using coap::ApiLock;

extern "C" {

coap_context_t *coap_new_context(const coap_address_t *listen_addr) {
  coap_startup();  // harmless if the program already did
  coap_context_t *ctx = coap_context_t::create();
  if (!ctx) return nullptr;
  ctx->loop = coap::EventLoop::create(ctx);
  if (!ctx->loop) {
    coap_context_t::destroy(ctx);
    return nullptr;
  }
  ctx->io = ctx->loop;
  if (listen_addr && !coap_new_endpoint(ctx, listen_addr, COAP_PROTO_UDP)) {
    LOGW("coap_new_context: cannot listen on the given address\n");
    coap_free_context(ctx);
    return nullptr;
  }
  return ctx;
}

void coap_free_context(coap_context_t *ctx) {
  if (!ctx) return;
  coap::EventLoop *loop = ctx->loop;
  {
    ApiLock lock(ctx);
    ctx->io = loop;  // sockets are closed through the loop while tearing down
  }
  coap_context_t::destroy(ctx);
  coap::EventLoop::destroy(loop);
}

void coap_context_set_app_data(coap_context_t *ctx, void *data) {
  if (ctx) ctx->app_data = data;
}

void *coap_context_get_app_data(const coap_context_t *ctx) {
  return ctx ? ctx->app_data : nullptr;
}

void coap_set_app_data(coap_context_t *ctx, void *data) {
  coap_context_set_app_data(ctx, data);
}

void *coap_get_app_data(const coap_context_t *ctx) {
  return coap_context_get_app_data(ctx);
}

void coap_register_response_handler(coap_context_t *ctx, coap_response_handler_t handler) {
  if (ctx) ctx->response_handler = handler;
}

void coap_register_nack_handler(coap_context_t *ctx, coap_nack_handler_t handler) {
  if (ctx) ctx->nack_handler = handler;
}

void coap_register_ping_handler(coap_context_t *ctx, coap_ping_handler_t handler) {
  if (ctx) ctx->ping_handler = handler;
}

void coap_register_pong_handler(coap_context_t *ctx, coap_pong_handler_t handler) {
  if (ctx) ctx->pong_handler = handler;
}

void coap_register_event_handler(coap_context_t *ctx, coap_event_handler_t handler) {
  if (ctx) ctx->event_handler = handler;
}

void coap_set_event_handler(coap_context_t *ctx, coap_event_handler_t handler) {
  coap_register_event_handler(ctx, handler);
}

void coap_clear_event_handler(coap_context_t *ctx) {
  coap_register_event_handler(ctx, nullptr);
}

void coap_register_option(coap_context_t *ctx, uint16_t type) {
  if (!ctx) return;
  ApiLock lock(ctx);
  coap_option_filter_set(&ctx->known_options, type);
}

void coap_context_set_block_mode(coap_context_t *ctx, uint32_t block_mode) {
  if (!ctx) return;
  ApiLock lock(ctx);
  // Q-Block is not part of this build: its flags are dropped, as in a
  // libcoap build without Q-Block support.
  ctx->block_mode = block_mode & ~(COAP_BLOCK_TRY_Q_BLOCK | COAP_BLOCK_USE_M_Q_BLOCK);
}

int coap_context_set_max_block_size(coap_context_t *ctx, size_t max_block_size) {
  if (!ctx) return 0;
  uint8_t szx;
  switch (max_block_size) {
    case 0:
      szx = 6;
      break;  // back to the largest standard size
    case 16:
      szx = 0;
      break;
    case 32:
      szx = 1;
      break;
    case 64:
      szx = 2;
      break;
    case 128:
      szx = 3;
      break;
    case 256:
      szx = 4;
      break;
    case 512:
      szx = 5;
      break;
    case 1024:
      szx = 6;
      break;
    default:
      LOGI("coap_context_set_max_block_size: %zu is not a valid block size\n", max_block_size);
      return 0;
  }
  ApiLock lock(ctx);
  ctx->max_block_szx = szx;
  return 1;
}

void coap_context_set_max_idle_sessions(coap_context_t *ctx, unsigned int max_idle_sessions) {
  if (ctx) ctx->max_idle_sessions = max_idle_sessions;
}

unsigned int coap_context_get_max_idle_sessions(const coap_context_t *ctx) {
  return ctx ? ctx->max_idle_sessions : 0;
}

void coap_context_set_max_handshake_sessions(coap_context_t *ctx, unsigned int max) {
  if (ctx) ctx->max_handshake_sessions = max;
}

unsigned int coap_context_get_max_handshake_sessions(const coap_context_t *ctx) {
  return ctx ? ctx->max_handshake_sessions : 0;
}

void coap_context_set_session_timeout(coap_context_t *ctx, unsigned int session_timeout) {
  if (ctx) ctx->session_timeout = session_timeout;
}

unsigned int coap_context_get_session_timeout(const coap_context_t *ctx) {
  // 0 stands for the default of 300 seconds and is reported as 0.
  return ctx ? ctx->session_timeout : 0;
}

void coap_context_set_csm_timeout_ms(coap_context_t *ctx, unsigned int csm_timeout_ms) {
  if (!ctx) return;
  if (csm_timeout_ms < 10) csm_timeout_ms = 10;
  if (csm_timeout_ms > 10000) csm_timeout_ms = 10000;
  ctx->csm_timeout_ms = csm_timeout_ms;
}

unsigned int coap_context_get_csm_timeout_ms(const coap_context_t *ctx) {
  return ctx ? ctx->csm_timeout_ms : 0;
}

void coap_context_set_csm_timeout(coap_context_t *ctx, unsigned int csm_timeout) {
  coap_context_set_csm_timeout_ms(ctx, csm_timeout * 1000);
}

unsigned int coap_context_get_csm_timeout(const coap_context_t *ctx) {
  return ctx ? ctx->csm_timeout_ms / 1000 : 0;
}

void coap_context_set_csm_max_message_size(coap_context_t *ctx, uint32_t csm_max_message_size) {
  if (!ctx) return;
  if (csm_max_message_size < 64) {
    LOGW("coap_context_set_csm_max_message_size: %u is below the minimum of 64\n",
         csm_max_message_size);
    return;
  }
  ctx->csm_max_message_size = csm_max_message_size;
}

uint32_t coap_context_get_csm_max_message_size(const coap_context_t *ctx) {
  return ctx ? ctx->csm_max_message_size : 0;
}

void coap_context_set_max_token_size(coap_context_t *ctx, size_t max_token_size) {
  if (!ctx) return;
  if (max_token_size < 8 || max_token_size > COAP_TOKEN_EXT_MAX) {
    LOGI("coap_context_set_max_token_size: %zu is outside 8..%lu\n", max_token_size,
         static_cast<unsigned long>(COAP_TOKEN_EXT_MAX));
    return;
  }
  ctx->max_token_size = max_token_size;
}

int coap_context_get_coap_fd(const coap_context_t *ctx) {
  return ctx && ctx->loop ? ctx->loop->epoll_fd() : -1;
}

int coap_io_process(coap_context_t *ctx, uint32_t timeout_ms) {
  return coap_io_process_with_fds(ctx, timeout_ms, 0, nullptr, nullptr, nullptr);
}

int coap_io_process_with_fds(coap_context_t *ctx, uint32_t timeout_ms, int nfds, fd_set *readfds,
                             fd_set *writefds, fd_set *exceptfds) {
  if (!ctx || !ctx->loop) return -1;
  ApiLock lock(ctx);
  return ctx->loop->process(timeout_ms, nfds, readfds, writefds, exceptfds);
}

unsigned int coap_io_prepare_epoll(coap_context_t *ctx, coap_tick_t now) {
  if (!ctx || !ctx->loop) return 0;
  ApiLock lock(ctx);
  uint64_t wait = ctx->loop->prepare(now);
  return wait == UINT64_MAX ? 0 : static_cast<unsigned int>(wait > UINT32_MAX ? UINT32_MAX : wait);
}

void coap_io_do_epoll(coap_context_t *ctx, struct epoll_event *events, size_t nevents) {
  if (!ctx || !ctx->loop || !events) return;
  ApiLock lock(ctx);
  ctx->loop->dispatch(events, static_cast<int>(nevents), coap::clock::ticks_ms());
}

unsigned int coap_io_prepare_io(coap_context_t *ctx, coap_socket_t *sockets[],
                                unsigned int max_sockets, unsigned int *num_sockets,
                                coap_tick_t now) {
  // With epoll all sockets are behind coap_context_get_coap_fd(); none is
  // handed out individually.
  (void)sockets;
  (void)max_sockets;
  if (num_sockets) *num_sockets = 0;
  return coap_io_prepare_epoll(ctx, now);
}

void coap_io_do_io(coap_context_t *ctx, coap_tick_t now) {
  if (!ctx || !ctx->loop) return;
  ApiLock lock(ctx);
  ctx->loop->poll_all(now);
}

int coap_can_exit(coap_context_t *ctx) {
  if (!ctx) return 1;
  ApiLock lock(ctx);
  return coap::nothing_pending(ctx) ? 1 : 0;
}

int coap_io_pending(coap_context_t *ctx) {
  if (!ctx) return 0;
  ApiLock lock(ctx);
  return coap::nothing_pending(ctx) ? 0 : 1;
}

}  // extern "C"

extern "C" {

void coap_context_set_keepalive(coap_context_t *ctx, unsigned int seconds) {
  if (!ctx) return;
  ApiLock lock(ctx);
  ctx->ping_timeout = seconds;
  // Existing sessions pick the new interval up now.
  uint64_t now = coap::clock::ticks_ms();
  ctx->client_sessions.for_each([now](coap_session_t *s) { coap::schedule_housekeeping(s, now); });
  ctx->endpoints.for_each([now](coap_endpoint_t *ep) {
    ep->sessions.for_each([now](coap_session_t *s) { coap::schedule_housekeeping(s, now); });
  });
}

const char *coap_socket_strerror(void) {
  return strerror(errno);
}

int coap_join_mcast_group_intf(coap_context_t *ctx, const char *groupname, const char *ifname) {
  if (!ctx || !groupname) return -1;
  struct addrinfo hints;
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICHOST;
  struct addrinfo *res = nullptr;
  if (getaddrinfo(groupname, nullptr, &hints, &res) != 0 || !res) {
    LOGW("coap_join_mcast_group_intf: %s is not a numeric group address\n", groupname);
    return -1;
  }
  coap_address_t group;
  coap_address_init(&group);
  memcpy(&group.addr, res->ai_addr, res->ai_addrlen);
  group.size = res->ai_addrlen;
  freeaddrinfo(res);
  unsigned ifindex = 0;
  if (ifname) {
    ifindex = if_nametoindex(ifname);
    if (ifindex == 0) {
      LOGW("coap_join_mcast_group_intf: unknown interface %s\n", ifname);
      return -1;
    }
  }
  ApiLock lock(ctx);
  int joined = 0;
  ctx->endpoints.for_each([&](coap_endpoint_t *ep) {
    if (ep->proto != COAP_PROTO_UDP || ep->fd < 0) return;
    int family = ep->bind_addr.addr.sa.sa_family;
    // A dual-stack IPv6 socket can also join IPv4 groups.
    if (family != group.addr.sa.sa_family && family != AF_INET6) return;
    if (coap::udp::join_group(ep->fd, group, ifindex)) {
      ++joined;
    } else {
      LOGD("coap_join_mcast_group_intf: %s on %s: %s\n", groupname, coap_endpoint_str(ep),
           strerror(errno));
    }
  });
  if (!joined) {
    LOGW("coap_join_mcast_group_intf: could not join %s on any UDP endpoint\n", groupname);
    return -1;
  }
  return 0;
}

void coap_mcast_per_resource(coap_context_t *ctx) {
  if (ctx) ctx->mcast_per_resource = true;
}

}  // extern "C"

extern "C" int coap_handle_event(coap_context_t *ctx, coap_event_t event, coap_session_t *session) {
  if (!ctx) return 0;
  ApiLock lock(ctx);
  LOGD("***EVENT: 0x%04x\n", static_cast<unsigned>(event));
  return ctx->notify(session, event);
}
