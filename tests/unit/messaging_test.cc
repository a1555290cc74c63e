// RFC 7252 message layer and exchanges, driven through the in-memory
// network with a fake clock: no sockets, no sleeping.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "support/fake_network.h"
#include "wire/pdu.h"

namespace coap::test {
namespace {

// Handler state shared with the C callbacks below.
struct Seen {
  int requests = 0;
  std::vector<std::string> responses;  // "code payload"
  std::vector<coap_nack_reason_t> nacks;
  std::vector<coap_event_t> events;
  int pongs = 0;
  int pings = 0;
};
Seen *g_seen;

void hello_get(coap_resource_t *, coap_session_t *, const coap_pdu_t *, const coap_string_t *,
               coap_pdu_t *response) {
  ++g_seen->requests;
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
  coap_add_data(response, 5, reinterpret_cast<const uint8_t *>("hello"));
}

void silent_get(coap_resource_t *, coap_session_t *, const coap_pdu_t *, const coap_string_t *,
                coap_pdu_t *) {
  ++g_seen->requests;  // leaves the code empty: empty ACK
}

coap_response_t on_response(coap_session_t *, const coap_pdu_t *, const coap_pdu_t *received,
                            const coap_mid_t) {
  size_t len = 0;
  const uint8_t *data = nullptr;
  coap_get_data(received, &len, &data);
  char code[16];
  snprintf(code, sizeof(code), "%d.%02d", coap_pdu_get_code(received) >> 5,
           coap_pdu_get_code(received) & 31);
  g_seen->responses.push_back(std::string(code) + " " +
                              std::string(reinterpret_cast<const char *>(data), len));
  return COAP_RESPONSE_OK;
}

void on_nack(coap_session_t *, const coap_pdu_t *, const coap_nack_reason_t reason,
             const coap_mid_t) {
  g_seen->nacks.push_back(reason);
}

int on_event(coap_session_t *, const coap_event_t event) {
  g_seen->events.push_back(event);
  return 0;
}

void on_pong(coap_session_t *, const coap_pdu_t *, const coap_mid_t) {
  ++g_seen->pongs;
}
void on_ping(coap_session_t *, const coap_pdu_t *, const coap_mid_t) {
  ++g_seen->pings;
}

// Deterministic "random" bytes: zero makes the initial ACK timeout exactly
// ACK_TIMEOUT (2 s).
int zero_prng(void *out, size_t len) {
  memset(out, 0, len);
  return 1;
}

class Messaging : public ::testing::Test {
 protected:
  void SetUp() override {
    g_seen = &seen;
    coap_set_prng(zero_prng);
    server = new FakeHost(&net, "10.0.0.1");
    client = new FakeHost(&net, "10.0.0.2");
    coap_address_t listen = ipv4("10.0.0.1", 5683);
    ASSERT_NE(coap_endpoint_t::create(server->ctx, listen, COAP_PROTO_UDP), nullptr);
    coap_resource_t *r = coap_resource_init(coap_make_str_const("hello"), 0);
    coap_register_request_handler(r, COAP_REQUEST_GET, hello_get);
    coap_add_resource(server->ctx, r);
    coap_resource_t *q = coap_resource_init(coap_make_str_const("quiet"), 0);
    coap_register_request_handler(q, COAP_REQUEST_GET, silent_get);
    coap_add_resource(server->ctx, q);
    coap_register_response_handler(client->ctx, on_response);
    coap_register_nack_handler(client->ctx, on_nack);
    coap_register_event_handler(client->ctx, on_event);
    coap_register_event_handler(server->ctx, on_event);
    coap_register_pong_handler(client->ctx, on_pong);
    coap_register_ping_handler(server->ctx, on_ping);
    session = new_client_session(client->ctx, nullptr, listen, COAP_PROTO_UDP, net.now);
    ASSERT_NE(session, nullptr);
  }
  void TearDown() override {
    release_session(session);
    delete client;
    delete server;
    coap_set_prng(nullptr);
  }

