// coap_block.h: the block-wise helper functions. Arguments are checked here
// (libcoap asserts on several of them; these return the failure value
// instead) and the session is reduced to the one fact the block logic needs,
// whether BERT may be used; the logic is in wire/block.cc.
#include <cstring>

#include "coap3/coap.h"
#include "core/session_facts.h"
#include "runtime/log.h"
#include "wire/block.h"
#include "wire/pdu.h"

extern "C" {

unsigned int coap_opt_block_num(const coap_opt_t *block_opt) {
  if (!block_opt) return 0;
  return coap::wire::block_num(coap_opt_value(block_opt), coap_opt_length(block_opt));
}

int coap_get_block_b(const coap_session_t *session, const coap_pdu_t *pdu, coap_option_num_t number,
                     coap_block_b_t *block) {
  if (!block) {
    LOGW("coap_get_block_b: no block to fill\n");
    return 0;
  }
  std::memset(block, 0, sizeof(*block));
  if (!pdu) return 0;
  return coap::wire::read_block(*pdu, number, coap::session_uses_bert(session), block) ? 1 : 0;
}

int coap_get_block(const coap_pdu_t *pdu, coap_option_num_t number, coap_block_t *block) {
  if (!block) {
    LOGW("coap_get_block: no block to fill\n");
    return 0;
  }
  std::memset(block, 0, sizeof(*block));
  if (!pdu) return 0;
  // The plain variant never takes BERT and reports only a complete block.
  coap_block_b_t full;
  if (!coap::wire::read_block(*pdu, number, false, &full)) return 0;
  block->num = full.num;
  block->m = full.m;
  block->szx = full.szx;
  return 1;
}

int coap_write_block_opt(coap_block_t *block, coap_option_num_t number, coap_pdu_t *pdu,
                         size_t data_length) {
  if (!block || !pdu) {
    LOGW("coap_write_block_opt: missing block or PDU\n");
    return coap::wire::kBlockBadArgs;
  }
  return coap::wire::write_block(*pdu, number, *block, data_length);
}

int coap_write_block_b_opt(coap_session_t *session, coap_block_b_t *block, coap_option_num_t number,
                           coap_pdu_t *pdu, size_t data_length) {
  if (!block || !pdu) {
    LOGW("coap_write_block_b_opt: missing block or PDU\n");
    return coap::wire::kBlockBadArgs;
  }
  return coap::wire::write_block_b(*pdu, number, block, coap::session_uses_bert(session),
                                   data_length);
}

int coap_add_block(coap_pdu_t *pdu, size_t len, const uint8_t *data, unsigned int block_num,
                   unsigned char block_szx) {
  if (!pdu) return 0;
  return coap::wire::add_block(*pdu, data, len, block_num, block_szx) ? 1 : 0;
}

int coap_add_block_b_data(coap_pdu_t *pdu, size_t len, const uint8_t *data, coap_block_b_t *block) {
  if (!pdu || !block) {
    LOGW("coap_add_block_b_data: missing block or PDU\n");
    return 0;
  }
  return coap::wire::add_block_b(*pdu, data, len, block) ? 1 : 0;
}

coap_binary_t *coap_block_build_body(coap_binary_t *body_data, size_t length, const uint8_t *data,
                                     size_t offset, size_t total) {
  return coap::wire::build_body(body_data, data, length, offset, total);
}

void coap_add_data_blocked_response(const coap_pdu_t *request, coap_pdu_t *response,
                                    uint16_t media_type, int maxage, size_t length,
                                    const uint8_t *data) {
  if (!response) {
    LOGW("coap_add_data_blocked_response: no response PDU\n");
    return;
  }
  coap::wire::add_blocked_response(request, *response, media_type, maxage, data, length);
}

}  // extern "C"
