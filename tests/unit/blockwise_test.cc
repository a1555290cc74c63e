// Block-wise transfers (RFC 7959) through the in-memory network with a fake
// clock: downloads and uploads of many sizes, every block size, size
// negotiation, losses, concurrent transfers, per-block and single-body
// delivery, Request-Tag / Size1 / Size2 / ETag, and what happens when a
// transfer stalls. No sockets, no sleeping.
#include <gtest/gtest.h>

#include <cstring>
#include <list>
#include <map>
#include <string>
#include <vector>

#include "core/blockwise.h"
#include "core/blockwise_state.h"
#include "support/fake_network.h"
#include "wire/block.h"
#include "wire/pdu.h"

namespace coap::test {
namespace {

std::vector<uint8_t> pattern(size_t n, uint32_t seed) {
  std::vector<uint8_t> v(n);
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    v[i] = static_cast<uint8_t>(x >> 16);
  }
  return v;
}

struct Delivered {
  std::vector<uint8_t> token;
  int code = 0;
  size_t offset = 0;
  size_t length = 0;
  size_t total = 0;
  bool has_block2 = false;
};

// What the handlers saw, shared with the C callbacks.
struct World {
  std::map<std::string, std::vector<uint8_t>> bodies;  // GET resources by path
  int get_calls = 0;
  int server_released = 0;
  uint64_t etag = 0;  // ETag the GET handler passes (0: generated)
  bool change_after_first = false;
  bool code_after_data = false;  // GET handler sets the code last

  std::map<std::string, std::vector<uint8_t>> uploads;  // PUT bodies by path
  std::vector<Delivered> put_views;

  std::vector<Delivered> responses;
  std::map<std::string, std::vector<uint8_t>> received;  // by token hex
  std::vector<coap_event_t> client_events;
  std::vector<coap_event_t> server_events;
  std::vector<coap_nack_reason_t> nacks;
  std::vector<std::vector<uint8_t>> nack_tokens;
  int client_released = 0;
};
World *g;

std::string hex(const uint8_t *p, size_t n) {
  static const char d[] = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += d[p[i] >> 4];
    s += d[p[i] & 15];
  }
  return s;
}

std::string path_of(coap_resource_t *r) {
  coap_str_const_t *p = coap_resource_get_uri_path(r);
  return std::string(reinterpret_cast<const char *>(p->s), p->length);
}

void release_server(coap_session_t *, void *) {
  ++g->server_released;
}
void release_client(coap_session_t *, void *) {
  ++g->client_released;
}

void big_get(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *request,
             const coap_string_t *query, coap_pdu_t *response) {
  ++g->get_calls;
  std::vector<uint8_t> &body = g->bodies[path_of(r)];
  if (!g->code_after_data) coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
  coap_add_data_large_response(r, s, request, response, query, COAP_MEDIATYPE_TEXT_PLAIN, -1,
                               g->etag, body.size(), body.data(), release_server, nullptr);
  if (g->code_after_data) coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
  if (g->change_after_first) {
    // The representation changes: new data, new ETag.
    g->change_after_first = false;
    body = pattern(body.size(), 99);
    g->etag += 1;
  }
}

void upload_put(coap_resource_t *r, coap_session_t *, const coap_pdu_t *request,
                const coap_string_t *, coap_pdu_t *response) {
  Delivered d;
  const uint8_t *data = nullptr;
  coap_get_data_large(request, &d.length, &data, &d.offset, &d.total);
  d.token.assign(request->token(), request->token() + request->token_length());
  g->put_views.push_back(d);
  std::vector<uint8_t> &body = g->uploads[path_of(r)];
  if (body.size() < d.offset + d.length) body.resize(d.offset + d.length);
  if (d.length) std::memcpy(body.data() + d.offset, data, d.length);
  coap_pdu_set_code(response, d.offset + d.length < d.total ? COAP_RESPONSE_CODE_CONTINUE
                                                            : COAP_RESPONSE_CODE_CHANGED);
}

coap_response_t on_response(coap_session_t *, const coap_pdu_t *, const coap_pdu_t *rcvd,
                            const coap_mid_t) {
  Delivered d;
  d.code = rcvd->code;
  d.token.assign(rcvd->token(), rcvd->token() + rcvd->token_length());
  d.has_block2 = rcvd->has_option(COAP_OPTION_BLOCK2);
  const uint8_t *data = nullptr;
  coap_get_data_large(rcvd, &d.length, &data, &d.offset, &d.total);
  std::vector<uint8_t> &body = g->received[hex(rcvd->token(), rcvd->token_length())];
  if (body.size() < d.offset + d.length) body.resize(d.offset + d.length);
  if (d.length) std::memcpy(body.data() + d.offset, data, d.length);
  g->responses.push_back(d);
  return COAP_RESPONSE_OK;
}

void on_nack(coap_session_t *, const coap_pdu_t *sent, const coap_nack_reason_t reason,
             const coap_mid_t) {
  g->nacks.push_back(reason);
  if (sent) g->nack_tokens.emplace_back(sent->token(), sent->token() + sent->token_length());
}

int on_client_event(coap_session_t *, const coap_event_t e) {
  g->client_events.push_back(e);
  return 0;
}
int on_server_event(coap_session_t *, const coap_event_t e) {
  if (e != COAP_EVENT_SERVER_SESSION_NEW && e != COAP_EVENT_SERVER_SESSION_DEL) {
    g->server_events.push_back(e);
  }
  return 0;
}

