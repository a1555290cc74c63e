// Server side of Observe (see observe.h for the behaviour).
#include "core/observe.h"

#include "core/context.h"
#include "core/messaging.h"
#include "core/observe_registry.h"
#include "core/observe_util.h"
#include "core/session_manager.h"
#include "runtime/log.h"
#include "util/container_of.h"
#include "util/memory.h"
#include "wire/pdu.h"

namespace coap {

namespace {

using observe_detail::MidKey;
using observe_detail::RequestKey;
using observe_detail::TokenKey;

constexpr uint32_t kSequenceMask = 0xFFFFFF;  // Observe values are 24 bits
constexpr uint64_t kRetryMs = COAP_RESOURCE_CHECK_TIME * 1000ull;

TokenKey token_key(const coap_resource_t *r, const coap_session_t *s, const coap_pdu_t *pdu) {
  return TokenKey{r, s, pdu->token(), pdu->token_length()};
}

void on_check_timer(Timer *t, uint64_t now) {
  ObserveRegistry *reg = container_of(t, &ObserveRegistry::check_timer);
  observe::check_notify(reg->context, now);
}

// Runs the due notifications from the I/O loop at `when`.
void schedule_check(ObserveRegistry *reg, uint64_t when) {
  if (reg->check_timer.queued() && reg->check_timer.due <= when) return;
  reg->check_timer.fire = on_check_timer;
  reg->context->timers.schedule(&reg->check_timer, when);
}

// The notification's message id becomes the stored request's id, so a RST
// to it finds the subscription (only the latest notification matches).
void set_notify_mid(ObserveRegistry *reg, Subscription *sub, coap_mid_t mid) {
  auto it = reg->by_mid.find(MidKey{sub->session, sub->request->mid});
  sub->request->mid = mid;
  if (it != reg->by_mid.end() && it->second == sub) {
    auto node = reg->by_mid.extract(it);  // reuse the node: no allocation per notification
    node.key() = MidKey{sub->session, mid};
    auto res = reg->by_mid.insert(std::move(node));
    if (!res.inserted) res.position->second = sub;
  } else {
    reg->by_mid[MidKey{sub->session, mid}] = sub;
  }
}

// Unlinks and frees a subscription. `release` drops the session reference
// it held (not when the session itself is being freed).
void remove_subscription(ObserveRegistry *reg, Subscription *sub, bool release) {
  coap_resource_t *r = sub->resource;
  coap_session_t *s = sub->session;
  // (tests/interop/cases/observe_server.sh looks for this debug line and
  // the one in add_subscription)
  LOGD("observe: %s no longer observes '%.*s'\n", coap_session_str(s),
       r->uri_path ? static_cast<int>(r->uri_path->length) : 0,
       r->uri_path ? reinterpret_cast<const char *>(r->uri_path->s) : "");
  auto t = reg->by_token.find(token_key(r, s, sub->request));
  if (t != reg->by_token.end() && t->second == sub) reg->by_token.erase(t);
  auto q = reg->by_request.find(RequestKey{r, s, sub->cache_key});
  if (q != reg->by_request.end() && q->second == sub) reg->by_request.erase(q);
  auto m = reg->by_mid.find(MidKey{s, sub->request->mid});
  if (m != reg->by_mid.end() && m->second == sub) reg->by_mid.erase(m);
  if (reg->next_in_round == sub) reg->next_in_round = r->subscribers.next(sub);
  r->subscribers.remove(sub);
  s->subscriptions.remove(sub);
  coap_pdu_t::destroy(sub->request);
  coap::destroy(sub);
  if (release) release_session(s);
}

Subscription *find_by_token(ObserveRegistry *reg, const coap_resource_t *r, const coap_session_t *s,
                            const coap_pdu_t *pdu) {
  auto it = reg->by_token.find(token_key(r, s, pdu));
  return it == reg->by_token.end() ? nullptr : it->second;
}

Subscription *find_by_request(ObserveRegistry *reg, const coap_resource_t *r,
                              const coap_session_t *s, uint64_t cache_key) {
  auto it = reg->by_request.find(RequestKey{r, s, cache_key});
  return it == reg->by_request.end() ? nullptr : it->second;
}

Subscription *add_subscription(coap_session_t *s, coap_resource_t *r, const coap_pdu_t *request,
                               uint64_t now) {
  ObserveRegistry *reg = ObserveRegistry::of(s->context);
  if (!reg) return nullptr;
  // The same token again is a re-registration: the subscription stays as
  // it is (libcoap keeps the original request).
  if (Subscription *found = find_by_token(reg, r, s, request)) return found;
  // The same request under a new token replaces the old subscription
  // (RFC 7641 section 3.6: the client may have lost its state).
  uint64_t key = observe_util::cache_key(request);
  if (Subscription *old = find_by_request(reg, r, s, key)) remove_subscription(reg, old, true);

  Subscription *sub = coap::create<Subscription>();
  if (!sub) return nullptr;
  // libcoap's copy takes a fresh message id from the session; doing the
  // same keeps the ids of later notifications identical.
  sub->request = observe_util::copy_pdu(request, request->message_type(), s->next_mid());
  if (!sub->request) {
    coap::destroy(sub);
    return nullptr;
  }
  sub->resource = r;
  sub->session = s;
  sub->cache_key = key;
  sub->last_con_ms = now;
  reg->by_token[token_key(r, s, sub->request)] = sub;
  reg->by_request[RequestKey{r, s, key}] = sub;
  reg->by_mid[MidKey{s, sub->request->mid}] = sub;
  r->subscribers.push_front(sub);
  s->subscriptions.push_back(sub);
  reference_session(s);
  LOGD("observe: %s observes '%.*s'\n", coap_session_str(s),
       r->uri_path ? static_cast<int>(r->uri_path->length) : 0,
       r->uri_path ? reinterpret_cast<const char *>(r->uri_path->s) : "");
  return sub;
}

void add_observe_option(coap_pdu_t *pdu, uint32_t value) {
  uint8_t buf[4];
  unsigned n = coap_encode_var_safe(buf, sizeof(buf), value);
  pdu->add_option(COAP_OPTION_OBSERVE, buf, n);
}

bool valid_notification_code(coap_pdu_code_t code) {
  int cls = code >> 5;
  return cls == 0 || cls == 2 || cls == 4 || cls == 5;
}

// Block-wise hook: an observer that registered with a Block2 option gets
// notifications that start at block 0 of its block size. Splitting a
// representation larger than one block is the block-wise engine's work
// (core/blockwise.*), done when the handler adds its data (e.g. through
// coap_add_data_large_response()); it sees this option in the skeleton.
void add_block2_hint(const coap_pdu_t *request, coap_pdu_t *response) {
  coap_opt_iterator_t it;
  coap_opt_t *opt = coap_check_option(request, COAP_OPTION_BLOCK2, &it);
  if (!opt) return;
  unsigned v = coap_decode_var_bytes(coap_opt_value(opt), coap_opt_length(opt));
  unsigned szx = v & 7;
  if (szx == 7) szx = 6;  // BERT is for reliable transports; 1024 bytes here
  uint8_t buf[4];
  unsigned n = coap_encode_var_safe(buf, sizeof(buf), szx);
  response->add_option(COAP_OPTION_BLOCK2, buf, n);
}

enum class Round { kNotify, kDeleting };

// One notification round over a resource's observers, newest first (the
// order libcoap uses). False when a handler deleted the resource meanwhile.
bool notify_resource(ObserveRegistry *reg, coap_resource_t *r, Round round, uint64_t now) {
  if (!r->observable || (!r->dirty && !r->partially_dirty)) {
    r->dirty = false;
    return true;
  }
  r->partially_dirty = false;
  reg->notifying = r;
  for (Subscription *sub = r->subscribers.front(); sub; sub = reg->next_in_round) {
    reg->next_in_round = r->subscribers.next(sub);
    coap_session_t *s = sub->session;
    if (!r->dirty && !sub->dirty) continue;  // this observer was served already
    bool con_due = sub->non_count >= observe::kMaxNonInARow ||
                   (round == Round::kNotify && now >= sub->last_con_ms &&
                    now - sub->last_con_ms >= observe::kMaxNonOnlyMs);
    if (s->pending.size() >= s->params->nstart &&
        ((r->flags & COAP_RESOURCE_FLAGS_NOTIFY_CON) || con_due)) {
      // NSTART: this CON waits until the previous one is answered.
      r->partially_dirty = true;
      sub->dirty = true;
      continue;
    }
    sub->dirty = false;
    coap_pdu_t *response =
        coap_pdu_t::create(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, s->max_pdu_size());
    if (!response || !response->add_token(sub->request->token(), sub->request->token_length())) {
      coap_pdu_t::destroy(response);
      LOGD("observe: cannot build a notification, will retry\n");
      sub->dirty = true;
      r->partially_dirty = true;
      continue;
    }
    coap_mid_t mid = s->next_mid();
    response->mid = mid;
    set_notify_mid(reg, sub, mid);
    bool non = !s->reliable() && !(r->flags & COAP_RESOURCE_FLAGS_NOTIFY_CON) &&
               ((r->flags & COAP_RESOURCE_FLAGS_NOTIFY_NON_ALWAYS) || !con_due);
    response->type = non ? COAP_MESSAGE_NON : COAP_MESSAGE_CON;

    uint64_t send_time = now;
    if (round == Round::kDeleting) {
      // RFC 7641 section 3.2: the resource is gone. Best effort, no handler.
      response->type = COAP_MESSAGE_NON;
      response->code = COAP_RESPONSE_CODE_NOT_FOUND;
      send_time = s->last_activity;  // teardown has no clock: keep the session's time
    } else {
      add_observe_option(response, r->observe_seq);
      add_block2_hint(sub->request, response);
      coap_method_handler_t h = r->handler_for(sub->request->code);
      if (!h) {
        LOGW("observe: '%.*s' has no handler for its observers' method\n",
             r->uri_path ? static_cast<int>(r->uri_path->length) : 0,
             r->uri_path ? reinterpret_cast<const char *>(r->uri_path->s) : "");
        coap_pdu_t::destroy(response);
        continue;
      }
      coap_string_t *query = coap_get_query(sub->request);
      reference_session(s);
      h(r, s, sub->request, query, response);
      coap_delete_string(query);
      release_session(s);
      if (reg->notifying != r) {
        // The handler deleted the resource; its observers are gone.
        coap_pdu_t::destroy(response);
        return false;
      }
      if (!valid_notification_code(response->code)) {
        LOGW("observe: handler set the invalid response code %d.%02d\n", response->code >> 5,
             response->code & 31);
        coap_pdu_t::destroy(response);
        continue;
      }
      if ((response->code >> 5) != 2) response->remove_option(COAP_OPTION_OBSERVE);
      if ((response->code >> 5) > 2) response->remove_option(COAP_OPTION_BLOCK2);
    }

    if (response->type == COAP_MESSAGE_CON || (r->flags & COAP_RESOURCE_FLAGS_NOTIFY_NON_ALWAYS)) {
      sub->non_count = 0;
    } else if (sub->non_count < 255) {
      ++sub->non_count;
    }
    if (response->type == COAP_MESSAGE_CON) sub->last_con_ms = send_time;
    // An error (RFC 7641 section 4.2) or the 4.04 of a deleted resource
    // ends the observation once it is sent.
    bool ends = (response->code >> 5) > 2;
    if (send_pdu(s, response, send_time) == COAP_INVALID_MID && !ends) {
      LOGD("observe: sending a notification failed, will retry\n");
      sub->dirty = true;
      r->partially_dirty = true;
    }
    if (ends) remove_subscription(reg, sub, true);
  }
  reg->notifying = nullptr;
  reg->next_in_round = nullptr;
  r->dirty = false;
  return true;
}

void drop_all_subscribers(ObserveRegistry *reg, coap_resource_t *r, bool release) {
  while (Subscription *sub = r->subscribers.front()) remove_subscription(reg, sub, release);
}

// The 4.04 round and removal for a resource that goes away.
void retire_resource(ObserveRegistry *reg, coap_resource_t *r) {
  if (r->dirty_link.linked()) reg->due.remove(r);
  if (reg->notifying == r) reg->notifying = nullptr;
  if (r->subscribers.empty()) return;
  if (r->observable) {
    // As libcoap: a change is reported first, then the round sends 4.04.
    r->dirty = true;
    r->observe_seq = (r->observe_seq + 1) & kSequenceMask;
    coap_resource_t *outer = reg->notifying;
    Subscription *outer_next = reg->next_in_round;
    notify_resource(reg, r, Round::kDeleting, 0);
    reg->notifying = outer;
    reg->next_in_round = outer_next;
  }
  drop_all_subscribers(reg, r, true);
}

// Subscriptions of session s whose notifications carry this token.
void drop_by_session_token(ObserveRegistry *reg, coap_session_t *s, const coap_pdu_t *sent) {
  s->subscriptions.for_each([&](Subscription *sub) {
    if (sub->request->token_length() == sent->token_length() &&
        (sent->token_length() == 0 ||
         std::memcmp(sub->request->token(), sent->token(), sent->token_length()) == 0)) {
      remove_subscription(reg, sub, true);
    }
  });
}

}  // namespace

ObserveRegistry *ObserveRegistry::of(coap_context_t *context) {
  if (!context) return nullptr;
  if (!context->observe) {
    context->observe = coap::create<ObserveRegistry>();
    if (context->observe) context->observe->context = context;
  }
  return context->observe;
}

void ObserveRegistry::destroy(ObserveRegistry *reg) {
  if (!reg) return;
  reg->context->timers.cancel(&reg->check_timer);
  coap::destroy(reg);
}

namespace observe {

RequestState before_handler(coap_session_t *s, coap_resource_t *r, const coap_pdu_t *request,
                            coap_pdu_t *response, uint64_t now) {
  RequestState state;
  if (!r->observable || r->is_unknown || r->is_proxy_uri) return state;
  if (request->code != COAP_REQUEST_CODE_GET && request->code != COAP_REQUEST_CODE_FETCH) {
    return state;
  }
  coap_opt_iterator_t it;
  coap_opt_t *opt = coap_check_option(request, COAP_OPTION_OBSERVE, &it);
  if (!opt) return state;
  unsigned action = coap_decode_var_bytes(coap_opt_value(opt), coap_opt_length(opt));
  if (action == COAP_OBSERVE_ESTABLISH) {
    coap_opt_t *block2 = coap_check_option(request, COAP_OPTION_BLOCK2, &it);
    if (block2 && coap_opt_block_num(block2) != 0) {
      // RFC 7959 section 2.6: notifications start at block 0.
      response->code = COAP_RESPONSE_CODE_BAD_REQUEST;
      state.skip_handler = true;
      return state;
    }
    if (add_subscription(s, r, request, now)) {
      add_observe_option(response, r->observe_seq);
      state.registering = true;
    }
  } else if (action == COAP_OBSERVE_CANCEL) {
    ObserveRegistry *reg = s->context->observe;
    if (!reg) return state;
    Subscription *sub = find_by_token(reg, r, s, request);
    // A client that lost its token may deregister with the same request.
    if (!sub) sub = find_by_request(reg, r, s, observe_util::cache_key(request));
    if (sub) remove_subscription(reg, sub, true);
  } else {
    LOGI("observe: ignoring Observe value %u in a request\n", action);
  }
  return state;
}

void after_handler(const RequestState &state, coap_session_t *s, coap_resource_t *r,
                   const coap_pdu_t *request, coap_pdu_t *response) {
  if (!state.registering || (response->code >> 5) <= 2) return;
  // RFC 7641 section 4.1: an error response does not establish an entry.
  response->remove_option(COAP_OPTION_OBSERVE);
  ObserveRegistry *reg = s->context->observe;
  if (!reg) return;
  // Looked up again: the handler may have removed the resource or observer.
  if (Subscription *sub = find_by_token(reg, r, s, request)) remove_subscription(reg, sub, true);
}

int notify_observers(coap_resource_t *r, uint64_t now) {
  if (!r->observable || r->subscribers.empty() || !r->context) return 0;
  ObserveRegistry *reg = ObserveRegistry::of(r->context);
  if (!reg) return 0;
  r->dirty = true;
  // Every report of a change moves the sequence on, even if several are
  // folded into one notification.
  r->observe_seq = (r->observe_seq + 1) & kSequenceMask;
  if (!r->dirty_link.linked()) reg->due.push_back(r);
  schedule_check(reg, now);
  return 1;
}

void check_notify(coap_context_t *ctx, uint64_t now) {
  ObserveRegistry *reg = ctx->observe;
  if (!reg) return;
  ctx->timers.cancel(&reg->check_timer);
  // Each due resource once; deferred ones go back to the list.
  for (size_t n = reg->due.size(); n > 0 && !reg->due.empty(); --n) {
    coap_resource_t *r = reg->due.front();
    reg->due.remove(r);
    if (!notify_resource(reg, r, Round::kNotify, now)) continue;  // r was deleted
    if (r->partially_dirty && !r->dirty_link.linked()) reg->due.push_back(r);
  }
  // Deferred notifications go when a CON is answered (pending_slot_freed);
  // a failed send is retried after a while.
  if (!reg->due.empty()) schedule_check(reg, now + kRetryMs);
}

void pending_slot_freed(coap_session_t *s, uint64_t now) {
  ObserveRegistry *reg = s->context->observe;
  if (reg && !reg->due.empty()) schedule_check(reg, now);
}

void on_reset(coap_session_t *s, const coap_pdu_t *sent, coap_mid_t mid) {
  ObserveRegistry *reg = s->context->observe;
  if (!reg) return;
  if (sent) {
    // A rejected CON notification: every subscription of this session
    // with its token ends (RFC 7641 section 3.6).
    if (is_response_code(sent->code)) drop_by_session_token(reg, s, sent);
    return;
  }
  // A NON notification has no pending entry: match the latest one's id.
  auto it = reg->by_mid.find(MidKey{s, mid});
  if (it != reg->by_mid.end()) remove_subscription(reg, it->second, true);
}

void on_failed(coap_session_t *s, const coap_pdu_t *sent) {
  ObserveRegistry *reg = s->context->observe;
  if (!reg || !sent || !is_response_code(sent->code)) return;
  // RFC 7641 section 4.5: an unacknowledged CON notification means the
  // client is gone (libcoap gives up after the first one).
  drop_by_session_token(reg, s, sent);
}

void resource_destroying(coap_resource_t *r) {
  ObserveRegistry *reg = r->context ? r->context->observe : nullptr;
  if (!reg) return;
  retire_resource(reg, r);
}

void context_closing(coap_context_t *ctx) {
  ObserveRegistry *reg = ctx->observe;
  if (!reg) return;
  // Observers hear that the resources go away (libcoap sends 4.04 here).
  ctx->resources.for_each([reg](coap_resource_t *r) { retire_resource(reg, r); });
  if (ctx->unknown_resource) retire_resource(reg, ctx->unknown_resource);
  if (ctx->proxy_uri_resource) retire_resource(reg, ctx->proxy_uri_resource);
  ctx->client_sessions.for_each([](coap_session_t *s) { session_closing(s); });
  ObserveRegistry::destroy(reg);
  ctx->observe = nullptr;
}

void session_closing(coap_session_t *s) {
  ObserveRegistry *reg = s->context ? s->context->observe : nullptr;
  if (!reg) return;
  // The session is going away: its references are not given back.
  while (Subscription *sub = s->subscriptions.front()) remove_subscription(reg, sub, false);
  observe_util::close_client_observations(reg, s);
}

}  // namespace observe
}  // namespace coap
