/* block_client: one request with a body of any size, for block-wise interop
 * tests. Uses only the public libcoap API.
 *
 *   block_client [-m get|put|post] [-f infile] [-o outfile] [-b size]
 *                [-L block_mode] [-N] URI
 *
 * The body to send is read from infile (coap_add_data_large_request); the
 * response body, delivered whole or block by block as the block mode says,
 * is written to outfile. Prints the response code; exits 0 on 2.xx. */
#include <coap3/coap.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static int done;
static int success;
static coap_binary_t *body;
static size_t calls;

static coap_response_t on_response(coap_session_t *session, const coap_pdu_t *sent,
                                   const coap_pdu_t *received, const coap_mid_t mid) {
  size_t len = 0, offset = 0, total = 0;
  const uint8_t *data = NULL;
  coap_pdu_code_t code = coap_pdu_get_code(received);
  (void)session, (void)sent, (void)mid;
  ++calls;
  if (coap_get_data_large(received, &len, &data, &offset, &total) && len) {
    body = coap_block_build_body(body, len, data, offset, total);
  }
  if (offset + len >= total || COAP_RESPONSE_CLASS(code) != 2) {
    printf("%d.%02d (%zu bytes, %zu calls)\n", (int)code >> 5, (int)code & 31,
           body ? body->length : 0, calls);
    success = COAP_RESPONSE_CLASS(code) == 2;
    done = 1;
  }
  return COAP_RESPONSE_OK;
}

static void on_nack(coap_session_t *session, const coap_pdu_t *sent,
                    const coap_nack_reason_t reason, const coap_mid_t mid) {
  (void)session, (void)sent, (void)mid;
  fprintf(stderr, "block_client: no response (reason %d)\n", (int)reason);
  done = 1;
}

static void release_file(coap_session_t *session, void *p) {
  (void)session;
  free(p);
}

static uint8_t *read_file(const char *name, size_t *len) {
  FILE *f = fopen(name, "rb");
  long n;
  uint8_t *buf;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = malloc(n > 0 ? (size_t)n : 1);
  *len = n > 0 ? (size_t)n : 0;
  if (buf && fread(buf, 1, *len, f) != *len) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  return buf;
}

int main(int argc, char **argv) {
  coap_pdu_code_t method = COAP_REQUEST_CODE_GET;
  coap_pdu_type_t type = COAP_MESSAGE_CON;
  const char *in = NULL, *out = NULL;
  unsigned mode = COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY;
  int block_size = 0;
  int opt;
  while ((opt = getopt(argc, argv, "m:f:o:b:L:Nv:")) != -1) {
    switch (opt) {
      case 'm':
        method = !strcasecmp(optarg, "put")    ? COAP_REQUEST_CODE_PUT
                 : !strcasecmp(optarg, "post") ? COAP_REQUEST_CODE_POST
                                               : COAP_REQUEST_CODE_GET;
        break;
      case 'f':
        in = optarg;
        break;
      case 'o':
        out = optarg;
        break;
      case 'b':
        block_size = atoi(optarg);
        break;
      case 'L':
        mode = (unsigned)strtoul(optarg, NULL, 0);
        break;
      case 'N':
        type = COAP_MESSAGE_NON;
        break;
      case 'v':
        coap_set_log_level((coap_log_t)atoi(optarg));
        break;
      default:
        optind = argc + 1;
        break;
    }
  }
  if (optind != argc - 1) {
    fprintf(stderr, "usage: %s [-m method] [-f in] [-o out] [-b size] [-L mode] [-N] URI\n",
            argv[0]);
    return 1;
  }
  coap_startup();
  coap_uri_t uri;
  const char *text = argv[optind];
  if (coap_split_uri((const uint8_t *)text, strlen(text), &uri) < 0) return 1;
  coap_addr_info_t *info = coap_resolve_address_info(&uri.host, uri.port, uri.port, 0, 0, 0,
                                                     1 << uri.scheme, COAP_RESOLVE_TYPE_REMOTE);
  if (!info) return 1;
  coap_context_t *ctx = coap_new_context(NULL);
  coap_context_set_block_mode(ctx, mode);
  coap_session_t *session = coap_new_client_session(ctx, NULL, &info->addr, COAP_PROTO_UDP);
  coap_free_address_info(info);
  if (!session) return 1;
  coap_register_response_handler(ctx, on_response);
  coap_register_nack_handler(ctx, on_nack);

  coap_pdu_t *pdu = coap_new_pdu(type, method, session);
  uint8_t token[8];
  size_t token_len;
  coap_session_new_token(session, &token_len, token);
  coap_add_token(pdu, token_len, token);
  coap_optlist_t *options = NULL;
  coap_uri_into_optlist(&uri, coap_session_get_addr_remote(session), &options, 1);
  if (block_size) {
    /* Block size hint: Block1 for a body we send, Block2 for the answer. */
    uint8_t buf[4];
    unsigned szx = 0;
    while ((16u << szx) < (unsigned)block_size && szx < 6) ++szx;
    coap_insert_optlist(&options,
                        coap_new_optlist(in ? COAP_OPTION_BLOCK1 : COAP_OPTION_BLOCK2,
                                         coap_encode_var_safe(buf, sizeof(buf), szx), buf));
  }
  coap_add_optlist_pdu(pdu, &options);
  coap_delete_optlist(options);
  if (in) {
    size_t len = 0;
    uint8_t *data = read_file(in, &len);
    if (!data) {
      fprintf(stderr, "block_client: cannot read %s\n", in);
      return 1;
    }
    if (!coap_add_data_large_request(session, pdu, len, data, release_file, data)) return 1;
  }
  if (coap_send(session, pdu) == COAP_INVALID_MID) return 1;
  time_t deadline = time(NULL) + 120;
  while (!done && time(NULL) < deadline) {
    if (coap_io_process(ctx, 1000) < 0) {
      fprintf(stderr, "block_client: coap_io_process failed\n");
      break;
    }
  }
  if (!done) fprintf(stderr, "block_client: timed out\n");
  if (out) {
    FILE *f = fopen(out, "wb");
    if (f) {
      if (body && body->length) fwrite(body->s, 1, body->length, f);
      fclose(f);
    }
  }
  coap_delete_binary(body);
  coap_session_release(session);
  coap_free_context(ctx);
  coap_cleanup();
  return done && success ? 0 : 1;
}
