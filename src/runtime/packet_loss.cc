#include "runtime/packet_loss.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "runtime/log.h"
#include "runtime/prng.h"

namespace coap::packet_loss {

namespace {

constexpr int kMaxRanges = 10;

struct Range {
  unsigned long first, last;
};

struct Settings {
  std::mutex lock;
  unsigned percent = 0;  // used when count == 0
  Range ranges[kMaxRanges];
  int count = 0;
  unsigned long sent = 0;
};

Settings g_settings;
std::atomic<bool> g_active{false};

bool parse_number(const char *&p, unsigned long *out) {
  char *end;
  if (*p < '0' || *p > '9') return false;
  *out = std::strtoul(p, &end, 10);
  p = end;
  return true;
}

}  // namespace

bool configure(const char *spec) {
  if (!spec) return false;
  size_t len = std::strlen(spec);
  if (len && spec[len - 1] == '%') {
    const char *p = spec;
    unsigned long pct;
    if (!parse_number(p, &pct) || *p != '%' || pct > 100) {
      LOGW("coap_debug_set_packet_loss: invalid percentage '%s'\n", spec);
      return false;
    }
    std::lock_guard<std::mutex> guard(g_settings.lock);
    g_settings.percent = static_cast<unsigned>(pct);
    g_settings.count = 0;
    g_settings.sent = 0;
    g_active = pct > 0;
    return true;
  }
  Range ranges[kMaxRanges];
  int count = 0;
  const char *p = spec;
  while (*p) {
    if (count == kMaxRanges) {
      LOGW("coap_debug_set_packet_loss: at most %d packet ranges\n", kMaxRanges);
      return false;
    }
    Range r;
    if (!parse_number(p, &r.first)) {
      LOGW("coap_debug_set_packet_loss: invalid loss definition '%s'\n", spec);
      return false;
    }
    r.last = r.first;
    if (*p == '-') {
      ++p;
      if (!parse_number(p, &r.last) || r.last < r.first) {
        LOGW("coap_debug_set_packet_loss: invalid range in '%s'\n", spec);
        return false;
      }
    }
    ranges[count++] = r;
    if (*p == ',') {
      ++p;
    } else if (*p) {
      LOGW("coap_debug_set_packet_loss: invalid loss definition '%s'\n", spec);
      return false;
    }
  }
  std::lock_guard<std::mutex> guard(g_settings.lock);
  std::memcpy(g_settings.ranges, ranges, sizeof(Range) * count);
  g_settings.count = count;
  g_settings.percent = 0;
  g_settings.sent = 0;
  g_active = count > 0;
  return true;
}

bool drop_next() {
  if (!g_active.load(std::memory_order_relaxed)) return false;
  std::lock_guard<std::mutex> guard(g_settings.lock);
  unsigned long n = ++g_settings.sent;
  if (g_settings.count == 0) return prng::next_u32() % 100 < g_settings.percent;
  for (int i = 0; i < g_settings.count; ++i) {
    if (n >= g_settings.ranges[i].first && n <= g_settings.ranges[i].last) {
      LOGD("packet %lu dropped (simulated loss)\n", n);
      return true;
    }
  }
  return false;
}

}  // namespace coap::packet_loss