int zero_prng(void *out, size_t len) {
  memset(out, 0, len);
  return 1;
}

// A parsed copy of a packet that was sent.
struct Parsed {
  coap_pdu_t *pdu;
  explicit Parsed(const Packet &p) {
    pdu = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, 0);
    EXPECT_TRUE(pdu->parse(COAP_PROTO_UDP, p.bytes.data(), p.bytes.size()));
  }
  ~Parsed() { coap_pdu_t::destroy(pdu); }
  bool block(uint16_t number, coap_block_b_t *b) const {
    return wire::read_block(*pdu, number, false, b);
  }
  uint64_t uint(uint16_t number, bool *present = nullptr) const {
    return blockwise::uint_option(pdu, number, 0, present);
  }
};

const uint8_t kToken[] = {0x11, 0x22, 0x33};

class Blockwise : public ::testing::Test {
 protected:
  void SetUp() override {
    g = &world;
    coap_set_prng(zero_prng);
    server = new FakeHost(&net, "10.0.0.1");
    client = new FakeHost(&net, "10.0.0.2");
    listen = ipv4("10.0.0.1", 5683);
    ASSERT_NE(coap_endpoint_t::create(server->ctx, listen, COAP_PROTO_UDP), nullptr);
    for (const char *p : {"big", "big2"}) {
      coap_resource_t *r = coap_resource_init(coap_make_str_const(p), 0);
      coap_register_request_handler(r, COAP_REQUEST_GET, big_get);
      coap_register_request_handler(r, COAP_REQUEST_FETCH, big_get);
      coap_add_resource(server->ctx, r);
    }
    for (const char *p : {"upload", "upload2"}) {
      coap_resource_t *r = coap_resource_init(coap_make_str_const(p), 0);
      coap_register_request_handler(r, COAP_REQUEST_PUT, upload_put);
      coap_register_request_handler(r, COAP_REQUEST_POST, upload_put);
      coap_add_resource(server->ctx, r);
    }
    coap_register_response_handler(client->ctx, on_response);
    coap_register_nack_handler(client->ctx, on_nack);
    coap_register_event_handler(client->ctx, on_client_event);
    coap_register_event_handler(server->ctx, on_server_event);
  }
  void TearDown() override {
    if (session) release_session(session);
    delete client;
    delete server;
    coap_set_prng(nullptr);
  }

  // Block modes must be set before sessions exist (they inherit them).
  void start(uint32_t client_mode, uint32_t server_mode) {
    coap_context_set_block_mode(client->ctx, client_mode);
    coap_context_set_block_mode(server->ctx, server_mode);
    session = new_client_session(client->ctx, nullptr, listen, COAP_PROTO_UDP, net.now);
    ASSERT_NE(session, nullptr);
  }

  coap_pdu_t *request(coap_pdu_code_t code, const char *path, const uint8_t *token = kToken,
                      size_t token_len = sizeof(kToken), coap_pdu_type_t type = COAP_MESSAGE_CON) {
    coap_pdu_t *pdu = coap_pdu_t::create(type, code, session->next_mid(), session->max_pdu_size());
    pdu->add_token(token, token_len);
    pdu->add_option(COAP_OPTION_URI_PATH, reinterpret_cast<const uint8_t *>(path), strlen(path));
    return pdu;
  }

  coap_mid_t send(coap_pdu_t *pdu) { return blockwise::send(session, pdu, net.now); }

  coap_mid_t get(const char *path, int szx = -1, const uint8_t *token = kToken,
                 size_t token_len = sizeof(kToken)) {
    coap_pdu_t *pdu = request(COAP_REQUEST_CODE_GET, path, token, token_len);
    if (szx >= 0) blockwise::set_block_option(pdu, COAP_OPTION_BLOCK2, 0, 0, szx);
    return send(pdu);
  }

  coap_mid_t put(const char *path, const std::vector<uint8_t> &body, int szx = -1,
                 const uint8_t *token = kToken, size_t token_len = sizeof(kToken)) {
    coap_pdu_t *pdu = request(COAP_REQUEST_CODE_PUT, path, token, token_len);
    if (szx >= 0) blockwise::set_block_option(pdu, COAP_OPTION_BLOCK1, 0, 0, szx);
    // The library reads the body until the transfer ends: keep a copy
    // alive for the whole test (callers often pass temporaries).
    uploads.push_back(body);
    const std::vector<uint8_t> &kept = uploads.back();
    EXPECT_EQ(blockwise::add_data_large_request(session, pdu, kept.size(), kept.data(),
                                                release_client, nullptr, net.now),
              1);
    return send(pdu);
  }

  std::list<std::vector<uint8_t>> uploads;  // bodies of uploads in progress

  std::vector<uint8_t> &received(const uint8_t *token = kToken, size_t len = sizeof(kToken)) {
    return world.received[hex(token, len)];
  }

  blockwise::BlockState *client_state() { return session->blocks; }
  blockwise::BlockState *server_state() {
    coap_session_t *found = nullptr;
    server->ctx->endpoints.for_each(
        [&](coap_endpoint_t *ep) { ep->sessions.for_each([&](coap_session_t *s) { found = s; }); });
    return found ? found->blocks : nullptr;
  }

