#include "transport/udp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "runtime/log.h"
#include "util/memory.h"

namespace coap::udp {

namespace {

socklen_t sockaddr_length(const coap_address_t &a) {
  switch (a.addr.sa.sa_family) {
    case AF_INET:
      return sizeof(struct sockaddr_in);
    case AF_INET6:
      return sizeof(struct sockaddr_in6);
    case AF_UNIX:
      return static_cast<socklen_t>(offsetof(struct sockaddr_un, sun_path) +
                                    strnlen(a.addr.cun.sun_path, sizeof(a.addr.cun.sun_path)) + 1);
    default:
      return a.size;
  }
}

// coap_address_t keeps a shortened sun_path; the kernel wants a full
// sockaddr_un.
struct SockAddr {
  union {
    struct sockaddr sa;
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;
    struct sockaddr_un sun;
  } u;
  socklen_t len;
};

SockAddr to_sockaddr(const coap_address_t &a) {
  SockAddr s;
  memset(&s, 0, sizeof(s));
  if (a.addr.sa.sa_family == AF_UNIX) {
    s.u.sun.sun_family = AF_UNIX;
    memcpy(s.u.sun.sun_path, a.addr.cun.sun_path,
           strnlen(a.addr.cun.sun_path, sizeof(a.addr.cun.sun_path)));
    s.len = sockaddr_length(a);
  } else {
    s.len = sockaddr_length(a);
    memcpy(&s.u, &a.addr, s.len);
  }
  return s;
}

void from_sockaddr(const struct sockaddr *sa, socklen_t len, coap_address_t *out) {
  coap_address_init(out);
  if (sa->sa_family == AF_UNIX) {
    const auto *sun = reinterpret_cast<const struct sockaddr_un *>(sa);
    out->addr.cun.sun_family = AF_UNIX;
    size_t n = len > offsetof(struct sockaddr_un, sun_path)
                   ? strnlen(sun->sun_path, len - offsetof(struct sockaddr_un, sun_path))
                   : 0;
    if (n >= sizeof(out->addr.cun.sun_path)) n = sizeof(out->addr.cun.sun_path) - 1;
    memcpy(out->addr.cun.sun_path, sun->sun_path, n);
    out->addr.cun.sun_path[n] = '\0';
    out->size = static_cast<socklen_t>(sizeof(out->addr.cun));
    return;
  }
  size_t n = len < sizeof(out->addr) ? len : sizeof(out->addr);
  memcpy(&out->addr, sa, n);
  out->size = static_cast<socklen_t>(n);
}

void enable(int fd, int level, int name) {
  int on = 1;
  setsockopt(fd, level, name, &on, sizeof(on));
}

}  // namespace

bool is_wildcard(const coap_address_t &a) {
  switch (a.addr.sa.sa_family) {
    case AF_INET:
      return a.addr.sin.sin_addr.s_addr == INADDR_ANY;
    case AF_INET6:
      return IN6_IS_ADDR_UNSPECIFIED(&a.addr.sin6.sin6_addr);
    default:
      return true;
  }
}

int open_server(const coap_address_t &addr, coap_proto_t proto, coap_address_t *bound) {
  (void)proto;
  int family = addr.addr.sa.sa_family;
  int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    LOGW("coap_new_endpoint: socket: %s\n", strerror(errno));
    return -1;
  }
  coap_address_t a = addr;
  if (family == AF_INET || family == AF_INET6) {
    // Port 0 binds an ephemeral port, as libcoap does (its man page speaks
    // of the default port, the library does not do that).
    enable(fd, SOL_SOCKET, SO_REUSEADDR);
    if (family == AF_INET6) {
      int off = 0;  // dual stack: IPv4 peers appear as mapped addresses
      setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
    }
    // Only a wildcard socket needs to learn each datagram's destination
    // (unicast, group or broadcast, and the interface); one bound to an
    // address receives nothing else, and the kernel skips the work.
    if (is_wildcard(a)) {
      if (family == AF_INET6) enable(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO);
      enable(fd, IPPROTO_IP, IP_PKTINFO);
    }
  }
  SockAddr sa = to_sockaddr(a);
  if (bind(fd, &sa.u.sa, sa.len) < 0) {
    char text[INET6_ADDRSTRLEN + 8];
    coap_print_addr(&a, reinterpret_cast<unsigned char *>(text), sizeof(text));
    LOGW("coap_new_endpoint: cannot bind to %s: %s\n", text, strerror(errno));
    close(fd);
    return -1;
  }
  SockAddr got;
  got.len = sizeof(got.u);
  if (getsockname(fd, &got.u.sa, &got.len) == 0) {
    from_sockaddr(&got.u.sa, got.len, bound);
  } else {
    *bound = a;
  }
  return fd;
}

