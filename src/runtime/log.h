// Process-wide logging: the level filter, the optional application
// handler, and the default output format shared with coap_show_pdu().
#pragma once

#include <atomic>
#include <cstdarg>
#include <cstddef>

#include "coap3/coap.h"

namespace coap::log {

// Current level, read on every log call; kept here so the check is inline.
extern std::atomic<int> g_level;

inline bool enabled(coap_log_t level) {
  return static_cast<int>(level) <= g_level.load(std::memory_order_relaxed);
}

void set_level(int level);  // out-of-range values select the most verbose
coap_log_t level();
void set_dtls_level(int level);
coap_log_t dtls_level();
void set_handler(coap_log_handler_t handler);

// Where coap_show_pdu() writes: true (the default) for plain stdout, false
// for log records through emit_text().
void set_show_pdu_to_stdout(bool to_stdout);
bool show_pdu_to_stdout();

// Formats and emits one message at @p level, without checking the level.
void emit(coap_log_t level, const char *format, ...) __attribute__((format(printf, 2, 3)));
void vemit(coap_log_t level, const char *format, va_list ap);

// Four-character name of a level ("WARN", "DEBG", ...).
const char *level_name(int level);

// Writes @p text as one record: to the handler if one is set, else to
// stderr (levels up to CRIT) or stdout with a timestamp prefix.
void emit_text(coap_log_t level, const char *text);

}  // namespace coap::log

// Logging from inside the library: arguments are not evaluated unless the
// level is enabled.
#define COAP_LOG(level, ...)                                                \
  do {                                                                      \
    if (::coap::log::enabled(level)) ::coap::log::emit(level, __VA_ARGS__); \
  } while (0)
#define LOGE(...) COAP_LOG(COAP_LOG_ERR, __VA_ARGS__)
#define LOGW(...) COAP_LOG(COAP_LOG_WARN, __VA_ARGS__)
#define LOGN(...) COAP_LOG(COAP_LOG_NOTICE, __VA_ARGS__)
#define LOGI(...) COAP_LOG(COAP_LOG_INFO, __VA_ARGS__)
#define LOGD(...) COAP_LOG(COAP_LOG_DEBUG, __VA_ARGS__)
