#include "core/channel.h"

#include "core/reliable.h"
#include "core/session.h"
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
  // Only reliable (stream) stacks exist so far; a datagram stack (DTLS)
  // would encode the PDU and call s->channel->send() here.
  if (s->reliable()) return reliable::transmit(s, pdu, now);
  return false;
}

void channel_housekeeping(coap_session_t *s, uint64_t now) {
  if (s->reliable()) reliable::reschedule(s, now);
}

bool channel_has_output(const coap_session_t *s) {
  return s->reliable() && reliable::has_output(s);
}

void channel_session_freeing(coap_session_t *s) {
  if (s->reliable()) reliable::session_freeing(s);
}

}  // namespace coap
