// CoAP over TCP (RFC 8323) through the in-memory network with a fake
// clock: connection set-up and the CSM exchange, requests and responses,
// signaling (Ping/Pong, Release, Abort, bad CSM), keepalive, hostile
// peers, large messages and BERT negotiation. Raw ends of connections
// are driven byte by byte by the tests to play a peer.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "core/blockwise.h"
#include "core/reliable.h"
#include "core/session_facts.h"
#include "core/stream.h"
#include "support/fake_network.h"
#include "wire/pdu.h"
#include "wire/tcp_frame.h"

namespace coap::test {
namespace {

using Bytes = std::vector<uint8_t>;

struct Event {
  char side;  // 'c' client session, 's' server session
  coap_event_t event;
  coap_session_state_t state;  // the session's state during the event
  bool operator==(const Event &o) const {
    return side == o.side && event == o.event && state == o.state;
  }
};

struct Seen {
  std::vector<Event> events;
  std::vector<std::string> responses;  // "code payload"
  std::vector<bool> response_had_sent;
  std::vector<coap_nack_reason_t> nacks;
  int requests = 0;
  int pings = 0;
  int empties = 0;
  int pongs = 0;
  std::vector<std::string> logs;
  std::string big;  // payload of the large resource
};
Seen *g_seen;

char side_of(const coap_session_t *s) {
  return coap_session_get_type(s) == COAP_SESSION_TYPE_CLIENT ? 'c' : 's';
}

int on_event(coap_session_t *s, const coap_event_t event) {
  g_seen->events.push_back({side_of(s), event, coap_session_get_state(s)});
  return 0;
}

coap_response_t on_response(coap_session_t *, const coap_pdu_t *sent, const coap_pdu_t *received,
                            const coap_mid_t) {
  size_t len = 0;
  const uint8_t *data = nullptr;
  coap_get_data(received, &len, &data);
  char code[16];
  snprintf(code, sizeof(code), "%d.%02d", coap_pdu_get_code(received) >> 5,
           coap_pdu_get_code(received) & 31);
  g_seen->responses.push_back(std::string(code) + " " +
                              std::string(reinterpret_cast<const char *>(data), len));
  g_seen->response_had_sent.push_back(sent != nullptr);
  return COAP_RESPONSE_OK;
}

void on_nack(coap_session_t *, const coap_pdu_t *sent, const coap_nack_reason_t reason,
             const coap_mid_t mid) {
  EXPECT_EQ(sent, nullptr);
  EXPECT_EQ(mid, 0);
  g_seen->nacks.push_back(reason);
}

void on_ping(coap_session_t *, const coap_pdu_t *pdu, const coap_mid_t mid) {
  EXPECT_EQ(mid, 0);
  // A Ping, or an Empty message (reported as libcoap 4.3.5 does).
  if (coap_pdu_get_code(pdu) == COAP_SIGNALING_CODE_PING) {
    ++g_seen->pings;
  } else {
    EXPECT_EQ(coap_pdu_get_code(pdu), COAP_EMPTY_CODE);
    ++g_seen->empties;
  }
}

void on_pong(coap_session_t *, const coap_pdu_t *pdu, const coap_mid_t mid) {
  EXPECT_EQ(coap_pdu_get_code(pdu), COAP_SIGNALING_CODE_PONG);
  EXPECT_EQ(mid, 0);
  ++g_seen->pongs;
}

void on_log(coap_log_t, const char *message) {
  g_seen->logs.push_back(message);
}

void hello_get(coap_resource_t *, coap_session_t *, const coap_pdu_t *request,
               const coap_string_t *, coap_pdu_t *response) {
  ++g_seen->requests;
  // Reliable transports have no types: the skeleton is CON, without mid.
  EXPECT_EQ(coap_pdu_get_type(request), COAP_MESSAGE_CON);
  EXPECT_EQ(coap_pdu_get_type(response), COAP_MESSAGE_CON);
  EXPECT_EQ(coap_pdu_get_mid(request), 0);
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
  coap_add_data(response, 5, reinterpret_cast<const uint8_t *>("hello"));
}

void big_get(coap_resource_t *, coap_session_t *, const coap_pdu_t *, const coap_string_t *,
             coap_pdu_t *response) {
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
  coap_add_data(response, g_seen->big.size(),
                reinterpret_cast<const uint8_t *>(g_seen->big.data()));
}

std::vector<uint8_t> g_large;  // the body of /large

void large_get(coap_resource_t *resource, coap_session_t *session, const coap_pdu_t *request,
               const coap_string_t *query, coap_pdu_t *response) {
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
  coap_add_data_large_response(resource, session, request, response, query,
                               COAP_MEDIATYPE_TEXT_PLAIN, -1, 0, g_large.size(), g_large.data(),
                               nullptr, nullptr);
}

void store_put(coap_resource_t *, coap_session_t *, const coap_pdu_t *request,
               const coap_string_t *, coap_pdu_t *response) {
  size_t len = 0, offset = 0, total = 0;
  const uint8_t *data = nullptr;
  coap_get_data_large(request, &len, &data, &offset, &total);
  g_seen->big.assign(reinterpret_cast<const char *>(data), len);
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CHANGED);
}

// --- raw peers ---------------------------------------------------------------

struct Msg {
  uint8_t code = 0;
  Bytes token;
  std::vector<std::pair<uint16_t, Bytes>> options;
  Bytes payload;
};

Bytes encode(const Msg &m) {
  coap_pdu_t *pdu =
      coap_pdu_t::create(COAP_MESSAGE_CON, static_cast<coap_pdu_code_t>(m.code), 0, 0);
  EXPECT_TRUE(pdu->add_token(m.token.data(), m.token.size()));
  for (const auto &o : m.options) pdu->add_option(o.first, o.second.data(), o.second.size());
  if (!m.payload.empty())
    std::memcpy(pdu->add_payload(m.payload.size()), m.payload.data(), m.payload.size());
  pdu->write_header(COAP_PROTO_TCP);
  Bytes out(pdu->wire_begin(), pdu->wire_begin() + pdu->wire_size());
  coap_pdu_t::destroy(pdu);
  return out;
}

Bytes csm(uint32_t max_message = 0, bool block = false) {
  Msg m;
  m.code = COAP_SIGNALING_CODE_CSM;
  if (max_message) {
    uint8_t buf[4];
    unsigned n = coap_encode_var_safe(buf, 4, max_message);
    m.options.push_back({COAP_SIGNALING_OPTION_MAX_MESSAGE_SIZE, Bytes(buf, buf + n)});
  }
  if (block) m.options.push_back({COAP_SIGNALING_OPTION_BLOCK_WISE_TRANSFER, {}});
  return encode(m);
}

Bytes get(const char *path, Bytes token = {0x77}) {
  Msg m;
  m.code = COAP_REQUEST_CODE_GET;
  m.token = std::move(token);
  m.options.push_back({COAP_OPTION_URI_PATH, Bytes(path, path + std::strlen(path))});
  return encode(m);
}

// Splits what a raw end received into messages.
std::vector<Msg> parse_all(const Bytes &in) {
  std::vector<Msg> out;
  size_t pos = 0;
  while (pos < in.size()) {
    wire::TcpFrameScan scan = wire::scan_tcp_frame(in.data() + pos, in.size() - pos);
    if (scan.status != wire::TcpFrameScan::kComplete || pos + scan.total > in.size()) {
      ADD_FAILURE() << "incomplete message in the stream at " << pos;
      break;
    }
    coap_pdu_t *pdu = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, 0);
    EXPECT_TRUE(pdu->parse(COAP_PROTO_TCP, in.data() + pos, scan.total));
    Msg m;
    m.code = static_cast<uint8_t>(pdu->code);
    m.token.assign(pdu->token(), pdu->token() + pdu->token_length());
    coap_opt_iterator_t it;
    coap_option_iterator_init(pdu, &it, COAP_OPT_ALL);
    while (coap_opt_t *o = coap_option_next(&it)) {
      m.options.push_back(
          {it.number, Bytes(coap_opt_value(o), coap_opt_value(o) + coap_opt_length(o))});
    }
    if (pdu->payload()) m.payload.assign(pdu->payload(), pdu->payload() + pdu->payload_length());
    coap_pdu_t::destroy(pdu);
    out.push_back(m);
    pos += scan.total;
  }
  return out;
}

