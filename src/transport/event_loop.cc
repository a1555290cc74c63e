#include "transport/event_loop.h"

#include <errno.h>
#include <string.h>
#include <sys/select.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/context.h"
#include "core/messaging.h"
#include "core/stream.h"
#include "runtime/clock.h"
#include "runtime/log.h"
#include "runtime/packet_loss.h"
#include "transport/tcp.h"
#include "transport/udp.h"
#include "util/memory.h"

namespace coap {

namespace {

constexpr uint64_t kClientTag = 1;
constexpr uint64_t kTimerTag = 2;   // the timerfd (no object lives at address 2)
constexpr uint64_t kLingerTag = 2;  // low bits of a lingering connection's tag

// How long, and for how many bytes in all, closed connections may take to
// hand their last output to peers that read slowly.
constexpr uint64_t kLingerMs = 10000;
constexpr size_t kMaxLingerBytes = 64u * 1024 * 1024;

uint64_t tag_of(coap_endpoint_t *ep) {
  return reinterpret_cast<uintptr_t>(ep);
}
uint64_t tag_of(coap_session_t *s) {
  return reinterpret_cast<uintptr_t>(s) | kClientTag;
}

}  // namespace

EventLoop *EventLoop::create(coap_context_t *context) {
  EventLoop *loop = coap::create<EventLoop>();
  if (!loop) return nullptr;
  loop->context_ = context;
  loop->epfd_ = epoll_create1(EPOLL_CLOEXEC);
  loop->buffers_ = static_cast<uint8_t *>(coap::allocate(kBatch * kBufferSize));
  if (loop->epfd_ < 0 || !loop->buffers_) {
    LOGE("coap_new_context: cannot set up the event loop: %s\n", strerror(errno));
    destroy(loop);
    return nullptr;
  }
  loop->timerfd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (loop->timerfd_ >= 0) {
    loop->watch(loop->timerfd_, kTimerTag);
    context->timers.set_wakeup(on_earliest_timer, loop);
  } else {
    LOGD("timerfd_create: %s (timers run only from coap_io_process())\n", strerror(errno));
  }
  return loop;
}

void EventLoop::on_earliest_timer(void *self) {
  static_cast<EventLoop *>(self)->arm_timer();
}

void EventLoop::arm_timer() {
  if (timerfd_ < 0) return;
  uint64_t due = context_->timers.empty() ? UINT64_MAX : context_->timers.next_due();
  if (due == armed_due_) return;
  armed_due_ = due;
  struct itimerspec spec;
  memset(&spec, 0, sizeof(spec));  // all zero: disarmed
  if (due != UINT64_MAX) {
    uint64_t now = clock::ticks_ms();
    uint64_t wait = due > now ? due - now : 0;
    spec.it_value.tv_sec = static_cast<time_t>(wait / 1000);
    // One extra nanosecond: a zero it_value would disarm instead.
    spec.it_value.tv_nsec = static_cast<long>((wait % 1000) * 1000000 + 1);
  }
  if (timerfd_settime(timerfd_, 0, &spec, nullptr) < 0) {
    LOGD("timerfd_settime: %s\n", strerror(errno));
  }
}

void EventLoop::destroy(EventLoop *loop) {
  coap::destroy(loop);
}

EventLoop::~EventLoop() {
  lingering_.for_each([this](Linger *l) { end_linger(l); });
  if (timerfd_ >= 0) close(timerfd_);
  if (epfd_ >= 0) close(epfd_);
  coap::deallocate(buffers_);
}

void EventLoop::watch(int fd, uint64_t tag, uint32_t events) {
  struct epoll_event ev;
  memset(&ev, 0, sizeof(ev));
  ev.events = events;
  ev.data.u64 = tag;
  if (epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) < 0) {
    LOGW("epoll_ctl: %s\n", strerror(errno));
  }
}

void EventLoop::rewatch(int fd, uint64_t tag, uint32_t events) {
  struct epoll_event ev;
  memset(&ev, 0, sizeof(ev));
  ev.events = events;
  ev.data.u64 = tag;
  if (epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &ev) < 0) {
    LOGD("epoll_ctl: %s\n", strerror(errno));
  }
}

