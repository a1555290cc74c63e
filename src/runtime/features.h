// What this build of the library really offers, in one place: the
// coap_*_is_supported() answers and the scheme choices of address
// resolution both read from here. Build options come from the generated
// coap3/coap_defines.h; (D)TLS depends on the backend linked in, so it is
// asked at run time.
#pragma once

#include "coap3/coap.h"
#include "coap3/coap_defines.h"

namespace coap::features {

constexpr bool kIpv4 = COAP_IPV4_SUPPORT != 0;
constexpr bool kIpv6 = COAP_IPV6_SUPPORT != 0;
constexpr bool kAfUnix = COAP_AF_UNIX_SUPPORT != 0;
constexpr bool kClient = COAP_CLIENT_SUPPORT != 0;
constexpr bool kServer = COAP_SERVER_SUPPORT != 0;
constexpr bool kEpoll = COAP_EPOLL_SUPPORT != 0;
constexpr bool kThreadSafe = COAP_THREAD_SAFE != 0;

// Enabled by the build options; each stays false (so nothing claims it)
// until its code has landed. TCP has (core/reliable.h), WebSockets too
// (core/websocket.h).
constexpr bool kTcpLanded = true;
constexpr bool kWsLanded = true;
constexpr bool kAsyncLanded = true;

constexpr bool kTcp = kTcpLanded && COAP_DISABLE_TCP == 0;
// WebSockets run over TCP.
constexpr bool kWs = kWsLanded && kTcp && COAP_WS_SUPPORT != 0;
constexpr bool kAsync = kAsyncLanded && COAP_ASYNC_SUPPORT != 0;

// Not built at all in this library yet.
constexpr bool kOscore = false;
constexpr bool kProxy = false;
constexpr bool kQBlock = false;
constexpr bool kObservePersist = false;

// Secure transports need the (D)TLS backend that is linked in.
inline bool dtls() {
  return coap_dtls_is_supported() != 0;
}
inline bool tls() {
  return kTcp && coap_tls_is_supported() != 0;
}
inline bool wss() {
  return kWs && coap_tls_is_supported() != 0;
}

}  // namespace coap::features