Bytes hex(std::initializer_list<int> v) {
  Bytes b;
  for (int x : v) b.push_back(static_cast<uint8_t>(x));
  return b;
}

class Tcp : public ::testing::Test {
 protected:
  void SetUp() override {
    g_seen = &seen;
    server = new FakeHost(&net, "10.0.0.1");
    client = new FakeHost(&net, "10.0.0.2");
    listen = ipv4("10.0.0.1", 5683);
    ASSERT_NE(coap_endpoint_t::create(server->ctx, listen, COAP_PROTO_TCP), nullptr);
    coap_resource_t *r = coap_resource_init(coap_make_str_const("hello"), 0);
    coap_register_request_handler(r, COAP_REQUEST_GET, hello_get);
    coap_add_resource(server->ctx, r);
    coap_resource_t *b = coap_resource_init(coap_make_str_const("big"), 0);
    coap_register_request_handler(b, COAP_REQUEST_GET, big_get);
    coap_add_resource(server->ctx, b);
    coap_resource_t *l = coap_resource_init(coap_make_str_const("large"), 0);
    coap_register_request_handler(l, COAP_REQUEST_GET, large_get);
    coap_add_resource(server->ctx, l);
    coap_resource_t *st = coap_resource_init(coap_make_str_const("store"), 0);
    coap_register_request_handler(st, COAP_REQUEST_PUT, store_put);
    coap_add_resource(server->ctx, st);
    g_large.resize(100000);
    for (size_t i = 0; i < g_large.size(); ++i) g_large[i] = static_cast<uint8_t>(i * 13 + i / 251);
    for (FakeHost *h : {server, client}) {
      coap_register_event_handler(h->ctx, on_event);
      coap_register_response_handler(h->ctx, on_response);
      coap_register_nack_handler(h->ctx, on_nack);
      coap_register_ping_handler(h->ctx, on_ping);
      coap_register_pong_handler(h->ctx, on_pong);
    }
  }
  void TearDown() override {
    if (session) release_session(session);
    delete client;
    delete server;
    coap_set_log_handler(nullptr);
  }

  coap_session_t *connect(const coap_address_t &to) {
    session = new_client_session(client->ctx, nullptr, to, COAP_PROTO_TCP, net.now);
    return session;
  }