int open_client(const coap_address_t *local_if, const coap_address_t &remote,
                coap_address_t *local) {
  int family = remote.addr.sa.sa_family;
  if (local_if && local_if->addr.sa.sa_family != AF_UNSPEC &&
      local_if->addr.sa.sa_family != family) {
    LOGW("coap_new_client_session: local and remote address families differ\n");
    return -1;
  }
  if (family == AF_UNIX && (!local_if || local_if->addr.sa.sa_family != AF_UNIX)) {
    LOGW("coap_new_client_session: a Unix-domain client needs a local path\n");
    return -1;
  }
  int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    LOGW("coap_new_client_session: socket: %s\n", strerror(errno));
    return -1;
  }
  if (local_if && local_if->addr.sa.sa_family != AF_UNSPEC) {
    if (family != AF_UNIX) enable(fd, SOL_SOCKET, SO_REUSEADDR);
    SockAddr sa = to_sockaddr(*local_if);
    if (bind(fd, &sa.u.sa, sa.len) < 0) {
      LOGW("coap_new_client_session: cannot bind the local address: %s\n", strerror(errno));
      close(fd);
      return -1;
    }
  }
  if (family == AF_INET6) {
    int off = 0;
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
  }
  if (!coap_is_mcast(&remote)) {
    SockAddr sa = to_sockaddr(remote);
    if (connect(fd, &sa.u.sa, sa.len) < 0) {
      LOGW("coap_new_client_session: connect: %s\n", strerror(errno));
      close(fd);
      return -1;
    }
  } else if (family == AF_INET || family == AF_INET6) {
    // Responses to a group request arrive from each member's unicast
    // address, so the socket stays unconnected.
    set_multicast_hops(fd, family, 1);
  }
  SockAddr got;
  got.len = sizeof(got.u);
  if (getsockname(fd, &got.u.sa, &got.len) == 0) {
    from_sockaddr(&got.u.sa, got.len, local);
  } else if (local_if) {
    *local = *local_if;
  }
  return fd;
}

namespace {

// One outgoing datagram in the form sendmsg(2) wants: destination, data and,
// on server sockets, the source address and interface (IP_PKTINFO /
// IPV6_PKTINFO) so that the reply leaves from the address the request was
// sent to (this matters for wildcard-bound sockets on multi-homed hosts).
struct OutMessage {
  SockAddr dst;
  struct iovec iov;
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(struct in6_pktinfo))];

  void prepare(struct msghdr *msg, const uint8_t *data, size_t length, const coap_address_t &to,
               const coap_address_t *from, int ifindex) {
    dst = to_sockaddr(to);
    iov.iov_base = const_cast<uint8_t *>(data);
    iov.iov_len = length;
    memset(msg, 0, sizeof(*msg));
    msg->msg_name = &dst.u;
    msg->msg_namelen = dst.len;
    msg->msg_iov = &iov;
    msg->msg_iovlen = 1;
    if (!from || is_wildcard(*from)) return;
    int family = from->addr.sa.sa_family;
    if (family != to.addr.sa.sa_family) return;
    memset(control, 0, sizeof(control));
    msg->msg_control = control;
    if (family == AF_INET6) {
      msg->msg_controllen = CMSG_SPACE(sizeof(struct in6_pktinfo));
      struct cmsghdr *cm = CMSG_FIRSTHDR(msg);
      cm->cmsg_level = IPPROTO_IPV6;
      cm->cmsg_type = IPV6_PKTINFO;
      cm->cmsg_len = CMSG_LEN(sizeof(struct in6_pktinfo));
      struct in6_pktinfo pi;
      memset(&pi, 0, sizeof(pi));
      pi.ipi6_addr = from->addr.sin6.sin6_addr;
      pi.ipi6_ifindex = static_cast<unsigned>(ifindex);
      memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
    } else if (family == AF_INET) {
      msg->msg_controllen = CMSG_SPACE(sizeof(struct in_pktinfo));
      struct cmsghdr *cm = CMSG_FIRSTHDR(msg);
      cm->cmsg_level = IPPROTO_IP;
      cm->cmsg_type = IP_PKTINFO;
      cm->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
      struct in_pktinfo pi;
      memset(&pi, 0, sizeof(pi));
      pi.ipi_spec_dst = from->addr.sin.sin_addr;
      memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
    } else {
      msg->msg_control = nullptr;
    }
  }
};

}  // namespace

ssize_t send_to(int fd, const uint8_t *data, size_t length, const coap_address_t *to,
                const coap_address_t *from, int ifindex, bool connected) {
  ssize_t n;
  if (connected) {
    n = send(fd, data, length, MSG_NOSIGNAL);
  } else {
    OutMessage out;
    struct msghdr msg;
    out.prepare(&msg, data, length, *to, from, ifindex);
    n = sendmsg(fd, &msg, MSG_NOSIGNAL);
  }
  if (n < 0) LOGD("send: %s\n", strerror(errno));
  return n;
}

struct SendBatch::Slot {
  int fd;
  OutMessage out;
  uint8_t data[kSlotSize];
};

SendBatch::~SendBatch() {
  coap::deallocate(slots_);
}

