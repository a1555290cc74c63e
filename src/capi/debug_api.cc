// coap_debug.h: logging controls and library identification.
#include <cstdarg>
#include <cstdio>

#include "capi/c_enum.h"
#include "coap3/coap.h"
#include "runtime/log.h"
#include "runtime/packet_loss.h"
#include "util/memory.h"
#include "wire/pdu.h"
#include "wire/pdu_format.h"

extern "C" {

coap_log_t coap_get_log_level(void) {
  return coap::log::level();
}

void coap_set_log_level(coap_log_t level) {
  coap::log::set_level(coap::c_enum(level));
}

coap_log_t coap_dtls_get_log_level(void) {
  return coap::log::dtls_level();
}

void coap_dtls_set_log_level(coap_log_t level) {
  coap::log::set_dtls_level(coap::c_enum(level));
}

const char *coap_log_level_desc(coap_log_t level) {
  return coap::log::level_name(coap::c_enum(level));
}

void coap_set_log_handler(coap_log_handler_t handler) {
  coap::log::set_handler(handler);
}

void coap_set_show_pdu_output(int use_fprintf) {
  coap::log::set_show_pdu_to_stdout(use_fprintf != 0);
}

void coap_show_pdu(coap_log_t level_in, const coap_pdu_t *pdu) {
  // Compared unsigned, as libcoap does: a negative level shows nothing.
  int raw = coap::c_enum(level_in);
  if (static_cast<unsigned>(raw) > static_cast<unsigned>(coap::log::level())) return;
  coap_log_t level = static_cast<coap_log_t>(raw);
  if (!pdu) {
    LOGW("coap_show_pdu: no PDU given\n");
    return;
  }
  coap::wire::ShowFraming framing = coap::wire::show_framing(*pdu);
  if (framing != coap::wire::ShowFraming::kDatagram && pdu->type != COAP_MESSAGE_CON) {
    // Stream framings carry no type; anything but CON is a caller mistake.
    COAP_LOG(COAP_LOG_ALERT, "coap_show_pdu: %s message of type %d (not CON)\n",
             framing == coap::wire::ShowFraming::kReliable ? "reliable" : "WebSocket",
             static_cast<int>(pdu->type));
  }
  // The text is large (three bounded lines); keep it off the stack.
  auto *text = coap::create<coap::wire::PduText>();
  if (!text) return;
  coap::wire::format_pdu(*pdu, framing, text);
  bool to_stdout = coap::log::show_pdu_to_stdout();
  for (size_t i = 0; i < text->count; ++i) {
    if (to_stdout) {
      std::fputs(text->lines[i], stdout);
    } else {
      coap::log::emit_text(level, text->lines[i]);
    }
  }
  coap::destroy(text);
}

void coap_log_impl(coap_log_t level, const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  coap::log::vemit(level, format, ap);
  va_end(ap);
}

// The API level this library implements; programs compare these strings.
const char *coap_package_name(void) {
  return LIBCOAP_PACKAGE_NAME;
}

const char *coap_package_version(void) {
  return LIBCOAP_PACKAGE_STRING;
}

const char *coap_package_build(void) {
  return LIBCOAP_PACKAGE_VERSION;
}

}  // extern "C"

extern "C" int coap_debug_set_packet_loss(const char *loss_level) {
  return coap::packet_loss::configure(loss_level) ? 1 : 0;
}
