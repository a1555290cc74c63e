#include "core/wellknown.h"

#include <cstring>

#include "core/context.h"
#include "core/link_format.h"
#include "util/memory.h"
#include "wire/pdu.h"

namespace coap {

bool is_wellknown_path(const uint8_t *path, size_t length) {
  static const char kPath[] = COAP_DEFAULT_URI_WELLKNOWN;
  const size_t n = sizeof(kPath) - 1;
  return length == n && std::memcmp(path, kPath, n) == 0;
}

void answer_wellknown(coap_session_t *s, const coap_pdu_t *request, coap_pdu_t *response) {
  coap_string_t *query = coap_get_query(request);
  // Measure, then print the whole document into one buffer.
  LinkWindow measure;
  write_links(s->context, query, &measure);
  LinkWindow doc;
  doc.capacity = measure.total;
  doc.buf = static_cast<uint8_t *>(coap::allocate(doc.capacity ? doc.capacity : 1));
  if (!doc.buf) {
    coap_delete_string(query);
    response->code = COAP_RESPONSE_CODE_INTERNAL_ERROR;
    return;
  }
  write_links(s->context, query, &doc);
  coap_delete_string(query);
  response->code = COAP_RESPONSE_CODE_CONTENT;
  // Larger discovery documents go out block-wise (RFC 7959).
  coap_add_data_blocked_response(request, response, COAP_MEDIATYPE_APPLICATION_LINK_FORMAT, -1,
                                 doc.written, doc.buf);
  coap::deallocate(doc.buf);
}

}  // namespace coap