  // Every block option value sent from `from_server` side.
  std::vector<coap_block_b_t> blocks_sent(bool by_server, uint16_t number) {
    std::vector<coap_block_b_t> out;
    for (const Packet &p : net.sent_log) {
      bool from_server = coap_address_get_port(&p.from) == 5683;
      if (from_server != by_server) continue;
      Parsed parsed(p);
      coap_block_b_t b;
      if (parsed.block(number, &b)) out.push_back(b);
    }
    return out;
  }

  World world;
  FakeNetwork net;
  FakeHost *server = nullptr;
  FakeHost *client = nullptr;
  coap_address_t listen;
  coap_session_t *session = nullptr;
};

constexpr uint32_t kLib = COAP_BLOCK_USE_LIBCOAP;
constexpr uint32_t kSingle = COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY;

TEST_F(Blockwise, GetDataLargeOnPlainPdus) {
  coap_pdu_t *pdu = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_RESPONSE_CODE_CONTENT, 1, 100);
  size_t len = 9, offset = 9, total = 9;
  const uint8_t *data = reinterpret_cast<const uint8_t *>("x");
  EXPECT_EQ(coap_get_data_large(pdu, &len, &data, &offset, &total), 0);
  EXPECT_EQ(len, 0u);
  EXPECT_EQ(total, 0u);
  EXPECT_EQ(offset, 0u);
  EXPECT_EQ(data, nullptr);
  coap_add_data(pdu, 5, reinterpret_cast<const uint8_t *>("hello"));
  EXPECT_EQ(coap_get_data_large(pdu, &len, &data, &offset, &total), 1);
  EXPECT_EQ(len, 5u);
  EXPECT_EQ(offset, 0u);
  EXPECT_EQ(total, 5u);
  // A body view set by the engine wins, for coap_get_data() too.
  static const uint8_t whole[] = "a much longer body";
  pdu->body_data = whole;
  pdu->body_length = sizeof(whole);
  pdu->body_total = sizeof(whole);
  EXPECT_EQ(coap_get_data(pdu, &len, &data), 1);
  EXPECT_EQ(data, whole);
  EXPECT_EQ(len, sizeof(whole));
  coap_pdu_t::destroy(pdu);
}

TEST_F(Blockwise, DownloadSingleBodyEveryBlockSize) {
  start(kSingle, kLib);
  world.bodies["big"] = pattern(3000, 1);
  for (int szx = 0; szx <= 6; ++szx) {
    uint8_t token[] = {0x70, static_cast<uint8_t>(szx)};
    world.responses.clear();
    size_t log_start = net.sent_log.size();
    get("big", szx, token, sizeof(token));
    net.deliver();
    ASSERT_EQ(world.responses.size(), 1u) << "szx " << szx;
    const Delivered &d = world.responses[0];
    EXPECT_EQ(d.code, COAP_RESPONSE_CODE_CONTENT);
    EXPECT_EQ(d.token, std::vector<uint8_t>(token, token + 2));  // the application's token
    EXPECT_EQ(d.offset, 0u);
    EXPECT_EQ(d.length, 3000u);
    EXPECT_EQ(d.total, 3000u);
    EXPECT_FALSE(d.has_block2);  // "pretend there is no block"
    EXPECT_EQ(received(token, 2), world.bodies["big"]);
    // Every block on the wire had the requested size.
    size_t n = 0;
    for (size_t i = log_start; i < net.sent_log.size(); ++i) {
      if (coap_address_get_port(&net.sent_log[i].from) != 5683) continue;
      Parsed p(net.sent_log[i]);
      coap_block_b_t b;
      ASSERT_TRUE(p.block(COAP_OPTION_BLOCK2, &b));
      EXPECT_EQ(b.szx, static_cast<unsigned>(szx));
      ++n;
    }
    EXPECT_EQ(n, (3000u + (16u << szx) - 1) / (16u << szx));
  }
  EXPECT_EQ(world.get_calls, 7);  // the handler runs once per body, not per block
}

TEST_F(Blockwise, DownloadHeadersSizeEtagAndReleaseAfterLastBlock) {
  start(kSingle, kLib);
  world.bodies["big"] = pattern(2500, 2);
  get("big");
  net.deliver();
  ASSERT_EQ(world.responses.size(), 1u);
  // The first response carries Size2 and an ETag; every block the same ETag.
  std::vector<uint64_t> etags;
  for (const Packet &p : net.sent_log) {
    if (coap_address_get_port(&p.from) != 5683) continue;
    Parsed parsed(p);
    bool present = false;
    EXPECT_EQ(parsed.uint(COAP_OPTION_SIZE2, &present), 2500u);
    EXPECT_TRUE(present);
    etags.push_back(parsed.uint(COAP_OPTION_ETAG, &present));
    EXPECT_TRUE(present);
  }
  ASSERT_EQ(etags.size(), 3u);  // 1024 + 1024 + 452
  EXPECT_EQ(etags[0], etags[1]);
  EXPECT_EQ(etags[1], etags[2]);
  // The data stays with the server until the last block was sent and a
  // little while longer (for repeated requests), then it is released.
  EXPECT_EQ(world.server_released, 0);
  net.advance(9000);
  EXPECT_EQ(world.server_released, 1);
  EXPECT_TRUE(server_state()->xmits.empty());
  EXPECT_TRUE(client_state()->crcvs.empty());
}

