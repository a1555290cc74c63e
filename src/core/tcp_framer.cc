#include "core/tcp_framer.h"

#include <cstdio>

#include "wire/tcp_frame.h"

namespace coap {

bool TcpFramer::send(const uint8_t *data, size_t length, uint64_t now) {
  return !closed_ && lower_ && lower_->send(data, length, now);
}

void TcpFramer::fail(const char *detail, uint64_t now) {
  failed_ = true;
  partial_.clear();
  expected_ = 0;
  if (upper_) upper_->on_down(ChannelDown::kProtocol, detail, now);
}

bool TcpFramer::acceptable(uint64_t total, uint64_t now) {
  if (total <= limit_) return true;
  std::snprintf(detail_, sizeof(detail_), "message of %llu bytes exceeds our Max-Message-Size %llu",
                static_cast<unsigned long long>(total), static_cast<unsigned long long>(limit_));
  fail(detail_, now);
  return false;
}

void TcpFramer::on_input(const uint8_t *data, size_t n, uint64_t now) {
  while (n > 0 && !closed_ && !failed_) {
    if (partial_.empty()) {
      // Whole messages are handed up straight from the input, without a
      // copy; only an incomplete tail is kept.
      wire::TcpFrameScan scan = wire::scan_tcp_frame(data, n);
      if (scan.status == wire::TcpFrameScan::kInvalid) {
        fail("invalid message header (reserved token length 15)", now);
        return;
      }
      if (scan.status == wire::TcpFrameScan::kComplete) {
        if (!acceptable(scan.total, now)) return;
        if (scan.total <= n) {
          size_t total = static_cast<size_t>(scan.total);
          upper_->on_input(data, total, now);
          data += total;
          n -= total;
          continue;
        }
        expected_ = scan.total;
      } else {
        expected_ = 0;
      }
      if (!partial_.append(data, n)) fail("out of memory for an incoming message", now);
      return;
    }
    // Complete the held message: first its header, then the rest. Never
    // take bytes beyond it: they start the next message.
    size_t want = 0;
    if (expected_ == 0) {
      // The first byte is held, so the header's size is known.
      wire::TcpFrameScan scan = wire::scan_tcp_frame(partial_.data(), partial_.size());
      if (scan.need > partial_.size()) want = scan.need - partial_.size();
    } else if (expected_ > partial_.size()) {
      want = static_cast<size_t>(expected_ - partial_.size());
    }
    size_t take = want < n ? want : n;
    if (!partial_.append(data, take)) {
      fail("out of memory for an incoming message", now);
      return;
    }
    data += take;
    n -= take;
    if (expected_ == 0) {
      wire::TcpFrameScan scan = wire::scan_tcp_frame(partial_.data(), partial_.size());
      if (scan.status == wire::TcpFrameScan::kInvalid) {
        fail("invalid message header (reserved token length 15)", now);
        return;
      }
      if (scan.status != wire::TcpFrameScan::kComplete) continue;
      if (!acceptable(scan.total, now)) return;
      expected_ = scan.total;
    }
    if (partial_.size() == expected_) {
      expected_ = 0;
      upper_->on_input(partial_.data(), partial_.size(), now);
      // The layer above may have closed the channel meanwhile; the buffer
      // is only reset while it is still in use.
      if (!closed_) partial_.clear();
    }
  }
}

}  // namespace coap
