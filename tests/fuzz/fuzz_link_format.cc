// Fuzzes CoRE Link Format output and its query filtering (RFC 6690
// section 4.1): resources and attributes come from the input, then
// .well-known/core is printed with a query from the input into windows of
// varying offset and size; every write must stay inside the buffer and the
// windows must agree with the whole document.
//
// Input: [nres(1)] then per resource [pathlen(1) path nattr(1) (namelen
// name valuelen value)*], then the query text.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "coap3/coap.h"

namespace {

struct Reader {
  const uint8_t *p;
  size_t n;
  bool take(size_t k, const uint8_t **out) {
    if (k > n) return false;
    *out = p;
    p += k;
    n -= k;
    return true;
  }
  bool byte(uint8_t *b) {
    const uint8_t *q;
    if (!take(1, &q)) return false;
    *b = *q;
    return true;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  coap_set_log_level(COAP_LOG_EMERG);
  coap_context_t *ctx = coap_new_context(nullptr);
  if (!ctx) return 0;
  Reader in{data, size};
  uint8_t nres = 0;
  in.byte(&nres);
  for (unsigned i = 0; i < (nres & 7u); ++i) {
    uint8_t plen, nattr;
    const uint8_t *path;
    if (!in.byte(&plen) || !in.take(plen & 31u, &path)) break;
    coap_str_const_t *p = coap_new_str_const(path, plen & 31u);
    coap_resource_t *r = coap_resource_init(p, COAP_RESOURCE_FLAGS_RELEASE_URI);
    if (!in.byte(&nattr)) nattr = 0;
    for (unsigned a = 0; a < (nattr & 3u); ++a) {
      uint8_t nl, vl;
      const uint8_t *name, *value;
      if (!in.byte(&nl) || !in.take(nl & 15u, &name) || !in.byte(&vl) ||
          !in.take(vl & 31u, &value)) {
        break;
      }
      coap_add_attr(r, coap_new_str_const(name, nl & 15u),
                    (vl & 31u) ? coap_new_str_const(value, vl & 31u) : nullptr,
                    COAP_ATTR_FLAGS_RELEASE_NAME | COAP_ATTR_FLAGS_RELEASE_VALUE);
    }
    if (nres & 0x80) coap_resource_set_get_observable(r, 1);
    coap_add_resource(ctx, r);
  }
  coap_string_t *query = nullptr;
  if (in.n) {
    query = coap_new_string(in.n);
    memcpy(query->s, in.p, in.n);
  }
  size_t whole_len = 4096;
  std::vector<uint8_t> whole(whole_len);
  coap_print_status_t st = coap_print_wellknown(ctx, whole.data(), &whole_len, 0, query);
  if (!(st & COAP_PRINT_STATUS_ERROR) && !(st & COAP_PRINT_STATUS_TRUNC)) {
    for (size_t offset = 0; offset <= whole_len; offset += 7) {
      size_t room = 1 + (offset % 13);
      uint8_t *buf = static_cast<uint8_t *>(malloc(room));
      size_t len = room;
      coap_print_status_t part = coap_print_wellknown(ctx, buf, &len, offset, query);
      size_t written = COAP_PRINT_OUTPUT_LENGTH(part);
      // The length parameter reports the whole document; the status what
      // was written into this window.
      if (len != whole_len || written > room) __builtin_trap();
      if (memcmp(buf, whole.data() + offset, written) != 0) __builtin_trap();
      free(buf);
    }
  }
  coap_delete_string(query);
  coap_free_context(ctx);
  return 0;
}
