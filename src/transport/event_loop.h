// The edge of the library: sockets and epoll. Reads datagrams in batches,
// feeds them to the protocol core with the current time, runs the core's
// timers, and writes what the core sends. One loop per context.
#pragma once

#include <sys/epoll.h>

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"
#include "core/packet_io.h"
#include "transport/udp.h"
#include "util/byte_buffer.h"
#include "util/intrusive_list.h"

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

  // True while the loop runs handlers (timers, I/O) on the calling thread's
  // behalf: the loop must not be entered again from there.
  bool busy() const { return busy_ > 0; }

  // PacketIo
  ssize_t send(coap_session_t *session, const uint8_t *data, size_t length) override;
  bool open_client(coap_session_t *session) override;
  void close_client(coap_session_t *session) override;
  bool open_endpoint(coap_endpoint_t *endpoint) override;
  void close_endpoint(coap_endpoint_t *endpoint) override;
  bool stream_connect(coap_session_t *session) override;
  ssize_t stream_write(coap_session_t *session, const uint8_t *data, size_t length) override;
  void stream_close(coap_session_t *session) override;
  void stream_linger(coap_session_t *session, const uint8_t *data, size_t length) override;

  EventLoop(const EventLoop &) = delete;
  EventLoop &operator=(const EventLoop &) = delete;
  EventLoop() = default;
  ~EventLoop() override;

 private:
  static constexpr int kMaxEvents = 32;
  static constexpr int kBatch = 16;
  static constexpr size_t kBufferSize = 4096;

  void watch(int fd, uint64_t tag, uint32_t events = EPOLLIN);
  void rewatch(int fd, uint64_t tag, uint32_t events);
  void unwatch(int fd, uint64_t tag);
  void read_endpoint(coap_endpoint_t *ep, uint64_t now);
  void read_client(coap_session_t *session, uint64_t now);
  // Stream sockets (transport/tcp.h, core/stream.h).
  void accept_connections(coap_endpoint_t *ep, uint64_t now);
  void stream_event(coap_session_t *session, uint32_t events, uint64_t now);
  void resume_listeners();
  bool closed_meanwhile(uint64_t tag) const;

  // A closed stream connection whose last output is still being written
  // (stream_linger()); no session refers to it any more.
  struct Linger {
    ListHook link;
    int fd = -1;
    ByteBuffer out;
    uint64_t deadline = 0;
  };
  using LingerList = IntrusiveList<Linger, &Linger::link>;
  void linger_event(Linger *l, uint32_t events);
  void end_linger(Linger *l);
  void expire_lingering(uint64_t now);
  LingerList lingering_;
  size_t lingering_bytes_ = 0;

  struct BusyScope {
    explicit BusyScope(EventLoop *loop) : loop_(loop) { ++loop_->busy_; }
    ~BusyScope() { --loop_->busy_; }
    EventLoop *loop_;
  };
  int busy_ = 0;
  // Replies of server sessions wait here while a batch of received
  // datagrams is handled (read_endpoint()).
  udp::SendBatch sends_;
  bool batching_ = false;
  bool listeners_paused_ = false;  // out of descriptors: accepting resumes later

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
