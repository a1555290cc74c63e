/* Helpers of the Observe differential drivers: a raw UDP peer on loopback
 * talks to a libcoap context running in the same process (driven by
 * coap_io_process() from the same thread, so the order of events is
 * deterministic). Datagrams are printed with message ids relative to the
 * first one the library chose, and random option values (Request-Tag) by
 * length only, so that outputs of different libraries compare. */
#ifndef DIFF_OBSERVE_NET_H
#define DIFF_OBSERVE_NET_H

#include "diff_common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  uint16_t num;
  const char *val; /* bytes */
  size_t len;
} ropt_t;

/* Encodes header, token, options (ascending) and payload. */
static size_t raw_encode(uint8_t *out, int type, int code, uint16_t mid, const char *tok,
                         const ropt_t *opts, int nopts, const char *payload) {
  size_t tkl = tok ? strlen(tok) : 0, n = 0;
  int i;
  uint16_t last = 0;
  out[n++] = (uint8_t)(0x40 | (type << 4) | tkl);
  out[n++] = (uint8_t)code;
  out[n++] = (uint8_t)(mid >> 8);
  out[n++] = (uint8_t)mid;
  memcpy(out + n, tok, tkl);
  n += tkl;
  for (i = 0; i < nopts; i++) {
    unsigned d = opts[i].num - last, l = (unsigned)opts[i].len;
    size_t h = n++;
    unsigned dn = d < 13 ? d : d < 269 ? 13 : 14, ln = l < 13 ? l : l < 269 ? 13 : 14;
    out[h] = (uint8_t)(dn << 4 | ln);
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
    memcpy(out + n, opts[i].val, l);
    n += l;
    last = opts[i].num;
  }
  if (payload && *payload) {
    out[n++] = 0xff;
    memcpy(out + n, payload, strlen(payload));
    n += strlen(payload);
  }
  return n;
}

static const char *type_name(int t) {
  static const char *n[] = {"CON", "NON", "ACK", "RST"};
  return n[t & 3];
}

/* Prints a datagram: type, code, mid (relative), token, options, payload. */
typedef struct {
  int have_base;
  uint16_t base;     /* first mid chosen by the other side */
  uint16_t our_mid;  /* last mid we sent */
  uint16_t last_mid; /* last received */
  int last_type;
  int last_code;
  char last_tok[16];
  unsigned last_observe;
  int last_has_observe;
} rx_state_t;

static void raw_print(const char *who, rx_state_t *st, const uint8_t *p, size_t len) {
  size_t n = 4, tkl, i;
  unsigned num = 0;
  uint16_t mid;
  int type;
  if (len < 4) {
    printf("%s: short %zu\n", who, len);
    return;
  }
  type = (p[0] >> 4) & 3;
  tkl = p[0] & 15;
  mid = (uint16_t)(p[2] << 8 | p[3]);
  st->last_mid = mid;
  st->last_type = type;
  st->last_code = p[1];
  st->last_has_observe = 0;
  printf("%s: %s %d.%02d ", who, type_name(type), p[1] >> 5, p[1] & 31);
  if (type == 2 || type == 3) {
    if (mid == st->our_mid)
      printf("mid=ours ");
    else
      printf("mid=other ");
  } else if (mid == st->our_mid) {
    printf("mid=ours ");
  } else {
    if (!st->have_base) {
      st->have_base = 1;
      st->base = mid;
    }
    printf("mid=S+%u ", (unsigned)(uint16_t)(mid - st->base));
  }
  printf("tok=");
  memset(st->last_tok, 0, sizeof(st->last_tok));
  for (i = 0; i < tkl && n < len; i++, n++) {
    printf("%c", p[n]);
    if (i < 15) st->last_tok[i] = (char)p[n];
  }
  while (n < len && p[n] != 0xff) {
    unsigned d = p[n] >> 4, l = p[n] & 15;
    n++;
    if (d == 13)
      d = 13 + p[n++];
    else if (d == 14) {
      d = 269 + (p[n] << 8 | p[n + 1]);
      n += 2;
    }
    if (l == 13)
      l = 13 + p[n++];
    else if (l == 14) {
      l = 269 + (p[n] << 8 | p[n + 1]);
      n += 2;
    }
    num += d;
    printf(" [%u:", num);
    if (num == 292) {
      printf("len %u", l); /* random value */
    } else if (num == 11 || num == 15 || num == 3 || num == 8 || num == 35 || num == 39) {
      printf("\"%.*s\"", (int)l, p + n);
    } else {
      unsigned v = 0;
      for (i = 0; i < l; i++) v = v << 8 | p[n + i];
      printf("%u/%u", v, l);
      if (num == COAP_OPTION_OBSERVE) {
        st->last_observe = v;
        st->last_has_observe = 1;
      }
    }
    printf("]");
    n += l;
  }
  if (n < len && p[n] == 0xff) printf(" payload=\"%.*s\"", (int)(len - n - 1), p + n + 1);
  printf("\n");
  fflush(stdout);
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int free_udp_port(void) {
  struct sockaddr_in a;
  socklen_t l = sizeof(a);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, (struct sockaddr *)&a, sizeof(a));
  getsockname(fd, (struct sockaddr *)&a, &l);
  close(fd);
  return ntohs(a.sin_port);
}

static int raw_socket(int port) {
  struct sockaddr_in a;
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons((uint16_t)port);
  if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
    printf("bind failed\n");
    exit(1);
  }
  fcntl(fd, F_SETFL, O_NONBLOCK);
  return fd;
}

static void raw_sendto(int fd, int port, const uint8_t *b, size_t n) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons((uint16_t)port);
  sendto(fd, b, n, 0, (struct sockaddr *)&a, sizeof(a));
}

static int sock_port(int fd) {
  struct sockaddr_in a;
  socklen_t l = sizeof(a);
  getsockname(fd, (struct sockaddr *)&a, &l);
  return ntohs(a.sin_port);
}

/* Library logs go to stderr with OBS_LOG set (for debugging a driver),
 * else nowhere; PDUs are never printed by the library. */
static void obs_log(coap_log_t level, const char *message) {
  (void)level;
  if (getenv("OBS_LOG")) fprintf(stderr, "%s", message);
}

static void obs_setup(void) {
  coap_startup();
  coap_set_log_handler(obs_log);
  coap_set_show_pdu_output(0);
  coap_set_log_level(getenv("OBS_LOG") ? COAP_LOG_DEBUG : COAP_LOG_EMERG);
  setvbuf(stdout, NULL, _IOLBF, 0);
}

#endif /* DIFF_OBSERVE_NET_H */
