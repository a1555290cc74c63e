// The response cache of coap_cache.h: keys digested from the cacheable
// parts of a request (RFC 7252 section 5.6, RFC 7641 section 2, RFC 8132
// section 2) and entries an application hangs its own data on. Entries
// live in their context, may expire after an idle time, and go away with
// the session they were created on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "coap3/coap.h"
#include "core/key_digest.h"
#include "util/intrusive_list.h"
#include "util/memory.h"
#include "util/timer_queue.h"

// The digest alone: applications compare and copy these bytes, so the
// layout is the 32-byte array libcoap uses.
struct coap_cache_key_t {
  uint8_t key[coap::KeyDigest::kSize];

  bool operator==(const coap_cache_key_t &o) const;
};

struct coap_cache_entry_t {
  coap_context_t *context = nullptr;
  coap_session_t *session = nullptr;  // made on it; removed when it goes
  coap_cache_key_t key{};
  coap_pdu_t *pdu = nullptr;  // copy of the PDU, when recorded
  void *app_data = nullptr;
  coap_cache_app_data_free_callback_t app_free = nullptr;
  unsigned idle_timeout = 0;  // seconds without a lookup; 0: never expires
  coap::Timer expiry;
  coap::ListHook link;                  // in the context's list of entries
  coap_cache_entry_t *older = nullptr;  // an earlier entry with the same key
};

namespace coap {

struct CacheKeyHash {
  size_t operator()(const coap_cache_key_t &k) const;
};

using CacheEntryList = IntrusiveList<coap_cache_entry_t, &coap_cache_entry_t::link>;

// Per-context cache state.
struct CacheStore {
  CacheEntryList entries;
  // Newest entry for each key; older ones with the same key hang off it.
  std::unordered_map<coap_cache_key_t, coap_cache_entry_t *, CacheKeyHash,
                     std::equal_to<coap_cache_key_t>,
                     Allocator<std::pair<const coap_cache_key_t, coap_cache_entry_t *>>>
      newest;
  std::vector<uint16_t, Allocator<uint16_t>> ignored;  // coap_cache_ignore_options()
};

// Digests pdu's cache key into *out: every option except Observe,
// NoCacheKey options and `ignore`, the payload of a FETCH, and the session
// (as a pointer value) when session_based. False when pdu has nothing to
// iterate (no options or payload), as libcoap fails then too.
bool derive_cache_key(const coap_session_t *session, const coap_pdu_t *pdu, bool session_based,
                      const uint16_t *ignore, size_t ignore_count, coap_cache_key_t *out);

// Replaces the context's list of options left out of keys.
bool set_cache_ignore(coap_context_t *context, const uint16_t *options, size_t count);

coap_cache_entry_t *new_cache_entry(coap_session_t *session, const coap_pdu_t *pdu, bool record_pdu,
                                    bool session_based, unsigned idle_timeout, uint64_t now);
// Finds the newest entry with this key; a hit restarts its idle time.
coap_cache_entry_t *find_cache_entry(coap_context_t *context, const coap_cache_key_t &key,
                                     uint64_t now);
// Frees the entry, handing its application data to the free callback.
void delete_cache_entry(coap_cache_entry_t *entry);

// Removes the entries made on a session that is being freed.
void drop_session_cache(coap_session_t *session);
// Frees every entry and the options list (context teardown).
void clear_cache(coap_context_t *context);

}  // namespace coap
