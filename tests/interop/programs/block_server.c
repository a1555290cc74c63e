/* block_server: a CoAP server with large resources, for block-wise interop
 * tests. Uses only the public libcoap API.
 *
 *   block_server -p port [-F file] [-L block_mode] [-b max_block_size]
 *
 *   GET  /big    the contents of file (coap_add_data_large_response)
 *   PUT  /store  stores the request body (whole or block by block, as the
 *                block mode says); GET /store returns it
 * Runs until SIGTERM/SIGINT. */
#include <coap3/coap.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t quit;
static uint8_t *big;
static size_t big_len;
static coap_binary_t *stored;   /* complete body of the last PUT */
static coap_binary_t *building; /* body being put together block by block */

static void on_signal(int sig) {
  (void)sig;
  quit = 1;
}

static void get_big(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                    const coap_string_t *q, coap_pdu_t *response) {
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
  coap_add_data_large_response(r, s, req, response, q, COAP_MEDIATYPE_APPLICATION_OCTET_STREAM, -1,
                               0, big_len, big, NULL, NULL);
}

static void release_copy(coap_session_t *s, void *p) {
  (void)s;
  coap_delete_binary((coap_binary_t *)p);
}

static void get_store(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                      const coap_string_t *q, coap_pdu_t *response) {
  coap_binary_t *copy;
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
  if (!stored) return;
  /* The body may be replaced while a transfer runs: serve a copy. */
  copy = coap_new_binary(stored->length);
  if (!copy) return;
  memcpy(copy->s, stored->s, stored->length);
  coap_add_data_large_response(r, s, req, response, q, COAP_MEDIATYPE_APPLICATION_OCTET_STREAM, -1,
                               0, copy->length, copy->s, release_copy, copy);
}

static void put_store(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                      const coap_string_t *q, coap_pdu_t *response) {
  size_t len = 0, offset = 0, total = 0;
  const uint8_t *data = NULL;
  (void)r, (void)s, (void)q;
  if (!coap_get_data_large(req, &len, &data, &offset, &total)) {
    len = 0;
    total = 0;
    data = (const uint8_t *)"";
  }
  if (offset == 0 && building) {
    coap_delete_binary(building);
    building = NULL;
  }
  if (len) {
    building = coap_block_build_body(building, len, data, offset, total);
  } else if (!building) {
    building = coap_new_binary(0);
  }
  if (offset + len < total) {
    coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTINUE);
    return;
  }
  coap_delete_binary(stored);
  stored = building;
  building = NULL;
  if (stored && stored->length > offset + len) stored->length = offset + len;
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CHANGED);
}

static int load(const char *file) {
  FILE *f = fopen(file, "rb");
  long n;
  if (!f) return 0;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  big = malloc(n > 0 ? (size_t)n : 1);
  big_len = n > 0 ? (size_t)n : 0;
  if (!big || fread(big, 1, big_len, f) != big_len) {
    fclose(f);
    return 0;
  }
  fclose(f);
  return 1;
}

int main(int argc, char **argv) {
  const char *port = "5683";
  const char *file = NULL;
  unsigned mode = COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY;
  size_t max_block = 0;
  int opt;
  coap_context_t *ctx;
  coap_address_t addr;
  coap_resource_t *r;

  while ((opt = getopt(argc, argv, "p:F:L:b:v:")) != -1) {
    switch (opt) {
      case 'p':
        port = optarg;
        break;
      case 'F':
        file = optarg;
        break;
      case 'L':
        mode = (unsigned)strtoul(optarg, NULL, 0);
        break;
      case 'b':
        max_block = (size_t)strtoul(optarg, NULL, 0);
        break;
      case 'v':
        coap_set_log_level((coap_log_t)atoi(optarg));
        break;
      default:
        fprintf(stderr, "usage: %s -p port [-F file] [-L mode] [-b max_block]\n", argv[0]);
        return 1;
    }
  }
  if (file && !load(file)) {
    fprintf(stderr, "block_server: cannot read %s\n", file);
    return 1;
  }
  coap_startup();
  coap_address_init(&addr);
  addr.addr.sin.sin_family = AF_INET;
  addr.addr.sin.sin_port = htons((uint16_t)atoi(port));
  addr.addr.sin.sin_addr.s_addr = htonl(0x7f000001);
  addr.size = sizeof(addr.addr.sin);
  ctx = coap_new_context(NULL);
  if (!ctx) return 1;
  coap_context_set_block_mode(ctx, mode);
  if (max_block && !coap_context_set_max_block_size(ctx, max_block)) return 1;
  if (!coap_new_endpoint(ctx, &addr, COAP_PROTO_UDP)) {
    fprintf(stderr, "block_server: cannot listen on port %s\n", port);
    return 1;
  }
  r = coap_resource_init(coap_make_str_const("big"), 0);
  coap_register_request_handler(r, COAP_REQUEST_GET, get_big);
  coap_add_resource(ctx, r);
  r = coap_resource_init(coap_make_str_const("store"), 0);
  coap_register_request_handler(r, COAP_REQUEST_GET, get_store);
  coap_register_request_handler(r, COAP_REQUEST_PUT, put_store);
  coap_add_resource(ctx, r);

  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  while (!quit) coap_io_process(ctx, 500);
  coap_free_context(ctx);
  coap_delete_binary(stored);
  coap_delete_binary(building);
  free(big);
  coap_cleanup();
  return 0;
}