  coap_pdu_t *request(const char *path, coap_pdu_type_t type = COAP_MESSAGE_CON) {
    coap_pdu_t *pdu = coap_pdu_t::create(type, COAP_REQUEST_CODE_GET, session->next_mid(), 1000);
    uint8_t token[] = {0xab};
    pdu->add_token(token, 1);
    pdu->add_option(COAP_OPTION_URI_PATH, reinterpret_cast<const uint8_t *>(path), strlen(path));
    return pdu;
  }

  coap_pdu_t *parse_sent(size_t index) {
    coap_pdu_t *pdu = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, 0);
    const Packet &p = net.sent_log.at(index);
    EXPECT_TRUE(pdu->parse(COAP_PROTO_UDP, p.bytes.data(), p.bytes.size()));
    return pdu;
  }

  Seen seen;
  FakeNetwork net;
  FakeHost *server = nullptr;
  FakeHost *client = nullptr;
  coap_session_t *session = nullptr;
};

TEST_F(Messaging, ConRequestGetsPiggybackedResponse) {
  coap_mid_t mid = send_pdu(session, request("hello"), net.now);
  ASSERT_NE(mid, COAP_INVALID_MID);
  net.deliver();
  ASSERT_EQ(seen.responses, std::vector<std::string>{"2.05 hello"});
  ASSERT_EQ(net.sent_log.size(), 2u);
  coap_pdu_t *ack = parse_sent(1);
  EXPECT_EQ(ack->type, COAP_MESSAGE_ACK);
  EXPECT_EQ(ack->mid, mid);
  EXPECT_EQ(ack->token_length(), 1u);
  coap_pdu_t::destroy(ack);
  EXPECT_TRUE(session->pending.empty());
  EXPECT_EQ(seen.events, std::vector<coap_event_t>{COAP_EVENT_SERVER_SESSION_NEW});
}

TEST_F(Messaging, NonRequestGetsNonResponseWithRequestMid) {
  coap_mid_t mid = send_pdu(session, request("hello", COAP_MESSAGE_NON), net.now);
  net.deliver();
  ASSERT_EQ(seen.responses.size(), 1u);
  coap_pdu_t *resp = parse_sent(1);
  EXPECT_EQ(resp->type, COAP_MESSAGE_NON);
  EXPECT_EQ(resp->mid, mid);
  coap_pdu_t::destroy(resp);
}

TEST_F(Messaging, UnknownPathIs404WithDiagnostic) {
  send_pdu(session, request("nothere"), net.now);
  net.deliver();
  EXPECT_EQ(seen.responses, std::vector<std::string>{"4.04 Not Found"});
}

TEST_F(Messaging, HandlerWithoutCodeSendsEmptyAck) {
  send_pdu(session, request("quiet"), net.now);
  net.deliver();
  coap_pdu_t *ack = parse_sent(1);
  EXPECT_EQ(ack->type, COAP_MESSAGE_ACK);
  EXPECT_EQ(ack->code, COAP_EMPTY_CODE);
  EXPECT_EQ(ack->token_length(), 0u);
  EXPECT_EQ(ack->used_size(), 0u);
  coap_pdu_t::destroy(ack);
  EXPECT_TRUE(seen.responses.empty());
}

TEST_F(Messaging, RetransmissionScheduleDoublesThenGivesUp) {
  // Every client packet is lost: CON goes out at 0, 2, 6, 14, 30 s and the
  // exchange fails at 62 s (ACK_TIMEOUT 2 s, MAX_RETRANSMIT 4).
  uint64_t start = net.now;
  send_pdu(session, request("hello"), net.now);
  std::vector<uint64_t> times = {0};
  size_t seen_packets = 1;
  for (int step = 0; step < 70; ++step) {
    net.advance(1000);
    net.in_flight.clear();
    while (seen_packets < net.sent_log.size()) {
      ++seen_packets;
      times.push_back(net.now - start);
    }
  }
  EXPECT_EQ(times, (std::vector<uint64_t>{0, 2000, 6000, 14000, 30000}));
  EXPECT_EQ(seen.nacks, std::vector<coap_nack_reason_t>{COAP_NACK_TOO_MANY_RETRIES});
  EXPECT_TRUE(session->pending.empty());
  EXPECT_EQ(seen.requests, 0);
}

TEST_F(Messaging, RetransmissionStopsWhenAcknowledged) {
  send_pdu(session, request("hello"), net.now);
  net.in_flight.clear();  // the first copy is lost
  net.advance(2000);      // the retransmission goes out ...
  net.deliver();          // ... and is answered
  EXPECT_EQ(seen.responses.size(), 1u);
  size_t packets = net.sent_log.size();
  net.advance(120000);
  EXPECT_EQ(net.sent_log.size(), packets);
  EXPECT_TRUE(seen.nacks.empty());
}

TEST_F(Messaging, DuplicateConGetsCachedResponseWithoutSecondHandlerCall) {
  send_pdu(session, request("hello"), net.now);
  Packet original = net.in_flight.front();
  net.deliver();
  ASSERT_EQ(seen.requests, 1);
  Packet first_reply = net.sent_log.back();
  net.in_flight.push_back(original);  // the peer retransmits
  net.deliver();
  EXPECT_EQ(seen.requests, 1);
  EXPECT_EQ(net.sent_log.back().bytes, first_reply.bytes);
}

TEST_F(Messaging, DuplicateDetectionLastsExchangeLifetime) {
  // EXCHANGE_LIFETIME with the default parameters (RFC 7252 section
  // 4.8.2): 45 s MAX_TRANSMIT_SPAN + 2 * 100 s MAX_LATENCY + 2 s = 247 s.
  send_pdu(session, request("hello"), net.now);
  Packet original = net.in_flight.front();
  net.deliver();
  ASSERT_EQ(seen.requests, 1);
  net.advance(246 * 1000);
  net.in_flight.push_back(original);  // still a duplicate
  net.deliver();
  EXPECT_EQ(seen.requests, 1);
  net.advance(2 * 1000);
  net.in_flight.push_back(original);  // now a new message again
  net.deliver();
  EXPECT_EQ(seen.requests, 2);
}

TEST_F(Messaging, NstartHoldsSecondRequestUntilFirstCompletes) {
  send_pdu(session, request("hello"), net.now);
  send_pdu(session, request("hello"), net.now);
  EXPECT_EQ(net.in_flight.size(), 1u);
  EXPECT_EQ(session->delayed.size(), 1u);
  net.deliver();  // answer to the first releases the second
  EXPECT_EQ(seen.responses.size(), 2u);
  EXPECT_TRUE(session->delayed.empty());
}

TEST_F(Messaging, PingIsAnsweredWithReset) {
  coap_pdu_t *ping = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_EMPTY_CODE, session->next_mid(), 0);
  send_pdu(session, ping, net.now);
  net.deliver();
  EXPECT_EQ(seen.pings, 1);
  EXPECT_EQ(seen.pongs, 1);
  coap_pdu_t *rst = parse_sent(1);
  EXPECT_EQ(rst->type, COAP_MESSAGE_RST);
  coap_pdu_t::destroy(rst);
  EXPECT_TRUE(session->pending.empty());
}

