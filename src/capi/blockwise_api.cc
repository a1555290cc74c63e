// coap_block.h (large bodies) and coap_get_data_large(): argument checks
// and the clock; the block-wise engine is in core/blockwise*.
#include "capi/api_lock.h"
#include "core/blockwise.h"
#include "core/context.h"
#include "core/session.h"
#include "runtime/clock.h"
#include "runtime/log.h"
#include "wire/pdu.h"

using coap::ApiLock;

extern "C" {

int coap_add_data_large_request(coap_session_t *session, coap_pdu_t *pdu, size_t length,
                                const uint8_t *data, coap_release_large_data_t release_func,
                                void *app_ptr) {
  // libcoap asserts on a missing session or PDU; the data is still handed
  // back through release_func as promised.
  if (!session || !pdu || (length && !data)) {
    LOGW("coap_add_data_large_request: missing session, PDU or data\n");
    if (release_func) release_func(session, app_ptr);
    return 0;
  }
  ApiLock lock(session);
  return coap::blockwise::add_data_large_request(session, pdu, length, data, release_func, app_ptr,
                                                 lock.now());
}

int coap_add_data_large_response(coap_resource_t *resource, coap_session_t *session,
                                 const coap_pdu_t *request, coap_pdu_t *response,
                                 const coap_string_t *query, uint16_t media_type, int maxage,
                                 uint64_t etag, size_t length, const uint8_t *data,
                                 coap_release_large_data_t release_func, void *app_ptr) {
  if (!session || !response || (length && !data)) {
    LOGW("coap_add_data_large_response: missing session, response or data\n");
    if (release_func) release_func(session, app_ptr);
    return 0;
  }
  ApiLock lock(session);
  return coap::blockwise::add_data_large_response(resource, session, request, response, query,
                                                  media_type, maxage, etag, length, data,
                                                  release_func, app_ptr, lock.now());
}

int coap_get_data_large(const coap_pdu_t *pdu, size_t *len, const uint8_t **data, size_t *offset,
                        size_t *total) {
  if (!pdu || !len || !data) return 0;
  size_t ignored_offset = 0;
  size_t ignored_total = 0;
  if (!offset) offset = &ignored_offset;
  if (!total) total = &ignored_total;
  *offset = pdu->body_offset;
  *total = pdu->body_total;
  if (pdu->body_data) {
    // A body put together (or placed) by the block-wise engine.
    *data = pdu->body_data;
    *len = pdu->body_length;
    return 1;
  }
  *data = pdu->payload();
  if (!pdu->has_payload()) {
    *len = 0;
    *total = 0;
    return 0;
  }
  *len = pdu->payload_length();
  if (*total == 0) *total = *len;
  return 1;
}

}  // extern "C"
