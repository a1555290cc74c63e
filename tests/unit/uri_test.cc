// URI splitting, path / query segmentation and the URI <-> option helpers,
// through wire/uri.h (with every scheme usable, whatever this build has)
// and through the public API. Expected values were checked against
// libcoap 4.3.5; see also tests/diff/diff_uri.c.
#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "coap3/coap.h"
#include "wire/uri.h"
#include "wire/uri_options.h"

namespace {

using coap::wire::UriKind;
using coap::wire::UriPart;

constexpr uint32_t kAllSchemes = (1u << COAP_URI_SCHEME_LAST) - 1;

const uint8_t *u8(const char *s) {
  return reinterpret_cast<const uint8_t *>(s);
}

std::string str(const coap_str_const_t &s) {
  return s.s ? std::string(reinterpret_cast<const char *>(s.s), s.length) : std::string("<null>");
}

// The parsed parts point into the text, so the text lives on the heap
// for as long as the result.
struct Split {
  std::unique_ptr<std::string> text;
  int result;
  coap_uri_t uri;
};

Split split(const std::string &text, UriKind kind = UriKind::kRequest,
            uint32_t schemes = kAllSchemes) {
  Split s;
  s.text.reset(new std::string(text));
  std::memset(&s.uri, 0x5a, sizeof(s.uri));
  s.result = coap::wire::split_uri(u8(s.text->data()), s.text->size(), kind, schemes, &s.uri);
  return s;
}

// ---- split_uri ------------------------------------------------------------

TEST(UriSplit, EverySchemeAndItsDefaultPort) {
  struct Case {
    const char *text;
    coap_uri_scheme_t scheme;
    uint16_t port;
  } cases[] = {
      {"coap://h", COAP_URI_SCHEME_COAP, 5683},
      {"coaps://h", COAP_URI_SCHEME_COAPS, 5684},
      {"coap+tcp://h", COAP_URI_SCHEME_COAP_TCP, 5683},
      {"coaps+tcp://h", COAP_URI_SCHEME_COAPS_TCP, 5684},
      {"coap+ws://h", COAP_URI_SCHEME_COAP_WS, 80},
      {"coaps+ws://h", COAP_URI_SCHEME_COAPS_WS, 443},
  };
  for (const Case &c : cases) {
    Split s = split(c.text);
    EXPECT_EQ(s.result, 0) << c.text;
    EXPECT_EQ(s.uri.scheme, c.scheme) << c.text;
    EXPECT_EQ(s.uri.port, c.port) << c.text;
    EXPECT_EQ(str(s.uri.host), "h");
    EXPECT_EQ(s.uri.path.s, nullptr);
    EXPECT_EQ(s.uri.query.s, nullptr);
    // The proxy form accepts the same.
    EXPECT_EQ(split(c.text, UriKind::kProxy).result, 0) << c.text;
  }
}

TEST(UriSplit, HttpOnlyInProxyUri) {
  EXPECT_EQ(split("http://h").result, -1);
  EXPECT_EQ(split("https://h").result, -1);
  Split s = split("http://h:8080/x?y", UriKind::kProxy);
  ASSERT_EQ(s.result, 0);
  EXPECT_EQ(s.uri.scheme, COAP_URI_SCHEME_HTTP);
  EXPECT_EQ(s.uri.port, 8080);
  EXPECT_EQ(str(s.uri.path), "x");
  EXPECT_EQ(str(s.uri.query), "y");
  s = split("https://[::1]/", UriKind::kProxy);
  ASSERT_EQ(s.result, 0);
  EXPECT_EQ(s.uri.scheme, COAP_URI_SCHEME_HTTPS);
  EXPECT_EQ(s.uri.port, 443);
  EXPECT_EQ(str(s.uri.host), "::1");
}

TEST(UriSplit, SchemeNotBuiltIsRefusedButRecorded) {
  Split s = split("coaps://h/a", UriKind::kRequest, COAP_URI_SCHEME_COAP_BIT);
  EXPECT_EQ(s.result, -1);
  EXPECT_EQ(s.uri.scheme, COAP_URI_SCHEME_COAPS);
  EXPECT_EQ(s.uri.port, 5684);
  EXPECT_EQ(s.uri.host.s, nullptr);
  EXPECT_EQ(split("coap+ws://h", UriKind::kRequest, COAP_URI_SCHEME_COAP_BIT).result, -1);
}

TEST(UriSplit, FullUriPointsIntoText) {
  Split s = split("coap://example.com:61616/a/b/c?x=1&y=2");
  ASSERT_EQ(s.result, 0);
  EXPECT_EQ(str(s.uri.host), "example.com");
  EXPECT_EQ(s.uri.host.s, u8(s.text->data()) + 7);
  EXPECT_EQ(s.uri.port, 61616);
  EXPECT_EQ(str(s.uri.path), "a/b/c");
  EXPECT_EQ(str(s.uri.query), "x=1&y=2");
}

TEST(UriSplit, Ipv6Literals) {
  Split s = split("coap://[2001:db8::1]:5684/r?q");
  ASSERT_EQ(s.result, 0);
  EXPECT_EQ(str(s.uri.host), "2001:db8::1");
  EXPECT_EQ(s.uri.port, 5684);
  EXPECT_EQ(str(s.uri.path), "r");
  EXPECT_EQ(str(s.uri.query), "q");
  EXPECT_EQ(split("coap://[FE80::ABCD]").result, 0);
  // Only hex digits and ':' between the brackets, and something there.
  for (const char *bad : {"coap://[]/", "coap://[::1", "coap://[", "coap://[fe80::1%25eth0]/",
                          "coap://[::ffff:1.2.3.4]/", "coap://[[::1]]", "coap://[g]"}) {
    EXPECT_EQ(split(bad).result, -3) << bad;
  }
  EXPECT_EQ(split("coap://[::1]x").result, -1);
  EXPECT_EQ(split("coap://[::1]]").result, -1);
  // A query straight after the literal is refused, after ':' it is not.
  EXPECT_EQ(split("coap://[::1]?q").result, -1);
  s = split("coap://[::1]:?q");
  EXPECT_EQ(s.result, 0);
  EXPECT_EQ(str(s.uri.query), "q");
  // No length limit on literals.
  EXPECT_EQ(split("coap://[" + std::string(400, 'a') + "]").result, 0);
}

TEST(UriSplit, Ports) {
  EXPECT_EQ(split("coap://h:0").uri.port, 0);
  EXPECT_EQ(split("coap://h:65535").uri.port, 65535);
  EXPECT_EQ(split("coap://h:00000000000000005683").uri.port, 5683);
  EXPECT_EQ(split("coap://h:" + std::string(3000, '0') + "7").uri.port, 7);
  Split s = split("coap://h:");
  EXPECT_EQ(s.result, 0);
  EXPECT_EQ(s.uri.port, 5683);
  EXPECT_EQ(split("coap://h:65536").result, -4);
  EXPECT_EQ(split("coap://h:99999999999999999999999").result, -4);
  s = split("coap://h:65536/p");
  EXPECT_EQ(str(s.uri.host), "h");  // filled before the port failed
  for (const char *bad : {"coap://h:a", "coap://h:12a", "coap://h:-1", "coap://h:+1", "coap://h: 1",
                          "coap://h:5683:5/"}) {
    EXPECT_EQ(split(bad).result, -1) << bad;
  }
  s = split("coap://h:1x/");
  EXPECT_EQ(s.result, -1);
  EXPECT_EQ(s.uri.port, 1);
}

TEST(UriSplit, HostErrors) {
  for (const char *bad : {"coap://", "coap:///p", "coap://:80/", "coap://:", "coap://?"}) {
    EXPECT_EQ(split(bad).result, -3) << bad;
  }
  EXPECT_EQ(split("coap://" + std::string(255, 'h')).result, 0);
  Split s = split("coap://" + std::string(256, 'h'));
  EXPECT_EQ(s.result, -6);
  EXPECT_EQ(s.uri.host.s, nullptr);
  // Anything else is taken as the host, byte for byte.
  EXPECT_EQ(str(split("coap://ho st/").uri.host), "ho st");
  EXPECT_EQ(str(split("coap://h#frag").uri.host), "h#frag");
  EXPECT_EQ(split("coap://u:p@h/").result, -1);
}

TEST(UriSplit, SchemeErrors) {
  for (const char *bad : {"coap:/h", "coap:h", "coap//h", "path", "?q", "./a"}) {
    EXPECT_EQ(split(bad).result, -2) << bad;
  }
  for (const char *bad :
       {"COAP://h", "foo://h", "coap+udp://h", "xcoap://h", "://h", "coap:://h"}) {
    Split s = split(bad);
    EXPECT_EQ(s.result, -1) << bad;
    EXPECT_EQ(s.uri.scheme, COAP_URI_SCHEME_COAP);
    EXPECT_EQ(s.uri.port, 5683);
  }
}

TEST(UriSplit, UnixDomainHosts) {
  Split s = split("coap://%2Ftmp%2Fsock/p");
  ASSERT_EQ(s.result, 0);
  EXPECT_EQ(str(s.uri.host), "%2Ftmp%2Fsock");
  EXPECT_EQ(s.uri.port, 0);
  EXPECT_EQ(str(s.uri.path), "p");
  EXPECT_EQ(split("coap://%2ftmp").uri.port, 0);
  EXPECT_EQ(split("coap+tcp://%2Fx").uri.port, 0);
  EXPECT_EQ(split("coap://%2").uri.port, 5683);
  s = split("coap://%2Ftmp:5683/");
  EXPECT_EQ(s.result, -5);
  EXPECT_EQ(str(s.uri.host), "%2Ftmp");
  EXPECT_EQ(split("coap://%2Fa:").result, -5);
  EXPECT_EQ(split("coap://%2F" + std::string(253, 'u')).result, -6);
}

TEST(UriSplit, PathAndQuery) {
  EXPECT_EQ(split("coap://h/").uri.path.s, nullptr);
  EXPECT_EQ(str(split("coap://h//").uri.path), "/");
  EXPECT_EQ(str(split("coap://h/a//b/").uri.path), "a//b/");
  EXPECT_EQ(str(split("coap://h/./a/../b").uri.path), "./a/../b");
  EXPECT_EQ(str(split("coap://h/p#f").uri.path), "p#f");
  Split s = split("coap://h/?");
  ASSERT_EQ(s.result, 0);
  EXPECT_NE(s.uri.query.s, nullptr);
  EXPECT_EQ(s.uri.query.length, 0u);
  s = split("coap://h/a?b?c");
  EXPECT_EQ(str(s.uri.path), "a");
  EXPECT_EQ(str(s.uri.query), "b?c");
  // '?' right after the host is not taken as a query (libcoap's rule).
  EXPECT_EQ(split("coap://h?q").result, -1);
  EXPECT_EQ(split("coap://h?").result, -1);
  EXPECT_EQ(str(split("coap://h:5683?x").uri.query), "x");
  EXPECT_EQ(str(split("coap://h:?x").uri.query), "x");
}

TEST(UriSplit, RelativeReferences) {
  Split s = split("/a?b");
  ASSERT_EQ(s.result, 0);
  EXPECT_EQ(s.uri.host.s, nullptr);
  EXPECT_EQ(s.uri.port, 5683);
  EXPECT_EQ(str(s.uri.path), "a");
  EXPECT_EQ(str(s.uri.query), "b");
  EXPECT_EQ(split("/").result, 0);
  EXPECT_EQ(split("/path", UriKind::kProxy).result, -1);
}

TEST(UriSplit, BadArguments) {
  coap_uri_t uri;
  std::memset(&uri, 0x5a, sizeof(uri));
  EXPECT_EQ(coap::wire::split_uri(nullptr, 5, UriKind::kRequest, kAllSchemes, &uri), -1);
  EXPECT_EQ(coap::wire::split_uri(u8("coap://h"), 0, UriKind::kRequest, kAllSchemes, &uri), -1);
  EXPECT_EQ(uri.port, 0x5a5a);  // untouched, as in libcoap
  EXPECT_EQ(coap::wire::split_uri(u8("coap://h"), 8, UriKind::kRequest, kAllSchemes, nullptr), -1);
  EXPECT_EQ(coap_split_uri(u8("coap://h"), 8, nullptr), -1);
  EXPECT_EQ(coap_split_proxy_uri(nullptr, 8, &uri), -1);
}

TEST(UriSplit, NulBytesAreOrdinary) {
  static const char text[] = "coap://h\0x/a\0b?c\0d";
  coap_uri_t uri;
  ASSERT_EQ(coap::wire::split_uri(u8(text), sizeof(text) - 1, UriKind::kRequest, kAllSchemes, &uri),
            0);
  EXPECT_EQ(uri.host.length, 3u);
  EXPECT_EQ(uri.path.length, 3u);
  EXPECT_EQ(uri.query.length, 3u);
}

TEST(UriSplit, PublicApiFollowsTheBuild) {
  coap_uri_t uri;
  EXPECT_EQ(coap_split_uri(u8("coap://h/x"), 10, &uri), 0);
  EXPECT_EQ(coap_split_uri(u8("coap+tcp://h"), 12, &uri), coap_tcp_is_supported() ? 0 : -1);
  EXPECT_EQ(coap_split_uri(u8("coap+ws://h"), 11, &uri), coap_ws_is_supported() ? 0 : -1);
  EXPECT_EQ(coap_split_uri(u8("coaps://h"), 9, &uri), coap_dtls_is_supported() ? 0 : -1);
  EXPECT_EQ(coap_split_proxy_uri(u8("http://h"), 8, &uri), 0);
  EXPECT_EQ(coap_verify_proxy_scheme_supported(COAP_URI_SCHEME_COAP), 1);
  EXPECT_EQ(coap_verify_proxy_scheme_supported(COAP_URI_SCHEME_COAP_TCP), coap_tcp_is_supported());
  EXPECT_EQ(coap_verify_proxy_scheme_supported(COAP_URI_SCHEME_COAPS), coap_dtls_is_supported());
  EXPECT_EQ(coap_verify_proxy_scheme_supported(COAP_URI_SCHEME_HTTP), 0);
  EXPECT_EQ(coap_verify_proxy_scheme_supported(COAP_URI_SCHEME_HTTPS), 0);
  EXPECT_EQ(coap_verify_proxy_scheme_supported(COAP_URI_SCHEME_LAST), 0);
  EXPECT_EQ(coap_verify_proxy_scheme_supported(static_cast<coap_uri_scheme_t>(-1)), 0);
}

// Random bytes and random mixes of URI characters never make the parser
// step outside its input, and every part it reports lies inside it.
TEST(UriSplit, RandomInputStaysInBounds) {
  std::mt19937 rng(1234);
  const char alphabet[] = "coap+tcpws:/[]%2Ff?#&.0123456789abc";
  for (int round = 0; round < 20000; ++round) {
    size_t n = rng() % 40;
    std::vector<uint8_t> text(n);
    for (auto &c : text) {
      c = (round & 1) ? static_cast<uint8_t>(rng())
                      : static_cast<uint8_t>(alphabet[rng() % (sizeof(alphabet) - 1)]);
    }
    if (round % 3 == 0 && n > 7) std::memcpy(text.data(), "coap://", 7);
    for (UriKind kind : {UriKind::kRequest, UriKind::kProxy}) {
      coap_uri_t uri;
      int r = coap::wire::split_uri(text.data(), n, kind, kAllSchemes, &uri);
      ASSERT_GE(r, -6);
      ASSERT_LE(r, 0);
      if (r != 0) continue;
      for (const coap_str_const_t *part : {&uri.host, &uri.path, &uri.query}) {
        if (!part->s) continue;
        ASSERT_GE(part->s, text.data());
        ASSERT_LE(part->s + part->length, text.data() + n);
      }
    }
  }
}

// ---- scheme ports -----------------------------------------------------

TEST(UriPorts, ImpliedPortPerScheme) {
  EXPECT_EQ(coap::wire::port_implied_by_scheme(COAP_URI_SCHEME_COAP), 5683);
  EXPECT_EQ(coap::wire::port_implied_by_scheme(COAP_URI_SCHEME_COAPS), 5684);
  EXPECT_EQ(coap::wire::port_implied_by_scheme(COAP_URI_SCHEME_COAP_TCP), 5683);
  EXPECT_EQ(coap::wire::port_implied_by_scheme(COAP_URI_SCHEME_COAPS_TCP), 5684);
  EXPECT_EQ(coap::wire::port_implied_by_scheme(COAP_URI_SCHEME_HTTP), 80);
  EXPECT_EQ(coap::wire::port_implied_by_scheme(COAP_URI_SCHEME_HTTPS), 443);
  EXPECT_EQ(coap::wire::port_implied_by_scheme(COAP_URI_SCHEME_COAP_WS), 80);
  EXPECT_EQ(coap::wire::port_implied_by_scheme(COAP_URI_SCHEME_COAPS_WS), 443);
  EXPECT_EQ(coap::wire::port_implied_by_scheme(COAP_URI_SCHEME_LAST), 5683);
  EXPECT_EQ(coap::wire::port_implied_by_scheme(99), 5684);
  EXPECT_EQ(coap::wire::port_implied_by_scheme(-1), 5684);
  EXPECT_EQ(coap::wire::scheme_default_port(COAP_URI_SCHEME_COAPS_WS), 443);
}

// ---- percent decoding -----------------------------------------------------

std::string lenient(std::string s) {
  size_t n = coap::wire::lenient_decode_in_place(reinterpret_cast<uint8_t *>(&s[0]), s.size());
  return s.substr(0, n);
}

TEST(UriPercent, LenientDecoding) {
  EXPECT_EQ(lenient("%41"), "A");
  EXPECT_EQ(lenient("a%41b%2f"), "aAb/");
  EXPECT_EQ(lenient("%4"), "%4");
  EXPECT_EQ(lenient("%"), "%");
  EXPECT_EQ(lenient("100%"), "100%");
  // Non-hex digits still give a byte, the one libcoap computes.
  EXPECT_EQ(lenient("%zz"), "C");
  EXPECT_EQ(lenient("%%41"), "T1");
  EXPECT_EQ(lenient("%4%41"), "E41");
  EXPECT_EQ(lenient("%1g"), " ");
  EXPECT_EQ(lenient("%g1"), std::string(1, '\x01'));
  EXPECT_EQ(lenient("%4/"), "O");
  EXPECT_EQ(lenient(""), "");
}

TEST(UriPercent, StrictDecoding) {
  size_t n = 99;
  EXPECT_TRUE(coap::wire::strict_decoded_length(u8("a%41b"), 5, &n));
  EXPECT_EQ(n, 3u);
  uint8_t out[3];
  coap::wire::strict_decode(u8("a%41b"), 5, out);
  EXPECT_EQ(std::memcmp(out, "aAb", 3), 0);
  EXPECT_TRUE(coap::wire::strict_decoded_length(u8(""), 0, &n));
  EXPECT_EQ(n, 0u);
  for (const char *bad : {"%", "%4", "%zz", "a%", "%4g", "%g4"}) {
    EXPECT_FALSE(coap::wire::strict_decoded_length(u8(bad), std::strlen(bad), &n)) << bad;
  }
  // The escape must lie inside the segment even when the text goes on.
  EXPECT_FALSE(coap::wire::strict_decoded_length(u8("%41"), 2, &n));
}

TEST(UriPercent, EscapingForPathAndQuery) {
  std::string all;
  for (int c = 1; c < 256; ++c) all.push_back(static_cast<char>(c));
  auto escaped = [&](UriPart part) {
    size_t n = coap::wire::escaped_length(u8(all.data()), all.size(), part);
    std::string out(n, '\0');
    EXPECT_EQ(
        coap::wire::escape(u8(all.data()), all.size(), part, reinterpret_cast<uint8_t *>(&out[0])),
        n);
    return out;
  };
  std::string query = escaped(UriPart::kQuery);
  std::string path = escaped(UriPart::kPath);
  EXPECT_EQ(query.size(), 603u);
  EXPECT_EQ(path.size(), 607u);
  EXPECT_NE(query.find("%1F%20!%22%23$%25&'()*+,-./0123456789:;%3C=%3E?@ABC"), std::string::npos);
  EXPECT_NE(path.find("-.%2F0123456789:;%3C=%3E%3F@"), std::string::npos);
  EXPECT_NE(path.find("%5B%5C%5D%5E_%60abc"), std::string::npos);
  EXPECT_NE(path.find("z%7B%7C%7D~%7F%80"), std::string::npos);
  EXPECT_EQ(path.substr(path.size() - 3), "%FF");
}

// ---- coap_split_path / coap_split_query -------------------------------------

struct Buffer {
  int result;
  size_t used;
  std::vector<uint8_t> bytes;  // the whole buffer, 0xee where untouched
};

Buffer split_buffer(const std::string &text, UriPart part, size_t room) {
  Buffer b;
  b.bytes.assign(room + 8, 0xee);
  b.used = room;
  b.result = part == UriPart::kPath
                 ? coap_split_path(u8(text.data()), text.size(), b.bytes.data(), &b.used)
                 : coap_split_query(u8(text.data()), text.size(), b.bytes.data(), &b.used);
  return b;
}

std::vector<uint8_t> bytes(std::initializer_list<int> v) {
  return std::vector<uint8_t>(v.begin(), v.end());
}

std::vector<uint8_t> head(const Buffer &b, size_t n) {
  return std::vector<uint8_t>(b.bytes.begin(), b.bytes.begin() + n);
}

TEST(UriSplitBuffer, PathSegments) {
  Buffer b = split_buffer("a/b", UriPart::kPath, 100);
  EXPECT_EQ(b.result, 2);
  EXPECT_EQ(head(b, b.used), bytes({0x01, 'a', 0x01, 'b'}));
  b = split_buffer("", UriPart::kPath, 100);
  EXPECT_EQ(b.result, 1);
  EXPECT_EQ(head(b, b.used), bytes({0x00}));
  b = split_buffer("/a", UriPart::kPath, 100);
  EXPECT_EQ(b.result, 2);
  EXPECT_EQ(head(b, b.used), bytes({0x00, 0x01, 'a'}));
  b = split_buffer("a%41b/%2F?x/y", UriPart::kPath, 100);
  EXPECT_EQ(b.result, 2);
  EXPECT_EQ(head(b, b.used), bytes({0x03, 'a', 'A', 'b', 0x01, '/'}));
  b = split_buffer("a#b/c", UriPart::kPath, 100);
  EXPECT_EQ(b.result, 1);
}

TEST(UriSplitBuffer, DotSegments) {
  Buffer b = split_buffer("a/b/../c", UriPart::kPath, 100);
  EXPECT_EQ(b.result, 2);
  EXPECT_EQ(head(b, b.used), bytes({0x01, 'a', 0x01, 'c'}));
  b = split_buffer("./a/.", UriPart::kPath, 100);
  EXPECT_EQ(b.result, 1);
  EXPECT_EQ(head(b, b.used), bytes({0x01, 'a'}));
  b = split_buffer("a/%2e%2E", UriPart::kPath, 100);  // decoded ".." counts
  EXPECT_EQ(b.result, 0);
  EXPECT_EQ(b.used, 0u);
  EXPECT_EQ(head(b, 2), bytes({0x01, 'a'}));  // written, then taken back
  b = split_buffer("../../a", UriPart::kPath, 100);
  EXPECT_EQ(b.result, 1);
  b = split_buffer("a/./..", UriPart::kQuery, 100);  // queries keep dots
  EXPECT_EQ(b.result, 1);
  EXPECT_EQ(b.used, 7u);
}

TEST(UriSplitBuffer, QuerySegments) {
  Buffer b = split_buffer("a&&b?c/d#e&f", UriPart::kQuery, 100);
  EXPECT_EQ(b.result, 3);
  EXPECT_EQ(head(b, b.used), bytes({0x01, 'a', 0x00, 0x05, 'b', '?', 'c', '/', 'd'}));
}

TEST(UriSplitBuffer, MalformedSegmentsAreSkipped) {
  Buffer b = split_buffer("a%4/b", UriPart::kPath, 100);
  EXPECT_EQ(b.result, 1);
  EXPECT_EQ(head(b, b.used), bytes({0x01, 'b'}));
  b = split_buffer("a%4/b", UriPart::kQuery, 100);
  EXPECT_EQ(b.result, 0);
  EXPECT_EQ(b.bytes[0], 0xee);
}

TEST(UriSplitBuffer, TightBuffers) {
  Buffer b = split_buffer("abc/def", UriPart::kPath, 0);
  EXPECT_EQ(b.result, 0);
  EXPECT_EQ(b.bytes[0], 0xee);
  b = split_buffer("abc/def", UriPart::kPath, 5);
  EXPECT_EQ(b.result, 1);
  EXPECT_EQ(b.used, 4u);
  EXPECT_EQ(b.bytes[4], 0x03);  // header of "def" left behind
  EXPECT_EQ(b.bytes[5], 0xee);
  // A two-byte header that does not fit leaves a zero first byte.
  b = split_buffer(std::string(13, 'a'), UriPart::kPath, 1);
  EXPECT_EQ(b.result, 0);
  EXPECT_EQ(b.bytes[0], 0x00);
  EXPECT_EQ(b.bytes[1], 0xee);
  b = split_buffer(std::string(300, 'a'), UriPart::kPath, 3);
  EXPECT_EQ(head(b, 4), bytes({0x0e, 0x00, 0x1f, 0xee}));
  // ".." gives the room back.
  b = split_buffer("a/../b", UriPart::kPath, 2);
  EXPECT_EQ(b.result, 1);
  EXPECT_EQ(head(b, 2), bytes({0x01, 'b'}));
  b = split_buffer("%41/b", UriPart::kPath, 2);  // decoded length counts
  EXPECT_EQ(b.result, 1);
}

TEST(UriSplitBuffer, LongValuesWrapLikeLibcoap) {
  Buffer b = split_buffer(std::string(65805, 'v'), UriPart::kQuery, 65808);
  EXPECT_EQ(b.result, 1);
  EXPECT_EQ(b.used, 65808u);
  EXPECT_EQ(head(b, 3), bytes({0x0e, 0x00, 0x00}));
  // Backing up reads the wrapped header, so the next option lands early.
  b = split_buffer(std::string(65805, 'v') + "/b/../c", UriPart::kPath, 65900);
  EXPECT_EQ(b.result, 2);
  EXPECT_EQ(b.used, 274u);
}

TEST(UriSplitBuffer, BadArguments) {
  uint8_t buf[8];
  size_t len = sizeof(buf);
  EXPECT_EQ(coap_split_path(u8("a"), 1, buf, nullptr), -1);
  EXPECT_EQ(coap_split_path(u8("a"), 1, nullptr, &len), -1);
  EXPECT_EQ(coap_split_query(nullptr, 3, buf, &len), -1);
  len = 0;
  EXPECT_EQ(coap_split_query(u8("a"), 1, nullptr, &len), 0);
  len = sizeof(buf);
  EXPECT_EQ(coap_split_path(nullptr, 0, buf, &len), 1);  // one empty segment
  EXPECT_EQ(len, 1u);
}

TEST(UriSplitBuffer, RandomInputStaysInBounds) {
  std::mt19937 rng(99);
  const char alphabet[] = "ab/&?#%.2eEf4";
  for (int round = 0; round < 20000; ++round) {
    size_t n = rng() % 30;
    std::string text(n, ' ');
    for (auto &c : text) c = alphabet[rng() % (sizeof(alphabet) - 1)];
    size_t room = rng() % 40;
    for (UriPart part : {UriPart::kPath, UriPart::kQuery}) {
      std::vector<uint8_t> buf(room + 16, 0xee);
      size_t used = room;
      int count = coap::wire::split_to_options(u8(text.data()), n, part, buf.data(), &used);
      ASSERT_GE(count, 0);
      ASSERT_LE(used, room);
      for (size_t i = room; i < buf.size(); ++i) ASSERT_EQ(buf[i], 0xee) << text;
    }
  }
}

// ---- option lists -----------------------------------------------------------

std::vector<std::string> entries(const coap_optlist_t *o) {
  std::vector<std::string> out;
  for (; o; o = o->next) {
    out.push_back(std::to_string(o->number) + ":" +
                  std::string(reinterpret_cast<const char *>(o->data), o->length));
  }
  return out;
}

coap_optlist_t *prefilled(int n) {
  coap_optlist_t *chain = nullptr;
  for (int i = 0; i < n; ++i) {
    std::string v = "P" + std::to_string(i);
    coap_insert_optlist(&chain, coap_new_optlist(99, v.size(), u8(v.data())));
  }
  return chain;
}

std::vector<std::string> path_list(const std::string &path, int pre = 0) {
  coap_optlist_t *chain = prefilled(pre);
  EXPECT_EQ(coap_path_into_optlist(u8(path.data()), path.size(), COAP_OPTION_URI_PATH, &chain), 1);
  std::vector<std::string> out = entries(chain);
  coap_delete_optlist(chain);
  return out;
}

std::vector<std::string> query_list(const std::string &query) {
  coap_optlist_t *chain = nullptr;
  EXPECT_EQ(coap_query_into_optlist(u8(query.data()), query.size(), COAP_OPTION_URI_QUERY, &chain),
            1);
  std::vector<std::string> out = entries(chain);
  coap_delete_optlist(chain);
  return out;
}

using Strings = std::vector<std::string>;

TEST(UriOptlist, PathSegments) {
  EXPECT_EQ(path_list("a/b"), (Strings{"11:a", "11:b"}));
  EXPECT_EQ(path_list(""), (Strings{"11:"}));
  EXPECT_EQ(path_list("//"), (Strings{"11:", "11:", "11:"}));
  EXPECT_EQ(path_list("a%41b/%2F?x"), (Strings{"11:aAb", "11:/"}));
  EXPECT_EQ(path_list("a%4/b"), (Strings{"11:a%4", "11:b"}));  // lenient
  EXPECT_EQ(path_list("a/b/../c"), (Strings{"11:a", "11:c"}));
  EXPECT_EQ(path_list("./a/%2e/.%2e/b"), (Strings{"11:b"}));
  EXPECT_EQ(path_list("a/b/../../.."), Strings{});
}

TEST(UriOptlist, DotDotNeverRemovesTheFirstEarlierEntry) {
  EXPECT_EQ(path_list("..", 1), (Strings{"99:P0"}));
  EXPECT_EQ(path_list("..", 3), (Strings{"99:P0", "99:P1"}));
  EXPECT_EQ(path_list("../../..", 3), (Strings{"99:P0"}));
  EXPECT_EQ(path_list("a/../../..", 4), (Strings{"99:P0", "99:P1"}));
  coap_optlist_t *chain = nullptr;
  ASSERT_EQ(coap_path_into_optlist(u8("a/b"), 3, COAP_OPTION_URI_PATH, &chain), 1);
  ASSERT_EQ(coap_path_into_optlist(u8("../c"), 4, COAP_OPTION_URI_PATH, &chain), 1);
  EXPECT_EQ(entries(chain), (Strings{"11:a", "11:c"}));
  coap_delete_optlist(chain);
}

TEST(UriOptlist, QueryItems) {
  EXPECT_EQ(query_list("a&&b"), (Strings{"15:a", "15:", "15:b"}));
  EXPECT_EQ(query_list("a/./..?x=%41&y#z&w"), (Strings{"15:a/./..?x=A", "15:y"}));
  EXPECT_EQ(query_list("&"), (Strings{"15:", "15:"}));
}

TEST(UriOptlist, BadArguments) {
  coap_optlist_t *chain = nullptr;
  EXPECT_EQ(coap_path_into_optlist(u8("a"), 1, COAP_OPTION_URI_PATH, nullptr), 0);
  EXPECT_EQ(coap_query_into_optlist(u8("a"), 1, COAP_OPTION_URI_QUERY, nullptr), 0);
  EXPECT_EQ(coap_path_into_optlist(nullptr, 2, COAP_OPTION_URI_PATH, &chain), 0);
  EXPECT_EQ(chain, nullptr);
  EXPECT_EQ(coap_path_into_optlist(nullptr, 0, COAP_OPTION_URI_PATH, &chain), 1);
  EXPECT_EQ(entries(chain), (Strings{"11:"}));
  coap_delete_optlist(chain);
}

// ---- coap_uri_into_optlist ---------------------------------------------------

coap_address_t ipv4(const char *text) {
  coap_address_t a;
  coap_address_init(&a);
  a.addr.sin.sin_family = AF_INET;
  inet_pton(AF_INET, text, &a.addr.sin.sin_addr);
  a.size = sizeof(struct sockaddr_in);
  return a;
}

coap_address_t ipv6(const char *text) {
  coap_address_t a;
  coap_address_init(&a);
  a.addr.sin6.sin6_family = AF_INET6;
  inet_pton(AF_INET6, text, &a.addr.sin6.sin6_addr);
  a.size = sizeof(struct sockaddr_in6);
  return a;
}

Strings into(const char *host, uint16_t port, int scheme, const coap_address_t *dst, int create = 1,
             const char *path = nullptr, const char *query = nullptr) {
  coap_uri_t uri;
  std::memset(&uri, 0, sizeof(uri));
  if (host) uri.host = {std::strlen(host), u8(host)};
  if (path) uri.path = {std::strlen(path), u8(path)};
  if (query) uri.query = {std::strlen(query), u8(query)};
  uri.port = port;
  uri.scheme = static_cast<coap_uri_scheme_t>(scheme);
  coap_optlist_t *chain = nullptr;
  EXPECT_EQ(coap_uri_into_optlist(&uri, dst, &chain, create), 1);
  Strings out = entries(chain);
  coap_delete_optlist(chain);
  chain = nullptr;
  EXPECT_EQ(coap_uri_into_options(&uri, dst, &chain, create, nullptr, 0), 0);
  EXPECT_EQ(entries(chain), out);
  coap_delete_optlist(chain);
  return out;
}

TEST(UriInto, UriHostOnlyWhenItDiffersFromTheDestination) {
  coap_address_t v4 = ipv4("192.0.2.1");
  coap_address_t v6 = ipv6("fe80::1");
  EXPECT_EQ(into("192.0.2.1", 5683, 0, &v4), Strings{});
  EXPECT_EQ(into("192.0.2.1%x", 5683, 0, &v4), Strings{});
  EXPECT_EQ(into("192.0.2.2", 5683, 0, &v4), (Strings{"3:192.0.2.2"}));
  EXPECT_EQ(into("fe80::1", 5683, 0, &v6), Strings{});
  EXPECT_EQ(into("fe80::1%25eth0", 5683, 0, &v6), Strings{});
  EXPECT_EQ(into("fe80::1%25eth0", 5683, 0, &v4), (Strings{"3:fe80::1%eth0"}));
  // The comparison is exact; the option is decoded and lower-cased.
  EXPECT_EQ(into("FE80::1", 5683, 0, &v6), (Strings{"3:fe80::1"}));
  EXPECT_EQ(into("Ex%41mple", 5683, 0, &v4), (Strings{"3:example"}));
  EXPECT_EQ(into("example.com", 5683, 0, nullptr), Strings{});
  EXPECT_EQ(into("example.com", 5683, 0, &v4, 0), Strings{});
  EXPECT_EQ(into("", 5683, 0, &v4), Strings{});
}

TEST(UriInto, UriPortWhenNotTheSchemeDefault) {
  EXPECT_EQ(into("h", 5683, COAP_URI_SCHEME_COAP, nullptr), Strings{});
  EXPECT_EQ(into("h", 5684, COAP_URI_SCHEME_COAPS_TCP, nullptr), Strings{});
  EXPECT_EQ(into("h", 80, COAP_URI_SCHEME_COAP_WS, nullptr), Strings{});
  EXPECT_EQ(into("h", 443, COAP_URI_SCHEME_COAPS_WS, nullptr), Strings{});
  EXPECT_EQ(into("h", 5683, COAP_URI_SCHEME_COAPS, nullptr), (Strings{"7:\x16\x33"}));
  EXPECT_EQ(into("h", 0, COAP_URI_SCHEME_COAP, nullptr), (Strings{"7:"}));
  EXPECT_EQ(into("h", 1, COAP_URI_SCHEME_COAP, nullptr, 0), Strings{});
  // Out-of-range schemes fall back on the secure bit.
  EXPECT_EQ(into("h", 5684, 99, nullptr), Strings{});
  EXPECT_EQ(into("h", 5684, -1, nullptr), Strings{});
  EXPECT_EQ(into("h", 5683, COAP_URI_SCHEME_LAST, nullptr), Strings{});
}

TEST(UriInto, UnixDomainHostsGetNoHostOrPort) {
  coap_address_t v4 = ipv4("192.0.2.1");
  EXPECT_EQ(into("%2Ftmp%2Fs", 1234, 0, &v4, 1, "p"), (Strings{"11:p"}));
  EXPECT_EQ(into("/tmp/s", 1234, 0, &v4, 1, nullptr, "q"), (Strings{"15:q"}));
}

TEST(UriInto, OrderHostPortPathQuery) {
  coap_address_t v4 = ipv4("192.0.2.1");
  EXPECT_EQ(into("Example.COM", 61616, 1, &v4, 1, "s/./t/../u", "a=1&b"),
            (Strings{"3:example.com", "7:\xf0\xb0", "11:s", "11:u", "15:a=1", "15:b"}));
}

TEST(UriInto, BadArguments) {
  coap_optlist_t *chain = nullptr;
  coap_uri_t uri;
  std::memset(&uri, 0, sizeof(uri));
  EXPECT_EQ(coap_uri_into_optlist(nullptr, nullptr, &chain, 1), 0);
  EXPECT_EQ(coap_uri_into_optlist(&uri, nullptr, nullptr, 1), 0);
  EXPECT_EQ(coap_uri_into_options(nullptr, nullptr, &chain, 1, nullptr, 0), -1);
  uri.path.length = 3;  // no bytes behind it
  EXPECT_EQ(coap_uri_into_optlist(&uri, nullptr, &chain, 1), 0);
  EXPECT_EQ(chain, nullptr);
}

TEST(UriInto, FromSplitText) {
  coap_uri_t uri;
  ASSERT_EQ(coap_split_uri(u8("coap://[::1]:1234/a/%2e%2e/b?x&y=%20"), 36, &uri), 0);
  coap_address_t v6 = ipv6("::1");
  coap_optlist_t *chain = nullptr;
  ASSERT_EQ(coap_uri_into_optlist(&uri, &v6, &chain, 1), 1);
  EXPECT_EQ(entries(chain), (Strings{"7:\x04\xd2", "11:b", "15:x", "15:y= "}));
  coap_delete_optlist(chain);
}

// ---- coap_get_query / coap_get_uri_path ---------------------------------------

std::string take(coap_string_t *s) {
  if (!s) return "<null>";
  EXPECT_EQ(s->s[s->length], 0);
  std::string out(reinterpret_cast<const char *>(s->s), s->length);
  coap_delete_string(s);
  return out;
}

struct Request {
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 4096);
  ~Request() { coap_delete_pdu(pdu); }
  Request &add(uint16_t number, const std::string &value) {
    EXPECT_NE(coap_add_option(pdu, number, value.size(), u8(value.data())), 0u);
    return *this;
  }
};