TEST_F(Blockwise, DownloadPerBlockDelivery) {
  start(kLib, kLib);
  world.bodies["big"] = pattern(5000, 3);
  get("big", 4);  // 256-byte blocks
  net.deliver();
  ASSERT_EQ(world.responses.size(), 20u);
  size_t expect_offset = 0;
  for (const Delivered &d : world.responses) {
    EXPECT_EQ(d.token, std::vector<uint8_t>(kToken, kToken + 3));
    EXPECT_EQ(d.offset, expect_offset);
    EXPECT_TRUE(d.has_block2);
    EXPECT_EQ(d.total, 5000u);  // Size2
    expect_offset += d.length;
  }
  EXPECT_EQ(world.responses.back().offset + world.responses.back().length,
            world.responses.back().total);
  EXPECT_EQ(received(), world.bodies["big"]);
  EXPECT_TRUE(client_state()->crcvs.empty());
}

TEST_F(Blockwise, DownloadSmallBodyIsOneResponse) {
  start(kSingle, kLib);
  world.bodies["big"] = pattern(100, 4);
  get("big");
  net.deliver();
  ASSERT_EQ(world.responses.size(), 1u);
  EXPECT_EQ(world.responses[0].length, 100u);
  EXPECT_EQ(received(), world.bodies["big"]);
  EXPECT_EQ(world.server_released, 1);  // fits: released at once
  EXPECT_EQ(net.sent_log.size(), 2u);
}

TEST_F(Blockwise, Download16MiB) {
  start(kSingle, kLib);
  world.bodies["big"] = pattern(16u << 20, 5);
  get("big");
  net.sent_log.reserve(40000);
  net.deliver();
  ASSERT_EQ(world.responses.size(), 1u);
  EXPECT_EQ(world.responses[0].length, 16u << 20);
  EXPECT_TRUE(received() == world.bodies["big"]);
  EXPECT_EQ(world.get_calls, 1);
}

TEST_F(Blockwise, UploadSingleBodyEveryBlockSize) {
  start(kSingle, kSingle);
  std::vector<uint8_t> body = pattern(2000, 6);
  for (int szx = 0; szx <= 6; ++szx) {
    uint8_t token[] = {0x50, static_cast<uint8_t>(szx)};
    world.responses.clear();
    world.put_views.clear();
    world.uploads.clear();
    size_t log_start = net.sent_log.size();
    put("upload", body, szx, token, sizeof(token));
    net.deliver();
    ASSERT_EQ(world.put_views.size(), 1u) << "szx " << szx;  // handler once, whole body
    EXPECT_EQ(world.put_views[0].offset, 0u);
    EXPECT_EQ(world.put_views[0].length, 2000u);
    EXPECT_EQ(world.put_views[0].total, 2000u);
    EXPECT_EQ(world.uploads["upload"], body);
    ASSERT_EQ(world.responses.size(), 1u);
    EXPECT_EQ(world.responses[0].code, COAP_RESPONSE_CODE_CHANGED);
    EXPECT_EQ(world.responses[0].token, std::vector<uint8_t>(token, token + 2));
    // Client blocks all had the hinted size; intermediate answers were 2.31.
    size_t blocks = 0, continues = 0;
    for (size_t i = log_start; i < net.sent_log.size(); ++i) {
      Parsed p(net.sent_log[i]);
      coap_block_b_t b;
      if (coap_address_get_port(&net.sent_log[i].from) == 5683) {
        if (p.pdu->code == COAP_RESPONSE_CODE_CONTINUE) ++continues;
        continue;
      }
      ASSERT_TRUE(p.block(COAP_OPTION_BLOCK1, &b));
      EXPECT_EQ(b.szx, static_cast<unsigned>(szx));
      EXPECT_EQ(p.uint(COAP_OPTION_SIZE1), 2000u);
      ++blocks;
    }
    size_t expected = (2000u + (16u << szx) - 1) / (16u << szx);
    EXPECT_EQ(blocks, expected);
    EXPECT_EQ(continues, expected - 1);
  }
  EXPECT_EQ(world.client_released, 7);
}

TEST_F(Blockwise, UploadPerBlockOnServer) {
  start(kSingle, kLib);
  std::vector<uint8_t> body = pattern(1000, 7);
  put("upload", body, 2);  // 64-byte blocks
  net.deliver();
  ASSERT_EQ(world.put_views.size(), 16u);
  size_t expect_offset = 0;
  for (const Delivered &d : world.put_views) {
    EXPECT_EQ(d.offset, expect_offset);
    EXPECT_GT(d.total, d.offset);
    expect_offset += d.length;
  }
  EXPECT_EQ(world.put_views.back().offset + world.put_views.back().length, 1000u);
  EXPECT_EQ(world.uploads["upload"], body);
  ASSERT_EQ(world.responses.size(), 1u);
  EXPECT_EQ(world.responses[0].code, COAP_RESPONSE_CODE_CHANGED);
  // Each intermediate answer echoed Block1 with M set.
  std::vector<coap_block_b_t> acks = blocks_sent(true, COAP_OPTION_BLOCK1);
  ASSERT_EQ(acks.size(), 16u);
  for (size_t i = 0; i < acks.size(); ++i) {
    EXPECT_EQ(acks[i].num, i);
    EXPECT_EQ(acks[i].m, i + 1 < acks.size() ? 1u : 0u);
  }
}

