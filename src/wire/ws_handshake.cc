#include "wire/ws_handshake.h"

#include <cstdio>
#include <cstring>

#include "util/base64.h"
#include "util/sha1.h"

namespace coap::wire {

namespace {

// The protocol's fixed GUID (RFC 6455 section 1.3).
constexpr char kGuid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

struct Text {
  const char *p = nullptr;
  size_t n = 0;
};

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equal_nocase(Text t, const char *s) {
  size_t n = std::strlen(s);
  if (t.n != n) return false;
  for (size_t i = 0; i < n; ++i) {
    if (lower(t.p[i]) != lower(s[i])) return false;
  }
  return true;
}

bool equal(Text t, const char *s) {
  return t.n == std::strlen(s) && std::memcmp(t.p, s, t.n) == 0;
}

bool is_ows(char c) {
  return c == ' ' || c == '\t';
}

Text trim(Text t) {
  while (t.n > 0 && is_ows(t.p[0])) ++t.p, --t.n;
  while (t.n > 0 && is_ows(t.p[t.n - 1])) --t.n;
  return t;
}

// RFC 7230 section 3.2.6: the characters of a header name.
bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

// A comma-separated list value (RFC 7230 section 7) holding `token`.
bool list_has(Text value, const char *token) {
  size_t start = 0;
  for (size_t i = 0; i <= value.n; ++i) {
    if (i == value.n || value.p[i] == ',') {
      Text item = trim(Text{value.p + start, i - start});
      if (equal_nocase(item, token)) return true;
      start = i + 1;
    }
  }
  return false;
}

// Walks the lines of an HTTP head (CRLF or bare LF), without the empty
// line that ends it.
class Lines {
 public:
  Lines(const char *head, size_t length) : p_(head), end_(head + length) {}
  bool next(Text *line) {
    if (p_ >= end_) return false;
    const char *nl = static_cast<const char *>(std::memchr(p_, '\n', end_ - p_));
    const char *stop = nl ? nl : end_;
    line->p = p_;
    line->n = static_cast<size_t>(stop - p_);
    if (line->n > 0 && line->p[line->n - 1] == '\r') --line->n;
    p_ = nl ? nl + 1 : end_;
    return line->n > 0;  // the empty line ends the head
  }

 private:
  const char *p_;
  const char *end_;
};

// Splits "Name: value"; false for a malformed header line (no colon, an
// empty or invalid name, whitespace before the colon, a folded line).
bool split_header(Text line, Text *name, Text *value) {
  const char *colon = static_cast<const char *>(std::memchr(line.p, ':', line.n));
  if (!colon || colon == line.p) return false;
  name->p = line.p;
  name->n = static_cast<size_t>(colon - line.p);
  for (size_t i = 0; i < name->n; ++i) {
    if (!is_tchar(name->p[i])) return false;
  }
  *value = trim(Text{colon + 1, line.n - name->n - 1});
  return true;
}

// Splits a start line into three parts at single spaces (the third may
// contain spaces: a status line's reason phrase).
bool split_start(Text line, Text parts[3]) {
  const char *sp1 = static_cast<const char *>(std::memchr(line.p, ' ', line.n));
  if (!sp1) return false;
  size_t rest = line.n - static_cast<size_t>(sp1 + 1 - line.p);
  const char *sp2 = static_cast<const char *>(std::memchr(sp1 + 1, ' ', rest));
  parts[0] = Text{line.p, static_cast<size_t>(sp1 - line.p)};
  if (sp2) {
    parts[1] = Text{sp1 + 1, static_cast<size_t>(sp2 - sp1 - 1)};
    parts[2] = Text{sp2 + 1, line.n - static_cast<size_t>(sp2 + 1 - line.p)};
  } else {
    parts[1] = Text{sp1 + 1, rest};
    parts[2] = Text{};
  }
  return parts[0].n > 0 && parts[1].n > 0;
}

const char *reason_phrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 426:
      return "Upgrade Required";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    default:
      return "Error";
  }
}

}  // namespace

size_t http_head_length(const uint8_t *p, size_t n) {
  // The head ends at the first empty line: "\n\r\n" or "\n\n" (the
  // request line itself is never empty).
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != '\n') continue;
    if (i + 1 < n && p[i + 1] == '\n') return i + 2;
    if (i + 2 < n && p[i + 1] == '\r' && p[i + 2] == '\n') return i + 3;
  }
  return 0;
}

