// The only place that reads the system clock. The protocol core never calls
// these: it is handed `now` by the I/O loop, so tests can drive time.
#pragma once

#include <cstdint>

namespace coap::clock {

// Milliseconds on a monotonic clock, counted from the first call (or the
// last coap_clock_init()), so tick values stay small and never go back.
uint64_t ticks_ms();

// Wall-clock time in microseconds since the epoch.
uint64_t wall_us();

// Microseconds since the epoch at which tick 0 happened.
uint64_t tick_base_wall_us();

// Restarts tick counting at 0.
void reset();

}  // namespace coap::clock
