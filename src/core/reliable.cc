#include "core/reliable.h"

#include <cstring>

#include "core/context.h"
#include "core/messaging.h"
#include "core/session_manager.h"
#include "core/stream.h"
#include "runtime/log.h"
#include "util/bytes.h"
#include "util/container_of.h"
#include "wire/option_codec.h"
#include "wire/option_rules.h"
#include "wire/pdu.h"
#include "wire/tcp_frame.h"

namespace coap {

namespace {

// RFC 8323 section 5.3.1: the base Max-Message-Size; BERT needs more.
constexpr uint32_t kBertBase = 1152;

const char *reason_name(coap_nack_reason_t reason) {
  switch (reason) {
    case COAP_NACK_TOO_MANY_RETRIES:
      return "COAP_NACK_TOO_MANY_RETRIES";
    case COAP_NACK_NOT_DELIVERABLE:
      return "COAP_NACK_NOT_DELIVERABLE";
    case COAP_NACK_RST:
      return "COAP_NACK_RST";
    case COAP_NACK_TLS_FAILED:
      return "COAP_NACK_TLS_FAILED";
    case COAP_NACK_ICMP_ISSUE:
      return "COAP_NACK_ICMP_ISSUE";
    case COAP_NACK_WS_LAYER_FAILED:
      return "COAP_NACK_WS_LAYER_FAILED";
    default:
      return "other";
  }
}

uint32_t option_uint(const coap_opt_t *opt) {
  return coap_decode_var_bytes(coap_opt_value(opt), coap_opt_length(opt));
}

// The first option of a CSM that this library cannot accept (unknown and
// critical, or a value of the wrong length), or 0 when none is to blame.
uint32_t first_bad_csm_option(const uint8_t *p, size_t length, size_t pos) {
  uint32_t number = 0;
  while (pos < length && p[pos] != wire::kPayloadMarker) {
    wire::OptionHeader h;
    if (!wire::decode_option_header(p + pos, length - pos, &h)) return 0;
    if (h.length > length - pos - h.header_size) return 0;
    number += h.delta;
    if (!wire::option_length_valid(COAP_SIGNALING_CODE_CSM, number, h.length)) return number;
    pos += h.header_size + h.length;
  }
  return 0;
}

}  // namespace

ReliableEnd::ReliableEnd(coap_session_t *session) : Channel(session) {
  timer_.timer.fire = on_timer_fired;
  timer_.owner = this;
  // The token length offered is the context's when the session was made
  // (libcoap 4.3.5 too); the Max-Message-Size is read when the CSM goes.
  max_token_offer_ = session->context ? session->context->max_token_size : 8;
}

ReliableEnd::~ReliableEnd() {
  if (session_->context) session_->context->timers.cancel(&timer_.timer);
}

bool ReliableEnd::send(const uint8_t *data, size_t length, uint64_t now) {
  return !closed_ && lower_ && lower_->send(data, length, now);
}

void ReliableEnd::on_timer_fired(Timer *t, uint64_t now) {
  container_of(t, &TimerSlot::timer)->owner->fire(now);
}

// --- sending ---------------------------------------------------------------

bool ReliableEnd::token_allowed(size_t token_length) const {
  if (token_length <= peer_max_token) return true;
  // RFC 8974 section 2.2: longer tokens only after the peer offered them.
  LOGW("%s: token of %zu bytes is longer than the peer accepts (%zu): message dropped\n",
       coap_session_str(session_), token_length, peer_max_token);
  return false;
}

bool ReliableEnd::put_on_wire(const uint8_t *data, size_t length, uint64_t now) {
  // A peer that announced a limit is not sent more (section 5.3.1).
  if (peer_sent_max_message && length > peer_max_message) {
    LOGW("%s: a message of %zu bytes exceeds the peer's Max-Message-Size %u: not sent\n",
         coap_session_str(session_), length, peer_max_message);
    return false;
  }
  bool ok = send(data, length, now);
  touch_session(session_, now);
  return ok;
}

bool ReliableEnd::transmit(coap_pdu_t *pdu, uint64_t now) {
  if (down || closed_) {
    LOGD("%s: not connected: message not sent\n", coap_session_str(session_));
    return false;
  }
  // Empty messages (what an empty ACK would be) need not be sent (RFC 8323
  // section 3.4).
  if (pdu->code == COAP_EMPTY_CODE) return true;
  if (!pdu->write_header(session_->proto)) {
    LOGW("%s: cannot encode a message of %zu bytes\n", coap_session_str(session_),
         pdu->used_size());
    return false;
  }
  bool signal = is_signaling_code(pdu->code);
  bool hold = !signal && session_->state != COAP_SESSION_STATE_ESTABLISHED;
  // (Held messages are checked when they go: the peer's CSM may allow more.)
  if (!signal && !hold && !token_allowed(pdu->token_length())) return false;
  pdu->session = session_;
  // Types do not exist on reliable transports; an ACK made for a
  // confirmable request (error responses) is just a message here.
  pdu->type = COAP_MESSAGE_CON;
  if (log::enabled(COAP_LOG_DEBUG)) coap_show_pdu(COAP_LOG_DEBUG, pdu);
  if (hold) {
    // Held until the CSM exchange is complete (RFC 8323 section 5.3: the
    // CSM is the first message and the peer's limits are not known yet).
    uint8_t head[8];
    store_be32(head, static_cast<uint32_t>(pdu->wire_size()));
    store_be32(head + 4, static_cast<uint32_t>(pdu->token_length()));
    if (pdu->wire_size() > UINT32_MAX || !held_.append(head, sizeof(head))) return false;
    if (!held_.append(pdu->wire_begin(), pdu->wire_size())) {
      // The record is incomplete: everything held goes.
      held_.clear();
      held_count_ = 0;
      LOGW("%s: out of memory holding a message\n", coap_session_str(session_));
      return false;
    }
    ++held_count_;
    LOGD("%s: message held until the session is established\n", coap_session_str(session_));
    return true;
  }
  return put_on_wire(pdu->wire_begin(), pdu->wire_size(), now);
}

void ReliableEnd::flush_held(uint64_t now) {
  if (held_count_) {
    LOGD("%s: sending %zu held messages\n", coap_session_str(session_), held_count_);
  }
  // Records are [length][token length][message], lengths 4 bytes each;
  // a disconnect stops the flush.
  while (held_.size() >= 8 && !down) {
    uint32_t n = load_be32(held_.data());
    uint32_t token_length = load_be32(held_.data() + 4);
    if (held_.size() < 8 + static_cast<size_t>(n)) break;
    if (token_allowed(token_length)) put_on_wire(held_.data() + 8, n, now);
    held_.consume(8 + static_cast<size_t>(n));
  }
  held_.clear();
  held_count_ = 0;
}

void ReliableEnd::send_csm(uint64_t now) {
  coap_context_t *ctx = session_->context;
  coap_pdu_t *csm = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_SIGNALING_CODE_CSM, 0, 0);
  if (!csm) return;
  uint8_t buf[4];
  unsigned n = coap_encode_var_safe(buf, sizeof(buf), ctx->csm_max_message_size);
  csm->add_option(COAP_SIGNALING_OPTION_MAX_MESSAGE_SIZE, buf, n);
  // Offered whatever the block mode (libcoap 4.3.5 does the same): the
  // application can always do block-wise transfers itself.
  csm->add_option(COAP_SIGNALING_OPTION_BLOCK_WISE_TRANSFER, nullptr, 0);
  if (max_token_offer_ > 8) {
    n = coap_encode_var_safe(buf, sizeof(buf), static_cast<unsigned>(max_token_offer_));
    csm->add_option(COAP_SIGNALING_OPTION_EXTENDED_TOKEN_LENGTH, buf, n);
  }
  session_->state = COAP_SESSION_STATE_CSM;
  local_bert = ctx->csm_max_message_size > kBertBase;
  csm_deadline_ = now + ctx->csm_timeout_ms;
  LOGD("%s: sending CSM\n", coap_session_str(session_));
  transmit(csm, now);
  coap_pdu_t::destroy(csm);
  reschedule(now);
}

