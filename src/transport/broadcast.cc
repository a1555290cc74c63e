#include "transport/broadcast.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <cstdint>
#include <mutex>

#include "runtime/clock.h"
#include "runtime/log.h"
#include "wire/address.h"

namespace coap::transport {
namespace {

constexpr uint64_t kRefreshMs = 30 * 1000;
constexpr int kMaxInterfaces = 16;

// Broadcast addresses of the local interfaces. Asking the kernel on every
// received datagram would be costly, so the list is cached process-wide;
// the mutex makes that safe from any thread.
struct BroadcastCache {
  std::mutex lock;
  bool loaded = false;
  uint64_t loaded_at_ms = 0;
  int count = 0;
  uint32_t addrs[kMaxInterfaces] = {};  // network byte order
};

BroadcastCache g_cache;

// Rebuilds the list; false (and an empty list) when the interfaces cannot
// be read.
bool reload(BroadcastCache &cache, uint64_t now_ms) {
  ifaddrs *list = nullptr;
  if (getifaddrs(&list) != 0) {
    LOGW("cannot list the network interfaces, so no broadcast address is known\n");
    return false;
  }
  cache.loaded = true;
  cache.loaded_at_ms = now_ms;
  cache.count = 0;
  const ifaddrs *ifa = list;
  for (; ifa && cache.count < kMaxInterfaces; ifa = ifa->ifa_next) {
    if (!ifa->ifa_addr || ifa->ifa_addr->sa_family != AF_INET || !ifa->ifa_netmask ||
        !(ifa->ifa_flags & IFF_BROADCAST)) {
      continue;
    }
    // ifa_broadaddr is not trusted (some systems report the host address
    // there): the broadcast address is worked out from address and mask.
    uint32_t mask = reinterpret_cast<const sockaddr_in *>(ifa->ifa_netmask)->sin_addr.s_addr;
    if (mask == 0xffffffffu) continue;  // a host route has no broadcast address
    uint32_t host = reinterpret_cast<const sockaddr_in *>(ifa->ifa_addr)->sin_addr.s_addr;
    cache.addrs[cache.count++] = host | ~mask;
  }
  if (ifa) LOGW("only the first %d interface broadcast addresses are checked\n", kMaxInterfaces);
  freeifaddrs(list);
  return true;
}

}  // namespace

bool address_is_broadcast(const coap_address_t &addr) {
  uint32_t ipv4;
  if (!wire::address_ipv4(addr, &ipv4)) return false;
  if (ipv4 == htonl(INADDR_BROADCAST)) return true;

  std::lock_guard<std::mutex> guard(g_cache.lock);
  uint64_t now = clock::ticks_ms();
  if (!g_cache.loaded || now - g_cache.loaded_at_ms > kRefreshMs) {
    if (!reload(g_cache, now)) return false;
  }
  for (int i = 0; i < g_cache.count; ++i) {
    if (g_cache.addrs[i] == ipv4) return true;
  }
  return false;
}

}  // namespace coap::transport