  // Sends a GET through the public API (token from the session).
  coap_mid_t send_get(const char *path, const uint8_t *token = nullptr, size_t token_len = 1) {
    coap_pdu_t *pdu = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 0, 100000);
    uint8_t t = 0x42;
    pdu->add_token(token ? token : &t, token_len);
    pdu->add_option(COAP_OPTION_URI_PATH, reinterpret_cast<const uint8_t *>(path), strlen(path));
    return send_pdu(session, pdu, net.now);
  }

  // A raw server at 10.0.0.3:5683 and the client connected to it.
  Conn *raw_server_conn() {
    coap_address_t raw = ipv4("10.0.0.3", 5683);
    net.raw_listeners.push_back(raw);
    EXPECT_NE(connect(raw), nullptr);
    net.deliver();
    return net.conn_of(session);
  }

  coap_session_t *server_session() {
    coap_session_t *found = nullptr;
    server->ctx->endpoints.for_each(
        [&](coap_endpoint_t *ep) { ep->sessions.for_each([&](coap_session_t *s) { found = s; }); });
    return found;
  }

  size_t server_sessions() {
    size_t n = 0;
    server->ctx->endpoints.for_each(
        [&](coap_endpoint_t *ep) { ep->sessions.for_each([&](coap_session_t *) { ++n; }); });
    return n;
  }

  Seen seen;
  FakeNetwork net;
  FakeHost *server = nullptr;
  FakeHost *client = nullptr;
  coap_address_t listen;
  coap_session_t *session = nullptr;
};

// --- connection set-up ---------------------------------------------------------

TEST_F(Tcp, CsmExchangeEstablishesBothSides) {
  ASSERT_NE(connect(listen), nullptr);
  EXPECT_EQ(session->state, COAP_SESSION_STATE_CONNECTING);
  EXPECT_EQ(coap_new_message_id(session), 0);  // no message ids
  // Before the peer's CSM: the base Max-Message-Size 1152, less the header.
  EXPECT_EQ(session->max_pdu_size(), 1148u);
  net.deliver();
  EXPECT_EQ(session->state, COAP_SESSION_STATE_ESTABLISHED);
  coap_session_t *srv = server_session();
  ASSERT_NE(srv, nullptr);
  EXPECT_EQ(srv->state, COAP_SESSION_STATE_ESTABLISHED);
  // The peer's 8 MiB + 256: a 6-byte header.
  EXPECT_EQ(session->max_pdu_size(), 8388864u - 6);
  // libcoap's events and the states they are reported in.
  std::vector<Event> expected = {
      {'c', COAP_EVENT_TCP_CONNECTED, COAP_SESSION_STATE_CONNECTING},
      {'s', COAP_EVENT_TCP_CONNECTED, COAP_SESSION_STATE_NONE},
      {'s', COAP_EVENT_SERVER_SESSION_NEW, COAP_SESSION_STATE_NONE},
      {'s', COAP_EVENT_SESSION_CONNECTED, COAP_SESSION_STATE_CSM},
      {'c', COAP_EVENT_SESSION_CONNECTED, COAP_SESSION_STATE_CSM},
  };
  EXPECT_EQ(seen.events, expected);
  EXPECT_TRUE(reliable::uses_bert(session));
  EXPECT_TRUE(session_uses_bert(srv));
}

TEST_F(Tcp, OurCsmAnnouncesSizeBlockAndTokenLength) {
  Conn *c = raw_server_conn();
  ASSERT_NE(c, nullptr);
  // libcoap 4.3.5's bytes: Max-Message-Size 8388864, Block-Wise-Transfer.
  EXPECT_EQ(c->raw_in, hex({0x50, 0xe1, 0x23, 0x80, 0x01, 0x00, 0x20}));
  EXPECT_EQ(session->state, COAP_SESSION_STATE_CSM);
  release_session(session);
  session = nullptr;
  // With coap_context_set_max_token_size(): Extended-Token-Length too.
  coap_context_set_max_token_size(client->ctx, 100);
  coap_context_set_csm_max_message_size(client->ctx, 2000);
  Conn *c2 = raw_server_conn();
  EXPECT_EQ(c2->raw_in, hex({0x60, 0xe1, 0x22, 0x07, 0xd0, 0x20, 0x21, 0x64}));
}

TEST_F(Tcp, PeerLimitsApplyAfterItsCsm) {
  Conn *c = raw_server_conn();
  c->inject(csm(200));
  net.deliver();
  EXPECT_EQ(session->state, COAP_SESSION_STATE_ESTABLISHED);
  EXPECT_EQ(session->max_pdu_size(), 197u);  // 200 less a 3-byte header
  EXPECT_FALSE(reliable::uses_bert(session));
  // More than the peer accepts is not sent.
  c->raw_in.clear();
  coap_pdu_t *pdu = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_REQUEST_CODE_PUT, 0, 0);
  pdu->add_payload(300);
  EXPECT_EQ(send_pdu(session, pdu, net.now), COAP_INVALID_MID);
  net.deliver();
  EXPECT_TRUE(c->raw_in.empty());
  // A later CSM with BERT-sized room and Block-Wise-Transfer enables BERT.
  c->inject(csm(5000, true));
  net.deliver();
  EXPECT_EQ(session->max_pdu_size(), 4996u);
  EXPECT_TRUE(reliable::uses_bert(session));
  // coap_get_block_b() then accepts SZX 7 on this session.
  coap_pdu_t *b = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 0, 4000);
  uint8_t v = 0x1f;  // NUM 1, M, SZX 7
  b->add_option(COAP_OPTION_BLOCK2, &v, 1);
  b->add_payload(2048);
  coap_block_b_t block;
  EXPECT_EQ(coap_get_block_b(session, b, COAP_OPTION_BLOCK2, &block), 1);
  EXPECT_EQ(block.bert, 1u);
  EXPECT_EQ(coap_get_block_b(nullptr, b, COAP_OPTION_BLOCK2, &block), 0);
  coap_pdu_t::destroy(b);
}

