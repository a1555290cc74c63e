// A session's transmission parameters (RFC 7252 section 4.8, RFC 9177) and
// multicast target. Nearly every session keeps the defaults, so sessions
// share one constant copy and allocate their own only when a setter
// changes something: an idle server session then carries one pointer
// instead of about 90 bytes.
#pragma once

#include <cstdint>

#include "coap3/coap.h"

namespace coap {

struct SessionParams {
  coap_fixed_point_t ack_timeout = {2, 0};
  coap_fixed_point_t ack_random_factor = {1, 500};
  coap_fixed_point_t default_leisure = {5, 0};
  coap_fixed_point_t non_timeout = {2, 0};
  coap_fixed_point_t non_receive_timeout = {4, 0};
  uint16_t max_retransmit = 4;
  uint16_t nstart = 1;
  uint16_t max_payloads = 10;
  uint16_t non_max_retransmit = 4;
  uint32_t probing_rate = 1;
  coap_address_t mcast_addr{};  // client sessions aimed at a group
};

extern const SessionParams kDefaultSessionParams;

}  // namespace coap