void EventLoop::unwatch(int fd, uint64_t tag) {
  // Replies queued for this socket leave before it closes.
  if (!sends_.empty()) sends_.flush();
  epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr);
  for (int i = 0; i < current_count_; ++i) {
    if (current_[i].data.u64 == tag) current_[i].data.u64 = 0;
  }
  if (current_ && closed_count_ < kMaxEvents) closed_[closed_count_++] = tag;
}

bool EventLoop::closed_meanwhile(uint64_t tag) const {
  for (int i = 0; i < closed_count_; ++i) {
    if (closed_[i] == tag) return true;
  }
  return false;
}

bool EventLoop::open_endpoint(coap_endpoint_t *ep) {
  // TLS runs over TCP; DTLS over UDP (the core does the (D)TLS).
  if (COAP_PROTO_RELIABLE(ep->proto)) {  // TCP, TLS, WebSockets
    // Connections are accepted in accept_connections().
    coap_address_t bound;
    int fd = tcp::open_listener(ep->bind_addr, &bound);
    if (fd < 0) return false;
    ep->fd = fd;
    ep->bind_addr = bound;
    ep->unlink_on_close = bound.addr.sa.sa_family == AF_UNIX;
    watch(fd, tag_of(ep));
    return true;
  }
  if (ep->proto != COAP_PROTO_UDP && ep->proto != COAP_PROTO_DTLS) {
    LOGW("coap_new_endpoint: protocol %d is not supported by this build\n",
         static_cast<int>(ep->proto));
    return false;
  }
  coap_address_t bound;
  int fd = udp::open_server(ep->bind_addr, ep->proto, &bound);
  if (fd < 0) return false;
  ep->fd = fd;
  ep->bind_addr = bound;
  ep->unlink_on_close = bound.addr.sa.sa_family == AF_UNIX;
  watch(fd, tag_of(ep));
  return true;
}

void EventLoop::close_endpoint(coap_endpoint_t *ep) {
  if (ep->fd < 0) return;
  unwatch(ep->fd, tag_of(ep));
  close(ep->fd);
  ep->fd = -1;
  if (ep->unlink_on_close) unlink(ep->bind_addr.addr.cun.sun_path);
}

bool EventLoop::open_client(coap_session_t *s) {
  if (s->proto != COAP_PROTO_UDP && s->proto != COAP_PROTO_DTLS) {
    LOGW("coap_new_client_session: protocol %d is not supported by this build\n",
         static_cast<int>(s->proto));
    return false;
  }
  const coap_address_t *local_if =
      s->addr_info.local.addr.sa.sa_family != AF_UNSPEC ? &s->addr_info.local : nullptr;
  coap_address_t local;
  coap_address_init(&local);
  int fd = udp::open_client(local_if, s->addr_info.remote, &local);
  if (fd < 0) return false;
  s->fd = fd;
  s->addr_info.local = local;
  watch(fd, tag_of(s));
  return true;
}

void EventLoop::close_client(coap_session_t *s) {
  if (s->fd < 0) return;
  unwatch(s->fd, tag_of(s));
  close(s->fd);
  s->fd = -1;
  // The client's Unix-domain path exists only for this session.
  if (s->addr_info.local.addr.sa.sa_family == AF_UNIX && s->addr_info.local.addr.cun.sun_path[0]) {
    unlink(s->addr_info.local.addr.cun.sun_path);
  }
  if (listeners_paused_) resume_listeners();
}

// --- stream sockets ---------------------------------------------------------

bool EventLoop::stream_connect(coap_session_t *s) {
  const coap_address_t *local_if =
      s->addr_info.local.addr.sa.sa_family != AF_UNSPEC ? &s->addr_info.local : nullptr;
  coap_address_t local;
  coap_address_init(&local);
  int fd = tcp::connect_to(local_if, s->addr_info.remote, &local);
  if (fd < 0) return false;
  s->fd = fd;
  s->addr_info.local = local;
  // Writable means the connect finished (stream_event()).
  watch(fd, tag_of(s), EPOLLIN | EPOLLOUT);
  return true;
}

