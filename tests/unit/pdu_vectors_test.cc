// Byte-exact wire vectors: RFC 7252 (header, options, payload marker),
// RFC 7959 (block option values), RFC 8323 (stream and WebSocket framing)
// and RFC 8974 (extended token lengths), built through the public API and
// parsed back, plus the malformed inputs a parser must refuse.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "coap3/coap.h"
#include "wire/pdu.h"

namespace {

using Bytes = std::vector<uint8_t>;

Bytes wire(coap_pdu_t *pdu, coap_proto_t proto) {
  EXPECT_NE(pdu->write_header(proto), 0u);
  return Bytes(pdu->wire_begin(), pdu->wire_begin() + pdu->wire_size());
}

const uint8_t *u8(const char *s) {
  return reinterpret_cast<const uint8_t *>(s);
}

// Parses bytes as proto into a fresh PDU; nullptr when refused.
coap_pdu_t *parse(coap_proto_t proto, const Bytes &bytes, size_t max_size = 0) {
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, max_size);
  if (!pdu) return nullptr;
  if (!coap_pdu_parse(proto, bytes.data(), bytes.size(), pdu)) {
    coap_delete_pdu(pdu);
    return nullptr;
  }
  return pdu;
}

// Whether bytes parse as proto.
bool parses(coap_proto_t proto, const Bytes &bytes, size_t max_size = 0) {
  coap_pdu_t *pdu = parse(proto, bytes, max_size);
  coap_delete_pdu(pdu);
  return pdu != nullptr;
}

std::string payload_of(const coap_pdu_t *pdu) {
  size_t len = 0;
  const uint8_t *data = nullptr;
  if (!coap_get_data(pdu, &len, &data)) return "";
  return std::string(reinterpret_cast<const char *>(data), len);
}

// --- RFC 7252 --------------------------------------------------------------

TEST(PduVectors, Rfc7252PiggybackedResponseWithToken) {
  // The piggybacked 2.05 of RFC 7252 appendix A, with a one-byte token.
  const Bytes bytes = {0x61, 0x45, 0x7d, 0x34, 0x20, 0xff, '2', '2', '.', '3', ' ', 'C'};
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_ACK, COAP_RESPONSE_CODE_CONTENT, 0x7d34, 1000);
  const uint8_t token = 0x20;
  ASSERT_TRUE(coap_add_token(pdu, 1, &token));
  ASSERT_TRUE(coap_add_data(pdu, 6, u8("22.3 C")));
  EXPECT_EQ(wire(pdu, COAP_PROTO_UDP), bytes);
  coap_delete_pdu(pdu);

  pdu = parse(COAP_PROTO_UDP, bytes);
  ASSERT_NE(pdu, nullptr);
  EXPECT_EQ(coap_pdu_get_type(pdu), COAP_MESSAGE_ACK);
  EXPECT_EQ(coap_pdu_get_code(pdu), COAP_RESPONSE_CODE_CONTENT);
  EXPECT_EQ(coap_pdu_get_mid(pdu), 0x7d34);
  coap_bin_const_t tok = coap_pdu_get_token(pdu);
  ASSERT_EQ(tok.length, 1u);
  EXPECT_EQ(tok.s[0], 0x20);
  EXPECT_EQ(payload_of(pdu), "22.3 C");
  coap_delete_pdu(pdu);
}

TEST(PduVectors, EmptyMessagesAndZeroLengthToken) {
  // Empty ACK and RST: 4 bytes, no token; a ping is an empty CON.
  EXPECT_TRUE(parses(COAP_PROTO_UDP, {0x60, 0x00, 0x12, 0x34}));
  coap_pdu_t *ping = parse(COAP_PROTO_UDP, {0x40, 0x00, 0xab, 0xcd});
  ASSERT_NE(ping, nullptr);
  EXPECT_EQ(coap_pdu_get_token(ping).length, 0u);
  coap_delete_pdu(ping);
  // An Empty message with anything after the header is a format error
  // (RFC 7252 section 4.1).
  EXPECT_FALSE(parses(COAP_PROTO_UDP, {0x61, 0x00, 0x12, 0x34, 0x01}));
  EXPECT_FALSE(parses(COAP_PROTO_UDP, {0x60, 0x00, 0x12, 0x34, 0xff, 0x01}));

  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_RST, COAP_EMPTY_CODE, 0xbeef, 64);
  EXPECT_EQ(wire(pdu, COAP_PROTO_UDP), (Bytes{0x70, 0x00, 0xbe, 0xef}));
  coap_delete_pdu(pdu);
}

