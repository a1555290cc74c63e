// coap_address.h, and the address printers of coap_debug.h. The logic is
// in wire/address.h (pure), transport/resolve.h and transport/broadcast.h;
// here only argument checks. libcoap assert()s on NULL arguments; we log
// and return the failure value instead.
#include <cstring>

#include "capi/c_enum.h"
#include "coap3/coap.h"
#include "runtime/features.h"
#include "runtime/log.h"
#include "transport/broadcast.h"
#include "transport/resolve.h"
#include "wire/address.h"

namespace {

bool present(const void *p, const char *func) {
  if (p) return true;
  LOGW("%s: NULL address argument\n", func);
  return false;
}

}  // namespace

extern "C" {

void coap_address_init(coap_address_t *addr) {
  if (!present(addr, __func__)) return;
  std::memset(addr, 0, sizeof(*addr));
  addr->size = sizeof(addr->addr);
}

void coap_address_copy(coap_address_t *dst, const coap_address_t *src) {
  if (!present(dst, __func__) || !present(src, __func__)) return;
  coap::wire::copy_address(*dst, *src);
}

int coap_address_equals(const coap_address_t *a, const coap_address_t *b) {
  if (!present(a, __func__) || !present(b, __func__)) return 0;
  return coap::wire::addresses_equal(*a, *b) ? 1 : 0;
}

uint16_t coap_address_get_port(const coap_address_t *addr) {
  if (!present(addr, __func__)) return 0;
  return coap::wire::address_port(*addr);
}

void coap_address_set_port(coap_address_t *addr, uint16_t port) {
  if (!present(addr, __func__)) return;
  coap::wire::set_address_port(*addr, port);
}

int _coap_address_isany_impl(const coap_address_t *a) {
  if (!present(a, __func__)) return 0;
  return coap::wire::address_is_any(*a) ? 1 : 0;
}

int coap_is_bcast(const coap_address_t *a) {
  return a && coap::transport::address_is_broadcast(*a) ? 1 : 0;
}

// Broadcast counts as multicast: both reach a group, not one peer. The
// cheap multicast test goes first; the broadcast one may list interfaces.
int coap_is_mcast(const coap_address_t *a) {
  if (!a) return 0;
  return coap::wire::address_is_multicast(*a) || coap::transport::address_is_broadcast(*a);
}

int coap_is_af_unix(const coap_address_t *a) {
  if (!present(a, __func__)) return 0;
  return coap::features::kAfUnix && a->addr.sa.sa_family == AF_UNIX ? 1 : 0;
}

int coap_address_set_unix_domain(coap_address_t *addr, const uint8_t *host, size_t host_len) {
  if (!coap::features::kAfUnix) {
    LOGW("%s: Unix-domain sockets are not built in\n", __func__);
    return 0;
  }
  if (!present(addr, __func__)) return 0;
  if (host_len && !host) {
    LOGW("%s: NULL host of %zu bytes\n", __func__, host_len);
    return 0;
  }
  coap_address_init(addr);
  addr->addr.cun.sun_family = AF_UNIX;
  coap::wire::decode_unix_path(host, host_len, addr->addr.cun.sun_path);
  return 1;
}

uint32_t coap_get_available_scheme_hint_bits(int have_pki_psk, int ws_check,
                                             coap_proto_t use_unix_proto) {
  // Values outside the enumeration are no protocol at all.
  int proto = coap::c_enum(use_unix_proto);
  if (proto < COAP_PROTO_NONE || proto > COAP_PROTO_LAST) proto = COAP_PROTO_LAST;
  return coap::transport::available_scheme_bits(have_pki_psk != 0, ws_check != 0,
                                                static_cast<coap_proto_t>(proto));
}

coap_addr_info_t *coap_resolve_address_info(const coap_str_const_t *address, uint16_t port,
                                            uint16_t secure_port, uint16_t ws_port,
                                            uint16_t ws_secure_port, int ai_hints_flags,
                                            int scheme_hint_bits, coap_resolve_type_t type) {
  const uint8_t *host = nullptr;
  size_t length = 0;
  if (address && address->length) {
    if (!address->s) {
      LOGW("%s: host of %zu bytes has no data\n", __func__, address->length);
      return nullptr;
    }
    host = address->s;
    length = address->length;
  }
  coap::transport::SchemePorts ports{port, secure_port, ws_port, ws_secure_port};
  return coap::transport::resolve(host, length, ports, ai_hints_flags,
                                  static_cast<uint32_t>(scheme_hint_bits),
                                  type == COAP_RESOLVE_TYPE_LOCAL);
}

void coap_free_address_info(coap_addr_info_t *info_list) {
  coap::transport::free_address_list(info_list);
}

size_t coap_print_addr(const coap_address_t *address, unsigned char *buffer, size_t size) {
  if (!buffer || !size) return 0;
  if (!present(address, __func__)) {
    buffer[0] = '\0';
    return 0;
  }
  return coap::wire::format_address(*address, reinterpret_cast<char *>(buffer), size);
}

const char *coap_print_ip_addr(const coap_address_t *address, char *buffer, size_t size) {
  if (!buffer || !size) return buffer;
  if (!present(address, __func__)) {
    buffer[0] = '\0';
    return buffer;
  }
  coap::wire::format_ip(*address, buffer, size);
  return buffer;
}

}  // extern "C"
