#include "wire/pdu_format.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "core/session_facts.h"
#include "wire/option_codec.h"
#include "wire/pdu.h"

namespace coap::wire {

namespace {

// Room for one rendered option value (the text is cut to fit).
constexpr size_t kValueSize = 1035;

// A bounded text buffer that appends like repeated snprintf() calls at its
// end: whatever does not fit is dropped, and it always stays terminated.
class Text {
 public:
  Text(char *buf, size_t cap) : buf_(buf), cap_(cap) { buf_[0] = '\0'; }

  size_t size() const { return len_; }
  char *data() { return buf_; }
  void clear() {
    len_ = 0;
    buf_[0] = '\0';
  }

  void append(const char *s, size_t n) {
    size_t room = cap_ - 1 - len_;
    if (n > room) n = room;
    std::memcpy(buf_ + len_, s, n);
    len_ += n;
    buf_[len_] = '\0';
  }
  void append(const char *s) { append(s, std::strlen(s)); }
  void append_char(char c) { append(&c, 1); }

  __attribute__((format(printf, 2, 3))) void appendf(const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    std::vsnprintf(buf_ + len_, cap_ - len_, format, ap);
    va_end(ap);
    len_ += std::strlen(buf_ + len_);
  }

  void append_hex(const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n && len_ + 1 < cap_; ++i) appendf("%02x", p[i]);
  }

  // Copies data: printable characters as they are (unless always_escape),
  // others as "\xHH". Stops at the first one that does not fit entirely.
  void append_readable(const uint8_t *data, size_t n, bool always_escape) {
    static const char kHex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; ++i) {
      uint8_t c = data[i];
      if (!always_escape && is_printable(c)) {
        if (len_ + 1 >= cap_) break;
        buf_[len_++] = static_cast<char>(c);
      } else {
        if (len_ + 4 >= cap_) break;
        buf_[len_++] = '\\';
        buf_[len_++] = 'x';
        buf_[len_++] = kHex[c >> 4];
        buf_[len_++] = kHex[c & 0x0f];
      }
    }
    buf_[len_] = '\0';
  }

  // Ends the line with '\n', replacing the last character when full.
  void end_line() {
    if (len_ == cap_ - 1) --len_;
    buf_[len_] = '\0';
    append_char('\n');
  }

  static bool is_printable(uint8_t c) { return c >= 0x20 && c < 0x7f; }

 private:
  char *buf_;
  size_t cap_;
  size_t len_ = 0;
};