TEST_F(Messaging, UnknownCriticalOptionIs402OrReset) {
  coap_pdu_t *con = request("hello");
  con->add_option(2049, reinterpret_cast<const uint8_t *>("x"), 1);
  send_pdu(session, con, net.now);
  net.deliver();
  EXPECT_EQ(seen.responses, std::vector<std::string>{"4.02 Bad Option"});
  EXPECT_EQ(seen.requests, 0);

  coap_pdu_t *non = request("hello", COAP_MESSAGE_NON);
  non->add_option(2049, reinterpret_cast<const uint8_t *>("x"), 1);
  send_pdu(session, non, net.now);
  net.deliver();
  coap_pdu_t *rst = parse_sent(net.sent_log.size() - 1);
  EXPECT_EQ(rst->type, COAP_MESSAGE_RST);
  coap_pdu_t::destroy(rst);

  // Registered options are accepted.
  coap_register_option(server->ctx, 2049);
  coap_pdu_t *again = request("hello");
  again->add_option(2049, reinterpret_cast<const uint8_t *>("x"), 1);
  send_pdu(session, again, net.now);
  net.deliver();
  EXPECT_EQ(seen.requests, 1);
}

TEST_F(Messaging, MalformedConIsRejectedWithReset) {
  Packet p;
  p.from = session->addr_info.local;
  p.to = session->addr_info.remote;
  p.bytes = {0x40, 0x01, 0x12, 0x34, 0xff};  // payload marker, no payload
  net.in_flight.push_back(p);
  net.deliver();
  coap_pdu_t *rst = parse_sent(net.sent_log.size() - 1);
  EXPECT_EQ(rst->type, COAP_MESSAGE_RST);
  EXPECT_EQ(rst->mid, 0x1234);
  coap_pdu_t::destroy(rst);
  EXPECT_NE(std::find(seen.events.begin(), seen.events.end(), COAP_EVENT_BAD_PACKET),
            seen.events.end());
}

