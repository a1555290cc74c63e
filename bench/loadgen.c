/* CoAP load generator on plain UDP sockets, independent of any CoAP library
 * (so it measures the server, not a client library). It builds GET requests
 * itself, keeps a fixed number in flight, matches answers by token (and by
 * message id for piggybacked ACKs), never retransmits: a request without an
 * answer after the timeout is counted as lost and its slot reused.
 *
 * Requests are spread round-robin over K connected sockets, so a server sees
 * K distinct client endpoints (sessions). Results are printed as one line of
 * key=value pairs for scripts, preceded by a readable summary unless -q. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum { kTypeCon = 0, kTypeNon = 1, kTypeAck = 2, kTypeRst = 3 };
enum { kTokenLength = 8, kMaxPacket = 1500, kBatch = 64, kMaxInflight = 65535 };

struct options {
  const char *host;
  const char *port;
  const char *path;
  unsigned inflight;
  unsigned sockets;
  double duration;  /* seconds; 0 with count set: no time limit */
  uint64_t count;   /* requests to send; 0: until the duration ends */
  unsigned timeout; /* ms before an unanswered request counts as lost */
  int non;          /* send NON instead of CON */
  int quiet;
};

/* One request in flight. The slot index is carried in the token's last two
 * bytes, so a response finds its slot without a search; the full token must
 * still match, which rejects late answers to a slot's previous request. */
struct slot {
  uint64_t token;
  uint64_t sent_ns;
  uint32_t socket;
  uint16_t mid;
  uint8_t active;
};

struct stats {
  uint64_t sent, ok, errors, rst, timeouts, unmatched, separate, send_failures;
  uint32_t *latency_us;
  size_t latency_count, latency_capacity;
};

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* xorshift64*: fast, good enough for tokens and initial message ids. */
static uint64_t rng_state;
static uint64_t rng_next(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Dull;
}

static void usage(const char *prog) {
  fprintf(stderr,
          "usage: %s [-a host] [-p port] [-u path] [-c inflight] [-s sockets]\n"
          "          [-d seconds] [-n count] [-t timeout_ms] [-N] [-q]\n"
          "  -a host     server address (default 127.0.0.1)\n"
          "  -p port     server port (default 5683)\n"
          "  -u path     resource path, e.g. /time (default /)\n"
          "  -c N        requests kept in flight (default 64)\n"
          "  -s K        distinct source sockets, used round-robin (default 1)\n"
          "  -d seconds  how long to send (default 5 unless -n is given)\n"
          "  -n count    how many requests to send\n"
          "  -t ms       timeout after which a request counts as lost (default 1000)\n"
          "  -N          send NON requests instead of CON\n"
          "  -q          print only the key=value result line\n",
          prog);
}

static int parse_options(int argc, char **argv, struct options *o) {
  int c;
  o->host = "127.0.0.1";
  o->port = "5683";
  o->path = "/";
  o->inflight = 64;
  o->sockets = 1;
  o->duration = 0;
  o->count = 0;
  o->timeout = 1000;
  o->non = 0;
  o->quiet = 0;
  while ((c = getopt(argc, argv, "a:p:u:c:s:d:n:t:Nqh")) != -1) {
    switch (c) {
      case 'a':
        o->host = optarg;
        break;
      case 'p':
        o->port = optarg;
        break;
      case 'u':
        o->path = optarg;
        break;
      case 'c':
        o->inflight = (unsigned)strtoul(optarg, NULL, 10);
        break;
      case 's':
        o->sockets = (unsigned)strtoul(optarg, NULL, 10);
        break;
      case 'd':
        o->duration = strtod(optarg, NULL);
        break;
      case 'n':
        o->count = strtoull(optarg, NULL, 10);
        break;
      case 't':
        o->timeout = (unsigned)strtoul(optarg, NULL, 10);
        break;
      case 'N':
        o->non = 1;
        break;
      case 'q':
        o->quiet = 1;
        break;
      default:
        usage(argv[0]);
        return -1;
    }
  }
  if (optind != argc || o->inflight == 0 || o->inflight > kMaxInflight || o->sockets == 0 ||
      o->timeout == 0 || o->duration < 0) {
    usage(argv[0]);
    return -1;
  }
  if (o->duration == 0 && o->count == 0) o->duration = 5;
  if (o->count && o->inflight > o->count) o->inflight = (unsigned)o->count;
  return 0;
}

