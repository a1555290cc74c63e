/* A hand-driven TCP peer for the tcp_hostile.sh interop case: connects to a
 * CoAP-over-TCP server and misbehaves in one of several ways, printing
 * what happened.
 *   tcp_peer PORT garbage        sends an HTTP request; reports whether the
 *                                server ends the connection
 *   tcp_peer PORT silent         sends nothing; reports when the server
 *                                ends the connection
 *   tcp_peer PORT slow PATH MS   sends CSM and GET PATH, reads nothing for
 *                                MS ms, then reads the whole response and
 *                                prints its payload length
 *   tcp_peer PORT many N         opens N connections that say nothing,
 *                                waits until the server closed them all */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int connect_to(int port, int rcvbuf) {
  struct sockaddr_in a;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (rcvbuf) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons((unsigned short)port);
  if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
    perror("connect");
    exit(2);
  }
  return fd;
}

/* Reads until the peer closes or timeout_ms pass; returns the bytes read
 * (into buf when given), -1 on timeout. */
static long long read_until_closed(int fd, unsigned char *buf, size_t cap, int timeout_ms) {
  long long end = now_ms() + timeout_ms, total = 0;
  unsigned char scratch[65536];
  while (now_ms() < end) {
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    unsigned char *dst = buf && (size_t)total < cap ? buf + total : scratch;
    size_t room = buf && (size_t)total < cap ? cap - (size_t)total : sizeof(scratch);
    ssize_t n = recv(fd, dst, room, 0);
    if (n == 0) return total;
    if (n < 0) return errno == ECONNRESET ? total : -1;
    total += n;
  }
  return -1;
}

static void send_all(int fd, const void *p, size_t n) {
  if (send(fd, p, n, MSG_NOSIGNAL) != (ssize_t)n) perror("send");
}

/* Length of the framed message at p (RFC 8323 section 3.2), 0 if unknown. */
static size_t frame_len(const unsigned char *p, size_t n, size_t *payload_len) {
  size_t ln = p[0] >> 4, tkl = p[0] & 15, ext = ln == 13 ? 1 : ln == 14 ? 2 : ln == 15 ? 4 : 0;
  size_t len = ln, i, hdr;
  if (n < 2 + ext) return 0;
  if (ln == 13) len = 13 + p[1];
  if (ln == 14) len = 269 + ((size_t)p[1] << 8 | p[2]);
  if (ln == 15) len = 65805 + ((size_t)p[1] << 24 | (size_t)p[2] << 16 | (size_t)p[3] << 8 | p[4]);
  hdr = 2 + ext + tkl;
  if (n < hdr + len) return 0;
  *payload_len = 0;
  for (i = hdr; i < hdr + len; i++) {
    /* Options are skipped crudely: the payload follows the first 0xff at
     * an option boundary; the responses here carry few options. */
    unsigned d = p[i] >> 4, l = p[i] & 15;
    if (p[i] == 0xff) {
      *payload_len = hdr + len - i - 1;
      break;
    }
    i += (d == 13) + 2 * (d == 14) + (l == 13) + 2 * (l == 14);
    if (l == 13) l = 13 + p[i];
    if (l == 14) l = 269 + ((unsigned)p[i - 1] << 8 | p[i]);
    i += l;
  }
  return hdr + len;
}

int main(int argc, char **argv) {
  int port, fd;
  if (argc < 3) return 2;
  port = atoi(argv[1]);
  if (!strcmp(argv[2], "garbage")) {
    static const char http[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    fd = connect_to(port, 0);
    send_all(fd, http, sizeof(http) - 1);
    printf("garbage: connection %s\n",
           read_until_closed(fd, NULL, 0, 3000) >= 0 ? "closed by the server" : "still open");
    return 0;
  }
  if (!strcmp(argv[2], "silent")) {
    long long start = now_ms(), got;
    fd = connect_to(port, 0);
    got = read_until_closed(fd, NULL, 0, 5000);
    if (got < 0) {
      printf("silent: connection still open after 5 s\n");
    } else {
      printf("silent: closed by the server after %s (%lld bytes received)\n",
             now_ms() - start < 2500 ? "less than 2.5 s" : "more than 2.5 s", got);
    }
    return 0;
  }
  if (!strcmp(argv[2], "slow") && argc >= 5) {
    static const unsigned char csm[] = {0x40, 0xe1, 0x23, 0x80, 0x01, 0x00}; /* 8 MiB + 256 */
    unsigned char req[300];
    size_t pl = strlen(argv[3]), n = 0, used = 0, total = 0;
    unsigned char *buf = malloc(16u << 20);
    long long got;
    fd = connect_to(port, 4096); /* a small window: the server must queue */
    send_all(fd, csm, sizeof(csm));
    req[n++] = (unsigned char)((pl + 1 < 13 ? (pl + 1) << 4 : 13 << 4) | 1);
    if (pl + 1 >= 13) req[n++] = (unsigned char)(pl + 1 - 13);
    req[n++] = 0x01; /* GET */
    req[n++] = 0x5a; /* token */
    req[n++] = (unsigned char)(pl < 13 ? 0xb0 | pl : 0xbd);
    if (pl >= 13) req[n++] = (unsigned char)(pl - 13);
    memcpy(req + n, argv[3], pl);
    n += pl;
    send_all(fd, req, n);
    usleep((useconds_t)atoi(argv[4]) * 1000);
    shutdown(fd, SHUT_WR); /* Release would be politer; a half close works */
    got = read_until_closed(fd, buf, 16u << 20, 20000);
    if (got < 0) got = 0;
    while (used < (size_t)got) {
      size_t payload = 0, k = frame_len(buf + used, (size_t)got - used, &payload);
      if (!k) break;
      if ((buf[used + 1 +
               ((buf[used] >> 4) == 13   ? 1
                : (buf[used] >> 4) == 14 ? 2
                : (buf[used] >> 4) == 15 ? 4
                                         : 0)]) == 0x45)
        total += payload;
      used += k;
    }
    printf("slow: received a 2.05 payload of %zu bytes\n", total);
    return 0;
  }
  if (!strcmp(argv[2], "many") && argc >= 4) {
    int count = atoi(argv[3]), i, closed = 0;
    int *fds = calloc((size_t)count, sizeof(int));
    long long end;
    for (i = 0; i < count; i++) fds[i] = connect_to(port, 0);
    end = now_ms() + 8000;
    while (closed < count && now_ms() < end) {
      for (i = 0; i < count; i++) {
        unsigned char b[512];
        ssize_t r;
        if (fds[i] < 0) continue;
        r = recv(fds[i], b, sizeof(b), MSG_DONTWAIT);
        if (r == 0 || (r < 0 && errno != EAGAIN)) {
          close(fds[i]);
          fds[i] = -1;
          closed++;
        }
      }
      usleep(20000);
    }
    printf("many: %d of %d silent connections closed by the server\n", closed, count);
    return 0;
  }
  return 2;
}
