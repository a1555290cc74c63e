#include "runtime/clock.h"

#include <time.h>

#include <atomic>

namespace coap::clock {

namespace {

uint64_t read_us(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

// Pairs of readings taken together; 0 means "not started yet".
std::atomic<uint64_t> g_mono_base{0};
std::atomic<uint64_t> g_wall_base{0};

void start_if_needed() {
  if (g_mono_base.load(std::memory_order_acquire) != 0) return;
  uint64_t expected = 0;
  uint64_t mono = read_us(CLOCK_MONOTONIC);
  uint64_t wall = read_us(CLOCK_REALTIME);
  // Tick 0 lies on a whole wall-clock second, at least one second back:
  // tick values then change second at the same moments as
  // coap_ticks_to_rt() does (applications compare the two), and no real
  // reading is ever 0, which some callers use as "no time set".
  uint64_t back = wall % 1000000u + 1000000u;
  g_wall_base.store(wall - back, std::memory_order_relaxed);
  g_mono_base.compare_exchange_strong(expected, mono - back, std::memory_order_acq_rel);
}

}  // namespace

uint64_t ticks_ms() {
  start_if_needed();
  return (read_us(CLOCK_MONOTONIC) - g_mono_base.load(std::memory_order_acquire)) / 1000u;
}

uint64_t wall_us() {
  return read_us(CLOCK_REALTIME);
}

uint64_t tick_base_wall_us() {
  start_if_needed();
  return g_wall_base.load(std::memory_order_relaxed);
}

void reset() {
  g_mono_base.store(0, std::memory_order_release);
  start_if_needed();
}

}  // namespace coap::clock