TEST(UriFromPdu, QueryJoinedAndEscaped) {
  Request r;
  r.add(COAP_OPTION_URI_QUERY, "a b")
      .add(COAP_OPTION_URI_QUERY, "c=d&e/f?")
      .add(COAP_OPTION_URI_QUERY, "%");
  EXPECT_EQ(take(coap_get_query(r.pdu)), "a%20b&c=d&e/f?&%25");
  Request none;
  EXPECT_EQ(take(coap_get_query(none.pdu)), "<null>");
  Request empty;
  empty.add(COAP_OPTION_URI_QUERY, "");
  EXPECT_EQ(take(coap_get_query(empty.pdu)), "<null>");
  // Leading empty items lose their '&'; the rest of the string is zero.
  Request leading;
  leading.add(COAP_OPTION_URI_QUERY, "").add(COAP_OPTION_URI_QUERY, "a");
  EXPECT_EQ(take(coap_get_query(leading.pdu)), std::string("a\0", 2));
}

TEST(UriFromPdu, PathJoinedAndEscaped) {
  Request r;
  r.add(COAP_OPTION_URI_PATH, "a/b")
      .add(COAP_OPTION_URI_PATH, "")
      .add(COAP_OPTION_URI_PATH, "c?d&e");
  EXPECT_EQ(take(coap_get_uri_path(r.pdu)), "a%2Fb//c%3Fd&e");
  Request none;
  EXPECT_EQ(take(coap_get_uri_path(none.pdu)), "");
}

