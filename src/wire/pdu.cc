#include "wire/pdu.h"

#include <cstring>
#include <new>

#include "runtime/log.h"
#include "util/memory.h"
#include "wire/option_codec.h"
#include "wire/option_rules.h"
#include "wire/pdu_pool.h"

using coap::wire::kMaxOptionField;
using coap::wire::kMaxTokenLength;
using coap::wire::kPayloadMarker;
using coap::wire::OptionHeader;

namespace {

// Option numbers from here on are refused in received messages (65535 is
// the largest a header can express, and libcoap treats it as out of range).
constexpr uint32_t kMaxReceivedOptionNumber = 65535;

// Location of one encoded option inside the option area.
struct OptionSpan {
  size_t offset;         // body offset of the option header
  size_t size;           // header + value bytes
  uint32_t number;       // absolute option number
  uint32_t prev_number;  // number of the option before it (0 for the first)
};

}  // namespace

coap_pdu_t *coap_pdu_t::construct(void *memory, size_t capacity, coap_pdu_type_t type,
                                  coap_pdu_code_t code, coap_mid_t mid, size_t max_size) {
  coap_pdu_t *pdu = new (memory) coap_pdu_t();
  pdu->buf_ = pdu->inline_buffer();
  pdu->capacity_ = max_size && max_size < capacity ? max_size : capacity;
  pdu->type = type;
  pdu->code = code;
  pdu->mid = mid;
  pdu->max_size_ = max_size;
  return pdu;
}

coap_pdu_t *coap_pdu_t::create(coap_pdu_type_t type, coap_pdu_code_t code, coap_mid_t mid,
                               size_t max_size, size_t capacity) {
  size_t cap = capacity ? capacity : kDefaultCapacity;
  if (max_size && max_size < cap) cap = max_size;
  // One allocation holds the object and its first buffer: most messages
  // never outgrow it, so a message costs one malloc/free pair.
  void *mem = coap::allocate(allocation_size(cap));
  if (!mem) return nullptr;
  return construct(mem, cap, type, code, mid, max_size);
}

void coap_pdu_t::destroy(coap_pdu_t *pdu) {
  if (pdu && pdu->pool_) {
    pdu->pool_->give_back(pdu);
    return;
  }
  coap::destroy(pdu);
}

coap_pdu_t::~coap_pdu_t() {
  if (buf_ != inline_buffer()) coap::deallocate(buf_);
}

bool coap_pdu_t::reserve(size_t body_size) {
  if (body_size <= capacity_) return true;
  if (max_size_ && body_size > max_size_) return false;
  size_t cap = capacity_ * 2;
  if (cap < body_size) cap = body_size;
  if (max_size_ && cap > max_size_) cap = max_size_;
  uint8_t *p;
  if (buf_ == inline_buffer()) {
    p = static_cast<uint8_t *>(coap::allocate(kHeaderRoom + cap));
    if (p) std::memcpy(p, buf_, kHeaderRoom + used_);
  } else {
    p = static_cast<uint8_t *>(coap::reallocate(buf_, kHeaderRoom + cap));
  }
  if (!p) return false;
  buf_ = p;
  capacity_ = cap;
  return true;
}

bool coap_pdu_t::grow_slow(size_t extra) {
  if (!reserve(used_ + extra)) {
    LOGW("coap_pdu: message would exceed its maximum size of %zu bytes\n", max_size_);
    return false;
  }
  return true;
}

bool coap_pdu_t::open_gap(size_t pos, size_t n) {
  if (!grow_for(n)) return false;
  std::memmove(body() + pos + n, body() + pos, used_ - pos);
  used_ += n;
  if (payload_offset_ && payload_offset_ > pos) payload_offset_ += n;
  return true;
}

void coap_pdu_t::close_gap(size_t pos, size_t n) {
  std::memmove(body() + pos, body() + pos + n, used_ - pos - n);
  used_ -= n;
  if (payload_offset_ && payload_offset_ > pos) payload_offset_ -= n;
}

bool coap_pdu_t::add_token(const uint8_t *token, size_t length) {
  if (length > kMaxTokenLength) {
    LOGW("coap_add_token: a token of %zu bytes is too long\n", length);
    return false;
  }
  if (used_ != 0) {
    LOGW("coap_add_token: the token must be added before options and payload\n");
    return false;
  }
  return update_token(token, length);
}