coap_mid_t ReliableEnd::ping(uint64_t now) {
  if (down || session_->state != COAP_SESSION_STATE_ESTABLISHED) return COAP_INVALID_MID;
  coap_pdu_t *ping = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_SIGNALING_CODE_PING, 0, 0);
  if (!ping) return COAP_INVALID_MID;
  bool ok = transmit(ping, now);
  coap_pdu_t::destroy(ping);
  return ok ? 0 : COAP_INVALID_MID;
}

void ReliableEnd::abort(uint32_t bad_csm_option, const char *diagnostic, uint64_t now) {
  if (down || closed_) return;
  coap_pdu_t *pdu = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_SIGNALING_CODE_ABORT, 0, 0);
  if (!pdu) return;
  if (bad_csm_option) {
    uint8_t buf[4];
    unsigned n = coap_encode_var_safe(buf, sizeof(buf), bad_csm_option);
    pdu->add_option(COAP_SIGNALING_OPTION_BAD_CSM_OPTION, buf, n);
  }
  if (diagnostic && *diagnostic) {
    size_t n = std::strlen(diagnostic);
    if (uint8_t *p = pdu->add_payload(n)) std::memcpy(p, diagnostic, n);
  }
  transmit(pdu, now);
  coap_pdu_t::destroy(pdu);
}

