// Small helpers shared by the OpenSSL backend: error reporting, the ex-data
// slots that lead from an SSL back to our objects, and an owned byte copy.
#pragma once

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"

namespace coap::tls::ossl {

// Plain names for OpenSSL's stack types (the macro confuses formatters).
using CertStack = STACK_OF(X509);
using CrlStack = STACK_OF(X509_CRL);

// Logs every entry of OpenSSL's error queue (emptying it) at `level`,
// each prefixed with `what`; one line for `what` alone if the queue is
// empty.
void log_errors(coap_log_t level, const char *what);

// Empties OpenSSL's error queue, logging the entries at debug level.
void drop_errors(const char *what);

// SSL ex-data slot holding the owning engine (allocated once per process).
int engine_slot();
// SSL ex-data slot holding the cookie scope used by the cookie callbacks.
int cookie_slot();

// A private copy of some bytes, NUL-terminated so text users can read it
// as a C string. Distinguishes "not set" from "set but empty".
class OwnedBytes {
 public:
  OwnedBytes() = default;
  ~OwnedBytes() { clear(); }
  OwnedBytes(const OwnedBytes &) = delete;
  OwnedBytes &operator=(const OwnedBytes &) = delete;

  // False when out of memory (the old value is then kept).
  bool assign(const uint8_t *data, size_t length);
  bool assign(const coap_bin_const_t &value) { return assign(value.s, value.length); }
  void clear();

  bool is_set() const { return set_; }
  const uint8_t *data() const { return data_; }
  size_t size() const { return view_.length; }
  const char *c_str() const { return data_ ? reinterpret_cast<const char *>(data_) : ""; }
  // nullptr when not set.
  const coap_bin_const_t *bin() const { return set_ ? &view_ : nullptr; }

 private:
  uint8_t *data_ = nullptr;
  coap_bin_const_t view_ = {0, nullptr};
  bool set_ = false;
};

}  // namespace coap::tls::ossl