TEST_F(Blockwise, Upload16MiB) {
  start(kSingle, kSingle);
  std::vector<uint8_t> body = pattern(16u << 20, 8);
  net.sent_log.reserve(40000);
  put("upload", body);
  net.deliver();
  ASSERT_EQ(world.put_views.size(), 1u);
  EXPECT_EQ(world.put_views[0].length, 16u << 20);
  EXPECT_TRUE(world.uploads["upload"] == body);
  ASSERT_EQ(world.responses.size(), 1u);
  EXPECT_EQ(world.responses[0].code, COAP_RESPONSE_CODE_CHANGED);
  EXPECT_EQ(world.client_released, 1);
}

TEST_F(Blockwise, UploadRequestTagSize1AndTokens) {
  start(kSingle, kSingle);
  std::vector<uint8_t> body = pattern(3000, 9);
  put("upload", body);
  net.deliver();
  std::vector<uint64_t> rtags;
  std::vector<std::string> tokens;
  for (const Packet &p : net.sent_log) {
    if (coap_address_get_port(&p.from) == 5683) continue;
    Parsed parsed(p);
    bool present = false;
    rtags.push_back(parsed.uint(COAP_OPTION_RTAG, &present));
    EXPECT_TRUE(present);
    tokens.push_back(hex(parsed.pdu->token(), parsed.pdu->token_length()));
    EXPECT_EQ(parsed.uint(COAP_OPTION_SIZE1), 3000u);
  }
  ASSERT_EQ(rtags.size(), 3u);
  EXPECT_EQ(rtags[0], rtags[1]);  // one Request-Tag for the whole body
  EXPECT_EQ(rtags[1], rtags[2]);
  // The first block goes with the application's token, later ones each
  // with a token of their own.
  EXPECT_EQ(tokens[0], hex(kToken, 3));
  EXPECT_NE(tokens[1], tokens[0]);
  EXPECT_NE(tokens[2], tokens[1]);
  ASSERT_EQ(world.responses.size(), 1u);
  EXPECT_EQ(world.responses[0].token, std::vector<uint8_t>(kToken, kToken + 3));
}

TEST_F(Blockwise, PreemptiveRequestTagRules) {
  start(kSingle, kSingle);
  world.bodies["big"] = pattern(10, 1);
  get("big");
  coap_pdu_t *del = request(COAP_REQUEST_CODE_DELETE, "big", kToken, 3);
  send(del);
  net.deliver();
  std::vector<bool> has_rtag;
  for (const Packet &p : net.sent_log) {
    if (coap_address_get_port(&p.from) == 5683) continue;
    Parsed parsed(p);
    has_rtag.push_back(parsed.pdu->has_option(COAP_OPTION_RTAG));
  }
  EXPECT_EQ(has_rtag, (std::vector<bool>{true, false}));  // GET yes, DELETE no
}

TEST_F(Blockwise, NoPreemptiveRequestTag) {
  start(kSingle | COAP_BLOCK_NO_PREEMPTIVE_RTAG, kSingle);
  world.bodies["big"] = pattern(10, 1);
  get("big");
  net.deliver();
  Parsed first(net.sent_log[0]);
  EXPECT_FALSE(first.pdu->has_option(COAP_OPTION_RTAG));
  // A large upload still gets one.
  put("upload", pattern(2000, 2));
  net.deliver();
  bool tagged = false;
  for (const Packet &p : net.sent_log) {
    Parsed parsed(p);
    if (parsed.pdu->code == COAP_REQUEST_CODE_PUT) {
      tagged = parsed.pdu->has_option(COAP_OPTION_RTAG);
    }
  }
  EXPECT_TRUE(tagged);
}

TEST_F(Blockwise, ServerMaxBlockSizeShrinksUploadAndDownload) {
  coap_context_set_max_block_size(server->ctx, 64);
  start(kSingle, kSingle);
  std::vector<uint8_t> body = pattern(3000, 10);
  put("upload", body);  // the client starts with 1024-byte blocks
  net.deliver();
  EXPECT_EQ(world.uploads["upload"], body);
  std::vector<coap_block_b_t> sent = blocks_sent(false, COAP_OPTION_BLOCK1);
  ASSERT_GE(sent.size(), 2u);
  EXPECT_EQ(sent[0].szx, 6u);
  EXPECT_EQ(sent[0].num, 0u);
  // Told to use 64-byte blocks, the client goes on after the 1024 bytes it
  // already sent: block 16 of 64 bytes.
  EXPECT_EQ(sent[1].szx, 2u);
  EXPECT_EQ(sent[1].num, 16u);
  EXPECT_EQ(sent.size(), 1u + (3000u - 1024u + 63u) / 64u);

  world.bodies["big"] = pattern(3000, 11);
  world.responses.clear();
  size_t log_start = net.sent_log.size();
  get("big");
  net.deliver();
  ASSERT_EQ(world.responses.size(), 1u);
  EXPECT_EQ(received(), world.bodies["big"]);
  for (size_t i = log_start; i < net.sent_log.size(); ++i) {
    if (coap_address_get_port(&net.sent_log[i].from) != 5683) continue;
    Parsed p(net.sent_log[i]);
    coap_block_b_t b;
    ASSERT_TRUE(p.block(COAP_OPTION_BLOCK2, &b));
    EXPECT_EQ(b.szx, 2u);
  }
}

