// coap_uri.h, the path / query helpers of coap_pdu.h, and
// coap_verify_proxy_scheme_supported() of coap_proxy.h. Parsing and option
// building live in wire/uri.h and wire/uri_options.h; here only argument
// checks, the build's scheme set and the coap_uri_t allocations. libcoap
// assert()s or crashes on NULL arguments; we log and return the failure
// value instead.
#include <cstring>

#include "coap3/coap.h"
#include "runtime/features.h"
#include "runtime/log.h"
#include "util/memory.h"
#include "wire/address.h"
#include "wire/uri.h"
#include "wire/uri_options.h"

namespace {

namespace features = coap::features;
using coap::wire::UriKind;
using coap::wire::UriPart;

// Schemes whose transport this build has. http and https are never
// connected to by the library itself, so they are always "usable" inside a
// Proxy-Uri (libcoap leaves the mapping to the application).
uint32_t usable_schemes() {
  uint32_t bits = COAP_URI_SCHEME_COAP_BIT | COAP_URI_SCHEME_HTTP_BIT | COAP_URI_SCHEME_HTTPS_BIT;
  if (features::dtls()) bits |= COAP_URI_SCHEME_COAPS_BIT;
  if (features::kTcp) bits |= COAP_URI_SCHEME_COAP_TCP_BIT;
  if (features::tls()) bits |= COAP_URI_SCHEME_COAPS_TCP_BIT;
  if (features::kWs) bits |= COAP_URI_SCHEME_COAP_WS_BIT;
  if (features::wss()) bits |= COAP_URI_SCHEME_COAPS_WS_BIT;
  return bits;
}

// A counted string must have bytes behind a non-zero length.
bool valid(const coap_str_const_t &s) {
  return s.length == 0 || s.s != nullptr;
}

bool valid_uri(const coap_uri_t *uri, const char *func) {
  if (!uri) {
    LOGW("%s: NULL URI\n", func);
    return false;
  }
  if (!valid(uri->host) || !valid(uri->path) || !valid(uri->query)) {
    LOGW("%s: URI part with a length but no data\n", func);
    return false;
  }
  return true;
}

bool valid_text(const uint8_t *text, size_t length, const char *func) {
  if (text || length == 0) return true;
  LOGW("%s: NULL text of %zu bytes\n", func, length);
  return false;
}

int split_to_options(const uint8_t *text, size_t length, UriPart part, unsigned char *buf,
                     size_t *buflen, const char *func) {
  if (!buflen || (!buf && *buflen) || !valid_text(text, length, func)) {
    LOGW("%s: invalid arguments\n", func);
    return -1;
  }
  return coap::wire::split_to_options(text, length, part, buf, buflen);
}

// Copies n bytes to *cursor and points part at them; empty parts stay
// {0, NULL}.
void copy_part(const coap_str_const_t &from, coap_str_const_t *part, uint8_t **cursor) {
  if (!from.length) return;
  std::memcpy(*cursor, from.s, from.length);
  *part = {from.length, *cursor};
  *cursor += from.length;
}

}  // namespace