TEST(PduVectors, OptionHeaderAtEveryExtendedEncodingBoundary) {
  struct Case {
    uint16_t delta;
    size_t length;
    Bytes header;
  };
  // Nibble values 0-12 are inline, 13 adds one byte (value - 13), 14 adds
  // two (value - 269) (RFC 7252 section 3.1).
  const Case cases[] = {
      {0, 0, {0x00}},
      {12, 12, {0xcc}},
      {13, 0, {0xd0, 0x00}},
      {0, 13, {0x0d, 0x00}},
      {268, 268, {0xdd, 0xff, 0xff}},
      {269, 0, {0xe0, 0x00, 0x00}},
      {0, 269, {0x0e, 0x00, 0x00}},
      {269, 269, {0xee, 0x00, 0x00, 0x00, 0x00}},
      {65535, 0, {0xe0, 0xfe, 0xf2}},
      {0, 65804, {0x0e, 0xff, 0xff}},
      {13, 268, {0xdd, 0x00, 0xff}},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE("delta " + std::to_string(c.delta) + " length " + std::to_string(c.length));
    uint8_t buf[8] = {};
    size_t n = coap_opt_setheader(buf, sizeof(buf), c.delta, c.length);
    ASSERT_EQ(n, c.header.size());
    EXPECT_EQ(Bytes(buf, buf + n), c.header);
    EXPECT_EQ(coap_opt_encode_size(c.delta, c.length), c.header.size() + c.length);
    // Too little room: nothing written.
    EXPECT_EQ(coap_opt_setheader(buf, c.header.size() - 1, c.delta, c.length), 0u);
    // Parsed back, given the value bytes as well.
    Bytes option = c.header;
    option.resize(c.header.size() + c.length, 0x5a);
    coap_option_t parsed;
    ASSERT_EQ(coap_opt_parse(option.data(), option.size(), &parsed), option.size());
    EXPECT_EQ(parsed.delta, c.delta);
    EXPECT_EQ(parsed.length, c.length);
    EXPECT_EQ(parsed.value, option.data() + c.header.size());
    // One byte short: refused.
    EXPECT_EQ(coap_opt_parse(option.data(), option.size() - 1, &parsed), 0u);
  }
}

TEST(PduVectors, ReservedNibbleFifteenIsRefused) {
  coap_option_t parsed;
  const uint8_t delta15[] = {0xf0};
  const uint8_t length15[] = {0x0f};
  EXPECT_EQ(coap_opt_parse(delta15, sizeof(delta15), &parsed), 0u);
  EXPECT_EQ(coap_opt_parse(length15, sizeof(length15), &parsed), 0u);
  EXPECT_FALSE(parses(COAP_PROTO_UDP, {0x40, 0x01, 0x00, 0x01, 0xf0}));
  EXPECT_FALSE(parses(COAP_PROTO_UDP, {0x40, 0x01, 0x00, 0x01, 0x1f}));
}