TEST_F(Blockwise, ClientAsksSmallerBlocksMidTransfer) {
  start(kLib, kLib);
  world.bodies["big"] = pattern(4096, 12);
  get("big");  // block 0 comes as 1024 bytes
  // Deliver only the request and the first block, then ask on ourselves for
  // the rest in 256-byte blocks (RFC 7959 section 2.4).
  net.deliver([&](const Packet &p) {
    return coap_address_get_port(&p.to) == 5683 && net.sent_log.size() > 3;
  });
  ASSERT_GE(world.responses.size(), 1u);
  uint8_t token[] = {0x99};
  session->own_params()->nstart = 2;  // the lost follow-up request is still outstanding
  coap_pdu_t *pdu = request(COAP_REQUEST_CODE_GET, "big", token, 1);
  blockwise::set_block_option(pdu, COAP_OPTION_BLOCK2, 4, 0, 4);  // offset 1024
  // Same Request-Tag as the first request so the server finds the body.
  Parsed first(net.sent_log[0]);
  blockwise::set_uint_option(pdu, COAP_OPTION_RTAG, first.uint(COAP_OPTION_RTAG));
  send(pdu);
  net.deliver();
  const Delivered &d = world.responses.back();
  EXPECT_EQ(d.offset, 1024u);
  EXPECT_EQ(d.length, 256u);
  std::vector<uint8_t> want(world.bodies["big"].begin() + 1024, world.bodies["big"].begin() + 1280);
  std::vector<uint8_t> got(received(token, 1).begin() + 1024, received(token, 1).end());
  EXPECT_EQ(got, want);
  EXPECT_EQ(world.get_calls, 1);
}

TEST_F(Blockwise, LostBlocksAreRetransmitted) {
  start(kSingle, kSingle);
  world.bodies["big"] = pattern(6000, 13);
  std::vector<uint8_t> body = pattern(5000, 14);
  get("big");
  uint8_t t2[] = {0x42};
  put("upload", body, -1, t2, 1);
  // Every fourth datagram is lost (both directions); CON retransmission
  // brings the transfers through.
  int count = 0;
  auto drop = [&](const Packet &) { return ++count % 4 == 0; };
  for (int i = 0; i < 200 && world.responses.size() < 2; ++i) {
    net.deliver(drop);
    net.advance(1000);
  }
  ASSERT_EQ(world.responses.size(), 2u);
  EXPECT_EQ(received(), world.bodies["big"]);
  EXPECT_EQ(world.uploads["upload"], body);
  EXPECT_EQ(world.put_views.size(), 1u);
  EXPECT_EQ(world.get_calls, 1);
}

TEST_F(Blockwise, ConcurrentTransfersOnOneSession) {
  start(kSingle, kSingle);
  world.bodies["big"] = pattern(7000, 15);
  world.bodies["big2"] = pattern(9000, 16);
  uint8_t a[] = {0xa1}, b[] = {0xb2}, c[] = {0xc3}, d[] = {0xd4}, e[] = {0xe5};
  std::vector<uint8_t> up1 = pattern(4000, 17), up2 = pattern(6500, 18);
  get("big", -1, a, 1);
  get("big2", -1, b, 1);
  get("big", 3, c, 1);  // same resource, another transfer (own Request-Tag)
  put("upload", up1, -1, d, 1);
  put("upload2", up2, 5, e, 1);
  for (int i = 0; i < 20 && world.responses.size() < 5; ++i) {
    net.deliver();
    net.advance(100);
  }
  ASSERT_EQ(world.responses.size(), 5u);
  EXPECT_EQ(received(a, 1), world.bodies["big"]);
  EXPECT_EQ(received(b, 1), world.bodies["big2"]);
  EXPECT_EQ(received(c, 1), world.bodies["big"]);
  EXPECT_EQ(world.uploads["upload"], up1);
  EXPECT_EQ(world.uploads["upload2"], up2);
  EXPECT_EQ(world.get_calls, 3);
}

TEST_F(Blockwise, ConcurrentUploadsToOneResourceKeyedByRequestTag) {
  start(kLib, kSingle);
  std::vector<uint8_t> up1 = pattern(3000, 19), up2 = pattern(3000, 20);
  uint8_t a[] = {0x01}, b[] = {0x02};
  // NSTART 2 lets both uploads interleave block by block.
  session->own_params()->nstart = 2;
  put("upload", up1, 4, a, 1);
  put("upload", up2, 4, b, 1);
  net.deliver();
  ASSERT_EQ(world.put_views.size(), 2u);
  ASSERT_EQ(world.responses.size(), 2u);
  // Both complete bodies reached the handler (the last one stays stored).
  std::vector<uint8_t> last = world.uploads["upload"];
  EXPECT_TRUE(last == up1 || last == up2);
  EXPECT_EQ(world.put_views[0].length, 3000u);
  EXPECT_EQ(world.put_views[1].length, 3000u);
}

TEST_F(Blockwise, EtagChangeRestartsTheDownload) {
  start(kSingle, kLib | COAP_BLOCK_STLESS_BLOCK2);
  world.bodies["big"] = pattern(3000, 21);
  world.etag = 0x1234;
  world.change_after_first = true;  // block 1 comes from a new representation
  get("big");
  net.deliver();
  ASSERT_EQ(world.responses.size(), 1u);
  EXPECT_EQ(received(), world.bodies["big"]);  // the new body, complete
  EXPECT_EQ(world.responses[0].length, 3000u);
  EXPECT_TRUE(world.client_events.empty());  // no PARTIAL_BLOCK with SINGLE_BODY
}

