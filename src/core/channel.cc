#include "core/channel.h"

#include "core/dtls.h"
#include "core/reliable.h"
#include "core/secure.h"
#include "core/session.h"
#include "core/websocket.h"
#include "util/memory.h"

namespace coap {

Channel::~Channel() {
  destroy(lower_);
}

void Channel::stack_on(Channel *lower) {
  lower_ = lower;
  if (lower) lower->upper_ = this;
}

void Channel::start(uint64_t now) {
  if (lower_) lower_->start(now);
}

void Channel::close(uint64_t now) {
  if (closed_) return;
  closed_ = true;
  if (lower_) lower_->close(now);
}

uint64_t Channel::next_timeout() const {
  return lower_ ? lower_->next_timeout() : UINT64_MAX;
}

void Channel::on_timer(uint64_t now) {
  if (lower_) lower_->on_timer(now);
}

void Channel::on_open(uint64_t now) {
  if (upper_) upper_->on_open(now);
}

void Channel::on_down(ChannelDown why, const char *detail, uint64_t now) {
  if (upper_) upper_->on_down(why, detail, now);
}

void Channel::timer_changed(uint64_t now) {
  if (upper_) upper_->timer_changed(now);
}

void destroy_channel(Channel *top) {
  destroy(top);
}

Channel *bottom_layer(Channel *top) {
  while (top && top->lower()) top = top->lower();
  return top;
}

bool channel_transmit(coap_session_t *s, coap_pdu_t *pdu, uint64_t now) {
  if (s->reliable()) return reliable::transmit(s, pdu, now);
  // The datagram stack: DTLS (core/dtls.h).
  return dtls::transmit(s, pdu, now);
}

void channel_housekeeping(coap_session_t *s, uint64_t now) {
  if (s->reliable()) {
    reliable::reschedule(s, now);
  } else {
    dtls::reschedule(s, now);
  }
}

bool channel_has_output(const coap_session_t *s) {
  return s->reliable() ? reliable::has_output(s) : dtls::has_output(s);
}

void channel_session_freeing(coap_session_t *s) {
  if (s->reliable()) reliable::session_freeing(s);
  // DTLS: close_notify and COAP_EVENT_DTLS_CLOSED (core/dtls.h); TLS:
  // close_notify (core/secure.h).
  if (s->proto == COAP_PROTO_DTLS) dtls::session_freeing(s);
  // WebSockets: a close frame and COAP_EVENT_WS_CLOSED (core/websocket.h),
  // before any TLS below says goodbye.
  if (s->proto == COAP_PROTO_WS || s->proto == COAP_PROTO_WSS) websocket::session_freeing(s);
  if (s->proto == COAP_PROTO_TLS || s->proto == COAP_PROTO_WSS) secure::session_freeing(s);
}

bool channel_hold_pdu(coap_session_t *s, coap_pdu_t *pdu) {
  return !s->reliable() && dtls::hold(s, pdu);
}

}  // namespace coap