ssize_t EventLoop::stream_write(coap_session_t *s, const uint8_t *data, size_t length) {
  if (s->fd < 0) return -1;
  ssize_t n = tcp::write_some(s->fd, data, length);
  // The rest waits in the core; EPOLLOUT says when to go on.
  if (n >= 0 && static_cast<size_t>(n) < length) rewatch(s->fd, tag_of(s), EPOLLIN | EPOLLOUT);
  return n;
}

void EventLoop::stream_close(coap_session_t *s) {
  if (s->fd < 0) return;
  if (s->type == COAP_SESSION_TYPE_CLIENT) {
    close_client(s);
    return;
  }
  // Accepted connections: the local address is the endpoint's.
  unwatch(s->fd, tag_of(s));
  close(s->fd);
  s->fd = -1;
  if (listeners_paused_) resume_listeners();
}

void EventLoop::stream_linger(coap_session_t *s, const uint8_t *data, size_t length) {
  if (s->fd < 0) return;
  Linger *l = nullptr;
  if (lingering_bytes_ + length <= kMaxLingerBytes) l = coap::create<Linger>();
  if (!l || !l->out.append(data, length)) {
    LOGD("%s: %zu bytes of output dropped at close\n", coap_session_str(s), length);
    coap::destroy(l);
    stream_close(s);
    return;
  }
  // The socket leaves the session: watched for writing only, closed when
  // everything is out, on error, or at the deadline.
  unwatch(s->fd, tag_of(s));
  l->fd = s->fd;
  s->fd = -1;
  l->deadline = clock::ticks_ms() + kLingerMs;
  lingering_bytes_ += length;
  lingering_.push_back(l);
  watch(l->fd, reinterpret_cast<uintptr_t>(l) | kLingerTag, EPOLLOUT);
  if (s->type == COAP_SESSION_TYPE_CLIENT && s->addr_info.local.addr.sa.sa_family == AF_UNIX &&
      s->addr_info.local.addr.cun.sun_path[0]) {
    unlink(s->addr_info.local.addr.cun.sun_path);
  }
  LOGD("%s: closing after %zu more bytes of output\n", coap_session_str(s), length);
}

void EventLoop::end_linger(Linger *l) {
  lingering_.remove(l);
  lingering_bytes_ -= l->out.size();
  unwatch(l->fd, reinterpret_cast<uintptr_t>(l) | kLingerTag);
  close(l->fd);
  coap::destroy(l);
  if (listeners_paused_) resume_listeners();
}

void EventLoop::linger_event(Linger *l, uint32_t events) {
  if (events & (EPOLLERR | EPOLLHUP)) {
    end_linger(l);
    return;
  }
  while (!l->out.empty()) {
    ssize_t n = tcp::write_some(l->fd, l->out.data(), l->out.size());
    if (n < 0) break;
    if (n == 0) return;  // more when writable again
    l->out.consume(static_cast<size_t>(n));
    lingering_bytes_ -= static_cast<size_t>(n);
  }
  end_linger(l);
}

void EventLoop::expire_lingering(uint64_t now) {
  lingering_.for_each([&](Linger *l) {
    if (now >= l->deadline) {
      LOGD("dropping %zu bytes a peer did not read in time\n", l->out.size());
      end_linger(l);
    }
  });
}

void EventLoop::resume_listeners() {
  listeners_paused_ = false;
  context_->endpoints.for_each([&](coap_endpoint_t *ep) {
    if (COAP_PROTO_RELIABLE(ep->proto) && ep->fd >= 0) {
      rewatch(ep->fd, tag_of(ep), EPOLLIN);
    }
  });
}

