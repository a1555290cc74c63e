#include "transport/tcp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "runtime/log.h"

namespace coap::tcp {

namespace {

// The kernel's view of an address: coap_address_t keeps a shortened
// sun_path, sockaddr_un a full one.
struct SockAddr {
  union {
    struct sockaddr sa;
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;
    struct sockaddr_un sun;
    struct sockaddr_storage ss;
  } u;
  socklen_t len;
};

SockAddr to_sockaddr(const coap_address_t &a) {
  SockAddr s;
  memset(&s, 0, sizeof(s));
  switch (a.addr.sa.sa_family) {
    case AF_UNIX: {
      size_t n = strnlen(a.addr.cun.sun_path, sizeof(a.addr.cun.sun_path));
      s.u.sun.sun_family = AF_UNIX;
      memcpy(s.u.sun.sun_path, a.addr.cun.sun_path, n);
      s.len = static_cast<socklen_t>(offsetof(struct sockaddr_un, sun_path) + n + 1);
      break;
    }
    case AF_INET:
      s.u.sin = a.addr.sin;
      s.len = sizeof(s.u.sin);
      break;
    case AF_INET6:
      s.u.sin6 = a.addr.sin6;
      s.len = sizeof(s.u.sin6);
      break;
    default:
      s.len = 0;
      break;
  }
  return s;
}

void from_sockaddr(const SockAddr &s, coap_address_t *out) {
  coap_address_init(out);
  switch (s.u.sa.sa_family) {
    case AF_UNIX: {
      out->addr.cun.sun_family = AF_UNIX;
      size_t room = s.len > offsetof(struct sockaddr_un, sun_path)
                        ? s.len - offsetof(struct sockaddr_un, sun_path)
                        : 0;
      size_t n = strnlen(s.u.sun.sun_path,
                         room < sizeof(s.u.sun.sun_path) ? room : sizeof(s.u.sun.sun_path));
      if (n >= sizeof(out->addr.cun.sun_path)) n = sizeof(out->addr.cun.sun_path) - 1;
      memcpy(out->addr.cun.sun_path, s.u.sun.sun_path, n);
      out->addr.cun.sun_path[n] = '\0';
      out->size = static_cast<socklen_t>(sizeof(out->addr.cun));
      break;
    }
    case AF_INET:
      out->addr.sin = s.u.sin;
      out->size = sizeof(out->addr.sin);
      break;
    case AF_INET6:
      out->addr.sin6 = s.u.sin6;
      out->size = sizeof(out->addr.sin6);
      break;
    default:
      break;
  }
}

void enable(int fd, int level, int name) {
  int on = 1;
  setsockopt(fd, level, name, &on, sizeof(on));
}

bool local_name(int fd, coap_address_t *out) {
  SockAddr got;
  memset(&got, 0, sizeof(got));
  got.len = sizeof(got.u);
  if (getsockname(fd, &got.u.sa, &got.len) < 0) return false;
  from_sockaddr(got, out);
  return true;
}

void describe(const coap_address_t &a, char *text, size_t size) {
  coap_print_addr(&a, reinterpret_cast<unsigned char *>(text), size);
}

}  // namespace

int open_listener(const coap_address_t &addr, coap_address_t *bound) {
  int family = addr.addr.sa.sa_family;
  if (family != AF_INET && family != AF_INET6 && family != AF_UNIX) {
    LOGW("coap_new_endpoint: unsupported address family %d for TCP\n", family);
    return -1;
  }
  int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    LOGW("coap_new_endpoint: socket: %s\n", strerror(errno));
    return -1;
  }
  if (family != AF_UNIX) {
    enable(fd, SOL_SOCKET, SO_REUSEADDR);
    if (family == AF_INET6) {
      int off = 0;  // dual stack: IPv4 peers appear as mapped addresses
      setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
    }
  }
  SockAddr sa = to_sockaddr(addr);
  if (bind(fd, &sa.u.sa, sa.len) < 0 || listen(fd, SOMAXCONN) < 0) {
    char text[INET6_ADDRSTRLEN + 40];
    describe(addr, text, sizeof(text));
    LOGW("coap_new_endpoint: cannot listen on %s: %s\n", text, strerror(errno));
    close(fd);
    return -1;
  }
  if (!local_name(fd, bound)) *bound = addr;
  return fd;
}

