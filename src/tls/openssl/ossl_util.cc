#include "tls/openssl/ossl_util.h"

#include <openssl/err.h>

#include <cstring>

#include "runtime/log.h"
#include "util/memory.h"

namespace coap::tls::ossl {

namespace {

void drain(coap_log_t level, const char *what, bool always_one_line) {
  bool any = false;
  const char *data = nullptr;
  int flags = 0;
  unsigned long code;
  while ((code = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) != 0) {
    any = true;
    if (!log::enabled(level)) continue;
    char text[256];
    ERR_error_string_n(code, text, sizeof(text));
    const bool has_data = data && *data && (flags & ERR_TXT_STRING);
    log::emit(level, "%s: %s%s%s\n", what, text, has_data ? ": " : "", has_data ? data : "");
  }
  if (!any && always_one_line) COAP_LOG(level, "%s: failed\n", what);
}

}  // namespace

void log_errors(coap_log_t level, const char *what) {
  drain(level, what, true);
}

void drop_errors(const char *what) {
  drain(COAP_LOG_DEBUG, what, false);
}

int engine_slot() {
  // Function-local statics are initialised once, thread-safely.
  static const int slot = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return slot;
}

int cookie_slot() {
  static const int slot = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return slot;
}

bool OwnedBytes::assign(const uint8_t *data, size_t length) {
  if (!data) length = 0;
  auto *copy = static_cast<uint8_t *>(coap::allocate(length + 1));
  if (!copy) return false;
  if (length) std::memcpy(copy, data, length);
  copy[length] = 0;
  coap::deallocate(data_);
  data_ = copy;
  view_.s = copy;
  view_.length = length;
  set_ = true;
  return true;
}

void OwnedBytes::clear() {
  coap::deallocate(data_);
  data_ = nullptr;
  view_.s = nullptr;
  view_.length = 0;
  set_ = false;
}

}  // namespace coap::tls::ossl
