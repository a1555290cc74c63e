// The library's random numbers: message ids, tokens, jitter. A program may
// install its own generator or seed the default one for repeatable runs.
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"

namespace coap::prng {

// Fills buf with random bytes from the installed generator, else the
// kernel (else the seeded fallback); false if len is 0 or it failed.
bool fill(void *buf, size_t len);
uint32_t next_u32();

// Seeds the fallback generator used when the kernel has no getrandom().
void seed(unsigned int value);
// Installs a program's generator; nullptr restores the built-in one.
void set_source(coap_rand_func_t fn);
// Seeds the built-in generator from the operating system.
void seed_from_os();

}  // namespace coap::prng