TEST_F(Tcp, NoBertWhenOurMaxMessageSizeIsSmall) {
  coap_context_set_csm_max_message_size(client->ctx, 1000);
  ASSERT_NE(connect(listen), nullptr);
  net.deliver();
  EXPECT_FALSE(reliable::uses_bert(session));
  EXPECT_FALSE(reliable::uses_bert(server_session()));
  EXPECT_EQ(server_session()->max_pdu_size(), 996u);
}

TEST_F(Tcp, ConnectRefused) {
  ASSERT_NE(connect(ipv4("10.0.0.1", 9999)), nullptr);
  net.deliver();
  EXPECT_EQ(session->state, COAP_SESSION_STATE_NONE);
  std::vector<Event> expected = {{'c', COAP_EVENT_TCP_FAILED, COAP_SESSION_STATE_CONNECTING},
                                 {'c', COAP_EVENT_SESSION_FAILED, COAP_SESSION_STATE_NONE}};
  EXPECT_EQ(seen.events, expected);
  EXPECT_EQ(seen.nacks, std::vector<coap_nack_reason_t>{COAP_NACK_NOT_DELIVERABLE});
  EXPECT_EQ(send_get("hello"), COAP_INVALID_MID);
}

TEST_F(Tcp, ClientCsmTimeoutAssumesBaseValues) {
  coap_context_set_csm_timeout_ms(client->ctx, 300);
  Conn *c = raw_server_conn();
  send_get("hello");  // held: not before the CSM exchange
  net.deliver();
  EXPECT_EQ(parse_all(c->raw_in).size(), 1u);
  net.advance(299);
  EXPECT_EQ(session->state, COAP_SESSION_STATE_CSM);
  net.advance(1);
  net.deliver();
  EXPECT_EQ(session->state, COAP_SESSION_STATE_ESTABLISHED);
  std::vector<Msg> got = parse_all(c->raw_in);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].code, COAP_REQUEST_CODE_GET);
  EXPECT_EQ(session->max_pdu_size(), 1148u);
  // A CSM arriving late still counts (with a warning).
  coap_set_log_handler(on_log);
  c->inject(csm(3000));
  net.deliver();
  EXPECT_EQ(session->max_pdu_size(), 2996u);
  ASSERT_FALSE(seen.logs.empty());
  EXPECT_NE(seen.logs.back().find("after the CSM timeout"), std::string::npos);
}

// --- requests and responses ---------------------------------------------------

TEST_F(Tcp, GetBeforeEstablishedIsHeldThenAnswered) {
  ASSERT_NE(connect(listen), nullptr);
  uint8_t token[] = {0x42};
  EXPECT_EQ(send_get("hello", token), 0);  // sent (held), message id 0
  net.deliver();
  EXPECT_EQ(seen.requests, 1);
  EXPECT_EQ(seen.responses, std::vector<std::string>{"2.05 hello"});
  // Matched by token; no "sent" PDU is kept for reliable transports.
  EXPECT_EQ(seen.response_had_sent, std::vector<bool>{false});
  EXPECT_TRUE(session->pending.empty());
  EXPECT_TRUE(net.in_flight.empty() && net.sent_log.empty());  // no datagrams at all
}

TEST_F(Tcp, WholeExchangeByteByByte) {
  net.stream_chunk = 1;
  ASSERT_NE(connect(listen), nullptr);
  send_get("hello");
  send_get("missing");
  net.deliver();
  EXPECT_EQ(seen.responses, (std::vector<std::string>{"2.05 hello", "4.04 Not Found"}));
}

TEST_F(Tcp, LargeMessagesThroughShortWrites) {
  // 1 MiB in one message (the default Max-Message-Size is 8 MiB): the
  // socket takes 1000 bytes per round, the rest waits in the core.
  seen.big.assign(1 << 20, 'x');
  for (size_t i = 0; i < seen.big.size(); ++i) seen.big[i] = static_cast<char>('a' + i % 23);
  net.write_window = 1000;
  net.stream_chunk = 777;
  ASSERT_NE(connect(listen), nullptr);
  send_get("big");
  net.deliver();
  ASSERT_EQ(seen.responses.size(), 1u);
  EXPECT_EQ(seen.responses[0], "2.05 " + seen.big);
  EXPECT_EQ(stream::queued(session), 0u);
}

TEST_F(Tcp, EmptyMessagesAndUnknownSignalingAreIgnored) {
  Conn *c = raw_server_conn();
  c->inject(csm());
  c->inject(hex({0x00, 0x00}));  // 0.00
  c->inject(hex({0x00, 0xe0}));  // 7.00
  c->inject(hex({0x00, 0xe6}));  // 7.06
  net.deliver();
  EXPECT_EQ(session->state, COAP_SESSION_STATE_ESTABLISHED);
  EXPECT_EQ(seen.empties, 1);
  EXPECT_EQ(seen.pings, 0);
  uint8_t token[] = {0x42};
  send_get("x", token);
  Msg r;
  r.code = COAP_RESPONSE_CODE_CONTENT;
  r.token = {0x42};
  r.payload = {'o', 'k'};
  c->inject(encode(r));
  net.deliver();
  EXPECT_EQ(seen.responses, std::vector<std::string>{"2.05 ok"});
}

TEST_F(Tcp, ResponsesToRequestsBeforeThePeersCsmWait) {
  // A raw client sends its GET before its CSM (libcoap answers only once
  // the CSM came): the response is held until then.
  Conn *c = net.raw_connect(ipv4("10.0.0.9", 4000), listen);
  c->inject(get("hello"));
  net.deliver();
  EXPECT_EQ(seen.requests, 1);
  std::vector<Msg> got = parse_all(c->raw_in);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].code, COAP_SIGNALING_CODE_CSM);
  c->inject(csm());
  net.deliver();
  got = parse_all(c->raw_in);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].code, COAP_RESPONSE_CODE_CONTENT);
  EXPECT_EQ(got[1].token, Bytes{0x77});
}

