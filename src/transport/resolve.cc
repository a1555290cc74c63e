#include "transport/resolve.h"

#include <netdb.h>
#include <sys/socket.h>

#include <cstring>

#include "runtime/features.h"
#include "runtime/log.h"
#include "util/memory.h"
#include "wire/address.h"

namespace coap::transport {
namespace {

namespace features = coap::features;

enum class PortKind { kPlain, kSecure, kWs, kWsSecure };

struct SchemeRule {
  coap_proto_t proto;
  PortKind port;
  uint16_t default_port;
};

// Indexed by coap_uri_scheme_t. http(s) entries carry no CoAP protocol:
// they only serve proxies, over TCP / TLS.
constexpr SchemeRule kSchemes[COAP_URI_SCHEME_LAST] = {
    {COAP_PROTO_UDP, PortKind::kPlain, COAP_DEFAULT_PORT},
    {COAP_PROTO_DTLS, PortKind::kSecure, COAPS_DEFAULT_PORT},
    {COAP_PROTO_TCP, PortKind::kPlain, COAP_DEFAULT_PORT},
    {COAP_PROTO_TLS, PortKind::kSecure, COAPS_DEFAULT_PORT},
    {COAP_PROTO_NONE, PortKind::kPlain, 80},
    {COAP_PROTO_NONE, PortKind::kSecure, 443},
    {COAP_PROTO_WS, PortKind::kWs, 80},
    {COAP_PROTO_WSS, PortKind::kWsSecure, 443},
};

constexpr uint32_t bit(coap_uri_scheme_t scheme) {
  return 1u << scheme;
}

// Whether this build can carry the scheme at all.
bool scheme_usable(coap_uri_scheme_t scheme) {
  switch (scheme) {
    case COAP_URI_SCHEME_COAP:
      return true;
    case COAP_URI_SCHEME_COAPS:
      return features::dtls();
    case COAP_URI_SCHEME_COAP_TCP:
    case COAP_URI_SCHEME_HTTP:
      return features::kTcp;
    case COAP_URI_SCHEME_COAPS_TCP:
    case COAP_URI_SCHEME_HTTPS:
      return features::tls();
    case COAP_URI_SCHEME_COAP_WS:
      return features::kWs;
    case COAP_URI_SCHEME_COAPS_WS:
      return features::wss();
    default:
      return false;
  }
}

uint16_t scheme_port(const SchemeRule &rule, const SchemePorts &ports, bool local) {
  uint16_t port = 0;
  switch (rule.port) {
    case PortKind::kPlain:
      port = ports.plain;
      break;
    case PortKind::kSecure:
      port = ports.secure;
      break;
    case PortKind::kWs:
      port = ports.ws;
      break;
    case PortKind::kWsSecure:
      port = ports.ws_secure;
      break;
  }
  // A local endpoint needs a real port; a remote port of 0 is left for the
  // caller to fill in.
  return (port == 0 && local) ? rule.default_port : port;
}

// A fresh entry for scheme with a cleared address, or nullptr.
coap_addr_info_t *new_entry(coap_uri_scheme_t scheme) {
  auto *info = static_cast<coap_addr_info_t *>(allocate(sizeof(coap_addr_info_t)));
  if (!info) {
    LOGE("out of memory while resolving an address\n");
    return nullptr;
  }
  std::memset(info, 0, sizeof(*info));
  info->scheme = scheme;
  info->proto = kSchemes[scheme].proto;
  info->addr.size = sizeof(info->addr.addr);  // as coap_address_init()
  return info;
}

// A Unix-domain socket is one file: one entry, for the first wanted scheme.
coap_addr_info_t *resolve_unix(const uint8_t *host, size_t length, uint32_t scheme_bits) {
  if (length >= COAP_UNIX_PATH_MAX) {
    LOGE("Unix-domain socket path in the host is too long (%zu bytes)\n", length);
    return nullptr;
  }
  int scheme = 0;
  while (scheme < COAP_URI_SCHEME_LAST && !(scheme_bits & bit(coap_uri_scheme_t(scheme)))) {
    ++scheme;
  }
  if (scheme == COAP_URI_SCHEME_LAST || !scheme_usable(coap_uri_scheme_t(scheme))) return nullptr;
  coap_addr_info_t *info = new_entry(coap_uri_scheme_t(scheme));
  if (!info) return nullptr;
  info->addr.addr.cun.sun_family = AF_UNIX;
  wire::decode_unix_path(host, length, info->addr.addr.cun.sun_path);
  return info;
}

// Appends info unless the list already has the same protocol and address
// (getaddrinfo lists an address once per socket type).
void append_unique(coap_addr_info_t *&head, coap_addr_info_t *&tail, coap_addr_info_t *info) {
  for (coap_addr_info_t *p = head; p; p = p->next) {
    if (p->proto == info->proto && wire::addresses_equal(p->addr, info->addr)) {
      deallocate(info);
      return;
    }
  }
  if (tail) {
    tail->next = info;
  } else {
    head = info;
  }
  tail = info;
}

bool family_enabled(int family) {
  return (family == AF_INET && features::kIpv4) || (family == AF_INET6 && features::kIpv6);
}

}  // namespace

uint32_t available_scheme_bits(bool have_pki_psk, bool ws_check, coap_proto_t unix_proto) {
  // A Unix-domain socket carries exactly one protocol.
  switch (unix_proto) {
    case COAP_PROTO_UDP:
      return bit(COAP_URI_SCHEME_COAP);
    case COAP_PROTO_DTLS:
      return bit(COAP_URI_SCHEME_COAPS);
    case COAP_PROTO_TCP:
      return bit(COAP_URI_SCHEME_COAP_TCP);
    case COAP_PROTO_TLS:
      return bit(COAP_URI_SCHEME_COAPS_TCP);
    case COAP_PROTO_WS:
      return bit(COAP_URI_SCHEME_COAP_WS);
    case COAP_PROTO_WSS:
      return bit(COAP_URI_SCHEME_COAPS_WS);
    default:
      break;
  }
  uint32_t bits = bit(COAP_URI_SCHEME_COAP);
  if (have_pki_psk && features::dtls()) bits |= bit(COAP_URI_SCHEME_COAPS);
  if (features::kTcp) bits |= bit(COAP_URI_SCHEME_COAP_TCP);
  if (have_pki_psk && features::tls()) bits |= bit(COAP_URI_SCHEME_COAPS_TCP);
  if (ws_check && features::kWs) bits |= bit(COAP_URI_SCHEME_COAP_WS);
  if (ws_check && have_pki_psk && features::wss()) bits |= bit(COAP_URI_SCHEME_COAPS_WS);
  return bits;
}

coap_addr_info_t *resolve(const uint8_t *host, size_t length, const SchemePorts &ports,
                          int ai_flags, uint32_t scheme_bits, bool local) {
  if (features::kAfUnix && wire::host_is_unix_domain(host, length)) {
    return resolve_unix(host, length, scheme_bits);
  }

  char name[256];
  if (length >= sizeof(name)) {
    LOGW("host name of %zu bytes is too long to resolve (at most %zu)\n", length, sizeof(name) - 1);
    return nullptr;
  }
  if (length) {
    std::memcpy(name, host, length);
    name[length] = '\0';
  } else {
    std::strcpy(name, "localhost");
  }

  addrinfo hints;
  std::memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_UNSPEC;
  hints.ai_flags = ai_flags;
  addrinfo *found = nullptr;
  int rc = getaddrinfo(name, nullptr, &hints, &found);
  if (rc != 0) {
    LOGW("cannot resolve '%s': %s\n", name, gai_strerror(rc));
    return nullptr;
  }

  coap_addr_info_t *head = nullptr;
  coap_addr_info_t *tail = nullptr;
  for (const addrinfo *ai = found; ai; ai = ai->ai_next) {
    if (!family_enabled(ai->ai_family) || !ai->ai_addr ||
        ai->ai_addrlen > sizeof(coap_address_t::addr)) {
      continue;
    }
    for (int s = 0; s < COAP_URI_SCHEME_LAST; ++s) {
      auto scheme = coap_uri_scheme_t(s);
      if (!(scheme_bits & bit(scheme)) || !scheme_usable(scheme)) continue;
      coap_addr_info_t *info = new_entry(scheme);
      if (!info) {
        free_address_list(head);
        freeaddrinfo(found);
        return nullptr;
      }
      info->addr.size = ai->ai_addrlen;
      std::memcpy(&info->addr.addr, ai->ai_addr, ai->ai_addrlen);
      wire::set_address_port(info->addr, scheme_port(kSchemes[s], ports, local));
      append_unique(head, tail, info);
    }
  }
  freeaddrinfo(found);
  return head;
}

void free_address_list(coap_addr_info_t *list) {
  while (list) {
    coap_addr_info_t *next = list->next;
    deallocate(list);
    list = next;
  }
}

}  // namespace coap::transport