// --- receiving -------------------------------------------------------------

void ReliableEnd::on_open(uint64_t now) {
  if (!down) send_csm(now);
}

void ReliableEnd::reject_malformed(const uint8_t *data, size_t length, uint64_t now) {
  // RFC 8323 sections 5.3 and 5.6: a CSM with an option we cannot accept
  // is answered with Abort naming it; any other malformed message with a
  // plain Abort. Either way the connection ends.
  int code = wire::tcp_frame_code(data, length);
  size_t options = wire::tcp_frame_options_offset(data, length);
  if (code == COAP_SIGNALING_CODE_CSM && options) {
    uint32_t bad = first_bad_csm_option(data, length, options);
    LOGW("%s: invalid CSM (option %u): aborting the connection\n", coap_session_str(session_), bad);
    abort(bad, "unacceptable CSM option", now);
  } else {
    LOGW("%s: malformed message of %zu bytes: aborting the connection\n",
         coap_session_str(session_), length);
    abort(0, "malformed message", now);
  }
  disconnect(ChannelDown::kProtocol, COAP_NACK_NOT_DELIVERABLE, now);
}

void ReliableEnd::on_input(const uint8_t *data, size_t length, uint64_t now) {
  if (down) return;
  ++messages_in;
  coap_pdu_t *pdu = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, 0);
  if (!pdu) return;
  if (!pdu->parse(session_->proto, data, length)) {
    coap_pdu_t::destroy(pdu);
    reject_malformed(data, length, now);
    return;
  }
  pdu->session = session_;
  if (log::enabled(COAP_LOG_DEBUG)) coap_show_pdu(COAP_LOG_DEBUG, pdu);
  if (is_signaling_code(pdu->code)) {
    handle_signal(pdu, now);
    coap_pdu_t::destroy(pdu);
    return;
  }
  if (pdu->code == COAP_EMPTY_CODE) {
    // Section 3.4: Empty messages may always be sent and are ignored.
    // libcoap 4.3.5 reports one to the ping handler, as a UDP ping.
    LOGD("%s: ignoring an empty message\n", coap_session_str(session_));
    if (session_->context->ping_handler) session_->context->ping_handler(session_, pdu, pdu->mid);
    coap_pdu_t::destroy(pdu);
    return;
  }
  // Requests and responses: as for UDP, minus what reliability makes
  // unnecessary (handle_pdu skips deduplication for reliable sessions).
  handle_pdu(session_, pdu, now);
}