TEST_F(Tcp, LongTokensOnlyWhenThePeerOffersThem) {
  // Both sides offer tokens of up to 20 bytes (the response carries it too).
  coap_context_set_max_token_size(server->ctx, 20);
  coap_context_set_max_token_size(client->ctx, 20);
  ASSERT_NE(connect(listen), nullptr);
  uint8_t token[12];
  std::memset(token, 0xab, sizeof(token));
  send_get("hello", token, sizeof(token));
  net.deliver();
  EXPECT_EQ(seen.responses, std::vector<std::string>{"2.05 hello"});
  // A peer without Extended-Token-Length: dropped with a warning.
  release_session(session);
  session = nullptr;
  Conn *c = raw_server_conn();
  c->inject(csm());
  net.deliver();
  coap_set_log_handler(on_log);
  EXPECT_EQ(send_get("hello", token, sizeof(token)), COAP_INVALID_MID);
  ASSERT_FALSE(seen.logs.empty());
  EXPECT_NE(seen.logs.back().find("token of 12 bytes"), std::string::npos);
}

// --- signaling -------------------------------------------------------------------

TEST_F(Tcp, PingIsAnsweredWithPong) {
  ASSERT_NE(connect(listen), nullptr);
  EXPECT_EQ(coap_session_send_ping(session), COAP_INVALID_MID);  // not established yet
  net.deliver();
  EXPECT_EQ(coap_session_send_ping(session), 0);
  net.deliver();
  EXPECT_EQ(seen.pings, 1);
  EXPECT_EQ(seen.pongs, 1);
  // The Pong echoes the Ping's token (section 5.4) and carries Custody.
  Conn *c = net.raw_connect(ipv4("10.0.0.9", 4000), listen);
  c->inject(csm());
  c->inject(encode(Msg{COAP_SIGNALING_CODE_PING, {0xbb, 0xcc}, {}, {}}));
  net.deliver();
  std::vector<Msg> got = parse_all(c->raw_in);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].code, COAP_SIGNALING_CODE_PONG);
  EXPECT_EQ(got[1].token, hex({0xbb, 0xcc}));
  ASSERT_EQ(got[1].options.size(), 1u);
  EXPECT_EQ(got[1].options[0].first, COAP_SIGNALING_OPTION_CUSTODY);
}

TEST_F(Tcp, ReleaseFromThePeerEndsTheSession) {
  Conn *c = raw_server_conn();
  c->inject(csm());
  net.deliver();
  seen.events.clear();
  c->inject(
      encode(Msg{COAP_SIGNALING_CODE_RELEASE, {}, {{COAP_SIGNALING_OPTION_HOLD_OFF, {5}}}, {}}));
  net.deliver();
  EXPECT_EQ(session->state, COAP_SESSION_STATE_NONE);
  EXPECT_EQ(seen.nacks, std::vector<coap_nack_reason_t>{COAP_NACK_RST});
  std::vector<Event> expected = {{'c', COAP_EVENT_TCP_CLOSED, COAP_SESSION_STATE_NONE},
                                 {'c', COAP_EVENT_SESSION_CLOSED, COAP_SESSION_STATE_NONE}};
  EXPECT_EQ(seen.events, expected);
  EXPECT_TRUE(c->client_closed);
  EXPECT_EQ(send_get("hello"), COAP_INVALID_MID);
}

TEST_F(Tcp, AbortFromThePeerEndsTheServerSession) {
  Conn *c = net.raw_connect(ipv4("10.0.0.9", 4000), listen);
  c->inject(csm());
  net.deliver();
  EXPECT_EQ(server_sessions(), 1u);
  seen.events.clear();
  c->inject(encode(Msg{COAP_SIGNALING_CODE_ABORT, {}, {}, {'b', 'y', 'e'}}));
  net.deliver();
  EXPECT_EQ(server_sessions(), 0u);  // removed
  std::vector<Event> expected = {{'s', COAP_EVENT_TCP_CLOSED, COAP_SESSION_STATE_NONE},
                                 {'s', COAP_EVENT_SESSION_CLOSED, COAP_SESSION_STATE_NONE},
                                 {'s', COAP_EVENT_SERVER_SESSION_DEL, COAP_SESSION_STATE_NONE}};
  EXPECT_EQ(seen.events, expected);
  EXPECT_TRUE(c->server_closed);
}

TEST_F(Tcp, InvalidCsmIsAbortedNamingTheOption) {
  Conn *c = raw_server_conn();
  // Option 9 is critical and unknown in a CSM.
  c->inject(hex({0x40, 0xe1, 0x22, 0x00, 0xc8, 0x70}));
  net.deliver();
  std::vector<Msg> got = parse_all(c->raw_in);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].code, COAP_SIGNALING_CODE_ABORT);
  ASSERT_EQ(got[1].options.size(), 1u);
  EXPECT_EQ(got[1].options[0].first, COAP_SIGNALING_OPTION_BAD_CSM_OPTION);
  EXPECT_EQ(got[1].options[0].second, Bytes{9});
  EXPECT_TRUE(c->client_closed);
  EXPECT_EQ(session->state, COAP_SESSION_STATE_NONE);
  // A bad value of a known option: its number.
  release_session(session);
  session = nullptr;
  Conn *c2 = raw_server_conn();
  c2->inject(hex({0x60, 0xe1, 0x25, 0x01, 0x02, 0x03, 0x04, 0x05}));  // 5-byte Max-Message-Size
  net.deliver();
  got = parse_all(c2->raw_in);
  ASSERT_EQ(got.size(), 2u);
  ASSERT_EQ(got[1].options.size(), 1u);
  EXPECT_EQ(got[1].options[0].second, Bytes{2});
  // Any other malformed message: a plain Abort.
  release_session(session);
  session = nullptr;
  Conn *c3 = raw_server_conn();
  c3->inject(csm());
  c3->inject(hex({0x10, 0x45, 0xff}));  // payload marker without payload
  net.deliver();
  got = parse_all(c3->raw_in);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].code, COAP_SIGNALING_CODE_ABORT);
  EXPECT_TRUE(got[1].options.empty());
  EXPECT_EQ(std::string(got[1].payload.begin(), got[1].payload.end()), "malformed message");
}

