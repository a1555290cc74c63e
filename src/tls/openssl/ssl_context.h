// SSL_CTX construction shared by clients and servers: protocol versions,
// cipher choice and the options every connection of this library uses.
#pragma once

#include <openssl/ssl.h>

#include "core/tls_engine.h"

namespace coap::tls::ossl {

// Which cipher suites a context offers.
enum class Suites {
  kAny,           // certificates or PSK
  kPskOnly,       // a PSK client: suites authenticated by the PSK alone
  kPskPreferred,  // a server with a PSK: TLS 1.3 suites that can use it first
};

// A context for DTLS 1.2 or TLS 1.2/1.3 in the given role, or nullptr
// (logged).
SSL_CTX *new_ssl_context(Kind kind, Role role, Suites suites);

// Estimated bytes a record adds around its plaintext with the cipher now
// in use; 0 before one is agreed.
size_t record_overhead(const SSL *ssl, Kind kind);

}  // namespace coap::tls::ossl
