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
  // Back one second so tick 0 is never produced by a real reading; some
  // callers use 0 as "no time set".
  mono -= 1000000u;
  wall -= 1000000u;
  g_wall_base.store(wall, std::memory_order_relaxed);
  g_mono_base.compare_exchange_strong(expected, mono, std::memory_order_acq_rel);
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
