// One CoAP message, stored the way it travels: a contiguous buffer holding
// the token, the delta-encoded options and the payload, with room in front
// for the largest transport header. The C API hands out pointers into this
// buffer (coap_opt_t *, payload pointers), so the encoded form is the only
// form; there is no separate decoded option list to keep in sync.
#pragma once

#include <cstddef>
#include <cstdint>

#include "coap3/coap.h"

namespace coap {
class PduPool;
}

// The C handle type is the class itself: the shim needs no casts.
struct coap_pdu_t {
 public:
  // Body bytes allocated with a new message unless asked otherwise: a
  // typical request or small response (token, a few options, a couple of
  // hundred bytes of payload) fits without regrowth, and the whole
  // allocation stays small enough for the heap's fast path.
  static constexpr size_t kDefaultCapacity = 256;
  // Largest header of any framing: TCP's 1 + 4 (extended length) + 1 (code).
  static constexpr size_t kHeaderRoom = 6;

  // New empty message; max_size bounds everything after the header (token,
  // options, payload); 0 means no bound. capacity is the body size to
  // allocate up front (0: a default for small messages). nullptr when out
  // of memory.
  static coap_pdu_t *create(coap_pdu_type_t type, coap_pdu_code_t code, coap_mid_t mid,
                            size_t max_size, size_t capacity = 0);
  // Frees the message (or hands it back to the pool it came from).
  static void destroy(coap_pdu_t *pdu);

  // --- header ---------------------------------------------------------
  // Kept as an integer: a program may store any value through the API and
  // the formatter must still print it without undefined behaviour.
  uint8_t type = COAP_MESSAGE_CON;
  coap_pdu_type_t message_type() const { return static_cast<coap_pdu_type_t>(type); }
  coap_pdu_code_t code = COAP_EMPTY_CODE;
  coap_mid_t mid = 0;

  // --- token ----------------------------------------------------------
  // Sets the token of a message that has no options or payload yet.
  bool add_token(const uint8_t *token, size_t length);
  // Replaces the token whatever follows it (options and payload move).
  bool update_token(const uint8_t *token, size_t length);
  const uint8_t *token() const { return body() + token_ext_size_; }
  size_t token_length() const { return token_length_; }
  // Token bytes on the wire, including the RFC 8974 length extension.
  size_t token_wire_size() const { return token_ext_size_ + token_length_; }

  // --- options ----------------------------------------------------------
  // Appends an option; one numbered below the last is inserted in order.
  // Returns the bytes the option occupies, 0 on failure (too big, payload
  // already present, bad arguments).
  size_t add_option(uint16_t number, const uint8_t *value, size_t length);
  size_t insert_option(uint16_t number, const uint8_t *value, size_t length);
  // Replaces the first option with this number (or adds it).
  size_t update_option(uint16_t number, const uint8_t *value, size_t length);
  bool has_option(uint16_t number) const;
  // May a message carry this option more than once?
  static bool option_repeatable(uint16_t number);
  // Removes the first option with this number; false if absent.
  bool remove_option(uint16_t number);
  // Encoded options, from the first option header up to the payload marker.
  uint8_t *options() { return body() + token_wire_size(); }
  const uint8_t *options() const { return body() + token_wire_size(); }
  size_t options_size() const { return options_end() - token_wire_size(); }
  uint16_t max_option() const { return max_opt_; }
  // Calls fn(number, value, length) for each option in order while fn
  // returns true. The option area was validated when it was built or
  // parsed, so the walk needs no error handling (hot path: no iterator,
  // no filter).
  template <class Fn>
  void visit_options(Fn &&fn) const;
  // Value of the first option `number` (length in *length), nullptr if
  // absent. The value of an empty option is a valid pointer.
  const uint8_t *find_option(uint16_t number, size_t *length) const;

  // --- payload ----------------------------------------------------------
  // Reserves a payload of length bytes (after the 0xff marker) and returns
  // where to write it; nullptr if there is already one or it does not fit.
  uint8_t *add_payload(size_t length);
  bool has_payload() const { return payload_offset_ != 0; }
  const uint8_t *payload() const { return payload_offset_ ? body() + payload_offset_ : nullptr; }
  size_t payload_length() const { return payload_offset_ ? used_ - payload_offset_ : 0; }

  // --- whole message --------------------------------------------------
  // Bytes after the header: token, options, marker and payload.
  size_t used_size() const { return used_; }
  size_t max_size() const { return max_size_; }
  void set_max_size(size_t max_size) { max_size_ = max_size; }
  uint8_t *body() { return buf_ + kHeaderRoom; }
  const uint8_t *body() const { return buf_ + kHeaderRoom; }
  // Removes options and payload, keeping header fields and token.
  void clear_after_token();
  // Makes the buffer hold at least body_size bytes after the header.
  bool reserve(size_t body_size);

  // Writes the header for proto in front of the body; returns the number
  // of header bytes (the message starts at wire_begin()), 0 on error.
  size_t write_header(coap_proto_t proto);
  const uint8_t *wire_begin() const { return buf_ + kHeaderRoom - hdr_size_; }
  size_t wire_size() const { return hdr_size_ + used_; }
  size_t header_size() const { return hdr_size_; }

