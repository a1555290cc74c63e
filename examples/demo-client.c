/* demo-client: sends one CoAP request and prints the response.
 *
 *   demo-client [-m get|put|post|delete] [-e payload] [-N] [-v level] URI
 *
 * -N sends a non-confirmable request. Exits 0 when a 2.xx response
 * arrived, 1 on an error response or no response within 10 seconds. */
#include <coap3/coap.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int done;
static int success;

static coap_response_t on_response(coap_session_t *session, const coap_pdu_t *sent,
                                   const coap_pdu_t *received, const coap_mid_t mid) {
  size_t len;
  const uint8_t *data;
  coap_pdu_code_t code = coap_pdu_get_code(received);
  (void)session, (void)sent, (void)mid;
  printf("%d.%02d", (int)code >> 5, (int)code & 31);
  if (coap_get_data(received, &len, &data)) printf(" %.*s", (int)len, (const char *)data);
  printf("\n");
  success = COAP_RESPONSE_CLASS(code) == 2;
  done = 1;
  return COAP_RESPONSE_OK;
}

static void on_nack(coap_session_t *session, const coap_pdu_t *sent,
                    const coap_nack_reason_t reason, const coap_mid_t mid) {
  (void)session, (void)sent, (void)mid;
  fprintf(stderr, "demo-client: no response (reason %d)\n", (int)reason);
  done = 1;
}

static coap_pdu_code_t method_of(const char *name) {
  if (!strcasecmp(name, "put")) return COAP_REQUEST_CODE_PUT;
  if (!strcasecmp(name, "post")) return COAP_REQUEST_CODE_POST;
  if (!strcasecmp(name, "delete")) return COAP_REQUEST_CODE_DELETE;
  return COAP_REQUEST_CODE_GET;
}

int main(int argc, char **argv) {
  coap_pdu_code_t method = COAP_REQUEST_CODE_GET;
  coap_pdu_type_t type = COAP_MESSAGE_CON;
  const char *payload = NULL;
  int opt;
  while ((opt = getopt(argc, argv, "m:e:Nv:")) != -1) {
    switch (opt) {
      case 'm':
        method = method_of(optarg);
        break;
      case 'e':
        payload = optarg;
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
    fprintf(stderr, "usage: %s [-m method] [-e payload] [-N] [-v level] URI\n", argv[0]);
    return 1;
  }
  coap_startup();

  coap_uri_t uri;
  const char *text = argv[optind];
  if (coap_split_uri((const uint8_t *)text, strlen(text), &uri) < 0 ||
      uri.scheme != COAP_URI_SCHEME_COAP) {
    fprintf(stderr, "demo-client: not a coap:// URI: %s\n", text);
    return 1;
  }
  coap_addr_info_t *info = coap_resolve_address_info(&uri.host, uri.port, uri.port, 0, 0, 0,
                                                     1 << uri.scheme, COAP_RESOLVE_TYPE_REMOTE);
  if (!info) {
    fprintf(stderr, "demo-client: cannot resolve %.*s\n", (int)uri.host.length, uri.host.s);
    return 1;
  }
  coap_context_t *ctx = coap_new_context(NULL);
  coap_session_t *session =
      ctx ? coap_new_client_session(ctx, NULL, &info->addr, COAP_PROTO_UDP) : NULL;
  coap_free_address_info(info);
  if (!session) {
    fprintf(stderr, "demo-client: cannot create a session\n");
    return 1;
  }
  coap_register_response_handler(ctx, on_response);
  coap_register_nack_handler(ctx, on_nack);

  coap_pdu_t *pdu = coap_new_pdu(type, method, session);
  uint8_t token[8];
  size_t token_len;
  coap_session_new_token(session, &token_len, token);
  coap_add_token(pdu, token_len, token);
  coap_optlist_t *options = NULL;
  coap_uri_into_optlist(&uri, coap_session_get_addr_remote(session), &options, 1);
  coap_add_optlist_pdu(pdu, &options);
  coap_delete_optlist(options);
  if (payload) coap_add_data(pdu, strlen(payload), (const uint8_t *)payload);
  if (coap_send(session, pdu) == COAP_INVALID_MID) {
    fprintf(stderr, "demo-client: cannot send the request\n");
    return 1;
  }

  int waited = 0;
  while (!done && waited < 10000) {
    int spent = coap_io_process(ctx, 1000);
    if (spent < 0) break;
    waited += spent > 0 ? spent : 1;
  }
  if (!done) fprintf(stderr, "demo-client: timed out\n");
  coap_session_release(session);
  coap_free_context(ctx);
  coap_cleanup();
  return success ? 0 : 1;
}