bool coap_pdu_t::update_token(const uint8_t *token, size_t length) {
  if (length > kMaxTokenLength || (length && !token)) return false;
  if (used_ == 0 && token_ext_size_ == 0 && token_length_ == 0 && length < 13 &&
      length <= capacity_) {
    // A fresh message (every response skeleton): the token is all there is.
    if (length) std::memcpy(body(), token, length);
    token_length_ = static_cast<uint32_t>(length);
    used_ = length;
    return true;
  }
  coap::wire::TokenLengthCode code = coap::wire::token_length_code(length);
  size_t old_size = token_wire_size();
  size_t new_size = code.ext_size + length;
  if (new_size > old_size) {
    if (!open_gap(old_size, new_size - old_size)) return false;
  } else if (new_size < old_size) {
    close_gap(new_size, old_size - new_size);
  }
  uint8_t *p = body();
  if (code.ext_size == 1) {
    p[0] = static_cast<uint8_t>(length - 13);
  } else if (code.ext_size == 2) {
    p[0] = static_cast<uint8_t>((length - 269) >> 8);
    p[1] = static_cast<uint8_t>(length - 269);
  }
  if (length) std::memcpy(p + code.ext_size, token, length);
  token_ext_size_ = code.ext_size;
  token_length_ = static_cast<uint32_t>(length);
  return true;
}

namespace {

// Walks the well-formed option area [begin, end) of a PDU. Options were
// validated when added or parsed, so decoding cannot fail here.
template <class Fn>
void for_each_option(const uint8_t *body, size_t begin, size_t end, Fn fn) {
  size_t pos = begin;
  uint32_t number = 0;
  while (pos < end) {
    OptionHeader h;
    if (!coap::wire::decode_option_header(body + pos, end - pos, &h)) return;
    OptionSpan span{pos, h.header_size + h.length, number + h.delta, number};
    number = span.number;
    if (!fn(span)) return;
    pos += span.size;
  }
}

}  // namespace

size_t coap_pdu_t::add_option(uint16_t number, const uint8_t *value, size_t length) {
  if (payload_offset_) {
    LOGW("coap_add_option: options cannot follow the payload\n");
    return 0;
  }
  // RFC 8768 section 3: a request to a proxy carries a Hop-Limit; the
  // default one is added unless the application chose its own.
  if (coap::is_request_code(code) &&
      (number == COAP_OPTION_PROXY_URI || number == COAP_OPTION_PROXY_SCHEME) &&
      !has_option(COAP_OPTION_HOP_LIMIT)) {
    uint8_t hops = COAP_DEFAULT_HOP_LIMIT;
    insert_option(COAP_OPTION_HOP_LIMIT, &hops, 1);
  }
  if (number < max_opt_) {
    LOGD("coap_add_option: options are not in correct order\n");
    return insert_option(number, value, length);
  }
  if (number == max_opt_ && options_size() && !option_repeatable(number)) {
    LOGI("coap_add_option: option %u may appear only once\n", number);
    return 0;
  }
  return append_option(number, value, length);
}

bool coap_pdu_t::option_repeatable(uint16_t number) {
  // RFC 7252 table 4 and later registrations: options marked "R".
  switch (number) {
    case COAP_OPTION_URI_HOST:
    case COAP_OPTION_IF_NONE_MATCH:
    case COAP_OPTION_OBSERVE:
    case COAP_OPTION_URI_PORT:
    case COAP_OPTION_OSCORE:
    case COAP_OPTION_CONTENT_FORMAT:
    case COAP_OPTION_MAXAGE:
    case COAP_OPTION_HOP_LIMIT:
    case COAP_OPTION_ACCEPT:
    case COAP_OPTION_BLOCK2:
    case COAP_OPTION_BLOCK1:
    case COAP_OPTION_SIZE2:
    case COAP_OPTION_PROXY_URI:
    case COAP_OPTION_PROXY_SCHEME:
    case COAP_OPTION_SIZE1:
    case COAP_OPTION_ECHO:
    case COAP_OPTION_NORESPONSE:
      return false;
    default:
      return true;  // repeatable, or unknown to us
  }
}

