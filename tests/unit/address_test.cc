// coap_address.h, the address printers of coap_debug.h and the build facts
// of coap_supported.h. Byte layouts and texts match libcoap 4.3.5 (see
// tests/diff/diff_address.c); the NULL / zero-size cases here are where
// libcoap assert()s and we return the failure value instead.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netdb.h>

#include <cstring>
#include <string>
#include <vector>

#include "coap3/coap.h"
#include "coap3/coap_defines.h"
#include "wire/address.h"

namespace {

coap_address_t ip(const char *text, uint16_t port) {
  coap_address_t a;
  coap_address_init(&a);
  if (std::strchr(text, ':')) {
    a.addr.sin6.sin6_family = AF_INET6;
    EXPECT_EQ(inet_pton(AF_INET6, text, &a.addr.sin6.sin6_addr), 1);
  } else {
    a.addr.sin.sin_family = AF_INET;
    EXPECT_EQ(inet_pton(AF_INET, text, &a.addr.sin.sin_addr), 1);
  }
  coap_address_set_port(&a, port);
  return a;
}

std::string print(const coap_address_t &a, size_t size = 64) {
  std::vector<unsigned char> buf(size, 0xee);
  size_t n = coap_print_addr(&a, buf.data(), size);
  std::string s(reinterpret_cast<const char *>(buf.data()));
  EXPECT_EQ(n, s.size());
  return s;
}

std::string print_ip(const coap_address_t &a, size_t size = 64) {
  std::vector<char> buf(size, '\xee');
  const char *r = coap_print_ip_addr(&a, buf.data(), size);
  EXPECT_EQ(r, buf.data());
  return std::string(buf.data());
}

coap_address_t unix_addr(const char *host) {
  coap_address_t a;
  EXPECT_EQ(
      coap_address_set_unix_domain(&a, reinterpret_cast<const uint8_t *>(host), std::strlen(host)),
      1);
  return a;
}

struct Entry {
  int scheme;
  int proto;
  std::string text;
};

std::vector<Entry> resolve(const char *host, uint16_t port, uint16_t secure, uint16_t ws,
                           uint16_t wss, int flags, int bits, coap_resolve_type_t type,
                           bool *null_result = nullptr) {
  coap_str_const_t str{host ? std::strlen(host) : 0, reinterpret_cast<const uint8_t *>(host)};
  coap_addr_info_t *list =
      coap_resolve_address_info(host ? &str : nullptr, port, secure, ws, wss, flags, bits, type);
  if (null_result) *null_result = list == nullptr;
  std::vector<Entry> out;
  for (coap_addr_info_t *i = list; i; i = i->next) {
    out.push_back({i->scheme, i->proto, print(i->addr)});
  }
  coap_free_address_info(list);
  return out;
}

TEST(Address, InitClearsAndSetsSize) {
  coap_address_t a;
  std::memset(&a, 0xaa, sizeof(a));
  coap_address_init(&a);
  EXPECT_EQ(a.size, sizeof(a.addr));
  EXPECT_EQ(a.size, 28u);
  for (size_t i = 0; i < sizeof(a.addr); ++i) {
    EXPECT_EQ(reinterpret_cast<const uint8_t *>(&a.addr)[i], 0) << i;
  }
}

TEST(Address, PortsAreHostOrderAndStoredInNetworkOrder) {
  coap_address_t a = ip("1.2.3.4", 0x1234);
  EXPECT_EQ(coap_address_get_port(&a), 0x1234);
  EXPECT_EQ(a.addr.sin.sin_port, htons(0x1234));
  coap_address_t b = ip("::2", 0xfedc);
  EXPECT_EQ(coap_address_get_port(&b), 0xfedc);
  EXPECT_EQ(b.addr.sin6.sin6_port, htons(0xfedc));

  coap_address_t u = unix_addr("/tmp/s");
  coap_address_set_port(&u, 77);
  EXPECT_EQ(coap_address_get_port(&u), 0);
  EXPECT_STREQ(u.addr.cun.sun_path, "/tmp/s");  // untouched
}

TEST(Address, EqualsComparesFamilySizeAddressAndPort) {
  coap_address_t a = ip("127.0.0.1", 5683);
  coap_address_t b = a;
  b.addr.sin.sin_zero[2] = 1;
  EXPECT_EQ(coap_address_equals(&a, &b), 1);
  b = ip("127.0.0.1", 5684);
  EXPECT_EQ(coap_address_equals(&a, &b), 0);
  b = a;
  b.size = sizeof(sockaddr_in);
  EXPECT_EQ(coap_address_equals(&a, &b), 0);
  b = ip("::ffff:127.0.0.1", 5683);
  EXPECT_EQ(coap_address_equals(&a, &b), 0);

  coap_address_t c = ip("fe80::1", 1);
  coap_address_t d = c;
  d.addr.sin6.sin6_scope_id = 4;
  d.addr.sin6.sin6_flowinfo = 5;
  EXPECT_EQ(coap_address_equals(&c, &d), 1);
}

TEST(Address, EqualsNeverMatchesUnixOrUnknownFamilies) {
  // libcoap 4.3.5 compares only IP families.
  coap_address_t u = unix_addr("/tmp/s");
  EXPECT_EQ(coap_address_equals(&u, &u), 0);
  coap_address_t z;
  coap_address_init(&z);
  EXPECT_EQ(coap_address_equals(&z, &z), 0);
}

TEST(Address, CopyKeepsOnlyMeaningfulBytes) {
  coap_address_t src = ip("2001:db8::42", 2000);
  src.addr.sin6.sin6_flowinfo = 0x12345678;
  src.addr.sin6.sin6_scope_id = 9;
  coap_address_t dst;
  std::memset(&dst, 0x55, sizeof(dst));
  coap_address_copy(&dst, &src);
  EXPECT_EQ(dst.size, src.size);
  EXPECT_EQ(dst.addr.sin6.sin6_flowinfo, 0u);  // dropped, as in libcoap
  EXPECT_EQ(dst.addr.sin6.sin6_scope_id, 9u);
  EXPECT_EQ(coap_address_equals(&dst, &src), 1);

  coap_address_t v4 = ip("10.0.0.1", 1);
  std::memset(v4.addr.sin.sin_zero, 0x11, sizeof(v4.addr.sin.sin_zero));
  coap_address_copy(&dst, &v4);
  EXPECT_EQ(std::memcmp(&dst.addr.sin, &v4.addr.sin, sizeof(sockaddr_in)), 0);
  const uint8_t *tail = reinterpret_cast<const uint8_t *>(&dst.addr) + sizeof(sockaddr_in);
  for (size_t i = sizeof(sockaddr_in); i < sizeof(dst.addr); ++i, ++tail) EXPECT_EQ(*tail, 0);
}

TEST(Address, CopyOfUnknownFamilyUsesSizeAndIsBounded) {
  coap_address_t src;
  coap_address_init(&src);
  src.addr.sa.sa_family = AF_PACKET;
  src.addr.sa.sa_data[3] = 9;
  src.size = 4;
  coap_address_t dst;
  std::memset(&dst, 0x55, sizeof(dst));
  coap_address_copy(&dst, &src);
  EXPECT_EQ(dst.size, 4u);
  EXPECT_EQ(dst.addr.sa.sa_family, AF_PACKET);
  EXPECT_EQ(dst.addr.sa.sa_data[3], 0);  // beyond size: cleared

  src.size = 1000;  // nonsense size: never read past the union
  coap_address_copy(&dst, &src);
  EXPECT_EQ(dst.addr.sa.sa_data[3], 9);
}

TEST(Address, CopyOntoItself) {
  coap_address_t a = ip("10.0.0.1", 5683);
  coap_address_copy(&a, &a);
  EXPECT_EQ(print(a), "10.0.0.1:5683");
}

TEST(Address, Classification) {
  coap_address_t a = ip("0.0.0.0", 0);
  EXPECT_EQ(coap_address_isany(&a), 1);
  a = ip("::", 0);
  EXPECT_EQ(coap_address_isany(&a), 1);
  a = ip("::ffff:0.0.0.0", 0);
  EXPECT_EQ(coap_address_isany(&a), 0);

  const char *mcast[] = {"224.0.1.187",        "239.255.255.255", "ff02::fd",
                         "::ffff:224.0.1.187", "255.255.255.255", "::ffff:255.255.255.255"};
  for (const char *m : mcast) {
    a = ip(m, 1);
    EXPECT_EQ(coap_is_mcast(&a), 1) << m;
  }
  const char *not_mcast[] = {"240.0.0.1", "127.0.0.1", "fe80::1", "::ffff:240.0.0.1", "::1"};
  for (const char *m : not_mcast) {
    a = ip(m, 1);
    EXPECT_EQ(coap_is_mcast(&a), 0) << m;
  }
  a = ip("255.255.255.255", 1);
  EXPECT_EQ(coap_is_bcast(&a), 1);
  a = ip("::ffff:255.255.255.255", 1);
  EXPECT_EQ(coap_is_bcast(&a), 1);
  a = ip("224.0.1.187", 1);
  EXPECT_EQ(coap_is_bcast(&a), 0);
  EXPECT_EQ(coap_is_af_unix(&a), 0);
  coap_address_t u = unix_addr("/x");
  EXPECT_EQ(coap_is_af_unix(&u), 1);
  EXPECT_EQ(coap_is_mcast(&u), 0);
  EXPECT_EQ(coap_is_bcast(&u), 0);
}

TEST(Address, NullArgumentsAreRefused) {
  // libcoap assert()s on these.
  coap_address_init(nullptr);
  coap_address_set_port(nullptr, 1);
  EXPECT_EQ(coap_address_get_port(nullptr), 0);
  coap_address_t a = ip("1.2.3.4", 5);
  EXPECT_EQ(coap_address_equals(&a, nullptr), 0);
  EXPECT_EQ(coap_address_equals(nullptr, &a), 0);
  coap_address_copy(nullptr, &a);
  coap_address_copy(&a, nullptr);
  EXPECT_EQ(print(a), "1.2.3.4:5");
  EXPECT_EQ(_coap_address_isany_impl(nullptr), 0);
  EXPECT_EQ(coap_is_mcast(nullptr), 0);
  EXPECT_EQ(coap_is_bcast(nullptr), 0);
  EXPECT_EQ(coap_is_af_unix(nullptr), 0);
  EXPECT_EQ(coap_address_set_unix_domain(nullptr, reinterpret_cast<const uint8_t *>("/x"), 2), 0);
  EXPECT_EQ(coap_address_set_unix_domain(&a, nullptr, 2), 0);
}

TEST(UnixDomain, DecodesEncodedSlashes) {
  coap_address_t a;
  std::memset(&a, 0xaa, sizeof(a));
  const char host[] = "%2Ftmp%2fsock";
  ASSERT_EQ(
      coap_address_set_unix_domain(&a, reinterpret_cast<const uint8_t *>(host), sizeof(host) - 1),
      1);
  EXPECT_EQ(a.size, 28u);
  EXPECT_EQ(a.addr.cun.sun_family, AF_UNIX);
  EXPECT_STREQ(a.addr.cun.sun_path, "/tmp/sock");
  for (size_t i = std::strlen("/tmp/sock"); i < COAP_UNIX_PATH_MAX; ++i) {
    EXPECT_EQ(a.addr.cun.sun_path[i], 0);
  }
  EXPECT_STREQ(unix_addr("%2F%2").addr.cun.sun_path, "/%2");
  EXPECT_STREQ(unix_addr("a%2Gb%2").addr.cun.sun_path, "a%2Gb%2");
  EXPECT_STREQ(unix_addr("").addr.cun.sun_path, "");
}

TEST(UnixDomain, TruncatesToTwentyFiveCharacters) {
  EXPECT_STREQ(unix_addr("0123456789012345678901234567890").addr.cun.sun_path,
               "0123456789012345678901234");
  EXPECT_STREQ(unix_addr("012345678901234567890123%2F").addr.cun.sun_path,
               "012345678901234567890123/");
  EXPECT_STREQ(unix_addr("0123456789012345678901234%2F").addr.cun.sun_path,
               "0123456789012345678901234");
  EXPECT_STREQ(unix_addr("01234567890123456789012%2Fab").addr.cun.sun_path,
               "01234567890123456789012/a");
}

TEST(UnixDomain, HostDetection) {
  auto is_unix = [](const char *h) {
    return coap::wire::host_is_unix_domain(reinterpret_cast<const uint8_t *>(h), std::strlen(h));
  };
  EXPECT_TRUE(is_unix("/"));
  EXPECT_TRUE(is_unix("%2F"));
  EXPECT_TRUE(is_unix("%2ftmp"));
  EXPECT_FALSE(is_unix("%2"));
  EXPECT_FALSE(is_unix("%"));
  EXPECT_FALSE(is_unix(""));
  EXPECT_FALSE(is_unix("tmp%2F"));
  EXPECT_FALSE(is_unix("%3F"));
}

TEST(Print, Formats) {
  EXPECT_EQ(print(ip("127.0.0.1", 5683)), "127.0.0.1:5683");
  EXPECT_EQ(print(ip("::1", 5683)), "[::1]:5683");
  EXPECT_EQ(print(ip("::ffff:10.0.0.1", 1)), "[::ffff:10.0.0.1]:1");
  coap_address_t scoped = ip("fe80::1", 0);
  scoped.addr.sin6.sin6_scope_id = 2;  // not shown
  EXPECT_EQ(print(scoped), "[fe80::1]:0");
  EXPECT_EQ(print(unix_addr("%2Ftmp%2Fsock")), "/tmp/sock");
  coap_address_t unknown;
  coap_address_init(&unknown);
  EXPECT_EQ(print(unknown), "(unknown address type)");

  EXPECT_EQ(print_ip(ip("127.0.0.1", 5683)), "127.0.0.1");
  EXPECT_EQ(print_ip(ip("::1", 5683)), "::1");
  EXPECT_EQ(print_ip(unix_addr("/a")), "/a");
  EXPECT_EQ(print_ip(unknown), "(unknown address type)");
}

TEST(Print, SmallBuffersTruncate) {
  coap_address_t v4 = ip("192.168.100.200", 65535);
  EXPECT_EQ(print(v4, 1), "");
  EXPECT_EQ(print(v4, 5), "192.");
  EXPECT_EQ(print(v4, 21), "192.168.100.200:6553");
  coap_address_t v6 = ip("::1", 5683);
  EXPECT_EQ(print(v6, 4), "[::");
  EXPECT_EQ(print(unix_addr("/tmp/abc"), 4), "/tm");

  // The IP-only printer writes nothing unless the longest address fits.
  EXPECT_EQ(print_ip(v4, INET_ADDRSTRLEN - 1), "");
  EXPECT_EQ(print_ip(v4, INET_ADDRSTRLEN), "192.168.100.200");
  EXPECT_EQ(print_ip(v6, INET6_ADDRSTRLEN - 1), "");
  EXPECT_EQ(print_ip(v6, INET6_ADDRSTRLEN), "::1");
}

TEST(Print, UnknownFamilyLeavesLibcoapsByteLayout) {
  // The placeholder with its NUL, then a NUL in the buffer's last byte.
  coap_address_t unknown;
  coap_address_init(&unknown);
  unsigned char buf[31];
  std::memset(buf, 0xee, sizeof(buf));
  EXPECT_EQ(coap_print_addr(&unknown, buf, 30), 22u);
  EXPECT_EQ(buf[22], 0);
  EXPECT_EQ(buf[23], 0xee);
  EXPECT_EQ(buf[29], 0);
  EXPECT_EQ(buf[30], 0xee);
  EXPECT_EQ(print(unknown, 10), "(unknown ");
}

TEST(Print, FullUnixPathWithoutNulIsBounded) {
  coap_address_t a;
  coap_address_init(&a);
  a.addr.cun.sun_family = AF_UNIX;
  std::memset(a.addr.cun.sun_path, 'x', COAP_UNIX_PATH_MAX);  // no NUL at all
  EXPECT_EQ(print(a), std::string(COAP_UNIX_PATH_MAX, 'x'));
  EXPECT_EQ(print_ip(a), std::string(COAP_UNIX_PATH_MAX, 'x'));
}

TEST(Print, BadArguments) {
  // libcoap assert()s on these.
  unsigned char buf[8] = {0xee};
  coap_address_t a = ip("1.2.3.4", 1);
  EXPECT_EQ(coap_print_addr(&a, buf, 0), 0u);
  EXPECT_EQ(buf[0], 0xee);
  EXPECT_EQ(coap_print_addr(&a, nullptr, 8), 0u);
  EXPECT_EQ(coap_print_addr(nullptr, buf, 8), 0u);
  EXPECT_EQ(buf[0], 0);
  char text[8] = {'z'};
  EXPECT_EQ(coap_print_ip_addr(&a, text, 0), text);
  EXPECT_EQ(text[0], 'z');
  EXPECT_EQ(coap_print_ip_addr(nullptr, text, 8), text);
  EXPECT_EQ(text[0], 0);
  EXPECT_EQ(coap_print_ip_addr(&a, nullptr, 8), nullptr);
}

TEST(Schemes, HintBitsOfThisBuild) {
  // notls with TCP and WebSockets: coap, coap+tcp and (when asked) coap+ws.
  const uint32_t plain =
      COAP_URI_SCHEME_COAP_BIT | COAP_URI_SCHEME_COAP_TCP_BIT | COAP_URI_SCHEME_COAP_WS_BIT;
  EXPECT_EQ(coap_get_available_scheme_hint_bits(0, 0, COAP_PROTO_NONE),
            plain & ~uint32_t(COAP_URI_SCHEME_COAP_WS_BIT));
  EXPECT_EQ(coap_get_available_scheme_hint_bits(1, 1, COAP_PROTO_NONE), plain);
  EXPECT_EQ(coap_get_available_scheme_hint_bits(1, 1, COAP_PROTO_LAST), plain);
  // A Unix-domain protocol selects its scheme unconditionally.
  EXPECT_EQ(coap_get_available_scheme_hint_bits(0, 0, COAP_PROTO_UDP),
            uint32_t(COAP_URI_SCHEME_COAP_BIT));
  EXPECT_EQ(coap_get_available_scheme_hint_bits(0, 0, COAP_PROTO_DTLS),
            uint32_t(COAP_URI_SCHEME_COAPS_BIT));
  EXPECT_EQ(coap_get_available_scheme_hint_bits(0, 0, COAP_PROTO_TCP),
            uint32_t(COAP_URI_SCHEME_COAP_TCP_BIT));
  EXPECT_EQ(coap_get_available_scheme_hint_bits(0, 0, COAP_PROTO_TLS),
            uint32_t(COAP_URI_SCHEME_COAPS_TCP_BIT));
  EXPECT_EQ(coap_get_available_scheme_hint_bits(0, 0, COAP_PROTO_WS),
            uint32_t(COAP_URI_SCHEME_COAP_WS_BIT));
  EXPECT_EQ(coap_get_available_scheme_hint_bits(0, 0, COAP_PROTO_WSS),
            uint32_t(COAP_URI_SCHEME_COAPS_WS_BIT));
}

TEST(Resolve, NumericV4PortsPerSide) {
  // One entry per scheme (coap, coap+tcp, http, coap+ws) although
  // getaddrinfo lists 3 socket types for each, as libcoap 4.3.5 gives.
  auto local = resolve("127.0.0.1", 0, 0, 0, 0, 0, 0xff, COAP_RESOLVE_TYPE_LOCAL);
  ASSERT_EQ(local.size(), 4u);
  EXPECT_EQ(local[0].scheme, COAP_URI_SCHEME_COAP);
  EXPECT_EQ(local[0].proto, COAP_PROTO_UDP);
  EXPECT_EQ(local[0].text, "127.0.0.1:5683");
  EXPECT_EQ(local[1].scheme, COAP_URI_SCHEME_COAP_TCP);
  EXPECT_EQ(local[1].proto, COAP_PROTO_TCP);
  EXPECT_EQ(local[1].text, "127.0.0.1:5683");
  EXPECT_EQ(local[3].scheme, COAP_URI_SCHEME_COAP_WS);
  EXPECT_EQ(local[3].proto, COAP_PROTO_WS);
  EXPECT_EQ(local[3].text, "127.0.0.1:80");
  auto remote = resolve("127.0.0.1", 0, 0, 0, 0, 0, 0xff, COAP_RESOLVE_TYPE_REMOTE);
  ASSERT_EQ(remote.size(), 4u);
  EXPECT_EQ(remote[0].text, "127.0.0.1:0");
  auto given = resolve("127.0.0.1", 1, 2, 3, 4, 0, 0xff, COAP_RESOLVE_TYPE_REMOTE);
  ASSERT_EQ(given.size(), 4u);
  EXPECT_EQ(given[0].text, "127.0.0.1:1");
  EXPECT_EQ(given[1].text, "127.0.0.1:1");
  EXPECT_EQ(given[3].text, "127.0.0.1:3");  // the WebSocket port
}

TEST(Resolve, V6AndSpecialHosts) {
  auto v6 = resolve("::1", 7, 0, 0, 0, 0, COAP_URI_SCHEME_COAP_BIT, COAP_RESOLVE_TYPE_REMOTE);
  ASSERT_EQ(v6.size(), 1u);
  EXPECT_EQ(v6[0].text, "[::1]:7");
  auto def = resolve(nullptr, 0, 0, 0, 0, 0, COAP_URI_SCHEME_COAP_BIT, COAP_RESOLVE_TYPE_LOCAL);
  ASSERT_FALSE(def.empty());  // "localhost"
  auto empty = resolve("", 0, 0, 0, 0, 0, COAP_URI_SCHEME_COAP_BIT, COAP_RESOLVE_TYPE_LOCAL);
  EXPECT_EQ(empty.size(), def.size());
  bool null_result = false;
  resolve("[::1]", 0, 0, 0, 0, AI_NUMERICHOST, 1, COAP_RESOLVE_TYPE_LOCAL, &null_result);
  EXPECT_TRUE(null_result);
  resolve("127.0.0.1", 0, 0, 0, 0, 0, 0, COAP_RESOLVE_TYPE_LOCAL, &null_result);
  EXPECT_TRUE(null_result);
  resolve("127.0.0.1", 0, 0, 0, 0, 0, COAP_URI_SCHEME_COAPS_BIT, COAP_RESOLVE_TYPE_LOCAL,
          &null_result);
  EXPECT_TRUE(null_result);  // no DTLS in the notls build
  auto tcp =
      resolve("127.0.0.1", 0, 0, 0, 0, 0, COAP_URI_SCHEME_COAP_TCP_BIT | COAP_URI_SCHEME_HTTP_BIT,
              COAP_RESOLVE_TYPE_LOCAL);
  ASSERT_EQ(tcp.size(), 2u);  // coap+tcp, and http on port 80
  EXPECT_EQ(tcp[0].proto, COAP_PROTO_TCP);
  EXPECT_EQ(tcp[1].text, "127.0.0.1:80");
}

TEST(Resolve, LongHostNames) {
  std::string name(256, '1');
  coap_str_const_t s{name.size(), reinterpret_cast<const uint8_t *>(name.data())};
  EXPECT_EQ(coap_resolve_address_info(&s, 0, 0, 0, 0, AI_NUMERICHOST, 1, COAP_RESOLVE_TYPE_LOCAL),
            nullptr);
  coap_str_const_t no_data{5, nullptr};
  EXPECT_EQ(coap_resolve_address_info(&no_data, 0, 0, 0, 0, 0, 1, COAP_RESOLVE_TYPE_LOCAL),
            nullptr);
}

TEST(Resolve, UnixDomainTakesFirstWantedScheme) {
  auto all = resolve("%2Ftmp%2Fsock", 5683, 0, 0, 0, 0, 0xff, COAP_RESOLVE_TYPE_LOCAL);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].scheme, COAP_URI_SCHEME_COAP);
  EXPECT_EQ(all[0].text, "/tmp/sock");
  bool null_result = false;
  // First wanted scheme is coaps: unavailable, and there is no fallback.
  resolve("%2Ftmp%2Fsock", 0, 0, 0, 0, 0, 0x6, COAP_RESOLVE_TYPE_LOCAL, &null_result);
  EXPECT_TRUE(null_result);
  // coap+tcp first: a Unix-domain stream socket.
  auto tcp = resolve("%2Ftmp%2Fsock", 0, 0, 0, 0, 0, 0xc, COAP_RESOLVE_TYPE_LOCAL);
  ASSERT_EQ(tcp.size(), 1u);
  EXPECT_EQ(tcp[0].proto, COAP_PROTO_TCP);
  EXPECT_EQ(tcp[0].text, "/tmp/sock");
  resolve("%2Ftmp%2Fsock", 0, 0, 0, 0, 0, 0x100, COAP_RESOLVE_TYPE_LOCAL, &null_result);
  EXPECT_TRUE(null_result);
  // The encoded host must be shorter than COAP_UNIX_PATH_MAX.
  EXPECT_EQ(resolve("/123456789012345678901234", 0, 0, 0, 0, 0, 1, COAP_RESOLVE_TYPE_LOCAL).size(),
            1u);
  resolve("%2F12345678901234567890123", 0, 0, 0, 0, 0, 1, COAP_RESOLVE_TYPE_LOCAL, &null_result);
  EXPECT_TRUE(null_result);
}