// --- hostile peers ---------------------------------------------------------------

TEST_F(Tcp, SilentPeerIsDroppedAfterTheCsmTimeout) {
  coap_context_set_csm_timeout_ms(server->ctx, 500);
  coap_set_log_handler(on_log);
  coap_set_log_level(COAP_LOG_INFO);
  Conn *c = net.raw_connect(ipv4("10.0.0.9", 4000), listen);
  net.deliver();
  EXPECT_EQ(server_sessions(), 1u);
  net.advance(499);
  EXPECT_EQ(server_sessions(), 1u);
  net.advance(1);
  net.deliver();
  coap_set_log_level(COAP_LOG_WARN);
  EXPECT_EQ(server_sessions(), 0u);
  EXPECT_TRUE(c->server_closed);
  std::vector<Event> expected = {{'s', COAP_EVENT_TCP_CONNECTED, COAP_SESSION_STATE_NONE},
                                 {'s', COAP_EVENT_SERVER_SESSION_NEW, COAP_SESSION_STATE_NONE},
                                 {'s', COAP_EVENT_TCP_CLOSED, COAP_SESSION_STATE_NONE},
                                 {'s', COAP_EVENT_SESSION_FAILED, COAP_SESSION_STATE_NONE},
                                 {'s', COAP_EVENT_SERVER_SESSION_DEL, COAP_SESSION_STATE_NONE}};
  EXPECT_EQ(seen.events, expected);
  bool logged = false;
  for (const std::string &l : seen.logs)
    logged |= l.find("no CSM from the peer") != std::string::npos;
  EXPECT_TRUE(logged);
}

TEST_F(Tcp, GarbageIsAbortedAndDropped) {
  coap_set_log_handler(on_log);
  Conn *c = net.raw_connect(ipv4("10.0.0.9", 4000), listen);
  c->inject(Bytes{'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n',
                  '\r', '\n'});
  net.deliver();
  EXPECT_EQ(server_sessions(), 0u);
  EXPECT_TRUE(c->server_closed);
  std::vector<Msg> got = parse_all(c->raw_in);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].code, COAP_SIGNALING_CODE_ABORT);
  ASSERT_FALSE(seen.logs.empty());
  EXPECT_NE(seen.logs.back().find("aborting the connection"), std::string::npos);
  // Random bytes announcing a huge message: refused from the header.
  Conn *c2 = net.raw_connect(ipv4("10.0.0.9", 4001), listen);
  c2->inject(hex({0xf0, 0xff, 0xff, 0xff, 0xff, 0x01}));
  net.deliver();
  EXPECT_TRUE(c2->server_closed);
  EXPECT_NE(seen.logs.back().find("exceeds our Max-Message-Size"), std::string::npos);
}

TEST_F(Tcp, MessagesAboveOurMaxMessageSizeEndTheConnection) {
  coap_context_set_csm_max_message_size(server->ctx, 100);
  Conn *c = net.raw_connect(ipv4("10.0.0.9", 4000), listen);
  c->inject(csm());
  Msg put;
  put.code = COAP_REQUEST_CODE_PUT;
  put.payload.assign(200, 'p');
  c->inject(encode(put));
  net.deliver();
  EXPECT_TRUE(c->server_closed);
  std::vector<Msg> got = parse_all(c->raw_in);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].code, COAP_SIGNALING_CODE_ABORT);
  EXPECT_EQ(seen.requests, 0);
}

TEST_F(Tcp, IdleConnectionsExpireAndMaxIdleSessionsApply) {
  coap_context_set_session_timeout(server->ctx, 10);
  coap_context_set_max_idle_sessions(server->ctx, 2);
  std::vector<Conn *> cs;
  for (uint16_t i = 0; i < 3; ++i) {
    cs.push_back(net.raw_connect(ipv4("10.0.0.9", static_cast<uint16_t>(4000 + i)), listen));
    cs.back()->inject(csm());
    net.deliver();
    net.advance(1000);
  }
  // The third connection made the least recently used one go.
  EXPECT_EQ(server_sessions(), 2u);
  EXPECT_TRUE(cs[0]->server_closed);
  EXPECT_FALSE(cs[1]->server_closed);
  // Activity keeps a connection; the quiet one expires.
  cs[2]->inject(get("hello"));
  net.deliver();
  net.advance(8500);
  net.deliver();
  EXPECT_TRUE(cs[1]->server_closed);
  EXPECT_FALSE(cs[2]->server_closed);
  EXPECT_EQ(server_sessions(), 1u);
}