// Big-endian unsigned value; longer values keep their last four bytes, as
// the shift through a 32-bit accumulator does.
uint32_t decode_uint(const uint8_t *p, size_t n) {
  uint32_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

const char *type_name(unsigned type) {
  static const char *const kNames[] = {"CON", "NON", "ACK", "RST"};
  unsigned t = type;
  return t < 4 ? kNames[t] : "???";
}

// Method and signaling codes by name, everything else as class.detail.
void append_code(Text *t, unsigned code) {
  static const char *const kMethods[] = {"0.00",   "GET",   "POST",  "PUT",
                                         "DELETE", "FETCH", "PATCH", "iPATCH"};
  static const char *const kSignals[] = {"7.00", "CSM", "Ping", "Pong", "Release", "Abort"};
  if (code < 8) {
    t->append(kMethods[code]);
  } else if (code >= 224 && code - 224 < 6) {
    t->append(kSignals[code - 224]);
  } else {
    t->appendf("%u.%02u", (code >> 5) & 7, code & 0x1f);
  }
}

struct NamedNumber {
  uint16_t number;
  const char *name;
};

template <size_t N>
const char *find_name(const NamedNumber (&table)[N], unsigned number) {
  for (const NamedNumber &e : table) {
    if (e.number == number) return e.name;
  }
  return nullptr;
}

const NamedNumber kOptionNames[] = {
    {COAP_OPTION_IF_MATCH, "If-Match"},
    {COAP_OPTION_URI_HOST, "Uri-Host"},
    {COAP_OPTION_ETAG, "ETag"},
    {COAP_OPTION_IF_NONE_MATCH, "If-None-Match"},
    {COAP_OPTION_OBSERVE, "Observe"},
    {COAP_OPTION_URI_PORT, "Uri-Port"},
    {COAP_OPTION_LOCATION_PATH, "Location-Path"},
    {COAP_OPTION_OSCORE, "Oscore"},
    {COAP_OPTION_URI_PATH, "Uri-Path"},
    {COAP_OPTION_CONTENT_FORMAT, "Content-Format"},
    {COAP_OPTION_MAXAGE, "Max-Age"},
    {COAP_OPTION_URI_QUERY, "Uri-Query"},
    {COAP_OPTION_HOP_LIMIT, "Hop-Limit"},
    {COAP_OPTION_ACCEPT, "Accept"},
    {COAP_OPTION_Q_BLOCK1, "Q-Block1"},
    {COAP_OPTION_LOCATION_QUERY, "Location-Query"},
    {COAP_OPTION_BLOCK2, "Block2"},
    {COAP_OPTION_BLOCK1, "Block1"},
    {COAP_OPTION_SIZE2, "Size2"},
    {COAP_OPTION_Q_BLOCK2, "Q-Block2"},
    {COAP_OPTION_PROXY_URI, "Proxy-Uri"},
    {COAP_OPTION_PROXY_SCHEME, "Proxy-Scheme"},
    {COAP_OPTION_SIZE1, "Size1"},
    {COAP_OPTION_ECHO, "Echo"},
    {COAP_OPTION_NORESPONSE, "No-Response"},
    {COAP_OPTION_RTAG, "Request-Tag"},
};
const NamedNumber kCsmOptionNames[] = {
    {COAP_SIGNALING_OPTION_MAX_MESSAGE_SIZE, "Max-Message-Size"},
    {COAP_SIGNALING_OPTION_BLOCK_WISE_TRANSFER, "Block-Wise-Transfer"},
    {COAP_SIGNALING_OPTION_EXTENDED_TOKEN_LENGTH, "Extended-Token-Length"},
};
const NamedNumber kPingOptionNames[] = {
    {COAP_SIGNALING_OPTION_CUSTODY, "Custody"},
};
const NamedNumber kReleaseOptionNames[] = {
    {COAP_SIGNALING_OPTION_ALTERNATIVE_ADDRESS, "Alternative-Address"},
    {COAP_SIGNALING_OPTION_HOLD_OFF, "Hold-Off"},
};
const NamedNumber kAbortOptionNames[] = {
    {COAP_SIGNALING_OPTION_BAD_CSM_OPTION, "Bad-CSM-Option"},
};

void append_option_name(Text *t, unsigned code, unsigned number) {
  const char *name;
  switch (code) {
    case COAP_SIGNALING_CODE_CSM:
      name = find_name(kCsmOptionNames, number);
      break;
    case COAP_SIGNALING_CODE_PING:
    case COAP_SIGNALING_CODE_PONG:
      name = find_name(kPingOptionNames, number);
      break;
    case COAP_SIGNALING_CODE_RELEASE:
      name = find_name(kReleaseOptionNames, number);
      break;
    case COAP_SIGNALING_CODE_ABORT:
      name = find_name(kAbortOptionNames, number);
      break;
    default:
      name = find_name(kOptionNames, number);
      break;
  }
  if (name) {
    t->append(name);
  } else {
    t->appendf("%u", number);
  }
}

const NamedNumber kContentFormats[] = {
    {COAP_MEDIATYPE_TEXT_PLAIN, "text/plain"},
    {COAP_MEDIATYPE_APPLICATION_LINK_FORMAT, "application/link-format"},
    {COAP_MEDIATYPE_APPLICATION_XML, "application/xml"},
    {COAP_MEDIATYPE_APPLICATION_OCTET_STREAM, "application/octet-stream"},
    {COAP_MEDIATYPE_APPLICATION_RDF_XML, "application/rdf+xml"},
    {COAP_MEDIATYPE_APPLICATION_EXI, "application/exi"},
    {COAP_MEDIATYPE_APPLICATION_JSON, "application/json"},
    {COAP_MEDIATYPE_APPLICATION_CBOR, "application/cbor"},
    {COAP_MEDIATYPE_APPLICATION_CWT, "application/cwt"},
    {75, "application/dcaf+cbor"},  // from the DCAF draft, still listed
    {COAP_MEDIATYPE_APPLICATION_COAP_GROUP_JSON, "application/coap-group+json"},
    {COAP_MEDIATYPE_APPLICATION_COSE_SIGN, "application/cose; cose-type=\"cose-sign\""},
    {COAP_MEDIATYPE_APPLICATION_COSE_SIGN1, "application/cose; cose-type=\"cose-sign1\""},
    {COAP_MEDIATYPE_APPLICATION_COSE_ENCRYPT, "application/cose; cose-type=\"cose-encrypt\""},
    {COAP_MEDIATYPE_APPLICATION_COSE_ENCRYPT0, "application/cose; cose-type=\"cose-encrypt0\""},
    {COAP_MEDIATYPE_APPLICATION_COSE_MAC, "application/cose; cose-type=\"cose-mac\""},
    {COAP_MEDIATYPE_APPLICATION_COSE_MAC0, "application/cose; cose-type=\"cose-mac0\""},
    {COAP_MEDIATYPE_APPLICATION_COSE_KEY, "application/cose-key"},
    {COAP_MEDIATYPE_APPLICATION_COSE_KEY_SET, "application/cose-key-set"},
    {COAP_MEDIATYPE_APPLICATION_SENML_JSON, "application/senml+json"},
    {COAP_MEDIATYPE_APPLICATION_SENSML_JSON, "application/sensml+json"},
    {COAP_MEDIATYPE_APPLICATION_SENML_CBOR, "application/senml+cbor"},
    {COAP_MEDIATYPE_APPLICATION_SENSML_CBOR, "application/sensml+cbor"},
    {COAP_MEDIATYPE_APPLICATION_SENML_EXI, "application/senml-exi"},
    {COAP_MEDIATYPE_APPLICATION_SENSML_EXI, "application/sensml-exi"},
    {COAP_MEDIATYPE_APPLICATION_SENML_XML, "application/senml+xml"},
    {COAP_MEDIATYPE_APPLICATION_SENSML_XML, "application/sensml+xml"},
    {COAP_MEDIATYPE_APPLICATION_DOTS_CBOR, "application/dots+cbor"},
    {COAP_MEDIATYPE_APPLICATION_ACE_CBOR, "application/ace+cbor"},
    {COAP_MEDIATYPE_APPLICATION_MB_CBOR_SEQ, "application/missing-blocks+cbor-seq"},
    {COAP_MEDIATYPE_APPLICATION_OSCORE, "application/oscore"},
};

// Content formats whose payload is shown as text; -1 means none given.
bool is_text_format(int format) {
  return format == -1 || format == COAP_MEDIATYPE_TEXT_PLAIN ||
         format == COAP_MEDIATYPE_APPLICATION_LINK_FORMAT ||
         format == COAP_MEDIATYPE_APPLICATION_XML || format == COAP_MEDIATYPE_APPLICATION_JSON;
}

struct OptionView {
  uint32_t number;
  const uint8_t *value;
  size_t length;
};

// Block1/Block2/Q-Block: "num/M-or-_/size" (SZX 7 is BERT).
void render_block(const coap_pdu_t &pdu, const OptionView &o, Text *v) {
  uint8_t last = o.length ? o.value[o.length - 1] : 0;
  uint32_t num = o.length > 1 ? decode_uint(o.value, o.length - 1) : 0;
  num = (num << 4) | (last >> 4);
  char more = (last & 0x08) ? 'M' : '_';
  unsigned szx = last & 0x07;
  if (szx == 7) {
    if (pdu.has_payload()) {
      v->appendf("%u/%c/BERT(%zu)", num, more, pdu.payload_length());
    } else {
      v->appendf("%u/%c/BERT", num, more);
    }
  } else {
    v->appendf("%u/%c/%u", num, more, 1u << (szx + 4));
  }
}

// OSCORE option (RFC 8613 6.1): flag byte, partial IV, kid context, kid.
// Stops quietly at the first field that overruns the value.
void render_oscore(const OptionView &o, Text *v) {
  if (!o.length) return;
  const uint8_t *p = o.value;
  size_t n = o.length;
  size_t pos = 1;
  uint8_t flags = p[0];
  if (flags & 0x20) v->append("grp");
  if (flags & 0x07) {
    size_t cnt = flags & 0x07;
    if (cnt > n - pos) return;
    v->append(v->size() ? ",pIV=0x" : "pIV=0x");
    v->append_hex(p + pos, cnt);
    pos += cnt;
  }
  if (flags & 0x10) {
    if (pos >= n) return;
    size_t cnt = p[pos];
    if (cnt > n - pos - 1) return;
    ++pos;
    v->append(v->size() ? ",kc=0x" : "kc=0x");
    v->append_hex(p + pos, cnt);
    pos += cnt;
  }
  if (flags & 0x08) {
    if (pos >= n) return;
    v->append(v->size() ? ",kid=0x" : "kid=0x");
    v->append_hex(p + pos, n - pos);
  }
}

bool is_string_option(uint32_t number) {
  switch (number) {
    case COAP_OPTION_URI_HOST:
    case COAP_OPTION_LOCATION_PATH:
    case COAP_OPTION_URI_PATH:
    case COAP_OPTION_URI_QUERY:
    case COAP_OPTION_LOCATION_QUERY:
    case COAP_OPTION_PROXY_URI:
    case COAP_OPTION_PROXY_SCHEME:
      return true;
    default:
      return false;
  }
}

// State carried from the options to the payload rendering.
struct PayloadHints {
  int content_format = -1;
  bool oscore = false;
};

// Value of an option inside a signaling message (RFC 8323 section 5).
void render_signaling_value(unsigned code, const OptionView &o, Text *v) {
  switch (code) {
    case COAP_SIGNALING_CODE_CSM:
      if (o.number == COAP_SIGNALING_OPTION_MAX_MESSAGE_SIZE ||
          o.number == COAP_SIGNALING_OPTION_EXTENDED_TOKEN_LENGTH) {
        v->appendf("%u", decode_uint(o.value, o.length));
      }
      break;
    case COAP_SIGNALING_CODE_RELEASE:
      if (o.number == COAP_SIGNALING_OPTION_ALTERNATIVE_ADDRESS) {
        v->append_readable(o.value, o.length, false);
      } else if (o.number == COAP_SIGNALING_OPTION_HOLD_OFF) {
        v->appendf("%u", decode_uint(o.value, o.length));
      }
      break;
    case COAP_SIGNALING_CODE_ABORT:
      if (o.number == COAP_SIGNALING_OPTION_BAD_CSM_OPTION) {
        v->appendf("%u", decode_uint(o.value, o.length));
      }
      break;
    default:
      break;
  }
}

void render_value(const coap_pdu_t &pdu, const OptionView &o, PayloadHints *hints, Text *v) {
  switch (o.number) {
    case COAP_OPTION_CONTENT_FORMAT:
    case COAP_OPTION_ACCEPT: {
      // Kept as a signed int: 0xffffffff reads as -1, i.e. "no format".
      int format = static_cast<int>(decode_uint(o.value, o.length));
      hints->content_format = format;
      if (const char *name = find_name(kContentFormats, static_cast<uint32_t>(format))) {
        v->append(name);
      } else {
        v->appendf("%d", format);
      }
      break;
    }
    case COAP_OPTION_BLOCK1:
    case COAP_OPTION_BLOCK2:
    case COAP_OPTION_Q_BLOCK1:
    case COAP_OPTION_Q_BLOCK2:
      render_block(pdu, o, v);
      break;
    case COAP_OPTION_OSCORE:
      render_oscore(o, v);
      hints->oscore = true;
      break;
    case COAP_OPTION_URI_PORT:
    case COAP_OPTION_MAXAGE:
    case COAP_OPTION_OBSERVE:
    case COAP_OPTION_SIZE1:
    case COAP_OPTION_SIZE2:
    case COAP_OPTION_HOP_LIMIT:
      if (o.length) v->appendf("%u", decode_uint(o.value, o.length));
      break;
    case COAP_OPTION_IF_MATCH:
    case COAP_OPTION_ETAG:
    case COAP_OPTION_ECHO:
    case COAP_OPTION_NORESPONSE:
    case COAP_OPTION_RTAG:
      v->append("0x");
      v->append_hex(o.value, o.length);
      break;
    default:
      v->append_readable(o.value, o.length, !is_string_option(o.number));
      break;
  }
}

// Summary up to the payload: header, token and the option list.
void append_options(const coap_pdu_t &pdu, PayloadHints *hints, Text *line) {
  char value_buf[kValueSize];
  Text value(value_buf, sizeof(value_buf));
  const uint8_t *p = pdu.options();
  size_t left = pdu.options_size();
  uint32_t number = 0;
  bool first = true;
  line->append(" [");
  while (left) {
    OptionHeader h;
    if (!decode_option_header(p, left, &h) || h.length > left - h.header_size) break;
    number += h.delta;
    OptionView o{number, p + h.header_size, h.length};
    p += h.header_size + h.length;
    left -= h.header_size + h.length;

    if (!first) line->append(",");
    first = false;
    value.clear();
    unsigned code = pdu.code;
    if (code >= COAP_SIGNALING_CODE_CSM && code <= COAP_SIGNALING_CODE_ABORT) {
      render_signaling_value(code, o, &value);
    } else {
      render_value(pdu, o, hints, &value);
    }
    line->append(" ");
    append_option_name(line, code, number);
    line->append(":");
    line->append(value.data(), value.size());
  }
  line->append(" ]");
}

// Binary payloads: the summary ends with the length, then a hex line and a
// line with each printable byte (or '.') followed by a space.
void append_binary_payload(const uint8_t *data, size_t n, Text *line, PduText *out) {
  line->appendf("binary data length %zu\n", n);
  ++out->count;
  Text hex(out->lines[out->count], PduText::kLineSize);
  hex.append("<<");
  hex.append_hex(data, n);
  hex.append(">>");
  hex.end_line();
  ++out->count;
  Text chars(out->lines[out->count], PduText::kLineSize);
  chars.append("<<");
  for (size_t i = 0; i < n; ++i) {
    char pair[2] = {Text::is_printable(data[i]) ? static_cast<char>(data[i]) : '.', ' '};
    chars.append(pair, 2);
  }
  chars.append(">>");
  chars.end_line();
  ++out->count;
}

}  // namespace