void EventLoop::accept_connections(coap_endpoint_t *ep, uint64_t now) {
  uint64_t ep_tag = tag_of(ep);
  for (int i = 0; i < kMaxEvents; ++i) {
    coap_addr_tuple_t addrs;
    int fd = tcp::accept_one(ep->fd, ep->bind_addr, &addrs);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // Out of descriptors: the listener would stay readable and spin.
        // Accepting resumes when one of our connections closes.
        LOGW("%s: cannot accept a connection: %s\n", coap_endpoint_str(ep), strerror(errno));
        listeners_paused_ = true;
        rewatch(ep->fd, ep_tag, 0);
      } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        LOGD("%s: accept: %s\n", coap_endpoint_str(ep), strerror(errno));
      }
      return;
    }
    coap_session_t *s = stream::accepted(ep, addrs, now);
    if (!s) {
      close(fd);
      continue;
    }
    s->fd = fd;
    watch(fd, tag_of(s));
    stream::start(s, now);
    // A handler may have freed the endpoint.
    if (closed_meanwhile(ep_tag)) return;
  }
}

void EventLoop::stream_event(coap_session_t *s, uint32_t events, uint64_t now) {
  uint64_t tag = tag_of(s);
  int fd = s->fd;
  if (fd < 0) return;
  if (stream::connecting(s)) {
    // Only a writable (or failed) socket has finished connecting.
    if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
    int err = tcp::connect_result(fd);
    if (err == EINPROGRESS || err == EALREADY) return;
    if (err != 0) {
      stream::closed(s, err, now);
      return;
    }
    rewatch(fd, tag, EPOLLIN);
    stream::connected(s, now);
    if (closed_meanwhile(tag)) return;
  } else if (events & EPOLLOUT) {
    // Back to reading only; a short write re-arms EPOLLOUT.
    rewatch(fd, tag, EPOLLIN);
    stream::writable(s, now);
    if (closed_meanwhile(tag)) return;
  }
  if (!(events & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP))) return;
  // Read what is there, up to a bound so other sockets get their turn.
  size_t cap = kBatch * kBufferSize;
  for (int i = 0; i < kBatch; ++i) {
    ssize_t n = read(fd, buffers_, cap);
    if (n > 0) {
      stream::input(s, buffers_, static_cast<size_t>(n), now);
      if (closed_meanwhile(tag)) return;
      if (static_cast<size_t>(n) < cap) return;
      continue;
    }
    if (n == 0) {
      stream::closed(s, 0, now);
      return;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return;
    stream::closed(s, errno, now);
    return;
  }
}

ssize_t EventLoop::send(coap_session_t *s, const uint8_t *data, size_t length) {
  // Simulated loss pretends the datagram went out.
  if (packet_loss::drop_next()) return static_cast<ssize_t>(length);
  if (s->type == COAP_SESSION_TYPE_CLIENT) {
    if (s->fd < 0) return -1;
    const coap_address_t &to = s->is_mcast ? s->params->mcast_addr : s->addr_info.remote;
    return udp::send_to(s->fd, data, length, &to, nullptr, 0, !s->is_mcast);
  }
  if (!s->endpoint || s->endpoint->fd < 0) return -1;
  // On a wildcard socket the reply leaves from the address the request was
  // sent to, or from the unicast address for a group request; a socket
  // bound to one address has no choice to make.
  const coap_address_t *from = s->local_is_group || !udp::is_wildcard(s->endpoint->bind_addr)
                                   ? nullptr
                                   : &s->addr_info.local;
  if (batching_) {
    // Inside a batch of received datagrams: replies leave together.
    if (sends_.add(s->endpoint->fd, data, length, s->addr_info.remote, from, s->ifindex)) {
      return static_cast<ssize_t>(length);
    }
    sends_.flush();
  }
  return udp::send_to(s->endpoint->fd, data, length, &s->addr_info.remote, from, s->ifindex, false);
}

