#include "core/messaging.h"

#include "core/channel.h"
#include "core/context.h"
#include "core/dtls.h"
#include "core/exchange.h"
#include "core/observe.h"
#include "core/session_manager.h"
#include "runtime/log.h"
#include "runtime/prng.h"
#include "util/container_of.h"
#include "wire/pdu.h"

namespace coap {

namespace {

// EXCHANGE_LIFETIME (RFC 7252 section 4.8.2) for the default parameters:
// how long a message id stays "recently seen".
uint64_t exchange_lifetime_ms(const coap_session_t *s) {
  // MAX_TRANSMIT_SPAN + 2 * MAX_LATENCY + PROCESSING_DELAY
  uint64_t ack = fixed_point_ms(s->params->ack_timeout);
  uint64_t factor = fixed_point_ms(s->params->ack_random_factor);
  uint64_t span = ack * ((1u << s->params->max_retransmit) - 1) * factor / 1000;
  return span + 2 * COAP_DEFAULT_MAX_LATENCY * 1000 + ack;
}

void start_next_delayed(coap_session_t *s, uint64_t now);

void on_retransmit_timer(Timer *t, uint64_t now) {
  PendingMessage *m = container_of(t, &PendingMessage::timer);
  coap_session_t *s = m->session;
  coap_context_t *ctx = s->context;
  if (m->retransmits < s->params->max_retransmit) {
    ++m->retransmits;
    m->interval *= 2;
    ctx->timers.schedule(&m->timer, now + m->interval);
    LOGD("mid 0x%04x: retransmission #%u\n", static_cast<unsigned>(m->mid), m->retransmits);
    transmit(s, m->pdu, now);
    ctx->notify(s, COAP_EVENT_MSG_RETRANSMITTED);
    return;
  }
  // Gave up: the peer is unreachable for this exchange.
  s->pending.remove(m);
  LOGD("mid 0x%04x: no acknowledgement after %u retransmissions\n", static_cast<unsigned>(m->mid),
       m->retransmits);
  coap_session_t *held = s;
  reference_session(held);
  exchange_failed(s, m->pdu, COAP_NACK_TOO_MANY_RETRIES, m->mid, now);
  PendingMessage::destroy(m);
  start_next_delayed(s, now);
  release_session(held);
}

// Puts a CON on the wire and arms its retransmission timer.
coap_mid_t start_confirmable(coap_session_t *s, PendingMessage *m, uint64_t now) {
  m->interval = initial_ack_timeout_ms(s->params->ack_timeout, s->params->ack_random_factor,
                                       prng::next_u32());
  m->timer.fire = on_retransmit_timer;
  s->pending.push_back(m);
  s->context->timers.schedule(&m->timer, now + m->interval);
  coap_mid_t mid = m->mid;
  if (!transmit(s, m->pdu, now)) {
    // A local send error is not fatal: the retransmission may succeed.
    LOGD("mid 0x%04x: first transmission failed, will retry\n", static_cast<unsigned>(mid));
  }
  return mid;
}

void start_next_delayed(coap_session_t *s, uint64_t now) {
  while (!s->delayed.empty() && s->pending.size() < s->params->nstart) {
    PendingMessage *m = s->delayed.front();
    s->delayed.remove(m);
    start_confirmable(s, m, now);
  }
  // Observe (core/observe.h): CON notifications held back for NSTART may go.
  observe::pending_slot_freed(s, now);
}

}  // namespace

bool transmit(coap_session_t *s, coap_pdu_t *pdu, uint64_t now) {
  // Stream sessions send through their channel (core/channel.h).
  if (s->channel) return channel_transmit(s, pdu, now);
  if (!s->context->io) return false;
  if (!pdu->write_header(s->proto)) {
    LOGW("cannot encode a message of %zu bytes\n", pdu->used_size());
    return false;
  }
  pdu->session = s;
  if (log::enabled(COAP_LOG_DEBUG)) coap_show_pdu(COAP_LOG_DEBUG, pdu);
  ssize_t n = s->context->io->send(s, pdu->wire_begin(), pdu->wire_size());
  touch_session(s, now);
  return n >= 0;
}

coap_mid_t send_pdu(coap_session_t *s, coap_pdu_t *pdu, uint64_t now) {
  coap_mid_t mid = pdu->mid;
  // DTLS sessions hold messages until their handshake is done.
  if (s->channel && channel_hold_pdu(s, pdu)) return mid;
  if (pdu->type != COAP_MESSAGE_CON || s->reliable()) {
    bool ok = transmit(s, pdu, now);
    coap_pdu_t::destroy(pdu);
    return ok ? mid : COAP_INVALID_MID;
  }
  PendingMessage *m = PendingMessage::create(s, pdu);
  if (!m) {
    coap_pdu_t::destroy(pdu);
    return COAP_INVALID_MID;
  }
  // NSTART (RFC 7252 section 4.7): further requests wait their turn.
  if (s->pending.size() >= s->params->nstart && is_request_code(pdu->code)) {
    LOGD("mid 0x%04x: %zu exchanges outstanding, delayed\n", static_cast<unsigned>(mid),
         s->pending.size());
    s->delayed.push_back(m);
    return mid;
  }
  return start_confirmable(s, m, now);
}

void send_empty(coap_session_t *s, coap_pdu_type_t type, coap_mid_t mid, uint64_t now) {
  // Reliable transports have no ACK or RST (RFC 8323 section 3.2).
  if (s->reliable()) return;
  coap_pdu_t *pdu = coap_pdu_t::create(type, COAP_EMPTY_CODE, mid, 0);
  if (!pdu) return;
  transmit(s, pdu, now);
  coap_pdu_t::destroy(pdu);
}

coap_pdu_t *take_pending(coap_session_t *s, coap_mid_t mid, uint64_t now) {
  PendingMessage *found = nullptr;
  s->pending.for_each([&](PendingMessage *m) {
    if (!found && m->mid == mid) found = m;
  });
  if (!found) return nullptr;
  s->pending.remove(found);
  s->context->timers.cancel(&found->timer);
  coap_pdu_t *pdu = found->pdu;
  found->pdu = nullptr;
  PendingMessage::destroy(found);
  start_next_delayed(s, now);
  return pdu;
}

bool nothing_pending(const coap_context_t *ctx) {
  bool idle = true;
  auto check = [&](coap_session_t *s) {
    if (!s->pending.empty() || !s->delayed.empty()) idle = false;
    // Stream sessions: messages held for the CSM exchange (core/channel.h).
    if (s->channel && channel_has_output(s)) idle = false;
  };
  ctx->client_sessions.for_each(check);
  ctx->endpoints.for_each([&](coap_endpoint_t *ep) { ep->sessions.for_each(check); });
  return idle;
}

namespace {

// RFC 7252 section 4.2/4.3: a malformed CON is rejected with a RST; other
// malformed messages are silently dropped.
void reject_malformed(coap_session_t *s, const uint8_t *data, size_t length, uint64_t now) {
  if (length >= 4 && (data[0] >> 6) == 1 && ((data[0] >> 4) & 3) == COAP_MESSAGE_CON) {
    send_empty(s, COAP_MESSAGE_RST, (data[2] << 8) | data[3], now);
  }
}

}  // namespace

void receive_datagram(coap_context_t *ctx, coap_endpoint_t *ep, coap_session_t *session,
                      const uint8_t *data, size_t length, const coap_addr_tuple_t &addrs,
                      int ifindex, uint64_t now) {
  coap_proto_t proto = session ? session->proto : ep->proto;
  // DTLS datagrams are decrypted (or screened) first (core/dtls.h).
  if (proto == COAP_PROTO_DTLS) {
    dtls::receive(ctx, ep, session, data, length, addrs, ifindex, now);
    return;
  }
  // Small datagrams (nearly all) get a recycled message.
  coap_pdu_t *pdu = ctx->new_pdu(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, 0, length);
  if (!pdu) return;
  bool parsed = pdu->parse(proto, data, length);
  if (!session) {
    if (!parsed && !(length >= 4 && (data[0] >> 6) == 1)) {
      // Not even a CoAP header: no session is created for noise.
      LOGD("dropped %zu bytes that are not a CoAP message\n", length);
      coap_pdu_t::destroy(pdu);
      return;
    }
    session = server_session_for(ep, addrs, ifindex, now);
    if (!session) {
      coap_pdu_t::destroy(pdu);
      return;
    }
  } else {
    session->ifindex = ifindex;
    // Replies to a multicast request come from the unicast address of each
    // responder; the session reports the latest one.
    if (session->is_mcast) session->addr_info.remote = addrs.remote;
  }
  reference_session(session);
  touch_session(session, now);
  if (!parsed) {
    LOGD("received a malformed message of %zu bytes\n", length);
    ctx->notify(session, COAP_EVENT_BAD_PACKET);
    reject_malformed(session, data, length, now);
    coap_pdu_t::destroy(pdu);
  } else {
    pdu->session = session;
    if (log::enabled(COAP_LOG_DEBUG)) coap_show_pdu(COAP_LOG_DEBUG, pdu);
    handle_pdu(session, pdu, now);
  }
  release_session(session);
}

void handle_pdu(coap_session_t *s, coap_pdu_t *pdu, uint64_t now) {
  switch (pdu->type) {
    case COAP_MESSAGE_ACK: {
      coap_pdu_t *sent = take_pending(s, pdu->mid, now);
      if (pdu->code == COAP_EMPTY_CODE) {
        // Acknowledged; a separate response may follow.
        coap_pdu_t::destroy(sent);
        coap_pdu_t::destroy(pdu);
        return;
      }
      if (is_response_code(pdu->code) || is_signaling_code(pdu->code)) {
        handle_response(s, sent, pdu, now);
      } else {
        LOGD("ignoring an ACK that carries a request\n");
      }
      coap_pdu_t::destroy(sent);
      coap_pdu_t::destroy(pdu);
      return;
    }
    case COAP_MESSAGE_RST: {
      coap_pdu_t *sent = take_pending(s, pdu->mid, now);
      handle_reset(s, sent, pdu->mid, now);
      coap_pdu_t::destroy(sent);
      coap_pdu_t::destroy(pdu);
      return;
    }
    case COAP_MESSAGE_CON:
    case COAP_MESSAGE_NON:
      break;
  }

  if (pdu->code == COAP_EMPTY_CODE) {
    // An empty CON is a ping (section 4.2): answered with RST. An empty NON
    // is meaningless and dropped.
    if (pdu->type == COAP_MESSAGE_CON) {
      if (s->context->ping_handler) s->context->ping_handler(s, pdu, pdu->mid);
      send_empty(s, COAP_MESSAGE_RST, pdu->mid, now);
    }
    coap_pdu_t::destroy(pdu);
    return;
  }

  if (!s->reliable()) {
    DedupTable &dedup = s->context->dedup;
    DedupTable::Hit hit =
        dedup.check(s->serial, static_cast<uint16_t>(pdu->mid), now, now + exchange_lifetime_ms(s));
    if (hit.seen) {
      LOGD("mid 0x%04x: duplicate\n", static_cast<unsigned>(pdu->mid));
      if (hit.reply && s->channel) {
        // DTLS: the cached reply is encrypted again.
        s->channel->send(hit.reply, hit.reply_length, now);
      } else if (hit.reply && s->context->io) {
        s->context->io->send(s, hit.reply, hit.reply_length);
      } else if (pdu->type == COAP_MESSAGE_CON) {
        send_empty(s, COAP_MESSAGE_ACK, pdu->mid, now);
      }
      coap_pdu_t::destroy(pdu);
      return;
    }
  }

  if (is_request_code(pdu->code)) {
    handle_request(s, pdu, now);
  } else if (is_response_code(pdu->code)) {
    handle_response(s, nullptr, pdu, now);
  } else {
    // Signaling codes belong to reliable transports; reserved classes are
    // rejected (RFC 7252 section 4.2 "cannot process").
    LOGD("rejecting a message with code %d.%02d\n", pdu->code >> 5, pdu->code & 31);
    if (pdu->type == COAP_MESSAGE_CON) send_empty(s, COAP_MESSAGE_RST, pdu->mid, now);
  }
  coap_pdu_t::destroy(pdu);
}

}  // namespace coap
