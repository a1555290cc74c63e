/* Socket helpers of the stream differential drivers (diff_tcp.c,
 * diff_ws.c): a monotonic clock in milliseconds, and a raw TCP peer on
 * loopback with kernel-chosen ports. */
#ifndef DIFF_STREAM_NET_H
#define DIFF_STREAM_NET_H

#include "diff_common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int free_tcp_port(void) {
  struct sockaddr_in a;
  socklen_t l = sizeof(a);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, (struct sockaddr *)&a, sizeof(a));
  getsockname(fd, (struct sockaddr *)&a, &l);
  close(fd);
  return ntohs(a.sin_port);
}

static void loopback(coap_address_t *out, int port) {
  coap_address_init(out);
  out->addr.sin.sin_family = AF_INET;
  out->addr.sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  out->addr.sin.sin_port = htons((uint16_t)port);
  out->size = sizeof(out->addr.sin);
}

static int raw_listen(int *port) {
  struct sockaddr_in a;
  socklen_t l = sizeof(a);
  int one = 1;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, (struct sockaddr *)&a, sizeof(a));
  listen(fd, 4);
  getsockname(fd, (struct sockaddr *)&a, &l);
  *port = ntohs(a.sin_port);
  return fd;
}

#endif /* DIFF_STREAM_NET_H */
