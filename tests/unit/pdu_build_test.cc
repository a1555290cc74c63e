// Building messages through the public API and checking the exact bytes
// that would go on the wire.
#include <gtest/gtest.h>

#include <vector>

#include "coap3/coap.h"
#include "wire/pdu.h"

namespace {

std::vector<uint8_t> wire(coap_pdu_t *pdu, coap_proto_t proto) {
  size_t hdr = pdu->write_header(proto);
  EXPECT_NE(hdr, 0u);
  return std::vector<uint8_t>(pdu->wire_begin(), pdu->wire_begin() + pdu->wire_size());
}

const uint8_t *u8(const char *s) {
  return reinterpret_cast<const uint8_t *>(s);
}

TEST(PduBuild, Rfc7252AppendixA1BasicGet) {
  // CON GET /temperature, MID 0x7d34, no token (RFC 7252 appendix A.1).
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 0x7d34, 1000);
  ASSERT_NE(pdu, nullptr);
  ASSERT_EQ(coap_add_option(pdu, COAP_OPTION_URI_PATH, 11, u8("temperature")), 12u);
  std::vector<uint8_t> expected = {0x40, 0x01, 0x7d, 0x34, 0xbb, 't', 'e', 'm',
                                   'p',  'e',  'r',  'a',  't',  'u', 'r', 'e'};
  EXPECT_EQ(wire(pdu, COAP_PROTO_UDP), expected);
  coap_delete_pdu(pdu);
}

TEST(PduBuild, TokenOptionsAndPayload) {
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_ACK, COAP_RESPONSE_CODE_CONTENT, 0x1234, 1000);
  uint8_t token[] = {0x71};
  ASSERT_TRUE(coap_add_token(pdu, 1, token));
  uint8_t buf[4];
  ASSERT_TRUE(coap_add_option(pdu, COAP_OPTION_CONTENT_FORMAT,
                              coap_encode_var_safe(buf, sizeof(buf), 0), buf));
  ASSERT_TRUE(coap_add_data(pdu, 5, u8("22.3C")));
  std::vector<uint8_t> expected = {0x61, 0x45, 0x12, 0x34, 0x71, 0xc0,
                                   0xff, '2',  '2',  '.',  '3',  'C'};
  EXPECT_EQ(wire(pdu, COAP_PROTO_UDP), expected);
  coap_delete_pdu(pdu);
}

TEST(PduBuild, OutOfOrderOptionIsInserted) {
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 0);
  ASSERT_TRUE(coap_add_option(pdu, COAP_OPTION_URI_QUERY, 1, u8("q")));
  ASSERT_TRUE(coap_add_option(pdu, COAP_OPTION_URI_PATH, 1, u8("p")));
  // Uri-Path (11) then Uri-Query (15 = 11 + 4).
  std::vector<uint8_t> expected = {0x40, 0x01, 0x00, 0x01, 0xb1, 'p', 0x41, 'q'};
  EXPECT_EQ(wire(pdu, COAP_PROTO_UDP), expected);
  coap_delete_pdu(pdu);
}

}  // namespace
