// coap_debug.h: logging controls and library identification.
#include <cstdarg>

#include "coap3/coap.h"
#include "runtime/log.h"

extern "C" {

coap_log_t coap_get_log_level(void) { return coap::log::level(); }

void coap_set_log_level(coap_log_t level) { coap::log::set_level(level); }

coap_log_t coap_dtls_get_log_level(void) { return coap::log::dtls_level(); }

void coap_dtls_set_log_level(coap_log_t level) { coap::log::set_dtls_level(level); }

const char *coap_log_level_desc(coap_log_t level) { return coap::log::level_name(level); }

void coap_set_log_handler(coap_log_handler_t handler) { coap::log::set_handler(handler); }

void coap_log_impl(coap_log_t level, const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  coap::log::vemit(level, format, ap);
  va_end(ap);
}

// The API level this library implements; programs compare these strings.
const char *coap_package_name(void) { return LIBCOAP_PACKAGE_NAME; }

const char *coap_package_version(void) { return LIBCOAP_PACKAGE_STRING; }

const char *coap_package_build(void) { return LIBCOAP_PACKAGE_VERSION; }

}  // extern "C"