TEST_F(Tcp, PeerClosingTheConnection) {
  Conn *c = raw_server_conn();
  c->inject(csm());
  send_get("hello");
  net.deliver();
  seen.events.clear();
  c->raw_close();
  net.deliver();
  EXPECT_EQ(session->state, COAP_SESSION_STATE_NONE);
  EXPECT_EQ(seen.nacks, std::vector<coap_nack_reason_t>{COAP_NACK_NOT_DELIVERABLE});
  std::vector<Event> expected = {{'c', COAP_EVENT_TCP_CLOSED, COAP_SESSION_STATE_NONE},
                                 {'c', COAP_EVENT_SESSION_CLOSED, COAP_SESSION_STATE_NONE}};
  EXPECT_EQ(seen.events, expected);
}

TEST_F(Tcp, ReleasingTheClientSessionClosesQuietly) {
  ASSERT_NE(connect(listen), nullptr);
  net.deliver();
  seen.events.clear();
  release_session(session);
  session = nullptr;
  net.deliver();
  // The client reports nothing; the server sees the connection end.
  std::vector<Event> expected = {{'s', COAP_EVENT_TCP_CLOSED, COAP_SESSION_STATE_NONE},
                                 {'s', COAP_EVENT_SESSION_CLOSED, COAP_SESSION_STATE_NONE},
                                 {'s', COAP_EVENT_SERVER_SESSION_DEL, COAP_SESSION_STATE_NONE}};
  EXPECT_EQ(seen.events, expected);
  EXPECT_EQ(server_sessions(), 0u);
}

TEST_F(Tcp, OutputQueuedAtCloseStillReachesThePeer) {
  // A slow reader: the 1 MiB response is still queued in the core when the
  // peer releases the connection; it is written before the socket closes.
  seen.big.assign(1 << 20, 'b');
  net.write_window = 50000;
  Conn *c = net.raw_connect(ipv4("10.0.0.9", 4000), listen);
  c->inject(csm(8388864));
  c->inject(get("big"));
  c->inject(encode(Msg{COAP_SIGNALING_CODE_RELEASE, {}, {}, {}}));
  net.deliver();
  EXPECT_EQ(server->lingered, 1);
  EXPECT_TRUE(c->server_closed);
  std::vector<Msg> got = parse_all(c->raw_in);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].payload.size(), size_t{1} << 20);
}

// --- block-wise transfers ------------------------------------------------------

std::string large_text() {
  return std::string(reinterpret_cast<const char *>(g_large.data()), g_large.size());
}

Bytes block_value(uint32_t num, bool more, unsigned szx) {
  uint8_t buf[4];
  unsigned n = coap_encode_var_safe(buf, 4, (num << 4) | (more ? 8 : 0) | szx);
  return Bytes(buf, buf + n);
}

TEST_F(Tcp, BlockwiseGetWhenTheClientsLimitIsSmall) {
  const uint32_t single = COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY;
  coap_context_set_block_mode(server->ctx, single);
  coap_context_set_block_mode(client->ctx, single);
  coap_context_set_csm_max_message_size(client->ctx, 1100);  // below BERT
  ASSERT_NE(connect(listen), nullptr);
  net.deliver();
  coap_pdu_t *pdu = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 0, 1000);
  uint8_t token = 0x31;
  pdu->add_token(&token, 1);
  pdu->add_option(COAP_OPTION_URI_PATH, reinterpret_cast<const uint8_t *>("large"), 5);
  ASSERT_NE(blockwise::send(session, pdu, net.now), COAP_INVALID_MID);
  net.deliver();
  ASSERT_EQ(seen.responses.size(), 1u);
  EXPECT_EQ(seen.responses[0], "2.05 " + large_text());
}

TEST_F(Tcp, BlockwisePutWhenTheServersLimitIsSmall) {
  const uint32_t single = COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY;
  coap_context_set_block_mode(server->ctx, single);
  coap_context_set_block_mode(client->ctx, single);
  coap_context_set_csm_max_message_size(server->ctx, 600);
  ASSERT_NE(connect(listen), nullptr);
  net.deliver();
  coap_pdu_t *pdu =
      coap_pdu_t::create(COAP_MESSAGE_CON, COAP_REQUEST_CODE_PUT, 0, session->max_pdu_size());
  uint8_t token = 0x32;
  pdu->add_token(&token, 1);
  pdu->add_option(COAP_OPTION_URI_PATH, reinterpret_cast<const uint8_t *>("store"), 5);
  ASSERT_EQ(blockwise::add_data_large_request(session, pdu, g_large.size(), g_large.data(), nullptr,
                                              nullptr, net.now),
            1);
  ASSERT_NE(blockwise::send(session, pdu, net.now), COAP_INVALID_MID);
  net.deliver();
  EXPECT_EQ(seen.big, large_text());
  EXPECT_EQ(seen.responses, std::vector<std::string>{"2.04 "});
}