void EventLoop::read_endpoint(coap_endpoint_t *ep, uint64_t now) {
  udp::Datagram batch[kBatch];
  // Replies made while the batch is handled are sent with sendmmsg(2)
  // after it (before the next receive, so no reply waits for input).
  struct Batching {
    explicit Batching(EventLoop *loop) : loop_(loop) { loop_->batching_ = true; }
    ~Batching() {
      loop_->batching_ = false;
      loop_->sends_.flush();
    }
    EventLoop *loop_;
  } batching(this);
  for (;;) {
    for (int i = 0; i < kBatch; ++i) {
      batch[i].data = buffers_ + i * kBufferSize;
      batch[i].length = kBufferSize;
    }
    int n = udp::receive_batch(ep->fd, batch, kBatch, ep->bind_addr);
    if (n <= 0) {
      if (n < 0) LOGD("receive on endpoint: %s\n", strerror(errno));
      return;
    }
    uint64_t tag = tag_of(ep);
    for (int i = 0; i < n; ++i) {
      coap_addr_tuple_t addrs;
      addrs.remote = batch[i].from;
      addrs.local = batch[i].to;
      receive_datagram(context_, ep, nullptr, batch[i].data, batch[i].length, addrs,
                       batch[i].ifindex, now);
      // A handler may have freed the endpoint: stop reading from it.
      if (closed_meanwhile(tag)) return;
    }
    sends_.flush();
    if (n < kBatch) return;
  }
}

void EventLoop::read_client(coap_session_t *s, uint64_t now) {
  udp::Datagram batch[kBatch];
  int fd = s->fd;
  for (;;) {
    for (int i = 0; i < kBatch; ++i) {
      batch[i].data = buffers_ + i * kBufferSize;
      batch[i].length = kBufferSize;
    }
    int n = udp::receive_batch(fd, batch, kBatch, s->addr_info.local);
    if (n < 0) {
      if (errno == ECONNREFUSED) {
        // ICMP port unreachable on the connected socket.
        LOGD("session %p: the peer is not listening\n", static_cast<void *>(s));
        if (context_->nack_handler) {
          context_->nack_handler(s, nullptr, COAP_NACK_ICMP_ISSUE, COAP_INVALID_MID);
        }
      }
      return;
    }
    if (n == 0) return;
    uint64_t tag = tag_of(s);
    for (int i = 0; i < n; ++i) {
      coap_addr_tuple_t addrs;
      addrs.remote = batch[i].from;
      addrs.local = batch[i].to;
      receive_datagram(context_, nullptr, s, batch[i].data, batch[i].length, addrs,
                       batch[i].ifindex, now);
      // The application may have released (freed) the session.
      if (closed_meanwhile(tag)) return;
    }
    if (n < kBatch) return;
  }
}

uint64_t EventLoop::prepare(uint64_t now) {
  {
    BusyScope busy(this);
    context_->timers.run(now);
  }
  arm_timer();
  if (context_->timers.empty()) return UINT64_MAX;
  uint64_t due = context_->timers.next_due();
  return due > now ? due - now : 0;
}

void EventLoop::dispatch(const struct epoll_event *events, int count, uint64_t now) {
  BusyScope busy(this);
  struct epoll_event local[kMaxEvents];
  if (count > kMaxEvents) count = kMaxEvents;
  memcpy(local, events, sizeof(struct epoll_event) * count);
  current_ = local;
  current_count_ = count;
  closed_count_ = 0;
  for (int i = 0; i < count; ++i) {
    uint64_t tag = local[i].data.u64;
    if (tag == 0) continue;  // its socket was closed meanwhile
    if (tag == kTimerTag) {
      // A timer is due: the expiry count only needs draining; the timers
      // run in prepare() / process().
      uint64_t expirations;
      if (read(timerfd_, &expirations, sizeof(expirations)) < 0) {
        LOGD("timerfd read: %s\n", strerror(errno));
      }
      armed_due_ = UINT64_MAX;  // re-armed below
      continue;
    }
    if ((tag & 3) == kLingerTag) {
      linger_event(reinterpret_cast<Linger *>(tag & ~uint64_t{3}), local[i].events);
      continue;
    }
    if (tag & kClientTag) {
      coap_session_t *s = reinterpret_cast<coap_session_t *>(tag & ~kClientTag);
      // DTLS client sessions have a channel too, over a datagram socket.
      if (s->channel && s->reliable()) {
        stream_event(s, local[i].events, now);
      } else {
        read_client(s, now);
      }
    } else {
      coap_endpoint_t *ep = reinterpret_cast<coap_endpoint_t *>(tag);
      if (COAP_PROTO_RELIABLE(ep->proto)) {  // TCP, TLS, WebSockets
        accept_connections(ep, now);
      } else {
        read_endpoint(ep, now);
      }
    }
  }
  current_ = nullptr;
  current_count_ = 0;
  closed_count_ = 0;
  if (!lingering_.empty()) expire_lingering(now);
  arm_timer();
}