TEST(Supported, AnswersForThisBuild) {
  EXPECT_EQ(coap_ipv4_is_supported(), COAP_IPV4_SUPPORT);
  EXPECT_EQ(coap_ipv6_is_supported(), COAP_IPV6_SUPPORT);
  EXPECT_EQ(coap_af_unix_is_supported(), COAP_AF_UNIX_SUPPORT);
  EXPECT_EQ(coap_client_is_supported(), COAP_CLIENT_SUPPORT);
  EXPECT_EQ(coap_server_is_supported(), COAP_SERVER_SUPPORT);
  EXPECT_EQ(coap_epoll_is_supported(), COAP_EPOLL_SUPPORT);
  EXPECT_EQ(coap_threadsafe_is_supported(), COAP_THREAD_SAFE);
  EXPECT_EQ(coap_async_is_supported(), COAP_ASYNC_SUPPORT);  // separate responses landed
  EXPECT_EQ(coap_tcp_is_supported(), 1);                     // CoAP over TCP landed
  EXPECT_EQ(coap_ws_is_supported(), COAP_WS_SUPPORT);        // WebSockets landed
  EXPECT_EQ(coap_wss_is_supported(), 0);                     // needs TLS: none in notls
  // Not implemented yet, whatever the build options say.
  EXPECT_EQ(coap_oscore_is_supported(), 0);
  EXPECT_EQ(coap_proxy_is_supported(), 0);
  EXPECT_EQ(coap_q_block_is_supported(), 0);
  EXPECT_EQ(coap_observe_persist_is_supported(), 0);
}

}  // namespace