TEST_F(Messaging, IdleServerSessionExpiresAfterSessionTimeout) {
  send_pdu(session, request("hello"), net.now);
  net.deliver();
  coap_endpoint_t *ep = server->ctx->endpoints.front();
  ASSERT_EQ(ep->sessions.size(), 1u);
  net.advance(299 * 1000);
  EXPECT_EQ(ep->sessions.size(), 1u);
  net.advance(2 * 1000);
  EXPECT_EQ(ep->sessions.size(), 0u);
  EXPECT_EQ(seen.events.back(), COAP_EVENT_SERVER_SESSION_DEL);
}

TEST_F(Messaging, MaxIdleSessionsEvictsLeastRecentlyUsed) {
  coap_context_set_max_idle_sessions(server->ctx, 1);
  send_pdu(session, request("hello"), net.now);
  net.deliver();
  coap_session_t *second =
      new_client_session(client->ctx, nullptr, ipv4("10.0.0.1", 5683), COAP_PROTO_UDP, net.now);
  coap_pdu_t *pdu = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 7, 100);
  send_pdu(second, pdu, net.now);
  net.deliver();
  EXPECT_EQ(server->ctx->endpoints.front()->sessions.size(), 1u);
  release_session(second);
}

TEST_F(Messaging, KeepaliveSendsPingAndReportsFailure) {
  coap_context_set_keepalive(client->ctx, 30);
  net.advance(30 * 1000);
  ASSERT_EQ(net.sent_log.size(), 1u);
  coap_pdu_t *ping = parse_sent(0);
  EXPECT_EQ(ping->code, COAP_EMPTY_CODE);
  EXPECT_EQ(ping->type, COAP_MESSAGE_CON);
  coap_pdu_t::destroy(ping);
  net.deliver();  // answered with RST: the peer is alive
  EXPECT_EQ(seen.pongs, 1);

  server->ctx->endpoints.for_each([](coap_endpoint_t *ep) { coap_endpoint_t::destroy(ep); });
  net.advance(31 * 1000);  // next ping: nobody answers any more
  net.in_flight.clear();
  for (int i = 0; i < 70; ++i) {
    net.advance(1000);
    net.in_flight.clear();
  }
  EXPECT_NE(std::find(seen.events.begin(), seen.events.end(), COAP_EVENT_KEEPALIVE_FAILURE),
            seen.events.end());
}

}  // namespace
}  // namespace coap::test
