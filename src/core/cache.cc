#include "core/cache.h"

#include <cstring>

#include "core/context.h"
#include "core/pdu_copy.h"
#include "runtime/log.h"
#include "wire/pdu.h"

bool coap_cache_key_t::operator==(const coap_cache_key_t &o) const {
  return std::memcmp(key, o.key, sizeof(key)) == 0;
}

namespace coap {

size_t CacheKeyHash::operator()(const coap_cache_key_t &k) const {
  // FNV-1a over all bytes: the digest without (D)TLS leaves whole lanes
  // equal between keys, so no single part is spread well enough.
  uint64_t h = 1469598103934665603ull;
  for (uint8_t b : k.key) h = (h ^ b) * 1099511628211ull;
  return static_cast<size_t>(h);
}

namespace {

// RFC 7252 section 5.4.6: NoCacheKey options have bits 1-4 set to 1110.
bool is_no_cache_key(uint16_t number) {
  return (number & 0x1e) == 0x1c;
}

bool part_of_key(uint16_t number, const uint16_t *ignore, size_t ignore_count) {
  // RFC 7641 section 2: Observe is not part of the cache key.
  if (is_no_cache_key(number) || number == COAP_OPTION_OBSERVE) return false;
  for (size_t i = 0; i < ignore_count; ++i) {
    if (ignore[i] == number) return false;
  }
  return true;
}

void on_expiry(Timer *t, uint64_t now) {
  (void)now;
  coap_cache_entry_t *e = container_of(t, &coap_cache_entry_t::expiry);
  LOGD("cache entry %p: idle for %u s, removed\n", static_cast<void *>(e), e->idle_timeout);
  delete_cache_entry(e);
}

void restart_idle_time(coap_cache_entry_t *e, uint64_t now) {
  if (e->idle_timeout == 0) return;
  e->context->timers.schedule(&e->expiry, now + e->idle_timeout * 1000ull);
}

// Unlinks e from the newest-by-key index, keeping older same-key entries.
void unindex(CacheStore &store, coap_cache_entry_t *e) {
  auto it = store.newest.find(e->key);
  if (it == store.newest.end()) return;
  if (it->second == e) {
    if (e->older) {
      it->second = e->older;
    } else {
      store.newest.erase(it);
    }
    return;
  }
  for (coap_cache_entry_t *p = it->second; p; p = p->older) {
    if (p->older == e) {
      p->older = e->older;
      return;
    }
  }
}

}  // namespace

bool derive_cache_key(const coap_session_t *session, const coap_pdu_t *pdu, bool session_based,
                      const uint16_t *ignore, size_t ignore_count, coap_cache_key_t *out) {
  coap_opt_iterator_t it;
  if (!coap_option_iterator_init(pdu, &it, COAP_OPT_ALL)) return false;
  KeyDigest digest;
  bool ok = true;
  if (session_based) {
    // The session's identity is its address, as libcoap digests it.
    uint8_t id[sizeof(session)];
    std::memcpy(id, &session, sizeof(session));
    ok = digest.update(id, sizeof(id));
  }
  while (ok) {
    coap_opt_t *opt = coap_option_next(&it);
    if (!opt) break;
    if (!part_of_key(it.number, ignore, ignore_count)) continue;
    // The option number in host byte order, then its value.
    uint8_t number[sizeof(uint16_t)];
    uint16_t n = it.number;
    std::memcpy(number, &n, sizeof(n));
    ok = digest.update(number, sizeof(number)) &&
         digest.update(coap_opt_value(opt), coap_opt_length(opt));
  }
  // RFC 8132 section 2: a FETCH body is part of the key.
  if (ok && pdu->code == COAP_REQUEST_CODE_FETCH && pdu->has_payload()) {
    ok = digest.update(pdu->payload(), pdu->payload_length());
  }
  return ok && digest.finish(out->key);
}

bool set_cache_ignore(coap_context_t *ctx, const uint16_t *options, size_t count) {
  ctx->cache.ignored.clear();
  if (count && options) ctx->cache.ignored.assign(options, options + count);
  return true;
}

coap_cache_entry_t *new_cache_entry(coap_session_t *s, const coap_pdu_t *pdu, bool record_pdu,
                                    bool session_based, unsigned idle_timeout, uint64_t now) {
  coap_context_t *ctx = s->context;
  CacheStore &store = ctx->cache;
  coap_cache_key_t key;
  if (!derive_cache_key(s, pdu, session_based, store.ignored.data(), store.ignored.size(), &key)) {
    return nullptr;
  }
  coap_cache_entry_t *e = coap::create<coap_cache_entry_t>();
  if (!e) return nullptr;
  if (record_pdu) {
    e->pdu = clone_pdu(pdu);
    if (!e->pdu) {
      coap::destroy(e);
      return nullptr;
    }
  }
  e->context = ctx;
  e->session = s;
  e->key = key;
  e->idle_timeout = idle_timeout;
  e->expiry.fire = on_expiry;
  // A newer entry with the same key is the one found from now on.
  auto slot = store.newest.emplace(key, e);
  if (!slot.second) {
    e->older = slot.first->second;
    slot.first->second = e;
  }
  store.entries.push_back(e);
  restart_idle_time(e, now);
  return e;
}

coap_cache_entry_t *find_cache_entry(coap_context_t *ctx, const coap_cache_key_t &key,
                                     uint64_t now) {
  auto it = ctx->cache.newest.find(key);
  if (it == ctx->cache.newest.end()) return nullptr;
  restart_idle_time(it->second, now);
  return it->second;
}

void delete_cache_entry(coap_cache_entry_t *e) {
  coap_context_t *ctx = e->context;
  ctx->timers.cancel(&e->expiry);
  unindex(ctx->cache, e);
  ctx->cache.entries.remove(e);
  coap_pdu_t::destroy(e->pdu);
  if (e->app_free && e->app_data) e->app_free(e->app_data);
  coap::destroy(e);
}

void drop_session_cache(coap_session_t *s) {
  if (!s->context) return;
  s->context->cache.entries.for_each([s](coap_cache_entry_t *e) {
    if (e->session == s) delete_cache_entry(e);
  });
}

void clear_cache(coap_context_t *ctx) {
  ctx->cache.entries.for_each([](coap_cache_entry_t *e) { delete_cache_entry(e); });
  ctx->cache.ignored.clear();
}

}  // namespace coap
