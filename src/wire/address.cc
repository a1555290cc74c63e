#include "wire/address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "runtime/features.h"
#include "runtime/log.h"

namespace coap::wire {
namespace {

namespace features = coap::features;

sa_family_t family(const coap_address_t &addr) {
  return addr.addr.sa.sa_family;
}

bool is_ipv4(const coap_address_t &addr) {
  return features::kIpv4 && family(addr) == AF_INET;
}
bool is_ipv6(const coap_address_t &addr) {
  return features::kIpv6 && family(addr) == AF_INET6;
}
bool is_unix(const coap_address_t &addr) {
  return features::kAfUnix && family(addr) == AF_UNIX;
}

// A path that fills sun_path has no NUL of its own: never read past it.
int unix_path_length(const coap_address_t &addr) {
  return static_cast<int>(strnlen(addr.addr.cun.sun_path, COAP_UNIX_PATH_MAX));
}

constexpr char kUnknownFamily[] = "(unknown address type)";

// Copies the placeholder including its NUL when it fits, and always ends
// the buffer's last byte with a NUL (the byte layout libcoap leaves).
void write_unknown(char *buf, size_t size) {
  std::memcpy(buf, kUnknownFamily, std::min(sizeof(kUnknownFamily), size));
  buf[size - 1] = '\0';
}

bool is_v4_mapped(const in6_addr &a) {
  static const uint8_t kPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(a.s6_addr, kPrefix, sizeof(kPrefix)) == 0;
}

bool ipv4_is_multicast(uint8_t first_octet) {
  return (first_octet & 0xf0) == 0xe0;
}

}  // namespace

uint16_t address_port(const coap_address_t &addr) {
  if (is_ipv4(addr)) return ntohs(addr.addr.sin.sin_port);
  if (is_ipv6(addr)) return ntohs(addr.addr.sin6.sin6_port);
  return 0;
}

void set_address_port(coap_address_t &addr, uint16_t port) {
  if (is_ipv4(addr)) {
    addr.addr.sin.sin_port = htons(port);
  } else if (is_ipv6(addr)) {
    addr.addr.sin6.sin6_port = htons(port);
  }
}

bool addresses_equal(const coap_address_t &a, const coap_address_t &b) {
  if (a.size != b.size || family(a) != family(b)) return false;
  if (is_ipv4(a)) {
    return a.addr.sin.sin_port == b.addr.sin.sin_port &&
           a.addr.sin.sin_addr.s_addr == b.addr.sin.sin_addr.s_addr;
  }
  if (is_ipv6(a)) {
    return a.addr.sin6.sin6_port == b.addr.sin6.sin6_port &&
           std::memcmp(&a.addr.sin6.sin6_addr, &b.addr.sin6.sin6_addr, sizeof(in6_addr)) == 0;
  }
  return false;
}

void copy_address(coap_address_t &dst, const coap_address_t &src) {
  coap_address_t out;
  std::memset(&out, 0, sizeof(out));
  out.size = src.size;
  if (is_ipv6(src)) {
    out.addr.sin6.sin6_family = AF_INET6;
    out.addr.sin6.sin6_port = src.addr.sin6.sin6_port;
    out.addr.sin6.sin6_addr = src.addr.sin6.sin6_addr;
    out.addr.sin6.sin6_scope_id = src.addr.sin6.sin6_scope_id;
  } else if (is_ipv4(src)) {
    out.addr.sin = src.addr.sin;
  } else {
    // Other families: the first size bytes are what matters.
    std::memcpy(&out.addr, &src.addr, std::min<size_t>(src.size, sizeof(out.addr)));
  }
  dst = out;
}

bool address_is_any(const coap_address_t &addr) {
  if (is_ipv4(addr)) return addr.addr.sin.sin_addr.s_addr == htonl(INADDR_ANY);
  if (is_ipv6(addr)) {
    return std::memcmp(&addr.addr.sin6.sin6_addr, &in6addr_any, sizeof(in6_addr)) == 0;
  }
  return false;
}

bool address_is_multicast(const coap_address_t &addr) {
  if (is_ipv4(addr)) {
    return ipv4_is_multicast(static_cast<uint8_t>(ntohl(addr.addr.sin.sin_addr.s_addr) >> 24));
  }
  if (is_ipv6(addr)) {
    const in6_addr &a = addr.addr.sin6.sin6_addr;
    return a.s6_addr[0] == 0xff || (is_v4_mapped(a) && ipv4_is_multicast(a.s6_addr[12]));
  }
  return false;
}

bool address_ipv4(const coap_address_t &addr, uint32_t *ipv4_net_order) {
  if (is_ipv4(addr)) {
    *ipv4_net_order = addr.addr.sin.sin_addr.s_addr;
    return true;
  }
  if (is_ipv6(addr) && is_v4_mapped(addr.addr.sin6.sin6_addr)) {
    std::memcpy(ipv4_net_order, &addr.addr.sin6.sin6_addr.s6_addr[12], sizeof(*ipv4_net_order));
    return true;
  }
  return false;
}

bool host_is_unix_domain(const uint8_t *host, size_t length) {
  if (length >= 1 && host[0] == '/') return true;
  return length >= 3 && host[0] == '%' && host[1] == '2' && (host[2] == 'F' || host[2] == 'f');
}

size_t decode_unix_path(const uint8_t *host, size_t length, char *path) {
  constexpr size_t kMaxChars = COAP_UNIX_PATH_MAX - 1;
  size_t out = 0;
  for (size_t i = 0; i < length && out < kMaxChars; ++i) {
    if (length - i >= 3 && host[i] == '%' && host[i + 1] == '2' &&
        (host[i + 2] == 'F' || host[i + 2] == 'f')) {
      path[out++] = '/';
      i += 2;
    } else {
      path[out++] = static_cast<char>(host[i]);
    }
  }
  path[out] = '\0';
  return out;
}

size_t format_address(const coap_address_t &addr, char *buf, size_t size) {
  buf[0] = '\0';
  if (is_ipv4(addr) || is_ipv6(addr)) {
    char ip[INET6_ADDRSTRLEN];
    format_ip(addr, ip, sizeof(ip));
    snprintf(buf, size, is_ipv4(addr) ? "%s:%u" : "[%s]:%u", ip,
             static_cast<unsigned>(address_port(addr)));
  } else if (is_unix(addr)) {
    snprintf(buf, size, "%.*s", unix_path_length(addr), addr.addr.cun.sun_path);
  } else {
    write_unknown(buf, size);
  }
  return std::strlen(buf);
}

void format_ip(const coap_address_t &addr, char *buf, size_t size) {
  buf[0] = '\0';
  const void *ip;
  if (is_ipv4(addr)) {
    if (size < INET_ADDRSTRLEN) return;
    ip = &addr.addr.sin.sin_addr;
  } else if (is_ipv6(addr)) {
    if (size < INET6_ADDRSTRLEN) return;
    ip = &addr.addr.sin6.sin6_addr;
  } else if (is_unix(addr)) {
    snprintf(buf, size, "%.*s", unix_path_length(addr), addr.addr.cun.sun_path);
    return;
  } else {
    write_unknown(buf, size);
    return;
  }
  if (!inet_ntop(family(addr), ip, buf, static_cast<socklen_t>(size))) {
    LOGE("cannot format IP address: inet_ntop failed\n");
    buf[0] = '\0';
  }
}

}  // namespace coap::wire