TEST(PduVectors, OptionNumbersAcrossBoundariesInOneMessage) {
  // Options 1 (If-Match), 14 (Max-Age: delta 13), 282 (unknown elective:
  // delta 268), 551 (delta 269) and 65534 (delta 64983).
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_NON, COAP_REQUEST_CODE_GET, 1, 1000);
  ASSERT_TRUE(coap_add_option(pdu, 1, 0, nullptr));
  ASSERT_TRUE(coap_add_option(pdu, 14, 1, u8("\x3c")));
  ASSERT_TRUE(coap_add_option(pdu, 282, 0, nullptr));
  ASSERT_TRUE(coap_add_option(pdu, 551, 0, nullptr));
  ASSERT_TRUE(coap_add_option(pdu, 65534, 0, nullptr));
  const uint8_t ext_hi = (64983 - 269) >> 8, ext_lo = (64983 - 269) & 0xff;
  const Bytes expected = {0x50, 0x01,   0x00,  0x01,  // header
                          0x10,                       // 1
                          0xd1, 0x00,   0x3c,         // 14
                          0xd0, 0xff,                 // 282
                          0xe0, 0x00,   0x00,         // 551
                          0xe0, ext_hi, ext_lo};      // 65534
  EXPECT_EQ(wire(pdu, COAP_PROTO_UDP), expected);
  coap_delete_pdu(pdu);

  pdu = parse(COAP_PROTO_UDP, expected);
  ASSERT_NE(pdu, nullptr);
  coap_opt_iterator_t it;
  coap_option_iterator_init(pdu, &it, COAP_OPT_ALL);
  std::vector<uint16_t> numbers;
  while (coap_option_next(&it)) numbers.push_back(it.number);
  EXPECT_EQ(numbers, (std::vector<uint16_t>{1, 14, 282, 551, 65534}));
  coap_delete_pdu(pdu);

  // Option 65535 can be built, but a received one is refused, as libcoap
  // 4.3.5 does (tests/diff/diff_pdu.c compares that case).
  Bytes last = {0x50, 0x01, 0x00, 0x01, 0xe0, 0xfe, 0xf2};
  EXPECT_FALSE(parses(COAP_PROTO_UDP, last));
  last[6] = 0xf1;  // 65534
  EXPECT_TRUE(parses(COAP_PROTO_UDP, last));
}

TEST(PduVectors, PayloadMarkerWithoutPayloadIsAnError) {
  EXPECT_FALSE(parses(COAP_PROTO_UDP, {0x40, 0x01, 0x00, 0x01, 0xff}));
  EXPECT_FALSE(parses(COAP_PROTO_UDP, {0x40, 0x01, 0x00, 0x01, 0xb1, 'a', 0xff}));
  EXPECT_FALSE(parses(COAP_PROTO_TCP, {0x10, 0x01, 0xff}));
  coap_pdu_t *ok = parse(COAP_PROTO_UDP, {0x40, 0x01, 0x00, 0x01, 0xff, 'x'});
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(payload_of(ok), "x");
  coap_delete_pdu(ok);
}

TEST(PduVectors, TruncatedMessagesAreRefused) {
  // A complete request: token 0xaabb, Uri-Path "temp" (delta 11), Size2
  // (28: delta 17 -> 13 + 4) of two bytes, payload "hi".
  const Bytes full = {0x42, 0x01, 0x00, 0x01, 0xaa, 0xbb, 0xb4, 't', 'e',
                      'm',  'p',  0xd2, 0x04, 0x01, 0x00, 0xff, 'h', 'i'};
  coap_pdu_t *pdu = parse(COAP_PROTO_UDP, full);
  ASSERT_NE(pdu, nullptr);
  coap_delete_pdu(pdu);
  // Cuts inside the header, the token, an option header or an option
  // value; cutting after a whole option (or before the payload marker) is
  // a shorter valid message.
  const size_t bad_cuts[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 14, 16};
  for (size_t cut : bad_cuts) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    EXPECT_FALSE(parses(COAP_PROTO_UDP, Bytes(full.begin(), full.begin() + cut)));
  }
  for (size_t cut : {6u, 11u, 15u, 17u}) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    EXPECT_TRUE(parses(COAP_PROTO_UDP, Bytes(full.begin(), full.begin() + cut)));
  }
}

TEST(PduVectors, UnknownCriticalOptionIsParsedAndRecognisable) {
  // Option 9 (odd: critical) is not registered; parsing keeps it, and the
  // number's low bit tells the receiver to reject the request (4.02).
  coap_pdu_t *pdu = parse(COAP_PROTO_UDP, {0x40, 0x01, 0x00, 0x01, 0x91, 0x00});
  ASSERT_NE(pdu, nullptr);
  coap_opt_iterator_t it;
  coap_option_iterator_init(pdu, &it, COAP_OPT_ALL);
  ASSERT_NE(coap_option_next(&it), nullptr);
  EXPECT_EQ(it.number, 9);
  EXPECT_EQ(it.number & 1, 1);
  coap_delete_pdu(pdu);
}

// --- RFC 8974 extended tokens -------------------------------------------------

