// URI text handling (RFC 7252 section 6): splitting a URI into scheme,
// host, port, path and query; cutting a path or query into segments; the
// two percent-decoding flavours libcoap uses; and the percent-escaping of
// option values when a path or query is rebuilt. Pure functions over byte
// ranges: nothing here allocates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "coap3/coap.h"

namespace coap::wire {

// Results of split_uri(), the values libcoap's coap_split_uri() returns.
enum UriResult : int {
  kUriOk = 0,
  kUriInvalid = -1,      // bad arguments, scheme, trailing text
  kUriNoScheme = -2,     // no "://" and not a path starting with '/'
  kUriBadHost = -3,      // empty host or malformed IPv6 literal
  kUriBadPort = -4,      // port above 65535
  kUriUnixPort = -5,     // port given for a Unix-domain host
  kUriHostTooLong = -6,  // host name longer than 255 bytes
};

// What the text is: a URI of a request (coap_split_uri) or the value of a
// Proxy-Uri option (coap_split_proxy_uri), which must name a host and may
// use http / https.
enum class UriKind { kRequest, kProxy };

// Longest host name accepted (RFC 1035's limit on a DNS name).
constexpr size_t kMaxHostLength = 255;

// Splits text into out. usable_schemes holds COAP_URI_SCHEME_*_BIT for the
// schemes whose transport this build has; others are refused. On failure
// out keeps whatever had been filled in when the error was found (libcoap
// callers can see that too). The members of out point into text.
int split_uri(const uint8_t *text, size_t length, UriKind kind, uint32_t usable_schemes,
              coap_uri_t *out);

// The numeric value of a scheme field, which callers may have set to any
// int; read without an enum load so out-of-range values are not undefined.
inline int scheme_number(const coap_uri_scheme_t &scheme) {
  static_assert(sizeof(coap_uri_scheme_t) == sizeof(int), "enum is int sized");
  int value;
  std::memcpy(&value, &scheme, sizeof(value));
  return value;
}

// Port assumed by split_uri() when the URI names none.
uint16_t scheme_default_port(coap_uri_scheme_t scheme);

// Port for which coap_uri_into_optlist() leaves Uri-Port out. Any int is
// accepted: values outside the enum fall back on the secure bit.
uint16_t port_implied_by_scheme(int scheme);

// ---- segments -------------------------------------------------------------

// Path segments are separated by '/' and end at '?' or '#'; query segments
// are separated by '&' and end at '#'. There is always at least one
// (possibly empty) segment.
enum class UriPart { kPath, kQuery };

template <class Fn>
void for_each_segment(const uint8_t *text, size_t length, UriPart part, Fn &&fn) {
  const uint8_t separator = part == UriPart::kPath ? '/' : '&';
  size_t start = 0;
  size_t i = 0;
  for (; i < length; ++i) {
    uint8_t c = text[i];
    if (c == '#' || (part == UriPart::kPath && c == '?')) break;
    if (c == separator) {
      fn(text + start, i - start);
      start = i + 1;
    }
  }
  fn(text + start, i - start);
}

// "." and ".." path segments (compared after decoding).
bool is_dot_segment(const uint8_t *s, size_t n);
bool is_dot_dot_segment(const uint8_t *s, size_t n);

// ---- percent decoding -----------------------------------------------------

// Strict form (coap_split_path / coap_split_query): every '%' must be
// followed by two hex digits inside the segment. Writes the decoded length
// to *decoded; false when the segment is malformed.
bool strict_decoded_length(const uint8_t *s, size_t n, size_t *decoded);
// Decodes a segment that strict_decoded_length() accepted; out must hold
// the decoded length.
void strict_decode(const uint8_t *s, size_t n, uint8_t *out);

// Lenient form (option lists, Uri-Host): "%xy" is replaced wherever two
// bytes follow the '%', whatever they are (non-hex bytes map to some
// value, as libcoap's converter does); a '%' too near the end is kept.
// Works in place; returns the new length.
size_t lenient_decode_in_place(uint8_t *s, size_t n);

// Writes the segments of a path or query as options with delta 0 into
// buf (coap_split_path / coap_split_query). *buflen is the room on entry
// and the bytes used on return. Path "." segments are skipped and ".."
// removes the last option written. Malformed or oversized segments are
// skipped. Returns the number of options in buf.
int split_to_options(const uint8_t *text, size_t length, UriPart part, uint8_t *buf,
                     size_t *buflen);

// ---- percent escaping -----------------------------------------------------

// Bytes needed to write value with the characters that may not appear in
// a path segment / query item replaced by "%XX".
size_t escaped_length(const uint8_t *value, size_t n, UriPart part);
// Writes the escaped value to out (escaped_length() bytes); returns that
// count.
size_t escape(const uint8_t *value, size_t n, UriPart part, uint8_t *out);

}  // namespace coap::wire