/* Writes one option (number delta, value) in RFC 7252 section 3.1 form. */
static size_t put_option(uint8_t *out, unsigned delta, const uint8_t *value, size_t length) {
  size_t n = 1;
  unsigned d = delta, l = (unsigned)length;
  uint8_t dn = d < 13 ? (uint8_t)d : d < 269 ? 13 : 14;
  uint8_t ln = l < 13 ? (uint8_t)l : l < 269 ? 13 : 14;
  out[0] = (uint8_t)(dn << 4 | ln);
  if (dn == 13) out[n++] = (uint8_t)(d - 13);
  if (dn == 14) {
    out[n++] = (uint8_t)((d - 269) >> 8);
    out[n++] = (uint8_t)(d - 269);
  }
  if (ln == 13) out[n++] = (uint8_t)(l - 13);
  if (ln == 14) {
    out[n++] = (uint8_t)((l - 269) >> 8);
    out[n++] = (uint8_t)(l - 269);
  }
  memcpy(out + n, value, length);
  return n + length;
}

/* Encodes the Uri-Path options once; every request shares them. */
static size_t encode_path(const char *path, uint8_t *out, size_t capacity) {
  size_t used = 0;
  unsigned last = 0;
  while (*path) {
    const char *end;
    size_t length;
    while (*path == '/') path++;
    if (!*path) break;
    end = strchr(path, '/');
    length = end ? (size_t)(end - path) : strlen(path);
    /* RFC 7252 section 5.10: a Uri-Path segment is at most 255 bytes. */
    if (length > 255 || used + length + 5 > capacity) return (size_t)-1;
    used += put_option(out + used, 11 - last, (const uint8_t *)path, length);
    last = 11;
    path += length;
  }
  return used;
}

static int open_sockets(const struct options *o, int **fds_out) {
  struct addrinfo hints, *ai = NULL;
  struct rlimit rl;
  int *fds;
  unsigned i;
  int rc;
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  rc = getaddrinfo(o->host, o->port, &hints, &ai);
  if (rc != 0) {
    fprintf(stderr, "loadgen: cannot resolve %s port %s: %s\n", o->host, o->port, gai_strerror(rc));
    return -1;
  }
  /* Many sources need many descriptors: raise the soft limit if allowed. */
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < o->sockets + 64u) {
    rl.rlim_cur = rl.rlim_max < o->sockets + 64u ? rl.rlim_max : o->sockets + 64u;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  fds = calloc(o->sockets, sizeof(int));
  if (!fds) {
    freeaddrinfo(ai);
    return -1;
  }
  for (i = 0; i < o->sockets; i++) {
    int fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
      fprintf(stderr, "loadgen: socket %u of %u: %s\n", i + 1, o->sockets, strerror(errno));
      if (fd >= 0) close(fd);
      while (i > 0) close(fds[--i]);
      free(fds);
      freeaddrinfo(ai);
      return -1;
    }
    if (o->sockets == 1) {
      int size = 1 << 20;
      setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
      setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
    }
    fds[i] = fd;
  }
  freeaddrinfo(ai);
  *fds_out = fds;
  return 0;
}

