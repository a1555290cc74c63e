// Fuzzes URI handling: coap_split_uri / coap_split_proxy_uri (every part
// must lie inside the input), coap_new_uri / coap_clone_uri, the option
// helpers (coap_uri_into_optlist, coap_path_into_optlist,
// coap_query_into_optlist) and the way back from a request
// (coap_get_uri_path, coap_get_query, with the input also as Proxy-Uri),
// and coap_split_path / coap_split_query into exactly sized heap buffers
// so that any write past the room given is caught.
//
// Input: byte 0 selects the buffer room, the destination address and the
// flags; the rest is the text.
#include <arpa/inet.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "coap3/coap.h"

namespace {

void check_part(const coap_str_const_t &part, const uint8_t *text, size_t size) {
  if (!part.s) {
    if (part.length) __builtin_trap();
    return;
  }
  if (part.s < text || part.s + part.length > text + size) __builtin_trap();
}

coap_address_t destination(uint8_t control) {
  coap_address_t addr;
  coap_address_init(&addr);
  if (control & 0x10) {
    addr.addr.sin6.sin6_family = AF_INET6;
    inet_pton(AF_INET6, "::1", &addr.addr.sin6.sin6_addr);
    addr.size = sizeof(struct sockaddr_in6);
  } else {
    addr.addr.sin.sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.1", &addr.addr.sin.sin_addr);
    addr.size = sizeof(struct sockaddr_in);
  }
  return addr;
}

// Puts the options into a request and reads path and query back.
void round_trip(coap_optlist_t **chain) {
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 0);
  if (!pdu) return;
  coap_add_optlist_pdu(pdu, chain);
  coap_delete_string(coap_get_uri_path(pdu));
  coap_delete_string(coap_get_query(pdu));
  coap_delete_pdu(pdu);
}

void split_and_use(const uint8_t *text, size_t size, uint8_t control, bool proxy) {
  coap_uri_t uri;
  int r = proxy ? coap_split_proxy_uri(text, size, &uri) : coap_split_uri(text, size, &uri);
  if (r > 0 || r < -6) __builtin_trap();
  if (r != 0) return;
  check_part(uri.host, text, size);
  check_part(uri.path, text, size);
  check_part(uri.query, text, size);

  coap_address_t dst = destination(control);
  coap_optlist_t *chain = nullptr;
  if (coap_uri_into_optlist(&uri, (control & 0x20) ? &dst : nullptr, &chain, control & 0x40)) {
    round_trip(&chain);
  }
  coap_delete_optlist(chain);

  coap_uri_t *copy = coap_clone_uri(&uri);
  if (copy) {
    if (copy->host.length != uri.host.length || copy->path.length != uri.path.length ||
        copy->query.length != uri.query.length) {
      __builtin_trap();
    }
    coap_delete_uri(copy);
  }
}

void split_into_buffer(const uint8_t *text, size_t size, size_t room, bool query) {
  // Exactly `room` bytes, so ASan sees any write beyond them.
  uint8_t *buf = static_cast<uint8_t *>(std::malloc(room ? room : 1));
  if (!buf) return;
  size_t used = room;
  int n =
      query ? coap_split_query(text, size, buf, &used) : coap_split_path(text, size, buf, &used);
  if (n < 0 || used > room) __builtin_trap();
  std::free(buf);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static bool quiet = [] {
    coap_set_log_level(COAP_LOG_EMERG);
    return true;
  }();
  (void)quiet;
  if (size < 1) return 0;
  uint8_t control = data[0];
  ++data;
  --size;

  // A private copy, so reads past the input are caught too.
  uint8_t *text = static_cast<uint8_t *>(std::malloc(size ? size : 1));
  if (!text) return 0;
  if (size) std::memcpy(text, data, size);

  split_and_use(text, size, control, false);
  split_and_use(text, size, control, true);

  coap_uri_t *owned = coap_new_uri(text, static_cast<unsigned>(size));
  coap_delete_uri(owned);

  size_t room = (control & 0x0f) * ((control & 0x80) ? 64 : 1);
  split_into_buffer(text, size, room, false);
  split_into_buffer(text, size, room, true);

  coap_optlist_t *chain = nullptr;
  if ((control & 0x01) && size) coap_insert_optlist(&chain, coap_new_optlist(99, 1, text));
  coap_path_into_optlist(text, size, COAP_OPTION_URI_PATH, &chain);
  coap_query_into_optlist(text, size, COAP_OPTION_URI_QUERY, &chain);
  round_trip(&chain);
  coap_delete_optlist(chain);

  // The text as a Proxy-Uri: coap_get_uri_path() parses it.
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 0);
  if (pdu) {
    if (coap_add_option(pdu, COAP_OPTION_PROXY_URI, size, text)) {
      coap_delete_string(coap_get_uri_path(pdu));
    }
    coap_delete_pdu(pdu);
  }
  std::free(text);
  return 0;
}