bool SendBatch::add(int fd, const uint8_t *data, size_t length, const coap_address_t &to,
                    const coap_address_t *from, int ifindex) {
  if (length > kSlotSize) return false;
  if (!slots_) {
    slots_ = static_cast<Slot *>(coap::allocate(sizeof(Slot) * kSlots));
    if (!slots_) return false;
  }
  if (count_ == kSlots) flush();
  Slot &slot = slots_[count_];
  memcpy(slot.data, data, length);
  slot.fd = fd;
  slot.out.prepare(&headers_[count_].msg_hdr, slot.data, length, to, from, ifindex);
  ++count_;
  return true;
}

void SendBatch::flush() {
  int start = 0;
  while (start < count_) {
    // One sendmmsg(2) per run of datagrams for the same socket.
    int fd = slots_[start].fd;
    int end = start + 1;
    while (end < count_ && slots_[end].fd == fd) ++end;
    while (start < end) {
      int n = sendmmsg(fd, headers_ + start, static_cast<unsigned>(end - start), MSG_NOSIGNAL);
      if (n > 0) {
        start += n;
      } else {
        // This datagram cannot go (e.g. the socket buffer is full): it is
        // dropped like a failed sendmsg(2), and CoAP's retransmission
        // covers it. The rest of the run is tried again.
        LOGD("send: %s\n", n < 0 ? strerror(errno) : "nothing sent");
        ++start;
      }
    }
  }
  count_ = 0;
}

int receive_batch(int fd, Datagram *batch, int count, const coap_address_t &local_hint) {
  constexpr int kMax = 32;
  if (count > kMax) count = kMax;
  struct mmsghdr msgs[kMax];
  struct iovec iovs[kMax];
  SockAddr names[kMax];
  alignas(struct cmsghdr) char controls[kMax][CMSG_SPACE(sizeof(struct in6_pktinfo)) + 64];
  memset(msgs, 0, sizeof(struct mmsghdr) * count);
  for (int i = 0; i < count; ++i) {
    iovs[i].iov_base = batch[i].data;
    iovs[i].iov_len = batch[i].length;
    msgs[i].msg_hdr.msg_iov = &iovs[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = &names[i].u;
    msgs[i].msg_hdr.msg_namelen = sizeof(names[i].u);
    msgs[i].msg_hdr.msg_control = controls[i];
    msgs[i].msg_hdr.msg_controllen = sizeof(controls[i]);
  }
  int n = recvmmsg(fd, msgs, static_cast<unsigned>(count), MSG_DONTWAIT, nullptr);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return 0;
    return -1;
  }
  for (int i = 0; i < n; ++i) {
    Datagram &d = batch[i];
    d.length = msgs[i].msg_len;
    d.ifindex = 0;
    if (msgs[i].msg_hdr.msg_namelen > 0) {
      from_sockaddr(&names[i].u.sa, msgs[i].msg_hdr.msg_namelen, &d.from);
    } else {
      coap_address_init(&d.from);
    }
    d.to = local_hint;
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msgs[i].msg_hdr); cm;
         cm = CMSG_NXTHDR(&msgs[i].msg_hdr, cm)) {
      if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
        struct in_pktinfo pi;
        memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
        d.ifindex = pi.ipi_ifindex;
        if (d.to.addr.sa.sa_family == AF_INET) {
          d.to.addr.sin.sin_addr = pi.ipi_addr;
        } else if (d.to.addr.sa.sa_family == AF_INET6) {
          // IPv4 traffic on a dual-stack socket: IPv4-mapped local address.
          struct in6_addr mapped;
          memset(&mapped, 0, sizeof(mapped));
          mapped.s6_addr[10] = mapped.s6_addr[11] = 0xff;
          memcpy(&mapped.s6_addr[12], &pi.ipi_addr, 4);
          d.to.addr.sin6.sin6_addr = mapped;
        }
      } else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO) {
        struct in6_pktinfo pi;
        memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
        d.ifindex = static_cast<int>(pi.ipi6_ifindex);
        if (d.to.addr.sa.sa_family == AF_INET6) d.to.addr.sin6.sin6_addr = pi.ipi6_addr;
      }
    }
  }
  return n;
}

bool set_multicast_hops(int fd, int family, int hops) {
  if (family == AF_INET) {
    unsigned char ttl = static_cast<unsigned char>(hops);
    return setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) == 0;
  }
  if (family == AF_INET6) {
    return setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) == 0;
  }
  return false;
}

bool join_group(int fd, const coap_address_t &group, unsigned ifindex) {
  if (group.addr.sa.sa_family == AF_INET) {
    struct ip_mreqn mreq;
    memset(&mreq, 0, sizeof(mreq));
    mreq.imr_multiaddr = group.addr.sin.sin_addr;
    mreq.imr_ifindex = static_cast<int>(ifindex);
    return setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) == 0;
  }
  if (group.addr.sa.sa_family == AF_INET6) {
    struct ipv6_mreq mreq;
    memset(&mreq, 0, sizeof(mreq));
    mreq.ipv6mr_multiaddr = group.addr.sin6.sin6_addr;
    mreq.ipv6mr_interface = ifindex;
    return setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq, sizeof(mreq)) == 0;
  }
  return false;
}

}  // namespace coap::udp
