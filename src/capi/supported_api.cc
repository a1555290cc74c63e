// coap_supported.h, the build facts: each answer says what this build
// really does (runtime/features.h), not merely what its options asked for.
// The (D)TLS queries live with each backend (src/tls/*).
#include "coap3/coap.h"
#include "runtime/features.h"

namespace features = coap::features;

extern "C" {

int coap_ipv4_is_supported(void) {
  return features::kIpv4;
}
int coap_ipv6_is_supported(void) {
  return features::kIpv6;
}
int coap_af_unix_is_supported(void) {
  return features::kAfUnix;
}
int coap_client_is_supported(void) {
  return features::kClient;
}
int coap_server_is_supported(void) {
  return features::kServer;
}
int coap_epoll_is_supported(void) {
  return features::kEpoll;
}
int coap_threadsafe_is_supported(void) {
  return features::kThreadSafe;
}

// TCP and WebSockets follow the build options (see features.h).
int coap_tcp_is_supported(void) {
  return features::kTcp;
}
int coap_ws_is_supported(void) {
  return features::kWs;
}
int coap_wss_is_supported(void) {
  return features::wss();
}
int coap_async_is_supported(void) {
  return features::kAsync;
}

// Not built.
int coap_observe_persist_is_supported(void) {
  return features::kObservePersist;
}
int coap_oscore_is_supported(void) {
  return features::kOscore;
}
int coap_proxy_is_supported(void) {
  return features::kProxy;
}
int coap_q_block_is_supported(void) {
  return features::kQBlock;
}

}  // extern "C"
