// Fuzz target for the Block option decoders: the input is read both as a
// sequence of encoded options (coap_opt_block_num on each one that parses)
// and as a UDP message whose Block1/Block2 options are decoded with and
// without BERT. Decoded blocks must obey RFC 7959's limits and survive a
// write/read round trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>

#include "coap3/coap.h"
#include "wire/block.h"
#include "wire/pdu.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void options_pass(const uint8_t *data, size_t size) {
  size_t pos = 0;
  while (pos < size) {
    coap_option_t option;
    size_t n = coap_opt_parse(data + pos, size - pos, &option);
    if (n == 0) break;
    const coap_opt_t *opt = data + pos;
    unsigned num = coap_opt_block_num(opt);
    if (option.length <= 3) check(num <= coap::wire::kMaxBlockNum);
    if (option.length == 0) check(num == 0 && COAP_OPT_BLOCK_SZX(opt) == 0);
    pos += n;
  }
}

void round_trip(coap_option_num_t number, const coap_block_b_t &in) {
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 4096);
  if (!pdu) return;
  coap_block_t b = {in.num, 0, in.szx};
  size_t start = static_cast<size_t>(in.num) << (in.szx + 4);
  size_t total = start + (size_t{1} << (in.szx + 4)) + 1;
  check(coap_write_block_opt(&b, number, pdu, total) == 1);
  coap_block_t back;
  check(coap_get_block(pdu, number, &back) == 1);
  check(back.num == in.num && back.szx == in.szx && back.m == 1);
  coap_delete_pdu(pdu);
}

void message_pass(const uint8_t *data, size_t size) {
  coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, 0);
  if (!pdu) return;
  if (coap_pdu_parse(COAP_PROTO_UDP, data, size, pdu)) {
    for (coap_option_num_t number : {COAP_OPTION_BLOCK1, COAP_OPTION_BLOCK2}) {
      coap_block_t plain;
      coap_block_b_t b;
      int found = coap_get_block(pdu, number, &plain);
      check(found == coap_get_block_b(nullptr, pdu, number, &b));
      if (found) {
        check(b.num <= coap::wire::kMaxBlockNum && b.szx <= 6 && !b.bert && b.defined);
        check(b.chunk_size == (1u << (b.szx + 4)));
        check(plain.num == b.num && plain.m == b.m && plain.szx == b.szx);
        round_trip(number, b);
      }
      if (coap::wire::read_block(*pdu, number, true, &b) && b.bert) {
        check(b.szx == 6 && b.aszx == 7);
        check(b.chunk_size <= pdu->payload_length());
        check(!b.m || b.chunk_size % 1024 == 0);
      }
    }
    // Reassemble the payload as a body piece at an offset from the input.
    size_t len = 0;
    const uint8_t *payload = nullptr;
    if (coap_get_data(pdu, &len, &payload)) {
      size_t offset = data[0] * 16u;
      coap_binary_t *body = coap_block_build_body(nullptr, len, payload, offset, offset + len);
      check(body && body->length == offset + len);
      coap_delete_binary(body);
    }
  }
  coap_delete_pdu(pdu);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  options_pass(data, size);
  message_pass(data, size);
  return 0;
}
