#include "wire/block.h"

#include <algorithm>
#include <cstring>

#include "runtime/log.h"
#include "util/bytes.h"
#include "util/hash_key.h"
#include "wire/option_codec.h"

namespace coap::wire {
namespace {

constexpr size_t kBertUnit = 1024;
constexpr unsigned kSzxBert = 7;
constexpr unsigned kSzxMax = 6;  // 1024-byte blocks
constexpr size_t kSmallestBlock = 16;

// Value of the first option `number` of pdu; false if there is none.
bool find_option(const Pdu &pdu, uint16_t number, const uint8_t **value, size_t *length) {
  *value = pdu.find_option(number, length);
  return *value != nullptr;
}

// Byte offset of block num with blocks of 1 << (szx + 4) bytes. libcoap
// computes this in 32 bits and wraps; an offset that does not fit is
// refused here instead.
bool block_start(uint32_t num, unsigned szx, size_t *start) {
  if (szx + 4 >= 32) return false;
  uint64_t s = static_cast<uint64_t>(num) << (szx + 4);
  if (s > UINT32_MAX) return false;
  *start = static_cast<size_t>(s);
  return true;
}

// Bytes of pdu before the payload: token, options and the payload marker.
size_t bytes_before_payload(const Pdu &pdu) {
  return pdu.has_payload() ? static_cast<size_t>(pdu.payload() - pdu.body()) : pdu.used_size();
}

// Position of the highest set bit, 1-based (v > 0).
unsigned highest_bit(size_t v) {
  return 64 - static_cast<unsigned>(__builtin_clzll(v));
}

// Fills *out with the block that starts at block num of 1 << (szx + 4)
// bytes and fits the room left in pdu, for a body of total bytes (start is
// that block's offset, already checked to be inside the body). BERT is
// used when allowed and at least a KiB fits. False (with *out partly set,
// as libcoap leaves it) when not even the smallest block fits.
bool size_block(const Pdu &pdu, uint32_t num, unsigned szx, size_t start, size_t total,
                bool allow_bert, coap_block_b_t *out) {
  size_t used = bytes_before_payload(pdu);
  size_t room = pdu.max_size() > used ? pdu.max_size() - used : 0;
  size_t rest = total - start;

  *out = coap_block_b_t{};
  out->num = num;
  out->szx = szx;
  out->aszx = szx;
  if (allow_bert && szx == kSzxMax && room >= kBertUnit) {
    out->bert = 1;
    out->aszx = kSzxBert;
    out->chunk_size = static_cast<uint32_t>(room / kBertUnit * kBertUnit);
  } else {
    out->chunk_size = 1u << (szx + 4);
    // Only the last block of the body may be cut short by the PDU; any
    // other block has to shrink to the largest size that fits.
    if (room < out->chunk_size && rest >= room) {
      if (room < kSmallestBlock) {
        LOGD("block: no room for even a %zu-byte block (%zu bytes left)\n", kSmallestBlock, room);
        return false;
      }
      unsigned smaller = highest_bit(room) - 5;
      LOGD("block: %zu bytes left, block size lowered to SZX %u\n", room, smaller);
      // Same offset in smaller units; aszx deliberately keeps the old value.
      out->num = num << (szx - smaller);
      out->szx = smaller;
      out->chunk_size = 1u << (smaller + 4);
    }
  }
  out->m = out->chunk_size < rest ? 1 : 0;
  return true;
}

// Checks shared by both write functions; kBlockWritten when the block may
// be sized. start receives the block's offset.
int check_write(const Pdu &pdu, uint32_t num, unsigned szx, size_t total, size_t *start) {
  if (!block_start(num, szx, start) || (num != 0 && total <= *start)) {
    LOGD("block: block %u (SZX %u) is beyond the %zu-byte body\n", num, szx, total);
    return kBlockIllegal;
  }
  if (pdu.max_size() == 0) {
    LOGW("block: the PDU has no size limit to fit a block into\n");
    return kBlockBadArgs;
  }
  return kBlockWritten;
}

// Sets option `number` of pdu to NUM/M/SZX; like libcoap, a failure to
// store the option is not reported.
void set_block_option(Pdu &pdu, uint16_t number, uint32_t num, unsigned m, unsigned szx) {
  uint32_t value = (num << 4) | (m << 3) | szx;
  uint8_t buf[4];
  size_t n = uint_length(value);
  ByteWriter w(buf, sizeof(buf));
  w.uint_be(value, n);
  pdu.update_option(number, buf, n);
}

// Adds the count bytes at data as payload, like coap_add_data().
bool add_payload_bytes(Pdu &pdu, const uint8_t *data, size_t count) {
  if (count == 0) return true;
  if (!data) {
    LOGW("block: no body data to copy\n");
    return false;
  }
  uint8_t *dst = pdu.add_payload(count);
  if (!dst) return false;
  std::memcpy(dst, data, count);
  return true;
}

// Adds an option where it belongs, even after a payload (as libcoap does).
void put_uint_option(Pdu &pdu, uint16_t number, uint64_t value) {
  uint8_t buf[4];
  size_t n = uint_length(value);
  // A value wider than the buffer is stored empty, as libcoap does.
  if (n > sizeof(buf)) n = 0;
  ByteWriter w(buf, sizeof(buf));
  w.uint_be(value, n);
  pdu.insert_option(number, buf, n);
}

void fail_response(Pdu &response, uint8_t code) {
  response.code = static_cast<coap_pdu_code_t>(code);
  const char *phrase = coap_response_phrase(code);
  if (phrase) {
    add_payload_bytes(response, reinterpret_cast<const uint8_t *>(phrase), std::strlen(phrase));
  }
}

}  // namespace

uint32_t block_num(const uint8_t *value, size_t length) {
  if (length == 0) return 0;
  uint32_t prefix = 0;
  for (size_t i = 0; i + 1 < length; ++i) prefix = (prefix << 8) | value[i];
  return (prefix << 4) | (value[length - 1] >> 4);
}

bool read_block(const Pdu &pdu, uint16_t number, bool bert, coap_block_b_t *block) {
  *block = coap_block_b_t{};
  const uint8_t *value = nullptr;
  size_t length = 0;
  if (!find_option(pdu, number, &value, &length)) return false;

  uint8_t last = length ? value[length - 1] : 0;
  block->m = (last & 0x08) ? 1 : 0;
  block->szx = last & 0x07;
  block->aszx = block->szx;
  if (block->szx == kSzxBert) {
    if (!bert) return false;
    // A BERT block is one or more KiB; only the last may be shorter.
    block->szx = kSzxMax;
    block->bert = 1;
    size_t size = pdu.payload_length();
    if (block->m && size % kBertUnit != 0) {
      LOGD("block: BERT payload of %zu bytes cut to whole KiB\n", size);
      size -= size % kBertUnit;
    }
    block->chunk_size = static_cast<uint32_t>(size);
  } else {
    block->chunk_size = 1u << (block->szx + 4);
  }
  block->defined = 1;

  uint32_t num = block_num(value, length);
  if (num > kMaxBlockNum) {
    LOGD("block: block number %u is out of range\n", num);
    return false;
  }
  block->num = num;
  return true;
}

int write_block(Pdu &pdu, uint16_t number, const coap_block_t &block, size_t total) {
  size_t start = 0;
  int rc = check_write(pdu, block.num, block.szx, total, &start);
  if (rc != kBlockWritten) return rc;
  coap_block_b_t sized;
  if (!size_block(pdu, block.num, block.szx, start, total, false, &sized)) return kBlockNoRoom;
  set_block_option(pdu, number, sized.num, sized.m, sized.szx);
  return kBlockWritten;
}

int write_block_b(Pdu &pdu, uint16_t number, coap_block_b_t *block, bool bert, size_t total) {
  size_t start = 0;
  int rc = check_write(pdu, block->num, block->szx, total, &start);
  if (rc != kBlockWritten) return rc;
  // A block already in use may switch to BERT only if it is BERT.
  bool allow_bert = bert && (!block->defined || block->bert);
  if (!size_block(pdu, block->num, block->szx, start, total, allow_bert, block)) {
    return kBlockNoRoom;
  }
  set_block_option(pdu, number, block->num, block->m, block->aszx);
  return kBlockWritten;
}

bool add_block(Pdu &pdu, const uint8_t *data, size_t total, uint32_t num, unsigned szx) {
  size_t start = 0;
  if (!block_start(num, szx, &start)) {
    LOGD("block: block %u (SZX %u) is out of range\n", num, szx);
    return false;
  }
  if (total <= start) return false;
  size_t size = size_t{1} << (szx + 4);
  return add_payload_bytes(pdu, data ? data + start : nullptr, std::min(total - start, size));
}

bool add_block_b(Pdu &pdu, const uint8_t *data, size_t total, coap_block_b_t *block) {
  size_t start = 0;
  if (!block_start(block->num, block->szx, &start)) {
    LOGD("block: block %u (SZX %u) is out of range\n", block->num, block->szx);
    return false;
  }
  if (total <= start) return false;
  size_t size;
  if (block->bert) {
    // Whole KiB of the room left. For a PDU without limit (max_size 0) the
    // subtraction wraps exactly as in libcoap, whose results this keeps.
    size = (pdu.max_size() - bytes_before_payload(pdu)) / kBertUnit * kBertUnit;
  } else {
    size = size_t{1} << (block->szx + 4);
  }
  block->chunk_size = static_cast<uint32_t>(size);
  return add_payload_bytes(pdu, data ? data + start : nullptr, std::min(total - start, size));
}

coap_binary_t *build_body(coap_binary_t *body, const uint8_t *data, size_t length, size_t offset,
                          size_t total) {
  if (!data) {
    LOGD("block: no data to add to the body\n");
    return nullptr;
  }
  if (!body && total) {
    body = coap_new_binary(total);
    if (body) std::memset(body->s, 0, total);
  }
  if (!body) return nullptr;
  if (offset > SIZE_MAX - length) {
    LOGW("block: body piece at offset %zu is out of range\n", offset);
    coap_delete_binary(body);
    return nullptr;
  }
  size_t end = offset + length;
  // Total is only an estimate (RFC 7959 section 4): a piece beyond it, or a
  // body not yet as large as it, makes the body exactly end bytes long.
  if (end > total || body->length < total) {
    size_t old_length = body->length;
    coap_binary_t *resized = coap_resize_binary(body, end);
    if (!resized) {
      coap_delete_binary(body);
      return nullptr;
    }
    body = resized;
    if (end > old_length) std::memset(body->s + old_length, 0, end - old_length);
  }
  if (length) std::memcpy(body->s + offset, data, length);
  return body;
}

void add_blocked_response(const Pdu *request, Pdu &response, uint16_t media_type, int maxage,
                          const uint8_t *data, size_t length) {
  if (!data && length) {
    LOGW("coap_add_data_blocked_response: no data for a %zu-byte body\n", length);
    return;
  }
  coap_block_t block2 = {0, 0, 0};
  bool requested = false;
  if (request) {
    coap_block_b_t asked;
    if (read_block(*request, COAP_OPTION_BLOCK2, false, &asked)) {
      requested = true;
      block2.num = asked.num;
      block2.m = asked.m;
      block2.szx = asked.szx;
      // NUM has at most 20 bits and SZX at most 6: no overflow here.
      if (block2.num != 0 && length <= (size_t{block2.num} << (block2.szx + 4))) {
        LOGD("block: block %u requested of a %zu-byte body\n", block2.num, length);
        fail_response(response, COAP_RESPONSE_CODE(400));
        return;
      }
    }
  }
  response.code = COAP_RESPONSE_CODE_CONTENT;

  uint8_t etag[kHashKeySize] = {0, 0, 0, 0};
  hash_key_update(etag, data, length);
  response.insert_option(COAP_OPTION_ETAG, etag, sizeof(etag));
  put_uint_option(response, COAP_OPTION_CONTENT_FORMAT, media_type);
  if (maxage >= 0) put_uint_option(response, COAP_OPTION_MAXAGE, static_cast<uint64_t>(maxage));

  if (requested) {
    int rc = write_block(response, COAP_OPTION_BLOCK2, block2, length);
    if (rc == kBlockIllegal) {
      fail_response(response, COAP_RESPONSE_CODE(400));
      return;
    }
    if (rc != kBlockWritten) {
      fail_response(response, COAP_RESPONSE_CODE(500));
      return;
    }
    put_uint_option(response, COAP_OPTION_SIZE2, length);
    // block2 is the block as requested, not as written: libcoap 4.3.5 does
    // the same, so a block shrunk to fit gets no payload.
    add_block(response, data, length, block2.num, block2.szx);
    return;
  }

  if (!add_payload_bytes(response, data, length)) {
    // Too big for one message: start block-wise at the largest size and let
    // write_block shrink it to what fits.
    block2 = coap_block_t{0, 0, kSzxMax};
    write_block(response, COAP_OPTION_BLOCK2, block2, length);
    put_uint_option(response, COAP_OPTION_SIZE2, length);
    add_block(response, data, length, block2.num, block2.szx);
  }
}

}  // namespace coap::wire