void ws_accept_value(const char *key, size_t key_length, char out[kWsAcceptTextSize]) {
  Sha1 h;
  h.update(reinterpret_cast<const uint8_t *>(key), key_length);
  h.update(reinterpret_cast<const uint8_t *>(kGuid), sizeof(kGuid) - 1);
  uint8_t digest[kSha1Size];
  h.finish(digest);
  base64_encode(digest, sizeof(digest), out);
}

bool ws_host_header(const char *host, size_t host_length, uint16_t port, bool secure, char *out,
                    size_t out_size) {
  // An IPv6 address (it has colons) goes in brackets, unless it is already.
  bool bracket =
      std::memchr(host, ':', host_length) != nullptr && host_length > 0 && host[0] != '[';
  bool default_port = port == (secure ? 443 : 80);
  int n;
  if (default_port) {
    n = std::snprintf(out, out_size, bracket ? "[%.*s]" : "%.*s", static_cast<int>(host_length),
                      host);
  } else {
    n = std::snprintf(out, out_size, bracket ? "[%.*s]:%u" : "%.*s:%u",
                      static_cast<int>(host_length), host, static_cast<unsigned>(port));
  }
  return n > 0 && static_cast<size_t>(n) < out_size;
}

size_t ws_format_request(char *out, size_t out_size, const char *host_header,
                         const char key[kWsKeyTextSize]) {
  int n = std::snprintf(out, out_size,
                        "GET /.well-known/coap HTTP/1.1\r\n"
                        "Host: %s\r\n"
                        "Upgrade: websocket\r\n"
                        "Connection: Upgrade\r\n"
                        "Sec-WebSocket-Key: %s\r\n"
                        "Sec-WebSocket-Protocol: coap\r\n"
                        "Sec-WebSocket-Version: 13\r\n"
                        "\r\n",
                        host_header, key);
  return n > 0 && static_cast<size_t>(n) < out_size ? static_cast<size_t>(n) : 0;
}

WsRequestCheck ws_check_request(const char *head, size_t length) {
  WsRequestCheck check;
  Lines lines(head, length);
  Text line;
  Text start[3];
  if (!lines.next(&line) || !split_start(line, start) || start[2].n == 0) {
    check.problem = "not an HTTP request";
    return check;
  }
  if (!equal(start[2], "HTTP/1.1")) {
    check.problem = "not an HTTP/1.1 request";
    return check;
  }
  int hosts = 0, keys = 0, versions = 0;
  bool upgrade = false, connection = false, coap = false, version_ok = false;
  Text key;
  while (lines.next(&line)) {
    Text name, value;
    if (is_ows(line.p[0]) || !split_header(line, &name, &value)) {
      check.problem = "malformed header line";
      return check;
    }
    if (equal_nocase(name, "Host")) {
      ++hosts;
    } else if (equal_nocase(name, "Upgrade")) {
      upgrade = upgrade || list_has(value, "websocket");
    } else if (equal_nocase(name, "Connection")) {
      connection = connection || list_has(value, "Upgrade");
    } else if (equal_nocase(name, "Sec-WebSocket-Key")) {
      ++keys;
      key = value;
    } else if (equal_nocase(name, "Sec-WebSocket-Version")) {
      ++versions;
      version_ok = equal(value, "13");
    } else if (equal_nocase(name, "Sec-WebSocket-Protocol")) {
      coap = coap || list_has(value, "coap");
    }
    // Anything else (Origin, Sec-WebSocket-Extensions, ...) is ignored:
    // no extension is agreed to.
  }
  // Section 4.2.1 in order; the method and resource first.
  if (!equal(start[0], "GET")) {
    check.status = 405;
    check.problem = "not a GET request";
    return check;
  }
  if (!equal_nocase(start[1], "/.well-known/coap")) {
    check.status = 404;
    check.problem = "not a request for /.well-known/coap";
    return check;
  }
  if (hosts != 1) {
    check.problem = hosts ? "more than one Host header" : "no Host header";
  } else if (!upgrade) {
    check.problem = "no Upgrade: websocket";
  } else if (!connection) {
    check.problem = "no Connection: Upgrade";
  } else if (keys != 1) {
    check.problem = keys ? "more than one Sec-WebSocket-Key" : "no Sec-WebSocket-Key";
  } else if (versions != 1 || !version_ok) {
    // Section 4.4: the versions this server speaks go with a 426.
    check.status = 426;
    check.problem = "not WebSocket version 13";
  } else if (!coap) {
    // RFC 8323 section 4.3: the "coap" subprotocol is required.
    check.problem = "the client did not offer the coap subprotocol";
  } else {
    uint8_t raw[kWsKeySize + 3];
    if (key.n != kWsKeyTextSize - 1 ||
        base64_decode(key.p, key.n, raw, sizeof(raw)) != static_cast<long>(kWsKeySize)) {
      check.problem = "Sec-WebSocket-Key is not 16 bytes in base64";
      return check;
    }
    std::memcpy(check.key, key.p, key.n);
    check.key[key.n] = '\0';
    check.status = 101;
  }
  return check;
}