  // Parses one complete message framed for proto into this PDU (its
  // previous content is replaced). False on any format error.
  bool parse(coap_proto_t proto, const uint8_t *data, size_t length);

  // Session that sent or received the message (for logging and limits).
  coap_session_t *session = nullptr;

  // Where the data the application sees lives, set by the block-wise engine
  // (core/blockwise.h) on PDUs it hands to handlers: body_data (when set)
  // replaces the payload, e.g. with a whole reassembled body;
  // body_offset/body_total place the data within the complete body (0/0:
  // the payload is all of it). Read by coap_get_data()/coap_get_data_large().
  const uint8_t *body_data = nullptr;
  size_t body_length = 0;
  size_t body_offset = 0;
  size_t body_total = 0;

  // Use create()/destroy(); these are public only for coap::create().
  friend class coap::PduPool;
  coap_pdu_t() = default;
  ~coap_pdu_t();
  coap_pdu_t(const coap_pdu_t &) = delete;
  coap_pdu_t &operator=(const coap_pdu_t &) = delete;

 private:
  // Offset (in body) where options end: the payload marker or used_.
  size_t options_end() const { return payload_offset_ ? payload_offset_ - 1 : used_; }
  // Adds an option numbered at or above max_opt_ at the end of the options.
  size_t append_option(uint16_t number, const uint8_t *value, size_t length);
  // Makes room for n more body bytes, honouring max_size.
  bool grow_for(size_t extra) { return used_ + extra <= capacity_ || grow_slow(extra); }
  bool grow_slow(size_t extra);
  // Inserts/removes bytes at body offset pos.
  bool open_gap(size_t pos, size_t n);
  void close_gap(size_t pos, size_t n);
  bool parse_header(coap_proto_t proto, const uint8_t *data, size_t length, size_t *hdr_len,
                    size_t *token_len, size_t *token_ext);
  bool parse_body();

  // Bytes to allocate for a message with `capacity` inline body bytes, and
  // the message built in such memory (capacity bounded by max_size).
  static size_t allocation_size(size_t capacity) {
    return sizeof(coap_pdu_t) + kHeaderRoom + capacity;
  }
  static coap_pdu_t *construct(void *memory, size_t capacity, coap_pdu_type_t type,
                               coap_pdu_code_t code, coap_mid_t mid, size_t max_size);

  coap::PduPool *pool_ = nullptr;  // where destroy() returns it, if anywhere

  // The first buffer is allocated together with the object, right after it.
  uint8_t *inline_buffer() { return reinterpret_cast<uint8_t *>(this + 1); }
  const uint8_t *inline_buffer() const { return reinterpret_cast<const uint8_t *>(this + 1); }

  uint8_t *buf_ = nullptr;  // kHeaderRoom + capacity_ bytes
  size_t capacity_ = 0;     // body bytes available
  size_t used_ = 0;
  size_t max_size_ = 0;
  size_t payload_offset_ = 0;  // body offset of the first payload byte; 0 = none
  uint32_t token_length_ = 0;
  uint8_t token_ext_size_ = 0;
  uint8_t hdr_size_ = 0;
  uint16_t max_opt_ = 0;  // number of the last option
};

template <class Fn>
void coap_pdu_t::visit_options(Fn &&fn) const {
  const uint8_t *p = options();
  const uint8_t *end = body() + options_end();
  uint32_t number = 0;
  while (p < end) {
    uint32_t delta = *p >> 4, length = *p & 0x0f;
    ++p;
    // Nibbles 13 and 14 announce one or two extension bytes (RFC 7252
    // section 3.1); 15 cannot occur in a validated option area.
    if (delta == 13) {
      delta = 13u + *p++;
    } else if (delta == 14) {
      delta = 269u + ((static_cast<uint32_t>(p[0]) << 8) | p[1]);
      p += 2;
    }
    if (length == 13) {
      length = 13u + *p++;
    } else if (length == 14) {
      length = 269u + ((static_cast<uint32_t>(p[0]) << 8) | p[1]);
      p += 2;
    }
    number += delta;
    if (!fn(static_cast<uint16_t>(number), p, static_cast<size_t>(length))) return;
    p += length;
  }
}

inline const uint8_t *coap_pdu_t::find_option(uint16_t number, size_t *length) const {
  const uint8_t *found = nullptr;
  if (number > max_opt_) return nullptr;
  visit_options([&](uint16_t n, const uint8_t *value, size_t len) {
    if (n == number) {
      found = value;
      *length = len;
    }
    return n < number;
  });
  return found;
}

namespace coap {
using Pdu = ::coap_pdu_t;

// Code classes (RFC 7252 section 3 and RFC 8323 section 5).
inline bool is_request_code(int code) {
  return code >= 1 && code < 32;
}
inline bool is_response_code(int code) {
  return code >= 64 && code < 192;
}
inline bool is_signaling_code(int code) {
  return (code >> 5) == 7;
}
}  // namespace coap
