#include "wire/uri.h"

#include <cstring>

#include "runtime/log.h"

namespace coap::wire {

namespace {

struct SchemeInfo {
  const char *name;
  size_t name_length;
  coap_uri_scheme_t scheme;
  uint16_t default_port;
  bool proxy_only;  // only meaningful inside a Proxy-Uri
};

constexpr SchemeInfo kSchemes[] = {
    {"coap", 4, COAP_URI_SCHEME_COAP, COAP_DEFAULT_PORT, false},
    {"coaps", 5, COAP_URI_SCHEME_COAPS, COAPS_DEFAULT_PORT, false},
    {"coap+tcp", 8, COAP_URI_SCHEME_COAP_TCP, COAP_DEFAULT_PORT, false},
    {"coaps+tcp", 9, COAP_URI_SCHEME_COAPS_TCP, COAPS_DEFAULT_PORT, false},
    {"http", 4, COAP_URI_SCHEME_HTTP, 80, true},
    {"https", 5, COAP_URI_SCHEME_HTTPS, 443, true},
    {"coap+ws", 7, COAP_URI_SCHEME_COAP_WS, 80, false},
    {"coaps+ws", 8, COAP_URI_SCHEME_COAPS_WS, 443, false},
};

bool is_digit(uint8_t c) {
  return c >= '0' && c <= '9';
}

bool is_hex(uint8_t c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// IPv6 literals are taken as written: hex digits and colons only (so no
// embedded IPv4 part and no zone).
bool is_ipv6_literal_char(uint8_t c) {
  return is_hex(c) || c == ':';
}

// libcoap's hex digit converter; it never rejects anything, so the lenient
// decoder gives the same byte for non-hex input as libcoap does.
uint8_t nibble_value(uint8_t c) {
  return static_cast<uint8_t>((c & 0x0f) + ((c & 0x40) ? 9 : 0));
}

uint8_t hex_pair_value(uint8_t hi, uint8_t lo) {
  return static_cast<uint8_t>((nibble_value(hi) << 4) + nibble_value(lo));
}

const SchemeInfo *find_scheme(const uint8_t *name, size_t length) {
  for (const SchemeInfo &info : kSchemes) {
    if (info.name_length == length && std::memcmp(name, info.name, length) == 0) return &info;
  }
  return nullptr;
}

int log_length(size_t n) {
  return n > 64 ? 64 : static_cast<int>(n);
}

// Position of the first "://" in text, or length when there is none.
size_t find_scheme_end(const uint8_t *text, size_t length) {
  for (size_t i = 0; i + 3 <= length; ++i) {
    if (text[i] == ':' && text[i + 1] == '/' && text[i + 2] == '/') return i;
  }
  return length;
}

// Size of an option written by split_to_options(), read back from its
// header. Headers of values too long for the format wrapped around when
// written, and are read back the same (short) way, as libcoap does.
size_t written_option_size(const uint8_t *opt) {
  uint8_t nibble = opt[0] & 0x0f;
  if (nibble < 13) return 1u + nibble;
  if (nibble == 13) return 2u + 13u + opt[1];
  return 3u + 269u + ((static_cast<size_t>(opt[1]) << 8) | opt[2]);
}

// Path and query of a URI, from pos on. query_allowed is false right after
// the host: libcoap reads '?' there as trailing garbage ("coap://h?q" is
// refused while "coap://h/?q" and "coap://h:1?q" are not).
int split_path_and_query(const uint8_t *text, size_t length, size_t pos, bool query_allowed,
                         coap_uri_t *out) {
  if (pos < length && text[pos] == '/') {
    size_t start = ++pos;
    while (pos < length && text[pos] != '?') ++pos;
    if (pos > start) out->path = {pos - start, text + start};
    query_allowed = true;
  }
  if (pos < length && query_allowed && text[pos] == '?') {
    out->query = {length - pos - 1, text + pos + 1};
    return kUriOk;
  }
  return pos == length ? kUriOk : kUriInvalid;
}

}  // namespace

uint16_t scheme_default_port(coap_uri_scheme_t scheme) {
  for (const SchemeInfo &info : kSchemes) {
    if (info.scheme == scheme) return info.default_port;
  }
  return COAP_DEFAULT_PORT;
}

uint16_t port_implied_by_scheme(int scheme) {
  switch (scheme) {
    case COAP_URI_SCHEME_HTTP:
    case COAP_URI_SCHEME_COAP_WS:
      return 80;
    case COAP_URI_SCHEME_HTTPS:
    case COAP_URI_SCHEME_COAPS_WS:
      return 443;
    default:
      return (scheme & COAP_URI_SCHEME_SECURE_MASK) ? COAPS_DEFAULT_PORT : COAP_DEFAULT_PORT;
  }
}

int split_uri(const uint8_t *text, size_t length, UriKind kind, uint32_t usable_schemes,
              coap_uri_t *out) {
  if (!out || !text || length == 0) return kUriInvalid;
  std::memset(out, 0, sizeof(*out));
  out->port = COAP_DEFAULT_PORT;

  // A bare absolute path: no scheme, host or port.
  if (text[0] == '/') {
    if (kind == UriKind::kProxy) {
      LOGD("Proxy-Uri \"%.*s\" has no scheme and host\n", log_length(length), text);
      return kUriInvalid;
    }
    return split_path_and_query(text, length, 0, true, out);
  }

  size_t scheme_end = find_scheme_end(text, length);
  if (scheme_end == length) return kUriNoScheme;
  const SchemeInfo *info = find_scheme(text, scheme_end);
  if (!info) {
    LOGE("URI scheme \"%.*s\" is not known\n", log_length(scheme_end), text);
    return kUriInvalid;
  }
  if (info->proxy_only && kind != UriKind::kProxy) {
    LOGE("URI scheme %s is only accepted in a Proxy-Uri\n", info->name);
    return kUriInvalid;
  }
  out->scheme = info->scheme;
  out->port = info->default_port;
  if (!(usable_schemes & (1u << info->scheme))) {
    LOGE("URI scheme %s is not available in this build\n", info->name);
    return kUriInvalid;
  }

  size_t pos = scheme_end + 3;
  bool unix_host = false;
  if (pos < length && text[pos] == '[') {
    size_t start = ++pos;
    while (pos < length && text[pos] != ']') {
      if (!is_ipv6_literal_char(text[pos])) return kUriBadHost;
      ++pos;
    }
    if (pos == length || pos == start) return kUriBadHost;
    out->host = {pos - start, text + start};
    ++pos;  // the ']'
  } else {
    // A Unix-domain socket path has no port; "%2F" is its encoded '/'.
    if (length - pos >= 3 && text[pos] == '%' && text[pos + 1] == '2' &&
        (text[pos + 2] == 'F' || text[pos + 2] == 'f')) {
      out->port = 0;
      unix_host = true;
    }
    size_t start = pos;
    while (pos < length && text[pos] != ':' && text[pos] != '/' && text[pos] != '?') ++pos;
    if (pos == start) return kUriBadHost;
    if (pos - start > kMaxHostLength) {
      LOGW("URI host is %zu bytes long; at most %zu are allowed\n", pos - start, kMaxHostLength);
      return kUriHostTooLong;
    }
    out->host = {pos - start, text + start};
  }

  bool after_port = false;
  if (pos < length && text[pos] == ':') {
    if (unix_host) return kUriUnixPort;
    size_t start = ++pos;
    while (pos < length && is_digit(text[pos])) ++pos;
    if (pos > start) {
      // Stop accumulating once too big so long digit strings cannot wrap.
      uint32_t port = 0;
      for (size_t i = start; i < pos && port <= 0xffff; ++i) port = port * 10 + (text[i] - '0');
      if (port > 0xffff) {
        LOGW("URI port %.*s is above 65535\n", log_length(pos - start), text + start);
        return kUriBadPort;
      }
      out->port = static_cast<uint16_t>(port);
    }
    after_port = true;
  }
  return split_path_and_query(text, length, pos, after_port, out);
}

bool is_dot_segment(const uint8_t *s, size_t n) {
  return n == 1 && s[0] == '.';
}

bool is_dot_dot_segment(const uint8_t *s, size_t n) {
  return n == 2 && s[0] == '.' && s[1] == '.';
}

bool strict_decoded_length(const uint8_t *s, size_t n, size_t *decoded) {
  size_t count = 0;
  for (size_t i = 0; i < n; ++count) {
    if (s[i] == '%') {
      if (n - i < 3 || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
      i += 3;
    } else {
      ++i;
    }
  }
  *decoded = count;
  return true;
}

void strict_decode(const uint8_t *s, size_t n, uint8_t *out) {
  for (size_t i = 0; i < n;) {
    if (s[i] == '%' && n - i >= 3) {
      *out++ = hex_pair_value(s[i + 1], s[i + 2]);
      i += 3;
    } else {
      *out++ = s[i++];
    }
  }
}

size_t lenient_decode_in_place(uint8_t *s, size_t n) {
  size_t w = 0;
  for (size_t r = 0; r < n;) {
    if (s[r] == '%' && n - r >= 3) {
      s[w++] = hex_pair_value(s[r + 1], s[r + 2]);
      r += 3;
    } else {
      s[w++] = s[r++];
    }
  }
  return w;
}

int split_to_options(const uint8_t *text, size_t length, UriPart part, uint8_t *buf,
                     size_t *buflen) {
  const size_t room = *buflen;
  size_t used = 0;
  int count = 0;

  auto back_up = [&]() {
    if (count == 0) return;
    --count;
    size_t pos = 0;
    for (int i = 0; i < count && pos < used; ++i) pos += written_option_size(buf + pos);
    used = pos < used ? pos : used;
  };

  for_each_segment(text, length, part, [&](const uint8_t *s, size_t n) {
    size_t decoded;
    if (!strict_decoded_length(s, n, &decoded)) {
      LOGD("skipping URI segment with a malformed %%-escape\n");
      return;
    }
    if (part == UriPart::kPath && decoded <= 2) {
      uint8_t small[2];
      strict_decode(s, n, small);
      if (is_dot_segment(small, decoded)) return;
      if (is_dot_dot_segment(small, decoded)) {
        back_up();
        return;
      }
    }
    size_t avail = room - used;
    if (avail == 0) {
      LOGD("no room left for URI segment options\n");
      return;
    }
    // The header goes in first, byte by byte, and stays even when the value
    // then does not fit (callers of libcoap can see those bytes too). Values
    // above 65804 bytes wrap, as in libcoap.
    uint8_t *p = buf + used;
    size_t header;
    p[0] = 0;
    if (decoded < 13) {
      p[0] = static_cast<uint8_t>(decoded);
      header = 1;
    } else if (decoded < 269) {
      if (avail < 2) return;
      p[0] = 13;
      p[1] = static_cast<uint8_t>(decoded - 13);
      header = 2;
    } else {
      if (avail < 3) return;
      p[0] = 14;
      p[1] = static_cast<uint8_t>((decoded - 269) >> 8);
      p[2] = static_cast<uint8_t>(decoded - 269);
      header = 3;
    }
    if (avail - header < decoded) {
      LOGD("URI segment of %zu bytes does not fit\n", decoded);
      return;
    }
    strict_decode(s, n, p + header);
    used += header + decoded;
    ++count;
  });

  *buflen = used;
  return count;
}

namespace {

// RFC 3986 unreserved and sub-delims, plus ':' and '@' (RFC 7252 6.5); a
// query item may also hold '/' and '?'.
bool needs_escape(uint8_t c, UriPart part) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c)) return false;
  switch (c) {
    case '-':
    case '.':
    case '_':
    case '~':
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
    case ':':
    case '@':
      return false;
    case '/':
    case '?':
      return part == UriPart::kPath;
    default:
      return true;
  }
}

}  // namespace

size_t escaped_length(const uint8_t *value, size_t n, UriPart part) {
  size_t total = 0;
  for (size_t i = 0; i < n; ++i) total += needs_escape(value[i], part) ? 3 : 1;
  return total;
}

size_t escape(const uint8_t *value, size_t n, UriPart part, uint8_t *out) {
  static const char kHex[] = "0123456789ABCDEF";
  uint8_t *start = out;
  for (size_t i = 0; i < n; ++i) {
    uint8_t c = value[i];
    if (needs_escape(c, part)) {
      *out++ = '%';
      *out++ = static_cast<uint8_t>(kHex[c >> 4]);
      *out++ = static_cast<uint8_t>(kHex[c & 0x0f]);
    } else {
      *out++ = c;
    }
  }
  return static_cast<size_t>(out - start);
}

}  // namespace coap::wire
