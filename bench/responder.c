/* The cheapest possible CoAP "server": answers every CON request with a
 * piggybacked 2.05 ACK and every NON request with a NON 2.05 (same token,
 * a short payload), in batches of recvmmsg/sendmmsg, without parsing
 * options or keeping any state. It shows the ceiling that the load
 * generator and the kernel's loopback path impose on this machine, so a
 * server result close to it reads as "load-limited", not as a server limit.
 * Usage: responder PORT [IPV4_HOST]; stops on SIGINT or SIGTERM. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { kBatch = 64, kMaxPacket = 1500 };

static volatile sig_atomic_t stop;
static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

int main(int argc, char **argv) {
  static uint8_t in[kBatch][kMaxPacket], out[kBatch][64];
  struct sockaddr_in peers[kBatch], a;
  struct mmsghdr rx[kBatch], tx[kBatch];
  struct iovec rx_iov[kBatch], tx_iov[kBatch];
  struct sigaction sa;
  uint16_t mid = 1;
  int fd, i;
  if (argc < 2) {
    fprintf(stderr, "usage: %s PORT [IPV4_HOST]\n", argv[0]);
    return 2;
  }
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)atoi(argv[1]));
  fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || inet_pton(AF_INET, argc > 2 ? argv[2] : "127.0.0.1", &a.sin_addr) != 1 ||
      bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
    fprintf(stderr, "responder: cannot bind: %s\n", strerror(errno));
    return 1;
  }
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal; /* no SA_RESTART: the blocking receive returns EINTR */
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  while (!stop) {
    int n, m = 0;
    for (i = 0; i < kBatch; i++) {
      rx_iov[i].iov_base = in[i];
      rx_iov[i].iov_len = kMaxPacket;
      memset(&rx[i], 0, sizeof(rx[i]));
      rx[i].msg_hdr.msg_iov = &rx_iov[i];
      rx[i].msg_hdr.msg_iovlen = 1;
      rx[i].msg_hdr.msg_name = &peers[i];
      rx[i].msg_hdr.msg_namelen = sizeof(peers[i]);
    }
    n = recvmmsg(fd, rx, kBatch, MSG_WAITFORONE, NULL);
    if (n <= 0) continue;
    for (i = 0; i < n; i++) {
      const uint8_t *p = in[i];
      unsigned tkl = p[0] & 15, type = p[0] >> 4 & 3, len;
      uint8_t *o = out[m];
      if (rx[i].msg_len < 4 + tkl || tkl > 8 || type > 1) continue;
      o[0] = (uint8_t)(1 << 6 | (type == 0 ? 2 : 1) << 4 | tkl);
      o[1] = 0x45; /* 2.05 Content */
      if (type == 0) {
        o[2] = p[2];
        o[3] = p[3];
      } else {
        o[2] = (uint8_t)(mid >> 8);
        o[3] = (uint8_t)mid;
        mid++;
      }
      memcpy(o + 4, p + 4, tkl);
      len = 4 + tkl;
      o[len++] = 0xff;
      memcpy(o + len, "ok", 2);
      len += 2;
      tx_iov[m].iov_base = o;
      tx_iov[m].iov_len = len;
      memset(&tx[m], 0, sizeof(tx[m]));
      tx[m].msg_hdr.msg_iov = &tx_iov[m];
      tx[m].msg_hdr.msg_iovlen = 1;
      tx[m].msg_hdr.msg_name = &peers[i];
      tx[m].msg_hdr.msg_namelen = rx[i].msg_hdr.msg_namelen;
      m++;
    }
    for (i = 0; i < m;) {
      int r = sendmmsg(fd, tx + i, (unsigned)(m - i), 0);
      if (r <= 0) break;
      i += r;
    }
  }
  close(fd);
  return 0;
}
