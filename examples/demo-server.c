/* demo-server: a small CoAP server built on the libcoap API.
 *
 *   demo-server [-A address] [-p port] [-v level]
 *
 * Resources: "/" (a greeting), "/time" (seconds since the epoch), "/store"
 * (GET returns what was last PUT or POSTed; DELETE clears it). Runs until
 * SIGINT or SIGTERM. */
#include <coap3/coap.h>

#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t quit;
static uint8_t stored[1024];
static size_t stored_len;

static void on_signal(int sig) {
  (void)sig;
  quit = 1;
}

static void reply_text(coap_pdu_t *response, const char *text) {
  uint8_t buf[4];
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
  coap_add_option(response, COAP_OPTION_CONTENT_FORMAT,
                  coap_encode_var_safe(buf, sizeof(buf), COAP_MEDIATYPE_TEXT_PLAIN), buf);
  coap_add_data(response, strlen(text), (const uint8_t *)text);
}

static void get_index(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                      const coap_string_t *q, coap_pdu_t *response) {
  (void)r, (void)s, (void)req, (void)q;
  reply_text(response, "Hello from demo-server\n");
}

static void get_time(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                     const coap_string_t *q, coap_pdu_t *response) {
  char text[32];
  (void)r, (void)s, (void)req, (void)q;
  snprintf(text, sizeof(text), "%lld", (long long)time(NULL));
  reply_text(response, text);
}

static void get_store(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                      const coap_string_t *q, coap_pdu_t *response) {
  (void)r, (void)s, (void)req, (void)q;
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
  coap_add_data(response, stored_len, stored);
}

static void put_store(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                      const coap_string_t *q, coap_pdu_t *response) {
  size_t len;
  const uint8_t *data;
  (void)r, (void)s, (void)q;
  if (!coap_get_data(req, &len, &data)) len = 0;
  if (len > sizeof(stored)) {
    coap_pdu_set_code(response, COAP_RESPONSE_CODE_REQUEST_TOO_LARGE);
    return;
  }
  memcpy(stored, data, len);
  stored_len = len;
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CHANGED);
}

static void delete_store(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                         const coap_string_t *q, coap_pdu_t *response) {
  (void)r, (void)s, (void)req, (void)q;
  stored_len = 0;
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_DELETED);
}

static coap_resource_t *add(coap_context_t *ctx, const char *path, const char *title) {
  coap_resource_t *r = coap_resource_init(coap_make_str_const(path), 0);
  coap_add_attr(r, coap_make_str_const("title"), coap_make_str_const(title), 0);
  coap_add_resource(ctx, r);
  return r;
}

int main(int argc, char **argv) {
  const char *host = "127.0.0.1";
  const char *port = "5683";
  int opt;
  while ((opt = getopt(argc, argv, "A:p:v:")) != -1) {
    switch (opt) {
      case 'A':
        host = optarg;
        break;
      case 'p':
        port = optarg;
        break;
      case 'v':
        coap_set_log_level((coap_log_t)atoi(optarg));
        break;
      default:
        fprintf(stderr, "usage: %s [-A address] [-p port] [-v level]\n", argv[0]);
        return 1;
    }
  }
  coap_startup();
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);

  coap_str_const_t *name = coap_make_str_const(host);
  coap_addr_info_t *info =
      coap_resolve_address_info(name, (uint16_t)atoi(port), 0, 0, 0, AI_PASSIVE | AI_NUMERICHOST,
                                1 << COAP_URI_SCHEME_COAP, COAP_RESOLVE_TYPE_LOCAL);
  coap_context_t *ctx = coap_new_context(NULL);
  if (!info || !ctx || !coap_new_endpoint(ctx, &info->addr, COAP_PROTO_UDP)) {
    fprintf(stderr, "demo-server: cannot listen on %s port %s\n", host, port);
    return 1;
  }
  coap_free_address_info(info);

  coap_register_request_handler(add(ctx, "", "\"Greeting\""), COAP_REQUEST_GET, get_index);
  coap_register_request_handler(add(ctx, "time", "\"Clock\""), COAP_REQUEST_GET, get_time);
  coap_resource_t *store = add(ctx, "store", "\"Storage\"");
  coap_register_request_handler(store, COAP_REQUEST_GET, get_store);
  coap_register_request_handler(store, COAP_REQUEST_PUT, put_store);
  coap_register_request_handler(store, COAP_REQUEST_POST, put_store);
  coap_register_request_handler(store, COAP_REQUEST_DELETE, delete_store);

  printf("demo-server: listening on %s port %s\n", host, port);
  fflush(stdout);
  while (!quit) {
    if (coap_io_process(ctx, 500) < 0) break;
  }
  coap_free_context(ctx);
  coap_cleanup();
  return 0;
}
