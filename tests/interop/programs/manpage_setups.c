/* The set-up sequences of the coap_endpoint_client(3) and
 * coap_endpoint_server(3) EXAMPLES sections, written as one test program
 * so each can be run against a real peer:
 *
 *   manpage_setups client-udp IPv4 PORT PATH       GET coap://IPv4:PORT/PATH, print the payload
 *   manpage_setups client-unix SERVER_PATH LOCAL   the same over a Unix-domain socket
 *   manpage_setups client-psk IPv4 PORT ID KEY     DTLS with a pre-shared key
 *   manpage_setups client-pki IPv4 PORT CERT KEY CA   DTLS with certificates
 *   manpage_setups server-udp PORT                 serve "/" until killed
 *   manpage_setups server-unix PATH
 *   manpage_setups server-psk PORT HINT KEY
 *   manpage_setups server-pki PORT CERT KEY CA
 *
 * Client modes exit 0 after printing a 2.05 payload. When the library has
 * no (D)TLS, the secure modes print "no (D)TLS support" and exit 2. */
#include <coap3/coap.h>

#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int done;
static int status = 1;
static volatile sig_atomic_t quit;

static coap_response_t on_response(coap_session_t *session, const coap_pdu_t *sent,
                                   const coap_pdu_t *received, const coap_mid_t mid) {
  size_t len;
  const uint8_t *data;
  (void)session, (void)sent, (void)mid;
  if (coap_pdu_get_code(received) == COAP_RESPONSE_CODE_CONTENT &&
      coap_get_data(received, &len, &data)) {
    printf("%.*s\n", (int)len, (const char *)data);
    status = 0;
  } else {
    printf("code %d.%02d\n", coap_pdu_get_code(received) >> 5, coap_pdu_get_code(received) & 31);
  }
  done = 1;
  return COAP_RESPONSE_OK;
}

static void on_nack(coap_session_t *session, const coap_pdu_t *sent,
                    const coap_nack_reason_t reason, const coap_mid_t mid) {
  (void)session, (void)sent, (void)mid;
  printf("nack %d\n", (int)reason);
  done = 1;
}

static coap_address_t ipv4(const char *ip, const char *port) {
  coap_address_t a;
  coap_address_init(&a);
  a.addr.sa.sa_family = AF_INET;
  inet_pton(AF_INET, ip, &a.addr.sin.sin_addr);
  a.addr.sin.sin_port = htons((uint16_t)atoi(port));
  return a;
}

static coap_address_t unix_path(const char *path) {
  coap_address_t a;
  coap_address_init(&a);
  a.addr.sa.sa_family = AF_UNIX;
  snprintf(a.addr.cun.sun_path, sizeof(a.addr.cun.sun_path), "%s", path);
  return a;
}

/* The context as every EXAMPLE makes it. */
static coap_context_t *new_context(void) {
  coap_context_t *ctx = coap_new_context(NULL);
  if (ctx) coap_context_set_block_mode(ctx, COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY);
  return ctx;
}

static int request(coap_context_t *ctx, coap_session_t *session, const char *path) {
  coap_pdu_t *pdu;
  uint8_t token[8];
  size_t token_len;
  int waited = 0;
  if (!session) {
    printf("no session\n");
    coap_free_context(ctx);
    return 1;
  }
  coap_register_response_handler(ctx, on_response);
  coap_register_nack_handler(ctx, on_nack);
  pdu = coap_new_pdu(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, session);
  coap_session_new_token(session, &token_len, token);
  coap_add_token(pdu, token_len, token);
  if (path && *path)
    coap_add_option(pdu, COAP_OPTION_URI_PATH, strlen(path), (const uint8_t *)path);
  coap_send(session, pdu);
  while (!done && waited < 10000) waited += coap_io_process(ctx, 500) + 1;
  coap_session_release(session);
  coap_free_context(ctx);
  return status;
}

static void hnd_get(coap_resource_t *resource, coap_session_t *session, const coap_pdu_t *req,
                    const coap_string_t *query, coap_pdu_t *response) {
  static const char text[] = "man page server set-up";
  (void)resource, (void)session, (void)req, (void)query;
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
  coap_add_data(response, sizeof(text) - 1, (const uint8_t *)text);
}

static void on_signal(int sig) {
  (void)sig;
  quit = 1;
}

static int serve(coap_context_t *ctx, coap_endpoint_t *endpoint) {
  coap_resource_t *r;
  if (!endpoint) {
    printf("no endpoint\n");
    coap_free_context(ctx);
    return 1;
  }
  r = coap_resource_init(NULL, 0);
  coap_register_request_handler(r, COAP_REQUEST_GET, hnd_get);
  coap_add_resource(ctx, r);
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  printf("serving\n");
  fflush(stdout);
  while (!quit) coap_io_process(ctx, 500);
  coap_free_context(ctx);
  return 0;
}