ShowFraming framing_for_proto(coap_proto_t proto) {
  switch (proto) {
    case COAP_PROTO_TCP:
    case COAP_PROTO_TLS:
      return ShowFraming::kReliable;
    case COAP_PROTO_WS:
    case COAP_PROTO_WSS:
      return ShowFraming::kWebSocket;
    default:
      return ShowFraming::kDatagram;
  }
}

ShowFraming show_framing(const coap_pdu_t &pdu) {
  // Not sent nor received yet: shown as a datagram, as the man page says.
  if (!pdu.session) return ShowFraming::kDatagram;
  return framing_for_proto(session_proto(pdu.session));
}

void format_pdu(const coap_pdu_t &pdu, ShowFraming framing, PduText *out) {
  out->count = 0;
  Text line(out->lines[0], PduText::kLineSize);
  switch (framing) {
    case ShowFraming::kDatagram:
      line.appendf("v:1 t:%s c:", type_name(pdu.type));
      append_code(&line, pdu.code);
      line.appendf(" i:%04x {", static_cast<unsigned>(pdu.mid));
      break;
    case ShowFraming::kReliable:
      line.append("v:Reliable c:");
      append_code(&line, pdu.code);
      line.append(" {");
      break;
    case ShowFraming::kWebSocket:
      line.append("v:WebSocket c:");
      append_code(&line, pdu.code);
      line.append(" {");
      break;
  }
  line.append_hex(pdu.token(), pdu.token_length());
  line.append("}");

  PayloadHints hints;
  append_options(pdu, &hints, &line);

  if (pdu.has_payload()) {
    const uint8_t *data = pdu.payload();
    size_t n = pdu.payload_length();
    line.append(" :: ");
    if (!is_text_format(hints.content_format) || !Text::is_printable(data[0]) || hints.oscore) {
      append_binary_payload(data, n, &line, out);
      return;
    }
    line.append("'");
    line.append_readable(data, n, false);
    // Closing quote only with headroom left (escapes may have been cut).
    if (line.size() < PduText::kLineSize - 5) line.append("'");
  }
  line.end_line();
  out->count = 1;
}

}  // namespace coap::wire