TEST(UriFromPdu, ProxyUriWins) {
  Request r;
  r.add(COAP_OPTION_URI_PATH, "zz").add(COAP_OPTION_PROXY_URI, "coap://h/a%20b/./c?x");
  EXPECT_EQ(take(coap_get_uri_path(r.pdu)), "a%20b/./c");
  EXPECT_EQ(take(coap_get_query(r.pdu)), "<null>");
  Request bare;
  bare.add(COAP_OPTION_PROXY_URI, "http://h");
  EXPECT_EQ(take(coap_get_uri_path(bare.pdu)), "");
  Request bad;
  bad.add(COAP_OPTION_URI_PATH, "a").add(COAP_OPTION_PROXY_URI, "/relative");
  EXPECT_EQ(take(coap_get_uri_path(bad.pdu)), "<null>");
}

TEST(UriFromPdu, NullPdu) {
  EXPECT_EQ(coap_get_query(nullptr), nullptr);
  EXPECT_EQ(coap_get_uri_path(nullptr), nullptr);
}

// ---- URI objects -------------------------------------------------------------

TEST(UriObject, NewOwnsItsText) {
  std::string text = "coap://h:1/p?q";
  coap_uri_t *uri = coap_new_uri(u8(text.data()), static_cast<unsigned>(text.size()));
  ASSERT_NE(uri, nullptr);
  text.assign(text.size(), 'x');  // the object must not depend on it
  EXPECT_EQ(str(uri->host), "h");
  EXPECT_EQ(uri->port, 1);
  EXPECT_EQ(str(uri->path), "p");
  EXPECT_EQ(str(uri->query), "q");
  EXPECT_EQ(uri->query.s[1], '\0');
  coap_delete_uri(uri);
  EXPECT_EQ(coap_new_uri(u8("bad"), 3), nullptr);
  EXPECT_EQ(coap_new_uri(u8("coap://h"), 0), nullptr);
  EXPECT_EQ(coap_new_uri(nullptr, 5), nullptr);
  EXPECT_EQ(coap_new_uri(u8("http://h"), 8), nullptr);
}

