#include "wire/option_rules.h"

#include "coap3/coap.h"

namespace coap::wire {

namespace {

struct Range {
  uint16_t number;
  uint16_t min;
  uint16_t max;
};

// Registered options of requests and responses with their value lengths.
constexpr Range kRequestResponse[] = {
    {COAP_OPTION_IF_MATCH, 0, 8},
    {COAP_OPTION_URI_HOST, 1, 255},
    {COAP_OPTION_ETAG, 1, 8},
    {COAP_OPTION_IF_NONE_MATCH, 0, 0},
    {COAP_OPTION_OBSERVE, 0, 3},
    {COAP_OPTION_URI_PORT, 0, 2},
    {COAP_OPTION_LOCATION_PATH, 0, 255},
    {COAP_OPTION_OSCORE, 0, 255},
    {COAP_OPTION_URI_PATH, 0, 255},
    {COAP_OPTION_CONTENT_FORMAT, 0, 2},
    {COAP_OPTION_MAXAGE, 0, 4},
    {COAP_OPTION_URI_QUERY, 1, 255},
    {COAP_OPTION_HOP_LIMIT, 1, 1},
    {COAP_OPTION_ACCEPT, 0, 2},
    {COAP_OPTION_LOCATION_QUERY, 0, 255},
    {COAP_OPTION_BLOCK2, 0, 3},
    {COAP_OPTION_BLOCK1, 0, 3},
    {COAP_OPTION_SIZE2, 0, 4},
    {COAP_OPTION_PROXY_URI, 1, 1034},
    {COAP_OPTION_PROXY_SCHEME, 1, 255},
    {COAP_OPTION_SIZE1, 0, 4},
    {COAP_OPTION_ECHO, 0, 40},
    {COAP_OPTION_NORESPONSE, 0, 1},
    {COAP_OPTION_RTAG, 0, 8},
};

// RFC 8323 section 5: each signaling code has its own option space.
constexpr Range kCsm[] = {{COAP_SIGNALING_OPTION_MAX_MESSAGE_SIZE, 0, 4},
                          {COAP_SIGNALING_OPTION_BLOCK_WISE_TRANSFER, 0, 0},
                          {COAP_SIGNALING_OPTION_EXTENDED_TOKEN_LENGTH, 0, 3}};
constexpr Range kPingPong[] = {{COAP_SIGNALING_OPTION_CUSTODY, 0, 0}};
constexpr Range kRelease[] = {{COAP_SIGNALING_OPTION_ALTERNATIVE_ADDRESS, 1, 255},
                              {COAP_SIGNALING_OPTION_HOLD_OFF, 0, 3}};
constexpr Range kAbort[] = {{COAP_SIGNALING_OPTION_BAD_CSM_OPTION, 0, 2}};

template <size_t N>
const Range *find(const Range (&table)[N], uint32_t number) {
  for (const Range &r : table) {
    if (r.number == number) return &r;
  }
  return nullptr;
}

bool in_range(const Range *r, size_t length) {
  return length >= r->min && length <= r->max;
}

template <size_t N>
bool check_signaling(const Range (&table)[N], uint32_t number, size_t length) {
  if (const Range *r = find(table, number)) return in_range(r, length);
  // Unknown elective options are ignored; unknown critical (odd) ones make
  // the message invalid.
  return (number & 1) == 0;
}

}  // namespace

bool option_length_valid(uint8_t code, uint32_t number, size_t length) {
  switch (code) {
    case COAP_SIGNALING_CODE_CSM:
      return check_signaling(kCsm, number, length);
    case COAP_SIGNALING_CODE_PING:
    case COAP_SIGNALING_CODE_PONG:
      return check_signaling(kPingPong, number, length);
    case COAP_SIGNALING_CODE_RELEASE:
      return check_signaling(kRelease, number, length);
    case COAP_SIGNALING_CODE_ABORT:
      return check_signaling(kAbort, number, length);
    default:
      break;
  }
  const Range *r = find(kRequestResponse, number);
  return !r || in_range(r, length);
}

}  // namespace coap::wire