static void record_latency(struct stats *st, uint64_t ns) {
  if (st->latency_count == st->latency_capacity) {
    size_t capacity = st->latency_capacity ? st->latency_capacity * 2 : 65536;
    uint32_t *grown = realloc(st->latency_us, capacity * sizeof(uint32_t));
    if (!grown) return;
    st->latency_us = grown;
    st->latency_capacity = capacity;
  }
  uint64_t us = ns / 1000;
  st->latency_us[st->latency_count++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

static int compare_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static uint32_t percentile(const struct stats *st, double p) {
  size_t index;
  if (!st->latency_count) return 0;
  index = (size_t)(p * (double)(st->latency_count - 1) + 0.5);
  return st->latency_us[index];
}

struct generator {
  struct options opt;
  int *fds;
  uint16_t *next_mid; /* per socket */
  struct slot *slots;
  unsigned *free_slots;
  unsigned free_count;
  unsigned next_socket;
  uint8_t path_options[1200];
  size_t path_length;
  struct stats st;
  uint64_t last_answer_ns;
};

/* Builds the request for slot `index` into buf and marks the slot used. */
static size_t build_request(struct generator *g, unsigned index, uint8_t *buf, uint64_t now) {
  struct slot *s = &g->slots[index];
  uint32_t sock = g->next_socket;
  uint16_t mid = g->next_mid[sock]++;
  uint64_t token = (rng_next() & ~0xffffull) | index;
  size_t n = 0;
  int i;
  g->next_socket = (sock + 1) % g->opt.sockets;
  buf[n++] = (uint8_t)(1 << 6 | (g->opt.non ? kTypeNon : kTypeCon) << 4 | kTokenLength);
  buf[n++] = 0x01; /* GET */
  buf[n++] = (uint8_t)(mid >> 8);
  buf[n++] = (uint8_t)mid;
  for (i = 7; i >= 0; i--) buf[n++] = (uint8_t)(token >> (8 * i));
  memcpy(buf + n, g->path_options, g->path_length);
  n += g->path_length;
  s->token = token;
  s->mid = mid;
  s->socket = sock;
  s->sent_ns = now;
  s->active = 1;
  return n;
}

static void release(struct generator *g, unsigned index) {
  g->slots[index].active = 0;
  g->free_slots[g->free_count++] = index;
}

/* Sends as many new requests as there are free slots (bounded by count). */
static void refill(struct generator *g, int sending) {
  static uint8_t bufs[kBatch][64 + 1200];
  struct mmsghdr msgs[kBatch];
  struct iovec iov[kBatch];
  while (sending && g->free_count > 0 && (!g->opt.count || g->st.sent < g->opt.count)) {
    unsigned n = 0, i;
    uint64_t now = now_ns();
    int fd = g->fds[g->next_socket];
    /* One batch holds requests for a single socket (sendmmsg's limit). */
    do {
      unsigned index = g->free_slots[--g->free_count];
      iov[n].iov_base = bufs[n];
      iov[n].iov_len = build_request(g, index, bufs[n], now);
      memset(&msgs[n], 0, sizeof(msgs[n]));
      msgs[n].msg_hdr.msg_iov = &iov[n];
      msgs[n].msg_hdr.msg_iovlen = 1;
      n++;
      g->st.sent++;
    } while (n < kBatch && g->free_count > 0 && g->opt.sockets == 1 &&
             (!g->opt.count || g->st.sent < g->opt.count));
    for (i = 0; i < n;) {
      int r = sendmmsg(fd, msgs + i, n - i, 0);
      if (r <= 0) {
        /* Not sent: the slots time out like lost requests would. */
        g->st.send_failures += n - i;
        break;
      }
      i += (unsigned)r;
    }
  }
}

static void send_empty_ack(int fd, uint16_t mid) {
  uint8_t ack[4] = {(uint8_t)(1 << 6 | kTypeAck << 4), 0, (uint8_t)(mid >> 8), (uint8_t)mid};
  (void)send(fd, ack, sizeof(ack), 0);
}

static void complete(struct generator *g, unsigned index, uint8_t code, uint64_t now) {
  struct slot *s = &g->slots[index];
  if (code >> 5 == 2)
    g->st.ok++;
  else
    g->st.errors++;
  record_latency(&g->st, now - s->sent_ns);
  g->last_answer_ns = now;
  release(g, index);
}

static void handle_datagram(struct generator *g, unsigned sock, const uint8_t *p, size_t n,
                            uint64_t now) {
  unsigned type, tkl, index;
  uint16_t mid;
  uint64_t token = 0;
  unsigned i;
  if (n < 4 || p[0] >> 6 != 1) {
    g->st.unmatched++;
    return;
  }
  type = p[0] >> 4 & 3;
  tkl = p[0] & 15;
  mid = (uint16_t)(p[2] << 8 | p[3]);
  if (type == kTypeRst || (type == kTypeAck && p[1] == 0)) {
    /* Empty message: find the request by message id on this socket. */
    for (i = 0; i < g->opt.inflight; i++) {
      struct slot *s = &g->slots[i];
      if (s->active && s->socket == sock && s->mid == mid) {
        if (type == kTypeRst) {
          g->st.rst++;
          g->last_answer_ns = now;
          release(g, i);
        }
        return; /* an empty ACK: the response follows separately */
      }
    }
    g->st.unmatched++;
    return;
  }
  if (type == kTypeCon) send_empty_ack(g->fds[sock], mid);
  if (tkl != kTokenLength || n < 4 + kTokenLength) {
    g->st.unmatched++;
    return;
  }
  for (i = 0; i < kTokenLength; i++) token = token << 8 | p[4 + i];
  index = (unsigned)(token & 0xffff);
  if (index >= g->opt.inflight || !g->slots[index].active || g->slots[index].token != token ||
      g->slots[index].socket != sock || (type == kTypeAck && g->slots[index].mid != mid)) {
    g->st.unmatched++;
    return;
  }
  if (type != kTypeAck && !g->opt.non) g->st.separate++;
  complete(g, index, p[1], now);
}

static void receive_all(struct generator *g, unsigned sock) {
  static uint8_t bufs[kBatch][kMaxPacket];
  struct mmsghdr msgs[kBatch];
  struct iovec iov[kBatch];
  unsigned i;
  for (;;) {
    int r;
    uint64_t now;
    for (i = 0; i < kBatch; i++) {
      iov[i].iov_base = bufs[i];
      iov[i].iov_len = kMaxPacket;
      memset(&msgs[i], 0, sizeof(msgs[i]));
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    r = recvmmsg(g->fds[sock], msgs, kBatch, MSG_DONTWAIT, NULL);
    if (r <= 0) return; /* EAGAIN, or ICMP errors when nothing listens */
    now = now_ns();
    for (i = 0; i < (unsigned)r; i++) handle_datagram(g, sock, bufs[i], msgs[i].msg_len, now);
    if (r < kBatch) return;
  }
}

/* Frees slots older than the timeout; returns the earliest pending deadline. */
static uint64_t expire(struct generator *g, uint64_t now) {
  uint64_t timeout_ns = (uint64_t)g->opt.timeout * 1000000u, next = UINT64_MAX;
  unsigned i;
  for (i = 0; i < g->opt.inflight; i++) {
    struct slot *s = &g->slots[i];
    if (!s->active) continue;
    if (s->sent_ns + timeout_ns <= now) {
      g->st.timeouts++;
      release(g, i);
    } else if (s->sent_ns + timeout_ns < next) {
      next = s->sent_ns + timeout_ns;
    }
  }
  return next;
}

int main(int argc, char **argv) {
  struct generator g;
  struct epoll_event events[kBatch];
  uint64_t start, end, next_expiry, elapsed;
  int ep, sending = 1;
  unsigned i;
  memset(&g, 0, sizeof(g));
  if (parse_options(argc, argv, &g.opt) != 0) return 2;
  g.path_length = encode_path(g.opt.path, g.path_options, sizeof(g.path_options));
  if (g.path_length == (size_t)-1) {
    fprintf(stderr, "loadgen: path too long (segments of up to 255 bytes)\n");
    return 2;
  }
  rng_state = (now_ns() ^ (uint64_t)getpid() << 32) | 1;
  if (open_sockets(&g.opt, &g.fds) != 0) return 1;
  g.next_mid = calloc(g.opt.sockets, sizeof(uint16_t));
  g.slots = calloc(g.opt.inflight, sizeof(struct slot));
  g.free_slots = calloc(g.opt.inflight, sizeof(unsigned));
  ep = epoll_create1(EPOLL_CLOEXEC);
  if (!g.next_mid || !g.slots || !g.free_slots || ep < 0) {
    fprintf(stderr, "loadgen: out of memory\n");
    return 1;
  }
  for (i = 0; i < g.opt.sockets; i++) {
    struct epoll_event ev;
    ev.events = EPOLLIN;
    ev.data.u32 = i;
    g.next_mid[i] = (uint16_t)rng_next();
    if (epoll_ctl(ep, EPOLL_CTL_ADD, g.fds[i], &ev) != 0) {
      fprintf(stderr, "loadgen: epoll_ctl: %s\n", strerror(errno));
      return 1;
    }
  }
  for (i = g.opt.inflight; i > 0; i--) g.free_slots[g.free_count++] = i - 1;

  start = now_ns();
  end = g.opt.duration > 0 ? start + (uint64_t)(g.opt.duration * 1e9) : UINT64_MAX;
  g.last_answer_ns = start;
  next_expiry = UINT64_MAX;
  for (;;) {
    uint64_t now = now_ns();
    int n, wait_ms;
    if (sending && (now >= end || (g.opt.count && g.st.sent >= g.opt.count))) sending = 0;
    refill(&g, sending);
    if (!sending && g.free_count == g.opt.inflight) break;
    if (now >= next_expiry || next_expiry == UINT64_MAX) next_expiry = expire(&g, now);
    if (!sending && g.free_count == g.opt.inflight) break;
    {
      uint64_t deadline = next_expiry < end || !sending ? next_expiry : end;
      wait_ms = deadline == UINT64_MAX ? 100
                : deadline <= now      ? 0
                                       : (int)((deadline - now) / 1000000u) + 1;
    }
    n = epoll_wait(ep, events, kBatch, wait_ms);
    for (i = 0; i < (unsigned)(n > 0 ? n : 0); i++) receive_all(&g, events[i].data.u32);
  }
  elapsed = g.last_answer_ns > start ? g.last_answer_ns - start : 1;

  if (g.st.latency_count) qsort(g.st.latency_us, g.st.latency_count, sizeof(uint32_t), compare_u32);
  {
    double seconds = (double)elapsed / 1e9;
    double rps = (double)(g.st.ok + g.st.errors) / seconds;
    double cpu_ms = 0;
    struct rusage ru;
    /* Our own CPU time, so a caller can tell what else used the machine. */
    if (getrusage(RUSAGE_SELF, &ru) == 0)
      cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
               (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    if (!g.opt.quiet) {
      printf("%" PRIu64 " requests (%s) over %u socket(s), %u in flight, in %.3f s\n", g.st.sent,
             g.opt.non ? "NON" : "CON", g.opt.sockets, g.opt.inflight, seconds);
      printf("  %.0f responses/s; latency p50 %u us, p99 %u us, max %u us\n", rps,
             percentile(&g.st, 0.50), percentile(&g.st, 0.99), percentile(&g.st, 1.0));
      printf("  ok %" PRIu64 ", error codes %" PRIu64 ", RST %" PRIu64 ", lost (timed out) %" PRIu64
             ", unmatched %" PRIu64 "\n",
             g.st.ok, g.st.errors, g.st.rst, g.st.timeouts, g.st.unmatched);
    }
    printf("sent=%" PRIu64 " ok=%" PRIu64 " errors=%" PRIu64 " rst=%" PRIu64 " timeouts=%" PRIu64
           " unmatched=%" PRIu64 " separate=%" PRIu64 " send_failures=%" PRIu64
           " seconds=%.6f rps=%.1f p50_us=%u p99_us=%u max_us=%u cpu_ms=%.0f\n",
           g.st.sent, g.st.ok, g.st.errors, g.st.rst, g.st.timeouts, g.st.unmatched, g.st.separate,
           g.st.send_failures, seconds, rps, percentile(&g.st, 0.50), percentile(&g.st, 0.99),
           percentile(&g.st, 1.0), cpu_ms);
  }
  for (i = 0; i < g.opt.sockets; i++) close(g.fds[i]);
  close(ep);
  free(g.fds);
  free(g.next_mid);
  free(g.slots);
  free(g.free_slots);
  free(g.st.latency_us);
  return g.st.ok > 0 ? 0 : 1;
}
