#include "runtime/log.h"

#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>

#include "runtime/clock.h"

namespace coap::log {

std::atomic<int> g_level{COAP_LOG_WARN};

namespace {

std::atomic<int> g_dtls_level{COAP_LOG_EMERG};
std::atomic<coap_log_handler_t> g_handler{nullptr};
std::atomic<bool> g_show_pdu_to_stdout{true};

// Highest level a program may select; the build can lower it.
#ifdef COAP_MAX_LOGGING_LEVEL
constexpr int kMaxLevel = COAP_MAX_LOGGING_LEVEL;
#else
constexpr int kMaxLevel = COAP_LOG_OSCORE;
#endif

int clamp_level(int level) {
  // Out-of-range values (including negative ones seen as unsigned) select
  // the most verbose level, as libcoap does.
  unsigned v = static_cast<unsigned>(level);
  return v > static_cast<unsigned>(kMaxLevel) ? kMaxLevel : static_cast<int>(v);
}

// Writes "Mon DD HH:MM:SS.mmm" (local time) into buf; returns its length.
size_t timestamp(char *buf, size_t size) {
  uint64_t us = clock::wall_us();
  time_t secs = static_cast<time_t>(us / 1000000);
  struct tm tm_local;
  if (!localtime_r(&secs, &tm_local)) return 0;
  size_t n = std::strftime(buf, size, "%b %d %H:%M:%S", &tm_local);
  if (n == 0) return 0;
  int m = std::snprintf(buf + n, size - n, ".%03u", static_cast<unsigned>((us / 1000) % 1000));
  return m > 0 ? n + static_cast<size_t>(m) : n;
}

}  // namespace

void set_level(int level) {
  g_level.store(clamp_level(level), std::memory_order_relaxed);
}

coap_log_t level() {
  return static_cast<coap_log_t>(g_level.load(std::memory_order_relaxed));
}

void set_dtls_level(int level) {
  g_dtls_level.store(clamp_level(level));
}

coap_log_t dtls_level() {
  return static_cast<coap_log_t>(g_dtls_level.load());
}

void set_handler(coap_log_handler_t handler) {
  g_handler.store(handler);
}

void set_show_pdu_to_stdout(bool to_stdout) {
  g_show_pdu_to_stdout.store(to_stdout);
}

bool show_pdu_to_stdout() {
  return g_show_pdu_to_stdout.load();
}

const char *level_name(int level) {
  // 9..16 are the mixed-case names libcoap keeps for its older level values.
  static const char *const kNames[] = {"EMRG", "ALRT", "CRIT", "ERR ", "WARN", "NOTE",
                                       "INFO", "DEBG", "OSC ", "Emrg", "Alrt", "Crit",
                                       "Err ", "Warn", "Note", "Info", "Debg"};
  int v = level;
  if (v >= 0 && v < static_cast<int>(sizeof(kNames) / sizeof(kNames[0]))) return kNames[v];
  static thread_local char other[8];
  std::snprintf(other, sizeof(other), "%4d", v);
  return other;
}

// Prefix of a record on the default streams: timestamp and level name.
static FILE *begin_record(coap_log_t level) {
  FILE *out = static_cast<int>(level) <= COAP_LOG_CRIT ? stderr : stdout;
  char ts[40];
  size_t n = timestamp(ts, sizeof(ts));
  flockfile(out);  // records from several threads must not interleave
  if (n) std::fprintf(out, "%.*s ", static_cast<int>(n), ts);
  std::fprintf(out, "%s ", level_name(level));
  return out;
}

static void end_record(FILE *out) {
  funlockfile(out);
  std::fflush(out);
}

void emit_text(coap_log_t level, const char *text) {
  if (coap_log_handler_t handler = g_handler.load()) {
    handler(level, text);
    return;
  }
  FILE *out = begin_record(level);
  std::fputs(text, out);
  end_record(out);
}

void vemit(coap_log_t level, const char *format, va_list ap) {
  if (coap_log_handler_t handler = g_handler.load()) {
    // Handlers get a bounded message, as with libcoap (2055 characters).
    char message[2056];
    std::vsnprintf(message, sizeof(message), format, ap);
    handler(level, message);
    return;
  }
  FILE *out = begin_record(level);
  std::vfprintf(out, format, ap);
  end_record(out);
}

void emit(coap_log_t level, const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  vemit(level, format, ap);
  va_end(ap);
}

}  // namespace coap::log
