/* A UDP relay that counts datagrams: clients talk to LISTEN_PORT, each
 * distinct client gets its own upstream socket towards TARGET_PORT (so the
 * server still sees one endpoint per client), and every datagram is counted
 * in both directions. The counts are printed as key=value pairs when the
 * relay gets SIGTERM or SIGINT. Used to compare how many packets a client
 * library puts on the wire for the same job. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { kMaxClients = 1024, kMaxDatagram = 65536 };

struct client {
  struct sockaddr_in addr; /* the client's address, as seen on the listening socket */
  int upstream;            /* connected to the target; -1: unused */
  uint64_t last_use;
};

static volatile sig_atomic_t stop;
static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

static int bound_socket(const char *host, unsigned port) {
  struct sockaddr_in a;
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  if (fd < 0 || inet_pton(AF_INET, host, &a.sin_addr) != 1 ||
      bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
    fprintf(stderr, "udpcount: cannot bind %s:%u: %s\n", host, port, strerror(errno));
    if (fd >= 0) close(fd);
    return -1;
  }
  return fd;
}

int main(int argc, char **argv) {
  static struct client clients[kMaxClients];
  static uint8_t buf[kMaxDatagram];
  static struct pollfd fds[kMaxClients + 1];
  static int slot_of_fd[kMaxClients + 1];
  struct sockaddr_in target;
  struct sigaction sa;
  uint64_t to_server = 0, to_client = 0, bytes_to_server = 0, bytes_to_client = 0, tick = 0;
  unsigned used = 0, i;
  const char *host = argc > 3 ? argv[3] : "127.0.0.1";
  int listener;
  if (argc < 3) {
    fprintf(stderr, "usage: %s LISTEN_PORT TARGET_PORT [IPV4_HOST]\n", argv[0]);
    return 2;
  }
  memset(&target, 0, sizeof(target));
  target.sin_family = AF_INET;
  target.sin_port = htons((uint16_t)atoi(argv[2]));
  if (inet_pton(AF_INET, host, &target.sin_addr) != 1) {
    fprintf(stderr, "udpcount: bad address %s\n", host);
    return 2;
  }
  listener = bound_socket(host, (unsigned)atoi(argv[1]));
  if (listener < 0) return 1;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  for (i = 0; i < kMaxClients; i++) clients[i].upstream = -1;

  while (!stop) {
    unsigned nfds = 0;
    int r;
    fds[nfds].fd = listener;
    fds[nfds].events = POLLIN;
    slot_of_fd[nfds++] = -1;
    for (i = 0; i < used; i++) {
      fds[nfds].fd = clients[i].upstream;
      fds[nfds].events = POLLIN;
      slot_of_fd[nfds++] = (int)i;
    }
    r = poll(fds, nfds, 100);
    if (r <= 0) continue;
    for (i = 0; i < nfds; i++) {
      ssize_t n;
      if (!(fds[i].revents & POLLIN)) continue;
      if (slot_of_fd[i] < 0) {
        /* From a client: find or make its upstream socket, then forward. */
        struct sockaddr_in from;
        socklen_t len = sizeof(from);
        unsigned c, victim = 0;
        n = recvfrom(listener, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &len);
        if (n < 0) continue;
        for (c = 0; c < used; c++) {
          if (clients[c].addr.sin_port == from.sin_port &&
              clients[c].addr.sin_addr.s_addr == from.sin_addr.s_addr)
            break;
          if (clients[c].last_use < clients[victim].last_use) victim = c;
        }
        if (c == used) {
          int up;
          if (used < kMaxClients) {
            c = used;
          } else {
            /* Table full: the least recently used client loses its socket. */
            c = victim;
            close(clients[c].upstream);
            clients[c].upstream = -1;
          }
          up = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
          if (up < 0 || connect(up, (struct sockaddr *)&target, sizeof(target)) != 0) {
            if (up >= 0) close(up);
            continue;
          }
          clients[c].addr = from;
          clients[c].upstream = up;
          if (c == used) used++;
        }
        clients[c].last_use = ++tick;
        if (send(clients[c].upstream, buf, (size_t)n, 0) == n) {
          to_server++;
          bytes_to_server += (uint64_t)n;
        }
      } else {
        struct client *cl = &clients[slot_of_fd[i]];
        if (cl->upstream != fds[i].fd) continue; /* replaced in this round */
        n = recv(cl->upstream, buf, sizeof(buf), MSG_DONTWAIT);
        if (n < 0) continue;
        cl->last_use = ++tick;
        if (sendto(listener, buf, (size_t)n, 0, (struct sockaddr *)&cl->addr, sizeof(cl->addr)) ==
            n) {
          to_client++;
          bytes_to_client += (uint64_t)n;
        }
      }
    }
  }
  printf("to_server=%" PRIu64 " to_client=%" PRIu64 " bytes_to_server=%" PRIu64
         " bytes_to_client=%" PRIu64 " clients=%" PRIu64 "\n",
         to_server, to_client, bytes_to_server, bytes_to_client, (uint64_t)used);
  fflush(stdout);
  return 0;
}