void ReliableEnd::apply_csm(const coap_pdu_t *pdu, uint64_t now) {
  coap_opt_iterator_t it;
  coap_opt_t *opt;
  bool max_message_seen = false;
  if (coap_option_iterator_init(pdu, &it, COAP_OPT_ALL)) {
    while ((opt = coap_option_next(&it)) != nullptr) {
      switch (it.number) {
        case COAP_SIGNALING_OPTION_MAX_MESSAGE_SIZE:
          peer_max_message = option_uint(opt);
          max_message_seen = true;
          break;
        case COAP_SIGNALING_OPTION_BLOCK_WISE_TRANSFER:
          peer_block = true;
          break;
        case COAP_SIGNALING_OPTION_EXTENDED_TOKEN_LENGTH: {
          uint32_t v = option_uint(opt);
          if (v < 8 || v > COAP_TOKEN_EXT_MAX) {
            // RFC 8974 section 2.2.1: 8 is the smallest meaningful value.
            LOGW("%s: CSM Extended-Token-Length %u is invalid: aborting the connection\n",
                 coap_session_str(session_), v);
            abort(COAP_SIGNALING_OPTION_EXTENDED_TOKEN_LENGTH, "invalid Extended-Token-Length",
                  now);
            disconnect(ChannelDown::kProtocol, COAP_NACK_NOT_DELIVERABLE, now);
            return;
          }
          peer_max_token = v;
          break;
        }
        default:
          break;  // unknown elective options are ignored (critical ones fail parsing)
      }
    }
  }
  if (max_message_seen) {
    peer_sent_max_message = true;
    session_->mtu = peer_max_message < 64 ? 64 : peer_max_message;
    // Block-Wise-Transfer with more than the base size also offers BERT.
    peer_bert = peer_block && peer_max_message > kBertBase;
  }
  csm_received = true;
  if (session_->state == COAP_SESSION_STATE_CSM) {
    establish(now);
  } else if (csm_timed_out) {
    LOGW(
        "%s: CSM received after the CSM timeout; coap_context_set_csm_timeout_ms() could allow "
        "more than %u ms\n",
        coap_session_str(session_), session_->context->csm_timeout_ms);
  }
}

void ReliableEnd::handle_signal(coap_pdu_t *pdu, uint64_t now) {
  coap_context_t *ctx = session_->context;
  switch (pdu->code) {
    case COAP_SIGNALING_CODE_CSM:
      apply_csm(pdu, now);
      break;
    case COAP_SIGNALING_CODE_PING: {
      if (ctx->ping_handler) ctx->ping_handler(session_, pdu, pdu->mid);
      if (down) break;
      // Section 5.4: the Pong carries the Ping's token; Custody says all
      // earlier requests were processed, which is always true here.
      coap_pdu_t *pong = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_SIGNALING_CODE_PONG, 0, 0);
      if (!pong) break;
      if (pong->add_token(pdu->token(), pdu->token_length())) {
        pong->add_option(COAP_SIGNALING_OPTION_CUSTODY, nullptr, 0);
        transmit(pong, now);
      }
      coap_pdu_t::destroy(pong);
      break;
    }
    case COAP_SIGNALING_CODE_PONG:
      ping_unanswered_ = false;
      if (ctx->pong_handler) ctx->pong_handler(session_, pdu, pdu->mid);
      break;
    case COAP_SIGNALING_CODE_RELEASE:
    case COAP_SIGNALING_CODE_ABORT: {
      bool release = pdu->code == COAP_SIGNALING_CODE_RELEASE;
      size_t n = 0;
      const uint8_t *text = nullptr;
      coap_get_data(pdu, &n, &text);
      LOGI("%s: the peer %s the connection%s%.*s\n", coap_session_str(session_),
           release ? "released" : "aborted", n ? ": " : "", static_cast<int>(n),
           reinterpret_cast<const char *>(text ? text : reinterpret_cast<const uint8_t *>("")));
      disconnect(ChannelDown::kReleased, COAP_NACK_RST, now);
      break;
    }
    default:
      LOGD("%s: ignoring signaling code 7.%02d\n", coap_session_str(session_), pdu->code & 31);
      break;
  }
}