TEST_F(Blockwise, EtagChangePerBlockReportsPartialBlock) {
  start(kLib, kLib | COAP_BLOCK_STLESS_BLOCK2);
  world.bodies["big"] = pattern(3000, 22);
  world.etag = 0x77;
  world.change_after_first = true;
  get("big");
  net.deliver();
  EXPECT_EQ(world.client_events, std::vector<coap_event_t>{COAP_EVENT_PARTIAL_BLOCK});
  EXPECT_EQ(received(), world.bodies["big"]);
}

TEST_F(Blockwise, StatelessBlock2ServerCallsHandlerPerBlock) {
  start(kSingle, kLib | COAP_BLOCK_STLESS_BLOCK2);
  world.bodies["big"] = pattern(3000, 23);
  get("big");
  net.deliver();
  EXPECT_EQ(received(), world.bodies["big"]);
  EXPECT_EQ(world.get_calls, 3);
  EXPECT_TRUE(server_state()->xmits.empty());
}

TEST_F(Blockwise, RandomAccessGetsOnlyThatBlock) {
  start(kSingle, kLib);
  world.bodies["big"] = pattern(3000, 24);
  get("big", -1);
  net.deliver();
  world.responses.clear();
  uint8_t token[] = {0x5a};
  coap_pdu_t *pdu = request(COAP_REQUEST_CODE_GET, "big", token, 1);
  blockwise::set_block_option(pdu, COAP_OPTION_BLOCK2, 2, 0, 6);
  size_t log_start = net.sent_log.size();
  send(pdu);
  net.deliver();
  ASSERT_EQ(world.responses.size(), 1u);
  EXPECT_EQ(world.responses[0].offset, 2048u);
  EXPECT_EQ(world.responses[0].length, 3000u - 2048u);
  EXPECT_EQ(net.sent_log.size() - log_start, 2u);  // no further requests
}

TEST_F(Blockwise, CodeSetAfterAddDataReachesLaterBlocks) {
  start(kLib, kLib);
  world.code_after_data = true;
  world.bodies["big"] = pattern(2100, 25);
  get("big");
  net.deliver();
  ASSERT_EQ(world.responses.size(), 3u);
  for (const Delivered &d : world.responses) EXPECT_EQ(d.code, COAP_RESPONSE_CODE_CONTENT);
}

TEST_F(Blockwise, NotRandomBlock1RejectsOutOfOrder) {
  start(kLib, kSingle | COAP_BLOCK_NOT_RANDOM_BLOCK1);
  // A hand-made block 1 without block 0.
  coap_pdu_t *pdu = request(COAP_REQUEST_CODE_PUT, "upload");
  blockwise::set_block_option(pdu, COAP_OPTION_BLOCK1, 1, 1, 2);
  std::vector<uint8_t> data = pattern(64, 26);
  coap_add_data(pdu, data.size(), data.data());
  send(pdu);
  net.deliver();
  ASSERT_EQ(world.responses.size(), 1u);
  EXPECT_EQ(world.responses[0].code, COAP_RESPONSE_CODE(408));
  EXPECT_TRUE(world.put_views.empty());
}

TEST_F(Blockwise, UndersizedBlockIsBadRequest) {
  start(kLib, kSingle);
  coap_pdu_t *pdu = request(COAP_REQUEST_CODE_PUT, "upload");
  blockwise::set_block_option(pdu, COAP_OPTION_BLOCK1, 0, 1, 2);  // 64 bytes, more to come
  coap_add_data(pdu, 10, pattern(10, 1).data());
  send(pdu);
  net.deliver();
  ASSERT_EQ(world.responses.size(), 1u);
  EXPECT_EQ(world.responses[0].code, COAP_RESPONSE_CODE(400));
}

TEST_F(Blockwise, ReleaseFuncRules) {
  start(kSingle, kSingle);
  // Fits into one PDU: released at once.
  coap_pdu_t *small = request(COAP_REQUEST_CODE_PUT, "upload");
  EXPECT_EQ(blockwise::add_data_large_request(session, small, 10, pattern(10, 1).data(),
                                              release_client, nullptr, net.now),
            1);
  EXPECT_EQ(world.client_released, 1);
  EXPECT_TRUE(small->has_payload());
  coap_pdu_t::destroy(small);
  // A PDU that already has data: failure, and still released.
  coap_pdu_t *full = request(COAP_REQUEST_CODE_PUT, "upload");
  coap_add_data(full, 3, reinterpret_cast<const uint8_t *>("abc"));
  EXPECT_EQ(blockwise::add_data_large_request(session, full, 10, pattern(10, 1).data(),
                                              release_client, nullptr, net.now),
            0);
  EXPECT_EQ(world.client_released, 2);
  coap_pdu_t::destroy(full);
  // Large: released once the last block is acknowledged.
  std::vector<uint8_t> body = pattern(5000, 27);
  put("upload", body);
  EXPECT_EQ(world.client_released, 2);
  net.deliver();
  EXPECT_EQ(world.client_released, 3);
}

TEST_F(Blockwise, WithoutUseLibcoapDataIsAddedAsIs) {
  start(0, 0);
  coap_pdu_t *pdu = request(COAP_REQUEST_CODE_PUT, "upload");
  std::vector<uint8_t> body = pattern(500, 28);
  EXPECT_EQ(blockwise::add_data_large_request(session, pdu, body.size(), body.data(),
                                              release_client, nullptr, net.now),
            1);
  EXPECT_EQ(pdu->payload_length(), 500u);
  EXPECT_FALSE(pdu->has_option(COAP_OPTION_BLOCK1));
  EXPECT_EQ(world.client_released, 1);
  coap_pdu_t::destroy(pdu);
}