bool coap_pdu_t::has_option(uint16_t number) const {
  size_t length;
  return find_option(number, &length) != nullptr;
}

size_t coap_pdu_t::append_option(uint16_t number, const uint8_t *value, size_t length) {
  if (length > kMaxOptionField || (length && !value)) return 0;
  size_t hdr = coap::wire::option_header_size(number - max_opt_, length);
  size_t at = options_end();
  if (payload_offset_) {
    if (!open_gap(at, hdr + length)) return 0;
  } else {
    // Options end the message so far: nothing to move.
    if (!grow_for(hdr + length)) return 0;
    used_ += hdr + length;
  }
  coap::wire::encode_option_header(body() + at, hdr, number - max_opt_, length);
  if (length) std::memcpy(body() + at + hdr, value, length);
  max_opt_ = number;
  return hdr + length;
}

size_t coap_pdu_t::insert_option(uint16_t number, const uint8_t *value, size_t length) {
  if (length > kMaxOptionField || (length && !value)) return 0;
  // Nothing numbered higher (the common case): appending keeps the order.
  if (number >= max_opt_) return append_option(number, value, length);
  // Find the first option numbered above `number`; the new one goes before.
  size_t end = options_end();
  OptionSpan next{end, 0, 0, 0};
  bool found = false;
  for_each_option(body(), token_wire_size(), end, [&](const OptionSpan &s) {
    if (s.number > number) {
      next = s;
      found = true;
      return false;
    }
    return true;
  });
  // Nothing numbered higher: appending keeps the order.
  if (!found) return append_option(number, value, length);
  uint32_t prev = next.prev_number;
  size_t new_hdr = coap::wire::option_header_size(number - prev, length);
  // The following option's delta shrinks, which may shrink its header.
  OptionHeader old_h;
  coap::wire::decode_option_header(body() + next.offset, end - next.offset, &old_h);
  size_t next_new_hdr = coap::wire::option_header_size(next.number - number, old_h.length);
  size_t grow = new_hdr + length + next_new_hdr;
  size_t shrink = old_h.header_size;
  size_t at = next.offset;
  if (grow > shrink) {
    if (!open_gap(at, grow - shrink)) return 0;
  } else if (grow < shrink) {
    close_gap(at, shrink - grow);
  }
  uint8_t *p = body() + at;
  coap::wire::encode_option_header(p, new_hdr, number - prev, length);
  if (length) std::memcpy(p + new_hdr, value, length);
  coap::wire::encode_option_header(p + new_hdr + length, next_new_hdr, next.number - number,
                                   old_h.length);
  return new_hdr + length;
}

bool coap_pdu_t::remove_option(uint16_t number) {
  if (number > max_opt_) return false;  // beyond the last option: absent
  size_t end = options_end();
  OptionSpan target{0, 0, 0, 0};
  bool found = false;
  bool has_next = false;
  OptionSpan next{0, 0, 0, 0};
  for_each_option(body(), token_wire_size(), end, [&](const OptionSpan &s) {
    if (found) {
      next = s;
      has_next = true;
      return false;
    }
    if (s.number == number) {
      target = s;
      found = true;
    }
    return s.number <= number;
  });
  if (!found) return false;
  if (!has_next) {
    close_gap(target.offset, target.size);
    max_opt_ = static_cast<uint16_t>(target.prev_number);
    return true;
  }
  // Merge the removed option's delta into the next one's header.
  OptionHeader nh;
  coap::wire::decode_option_header(body() + next.offset, end - next.offset, &nh);
  size_t new_hdr = coap::wire::option_header_size(next.number - target.prev_number, nh.length);
  size_t old_span = target.size + nh.header_size;
  // Write the new header at the end of the region being replaced, then
  // remove the bytes before it.
  size_t keep_from = target.offset + old_span - new_hdr;
  coap::wire::encode_option_header(body() + keep_from, new_hdr, next.number - target.prev_number,
                                   nh.length);
  close_gap(target.offset, old_span - new_hdr);
  return true;
}

size_t coap_pdu_t::update_option(uint16_t number, const uint8_t *value, size_t length) {
  bool present = false;
  for_each_option(body(), token_wire_size(), options_end(), [&](const OptionSpan &s) {
    if (s.number == number) present = true;
    return s.number < number;
  });
  if (present && !remove_option(number)) return 0;
  return insert_option(number, value, length);
}

