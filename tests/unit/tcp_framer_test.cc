// RFC 8323 framing on a byte stream: message lengths from headers of every
// shape, and the framer finding the same messages whatever way the stream
// is split.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/tcp_framer.h"
#include "wire/pdu.h"
#include "wire/tcp_frame.h"

namespace coap::test {
namespace {

using Bytes = std::vector<uint8_t>;

// One framed message: token of token_len bytes, `options` option bytes
// (one long option) and a payload, encoded by the PDU encoder.
Bytes frame(uint8_t code, size_t token_len, size_t payload_len) {
  coap_pdu_t *pdu = coap_pdu_t::create(COAP_MESSAGE_CON, static_cast<coap_pdu_code_t>(code), 0, 0);
  Bytes token(token_len);
  for (size_t i = 0; i < token_len; ++i) token[i] = static_cast<uint8_t>(i + 1);
  EXPECT_TRUE(pdu->add_token(token.data(), token.size()));
  if (payload_len) {
    uint8_t *p = pdu->add_payload(payload_len);
    for (size_t i = 0; i < payload_len; ++i) p[i] = static_cast<uint8_t>(i * 7);
  }
  EXPECT_NE(pdu->write_header(COAP_PROTO_TCP), 0u);
  Bytes out(pdu->wire_begin(), pdu->wire_begin() + pdu->wire_size());
  coap_pdu_t::destroy(pdu);
  return out;
}

// The layer above the framer: records what it hands up.
class Collector final : public Channel {
 public:
  Collector() : Channel(nullptr) {}
  bool send(const uint8_t *, size_t, uint64_t) override { return true; }
  void on_input(const uint8_t *data, size_t length, uint64_t) override {
    messages.emplace_back(data, data + length);
    if (close_after && messages.size() == close_after) close(0);
  }
  void on_down(ChannelDown why, const char *detail, uint64_t) override {
    downs.push_back(why);
    last_detail = detail ? detail : "";
  }
  std::vector<Bytes> messages;
  std::vector<ChannelDown> downs;
  std::string last_detail;
  size_t close_after = 0;
};

struct Stack {
  explicit Stack(uint64_t limit = 8388864) {
    framer = create<TcpFramer>(nullptr, limit);
    top.stack_on(framer);
  }
  Collector top;  // owns the framer
  TcpFramer *framer;
};

TEST(TcpFrameScan, LengthsOfEveryHeaderShape) {
  // Payload sizes around each Len encoding boundary, tokens of every TKL.
  for (size_t payload : {0, 1, 11, 12, 13, 267, 268, 269, 270, 65803, 65804, 65805, 70000}) {
    for (size_t token : {0, 1, 8, 12, 13, 14, 268, 269, 300}) {
      Bytes m = frame(COAP_RESPONSE_CODE_CONTENT, token, payload);
      wire::TcpFrameScan scan = wire::scan_tcp_frame(m.data(), m.size());
      ASSERT_EQ(scan.status, wire::TcpFrameScan::kComplete) << payload << "/" << token;
      EXPECT_EQ(scan.total, m.size()) << payload << "/" << token;
      // Any shorter prefix than the header asks for exactly the header.
      for (size_t k = 0; k < scan.need; ++k) {
        wire::TcpFrameScan part = wire::scan_tcp_frame(m.data(), k);
        EXPECT_EQ(part.status, wire::TcpFrameScan::kNeedMore);
        EXPECT_EQ(part.need, k == 0 ? 1u : scan.need);
      }
      EXPECT_EQ(wire::tcp_frame_code(m.data(), m.size()), COAP_RESPONSE_CODE_CONTENT);
      EXPECT_EQ(wire::tcp_frame_options_offset(m.data(), m.size()), scan.need + token);
    }
  }
}

TEST(TcpFrameScan, ReservedTokenLengthIsInvalid) {
  uint8_t m[] = {0x0f, 0x01};
  EXPECT_EQ(wire::scan_tcp_frame(m, sizeof(m)).status, wire::TcpFrameScan::kInvalid);
  EXPECT_EQ(wire::scan_tcp_frame(m, 1).status, wire::TcpFrameScan::kInvalid);
}

TEST(TcpFrameScan, LargestLengthsDoNotOverflow) {
  uint8_t m[] = {0xfe, 0xff, 0xff, 0xff, 0xff, 0x45, 0xff, 0xff};
  wire::TcpFrameScan scan = wire::scan_tcp_frame(m, sizeof(m));
  ASSERT_EQ(scan.status, wire::TcpFrameScan::kComplete);
  EXPECT_EQ(scan.need, 8u);
  EXPECT_EQ(scan.total, 8u + (269 + 0xffff) + (65805 + 0xffffffffull));
}

// A stream of messages of assorted shapes.
std::vector<Bytes> sample_messages() {
  return {frame(COAP_SIGNALING_CODE_CSM, 0, 0),     frame(COAP_REQUEST_CODE_GET, 1, 0),
          frame(COAP_RESPONSE_CODE_CONTENT, 4, 12), frame(COAP_RESPONSE_CODE_CONTENT, 8, 13),
          frame(COAP_SIGNALING_CODE_PING, 0, 0),    frame(COAP_RESPONSE_CODE_CONTENT, 13, 40),
          frame(COAP_REQUEST_CODE_PUT, 2, 300),     frame(COAP_SIGNALING_CODE_PONG, 269, 1)};
}

Bytes concat(const std::vector<Bytes> &ms) {
  Bytes all;
  for (const Bytes &m : ms) all.insert(all.end(), m.begin(), m.end());
  return all;
}

TEST(TcpFramer, WholeStreamAtOnce) {
  std::vector<Bytes> ms = sample_messages();
  Bytes all = concat(ms);
  Stack st;
  st.framer->on_input(all.data(), all.size(), 0);
  EXPECT_EQ(st.top.messages, ms);
  EXPECT_EQ(st.framer->buffered(), 0u);
}

TEST(TcpFramer, EverySinglePointSplit) {
  std::vector<Bytes> ms = sample_messages();
  Bytes all = concat(ms);
  for (size_t k = 0; k <= all.size(); ++k) {
    Stack st;
    st.framer->on_input(all.data(), k, 0);
    st.framer->on_input(all.data() + k, all.size() - k, 0);
    ASSERT_EQ(st.top.messages, ms) << "split at " << k;
    ASSERT_TRUE(st.top.downs.empty());
  }
}

TEST(TcpFramer, EveryPairOfSplitPoints) {
  // Small messages only, so that all pairs stay quick.
  std::vector<Bytes> ms = {frame(COAP_SIGNALING_CODE_CSM, 0, 0), frame(COAP_REQUEST_CODE_GET, 1, 0),
                           frame(COAP_RESPONSE_CODE_CONTENT, 8, 13),
                           frame(COAP_RESPONSE_CODE_CONTENT, 13, 3),
                           frame(COAP_SIGNALING_CODE_PING, 0, 0)};
  Bytes all = concat(ms);
  for (size_t i = 0; i <= all.size(); ++i) {
    for (size_t j = i; j <= all.size(); ++j) {
      Stack st;
      st.framer->on_input(all.data(), i, 0);
      st.framer->on_input(all.data() + i, j - i, 0);
      st.framer->on_input(all.data() + j, all.size() - j, 0);
      ASSERT_EQ(st.top.messages, ms) << "splits at " << i << ", " << j;
    }
  }
}

TEST(TcpFramer, ByteByByteAndLargeMessages) {
  std::vector<Bytes> ms = {frame(COAP_RESPONSE_CODE_CONTENT, 8, 70000),
                           frame(COAP_REQUEST_CODE_GET, 0, 0),
                           frame(COAP_RESPONSE_CODE_CONTENT, 1, 1 << 20)};
  Bytes all = concat(ms);
  Stack st;
  for (size_t i = 0; i < 200000; ++i) st.framer->on_input(all.data() + i, 1, 0);
  st.framer->on_input(all.data() + 200000, all.size() - 200000, 0);
  EXPECT_EQ(st.top.messages, ms);
}

TEST(TcpFramer, MessageAboveTheLimitEndsTheStream) {
  Bytes big = frame(COAP_RESPONSE_CODE_CONTENT, 0, 200);
  Bytes ok = frame(COAP_REQUEST_CODE_GET, 0, 0);
  Bytes all = concat({ok, big, ok});
  Stack st(100);
  st.framer->on_input(all.data(), all.size(), 0);
  EXPECT_EQ(st.top.messages.size(), 1u);
  ASSERT_EQ(st.top.downs, std::vector<ChannelDown>{ChannelDown::kProtocol});
  EXPECT_NE(st.top.last_detail.find("exceeds our Max-Message-Size 100"), std::string::npos);
  // Nothing further is read.
  st.framer->on_input(ok.data(), ok.size(), 0);
  EXPECT_EQ(st.top.messages.size(), 1u);
  // Refused from the header alone, before the body arrives.
  Stack early(100);
  early.framer->on_input(big.data(), 3, 0);
  EXPECT_EQ(early.top.downs.size(), 1u);
}

TEST(TcpFramer, GarbageEndsTheStream) {
  Bytes ok = frame(COAP_REQUEST_CODE_GET, 0, 0);
  Bytes all = ok;
  all.push_back(0x0f);  // token length 15 is reserved
  all.push_back(0x01);
  Stack st;
  st.framer->on_input(all.data(), all.size(), 0);
  EXPECT_EQ(st.top.messages.size(), 1u);
  EXPECT_EQ(st.top.downs, std::vector<ChannelDown>{ChannelDown::kProtocol});
  // The same when the bad byte starts a later piece.
  Stack split;
  split.framer->on_input(all.data(), ok.size(), 0);
  split.framer->on_input(all.data() + ok.size(), 2, 0);
  EXPECT_EQ(split.top.downs.size(), 1u);
}

TEST(TcpFramer, StopsWhenTheLayerAboveCloses) {
  std::vector<Bytes> ms = sample_messages();
  Bytes all = concat(ms);
  for (size_t chunk : {all.size(), size_t{1}, size_t{5}}) {
    Stack st;
    st.top.close_after = 2;
    for (size_t off = 0; off < all.size(); off += chunk) {
      size_t n = chunk < all.size() - off ? chunk : all.size() - off;
      st.framer->on_input(all.data() + off, n, 0);
    }
    EXPECT_EQ(st.top.messages.size(), 2u) << chunk;
  }
}

}  // namespace
}  // namespace coap::test