void EventLoop::poll_all(uint64_t now) {
  // Build a synthetic event list so removal during processing is safe.
  struct epoll_event events[kMaxEvents];
  int n = 0;
  auto add = [&](uint64_t tag) {
    if (n >= kMaxEvents) return;
    events[n].events = EPOLLIN;
    events[n++].data.u64 = tag;
  };
  context_->endpoints.for_each([&](coap_endpoint_t *ep) {
    if (ep->fd >= 0) add(tag_of(ep));
    // Accepted stream connections have sockets of their own.
    ep->sessions.for_each([&](coap_session_t *s) {
      if (s->fd >= 0) add(tag_of(s));
    });
  });
  context_->client_sessions.for_each([&](coap_session_t *s) {
    if (s->fd >= 0) add(tag_of(s));
  });
  dispatch(events, n, now);
}

int EventLoop::process(uint32_t timeout_ms, int nfds, fd_set *readfds, fd_set *writefds,
                       fd_set *exceptfds) {
  uint64_t start = clock::ticks_ms();
  uint64_t next = prepare(start);
  int wait_ms;
  if (timeout_ms == COAP_IO_NO_WAIT) {
    wait_ms = 0;
  } else {
    uint64_t limit = timeout_ms == COAP_IO_WAIT ? next : (next < timeout_ms ? next : timeout_ms);
    wait_ms = limit == UINT64_MAX ? -1 : limit > INT32_MAX ? INT32_MAX : static_cast<int>(limit);
  }

  struct epoll_event events[kMaxEvents];
  int n;
  context_->lock.unlock();
  if (nfds > 0 || readfds || writefds || exceptfds) {
    // The application's descriptors and ours (via the epoll fd) together.
    fd_set rfds, wfds, efds;
    FD_ZERO(&rfds);
    FD_ZERO(&wfds);
    FD_ZERO(&efds);
    if (readfds) rfds = *readfds;
    if (writefds) wfds = *writefds;
    if (exceptfds) efds = *exceptfds;
    FD_SET(epfd_, &rfds);
    int maxfd = nfds > epfd_ + 1 ? nfds : epfd_ + 1;
    struct timeval tv;
    struct timeval *tvp = nullptr;
    if (wait_ms >= 0) {
      tv.tv_sec = wait_ms / 1000;
      tv.tv_usec = (wait_ms % 1000) * 1000;
      tvp = &tv;
    }
    int r = select(maxfd, &rfds, &wfds, &efds, tvp);
    if (readfds) *readfds = rfds;
    if (writefds) *writefds = wfds;
    if (exceptfds) *exceptfds = efds;
    if (readfds) FD_CLR(epfd_, readfds);
    n = r > 0 && FD_ISSET(epfd_, &rfds) ? epoll_wait(epfd_, events, kMaxEvents, 0)
                                        : (r < 0 ? -1 : 0);
  } else {
    n = epoll_wait(epfd_, events, kMaxEvents, wait_ms);
  }
  int err = errno;
  context_->lock.lock();
  if (n < 0 && err != EINTR) {
    LOGW("coap_io_process: %s\n", strerror(err));
    return -1;
  }
  uint64_t now = clock::ticks_ms();
  if (n > 0) dispatch(events, n, now);
  {
    BusyScope busy(this);
    context_->timers.run(now);
  }
  arm_timer();
  return static_cast<int>(clock::ticks_ms() - start);
}

}  // namespace coap
