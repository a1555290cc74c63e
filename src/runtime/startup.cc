// Process start-up and shutdown: the few pieces of global state the C API
// requires (clock origin, random generator) are prepared here.
#include <atomic>

#include "coap3/coap.h"
#include "runtime/clock.h"
#include "runtime/prng.h"

namespace {
std::atomic<bool> g_started{false};
}

extern "C" {

void coap_startup(void) {
  bool expected = false;
  if (!g_started.compare_exchange_strong(expected, true)) return;
  coap::clock::ticks_ms();  // fixes the tick origin
  coap::prng::seed_from_os();
}

void coap_cleanup(void) {
  g_started.store(false);
}

}  // extern "C"
