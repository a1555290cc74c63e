// coap_time.h, coap_prng.h and coap_mem.h: clock, random numbers and the
// library's allocator as seen by programs.
#include "coap3/coap.h"
#include "runtime/clock.h"
#include "runtime/prng.h"
#include "util/memory.h"

extern "C" {

void coap_clock_init(void) {
  coap::clock::reset();
}

void coap_ticks(coap_tick_t *t) {
  if (t) *t = coap::clock::ticks_ms();
}

coap_time_t coap_ticks_to_rt(coap_tick_t t) {
  return static_cast<coap_time_t>(coap_ticks_to_rt_us(t) / 1000000u);
}

uint64_t coap_ticks_to_rt_us(coap_tick_t t) {
  return coap::clock::tick_base_wall_us() + t * 1000u;
}

coap_tick_t coap_ticks_from_rt_us(uint64_t t) {
  uint64_t base = coap::clock::tick_base_wall_us();
  return t > base ? (t - base) / 1000u : 0;
}

void coap_set_prng(coap_rand_func_t rng) {
  coap::prng::set_source(rng);
}

void coap_prng_init(unsigned int seed) {
  coap::prng::seed(seed);
}

int coap_prng(void *buf, size_t len) {
  return buf && coap::prng::fill(buf, len) ? 1 : 0;
}

// The heap needs no set-up on POSIX systems.
void coap_memory_init(void) {}

void *coap_malloc_type(coap_memory_tag_t type, size_t size) {
  (void)type;
  return coap::allocate(size);
}

void *coap_realloc_type(coap_memory_tag_t type, void *p, size_t size) {
  (void)type;
  if (size == 0) {
    coap::deallocate(p);
    return nullptr;
  }
  return coap::reallocate(p, size);
}

void coap_free_type(coap_memory_tag_t type, void *p) {
  (void)type;
  coap::deallocate(p);
}

// Per-type counts are only kept by libcoap builds made with
// COAP_MEMORY_TYPE_TRACK; like Debian's builds, this library keeps none and
// so has nothing to report.
void coap_dump_memory_type_counts(coap_log_t level) {
  (void)level;
}

}  // extern "C"