uint8_t *coap_pdu_t::add_payload(size_t length) {
  if (payload_offset_) {
    LOGW("coap_add_data: the message already has a payload\n");
    return nullptr;
  }
  if (length == 0) return nullptr;
  if (!grow_for(length + 1)) return nullptr;
  body()[used_] = kPayloadMarker;
  payload_offset_ = used_ + 1;
  used_ += length + 1;
  return body() + payload_offset_;
}

void coap_pdu_t::clear_after_token() {
  used_ = token_wire_size();
  payload_offset_ = 0;
  max_opt_ = 0;
}

size_t coap_pdu_t::write_header(coap_proto_t proto) {
  coap::wire::TokenLengthCode tkl = coap::wire::token_length_code(token_length_);
  uint8_t *end = buf_ + kHeaderRoom;
  switch (proto) {
    case COAP_PROTO_UDP:
    case COAP_PROTO_DTLS:
      end[-4] = static_cast<uint8_t>(0x40 | ((type & 3) << 4) | tkl.nibble);
      end[-3] = static_cast<uint8_t>(code);
      end[-2] = static_cast<uint8_t>(mid >> 8);
      end[-1] = static_cast<uint8_t>(mid);
      hdr_size_ = 4;
      break;
    case COAP_PROTO_TCP:
    case COAP_PROTO_TLS: {
      // Len counts what follows the token: options, marker, payload.
      size_t len = used_ - token_wire_size();
      uint8_t nibble;
      size_t ext;
      uint64_t ext_value;
      if (len < 13) {
        nibble = static_cast<uint8_t>(len), ext = 0, ext_value = 0;
      } else if (len < 269) {
        nibble = 13, ext = 1, ext_value = len - 13;
      } else if (len < 65805) {
        nibble = 14, ext = 2, ext_value = len - 269;
      } else if (len - 65805 <= 0xffffffffu) {
        nibble = 15, ext = 4, ext_value = len - 65805;
      } else {
        return 0;
      }
      hdr_size_ = static_cast<uint8_t>(2 + ext);
      uint8_t *p = end - hdr_size_;
      p[0] = static_cast<uint8_t>((nibble << 4) | tkl.nibble);
      for (size_t i = 0; i < ext; ++i) {
        p[1 + i] = static_cast<uint8_t>(ext_value >> (8 * (ext - 1 - i)));
      }
      end[-1] = static_cast<uint8_t>(code);
      break;
    }
    case COAP_PROTO_WS:
    case COAP_PROTO_WSS:
      end[-2] = tkl.nibble;
      end[-1] = static_cast<uint8_t>(code);
      hdr_size_ = 2;
      break;
    default:
      return 0;
  }
  return hdr_size_;
}

