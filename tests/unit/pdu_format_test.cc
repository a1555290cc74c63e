// The coap_show_pdu() text: the pure formatter (wire/pdu_format.h) and the
// C entry points that route its lines to stdout or the log. Expected texts
// were taken from libcoap 4.3.5; the differential driver diff_show_pdu.c
// covers the bulk of the format, these tests the parts it cannot reach
// (stream framings, invalid arguments, the default log output).
#include "wire/pdu_format.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "coap3/coap.h"
#include "runtime/log.h"
#include "wire/pdu.h"

namespace {

using coap::wire::format_pdu;
using coap::wire::PduText;
using coap::wire::ShowFraming;

const uint8_t *u8(const char *s) {
  return reinterpret_cast<const uint8_t *>(s);
}

// All lines of the text, concatenated.
std::string render(const coap_pdu_t *pdu, ShowFraming framing = ShowFraming::kDatagram) {
  PduText text;
  format_pdu(*pdu, framing, &text);
  std::string out;
  for (size_t i = 0; i < text.count; ++i) out += text.lines[i];
  return out;
}

struct PduDeleter {
  void operator()(coap_pdu_t *p) const { coap_delete_pdu(p); }
};
using PduPtr = std::unique_ptr<coap_pdu_t, PduDeleter>;

PduPtr make(coap_pdu_type_t type, coap_pdu_code_t code, coap_mid_t mid) {
  return PduPtr(coap_pdu_init(type, code, mid, 20000));
}

void add_uint(coap_pdu_t *pdu, coap_option_num_t number, unsigned value) {
  uint8_t buf[4];
  ASSERT_NE(coap_add_option(pdu, number, coap_encode_var_safe(buf, sizeof(buf), value), buf), 0u);
}

TEST(PduFormat, DatagramHeaderTokenOptionsText) {
  PduPtr pdu = make(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 0x1234);
  ASSERT_TRUE(coap_add_token(pdu.get(), 3, u8("\x01\x02\xab")));
  ASSERT_NE(coap_add_option(pdu.get(), COAP_OPTION_URI_HOST, 9, u8("localhost")), 0u);
  ASSERT_NE(coap_add_option(pdu.get(), COAP_OPTION_URI_PATH, 5,
                            u8("a\x01"
                               "b\"c")),
            0u);
  add_uint(pdu.get(), COAP_OPTION_CONTENT_FORMAT, 50);
  add_uint(pdu.get(), COAP_OPTION_BLOCK2, (5 << 4) | 8 | 2);
  ASSERT_NE(coap_add_option(pdu.get(), 2049, 3, u8("x\xffy")), 0u);
  ASSERT_TRUE(coap_add_data(pdu.get(), 5, u8("hello")));
  EXPECT_EQ(render(pdu.get()),
            "v:1 t:CON c:GET i:1234 {0102ab} [ Uri-Host:localhost, Uri-Path:a\\x01b\"c, "
            "Content-Format:application/json, Block2:5/M/64, 2049:\\x78\\xFF\\x79 ] :: 'hello'\n");
}

TEST(PduFormat, BinaryPayloadTakesThreeLines) {
  PduPtr pdu = make(COAP_MESSAGE_ACK, COAP_RESPONSE_CODE_CONTENT, 1);
  ASSERT_TRUE(coap_add_data(pdu.get(), 5,
                            u8("\x01"
                               "ello")));
  PduText text;
  format_pdu(*pdu, ShowFraming::kDatagram, &text);
  ASSERT_EQ(text.count, 3u);
  EXPECT_STREQ(text.lines[0], "v:1 t:ACK c:2.05 i:0001 {} [ ] :: binary data length 5\n");
  EXPECT_STREQ(text.lines[1], "<<01656c6c6f>>\n");
  EXPECT_STREQ(text.lines[2], "<<. e l l o >>\n");
}

// Stream framings drop type and message id (texts seen from libcoap 4.3.5
// over TCP and WebSocket sessions).
TEST(PduFormat, ReliableAndWebSocketHeaders) {
  PduPtr pdu = make(COAP_MESSAGE_CON, COAP_SIGNALING_CODE_CSM, 0);
  add_uint(pdu.get(), COAP_SIGNALING_OPTION_MAX_MESSAGE_SIZE, 8388864);
  ASSERT_NE(coap_add_option(pdu.get(), COAP_SIGNALING_OPTION_BLOCK_WISE_TRANSFER, 0, nullptr), 0u);
  EXPECT_EQ(render(pdu.get(), ShowFraming::kReliable),
            "v:Reliable c:CSM {} [ Max-Message-Size:8388864, Block-Wise-Transfer: ]\n");
  EXPECT_EQ(render(pdu.get(), ShowFraming::kWebSocket),
            "v:WebSocket c:CSM {} [ Max-Message-Size:8388864, Block-Wise-Transfer: ]\n");

  PduPtr resp = make(COAP_MESSAGE_NON, COAP_RESPONSE_CODE_CONTENT, 0x4321);
  ASSERT_TRUE(coap_add_token(resp.get(), 2, u8("\x11\x22")));
  add_uint(resp.get(), COAP_OPTION_CONTENT_FORMAT, 0);
  ASSERT_TRUE(coap_add_data(resp.get(), 5, u8("hello")));
  EXPECT_EQ(render(resp.get(), ShowFraming::kReliable),
            "v:Reliable c:2.05 {1122} [ Content-Format:text/plain ] :: 'hello'\n");
  EXPECT_EQ(render(resp.get(), ShowFraming::kWebSocket),
            "v:WebSocket c:2.05 {1122} [ Content-Format:text/plain ] :: 'hello'\n");
}

TEST(PduFormat, FramingOfProtocolsAndSessionlessPdus) {
  EXPECT_EQ(coap::wire::framing_for_proto(COAP_PROTO_UDP), ShowFraming::kDatagram);
  EXPECT_EQ(coap::wire::framing_for_proto(COAP_PROTO_DTLS), ShowFraming::kDatagram);
  EXPECT_EQ(coap::wire::framing_for_proto(COAP_PROTO_TCP), ShowFraming::kReliable);
  EXPECT_EQ(coap::wire::framing_for_proto(COAP_PROTO_TLS), ShowFraming::kReliable);
  EXPECT_EQ(coap::wire::framing_for_proto(COAP_PROTO_WS), ShowFraming::kWebSocket);
  EXPECT_EQ(coap::wire::framing_for_proto(COAP_PROTO_WSS), ShowFraming::kWebSocket);
  EXPECT_EQ(coap::wire::framing_for_proto(COAP_PROTO_NONE), ShowFraming::kDatagram);
  PduPtr pdu = make(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1);
  EXPECT_EQ(coap::wire::show_framing(*pdu), ShowFraming::kDatagram);
}

// Values the API refuses (libcoap asserts on them) still render safely.
TEST(PduFormat, OutOfRangeTypeAndMid) {
  PduPtr pdu = make(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1);
  pdu->type = static_cast<coap_pdu_type_t>(5);
  pdu->mid = 0x12345;
  EXPECT_EQ(render(pdu.get()), "v:1 t:??? c:GET i:12345 {} [ ]\n");
  pdu->mid = -1;
  EXPECT_EQ(render(pdu.get()), "v:1 t:??? c:GET i:ffffffff {} [ ]\n");
}

TEST(PduFormat, CodeNames) {
  const struct {
    unsigned code;
    const char *text;
  } cases[] = {{0, "0.00"},      {1, "GET"},     {4, "DELETE"}, {7, "iPATCH"},
               {8, "0.08"},      {65, "2.01"},   {132, "4.04"}, {191, "5.31"},
               {224, "7.00"},    {225, "CSM"},   {226, "Ping"}, {227, "Pong"},
               {228, "Release"}, {229, "Abort"}, {230, "7.06"}, {255, "7.31"}};
  for (const auto &c : cases) {
    PduPtr pdu = make(COAP_MESSAGE_CON, static_cast<coap_pdu_code_t>(c.code), 0);
    EXPECT_EQ(render(pdu.get()), std::string("v:1 t:CON c:") + c.text + " i:0000 {} [ ]\n");
  }
}

TEST(PduFormat, UintOptionsShowEmptyValueAsNothing) {
  PduPtr pdu = make(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1);
  ASSERT_NE(coap_add_option(pdu.get(), COAP_OPTION_OBSERVE, 0, nullptr), 0u);
  add_uint(pdu.get(), COAP_OPTION_URI_PORT, 5683);
  // Longer than four bytes: the last four count.
  ASSERT_NE(coap_add_option(pdu.get(), COAP_OPTION_MAXAGE, 5, u8("\x01\x02\x03\x04\x05")), 0u);
  EXPECT_EQ(render(pdu.get()),
            "v:1 t:CON c:GET i:0001 {} [ Observe:, Uri-Port:5683, Max-Age:33752069 ]\n");
}

TEST(PduFormat, ContentFormatAllOnesMeansTextPayload) {
  PduPtr pdu = make(COAP_MESSAGE_ACK, COAP_RESPONSE_CODE_CONTENT, 1);
  add_uint(pdu.get(), COAP_OPTION_CONTENT_FORMAT, 0xffffffffu);
  ASSERT_TRUE(coap_add_data(pdu.get(), 3, u8("abc")));
  EXPECT_EQ(render(pdu.get()), "v:1 t:ACK c:2.05 i:0001 {} [ Content-Format:-1 ] :: 'abc'\n");
}

TEST(PduFormat, BlockOptions) {
  PduPtr pdu = make(COAP_MESSAGE_CON, COAP_REQUEST_CODE_POST, 1);
  ASSERT_NE(coap_add_option(pdu.get(), COAP_OPTION_BLOCK2, 0, nullptr), 0u);
  add_uint(pdu.get(), COAP_OPTION_BLOCK1, 0x2f);
  ASSERT_TRUE(coap_add_data(pdu.get(), 40, u8("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")));
  EXPECT_EQ(render(pdu.get()),
            "v:1 t:CON c:POST i:0001 {} [ Block2:0/_/16, Block1:2/M/BERT(40) ] :: "
            "'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'\n");
}

TEST(PduFormat, OscoreOptionAndBinaryPayload) {
  PduPtr pdu = make(COAP_MESSAGE_CON, COAP_REQUEST_CODE_POST, 1);
  ASSERT_NE(
      coap_add_option(pdu.get(), COAP_OPTION_OSCORE, 8, u8("\x39\x22\x02\xc1\xc2\xaa\xbb\xcc")),
      0u);
  ASSERT_TRUE(coap_add_data(pdu.get(), 2, u8("hi")));
  EXPECT_EQ(render(pdu.get()),
            "v:1 t:CON c:POST i:0001 {} [ Oscore:grp,pIV=0x22,kc=0xc1c2,kid=0xaabbcc ] :: "
            "binary data length 2\n<<6869>>\n<<h i >>\n");
}

TEST(PduFormat, SignalingOptionValues) {
  PduPtr release = make(COAP_MESSAGE_CON, COAP_SIGNALING_CODE_RELEASE, 0);
  ASSERT_NE(coap_add_option(release.get(), 2, 3,
                            u8("a\x01"
                               "b")),
            0u);
  add_uint(release.get(), 4, 30);
  add_uint(release.get(), 12, 50);
  EXPECT_EQ(render(release.get()),
            "v:1 t:CON c:Release i:0000 {} [ Alternative-Address:a\\x01b, Hold-Off:30, 12: ]\n");
  PduPtr ping = make(COAP_MESSAGE_CON, COAP_SIGNALING_CODE_PING, 0);
  ASSERT_NE(coap_add_option(ping.get(), 2, 1, u8("\x01")), 0u);
  EXPECT_EQ(render(ping.get()), "v:1 t:CON c:Ping i:0000 {} [ Custody: ]\n");
}

// Every line stays within the line buffer: at most 2054 characters and the
// newline.
TEST(PduFormat, LongLinesAreCut) {
  PduPtr pdu = make(COAP_MESSAGE_ACK, COAP_RESPONSE_CODE_CONTENT, 1);
  std::vector<uint8_t> text(3000, 't');
  ASSERT_TRUE(coap_add_data(pdu.get(), text.size(), text.data()));
  std::string out = render(pdu.get());
  ASSERT_EQ(out.size(), 2055u);
  EXPECT_EQ(out.substr(0, 36), "v:1 t:ACK c:2.05 i:0001 {} [ ] :: 't");
  EXPECT_EQ(out.substr(2050), "tttt\n");

  PduPtr bin = make(COAP_MESSAGE_ACK, COAP_RESPONSE_CODE_CONTENT, 1);
  std::vector<uint8_t> bytes(1500, 0x01);
  ASSERT_TRUE(coap_add_data(bin.get(), bytes.size(), bytes.data()));
  PduText lines;
  format_pdu(*bin, ShowFraming::kDatagram, &lines);
  ASSERT_EQ(lines.count, 3u);
  EXPECT_EQ(std::strlen(lines.lines[1]), 2055u);
  EXPECT_EQ(std::strlen(lines.lines[2]), 2055u);
  EXPECT_EQ(lines.lines[1][2054], '\n');
}

// The closing quote needs headroom: 2015 characters get one, 2016 not.
TEST(PduFormat, ClosingQuoteNeedsHeadroom) {
  for (size_t n : {2015u, 2016u}) {
    PduPtr pdu = make(COAP_MESSAGE_ACK, COAP_RESPONSE_CODE_CONTENT, 1);
    std::vector<uint8_t> text(n, 't');
    ASSERT_TRUE(coap_add_data(pdu.get(), text.size(), text.data()));
    std::string out = render(pdu.get());
    EXPECT_EQ(out.size(), 2052u);
    EXPECT_EQ(out[2050], n == 2015 ? '\'' : 't');
  }
}

TEST(PduFormat, OptionValueIsCut) {
  PduPtr pdu = make(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1);
  std::vector<uint8_t> etag(700, 0xab);
  ASSERT_NE(coap_add_option(pdu.get(), COAP_OPTION_ETAG, etag.size(), etag.data()), 0u);
  std::string out = render(pdu.get());
  // "0x" and 516 bytes in hex fill the 1035-byte value buffer.
  std::string hex;
  for (int i = 0; i < 516; ++i) hex += "ab";
  EXPECT_EQ(out, "v:1 t:CON c:GET i:0001 {} [ ETag:0x" + hex + " ]\n");
}

// --- the C entry points ----------------------------------------------------

std::vector<std::pair<int, std::string>> g_records;

void record(coap_log_t level, const char *message) {
  g_records.emplace_back(static_cast<int>(level), message);
}

class ShowPduOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    g_records.clear();
    saved_level_ = coap_get_log_level();
    coap_set_log_level(COAP_LOG_DEBUG);
  }
  void TearDown() override {
    coap_set_log_handler(nullptr);
    coap_set_show_pdu_output(1);
    coap_set_log_level(saved_level_);
  }
  coap_log_t saved_level_ = COAP_LOG_WARN;
};

