#include "wire/uri_options.h"

#include <cstring>

#include "runtime/log.h"
#include "wire/address.h"
#include "wire/pdu.h"
#include "wire/uri.h"

namespace coap::wire {

namespace {

// Room for the text of any IP address (INET6_ADDRSTRLEN), as libcoap uses.
constexpr size_t kAddressTextSize = 46;

// Removes the last entry of the list that starts at *first.
void drop_last(coap_optlist_t **first) {
  if (!*first) return;
  coap_optlist_t **link = first;
  while ((*link)->next) link = &(*link)->next;
  coap_delete_optlist(*link);
  *link = nullptr;
}

void to_lower_ascii(uint8_t *s, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (s[i] >= 'A' && s[i] <= 'Z') s[i] = static_cast<uint8_t>(s[i] - 'A' + 'a');
  }
}

// New entry holding the leniently decoded segment; nullptr when out of
// memory.
coap_optlist_t *decoded_entry(uint16_t number, const uint8_t *s, size_t n) {
  coap_optlist_t *node = coap_new_optlist(number, n, s);
  if (!node) {
    LOGW("could not allocate a %zu byte option for option %u\n", n, number);
    return nullptr;
  }
  node->length = lenient_decode_in_place(node->data, node->length);
  return node;
}

// Uri-Host is left out when the host is exactly how the destination
// address prints (ignoring a "%zone" suffix of the URI host).
bool host_matches_destination(const coap_str_const_t &host, const coap_address_t &dst) {
  char text[kAddressTextSize];
  text[0] = '\0';
  coap_print_ip_addr(&dst, text, sizeof(text));
  const void *percent = std::memchr(host.s, '%', host.length);
  size_t compared =
      percent ? static_cast<size_t>(static_cast<const uint8_t *>(percent) - host.s) : host.length;
  return std::strlen(text) == compared && std::memcmp(text, host.s, compared) == 0;
}

}  // namespace

bool path_to_optlist(const uint8_t *path, size_t length, uint16_t number, coap_optlist_t **chain) {
  // ".." may remove what this call added and what followed the first entry
  // of the chain, but never the first entry itself.
  coap_optlist_t **first = *chain ? &(*chain)->next : chain;
  bool ok = true;
  for_each_segment(path, length, UriPart::kPath, [&](const uint8_t *s, size_t n) {
    if (!ok) return;
    coap_optlist_t *node = decoded_entry(number, s, n);
    if (!node) {
      ok = false;
      return;
    }
    if (is_dot_segment(node->data, node->length)) {
      coap_delete_optlist(node);
    } else if (is_dot_dot_segment(node->data, node->length)) {
      coap_delete_optlist(node);
      drop_last(first);
    } else {
      coap_insert_optlist(chain, node);
    }
  });
  return ok;
}

bool query_to_optlist(const uint8_t *query, size_t length, uint16_t number,
                      coap_optlist_t **chain) {
  bool ok = true;
  for_each_segment(query, length, UriPart::kQuery, [&](const uint8_t *s, size_t n) {
    if (!ok) return;
    coap_optlist_t *node = decoded_entry(number, s, n);
    if (!node) {
      ok = false;
      return;
    }
    coap_insert_optlist(chain, node);
  });
  return ok;
}

bool uri_to_optlist(const coap_uri_t &uri, const coap_address_t *dst, coap_optlist_t **chain,
                    bool host_port) {
  if (host_port && !host_is_unix_domain(uri.host.s, uri.host.length)) {
    if (dst && uri.host.length && !host_matches_destination(uri.host, *dst)) {
      coap_optlist_t *node = decoded_entry(COAP_OPTION_URI_HOST, uri.host.s, uri.host.length);
      if (!node) return false;
      to_lower_ascii(node->data, node->length);
      coap_insert_optlist(chain, node);
    }
    if (uri.port != port_implied_by_scheme(scheme_number(uri.scheme))) {
      uint8_t value[4];
      unsigned n = coap_encode_var_safe(value, sizeof(value), uri.port);
      coap_optlist_t *node = coap_new_optlist(COAP_OPTION_URI_PORT, n, value);
      if (!node) return false;
      coap_insert_optlist(chain, node);
    }
  }
  if (uri.path.length &&
      !path_to_optlist(uri.path.s, uri.path.length, COAP_OPTION_URI_PATH, chain)) {
    return false;
  }
  if (uri.query.length &&
      !query_to_optlist(uri.query.s, uri.query.length, COAP_OPTION_URI_QUERY, chain)) {
    return false;
  }
  return true;
}