TEST(PduVectors, ExtendedTokenLengthsAtEachBoundary) {
  struct Case {
    size_t length;
    Bytes header;  // first byte, code, mid, extended length bytes
  };
  const Case cases[] = {
      {0, {0x40, 0x01, 0x00, 0x07}},
      {8, {0x48, 0x01, 0x00, 0x07}},
      {12, {0x4c, 0x01, 0x00, 0x07}},
      {13, {0x4d, 0x01, 0x00, 0x07, 0x00}},
      {268, {0x4d, 0x01, 0x00, 0x07, 0xff}},
      {269, {0x4e, 0x01, 0x00, 0x07, 0x00, 0x00}},
      {65804, {0x4e, 0x01, 0x00, 0x07, 0xff, 0xff}},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE("token length " + std::to_string(c.length));
    Bytes token(c.length);
    for (size_t i = 0; i < c.length; ++i) token[i] = static_cast<uint8_t>(i * 7);
    coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 7, 70000);
    ASSERT_TRUE(coap_add_token(pdu, c.length, token.data()));
    Bytes expected = c.header;
    expected.insert(expected.end(), token.begin(), token.end());
    EXPECT_EQ(wire(pdu, COAP_PROTO_UDP), expected);
    coap_delete_pdu(pdu);

    coap_pdu_t *back = parse(COAP_PROTO_UDP, expected, 70000);
    ASSERT_NE(back, nullptr);
    coap_bin_const_t got = coap_pdu_get_token(back);
    ASSERT_EQ(got.length, c.length);
    EXPECT_EQ(Bytes(got.s, got.s + got.length), token);
    coap_delete_pdu(back);
    // The extended length promises more bytes than there are.
    if (c.length > 0) {
      expected.pop_back();
      EXPECT_FALSE(parses(COAP_PROTO_UDP, expected, 70000));
    }
  }
  // Beyond the largest encodable length, and the reserved TKL 15.
  Bytes too_long(65805, 1);
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 7, 70000);
  EXPECT_FALSE(coap_add_token(pdu, too_long.size(), too_long.data()));
  coap_delete_pdu(pdu);
  EXPECT_FALSE(parses(COAP_PROTO_UDP, {0x4f, 0x01, 0x00, 0x07}));
}

// --- RFC 7959 block options ---------------------------------------------------

TEST(PduVectors, Rfc7959BlockOptionValues) {
  struct Case {
    unsigned num, m, szx;
    Bytes option;  // the Block2 option as encoded after a Uri-Path-free GET
  };
  // Block2 is option 23: delta 23 = 13 + 10.
  const Case cases[] = {
      {0, 0, 2, {0xd1, 0x0a, 0x02}},                    // 0/0/64
      {1, 1, 2, {0xd1, 0x0a, 0x1a}},                    // 1/1/64
      {15, 1, 6, {0xd1, 0x0a, 0xfe}},                   // largest one-byte value
      {16, 0, 6, {0xd2, 0x0a, 0x01, 0x06}},             // two bytes
      {4096, 1, 0, {0xd3, 0x0a, 0x01, 0x00, 0x08}},     // three bytes
      {1048575, 0, 6, {0xd3, 0x0a, 0xff, 0xff, 0xf6}},  // largest NUM
  };
  for (const Case &c : cases) {
    SCOPED_TRACE("block " + std::to_string(c.num) + "/" + std::to_string(c.m) + "/" +
                 std::to_string(c.szx));
    coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 1000);
    uint8_t buf[4];
    unsigned value = (c.num << 4) | (c.m << 3) | c.szx;
    ASSERT_TRUE(coap_add_option(pdu, COAP_OPTION_BLOCK2,
                                coap_encode_var_safe(buf, sizeof(buf), value), buf));
    Bytes expected = {0x40, 0x01, 0x00, 0x01};
    expected.insert(expected.end(), c.option.begin(), c.option.end());
    EXPECT_EQ(wire(pdu, COAP_PROTO_UDP), expected);
    coap_delete_pdu(pdu);

    coap_pdu_t *back = parse(COAP_PROTO_UDP, expected);
    ASSERT_NE(back, nullptr);
    coap_block_b_t block;
    ASSERT_TRUE(coap_get_block_b(nullptr, back, COAP_OPTION_BLOCK2, &block));
    EXPECT_EQ(static_cast<unsigned>(block.num), c.num);
    EXPECT_EQ(static_cast<unsigned>(block.m), c.m);
    EXPECT_EQ(static_cast<unsigned>(block.szx), c.szx);
    coap_delete_pdu(back);
  }
}

// --- RFC 8323 framing ---------------------------------------------------------

