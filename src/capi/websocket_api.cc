// coap_ws.h: the Host header of a WebSocket client's upgrade request
// (core/websocket.h).
#include "capi/api_lock.h"
#include "core/websocket.h"
#include "runtime/log.h"

using coap::ApiLock;

extern "C" int coap_ws_set_host_request(coap_session_t *session, coap_str_const_t *ws_host) {
  if (!session || !ws_host || (!ws_host->s && ws_host->length)) return 0;
  ApiLock lock(session);
  // As in libcoap any session takes it; only a WebSocket client uses it,
  // when its connection is up (so it may be set right after the session
  // is made).
  coap::WebSocket *ws = coap::websocket::layer_of(session);
  if (!ws) {
    LOGD("coap_ws_set_host_request: %s is not a WebSocket session: host not used\n",
         coap_session_str(session));
    return 1;
  }
  return ws->set_host(ws_host->s, ws_host->length) ? 1 : 0;
}