namespace {

// Calls fn(value, length) for every option `number` of pdu, in order.
template <class Fn>
void for_each_option(const coap_pdu_t *pdu, uint16_t number, Fn &&fn) {
  pdu->visit_options([&](uint16_t n, const uint8_t *value, size_t length) {
    if (n == number) fn(value, length);
    return n <= number;
  });
}

// Sum of the escaped option values plus one separator per option.
size_t joined_size(const coap_pdu_t *pdu, uint16_t number, UriPart part) {
  size_t total = 0;
  for_each_option(pdu, number, [&](const uint8_t *value, size_t n) {
    total += escaped_length(value, n, part) + 1;
  });
  return total;
}

}  // namespace

coap_string_t *query_from_pdu(const coap_pdu_t *pdu) {
  size_t total = joined_size(pdu, COAP_OPTION_URI_QUERY, UriPart::kQuery);
  if (total <= 1) return nullptr;
  coap_string_t *query = coap_new_string(total - 1);
  if (!query) return nullptr;
  std::memset(query->s, 0, query->length);
  // libcoap puts '&' only once something has been written, so leading
  // empty items lose their separators; the unused tail stays zero (in
  // libcoap it is uninitialised).
  size_t pos = 0;
  for_each_option(pdu, COAP_OPTION_URI_QUERY, [&](const uint8_t *value, size_t n) {
    if (pos) query->s[pos++] = '&';
    pos += escape(value, n, UriPart::kQuery, query->s + pos);
  });
  return query;
}

coap_string_t *path_from_pdu(const coap_pdu_t *pdu, uint32_t usable_schemes) {
  size_t proxy_length = 0;
  if (const uint8_t *proxy = pdu->find_option(COAP_OPTION_PROXY_URI, &proxy_length)) {
    coap_uri_t uri;
    if (split_uri(proxy, proxy_length, UriKind::kProxy, usable_schemes, &uri) != kUriOk) {
      return nullptr;
    }
    coap_string_t *path = coap_new_string(uri.path.length);
    if (path && uri.path.length) std::memcpy(path->s, uri.path.s, uri.path.length);
    return path;
  }
  size_t total = joined_size(pdu, COAP_OPTION_URI_PATH, UriPart::kPath);
  coap_string_t *path = coap_new_string(total ? total - 1 : 0);
  if (!path) return nullptr;
  size_t pos = 0;
  bool first = true;
  for_each_option(pdu, COAP_OPTION_URI_PATH, [&](const uint8_t *value, size_t n) {
    if (!first) path->s[pos++] = '/';
    first = false;
    pos += escape(value, n, UriPart::kPath, path->s + pos);
  });
  return path;
}

bool path_into(const coap_pdu_t *pdu, uint8_t *buf, size_t cap, size_t *length) {
  size_t pos = 0;
  bool fits = true;
  pdu->visit_options([&](uint16_t n, const uint8_t *value, size_t len) {
    if (n == COAP_OPTION_PROXY_URI) {
      fits = false;  // the path comes from the URI: path_from_pdu() parses it
      return false;
    }
    if (n != COAP_OPTION_URI_PATH) return n < COAP_OPTION_PROXY_URI;
    size_t need = escaped_length(value, len, UriPart::kPath) + (pos ? 1 : 0);
    if (pos + need > cap) {
      fits = false;
      return false;
    }
    if (pos) buf[pos++] = '/';
    pos += escape(value, len, UriPart::kPath, buf + pos);
    return true;
  });
  *length = pos;
  return fits;
}

}  // namespace coap::wire
