// coap_pdu.h: building, parsing and reading messages. The logic lives in
// coap_pdu_t (wire/pdu.h); these functions check arguments and map results
// to libcoap's return conventions.
#include <cstring>

#include "capi/c_enum.h"
#include "coap3/coap.h"
#include "runtime/log.h"
#include "wire/pdu.h"

extern "C" {

coap_pdu_t *coap_pdu_init(coap_pdu_type_t type, coap_pdu_code_t code, coap_mid_t mid, size_t size) {
  if (static_cast<unsigned>(coap::c_enum(type)) > COAP_MESSAGE_RST) {
    LOGW("coap_pdu_init: invalid message type %d\n", coap::c_enum(type));
    return nullptr;
  }
  return coap_pdu_t::create(type, code, mid, size);
}

void coap_delete_pdu(coap_pdu_t *pdu) {
  coap_pdu_t::destroy(pdu);
}

int coap_pdu_parse(coap_proto_t proto, const uint8_t *data, size_t length, coap_pdu_t *pdu) {
  if (!pdu || !data) return 0;
  return pdu->parse(proto, data, length) ? 1 : 0;
}

int coap_add_token(coap_pdu_t *pdu, size_t len, const uint8_t *data) {
  if (!pdu || (len && !data)) return 0;
  return pdu->add_token(data, len) ? 1 : 0;
}

size_t coap_add_option(coap_pdu_t *pdu, coap_option_num_t number, size_t len, const uint8_t *data) {
  if (!pdu || (len && !data)) return 0;
  return pdu->add_option(number, data, len);
}

int coap_add_data(coap_pdu_t *pdu, size_t len, const uint8_t *data) {
  if (!pdu) return 0;
  if (len == 0) return 1;  // nothing to add is not an error
  if (!data) return 0;
  uint8_t *dst = pdu->add_payload(len);
  if (!dst) return 0;
  std::memcpy(dst, data, len);
  return 1;
}

uint8_t *coap_add_data_after(coap_pdu_t *pdu, size_t len) {
  return pdu ? pdu->add_payload(len) : nullptr;
}

int coap_get_data(const coap_pdu_t *pdu, size_t *len, const uint8_t **data) {
  // As in libcoap, the same view as coap_get_data_large() (a whole body
  // reassembled by the block-wise engine, when there is one).
  size_t offset = 0;
  size_t total = 0;
  return coap_get_data_large(pdu, len, data, &offset, &total);
}

coap_pdu_code_t coap_pdu_get_code(const coap_pdu_t *pdu) {
  return pdu ? pdu->code : COAP_EMPTY_CODE;
}

void coap_pdu_set_code(coap_pdu_t *pdu, coap_pdu_code_t code) {
  if (pdu) pdu->code = code;
}

coap_pdu_type_t coap_pdu_get_type(const coap_pdu_t *pdu) {
  return pdu ? static_cast<coap_pdu_type_t>(pdu->type) : COAP_MESSAGE_CON;
}

void coap_pdu_set_type(coap_pdu_t *pdu, coap_pdu_type_t type) {
  if (!pdu) return;
  if (static_cast<unsigned>(coap::c_enum(type)) > COAP_MESSAGE_RST) {
    // libcoap asserts here; we refuse with a log line instead.
    LOGW("coap_pdu_set_type: invalid message type %d\n", coap::c_enum(type));
    return;
  }
  pdu->type = static_cast<uint8_t>(type);
}

coap_bin_const_t coap_pdu_get_token(const coap_pdu_t *pdu) {
  coap_bin_const_t token = {0, nullptr};
  if (pdu) {
    token.length = pdu->token_length();
    token.s = pdu->token();
  }
  return token;
}

coap_mid_t coap_pdu_get_mid(const coap_pdu_t *pdu) {
  return pdu ? pdu->mid : COAP_INVALID_MID;
}

void coap_pdu_set_mid(coap_pdu_t *pdu, coap_mid_t mid) {
  if (pdu) pdu->mid = mid;
}

}  // extern "C"

namespace {

struct Phrase {
  uint8_t code;
  const char *text;
};

// Reason phrases of the CoAP response code registry (RFC 7252 section
// 12.1.2 and later RFCs).
constexpr Phrase kPhrases[] = {
    {COAP_RESPONSE_CODE(201), "Created"},
    {COAP_RESPONSE_CODE(202), "Deleted"},
    {COAP_RESPONSE_CODE(203), "Valid"},
    {COAP_RESPONSE_CODE(204), "Changed"},
    {COAP_RESPONSE_CODE(205), "Content"},
    {COAP_RESPONSE_CODE(231), "Continue"},
    {COAP_RESPONSE_CODE(400), "Bad Request"},
    {COAP_RESPONSE_CODE(401), "Unauthorized"},
    {COAP_RESPONSE_CODE(402), "Bad Option"},
    {COAP_RESPONSE_CODE(403), "Forbidden"},
    {COAP_RESPONSE_CODE(404), "Not Found"},
    {COAP_RESPONSE_CODE(405), "Method Not Allowed"},
    {COAP_RESPONSE_CODE(406), "Not Acceptable"},
    {COAP_RESPONSE_CODE(408), "Request Entity Incomplete"},
    {COAP_RESPONSE_CODE(409), "Conflict"},
    {COAP_RESPONSE_CODE(412), "Precondition Failed"},
    {COAP_RESPONSE_CODE(413), "Request Entity Too Large"},
    {COAP_RESPONSE_CODE(415), "Unsupported Content-Format"},
    {COAP_RESPONSE_CODE(422), "Unprocessable"},
    {COAP_RESPONSE_CODE(429), "Too Many Requests"},
    {COAP_RESPONSE_CODE(500), "Internal Server Error"},
    {COAP_RESPONSE_CODE(501), "Not Implemented"},
    {COAP_RESPONSE_CODE(502), "Bad Gateway"},
    {COAP_RESPONSE_CODE(503), "Service Unavailable"},
    {COAP_RESPONSE_CODE(504), "Gateway Timeout"},
    {COAP_RESPONSE_CODE(505), "Proxying Not Supported"},
    {COAP_RESPONSE_CODE(508), "Hop Limit Reached"},
};

}  // namespace

extern "C" const char *coap_response_phrase(unsigned char code) {
  for (const Phrase &p : kPhrases) {
    if (p.code == code) return p.text;
  }
  return nullptr;
}
