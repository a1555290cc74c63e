// The pure pieces of CoAP over WebSockets: SHA-1 (FIPS 180 / RFC 3174
// vectors), base64 (RFC 4648 vectors), RFC 6455 frame headers and masking
// (the RFC's own examples, every length form, every split point) and the
// opening handshake's request and answer, generated and checked.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "util/base64.h"
#include "util/sha1.h"
#include "wire/ws_frame.h"
#include "wire/ws_handshake.h"

namespace coap::test {
namespace {

using Bytes = std::vector<uint8_t>;

std::string hex_digest(const uint8_t *d, size_t n) {
  std::string s;
  char b[3];
  for (size_t i = 0; i < n; ++i) {
    snprintf(b, sizeof(b), "%02x", d[i]);
    s += b;
  }
  return s;
}

std::string sha1_hex(const std::string &m) {
  uint8_t d[kSha1Size];
  sha1(reinterpret_cast<const uint8_t *>(m.data()), m.size(), d);
  return hex_digest(d, sizeof(d));
}

// --- SHA-1 -----------------------------------------------------------------------

TEST(Sha1, Fips180AndRfc3174Vectors) {
  EXPECT_EQ(sha1_hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  // FIPS 180-2 appendix A (RFC 3174 tests 1 and 2).
  EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(sha1_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  // RFC 3174 test 3: a million times 'a'.
  EXPECT_EQ(sha1_hex(std::string(1000000, 'a')), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  // RFC 3174 test 4: "01234567" repeated 80 times.
  std::string t4;
  for (int i = 0; i < 80; ++i) t4 += "01234567";
  EXPECT_EQ(sha1_hex(t4), "dea356a2cddd90c7a7ecedc5ebb563934f460452");
  // FIPS 180-4 examples: a two-block message and the 896-bit one.
  EXPECT_EQ(
      sha1_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
               "klmnopqrlmnopqrsmnopqrstnopqrstu"),
      "a49b2446a02c645bf419f995b67091253a04a259");
  EXPECT_EQ(sha1_hex("The quick brown fox jumps over the lazy dog"),
            "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12");
}

TEST(Sha1, PaddingBoundaries) {
  // Lengths around the 55/56/64-byte padding edges, checked against the
  // same message hashed in pieces of every size.
  for (size_t n : {55u, 56u, 57u, 63u, 64u, 65u, 119u, 120u, 128u}) {
    std::string m(n, 'x');
    for (size_t i = 0; i < n; ++i) m[i] = static_cast<char>('a' + i % 26);
    uint8_t whole[kSha1Size];
    sha1(reinterpret_cast<const uint8_t *>(m.data()), n, whole);
    for (size_t piece = 1; piece <= n; ++piece) {
      Sha1 h;
      for (size_t off = 0; off < n; off += piece) {
        h.update(reinterpret_cast<const uint8_t *>(m.data()) + off, std::min(piece, n - off));
      }
      uint8_t d[kSha1Size];
      h.finish(d);
      ASSERT_EQ(0, memcmp(d, whole, kSha1Size)) << "length " << n << " pieces of " << piece;
    }
  }
  // Known values at the edges.
  EXPECT_EQ(sha1_hex(std::string(55, 'a')), "c1c8bbdc22796e28c0e15163d20899b65621d65a");
  EXPECT_EQ(sha1_hex(std::string(56, 'a')), "c2db330f6083854c99d4b5bfb6e8f29f201be699");
  EXPECT_EQ(sha1_hex(std::string(64, 'a')), "0098ba824b5c16427bd7a1122a5a442a25ec644d");
}

// --- base64 ----------------------------------------------------------------------

std::string b64(const std::string &s) {
  char out[256];
  base64_encode(reinterpret_cast<const uint8_t *>(s.data()), s.size(), out);
  return out;
}

long unb64(const char *text, std::string *out) {
  uint8_t buf[64];
  long n = base64_decode(text, strlen(text), buf, sizeof(buf));
  if (n >= 0) out->assign(reinterpret_cast<char *>(buf), static_cast<size_t>(n));
  return n;
}

TEST(Base64, Rfc4648Vectors) {
  const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char *coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(b64(plain[i]), coded[i]);
    EXPECT_EQ(base64_encoded_size(strlen(plain[i])), strlen(coded[i]));
    std::string back;
    EXPECT_EQ(unb64(coded[i], &back), static_cast<long>(strlen(plain[i])));
    EXPECT_EQ(back, plain[i]);
  }
  // All 64 characters and binary bytes.
  uint8_t all[48];
  for (int i = 0; i < 48; ++i) all[i] = static_cast<uint8_t>(i * 5 + 0x83);
  char text[80];
  base64_encode(all, sizeof(all), text);
  uint8_t back[48];
  EXPECT_EQ(base64_decode(text, strlen(text), back, sizeof(back)), 48);
  EXPECT_EQ(0, memcmp(all, back, 48));
}

TEST(Base64, RejectsInvalidText) {
  std::string out;
  EXPECT_EQ(unb64("Zg=", &out), -1);       // not a multiple of 4
  EXPECT_EQ(unb64("Zg", &out), -1);        // padding missing
  EXPECT_EQ(unb64("Z===", &out), -1);      // too much padding
  EXPECT_EQ(unb64("Zh==", &out), -1);      // bits after the last byte
  EXPECT_EQ(unb64("Zm9=", &out), -1);      // the same for one pad
  EXPECT_EQ(unb64("Zm9v!A==", &out), -1);  // not in the alphabet
  EXPECT_EQ(unb64("Zg==Zm8=", &out), -1);  // padding in the middle
  EXPECT_EQ(unb64("Zm 9v", &out), -1);     // whitespace
  EXPECT_EQ(unb64("Zm9v-_==", &out), -1);  // the URL alphabet is not base64
  uint8_t small[2];
  EXPECT_EQ(base64_decode("Zm9v", 4, small, sizeof(small)), -1);  // does not fit
}

// --- frames ----------------------------------------------------------------------

Bytes frame(bool fin, uint8_t op, const Bytes &payload, const uint8_t *mask) {
  uint8_t h[wire::kWsMaxHeader];
  size_t n = wire::encode_ws_header(h, fin, op, payload.size(), mask);
  Bytes out(h, h + n);
  size_t at = out.size();
  out.insert(out.end(), payload.begin(), payload.end());
  if (mask) wire::ws_mask(out.data() + at, payload.size(), mask, 0);
  return out;
}

Bytes text(const char *s) {
  return Bytes(s, s + strlen(s));
}

TEST(WsFrame, Rfc6455Examples) {
  // Section 5.7.
  EXPECT_EQ(frame(true, wire::kWsText, text("Hello"), nullptr),
            (Bytes{0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
  const uint8_t mask[4] = {0x37, 0xfa, 0x21, 0x3d};
  EXPECT_EQ(frame(true, wire::kWsText, text("Hello"), mask),
            (Bytes{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}));
  EXPECT_EQ(frame(false, wire::kWsText, text("Hel"), nullptr),
            (Bytes{0x01, 0x03, 0x48, 0x65, 0x6c}));
  EXPECT_EQ(frame(true, wire::kWsContinuation, text("lo"), nullptr),
            (Bytes{0x80, 0x02, 0x6c, 0x6f}));
  EXPECT_EQ(frame(true, wire::kWsPing, text("Hello"), nullptr),
            (Bytes{0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
  EXPECT_EQ(frame(true, wire::kWsPong, text("Hello"), mask),
            (Bytes{0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}));
  Bytes h256 = frame(true, wire::kWsBinary, Bytes(256), nullptr);
  EXPECT_EQ(Bytes(h256.begin(), h256.begin() + 4), (Bytes{0x82, 0x7e, 0x01, 0x00}));
  Bytes h64k = frame(true, wire::kWsBinary, Bytes(65536), nullptr);
  EXPECT_EQ(Bytes(h64k.begin(), h64k.begin() + 10),
            (Bytes{0x82, 0x7f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00}));
}

TEST(WsFrame, EveryLengthFormAndSplitPoint) {
  const uint8_t mask[4] = {1, 2, 3, 4};
  for (uint64_t len : {0ull, 1ull, 125ull, 126ull, 127ull, 65535ull, 65536ull, 1ull << 32}) {
    for (const uint8_t *m : {static_cast<const uint8_t *>(nullptr), mask}) {
      uint8_t h[wire::kWsMaxHeader];
      size_t n = wire::encode_ws_header(h, true, wire::kWsBinary, len, m);
      size_t expect = (len < 126 ? 2 : len <= 0xffff ? 4 : 10) + (m ? 4 : 0);
      ASSERT_EQ(n, expect);
      // Any prefix: more bytes needed, and how many in all once known.
      for (size_t have = 0; have < n; ++have) {
        wire::WsHeaderScan s = wire::scan_ws_header(h, have);
        ASSERT_EQ(s.status, wire::WsHeaderScan::kNeedMore) << len << " " << have;
        ASSERT_GT(s.need, have);
        ASSERT_LE(s.need, n);
      }
      wire::WsHeaderScan s = wire::scan_ws_header(h, n);
      ASSERT_EQ(s.status, wire::WsHeaderScan::kComplete);
      EXPECT_EQ(s.header.length, len);
      EXPECT_EQ(s.header.header_size, n);
      EXPECT_EQ(s.header.masked, m != nullptr);
      EXPECT_TRUE(s.header.fin);
      EXPECT_EQ(s.header.opcode, wire::kWsBinary);
      if (m) {
        EXPECT_EQ(0, memcmp(s.header.mask, mask, 4));
      }
      // Bytes after the header do not matter.
      uint8_t more[wire::kWsMaxHeader + 3] = {};
      memcpy(more, h, n);
      EXPECT_EQ(wire::scan_ws_header(more, n + 3).header.header_size, n);
    }
  }
}

TEST(WsFrame, HeaderFields) {
  uint8_t h[2] = {0x72, 0x00};  // FIN 0, RSV 7, opcode 2
  wire::WsHeaderScan s = wire::scan_ws_header(h, 2);
  ASSERT_EQ(s.status, wire::WsHeaderScan::kComplete);
  EXPECT_FALSE(s.header.fin);
  EXPECT_EQ(s.header.rsv, 7);
  EXPECT_EQ(s.header.opcode, 2);
  // A 64-bit length with the top bit set is invalid (section 5.2).
  uint8_t big[10] = {0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_EQ(wire::scan_ws_header(big, 10).status, wire::WsHeaderScan::kInvalid);
  big[2] = 0x7f;
  EXPECT_EQ(wire::scan_ws_header(big, 10).status, wire::WsHeaderScan::kComplete);
  // A length not in its shortest form is still read.
  uint8_t loose[4] = {0x82, 0x7e, 0x00, 0x05};
  EXPECT_EQ(wire::scan_ws_header(loose, 4).header.length, 5u);
  EXPECT_TRUE(wire::ws_is_control(wire::kWsClose));
  EXPECT_TRUE(wire::ws_is_control(wire::kWsPing));
  EXPECT_FALSE(wire::ws_is_control(wire::kWsBinary));
  for (int op = 0; op < 16; ++op) {
    bool known = op <= 2 || (op >= 8 && op <= 10);
    EXPECT_EQ(wire::ws_opcode_known(static_cast<uint8_t>(op)), known) << op;
  }
}

TEST(WsFrame, MaskingInPiecesEqualsMaskingAtOnce) {
  const uint8_t mask[4] = {0xde, 0xad, 0xbe, 0xef};
  Bytes data(37);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7);
  Bytes whole = data;
  wire::ws_mask(whole.data(), whole.size(), mask, 0);
  for (size_t i = 0; i < data.size(); ++i) EXPECT_EQ(whole[i], data[i] ^ mask[i % 4]);
  for (size_t cut = 0; cut <= data.size(); ++cut) {
    Bytes pieces(data.size());
    wire::ws_mask_copy(pieces.data(), data.data(), cut, mask, 0);
    wire::ws_mask_copy(pieces.data() + cut, data.data() + cut, data.size() - cut, mask, cut);
    ASSERT_EQ(pieces, whole) << cut;
  }
  // Masking twice gives the data back.
  wire::ws_mask(whole.data(), whole.size(), mask, 0);
  EXPECT_EQ(whole, data);
}

TEST(WsFrame, CloseStatusAndUtf8) {
  for (int s : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999}) {
    EXPECT_TRUE(wire::ws_close_status_valid(static_cast<uint16_t>(s))) << s;
  }
  for (int s : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535}) {
    EXPECT_FALSE(wire::ws_close_status_valid(static_cast<uint16_t>(s))) << s;
  }
  auto ok = [](std::initializer_list<int> v) {
    Bytes b;
    for (int x : v) b.push_back(static_cast<uint8_t>(x));
    return wire::ws_utf8_valid(b.data(), b.size());
  };
  EXPECT_TRUE(ok({}));
  EXPECT_TRUE(ok({'o', 'k'}));
  EXPECT_TRUE(ok({0xc3, 0xa9}));               // é
  EXPECT_TRUE(ok({0xe2, 0x82, 0xac}));         // €
  EXPECT_TRUE(ok({0xf0, 0x9f, 0x98, 0x80}));   // U+1F600
  EXPECT_TRUE(ok({0xf4, 0x8f, 0xbf, 0xbf}));   // U+10FFFF
  EXPECT_FALSE(ok({0x80}));                    // continuation alone
  EXPECT_FALSE(ok({0xc3}));                    // truncated
  EXPECT_FALSE(ok({0xc0, 0x80}));              // overlong NUL
  EXPECT_FALSE(ok({0xe0, 0x80, 0xaf}));        // overlong
  EXPECT_FALSE(ok({0xed, 0xa0, 0x80}));        // surrogate
  EXPECT_FALSE(ok({0xf4, 0x90, 0x80, 0x80}));  // above U+10FFFF
  EXPECT_FALSE(ok({0xff}));
  EXPECT_FALSE(ok({0xe2, 0x82}));
}

// --- the handshake -----------------------------------------------------------------

const char kKey[] = "dGhlIHNhbXBsZSBub25jZQ==";  // RFC 6455 section 1.3

TEST(WsHandshake, AcceptValueOfTheRfcExample) {
  char accept[wire::kWsAcceptTextSize];
  wire::ws_accept_value(kKey, strlen(kKey), accept);
  EXPECT_STREQ(accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WsHandshake, HostHeader) {
  char out[64];
  auto host = [&](const char *h, uint16_t port, bool secure) {
    EXPECT_TRUE(wire::ws_host_header(h, strlen(h), port, secure, out, sizeof(out)));
    return std::string(out);
  };
  EXPECT_EQ(host("example.org", 80, false), "example.org");
  EXPECT_EQ(host("example.org", 8080, false), "example.org:8080");
  EXPECT_EQ(host("example.org", 443, true), "example.org");
  EXPECT_EQ(host("example.org", 80, true), "example.org:80");
  EXPECT_EQ(host("::1", 5683, false), "[::1]:5683");
  EXPECT_EQ(host("::1", 80, false), "[::1]");
  EXPECT_EQ(host("[::1]", 5683, false), "[::1]:5683");
  EXPECT_EQ(host("10.0.0.1", 5683, false), "10.0.0.1:5683");
  char small[8];
  EXPECT_FALSE(wire::ws_host_header("example.org", 11, 80, false, small, sizeof(small)));
}

TEST(WsHandshake, RequestAsLibcoapSendsIt) {
  char out[512];
  size_t n = wire::ws_format_request(out, sizeof(out), "example.org:5683", kKey);
  EXPECT_EQ(std::string(out, n),
            "GET /.well-known/coap HTTP/1.1\r\n"
            "Host: example.org:5683\r\n"
            "Upgrade: websocket\r\n"
            "Connection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Protocol: coap\r\n"
            "Sec-WebSocket-Version: 13\r\n"
            "\r\n");
  // Our own request passes our own checks.
  wire::WsRequestCheck c = wire::ws_check_request(out, n);
  EXPECT_EQ(c.status, 101);
  EXPECT_STREQ(c.key, kKey);
  char small[32];
  EXPECT_EQ(wire::ws_format_request(small, sizeof(small), "h", kKey), 0u);
}

std::string good_request() {
  return "GET /.well-known/coap HTTP/1.1\r\n"
         "Host: example.org\r\n"
         "Upgrade: websocket\r\n"
         "Connection: Upgrade\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
         "Sec-WebSocket-Protocol: coap\r\n"
         "Sec-WebSocket-Version: 13\r\n"
         "\r\n";
}

std::string replace(std::string s, const std::string &from, const std::string &to) {
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

int check(const std::string &r) {
  return wire::ws_check_request(r.data(), r.size()).status;
}

TEST(WsHandshake, ServerChecksTheRequest) {
  std::string r = good_request();
  EXPECT_EQ(check(r), 101);
  // Accepted variations: header case, list values, extra headers, an
  // offered extension (ignored), a subprotocol list, bare LF line ends,
  // optional whitespace, the path in another case (as libcoap).
  EXPECT_EQ(check(replace(r, "Upgrade: websocket", "upgrade: WebSocket")), 101);
  EXPECT_EQ(check(replace(r, "Connection: Upgrade", "Connection: keep-alive, Upgrade")), 101);
  EXPECT_EQ(check(replace(r, "Connection: Upgrade", "Connection: Upgrade, keep-alive")), 101);
  EXPECT_EQ(check(replace(r, "Sec-WebSocket-Protocol: coap", "Sec-WebSocket-Protocol: mqtt, coap")),
            101);
  EXPECT_EQ(
      check(replace(r, "Host: example.org\r\n",
                    "Host: example.org\r\nOrigin: http://x\r\n"
                    "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n")),
      101);
  std::string lf = r;
  for (size_t at; (at = lf.find("\r\n")) != std::string::npos;) lf.erase(at, 1);
  EXPECT_EQ(check(lf), 101);
  EXPECT_EQ(check(replace(r, "Version: 13", "Version:13  ")), 101);
  EXPECT_EQ(check(replace(r, "/.well-known/coap", "/.WELL-KNOWN/COAP")), 101);
  // Refused: what, and with which status.
  EXPECT_EQ(check(replace(r, "GET ", "POST ")), 405);
  EXPECT_EQ(check(replace(r, "/.well-known/coap", "/coap")), 404);
  EXPECT_EQ(check(replace(r, "/.well-known/coap", "/.well-known/coap?x=1")), 404);
  EXPECT_EQ(check(replace(r, "Version: 13", "Version: 8")), 426);
  EXPECT_EQ(check(replace(r, "Sec-WebSocket-Version: 13\r\n", "")), 426);
  EXPECT_EQ(check(replace(r, "HTTP/1.1", "HTTP/1.0")), 400);
  EXPECT_EQ(check(replace(r, "Host: example.org\r\n", "")), 400);
  EXPECT_EQ(check(replace(r, "Host: example.org\r\n", "Host: a\r\nHost: b\r\n")), 400);
  EXPECT_EQ(check(replace(r, "Upgrade: websocket", "Upgrade: h2c")), 400);
  EXPECT_EQ(check(replace(r, "Connection: Upgrade", "Connection: close")), 400);
  EXPECT_EQ(check(replace(r, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "")), 400);
  EXPECT_EQ(check(replace(r, "dGhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZQ==")), 400);
  EXPECT_EQ(check(replace(r, "dGhlIHNhbXBsZSBub25jZQ==", "AAAAAAAAAAAAAAAAAAAAAA")), 400);
  EXPECT_EQ(check(replace(r, "dGhlIHNhbXBsZSBub25jZQ==", "!!!!!!!!!!!!!!!!!!!!!!==")), 400);
  EXPECT_EQ(check(replace(r, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n",
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")),
            400);
  EXPECT_EQ(check(replace(r, "Sec-WebSocket-Protocol: coap", "Sec-WebSocket-Protocol: mqtt")), 400);
  EXPECT_EQ(check(replace(r, "Sec-WebSocket-Protocol: coap\r\n", "")), 400);
  EXPECT_EQ(check(replace(r, "Host: example.org", "Host: example.org\r\n continued")), 400);
  EXPECT_EQ(check(replace(r, "Host: example.org", "Host : example.org")), 400);
  EXPECT_EQ(check(replace(r, "Host: example.org", "no colon here")), 400);
  EXPECT_EQ(check("garbage\r\n\r\n"), 400);
  EXPECT_EQ(check("\r\n"), 400);
  EXPECT_EQ(check(""), 400);
  // The refusal says why.
  wire::WsRequestCheck c = wire::ws_check_request(r.data(), 10);
  EXPECT_NE(c.status, 101);
  EXPECT_NE(c.problem, nullptr);
}

TEST(WsHandshake, HeadLengthAtEverySplit) {
  std::string r = good_request() + "\x82\x85";  // a frame follows
  size_t head = good_request().size();
  for (size_t n = 0; n < head; ++n) {
    ASSERT_EQ(wire::http_head_length(reinterpret_cast<const uint8_t *>(r.data()), n), 0u) << n;
  }
  for (size_t n = head; n <= r.size(); ++n) {
    ASSERT_EQ(wire::http_head_length(reinterpret_cast<const uint8_t *>(r.data()), n), head);
  }
  const char *lf = "GET / HTTP/1.1\nHost: x\n\nrest";
  EXPECT_EQ(wire::http_head_length(reinterpret_cast<const uint8_t *>(lf), strlen(lf)),
            strlen(lf) - 4);
}

TEST(WsHandshake, ServerAnswers) {
  char out[512];
  size_t n = wire::ws_format_accept(out, sizeof(out), kKey);
  EXPECT_EQ(std::string(out, n),
            "HTTP/1.1 101 Switching Protocols\r\n"
            "Upgrade: websocket\r\n"
            "Connection: Upgrade\r\n"
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            "Sec-WebSocket-Protocol: coap\r\n"
            "\r\n");
  EXPECT_TRUE(wire::ws_check_response(out, n, kKey).ok);
  n = wire::ws_format_refusal(out, sizeof(out), 426);
  EXPECT_EQ(std::string(out, n),
            "HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n"
            "Connection: close\r\nContent-Length: 0\r\n\r\n");
  n = wire::ws_format_refusal(out, sizeof(out), 405);
  EXPECT_NE(std::string(out, n).find("Allow: GET\r\n"), std::string::npos);
  n = wire::ws_format_refusal(out, sizeof(out), 400);
  EXPECT_EQ(std::string(out, n).substr(0, 26), "HTTP/1.1 400 Bad Request\r\n");
  char small[10];
  EXPECT_EQ(wire::ws_format_accept(small, sizeof(small), kKey), 0u);
  EXPECT_EQ(wire::ws_format_refusal(small, sizeof(small), 400), 0u);
}

wire::WsResponseCheck response(const std::string &r) {
  return wire::ws_check_response(r.data(), r.size(), kKey);
}

TEST(WsHandshake, ClientChecksTheAnswer) {
  std::string r =
      "HTTP/1.1 101 Switching Protocols\r\n"
      "Upgrade: websocket\r\n"
      "Connection: Upgrade\r\n"
      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
      "Sec-WebSocket-Protocol: coap\r\n"
      "\r\n";
  EXPECT_TRUE(response(r).ok);
  EXPECT_EQ(response(r).status, 101);
  EXPECT_TRUE(response(replace(r, "Upgrade: websocket", "UPGRADE: WebSocket")).ok);
  EXPECT_TRUE(response(replace(r, "Switching Protocols", "OK then")).ok);
  EXPECT_TRUE(response(replace(r, "Connection: Upgrade", "Connection: upgrade")).ok);
  EXPECT_TRUE(response(replace(r, "\r\n\r\n", "\r\nServer: x\r\n\r\n")).ok);
  // Refusals and broken answers.
  wire::WsResponseCheck c = response("HTTP/1.1 400 Invalid request\r\n\r\n");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.status, 400);
  EXPECT_FALSE(response(replace(r, "101", "200")).ok);
  EXPECT_FALSE(response(replace(r, "HTTP/1.1", "HTTP/1.0")).ok);
  EXPECT_FALSE(response(replace(r, "101", "1x1")).ok);
  EXPECT_FALSE(response("garbage\r\n\r\n").ok);
  EXPECT_FALSE(response(replace(r, "Upgrade: websocket\r\n", "")).ok);
  EXPECT_FALSE(response(replace(r, "Connection: Upgrade\r\n", "")).ok);
  EXPECT_FALSE(
      response(replace(r, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "s3pPLMBiTxaQ9kYGzzhZRbK+xOa=")).ok);
  EXPECT_FALSE(
      response(replace(r, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "S3PPLMBITXAQ9KYGZZHZRBK+XOO=")).ok);
  EXPECT_FALSE(
      response(replace(r, "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", "")).ok);
  EXPECT_FALSE(response(replace(r, "Sec-WebSocket-Protocol: coap\r\n", "")).ok);
  EXPECT_FALSE(
      response(replace(r, "Sec-WebSocket-Protocol: coap", "Sec-WebSocket-Protocol: mqtt")).ok);
  EXPECT_FALSE(response(replace(r, "Sec-WebSocket-Protocol: coap",
                                "Sec-WebSocket-Protocol: coap\r\nSec-WebSocket-Protocol: coap"))
                   .ok);
  EXPECT_FALSE(response(replace(r, "\r\n\r\n", "\r\nSec-WebSocket-Extensions: x\r\n\r\n")).ok);
  EXPECT_FALSE(response(replace(r, "Upgrade: websocket", " folded")).ok);
}

}  // namespace
}  // namespace coap::test