void ReliableEnd::on_down(ChannelDown why, const char *detail, uint64_t now) {
  if (down) return;
  if (why == ChannelDown::kProtocol) {
    LOGW("%s: %s: closing the connection\n", coap_session_str(session_),
         detail ? detail : "protocol error");
    abort(0, detail, now);
  }
  // A failed WebSocket upgrade has its own nack reason (core/websocket.h).
  disconnect(why,
             why == ChannelDown::kWsFailed ? COAP_NACK_WS_LAYER_FAILED : COAP_NACK_NOT_DELIVERABLE,
             now);
}

// --- connection state ------------------------------------------------------

void ReliableEnd::establish(uint64_t now) {
  csm_deadline_ = 0;
  LOGD("%s: session connected\n", coap_session_str(session_));
  // The event comes while the state is still CSM, as in libcoap.
  session_->context->notify(session_, COAP_EVENT_SESSION_CONNECTED);
  if (down) return;
  session_->state = COAP_SESSION_STATE_ESTABLISHED;
  flush_held(now);
  reschedule(now);
}

void ReliableEnd::csm_timeout(uint64_t now) {
  csm_deadline_ = 0;
  if (session_->type == COAP_SESSION_TYPE_SERVER && messages_in == 0) {
    // A peer that connects and says nothing only ties up a socket.
    LOGI("%s: no CSM from the peer within %u ms: closing the connection\n",
         coap_session_str(session_), session_->context->csm_timeout_ms);
    disconnect(ChannelDown::kProtocol, COAP_NACK_NOT_DELIVERABLE, now);
    return;
  }
  // A peer without CSM support gets the base values (RFC 8323 5.3).
  LOGD("%s: timeout waiting for CSM\n", coap_session_str(session_));
  csm_timed_out = true;
  establish(now);
}

uint64_t ReliableEnd::keepalive_due(uint64_t now) const {
  const coap_context_t *ctx = session_->context;
  // Client sessions keep their connection alive (coap_keepalive(3)).
  if (!ctx->ping_timeout || session_->type != COAP_SESSION_TYPE_CLIENT ||
      session_->state != COAP_SESSION_STATE_ESTABLISHED) {
    return UINT64_MAX;
  }
  uint64_t due = session_->last_activity + ctx->ping_timeout * 1000ull;
  return due > now ? due : now;
}

void ReliableEnd::keepalive(uint64_t now) {
  if (keepalive_due(now) == UINT64_MAX) return;
  if (now < session_->last_activity + session_->context->ping_timeout * 1000ull) return;
  // Quiet for an interval: a Ping (section 5.4). A Ping of the previous
  // interval still without Pong means the keepalive failed.
  bool failed = ping_unanswered_;
  if (ping(now) == COAP_INVALID_MID) return;
  ping_unanswered_ = true;
  if (failed) session_->context->notify(session_, COAP_EVENT_KEEPALIVE_FAILURE);
}

void ReliableEnd::reschedule(uint64_t now) {
  coap_context_t *ctx = session_->context;
  if (down) {
    ctx->timers.cancel(&timer_.timer);
    return;
  }
  uint64_t due = csm_deadline_ ? csm_deadline_ : UINT64_MAX;
  uint64_t ka = keepalive_due(now);
  if (ka < due) due = ka;
  uint64_t below = lower_ ? lower_->next_timeout() : UINT64_MAX;
  if (below < due) due = below;
  if (due == UINT64_MAX) {
    ctx->timers.cancel(&timer_.timer);
  } else {
    ctx->timers.schedule(&timer_.timer, due);
  }
}

void ReliableEnd::fire(uint64_t now) {
  reliable::Hold hold(session_);
  if (csm_deadline_ && now >= csm_deadline_) csm_timeout(now);
  if (!down && lower_ && lower_->next_timeout() <= now) lower_->on_timer(now);
  if (!down) keepalive(now);
  if (!down) reschedule(now);
}