bool coap_pdu_t::parse_header(coap_proto_t proto, const uint8_t *data, size_t length,
                              size_t *hdr_len, size_t *token_len, size_t *token_ext) {
  uint8_t tkl_nibble;
  size_t pos;
  switch (proto) {
    case COAP_PROTO_UDP:
    case COAP_PROTO_DTLS:
      if (length < 4) {
        LOGD("coap_pdu_parse: a UDP message needs at least 4 bytes\n");
        return false;
      }
      if ((data[0] >> 6) != 1) {
        LOGD("coap_pdu_parse: unsupported CoAP version %u\n", data[0] >> 6);
        return false;
      }
      type = static_cast<coap_pdu_type_t>((data[0] >> 4) & 3);
      tkl_nibble = data[0] & 0x0f;
      code = static_cast<coap_pdu_code_t>(data[1]);
      mid = (data[2] << 8) | data[3];
      pos = 4;
      break;
    case COAP_PROTO_TCP:
    case COAP_PROTO_TLS: {
      uint8_t len_nibble = data[0] >> 4;
      size_t ext = len_nibble == 13 ? 1 : len_nibble == 14 ? 2 : len_nibble == 15 ? 4 : 0;
      // The Len field framed the message on the stream; the caller hands
      // over exactly one message, so it is not needed here.
      if (length < 2 + ext) {
        LOGD("coap_pdu_parse: truncated TCP header\n");
        return false;
      }
      tkl_nibble = data[0] & 0x0f;
      code = static_cast<coap_pdu_code_t>(data[1 + ext]);
      type = COAP_MESSAGE_CON;
      mid = 0;
      pos = 2 + ext;
      break;
    }
    case COAP_PROTO_WS:
    case COAP_PROTO_WSS:
      // RFC 8323 section 4.4: the Len nibble is unused (sent as 0).
      if (length < 2) return false;
      tkl_nibble = data[0] & 0x0f;
      code = static_cast<coap_pdu_code_t>(data[1]);
      type = COAP_MESSAGE_CON;
      mid = 0;
      pos = 2;
      break;
    default:
      LOGD("coap_pdu_parse: unknown protocol %d\n", static_cast<int>(proto));
      return false;
  }
  if (tkl_nibble == 15) {
    LOGD("coap_pdu_parse: token length 15 is reserved\n");
    return false;
  }
  size_t ext = tkl_nibble == 13 ? 1 : tkl_nibble == 14 ? 2 : 0;
  if (length - pos < ext) {
    LOGD("coap_pdu_parse: truncated token length\n");
    return false;
  }
  size_t tok = tkl_nibble;
  if (tkl_nibble == 13) tok = 13u + data[pos];
  if (tkl_nibble == 14) tok = 269u + ((data[pos] << 8) | data[pos + 1]);
  if (length - pos - ext < tok) {
    LOGD("coap_pdu_parse: token longer than the message\n");
    return false;
  }
  *hdr_len = pos;
  *token_len = tok;
  *token_ext = ext;
  return true;
}

bool coap_pdu_t::parse_body() {
  size_t pos = token_wire_size();
  if (code == COAP_EMPTY_CODE && used_ != 0) {
    LOGD("coap_pdu_parse: an empty message must have no token, options or payload\n");
    return false;
  }
  uint32_t number = 0;
  while (pos < used_ && body()[pos] != kPayloadMarker) {
    OptionHeader h;
    if (!coap::wire::decode_option_header(body() + pos, used_ - pos, &h)) {
      LOGD("coap_pdu_parse: malformed option header\n");
      return false;
    }
    if (h.length > used_ - pos - h.header_size) {
      LOGD("coap_pdu_parse: option value runs past the end of the message\n");
      return false;
    }
    number += h.delta;
    if (number >= kMaxReceivedOptionNumber) {
      LOGD("coap_pdu_parse: option number %u is too large\n", number);
      return false;
    }
    if (!coap::wire::option_length_valid(static_cast<uint8_t>(code), number, h.length)) {
      LOGD("coap_pdu_parse: option %u with %u bytes is invalid in this message\n", number,
           h.length);
      return false;
    }
    pos += h.header_size + h.length;
  }
  max_opt_ = static_cast<uint16_t>(number);
  if (pos < used_) {
    // Payload marker: RFC 7252 section 3 makes a marker with no payload an
    // error.
    if (pos + 1 == used_) {
      LOGD("coap_pdu_parse: payload marker without payload\n");
      return false;
    }
    payload_offset_ = pos + 1;
  }
  return true;
}

bool coap_pdu_t::parse(coap_proto_t proto, const uint8_t *data, size_t length) {
  if (!data || length == 0) return false;
  size_t hdr_len = 0, token_len = 0, token_ext = 0;
  if (!parse_header(proto, data, length, &hdr_len, &token_len, &token_ext)) return false;
  size_t body_len = length - hdr_len;
  if (!reserve(body_len)) {
    LOGD("coap_pdu_parse: message of %zu bytes exceeds the PDU's maximum size\n", body_len);
    return false;
  }
  std::memcpy(body(), data + hdr_len, body_len);
  used_ = body_len;
  token_ext_size_ = static_cast<uint8_t>(token_ext);
  token_length_ = static_cast<uint32_t>(token_len);
  payload_offset_ = 0;
  max_opt_ = 0;
  hdr_size_ = static_cast<uint8_t>(hdr_len <= kHeaderRoom ? hdr_len : 0);
  if (hdr_len <= kHeaderRoom) std::memcpy(buf_ + kHeaderRoom - hdr_len, data, hdr_len);
  return parse_body();
}