TEST_F(Tcp, BertBlocksFromTheServerAreFollowed) {
  // A raw server offering BERT sends 2 KiB per block: the client asks
  // for the next NUM by KiB, with SZX 7, and puts the body together.
  coap_context_set_block_mode(client->ctx, COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY);
  Conn *c = raw_server_conn();
  c->inject(csm(8388864, true));
  net.deliver();
  ASSERT_TRUE(reliable::uses_bert(session));
  coap_pdu_t *pdu = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 0, 1000);
  uint8_t token = 0x33;
  pdu->add_token(&token, 1);
  pdu->add_option(COAP_OPTION_URI_PATH, reinterpret_cast<const uint8_t *>("x"), 1);
  ASSERT_NE(blockwise::send(session, pdu, net.now), COAP_INVALID_MID);
  net.deliver();
  std::string body;
  for (int i = 0; i < 5000; ++i) body.push_back(static_cast<char>('A' + i % 26));
  std::vector<Msg> got = parse_all(c->raw_in);
  ASSERT_EQ(got.size(), 2u);  // our CSM, the GET
  Bytes next_token = got[1].token;
  const uint32_t nums[] = {0, 2, 4};
  for (uint32_t num : nums) {
    size_t offset = num * 1024u;
    size_t n = offset + 2048 < body.size() ? 2048 : body.size() - offset;
    bool more = offset + n < body.size();
    Msg r;
    r.code = COAP_RESPONSE_CODE_CONTENT;
    r.token = next_token;
    r.options.push_back({COAP_OPTION_BLOCK2, block_value(num, more, 7)});
    r.options.push_back({COAP_OPTION_SIZE2, {0x13, 0x88}});
    r.payload.assign(body.begin() + static_cast<long>(offset),
                     body.begin() + static_cast<long>(offset + n));
    c->raw_in.clear();
    c->inject(encode(r));
    net.deliver();
    if (!more) break;
    got = parse_all(c->raw_in);
    ASSERT_EQ(got.size(), 1u);
    coap_block_b_t b{};
    bool found = false;
    for (const auto &o : got[0].options) {
      if (o.first != COAP_OPTION_BLOCK2) continue;
      found = true;
      uint32_t v = coap_decode_var_bytes(o.second.data(), o.second.size());
      b.num = v >> 4;
      b.m = (v >> 3) & 1;
      b.szx = v & 7;
    }
    ASSERT_TRUE(found);
    EXPECT_EQ(b.num, num + 2);  // 2 KiB received: two NUMs on
    EXPECT_EQ(b.szx, 7u);       // asked for as BERT
    next_token = got[0].token;
  }
  ASSERT_EQ(seen.responses.size(), 1u);
  EXPECT_EQ(seen.responses[0], "2.05 " + body);
}

TEST_F(Tcp, BertUploadIsAcceptedByTheServer) {
  coap_context_set_block_mode(server->ctx, COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY);
  Conn *c = net.raw_connect(ipv4("10.0.0.9", 4000), listen);
  c->inject(csm(8388864, true));
  net.deliver();
  ASSERT_TRUE(reliable::uses_bert(server_session()));
  std::string body;
  for (int i = 0; i < 4500; ++i) body.push_back(static_cast<char>('a' + i % 26));
  const uint32_t nums[] = {0, 2, 4};
  for (uint32_t num : nums) {
    size_t offset = num * 1024u;
    size_t n = offset + 2048 < body.size() ? 2048 : body.size() - offset;
    bool more = offset + n < body.size();
    Msg m;
    m.code = COAP_REQUEST_CODE_PUT;
    m.token = {static_cast<uint8_t>(0x40 + num)};
    m.options.push_back({COAP_OPTION_URI_PATH, {'s', 't', 'o', 'r', 'e'}});
    m.options.push_back({COAP_OPTION_BLOCK1, block_value(num, more, 7)});
    m.options.push_back({COAP_OPTION_SIZE1, {0x11, 0x94}});
    m.payload.assign(body.begin() + static_cast<long>(offset),
                     body.begin() + static_cast<long>(offset + n));
    c->raw_in.clear();
    c->inject(encode(m));
    net.deliver();
    std::vector<Msg> got = parse_all(c->raw_in);
    ASSERT_EQ(got.size(), 1u);
    if (more) {
      EXPECT_EQ(got[0].code, COAP_RESPONSE_CODE(231));
      ASSERT_FALSE(got[0].options.empty());
      EXPECT_EQ(got[0].options[0].second, block_value(num, true, 7));  // BERT echoed
    } else {
      EXPECT_EQ(got[0].code, COAP_RESPONSE_CODE_CHANGED);
    }
  }
  EXPECT_EQ(seen.big, body);
}

// --- keepalive -------------------------------------------------------------------

TEST_F(Tcp, KeepaliveSendsPingsAndReportsMissingPongs) {
  Conn *c = raw_server_conn();
  c->inject(csm());
  net.deliver();
  client->ctx->ping_timeout = 2;  // coap_context_set_keepalive() without the real clock
  schedule_housekeeping(session, net.now);
  c->raw_in.clear();
  net.advance(1999);
  net.deliver();
  EXPECT_TRUE(c->raw_in.empty());
  net.advance(1);  // 2 s quiet: a Ping
  net.deliver();
  EXPECT_EQ(c->raw_in, hex({0x00, 0xe2}));
  seen.events.clear();
  net.advance(2000);  // still no Pong: another Ping, and the failure
  net.deliver();
  EXPECT_EQ(c->raw_in, hex({0x00, 0xe2, 0x00, 0xe2}));
  EXPECT_EQ(
      seen.events,
      std::vector<Event>({{'c', COAP_EVENT_KEEPALIVE_FAILURE, COAP_SESSION_STATE_ESTABLISHED}}));
  // A Pong resets it.
  c->inject(hex({0x00, 0xe3}));
  net.deliver();
  EXPECT_EQ(seen.pongs, 1);
  seen.events.clear();
  net.advance(2000);
  net.deliver();
  EXPECT_TRUE(seen.events.empty());
  EXPECT_EQ(parse_all(c->raw_in).size(), 3u);
}

TEST_F(Tcp, KeepaliveWithAnsweringPeerNeverFails) {
  ASSERT_NE(connect(listen), nullptr);
  net.deliver();
  client->ctx->ping_timeout = 1;
  schedule_housekeeping(session, net.now);
  seen.events.clear();
  for (int i = 0; i < 10; ++i) {
    net.advance(1000);
    net.deliver();
  }
  EXPECT_EQ(seen.pongs, 10);
  EXPECT_TRUE(seen.events.empty());
}

}  // namespace
}  // namespace coap::test
