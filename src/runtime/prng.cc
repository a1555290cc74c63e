#include "runtime/prng.h"

#include <sys/random.h>

#include <atomic>
#include <cstring>
#include <mutex>

namespace coap::prng {

namespace {

// xoshiro256** state behind a mutex: cheap, good statistical quality, and
// fully determined by coap_prng_init()'s seed.
struct Generator {
  std::mutex lock;
  uint64_t s[4] = {0x9e3779b97f4a7c15u, 0xbf58476d1ce4e5b9u, 0x94d049bb133111ebu, 1};

  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t next() {
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }

  void reseed(uint64_t seed) {
    // splitmix64 spreads a small seed over the whole state.
    for (uint64_t &word : s) {
      seed += 0x9e3779b97f4a7c15u;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
      word = z ^ (z >> 31);
    }
  }
};

Generator g_gen;
std::atomic<coap_rand_func_t> g_source{nullptr};

void builtin_fill(void *buf, size_t len) {
  std::lock_guard<std::mutex> guard(g_gen.lock);
  auto *out = static_cast<uint8_t *>(buf);
  while (len) {
    uint64_t v = g_gen.next();
    size_t n = len < sizeof(v) ? len : sizeof(v);
    std::memcpy(out, &v, n);
    out += n;
    len -= n;
  }
}

}  // namespace

// Bytes from the kernel's CSPRNG: tokens and message ids must not be
// guessable (RFC 7252 section 11.4). False if the kernel cannot deliver.
bool os_fill(void *buf, size_t len) {
  auto *out = static_cast<uint8_t *>(buf);
  while (len) {
    ssize_t n = getrandom(out, len, 0);
    if (n <= 0) return false;
    out += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

bool fill(void *buf, size_t len) {
  if (len == 0) return false;
  if (coap_rand_func_t fn = g_source.load()) return fn(buf, len) != 0;
  // The seeded generator is only the fallback for systems without
  // getrandom(); this mirrors libcoap, whose seed has no effect on Linux.
  if (!os_fill(buf, len)) builtin_fill(buf, len);
  return true;
}

uint32_t next_u32() {
  uint32_t v = 0;
  fill(&v, sizeof(v));
  return v;
}

void seed(unsigned int value) {
  std::lock_guard<std::mutex> guard(g_gen.lock);
  g_gen.reseed(value);
}

void set_source(coap_rand_func_t fn) {
  g_source.store(fn);
}

void seed_from_os() {
  uint64_t v = 0;
  if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != static_cast<ssize_t>(sizeof(v))) {
    v = reinterpret_cast<uintptr_t>(&v) ^ static_cast<uint64_t>(time(nullptr));
  }
  std::lock_guard<std::mutex> guard(g_gen.lock);
  g_gen.reseed(v);
}

}  // namespace coap::prng