size_t ws_format_accept(char *out, size_t out_size, const char key[kWsKeyTextSize]) {
  char accept[kWsAcceptTextSize];
  ws_accept_value(key, std::strlen(key), accept);
  int n = std::snprintf(out, out_size,
                        "HTTP/1.1 101 Switching Protocols\r\n"
                        "Upgrade: websocket\r\n"
                        "Connection: Upgrade\r\n"
                        "Sec-WebSocket-Accept: %s\r\n"
                        "Sec-WebSocket-Protocol: coap\r\n"
                        "\r\n",
                        accept);
  return n > 0 && static_cast<size_t>(n) < out_size ? static_cast<size_t>(n) : 0;
}

size_t ws_format_refusal(char *out, size_t out_size, int status) {
  // The connection closes after the answer; a 405 names the method that
  // works, a 426 the protocol version (RFC 6455 section 4.4).
  const char *extra = status == 405   ? "Allow: GET\r\n"
                      : status == 426 ? "Sec-WebSocket-Version: 13\r\n"
                                      : "";
  int n = std::snprintf(out, out_size,
                        "HTTP/1.1 %d %s\r\n"
                        "%s"
                        "Connection: close\r\n"
                        "Content-Length: 0\r\n"
                        "\r\n",
                        status, reason_phrase(status), extra);
  return n > 0 && static_cast<size_t>(n) < out_size ? static_cast<size_t>(n) : 0;
}

WsResponseCheck ws_check_response(const char *head, size_t length, const char key[kWsKeyTextSize]) {
  WsResponseCheck check;
  Lines lines(head, length);
  Text line;
  Text start[3];
  if (!lines.next(&line) || !split_start(line, start) || !equal(start[0], "HTTP/1.1") ||
      start[1].n != 3) {
    check.problem = "not an HTTP/1.1 response";
    return check;
  }
  for (size_t i = 0; i < 3; ++i) {
    if (start[1].p[i] < '0' || start[1].p[i] > '9') {
      check.problem = "not an HTTP/1.1 response";
      return check;
    }
    check.status = check.status * 10 + (start[1].p[i] - '0');
  }
  if (check.status != 101) {
    check.problem = "the server refused the upgrade";
    return check;
  }
  char expected[kWsAcceptTextSize];
  ws_accept_value(key, std::strlen(key), expected);
  int accepts = 0, protocols = 0;
  bool upgrade = false, connection = false, accept_ok = false, coap = false, extensions = false;
  while (lines.next(&line)) {
    Text name, value;
    if (is_ows(line.p[0]) || !split_header(line, &name, &value)) {
      check.problem = "malformed header line";
      return check;
    }
    if (equal_nocase(name, "Upgrade")) {
      upgrade = upgrade || list_has(value, "websocket");
    } else if (equal_nocase(name, "Connection")) {
      connection = connection || list_has(value, "Upgrade");
    } else if (equal_nocase(name, "Sec-WebSocket-Accept")) {
      ++accepts;
      accept_ok = equal(value, expected);
    } else if (equal_nocase(name, "Sec-WebSocket-Protocol")) {
      ++protocols;
      coap = equal_nocase(value, "coap");
    } else if (equal_nocase(name, "Sec-WebSocket-Extensions")) {
      extensions = true;
    }
  }
  // Section 4.1, the client's checks of the server's handshake.
  if (!upgrade) {
    check.problem = "no Upgrade: websocket";
  } else if (!connection) {
    check.problem = "no Connection: Upgrade";
  } else if (accepts != 1 || !accept_ok) {
    check.problem = "wrong Sec-WebSocket-Accept";
  } else if (protocols != 1 || !coap) {
    check.problem = "the server did not agree to the coap subprotocol";
  } else if (extensions) {
    check.problem = "the server named an extension that was not offered";
  } else {
    check.ok = true;
  }
  return check;
}

}  // namespace coap::wire