extern "C" {

int coap_host_is_unix_domain(const coap_str_const_t *host) {
  if (!host || !valid(*host)) return 0;
  return coap::wire::host_is_unix_domain(host->s, host->length) ? 1 : 0;
}

int coap_split_uri(const uint8_t *str_var, size_t len, coap_uri_t *uri) {
  return coap::wire::split_uri(str_var, len, UriKind::kRequest, usable_schemes(), uri);
}

int coap_split_proxy_uri(const uint8_t *str_var, size_t len, coap_uri_t *uri) {
  return coap::wire::split_uri(str_var, len, UriKind::kProxy, usable_schemes(), uri);
}

// The object and a NUL-terminated copy of the text are one allocation, so
// coap_delete_uri() frees both.
coap_uri_t *coap_new_uri(const uint8_t *uri, unsigned int length) {
  if (!valid_text(uri, length, __func__)) return nullptr;
  auto *result = static_cast<coap_uri_t *>(coap::allocate(sizeof(coap_uri_t) + length + 1));
  if (!result) return nullptr;
  uint8_t *text = reinterpret_cast<uint8_t *>(result + 1);
  if (length) std::memcpy(text, uri, length);
  text[length] = '\0';
  if (coap::wire::split_uri(text, length, UriKind::kRequest, usable_schemes(), result) !=
      coap::wire::kUriOk) {
    coap::deallocate(result);
    return nullptr;
  }
  return result;
}

coap_uri_t *coap_clone_uri(const coap_uri_t *uri) {
  if (!uri || !valid_uri(uri, __func__)) return nullptr;
  size_t text = uri->host.length + uri->path.length + uri->query.length;
  auto *result = static_cast<coap_uri_t *>(coap::allocate(sizeof(coap_uri_t) + text + 1));
  if (!result) return nullptr;
  std::memset(result, 0, sizeof(*result));
  // libcoap 4.3.5 copies the port and the strings but not the scheme, so
  // a clone always says COAP_URI_SCHEME_COAP; kept for compatibility.
  result->port = uri->port;
  uint8_t *cursor = reinterpret_cast<uint8_t *>(result + 1);
  copy_part(uri->host, &result->host, &cursor);
  copy_part(uri->path, &result->path, &cursor);
  copy_part(uri->query, &result->query, &cursor);
  *cursor = '\0';
  return result;
}

void coap_delete_uri(coap_uri_t *uri) {
  coap::deallocate(uri);
}

int coap_uri_into_optlist(const coap_uri_t *uri, const coap_address_t *dst,
                          coap_optlist_t **optlist_chain, int create_port_host_opt) {
  if (!valid_uri(uri, __func__)) return 0;
  if (!optlist_chain) {
    LOGW("%s: NULL option list\n", __func__);
    return 0;
  }
  return coap::wire::uri_to_optlist(*uri, dst, optlist_chain, create_port_host_opt != 0) ? 1 : 0;
}

int coap_uri_into_options(const coap_uri_t *uri, const coap_address_t *dst,
                          coap_optlist_t **optlist_chain, int create_port_host_opt, uint8_t *buf,
                          size_t buflen) {
  (void)buf;
  (void)buflen;
  return coap_uri_into_optlist(uri, dst, optlist_chain, create_port_host_opt) ? 0 : -1;
}

int coap_split_path(const uint8_t *path, size_t length, unsigned char *buf, size_t *buflen) {
  return split_to_options(path, length, UriPart::kPath, buf, buflen, __func__);
}

int coap_split_query(const uint8_t *query, size_t length, unsigned char *buf, size_t *buflen) {
  return split_to_options(query, length, UriPart::kQuery, buf, buflen, __func__);
}

int coap_path_into_optlist(const uint8_t *path, size_t length, coap_option_num_t optnum,
                           coap_optlist_t **optlist_chain) {
  if (!optlist_chain || !valid_text(path, length, __func__)) return 0;
  return coap::wire::path_to_optlist(path, length, optnum, optlist_chain) ? 1 : 0;
}

int coap_query_into_optlist(const uint8_t *query, size_t length, coap_option_num_t optnum,
                            coap_optlist_t **optlist_chain) {
  if (!optlist_chain || !valid_text(query, length, __func__)) return 0;
  return coap::wire::query_to_optlist(query, length, optnum, optlist_chain) ? 1 : 0;
}

coap_string_t *coap_get_query(const coap_pdu_t *request) {
  if (!request) {
    LOGW("%s: NULL PDU\n", __func__);
    return nullptr;
  }
  return coap::wire::query_from_pdu(request);
}

coap_string_t *coap_get_uri_path(const coap_pdu_t *request) {
  if (!request) {
    LOGW("%s: NULL PDU\n", __func__);
    return nullptr;
  }
  return coap::wire::path_from_pdu(request, usable_schemes());
}

// Declared in coap_proxy.h: whether upstream connections can use scheme.
// http and https are never forwarded by the library.
int coap_verify_proxy_scheme_supported(coap_uri_scheme_t scheme) {
  int value = coap::wire::scheme_number(scheme);
  switch (value) {
    case COAP_URI_SCHEME_HTTP:
    case COAP_URI_SCHEME_HTTPS:
      LOGW("proxying to http / https is not supported\n");
      return 0;
    case COAP_URI_SCHEME_COAP:
    case COAP_URI_SCHEME_COAPS:
    case COAP_URI_SCHEME_COAP_TCP:
    case COAP_URI_SCHEME_COAPS_TCP:
    case COAP_URI_SCHEME_COAP_WS:
    case COAP_URI_SCHEME_COAPS_WS:
      if (usable_schemes() & (1u << value)) return 1;
      LOGW("URI scheme %d is not available for proxying in this build\n", value);
      return 0;
    default:
      LOGW("unknown URI scheme %d\n", value);
      return 0;
  }
}

}  // extern "C"