int accept_one(int listen_fd, const coap_address_t &listen_addr, coap_addr_tuple_t *addrs) {
  SockAddr peer;
  memset(&peer, 0, sizeof(peer));
  peer.len = sizeof(peer.u);
  int fd = accept4(listen_fd, &peer.u.sa, &peer.len, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) return -1;
  from_sockaddr(peer, &addrs->remote);
  if (listen_addr.addr.sa.sa_family == AF_UNIX) {
    // An accepted Unix-domain socket has no name of its own: it is the
    // listener's path.
    addrs->local = listen_addr;
    if (addrs->remote.addr.sa.sa_family != AF_UNIX) {
      coap_address_init(&addrs->remote);
      addrs->remote.addr.cun.sun_family = AF_UNIX;
      addrs->remote.size = sizeof(addrs->remote.addr.cun);
    }
  } else {
    if (!local_name(fd, &addrs->local)) addrs->local = listen_addr;
    // Small messages in both directions: no Nagle delay.
    enable(fd, IPPROTO_TCP, TCP_NODELAY);
  }
  return fd;
}

int connect_to(const coap_address_t *local_if, const coap_address_t &remote,
               coap_address_t *local) {
  int family = remote.addr.sa.sa_family;
  if (family != AF_INET && family != AF_INET6 && family != AF_UNIX) {
    LOGW("coap_new_client_session: unsupported address family %d for TCP\n", family);
    return -1;
  }
  bool bind_local = local_if && local_if->addr.sa.sa_family != AF_UNSPEC;
  if (bind_local && local_if->addr.sa.sa_family != family) {
    LOGW("coap_new_client_session: local and remote address families differ\n");
    return -1;
  }
  int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    LOGW("coap_new_client_session: socket: %s\n", strerror(errno));
    return -1;
  }
  if (family == AF_INET6) {
    int off = 0;
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
  }
  if (bind_local) {
    if (family != AF_UNIX) enable(fd, SOL_SOCKET, SO_REUSEADDR);
    SockAddr sa = to_sockaddr(*local_if);
    if (bind(fd, &sa.u.sa, sa.len) < 0) {
      LOGW("coap_new_client_session: cannot bind the local address: %s\n", strerror(errno));
      close(fd);
      return -1;
    }
  }
  if (family != AF_UNIX) enable(fd, IPPROTO_TCP, TCP_NODELAY);
  SockAddr sa = to_sockaddr(remote);
  if (connect(fd, &sa.u.sa, sa.len) < 0 && errno != EINPROGRESS) {
    char text[INET6_ADDRSTRLEN + 40];
    describe(remote, text, sizeof(text));
    LOGW("coap_new_client_session: cannot connect to %s: %s\n", text, strerror(errno));
    close(fd);
    return -1;
  }
  if (family == AF_UNIX) {
    if (bind_local) {
      *local = *local_if;
    } else {
      coap_address_init(local);
      local->addr.cun.sun_family = AF_UNIX;
      local->size = sizeof(local->addr.cun);
    }
  } else if (!local_name(fd, local) && bind_local) {
    *local = *local_if;
  }
  return fd;
}

int connect_result(int fd) {
  int err = 0;
  socklen_t len = sizeof(err);
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return errno;
  return err;
}

ssize_t write_some(int fd, const uint8_t *data, size_t length) {
  for (;;) {
    ssize_t n = send(fd, data, length, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) return n;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    LOGD("send: %s\n", strerror(errno));
    return -1;
  }
}

}  // namespace coap::tcp
