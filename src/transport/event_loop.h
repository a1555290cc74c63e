// The edge of the library: sockets and epoll. Reads datagrams in batches,
// feeds them to the protocol core with the current time, runs the core's
// timers, and writes what the core sends. One loop per context.
#pragma once

#include <sys/epoll.h>

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"
#include "core/packet_io.h"

namespace coap {

class EventLoop final : public PacketIo {
 public:
  static EventLoop *create(coap_context_t *context);
  static void destroy(EventLoop *loop);

  int epoll_fd() const { return epfd_; }

  // coap_io_process(): one round of timers and I/O, waiting up to
  // timeout_ms (COAP_IO_WAIT: until something is due; COAP_IO_NO_WAIT: not
  // at all). Extra descriptors from coap_io_process_with_fds() are waited
  // for too. Returns the milliseconds spent, -1 on error. Called with the
  // context lock held; releases it while waiting.
  int process(uint32_t timeout_ms, int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds);

  // Runs due timers; returns ms until the next one (UINT64_MAX: none).
  uint64_t prepare(uint64_t now);
  // Handles events returned by epoll_wait on epoll_fd().
  void dispatch(const struct epoll_event *events, int count, uint64_t now);
  // Reads whatever is waiting on every socket (coap_io_do_io()).
  void poll_all(uint64_t now);

  // PacketIo
  ssize_t send(coap_session_t *session, const uint8_t *data, size_t length) override;
  bool open_client(coap_session_t *session) override;
  void close_client(coap_session_t *session) override;
  bool open_endpoint(coap_endpoint_t *endpoint) override;
  void close_endpoint(coap_endpoint_t *endpoint) override;

  EventLoop(const EventLoop &) = delete;
  EventLoop &operator=(const EventLoop &) = delete;
  EventLoop() = default;
  ~EventLoop() override;

 private:
  static constexpr int kMaxEvents = 32;
  static constexpr int kBatch = 16;
  static constexpr size_t kBufferSize = 4096;

  void watch(int fd, uint64_t tag);
  void unwatch(int fd, uint64_t tag);
  void read_endpoint(coap_endpoint_t *ep, uint64_t now);
  void read_client(coap_session_t *session, uint64_t now);
  bool closed_meanwhile(uint64_t tag) const;

  coap_context_t *context_ = nullptr;
  int epfd_ = -1;
  // Events being dispatched; entries for closed sockets are cleared so a
  // handler that frees a session cannot leave a dangling event behind.
  struct epoll_event *current_ = nullptr;
  int current_count_ = 0;
  uint64_t closed_[kMaxEvents] = {};  // sockets closed during dispatch
  int closed_count_ = 0;
  uint8_t *buffers_ = nullptr;  // kBatch * kBufferSize receive buffers

  // A timerfd in the epoll set, kept armed for the earliest timer, so that
  // applications waiting on epoll_fd() themselves (as libcoap's examples
  // do) wake up when a retransmission or a separate response is due, and
  // a timer scheduled from another thread interrupts the wait.
  static void on_earliest_timer(void *self);
  void arm_timer();
  int timerfd_ = -1;
  uint64_t armed_due_ = UINT64_MAX;
};

}  // namespace coap