TEST(PduVectors, Rfc8323LengthNibbleAndExtendedLengths) {
  struct Case {
    size_t payload;  // bytes after the marker; 0: no marker
    Bytes prefix;    // Len/TKL byte and extended length bytes
  };
  // Length = options + marker + payload (RFC 8323 section 3.2): 0-12 in
  // the nibble, 13 -> 1 byte (len - 13), 14 -> 2 bytes (len - 269),
  // 15 -> 4 bytes (len - 65805).
  const Case cases[] = {
      {0, {0x00}},
      {11, {0xc0}},
      {12, {0xd0, 0x00}},
      {267, {0xd0, 0xff}},
      {268, {0xe0, 0x00, 0x00}},
      {65803, {0xe0, 0xff, 0xff}},
      {65804, {0xf0, 0x00, 0x00, 0x00, 0x00}},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE("payload " + std::to_string(c.payload));
    coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_RESPONSE_CODE_CONTENT, 0, 70000);
    std::string body(c.payload, 'p');
    if (c.payload) {
      ASSERT_TRUE(coap_add_data(pdu, body.size(), u8(body.c_str())));
    }
    Bytes expected = c.prefix;
    expected.push_back(0x45);
    if (c.payload) {
      expected.push_back(0xff);
      expected.insert(expected.end(), body.begin(), body.end());
    }
    EXPECT_EQ(wire(pdu, COAP_PROTO_TCP), expected);
    coap_delete_pdu(pdu);
    coap_pdu_t *back = parse(COAP_PROTO_TCP, expected, 70000);
    ASSERT_NE(back, nullptr);
    EXPECT_EQ(payload_of(back), body);
    coap_delete_pdu(back);
  }
}

TEST(PduVectors, Rfc8323SignalsAndWebSocketFraming) {
  // CSM with Max-Message-Size 1152 (option 2, two bytes) and
  // Block-Wise-Transfer (option 4, empty); Ping; Pong; Release; Abort.
  coap_pdu_t *csm = coap_pdu_init(COAP_MESSAGE_CON, COAP_SIGNALING_CODE_CSM, 0, 64);
  uint8_t buf[4];
  ASSERT_TRUE(coap_add_option(csm, COAP_SIGNALING_OPTION_MAX_MESSAGE_SIZE,
                              coap_encode_var_safe(buf, sizeof(buf), 1152), buf));
  ASSERT_TRUE(coap_add_option(csm, COAP_SIGNALING_OPTION_BLOCK_WISE_TRANSFER, 0, nullptr));
  EXPECT_EQ(wire(csm, COAP_PROTO_TCP), (Bytes{0x40, 0xe1, 0x22, 0x04, 0x80, 0x20}));
  // WebSockets: the same without any length (RFC 8323 section 4.4).
  EXPECT_EQ(wire(csm, COAP_PROTO_WS), (Bytes{0x00, 0xe1, 0x22, 0x04, 0x80, 0x20}));
  coap_delete_pdu(csm);
  const std::pair<coap_pdu_code_t, uint8_t> signals[] = {
      {COAP_SIGNALING_CODE_PING, 0xe2},
      {COAP_SIGNALING_CODE_PONG, 0xe3},
      {COAP_SIGNALING_CODE_RELEASE, 0xe4},
      {COAP_SIGNALING_CODE_ABORT, 0xe5},
  };
  for (const auto &s : signals) {
    coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, s.first, 0, 64);
    EXPECT_EQ(wire(pdu, COAP_PROTO_TCP), (Bytes{0x00, s.second}));
    coap_delete_pdu(pdu);
  }
  // A WebSocket GET with a one-byte token parsed back.
  coap_pdu_t *get = parse(COAP_PROTO_WS, {0x01, 0x01, 0x7a, 0xb4, 'a', 'b', 'c', 'd'});
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(coap_pdu_get_code(get), COAP_REQUEST_CODE_GET);
  EXPECT_EQ(coap_pdu_get_token(get).length, 1u);
  coap_delete_pdu(get);
  // A stream message whose length disagrees with the bytes is refused.
  EXPECT_FALSE(parses(COAP_PROTO_TCP, {0x51, 0x01, 0x7a, 0xb4, 'a', 'b', 'c'}));
  EXPECT_FALSE(parses(COAP_PROTO_TCP, {0xd0}));
}

}  // namespace