void ReliableEnd::disconnect(ChannelDown why, coap_nack_reason_t reason, uint64_t now) {
  if (down) return;
  down = true;
  coap_context_t *ctx = session_->context;
  coap_session_state_t was = session_->state;
  session_->state = COAP_SESSION_STATE_NONE;
  csm_deadline_ = 0;
  ctx->timers.cancel(&timer_.timer);
  if (held_count_) {
    LOGD("%s: %zu held messages not sent\n", coap_session_str(session_), held_count_);
    held_.clear();
    held_count_ = 0;
  }
  LOGD("%s: session disconnected (%s)\n", coap_session_str(session_), reason_name(reason));
  // libcoap's order: a failed connect was reported (TCP_FAILED) already;
  // then the nack, the transport's end (TCP_CLOSED) and the session's.
  (void)why;
  if (ctx->nack_handler) ctx->nack_handler(session_, nullptr, reason, 0);
  close(now);
  if (was != COAP_SESSION_STATE_NONE) {
    ctx->notify(session_, was == COAP_SESSION_STATE_ESTABLISHED ? COAP_EVENT_SESSION_CLOSED
                                                                : COAP_EVENT_SESSION_FAILED);
  }
  if (session_->type == COAP_SESSION_TYPE_SERVER) reap = true;
}

// --- free functions --------------------------------------------------------

namespace reliable {

ReliableEnd *end_of(const coap_session_t *s) {
  if (!s || !s->channel || !s->reliable()) return nullptr;
  // Every reliable session's stack has a ReliableEnd on top (core/stream.cc).
  return static_cast<ReliableEnd *>(s->channel);
}

Hold::Hold(coap_session_t *session) : session_(session) {
  reference_session(session);
}

Hold::~Hold() {
  coap_session_t *s = session_;
  ReliableEnd *r = end_of(s);
  if (!(r && r->reap && s->type == COAP_SESSION_TYPE_SERVER)) {
    release_session(s);  // may free a client session the application let go
    return;
  }
  release_session(s);  // server sessions are never freed here
  if (s->ref == 0) free_session(s);
}

bool transmit(coap_session_t *s, coap_pdu_t *pdu, uint64_t now) {
  ReliableEnd *r = end_of(s);
  return r && r->transmit(pdu, now);
}

void reschedule(coap_session_t *s, uint64_t now) {
  if (ReliableEnd *r = end_of(s)) r->reschedule(now);
}

void session_freeing(coap_session_t *s) {
  ReliableEnd *r = end_of(s);
  if (!r || r->down) return;
  // The library ends the connection itself (the application released its
  // client session, idle expiry, the endpoint or context going away):
  // quietly, as libcoap does; the socket closes with the channel.
  r->down = true;
  r->reschedule(0);  // cancels the stack's timer
}

coap_mid_t send_ping(coap_session_t *s, uint64_t now) {
  ReliableEnd *r = end_of(s);
  return r ? r->ping(now) : COAP_INVALID_MID;
}

void disconnect(coap_session_t *s, coap_nack_reason_t reason, uint64_t now) {
  ReliableEnd *r = end_of(s);
  if (!r) return;
  Hold hold(s);
  r->disconnect(ChannelDown::kLocal, reason, now);
}

bool has_output(const coap_session_t *s) {
  ReliableEnd *r = end_of(s);
  return r && !r->down && (r->held() > 0 || stream::queued(s) > 0);
}

bool uses_bert(const coap_session_t *s) {
  ReliableEnd *r = end_of(s);
  return r && r->local_bert && r->peer_bert;
}

size_t max_pdu_size(unsigned mtu) {
  // The header is 2 bytes plus the extended length that the size needs.
  if (mtu < 2) return 0;
  if (mtu < 13 + 2) return mtu - 2;
  if (mtu < 269 + 3) return mtu - 3;
  if (mtu < 65805 + 4) return mtu - 4;
  return mtu - 6;
}

}  // namespace reliable

}  // namespace coap
