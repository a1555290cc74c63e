#include "core/websocket.h"

#include <cstdio>
#include <cstring>

#include "core/context.h"
#include "core/session.h"
#include "core/stream_socket.h"
#include "runtime/log.h"
#include "runtime/prng.h"
#include "util/base64.h"
#include "util/memory.h"

namespace coap {

namespace {

// Longest Host header value sent (a DNS name has at most 253 characters).
constexpr size_t kMaxHostHeader = 300;

}  // namespace

WebSocket::WebSocket(coap_session_t *session, bool client, uint64_t limit)
    : Channel(session), client_(client), limit_(limit) {}

WebSocket::~WebSocket() {
  deallocate(host_);
}

bool WebSocket::set_host(const uint8_t *host, size_t length) {
  uint8_t *copy = static_cast<uint8_t *>(allocate(length + 1));
  if (!copy) return false;
  if (length) std::memcpy(copy, host, length);
  copy[length] = '\0';
  deallocate(host_);
  host_ = copy;
  host_length_ = length;
  return true;
}

// --- sending -------------------------------------------------------------------

bool WebSocket::send_frame(uint8_t opcode, const uint8_t *data, size_t length, uint64_t now) {
  if (!lower_) return false;
  uint8_t header[wire::kWsMaxHeader];
  uint8_t mask[4];
  // Section 5.3: a client masks every frame with a new, unpredictable key.
  if (client_ && !prng::fill(mask, sizeof(mask))) return false;
  size_t header_size =
      wire::encode_ws_header(header, true, opcode, length, client_ ? mask : nullptr);
  out_.clear();
  bool ok = out_.append(header, header_size);
  if (client_) {
    uint8_t chunk[1024];
    for (size_t done = 0; ok && done < length; done += sizeof(chunk)) {
      size_t n = length - done < sizeof(chunk) ? length - done : sizeof(chunk);
      wire::ws_mask_copy(chunk, data + done, n, mask, done);
      ok = out_.append(chunk, n);
    }
  } else {
    ok = ok && out_.append(data, length);
  }
  if (!ok) {
    out_.clear();
    LOGW("%s: out of memory for a WebSocket frame\n", coap_session_str(session_));
    return false;
  }
  ok = lower_->send(out_.data(), out_.size(), now);
  out_.clear();
  if (ok) {
    LOGD("%s: ws: sent frame (opcode %u, %zu bytes)\n", coap_session_str(session_), opcode, length);
  }
  return ok;
}

bool WebSocket::send(const uint8_t *data, size_t length, uint64_t now) {
  if (stopped() || state_ != State::kOpen || close_sent_) return false;
  return send_frame(wire::kWsBinary, data, length, now);
}

bool WebSocket::send_close(uint16_t status, uint64_t now) {
  if (close_sent_) return false;
  close_sent_ = true;
  // Section 5.5.1: the status code first; none at all is allowed too.
  uint8_t body[2] = {static_cast<uint8_t>(status >> 8), static_cast<uint8_t>(status)};
  LOGD("%s: ws: sending close (%u)\n", coap_session_str(session_), status);
  return send_frame(wire::kWsClose, body, status == wire::kWsNoStatus ? 0 : 2, now);
}

void WebSocket::report_closed() {
  if (closed_reported_) return;
  closed_reported_ = true;
  session_->context->notify(session_, COAP_EVENT_WS_CLOSED);
}

// --- the upgrade ---------------------------------------------------------------

void WebSocket::on_open(uint64_t now) {
  if (state_ != State::kIdle || closed_) return;
  state_ = State::kUpgrading;
  deadline_ = now + kUpgradeTimeoutMs;
  if (client_) {
    send_request(now);
  } else if (session_->state == COAP_SESSION_STATE_NONE) {
    // A server session is connecting until the upgrade is done (libcoap
    // reports COAP_EVENT_WS_CONNECTED in this state).
    session_->state = COAP_SESSION_STATE_CONNECTING;
  }
  if (state_ == State::kUpgrading && upper_) upper_->timer_changed(now);
}

void WebSocket::send_request(uint64_t now) {
  if (!host_) {
    // As libcoap: the application names the host (coap_ws_set_host_request(),
    // which coap-client does with the URI's host).
    upgrade_failed(0, "no Host for the WebSocket upgrade request (coap_ws_set_host_request())",
                   false, now);
    return;
  }
  uint8_t raw_key[wire::kWsKeySize];
  if (!prng::fill(raw_key, sizeof(raw_key))) {
    upgrade_failed(0, "no random bytes for Sec-WebSocket-Key", false, now);
    return;
  }
  base64_encode(raw_key, sizeof(raw_key), key_);
  char host[kMaxHostHeader];
  char request[kMaxHostHeader + 256];
  size_t n = 0;
  if (wire::ws_host_header(reinterpret_cast<const char *>(host_), host_length_,
                           coap_address_get_port(&session_->remote()),
                           session_->proto == COAP_PROTO_WSS, host, sizeof(host))) {
    n = wire::ws_format_request(request, sizeof(request), host, key_);
  }
  if (n == 0) {
    upgrade_failed(0, "the WebSocket Host name is too long", false, now);
    return;
  }
  LOGD("%s: WebSocket upgrade request:\n%s", coap_session_str(session_), request);
  if (!lower_ || !lower_->send(reinterpret_cast<const uint8_t *>(request), n, now)) {
    upgrade_failed(0, "cannot send the WebSocket upgrade request", false, now);
  }
}

void WebSocket::take_head(const uint8_t *data, size_t length, uint64_t now) {
  if (!head_.append(data, length)) {
    upgrade_failed(client_ ? 0 : 500, "out of memory for the HTTP head", true, now);
    return;
  }
  size_t head_length = wire::http_head_length(head_.data(), head_.size());
  if (head_length == 0) {
    if (head_.size() > wire::kWsMaxHead) {
      upgrade_failed(client_ ? 0 : 431, "HTTP head too long", true, now);
    }
    return;
  }
  if (head_length > wire::kWsMaxHead) {
    upgrade_failed(client_ ? 0 : 431, "HTTP head too long", true, now);
    return;
  }
  const char *head = reinterpret_cast<const char *>(head_.data());
  bool ok =
      client_ ? check_response(head, head_length, now) : accept_request(head, head_length, now);
  if (!ok) {
    head_.clear();
    return;
  }
  upgraded_now(now);
  // Whatever followed the head in the same input is the first frames.
  if (!stopped() && head_.size() > head_length) {
    take_frames(head_.data() + head_length, head_.size() - head_length, now);
  }
  head_.clear();
}

bool WebSocket::accept_request(const char *head, size_t length, uint64_t now) {
  LOGD("%s: WebSocket upgrade request:\n%.*s", coap_session_str(session_), static_cast<int>(length),
       head);
  wire::WsRequestCheck check = wire::ws_check_request(head, length);
  if (check.status != 101) {
    upgrade_failed(check.status, check.problem, true, now);
    return false;
  }
  char answer[256];
  size_t n = wire::ws_format_accept(answer, sizeof(answer), check.key);
  if (n == 0 || !lower_ || !lower_->send(reinterpret_cast<const uint8_t *>(answer), n, now)) {
    upgrade_failed(0, "cannot send the WebSocket upgrade answer", true, now);
    return false;
  }
  return true;
}

bool WebSocket::check_response(const char *head, size_t length, uint64_t now) {
  LOGD("%s: WebSocket upgrade answer:\n%.*s", coap_session_str(session_), static_cast<int>(length),
       head);
  wire::WsResponseCheck check = wire::ws_check_response(head, length, key_);
  if (!check.ok) {
    if (check.status && check.status != 101) {
      std::snprintf(detail_, sizeof(detail_), "the server refused the upgrade (HTTP status %d)",
                    check.status);
      upgrade_failed(0, detail_, true, now);
    } else {
      upgrade_failed(0, check.problem, true, now);
    }
    return false;
  }
  return true;
}

void WebSocket::upgraded_now(uint64_t now) {
  state_ = State::kOpen;
  deadline_ = 0;
  LOGD("%s: WebSocket connection established\n", coap_session_str(session_));
  session_->context->notify(session_, COAP_EVENT_WS_CONNECTED);
  if (stopped()) return;
  // The layer above starts (RFC 8323 section 4.4: the CSM exchange).
  if (upper_) upper_->on_open(now);
}

void WebSocket::upgrade_failed(int status, const char *why, bool during_input, uint64_t now) {
  if (state_ == State::kDone || closed_) return;
  state_ = State::kDone;
  deadline_ = 0;
  LOGI("%s: WebSocket upgrade failed: %s\n", coap_session_str(session_), why);
  if (status && !client_ && lower_) {
    char answer[256];
    size_t n = wire::ws_format_refusal(answer, sizeof(answer), status);
    if (n) lower_->send(reinterpret_cast<const uint8_t *>(answer), n, now);
  }
  // libcoap reports the end of a connection whose session never left
  // CONNECTING as COAP_EVENT_TCP_FAILED. Every stream stack ends in a
  // StreamSocket (core/stream.cc build_stack()).
  Channel *bottom = bottom_layer(this);
  if (bottom != this) static_cast<StreamSocket *>(bottom)->setup_failed();
  coap_context_t *ctx = session_->context;
  coap_session_t *s = session_;
  if (upper_) {
    upper_->on_down(ChannelDown::kWsFailed, why, now);
  } else {
    Channel::close(now);
  }
  // libcoap 4.3.5 then reports the failed read a second time, as a nack
  // NOT_DELIVERABLE (the session is already disconnected).
  if (during_input && ctx->nack_handler) {
    ctx->nack_handler(s, nullptr, COAP_NACK_NOT_DELIVERABLE, 0);
  }
}

// --- frames ----------------------------------------------------------------------

void WebSocket::on_input(const uint8_t *data, size_t length, uint64_t now) {
  switch (state_) {
    case State::kUpgrading:
      take_head(data, length, now);
      break;
    case State::kOpen:
      take_frames(data, length, now);
      break;
    default:
      // Before the connection is announced, or after the end: dropped.
      LOGD("%s: ws: %zu bytes ignored\n", coap_session_str(session_), length);
      break;
  }
}

void WebSocket::take_frames(const uint8_t *p, size_t n, uint64_t now) {
  while (n > 0 && !stopped()) {
    if (!in_payload_) {
      // The header is gathered in full (never beyond it) before it is read.
      wire::WsHeaderScan scan = wire::scan_ws_header(header_, header_have_);
      while (scan.status == wire::WsHeaderScan::kNeedMore && n > 0) {
        size_t want = scan.need - header_have_;
        size_t take = want < n ? want : n;
        std::memcpy(header_ + header_have_, p, take);
        header_have_ += take;
        p += take;
        n -= take;
        scan = wire::scan_ws_header(header_, header_have_);
      }
      if (scan.status == wire::WsHeaderScan::kNeedMore) return;
      header_have_ = 0;
      if (scan.status == wire::WsHeaderScan::kInvalid) {
        fail(wire::kWsProtocolError, "invalid frame length", now);
        return;
      }
      frame_ = scan.header;
      if (!frame_started(now)) return;
      in_payload_ = true;
      payload_seen_ = 0;
      control_have_ = 0;
      if (frame_.length == 0) {
        in_payload_ = false;
        frame_finished(now);
      }
      continue;
    }
    uint64_t left = frame_.length - payload_seen_;
    size_t take = left < n ? static_cast<size_t>(left) : n;
    frame_payload(p, take, now);
    if (stopped()) return;
    p += take;
    n -= take;
    payload_seen_ += take;
    if (payload_seen_ == frame_.length) {
      in_payload_ = false;
      frame_finished(now);
    }
  }
}

bool WebSocket::frame_started(uint64_t now) {
  const wire::WsFrameHeader &f = frame_;
  LOGD("%s: ws: frame (fin %d, opcode %u, %s, %llu bytes)\n", coap_session_str(session_),
       f.fin ? 1 : 0, f.opcode, f.masked ? "masked" : "unmasked",
       static_cast<unsigned long long>(f.length));
  // Section 5.2 and 5.1: no extension was agreed, so no reserved bit may
  // be set; clients mask every frame, servers none.
  if (f.rsv) {
    fail(wire::kWsProtocolError, "reserved bits set in a frame", now);
    return false;
  }
  if (!wire::ws_opcode_known(f.opcode)) {
    fail(wire::kWsProtocolError, "frame with a reserved opcode", now);
    return false;
  }
  if (!client_ && !f.masked) {
    fail(wire::kWsProtocolError, "unmasked frame from the client", now);
    return false;
  }
  if (client_ && f.masked) {
    fail(wire::kWsProtocolError, "masked frame from the server", now);
    return false;
  }
  if (wire::ws_is_control(f.opcode)) {
    // Section 5.5: control frames are short and never fragmented; they
    // may come between the fragments of a message.
    if (!f.fin || f.length > wire::kWsMaxControlPayload) {
      fail(wire::kWsProtocolError, "fragmented or oversized control frame", now);
      return false;
    }
    return true;
  }
  if (f.opcode == wire::kWsText) {
    // RFC 8323 section 4.2: CoAP messages travel in binary frames only.
    fail(wire::kWsUnsupportedData, "text frame (CoAP uses binary frames)", now);
    return false;
  }
  if (f.opcode == wire::kWsBinary) {
    if (fragmented_) {
      fail(wire::kWsProtocolError, "new message before the fragmented one ended", now);
      return false;
    }
    message_.clear();
    message_size_ = 0;
  } else if (!fragmented_) {
    fail(wire::kWsProtocolError, "continuation frame without a message", now);
    return false;
  }
  if (f.length > limit_ || message_size_ > limit_ - f.length) {
    std::snprintf(detail_, sizeof(detail_),
                  "message of %llu bytes or more exceeds our Max-Message-Size %llu",
                  static_cast<unsigned long long>(message_size_ + f.length),
                  static_cast<unsigned long long>(limit_));
    LOGW("%s: %s\n", coap_session_str(session_), detail_);
    session_->context->notify(session_, COAP_EVENT_WS_PACKET_SIZE);
    if (stopped()) return false;
    fail(wire::kWsTooBig, detail_, now);
    return false;
  }
  message_size_ += f.length;
  fragmented_ = !f.fin;
  return true;
}

void WebSocket::frame_payload(const uint8_t *p, size_t n, uint64_t now) {
  const uint8_t *mask = frame_.masked ? frame_.mask : nullptr;
  if (wire::ws_is_control(frame_.opcode)) {
    // At most 125 bytes in all (checked in frame_started()).
    if (mask) {
      wire::ws_mask_copy(control_ + control_have_, p, n, mask, payload_seen_);
    } else {
      std::memcpy(control_ + control_have_, p, n);
    }
    control_have_ += n;
    return;
  }
  if (!mask && frame_.fin && message_.empty() && payload_seen_ == 0 && n == frame_.length) {
    // A whole unfragmented message in one piece of input (what a client
    // usually gets): handed up without a copy.
    fragmented_ = false;
    message_size_ = 0;
    deliver(p, n, now);
    direct_ = true;
    return;
  }
  uint8_t chunk[1024];
  for (size_t done = 0; done < n;) {
    size_t k = n - done < sizeof(chunk) ? n - done : sizeof(chunk);
    const uint8_t *piece = p + done;
    if (mask) {
      wire::ws_mask_copy(chunk, piece, k, mask, payload_seen_ + done);
      piece = chunk;
    }
    if (!message_.append(piece, k)) {
      fail(wire::kWsInternalError, "out of memory for an incoming message", now);
      return;
    }
    done += k;
  }
}

void WebSocket::frame_finished(uint64_t now) {
  if (wire::ws_is_control(frame_.opcode)) {
    control_frame(now);
    return;
  }
  if (direct_) {
    direct_ = false;
    return;
  }
  if (!frame_.fin) return;  // more fragments follow
  fragmented_ = false;
  message_size_ = 0;
  deliver(message_.data(), message_.size(), now);
  message_.clear();
}

void WebSocket::deliver(const uint8_t *data, size_t length, uint64_t now) {
  if (length == 0) {
    // Carries no CoAP message at all (the smallest has 2 bytes).
    LOGD("%s: ws: empty message ignored\n", coap_session_str(session_));
    return;
  }
  LOGD("%s: ws: received a message of %zu bytes\n", coap_session_str(session_), length);
  if (upper_) upper_->on_input(data, length, now);
}

void WebSocket::control_frame(uint64_t now) {
  switch (frame_.opcode) {
    case wire::kWsPing:
      // Section 5.5.2: a Pong with the same application data, unless the
      // connection is closing.
      LOGD("%s: ws: ping (%zu bytes), sending pong\n", coap_session_str(session_), control_have_);
      if (!close_sent_) send_frame(wire::kWsPong, control_, control_have_, now);
      break;
    case wire::kWsPong:
      LOGD("%s: ws: pong ignored\n", coap_session_str(session_));
      break;
    case wire::kWsClose:
      peer_closed(now);
      break;
    default:
      break;
  }
}

void WebSocket::peer_closed(uint64_t now) {
  uint16_t status = wire::kWsNoStatus;
  if (control_have_ == 1) {
    fail(wire::kWsProtocolError, "close frame with a one-byte body", now);
    return;
  }
  if (control_have_ >= 2) {
    status = static_cast<uint16_t>((control_[0] << 8) | control_[1]);
    if (!wire::ws_close_status_valid(status)) {
      fail(wire::kWsProtocolError, "close frame with an invalid status code", now);
      return;
    }
    if (!wire::ws_utf8_valid(control_ + 2, control_have_ - 2)) {
      fail(wire::kWsInvalidData, "close frame with a reason that is not UTF-8", now);
      return;
    }
  }
  LOGD("%s: WebSocket closed by the peer (%u%s%.*s)\n", coap_session_str(session_), status,
       control_have_ > 2 ? " " : "", static_cast<int>(control_have_ > 2 ? control_have_ - 2 : 0),
       reinterpret_cast<const char *>(control_ + 2));
  // Section 5.5.1: answered with a close frame, echoing the status.
  send_close(status, now);
  state_ = State::kDone;
  report_closed();
  if (closed_) return;
  if (upper_) {
    upper_->on_down(ChannelDown::kPeerClosed, "WebSocket closed by the peer", now);
  } else {
    Channel::close(now);
  }
}

void WebSocket::fail(uint16_t status, const char *why, uint64_t now) {
  if (state_ == State::kDone || closed_) return;
  LOGI("%s: WebSocket: %s: closing with status %u\n", coap_session_str(session_), why, status);
  // Section 7.1.7: fail the connection with a close frame saying why.
  send_close(status, now);
  state_ = State::kDone;
  fragmented_ = false;
  message_.clear();
  report_closed();
  if (closed_) return;
  if (upper_) {
    upper_->on_down(ChannelDown::kProtocol, why, now);
  } else {
    Channel::close(now);
  }
}

// --- the rest of the channel interface -------------------------------------------

void WebSocket::close(uint64_t now) {
  if (closed_) return;
  // As libcoap: a close frame only while the session is still up (after a
  // disconnect the connection just closes).
  if (state_ == State::kOpen && !close_sent_ && session_->state != COAP_SESSION_STATE_NONE) {
    send_close(wire::kWsNormal, now);
    report_closed();
  }
  state_ = State::kDone;
  deadline_ = 0;
  Channel::close(now);
}

void WebSocket::say_goodbye(uint64_t now) {
  if (state_ == State::kOpen && !close_sent_ && !closed_) {
    send_close(wire::kWsNormal, now);
    report_closed();
  }
}

void WebSocket::on_down(ChannelDown why, const char *detail, uint64_t now) {
  if (state_ == State::kUpgrading) {
    // The connection ended before the upgrade was done.
    upgrade_failed(0, detail ? detail : "connection closed during the WebSocket upgrade", true,
                   now);
    return;
  }
  state_ = State::kDone;
  Channel::on_down(why, detail, now);
}

uint64_t WebSocket::next_timeout() const {
  uint64_t own = state_ == State::kUpgrading && deadline_ ? deadline_ : UINT64_MAX;
  uint64_t below = Channel::next_timeout();
  return own < below ? own : below;
}

void WebSocket::on_timer(uint64_t now) {
  if (state_ == State::kUpgrading && deadline_ && now >= deadline_) {
    upgrade_failed(0, "the WebSocket upgrade took too long", false, now);
    return;
  }
  if (lower_ && lower_->next_timeout() <= now) lower_->on_timer(now);
}

namespace websocket {

WebSocket *layer_of(const coap_session_t *s) {
  if (!s || !s->channel || (s->proto != COAP_PROTO_WS && s->proto != COAP_PROTO_WSS)) {
    return nullptr;
  }
  // WebSocket stacks have it right under their ReliableEnd (core/stream.cc).
  return static_cast<WebSocket *>(s->channel->lower());
}

void session_freeing(coap_session_t *s) {
  // (The frame needs no clock: it is written at once or queued.)
  if (WebSocket *ws = layer_of(s)) ws->say_goodbye(0);
}

}  // namespace websocket

}  // namespace coap
