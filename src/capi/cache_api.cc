// coap_cache.h: cache keys and cache entries. The logic lives in
// core/cache.h; this checks arguments, allocates keys and supplies the time.
#include "capi/api_lock.h"
#include "core/cache.h"
#include "runtime/clock.h"
#include "runtime/log.h"
#include "util/memory.h"
#include "wire/pdu.h"

using coap::ApiLock;

namespace {

coap_cache_key_t *derive(const coap_session_t *session, const coap_pdu_t *pdu, bool session_based,
                         const uint16_t *ignore, size_t ignore_count) {
  coap_cache_key_t key;
  if (!coap::derive_cache_key(session, pdu, session_based, ignore, ignore_count, &key)) {
    return nullptr;
  }
  coap_cache_key_t *out = coap::create<coap_cache_key_t>();
  if (out) *out = key;
  return out;
}

}  // namespace

extern "C" {

coap_cache_key_t *coap_cache_derive_key_w_ignore(const coap_session_t *session,
                                                 const coap_pdu_t *pdu,
                                                 coap_cache_session_based_t session_based,
                                                 const uint16_t *ignore_options,
                                                 size_t ignore_count) {
  if (!pdu || (ignore_count && !ignore_options)) return nullptr;
  // Only session-based keys need the session (its address is digested).
  return derive(session, pdu, session_based == COAP_CACHE_IS_SESSION_BASED, ignore_options,
                ignore_count);
}

coap_cache_key_t *coap_cache_derive_key(const coap_session_t *session, const coap_pdu_t *pdu,
                                        coap_cache_session_based_t session_based) {
  if (!session || !session->context || !pdu) {
    LOGW("coap_cache_derive_key: no session or PDU\n");
    return nullptr;
  }
  ApiLock lock(session);
  const auto &ignored = session->context->cache.ignored;
  return derive(session, pdu, session_based == COAP_CACHE_IS_SESSION_BASED, ignored.data(),
                ignored.size());
}

void coap_delete_cache_key(coap_cache_key_t *cache_key) {
  coap::destroy(cache_key);
}

int coap_cache_ignore_options(coap_context_t *context, const uint16_t *options, size_t count) {
  if (!context || (count && !options)) return 0;
  ApiLock lock(context);
  return coap::set_cache_ignore(context, options, count) ? 1 : 0;
}

coap_cache_entry_t *coap_new_cache_entry(coap_session_t *session, const coap_pdu_t *pdu,
                                         coap_cache_record_pdu_t record_pdu,
                                         coap_cache_session_based_t session_based,
                                         unsigned int idle_timeout) {
  if (!session || !session->context || !pdu) {
    LOGW("coap_new_cache_entry: no session or PDU\n");
    return nullptr;
  }
  ApiLock lock(session);
  return coap::new_cache_entry(session, pdu, record_pdu == COAP_CACHE_RECORD_PDU,
                               session_based == COAP_CACHE_IS_SESSION_BASED, idle_timeout,
                               lock.now());
}

void coap_delete_cache_entry(coap_context_t *context, coap_cache_entry_t *cache_entry) {
  if (!cache_entry) return;
  if (context && context != cache_entry->context) {
    LOGW("coap_delete_cache_entry: the entry belongs to another context\n");
    return;
  }
  ApiLock lock(cache_entry->context);
  coap::delete_cache_entry(cache_entry);
}

coap_cache_entry_t *coap_cache_get_by_key(coap_context_t *context,
                                          const coap_cache_key_t *cache_key) {
  if (!context || !cache_key) return nullptr;
  ApiLock lock(context);
  return coap::find_cache_entry(context, *cache_key, lock.now());
}

coap_cache_entry_t *coap_cache_get_by_pdu(coap_session_t *session, const coap_pdu_t *pdu,
                                          coap_cache_session_based_t session_based) {
  if (!session || !session->context || !pdu) return nullptr;
  ApiLock lock(session);
  const auto &ignored = session->context->cache.ignored;
  coap_cache_key_t key;
  if (!coap::derive_cache_key(session, pdu, session_based == COAP_CACHE_IS_SESSION_BASED,
                              ignored.data(), ignored.size(), &key)) {
    return nullptr;
  }
  return coap::find_cache_entry(session->context, key, lock.now());
}

const coap_pdu_t *coap_cache_get_pdu(const coap_cache_entry_t *cache_entry) {
  return cache_entry ? cache_entry->pdu : nullptr;
}

void coap_cache_set_app_data(coap_cache_entry_t *cache_entry, void *data,
                             coap_cache_app_data_free_callback_t callback) {
  // The previous data is replaced without being freed (coap_cache(3)).
  if (!cache_entry) return;
  cache_entry->app_data = data;
  cache_entry->app_free = callback;
}

void *coap_cache_get_app_data(const coap_cache_entry_t *cache_entry) {
  return cache_entry ? cache_entry->app_data : nullptr;
}

}  // extern "C"