static coap_dtls_key_t pem_files(const char *cert, const char *key, const char *ca) {
  coap_dtls_key_t k;
  memset(&k, 0, sizeof(k));
  k.key_type = COAP_PKI_KEY_PEM;
  k.key.pem.public_cert = cert;
  k.key.pem.private_key = key;
  k.key.pem.ca_file = ca;
  return k;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  coap_context_t *ctx;
  coap_startup();
  if (argc > 2 && getenv("SETUP_DEBUG")) coap_set_log_level(COAP_LOG_DEBUG);

  if (!strcmp(mode, "client-udp") && argc == 5) {
    coap_address_t server = ipv4(argv[2], argv[3]);
    ctx = new_context();
    return request(ctx, coap_new_client_session(ctx, NULL, &server, COAP_PROTO_UDP), argv[4]);
  }
  if (!strcmp(mode, "client-unix") && argc == 4) {
    coap_address_t server = unix_path(argv[2]);
    coap_address_t local = unix_path(argv[3]);
    unlink(argv[3]);
    ctx = new_context();
    return request(ctx, coap_new_client_session(ctx, &local, &server, COAP_PROTO_UDP), "");
  }
  if (!strcmp(mode, "client-psk") && argc == 6) {
    coap_address_t server = ipv4(argv[2], argv[3]);
    coap_dtls_cpsk_t psk;
    if (!coap_dtls_psk_is_supported()) {
      printf("no (D)TLS support\n");
      return 2;
    }
    memset(&psk, 0, sizeof(psk));
    psk.version = COAP_DTLS_CPSK_SETUP_VERSION;
    psk.psk_info.identity.s = (const uint8_t *)argv[4];
    psk.psk_info.identity.length = strlen(argv[4]);
    psk.psk_info.key.s = (const uint8_t *)argv[5];
    psk.psk_info.key.length = strlen(argv[5]);
    ctx = new_context();
    return request(ctx, coap_new_client_session_psk2(ctx, NULL, &server, COAP_PROTO_DTLS, &psk),
                   "");
  }
  if (!strcmp(mode, "client-pki") && argc == 7) {
    coap_address_t server = ipv4(argv[2], argv[3]);
    coap_dtls_pki_t pki;
    if (!coap_dtls_pki_is_supported()) {
      printf("no (D)TLS support\n");
      return 2;
    }
    memset(&pki, 0, sizeof(pki));
    pki.version = COAP_DTLS_PKI_SETUP_VERSION;
    pki.verify_peer_cert = 1;
    pki.check_common_ca = 1;
    pki.allow_self_signed = 0;
    pki.cert_chain_validation = 1;
    pki.cert_chain_verify_depth = 2;
    pki.pki_key = pem_files(argv[4], argv[5], argv[6]);
    ctx = new_context();
    return request(ctx, coap_new_client_session_pki(ctx, NULL, &server, COAP_PROTO_DTLS, &pki), "");
  }
  if (!strcmp(mode, "server-udp") && argc == 3) {
    coap_address_t listen = ipv4("127.0.0.1", argv[2]);
    ctx = new_context();
    return serve(ctx, coap_new_endpoint(ctx, &listen, COAP_PROTO_UDP));
  }
  if (!strcmp(mode, "server-unix") && argc == 3) {
    coap_address_t listen = unix_path(argv[2]);
    unlink(argv[2]);
    ctx = new_context();
    return serve(ctx, coap_new_endpoint(ctx, &listen, COAP_PROTO_UDP));
  }
  if (!strcmp(mode, "server-psk") && argc == 5) {
    coap_address_t listen = ipv4("127.0.0.1", argv[2]);
    coap_dtls_spsk_t psk;
    if (!coap_dtls_psk_is_supported()) {
      printf("no (D)TLS support\n");
      return 2;
    }
    memset(&psk, 0, sizeof(psk));
    psk.version = COAP_DTLS_SPSK_SETUP_VERSION;
    psk.psk_info.hint.s = (const uint8_t *)argv[3];
    psk.psk_info.hint.length = strlen(argv[3]);
    psk.psk_info.key.s = (const uint8_t *)argv[4];
    psk.psk_info.key.length = strlen(argv[4]);
    ctx = new_context();
    if (!coap_context_set_psk2(ctx, &psk)) return serve(ctx, NULL);
    return serve(ctx, coap_new_endpoint(ctx, &listen, COAP_PROTO_DTLS));
  }
  if (!strcmp(mode, "server-pki") && argc == 6) {
    coap_address_t listen = ipv4("127.0.0.1", argv[2]);
    coap_dtls_pki_t pki;
    if (!coap_dtls_pki_is_supported()) {
      printf("no (D)TLS support\n");
      return 2;
    }
    memset(&pki, 0, sizeof(pki));
    pki.version = COAP_DTLS_PKI_SETUP_VERSION;
    pki.verify_peer_cert = 1;
    pki.check_common_ca = 1;
    pki.cert_chain_validation = 1;
    pki.cert_chain_verify_depth = 2;
    pki.pki_key = pem_files(argv[3], argv[4], argv[5]);
    ctx = new_context();
    if (!coap_context_set_pki(ctx, &pki)) return serve(ctx, NULL);
    return serve(ctx, coap_new_endpoint(ctx, &listen, COAP_PROTO_DTLS));
  }
  fprintf(stderr, "usage: see the comment at the top of manpage_setups.c\n");
  return 64;
}
