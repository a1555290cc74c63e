#include "core/stream_socket.h"

#include <cstring>

#include "core/context.h"
#include "runtime/log.h"

namespace coap {

namespace {

// Output a peer may leave unread before the connection is given up: far
// above any message size, but a bound on what one connection can pin.
constexpr size_t kMaxQueued = 64u * 1024 * 1024;

}  // namespace

StreamSocket::StreamSocket(coap_session_t *session, bool connecting)
    : Channel(session), state_(State::kConnecting) {
  (void)connecting;  // accepted sockets are "connecting" until started
}

StreamSocket::~StreamSocket() {
  if (state_ != State::kClosed) release_socket();
}

void StreamSocket::release_socket() {
  coap_context_t *ctx = session_->context;
  if (ctx && ctx->io) {
    // Output still queued is not dropped: the I/O layer writes it before
    // closing (a response to the last request, the Abort explaining why).
    if (!broken_ && !out_.empty()) {
      ctx->io->stream_linger(session_, out_.data(), out_.size());
    } else {
      ctx->io->stream_close(session_);
    }
  }
  out_.clear();
}

bool StreamSocket::flush() {
  if (broken_) return false;
  coap_context_t *ctx = session_->context;
  while (!out_.empty()) {
    ssize_t n = ctx->io ? ctx->io->stream_write(session_, out_.data(), out_.size()) : -1;
    if (n < 0) {
      broken_ = true;
      return false;
    }
    if (n == 0) return true;  // the socket is full: the I/O layer calls writable()
    out_.consume(static_cast<size_t>(n));
  }
  return true;
}

bool StreamSocket::send(const uint8_t *data, size_t length, uint64_t now) {
  (void)now;
  if (state_ == State::kClosed || broken_ || closed_) return false;
  size_t written = 0;
  if (state_ == State::kOpen && out_.empty()) {
    coap_context_t *ctx = session_->context;
    ssize_t n = ctx->io ? ctx->io->stream_write(session_, data, length) : -1;
    if (n < 0) {
      // The I/O layer reports the broken connection on the read side.
      LOGD("%s: write failed\n", coap_session_str(session_));
      broken_ = true;
      return false;
    }
    written = static_cast<size_t>(n);
    if (written == length) return true;
  }
  if (out_.size() + (length - written) > kMaxQueued) {
    LOGW("%s: the peer does not read; %zu bytes of output pending, giving up\n",
         coap_session_str(session_), out_.size());
    broken_ = true;
    return false;
  }
  if (state_ == State::kOpen && out_.empty()) {
    LOGD("%s: socket full, %zu bytes queued\n", coap_session_str(session_), length - written);
  }
  if (!out_.append(data + written, length - written)) {
    // Part of a message may be out already: the stream is unusable.
    LOGW("%s: out of memory queueing output\n", coap_session_str(session_));
    broken_ = true;
    return false;
  }
  return true;
}

void StreamSocket::close(uint64_t now) {
  (void)now;
  if (closed_) return;
  closed_ = true;
  State was = state_;
  if (was == State::kClosed) return;
  // Best effort for what is still queued: the socket is non-blocking.
  if (was == State::kOpen) flush();
  state_ = State::kClosed;
  release_socket();
  coap_context_t *ctx = session_->context;
  bool failed = was != State::kOpen || setup_failed_;
  ctx->notify(session_, failed ? COAP_EVENT_TCP_FAILED : COAP_EVENT_TCP_CLOSED);
}

void StreamSocket::on_input(const uint8_t *data, size_t length, uint64_t now) {
  if (state_ == State::kOpen && upper_) upper_->on_input(data, length, now);
}

void StreamSocket::connected(uint64_t now, bool announce) {
  if (state_ != State::kConnecting) return;
  state_ = State::kOpen;
  session_->context->notify(session_, COAP_EVENT_TCP_CONNECTED);
  if (state_ != State::kOpen) return;  // closed from the event handler
  flush();
  if (announce) announce_open(now);
}

void StreamSocket::announce_open(uint64_t now) {
  if (state_ == State::kOpen && upper_) upper_->on_open(now);
}

void StreamSocket::writable(uint64_t now) {
  (void)now;
  if (state_ == State::kOpen) flush();
}

void StreamSocket::socket_closed(int err, uint64_t now) {
  if (state_ == State::kClosed) return;
  if (state_ == State::kConnecting) {
    LOGW("%s: connect failed: %s\n", coap_session_str(session_),
         err ? strerror(err) : "connection closed");
    state_ = State::kClosed;
    release_socket();
    session_->context->notify(session_, COAP_EVENT_TCP_FAILED);
    if (upper_) upper_->on_down(ChannelDown::kConnectFailed, err ? strerror(err) : nullptr, now);
    return;
  }
  LOGD("%s: connection %s\n", coap_session_str(session_),
       err ? strerror(err) : "closed by the peer");
  if (err) {
    broken_ = true;
    out_.clear();
  }
  // (After an orderly close the peer may still read: queued output is
  // written before the socket closes, see release_socket().)
  if (upper_) {
    // The layers above close the channel in turn, which releases the
    // socket and reports COAP_EVENT_TCP_CLOSED.
    upper_->on_down(ChannelDown::kPeerClosed, err ? strerror(err) : nullptr, now);
  } else {
    close(now);
  }
}

}  // namespace coap