TEST_F(Blockwise, StalledDownloadIsCleanedUp) {
  start(kSingle, kLib);
  world.bodies["big"] = pattern(5000, 29);
  get("big");
  // The server answers the first request; after that nothing gets through.
  net.deliver([&](const Packet &) { return net.sent_log.size() > 2; });
  EXPECT_EQ(client_state()->crcvs.size(), 1u);
  EXPECT_EQ(server_state()->xmits.size(), 1u);
  net.advance(200 * 1000);
  // The follow-up request was never acknowledged: the application hears of
  // it with its own token; both sides dropped the transfer, the server
  // reporting the body it could not finish sending.
  ASSERT_EQ(world.nacks.size(), 1u);
  EXPECT_EQ(world.nacks[0], COAP_NACK_TOO_MANY_RETRIES);
  EXPECT_EQ(world.nack_tokens[0], std::vector<uint8_t>(kToken, kToken + 3));
  EXPECT_TRUE(client_state()->crcvs.empty());
  EXPECT_TRUE(server_state()->xmits.empty());
  EXPECT_EQ(world.server_events, std::vector<coap_event_t>{COAP_EVENT_XMIT_BLOCK_FAIL});
  EXPECT_EQ(world.server_released, 1);
  EXPECT_TRUE(world.responses.empty());
}

TEST_F(Blockwise, StalledUploadIsCleanedUp) {
  start(kSingle, kSingle);
  std::vector<uint8_t> body = pattern(5000, 30);
  put("upload", body);
  // Block 0 and its 2.31 get through; nothing after that.
  net.deliver([&](const Packet &) { return net.sent_log.size() > 2; });
  EXPECT_EQ(server_state()->srcvs.size(), 1u);
  net.advance(200 * 1000);
  std::vector<coap_event_t> events;
  for (coap_event_t e : world.client_events) {
    if (e != COAP_EVENT_MSG_RETRANSMITTED) events.push_back(e);
  }
  EXPECT_EQ(events, std::vector<coap_event_t>{COAP_EVENT_XMIT_BLOCK_FAIL});
  ASSERT_EQ(world.nacks.size(), 1u);
  EXPECT_EQ(world.nack_tokens[0], std::vector<uint8_t>(kToken, kToken + 3));
  EXPECT_EQ(world.client_released, 1);
  EXPECT_TRUE(client_state()->xmits.empty());
  EXPECT_TRUE(server_state()->srcvs.empty());  // silently dropped
  EXPECT_TRUE(world.put_views.empty());
}

TEST_F(Blockwise, MissingInterimBlockGets408) {
  start(kLib, kSingle);
  // Blocks 0 and 2 (the last) arrive, block 1 never does.
  std::vector<uint8_t> data = pattern(64 * 2 + 10, 31);
  for (uint32_t num : {0u, 2u}) {
    coap_pdu_t *pdu = request(COAP_REQUEST_CODE_PUT, "upload");
    blockwise::set_uint_option(pdu, COAP_OPTION_RTAG, 7);
    blockwise::set_block_option(pdu, COAP_OPTION_BLOCK1, num, num == 0, 2);
    size_t n = num == 0 ? 64 : 10;
    coap_add_data(pdu, n, data.data() + num * 64);
    send(pdu);
    net.deliver();
  }
  net.advance(11 * 1000);
  net.deliver();
  ASSERT_GE(world.responses.size(), 2u);
  EXPECT_EQ(world.responses.back().code, COAP_RESPONSE_CODE(408));
  EXPECT_TRUE(server_state()->srcvs.empty());
  EXPECT_TRUE(world.put_views.empty());
}

TEST_F(Blockwise, NonRequestsUseNonForFollowUps) {
  start(kSingle, kLib);
  world.bodies["big"] = pattern(3000, 32);
  coap_pdu_t *pdu = request(COAP_REQUEST_CODE_GET, "big", kToken, 3, COAP_MESSAGE_NON);
  send(pdu);
  net.deliver();
  ASSERT_EQ(world.responses.size(), 1u);
  EXPECT_EQ(received(), world.bodies["big"]);
  for (const Packet &p : net.sent_log) {
    Parsed parsed(p);
    EXPECT_EQ(parsed.pdu->type, COAP_MESSAGE_NON);
  }
}

TEST_F(Blockwise, ReceivedBlocksTracksGapsAndLimits) {
  blockwise::ReceivedBlocks r;
  EXPECT_TRUE(r.is_next(0));
  EXPECT_TRUE(r.add(0, 0, false));
  EXPECT_TRUE(r.add(2, 2, false));
  EXPECT_TRUE(r.add(4, 4, false));
  EXPECT_FALSE(r.add(6, 6, false));  // a fourth range: too many losses
  EXPECT_TRUE(r.add(1, 1, false));   // fills a gap
  EXPECT_TRUE(r.has(2));
  EXPECT_FALSE(r.has(3));
  EXPECT_TRUE(r.add(3, 3, false));
  EXPECT_FALSE(r.complete());
  EXPECT_TRUE(r.add(5, 7, true));
  EXPECT_TRUE(r.complete());
  EXPECT_FALSE(r.add(8, 8, false));  // beyond the end
}

}  // namespace
}  // namespace coap::test
