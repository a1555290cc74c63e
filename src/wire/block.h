// Block-wise transfer helpers (RFC 7959, BERT from RFC 8323 section 6):
// reading and writing Block1/Block2 option values, sizing a block to the
// room left in a PDU, copying one block of a body into a payload and
// putting received pieces back together. The session enters only as a
// fact passed in by the caller: whether BERT may be used.
//
// Results follow libcoap 4.3.5 exactly, including its quirks, because
// they are visible on the wire; the places where libcoap's 32-bit
// arithmetic would wrap are refused instead (noted per function).
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"
#include "wire/pdu.h"

namespace coap::wire {

// Largest block number a Block option may carry (20 bits, RFC 7959 2.2).
constexpr uint32_t kMaxBlockNum = 0xfffff;

// NUM of a Block option value: all bytes but the last, big-endian, then the
// high nibble of the last. Values longer than 3 bytes are invalid; they
// decode as libcoap does (only the low 28 bits of the prefix survive).
uint32_t block_num(const uint8_t *value, size_t length);

// Decodes the first option `number` of pdu into block (zeroed first).
// With SZX 7 the block is BERT: accepted only if bert is true, then it
// counts as SZX 6 and chunk_size is the payload size (cut down to whole
// KiB when more blocks follow). False when the option is missing, is BERT
// without bert, or has a NUM above kMaxBlockNum; block then holds what
// was decoded up to that point, as in libcoap.
bool read_block(const Pdu &pdu, uint16_t number, bool bert, coap_block_b_t *block);

// Return values of the write functions (libcoap's).
enum WriteBlockResult : int {
  kBlockWritten = 1,
  kBlockBadArgs = -1,  // PDU without a size limit (libcoap asserts)
  kBlockIllegal = -2,  // block starts at or beyond the end of the body
  kBlockNoRoom = -3,   // not even a 16-byte block fits into the PDU
};

// coap_write_block_opt(): sizes block (of a body of total bytes) to the
// room left in pdu, shrinking SZX (and scaling NUM) if the rest of the body
// does not fit, and sets option `number` to the result. block itself is not
// changed (libcoap 4.3.5 behaviour).
int write_block(Pdu &pdu, uint16_t number, const coap_block_t &block, size_t total);

// coap_write_block_b_opt(): the same, but the sized block (including BERT
// when bert is true, block allows it and a KiB fits) is stored back into
// *block. When SZX is shrunk, aszx keeps the requested value and is what
// the option carries, as in libcoap 4.3.5.
int write_block_b(Pdu &pdu, uint16_t number, coap_block_b_t *block, bool bert, size_t total);

// coap_add_block(): copies block num of size 1 << (szx + 4) of the body
// (data, total bytes) into the payload of pdu. False when the block starts
// at or beyond the end, or would start beyond 4 GiB (libcoap wraps), or
// the payload cannot be added.
bool add_block(Pdu &pdu, const uint8_t *data, size_t total, uint32_t num, unsigned szx);

// coap_add_block_b_data(): like add_block for *block; BERT blocks take as
// many whole KiB as the PDU has room for. Sets block->chunk_size.
bool add_block_b(Pdu &pdu, const uint8_t *data, size_t total, coap_block_b_t *block);

// coap_block_build_body(): stores length bytes of data at offset in body
// (allocated or grown as needed). nullptr on failure; body is freed then,
// except when data is nullptr (libcoap leaves it alone in that case).
coap_binary_t *build_body(coap_binary_t *body, const uint8_t *data, size_t length, size_t offset,
                          size_t total);

// coap_add_data_blocked_response(): fills response with the part of the
// body requested by the Block2 option of request (if any), adding ETag,
// Content-Format, Max-Age (maxage >= 0), and Block2/Size2 when blocks are
// needed. Errors become 4.00 or 5.00 responses with the reason phrase.
void add_blocked_response(const Pdu *request, Pdu &response, uint16_t media_type, int maxage,
                          const uint8_t *data, size_t length);

}  // namespace coap::wire