// Runs fn with file descriptor fd redirected; returns what was written.
template <class Fn>
std::string capture_fd(int fd, FILE *stream, Fn fn) {
  std::fflush(stream);
  char path[] = "/tmp/pdu_format_testXXXXXX";
  int tmp = mkstemp(path);
  EXPECT_GE(tmp, 0);
  int saved = dup(fd);
  dup2(tmp, fd);
  fn();
  std::fflush(stream);
  dup2(saved, fd);
  close(saved);
  std::string out;
  char buf[4096];
  lseek(tmp, 0, SEEK_SET);
  ssize_t n;
  while ((n = read(tmp, buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  close(tmp);
  unlink(path);
  return out;
}

TEST_F(ShowPduOutput, LogHandlerGetsOneRecordPerLine) {
  PduPtr pdu = make(COAP_MESSAGE_ACK, COAP_RESPONSE_CODE_CONTENT, 0x0103);
  ASSERT_TRUE(coap_add_data(pdu.get(), 2, u8("\xfe\xfe")));
  coap_set_log_handler(record);
  coap_set_show_pdu_output(0);
  coap_show_pdu(COAP_LOG_ERR, pdu.get());
  ASSERT_EQ(g_records.size(), 3u);
  EXPECT_EQ(g_records[0].first, COAP_LOG_ERR);
  EXPECT_EQ(g_records[0].second, "v:1 t:ACK c:2.05 i:0103 {} [ ] :: binary data length 2\n");
  EXPECT_EQ(g_records[1].second, "<<fefe>>\n");
  EXPECT_EQ(g_records[2].second, "<<. . >>\n");
}

TEST_F(ShowPduOutput, LevelFilter) {
  PduPtr pdu = make(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1);
  coap_set_log_handler(record);
  coap_set_show_pdu_output(0);
  coap_set_log_level(COAP_LOG_NOTICE);
  coap_show_pdu(COAP_LOG_INFO, pdu.get());
  EXPECT_TRUE(g_records.empty());
  coap_show_pdu(COAP_LOG_NOTICE, pdu.get());
  EXPECT_EQ(g_records.size(), 1u);
  // Levels are compared unsigned, so a negative one shows nothing.
  coap_show_pdu(static_cast<coap_log_t>(-1), pdu.get());
  EXPECT_EQ(g_records.size(), 1u);
}

TEST_F(ShowPduOutput, NullPduIsIgnored) {
  coap_set_log_handler(record);
  coap_show_pdu(COAP_LOG_WARN, nullptr);
  // Only our own warning, no PDU text.
  for (const auto &r : g_records) EXPECT_EQ(r.second.find("v:1"), std::string::npos);
}

TEST_F(ShowPduOutput, FprintfGoesToStdoutAtEveryLevel) {
  PduPtr pdu = make(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 0x0102);
  coap_set_show_pdu_output(1);
  std::string err;
  std::string out = capture_fd(1, stdout, [&] {
    err = capture_fd(2, stderr, [&] {
      coap_show_pdu(COAP_LOG_EMERG, pdu.get());
      coap_show_pdu(COAP_LOG_DEBUG, pdu.get());
    });
  });
  EXPECT_EQ(out, "v:1 t:CON c:GET i:0102 {} [ ]\nv:1 t:CON c:GET i:0102 {} [ ]\n");
  EXPECT_EQ(err, "");
}

// Without a handler the log output adds a timestamp and the level name, and
// uses stderr up to CRIT.
TEST_F(ShowPduOutput, DefaultLogOutput) {
  PduPtr pdu = make(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 0x0102);
  coap_set_show_pdu_output(0);
  std::string err;
  std::string out = capture_fd(1, stdout, [&] {
    err = capture_fd(2, stderr, [&] {
      coap_show_pdu(COAP_LOG_WARN, pdu.get());
      coap_show_pdu(COAP_LOG_CRIT, pdu.get());
    });
  });
  const std::string suffix_warn = " WARN v:1 t:CON c:GET i:0102 {} [ ]\n";
  const std::string suffix_crit = " CRIT v:1 t:CON c:GET i:0102 {} [ ]\n";
  ASSERT_GT(out.size(), suffix_warn.size());
  EXPECT_EQ(out.substr(out.size() - suffix_warn.size()), suffix_warn);
  ASSERT_GT(err.size(), suffix_crit.size());
  EXPECT_EQ(err.substr(err.size() - suffix_crit.size()), suffix_crit);
}

}  // namespace