TEST(UriObject, CloneCopiesStringsButNotTheScheme) {
  coap_uri_t uri;
  std::memset(&uri, 0, sizeof(uri));
  uri.host = {8, u8("hostname")};
  uri.path = {3, u8("x/y")};
  uri.query = {0, u8("")};  // empty parts come back as {0, NULL}
  uri.port = 7;
  uri.scheme = COAP_URI_SCHEME_HTTPS;
  coap_uri_t *copy = coap_clone_uri(&uri);
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(str(copy->host), "hostname");
  EXPECT_EQ(str(copy->path), "x/y");
  EXPECT_EQ(copy->query.s, nullptr);
  EXPECT_EQ(copy->port, 7);
  EXPECT_EQ(copy->scheme, COAP_URI_SCHEME_COAP);  // as libcoap 4.3.5
  EXPECT_NE(copy->host.s, uri.host.s);
  coap_delete_uri(copy);
  EXPECT_EQ(coap_clone_uri(nullptr), nullptr);
  uri.host.s = nullptr;
  EXPECT_EQ(coap_clone_uri(&uri), nullptr);
  coap_delete_uri(nullptr);
}

TEST(UriObject, UnixDomainHostTest) {
  auto is_unix = [](const char *h) {
    coap_str_const_t s = {std::strlen(h), u8(h)};
    return coap_host_is_unix_domain(&s);
  };
  EXPECT_EQ(is_unix("%2Ftmp"), 1);
  EXPECT_EQ(is_unix("%2f"), 1);
  EXPECT_EQ(is_unix("/x"), 1);
  EXPECT_EQ(is_unix("%2"), 0);
  EXPECT_EQ(is_unix("%2G"), 0);
  EXPECT_EQ(is_unix(""), 0);
  EXPECT_EQ(is_unix("a/"), 0);
  EXPECT_EQ(coap_host_is_unix_domain(nullptr), 0);
  coap_str_const_t broken = {3, nullptr};
  EXPECT_EQ(coap_host_is_unix_domain(&broken), 0);
}

}  // namespace
