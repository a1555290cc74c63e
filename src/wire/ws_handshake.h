// The WebSocket opening handshake for CoAP (RFC 6455 section 4, RFC 8323
// section 4.3): the client's HTTP/1.1 Upgrade request for
// "/.well-known/coap" with the "coap" subprotocol, the server's checks and
// its 101 answer (or an HTTP error), and the client's checks of that
// answer. Pure functions over text; nothing here touches a session.
#pragma once

#include <cstddef>
#include <cstdint>

namespace coap::wire {

// Bytes of a Sec-WebSocket-Key before base64 (section 4.1).
constexpr size_t kWsKeySize = 16;
// base64 of the key, and of a SHA-1 digest (the accept value), plus NUL.
constexpr size_t kWsKeyTextSize = 25;
constexpr size_t kWsAcceptTextSize = 29;
// The longest request or response head accepted (a bound on what a peer
// can make us buffer before the upgrade).
constexpr size_t kWsMaxHead = 8192;

// Length of the HTTP head at the start of p, through the empty line that
// ends it (CRLF or a bare LF), or 0 while it is incomplete.
size_t http_head_length(const uint8_t *p, size_t n);

// The Sec-WebSocket-Accept value for a key as sent (section 4.2.2: base64
// of the SHA-1 of the key text and the protocol's GUID).
void ws_accept_value(const char *key, size_t key_length, char out[kWsAcceptTextSize]);

// Value of the Host header for a host name or address and the server's
// port: IPv6 addresses in brackets, the port only when not the scheme's
// default (80 for coap+ws, 443 for coaps+ws). False when out is too small.
bool ws_host_header(const char *host, size_t host_length, uint16_t port, bool secure, char *out,
                    size_t out_size);

// The client's request. Returns its length, 0 when out is too small.
size_t ws_format_request(char *out, size_t out_size, const char *host_header,
                         const char key[kWsKeyTextSize]);

// What a server found in a request head.
struct WsRequestCheck {
  int status = 400;               // 101: a valid upgrade; else the HTTP error to answer
  const char *problem = nullptr;  // why it is refused (for the log)
  char key[kWsKeyTextSize] = {};  // the client's key (valid requests)
};
WsRequestCheck ws_check_request(const char *head, size_t length);

// The server's 101 answer for a valid request's key, or an error answer
// for status (400, 404, 405, 426, ...). Return the length, 0 if too small.
size_t ws_format_accept(char *out, size_t out_size, const char key[kWsKeyTextSize]);
size_t ws_format_refusal(char *out, size_t out_size, int status);

// What a client found in the server's answer to its key.
struct WsResponseCheck {
  bool ok = false;
  int status = 0;  // the HTTP status of the answer (0: no valid status line)
  const char *problem = nullptr;
};
WsResponseCheck ws_check_response(const char *head, size_t length, const char key[kWsKeyTextSize]);

}  // namespace coap::wire
