// Observe (RFC 7641) through the in-memory network with a fake clock:
// registration, NON notifications with a CON every sixth and every 24
// hours, NOTIFY_CON with retransmission and failure, NOTIFY_NON_ALWAYS,
// deregistration (Observe=1, RST to NON and CON notifications,
// coap_cancel_observe(), session release), resource deletion (4.04),
// sequence numbers, re-registration, NSTART deferral ("partially dirty"),
// many observers and many observations. No sockets, no sleeping.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/blockwise.h"
#include "core/observe.h"
#include "core/observe_registry.h"
#include "support/fake_network.h"
#include "wire/pdu.h"

namespace coap::test {
namespace {

// One datagram as the test sees it.
struct Seen {
  coap_pdu_type_t type = COAP_MESSAGE_CON;
  int code = 0;
  coap_mid_t mid = 0;
  std::string token;
  bool has_observe = false;
  unsigned observe = 0;
  std::string payload;
};

Seen decode(const Packet &p) {
  Seen s;
  coap_pdu_t *pdu = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, 0);
  EXPECT_TRUE(pdu->parse(COAP_PROTO_UDP, p.bytes.data(), p.bytes.size()));
  s.type = pdu->message_type();
  s.code = pdu->code;
  s.mid = pdu->mid;
  s.token.assign(reinterpret_cast<const char *>(pdu->token()), pdu->token_length());
  coap_opt_iterator_t it;
  if (coap_opt_t *o = coap_check_option(pdu, COAP_OPTION_OBSERVE, &it)) {
    s.has_observe = true;
    s.observe = coap_decode_var_bytes(coap_opt_value(o), coap_opt_length(o));
  }
  if (pdu->has_payload()) {
    s.payload.assign(reinterpret_cast<const char *>(pdu->payload()), pdu->payload_length());
  }
  coap_pdu_t::destroy(pdu);
  return s;
}

// What the callbacks saw.
struct World {
  int handler_calls = 0;
  int handler_code = COAP_RESPONSE_CODE_CONTENT;
  std::vector<bool> skeleton_had_observe;
  std::vector<coap_pdu_type_t> skeleton_types;
  std::vector<std::string> handler_queries;
  coap_resource_t *delete_in_handler = nullptr;
  std::vector<Seen> client_got;  // delivered to the client's response handler
  std::vector<coap_nack_reason_t> server_nacks;
};
World *g_world;

void obs_get(coap_resource_t *, coap_session_t *, const coap_pdu_t *, const coap_string_t *query,
             coap_pdu_t *response) {
  World &w = *g_world;
  ++w.handler_calls;
  coap_opt_iterator_t it;
  w.skeleton_had_observe.push_back(coap_check_option(response, COAP_OPTION_OBSERVE, &it) !=
                                   nullptr);
  w.skeleton_types.push_back(response->message_type());
  w.handler_queries.push_back(
      query ? std::string(reinterpret_cast<const char *>(query->s), query->length) : std::string());
  if (w.delete_in_handler) {
    coap_resource_t *r = w.delete_in_handler;
    w.delete_in_handler = nullptr;
    coap_delete_resource(nullptr, r);
  }
  coap_pdu_set_code(response, static_cast<coap_pdu_code_t>(w.handler_code));
  std::string body = "v" + std::to_string(w.handler_calls);
  coap_add_data(response, body.size(), reinterpret_cast<const uint8_t *>(body.data()));
}

coap_response_t on_response(coap_session_t *, const coap_pdu_t *, const coap_pdu_t *received,
                            const coap_mid_t) {
  Seen s;
  s.type = received->message_type();
  s.code = received->code;
  s.token.assign(reinterpret_cast<const char *>(received->token()), received->token_length());
  coap_opt_iterator_t it;
  if (coap_opt_t *o = coap_check_option(received, COAP_OPTION_OBSERVE, &it)) {
    s.has_observe = true;
    s.observe = coap_decode_var_bytes(coap_opt_value(o), coap_opt_length(o));
  }
  if (received->has_payload()) {
    s.payload.assign(reinterpret_cast<const char *>(received->payload()),
                     received->payload_length());
  }
  g_world->client_got.push_back(s);
  return COAP_RESPONSE_OK;
}

void on_server_nack(coap_session_t *, const coap_pdu_t *, const coap_nack_reason_t reason,
                    const coap_mid_t) {
  g_world->server_nacks.push_back(reason);
}

int zero_prng(void *out, size_t len) {
  memset(out, 0, len);
  return 1;
}

class Observe : public ::testing::Test {
 protected:
  void SetUp() override {
    g_world = &world;
    coap_set_prng(zero_prng);
    server = new FakeHost(&net, "10.0.0.1");
    client = new FakeHost(&net, "10.0.0.2");
    listen = ipv4("10.0.0.1", 5683);
    ASSERT_NE(coap_endpoint_t::create(server->ctx, listen, COAP_PROTO_UDP), nullptr);
    obs = add_resource("obs", 0);
    con = add_resource("con", COAP_RESOURCE_FLAGS_NOTIFY_CON);
    non_always = add_resource("nonalways", COAP_RESOURCE_FLAGS_NOTIFY_NON_ALWAYS);
    coap_register_response_handler(client->ctx, on_response);
    coap_register_nack_handler(server->ctx, on_server_nack);
    session = new_session();
  }
  void TearDown() override {
    if (session) release_session(session);
    delete client;
    delete server;
    coap_set_prng(nullptr);
  }

  coap_resource_t *add_resource(const char *path, int flags) {
    coap_resource_t *r = coap_resource_init(coap_make_str_const(path), flags);
    coap_register_request_handler(r, COAP_REQUEST_GET, obs_get);
    coap_register_request_handler(r, COAP_REQUEST_FETCH, obs_get);
    coap_resource_set_get_observable(r, 1);
    coap_add_resource(server->ctx, r);
    return r;
  }

  coap_session_t *new_session() {
    return new_client_session(client->ctx, nullptr, listen, COAP_PROTO_UDP, net.now);
  }

  coap_pdu_t *request(coap_session_t *s, const char *path, const std::string &token, int observe,
                      coap_pdu_type_t type = COAP_MESSAGE_CON, const char *query = nullptr) {
    coap_pdu_t *pdu = coap_pdu_t::create(type, COAP_REQUEST_CODE_GET, s->next_mid(), 1000);
    pdu->add_token(reinterpret_cast<const uint8_t *>(token.data()), token.size());
    if (observe >= 0) {
      uint8_t v[4];
      pdu->add_option(COAP_OPTION_OBSERVE, v, coap_encode_var_safe(v, sizeof(v), observe));
    }
    pdu->add_option(COAP_OPTION_URI_PATH, reinterpret_cast<const uint8_t *>(path), strlen(path));
    if (query) {
      pdu->add_option(COAP_OPTION_URI_QUERY, reinterpret_cast<const uint8_t *>(query),
                      strlen(query));
    }
    return pdu;
  }

  // What coap_send() does, on the fake clock.
  void send(coap_session_t *s, coap_pdu_t *pdu) {
    observe::client_on_send(s, pdu);
    blockwise::send(s, pdu, net.now);
  }

  void observe_resource(const char *path, const std::string &token,
                        coap_pdu_type_t type = COAP_MESSAGE_CON) {
    send(session, request(session, path, token, COAP_OBSERVE_ESTABLISH, type));
    net.deliver();
  }

  // Reports a change and lets the I/O loop send what is due.
  int change(coap_resource_t *r) {
    int rc = observe::notify_observers(r, net.now);
    net.run_timers();
    return rc;
  }

  // Packets sent by the server since `from` (an index into sent_log).
  std::vector<Seen> server_sent(size_t from) {
    std::vector<Seen> out;
    for (size_t i = from; i < net.sent_log.size(); ++i) {
      if (net.sent_log[i].from.addr.sin.sin_addr.s_addr == listen.addr.sin.sin_addr.s_addr) {
        out.push_back(decode(net.sent_log[i]));
      }
    }
    return out;
  }

  size_t subscribers(coap_resource_t *r) { return r->subscribers.size(); }

  World world;
  FakeNetwork net;
  FakeHost *server = nullptr;
  FakeHost *client = nullptr;
  coap_address_t listen;
  coap_session_t *session = nullptr;
  coap_resource_t *obs = nullptr;
  coap_resource_t *con = nullptr;
  coap_resource_t *non_always = nullptr;
};

TEST_F(Observe, RegistrationAnswersWithObserveAndTheHandlerSeesIt) {
  size_t mark = net.sent_log.size();
  observe_resource("obs", "T1");
  std::vector<Seen> out = server_sent(mark);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].type, COAP_MESSAGE_ACK);
  EXPECT_EQ(out[0].code, COAP_RESPONSE_CODE_CONTENT);
  EXPECT_EQ(out[0].token, "T1");
  ASSERT_TRUE(out[0].has_observe);
  EXPECT_EQ(out[0].observe, 2u);  // libcoap's first value
  ASSERT_EQ(world.skeleton_had_observe.size(), 1u);
  EXPECT_TRUE(world.skeleton_had_observe[0]);
  EXPECT_EQ(subscribers(obs), 1u);
  EXPECT_EQ(session->context, client->ctx);
}

TEST_F(Observe, NotifyWithoutObserversOrWhenNotObservableReturnsZero) {
  EXPECT_EQ(change(obs), 0);
  observe_resource("obs", "T1");
  coap_resource_set_get_observable(obs, 0);
  EXPECT_EQ(change(obs), 0);
  EXPECT_EQ(subscribers(obs), 1u);  // kept while not observable
  coap_resource_set_get_observable(obs, 1);
  EXPECT_EQ(change(obs), 1);
}

TEST_F(Observe, RegistrationOnUnobservableResourceHasNoObserveOption) {
  coap_resource_set_get_observable(obs, 0);
  size_t mark = net.sent_log.size();
  observe_resource("obs", "T1");
  std::vector<Seen> out = server_sent(mark);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].has_observe);
  EXPECT_EQ(subscribers(obs), 0u);
}

TEST_F(Observe, NonNotificationsWithEverySixthConAndIncreasingSequence) {
  observe_resource("obs", "T1");
  size_t mark = net.sent_log.size();
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ(change(obs), 1);
    net.deliver();  // the client ACKs the CON ones
  }
  std::vector<Seen> out = server_sent(mark);
  ASSERT_EQ(out.size(), 12u);
  for (int i = 0; i < 12; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(out[i].type, (i == 5 || i == 11) ? COAP_MESSAGE_CON : COAP_MESSAGE_NON);
    EXPECT_EQ(out[i].token, "T1");
    EXPECT_TRUE(out[i].has_observe);
    EXPECT_EQ(out[i].observe, 3u + i);
    if (i) {
      EXPECT_EQ(out[i].mid, static_cast<coap_mid_t>((out[i - 1].mid + 1) & 0xffff));
    }
  }
  // Each went through the handler, which got the NON/CON skeleton.
  ASSERT_EQ(world.skeleton_types.size(), 13u);
  EXPECT_EQ(world.skeleton_types[1], COAP_MESSAGE_NON);
  EXPECT_EQ(world.skeleton_types[6], COAP_MESSAGE_CON);
  // The client application saw every notification.
  ASSERT_EQ(world.client_got.size(), 13u);
  EXPECT_EQ(world.client_got.back().payload, "v13");
}

TEST_F(Observe, AConIsSentAtLeastOnceEvery24Hours) {
  observe_resource("obs", "T1");
  size_t mark = net.sent_log.size();
  change(obs);
  net.deliver();
  net.now += 24ull * 3600 * 1000;  // a quiet day
  change(obs);
  net.deliver();
  change(obs);
  std::vector<Seen> out = server_sent(mark);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].type, COAP_MESSAGE_NON);
  EXPECT_EQ(out[1].type, COAP_MESSAGE_CON);
  EXPECT_EQ(out[2].type, COAP_MESSAGE_NON);
}

TEST_F(Observe, NonAlwaysNeverSendsCon) {
  observe_resource("nonalways", "A1");
  size_t mark = net.sent_log.size();
  for (int i = 0; i < 8; ++i) {
    change(non_always);
    net.deliver();
  }
  net.now += 48ull * 3600 * 1000;
  change(non_always);
  for (const Seen &s : server_sent(mark)) EXPECT_EQ(s.type, COAP_MESSAGE_NON);
}

TEST_F(Observe, SeveralChangesFoldIntoOneNotificationButTheSequenceMovesOn) {
  observe_resource("obs", "T1");
  size_t mark = net.sent_log.size();
  observe::notify_observers(obs, net.now);
  observe::notify_observers(obs, net.now);
  net.run_timers();
  std::vector<Seen> out = server_sent(mark);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].observe, 4u);
}

TEST_F(Observe, SequenceNumbersWrapAt24Bits) {
  observe_resource("obs", "T1");
  obs->observe_seq = 0xFFFFFE;
  size_t mark = net.sent_log.size();
  change(obs);
  net.deliver();
  change(obs);
  std::vector<Seen> out = server_sent(mark);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].observe, 0xFFFFFFu);
  EXPECT_EQ(out[1].observe, 0u);
}

TEST_F(Observe, ConNotificationsAreRetransmittedUntilAcknowledged) {
  observe_resource("con", "C1");
  size_t mark = net.sent_log.size();
  change(con);
  net.in_flight.clear();  // the first copy is lost
  net.advance(2000);      // ACK_TIMEOUT with a zero random part
  std::vector<Seen> out = server_sent(mark);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].type, COAP_MESSAGE_CON);
  EXPECT_EQ(out[1].mid, out[0].mid);  // the same message again
  net.deliver();                      // this one arrives and is acknowledged
  size_t after = net.sent_log.size();
  net.advance(60000);
  EXPECT_EQ(net.sent_log.size(), after);
  EXPECT_EQ(subscribers(con), 1u);
}

TEST_F(Observe, UnacknowledgedConNotificationEndsTheObservation) {
  observe_resource("con", "C1");
  change(con);
  net.in_flight.clear();
  for (int i = 0; i < 5; ++i) {
    net.advance(70000);
    net.in_flight.clear();  // nothing gets through
  }
  EXPECT_EQ(subscribers(con), 0u);
  ASSERT_EQ(world.server_nacks.size(), 1u);
  EXPECT_EQ(world.server_nacks[0], COAP_NACK_TOO_MANY_RETRIES);
  EXPECT_EQ(change(con), 0);
}

TEST_F(Observe, ConNotificationWaitsWhileOneIsOutstanding) {
  observe_resource("con", "C1");
  size_t mark = net.sent_log.size();
  change(con);
  net.in_flight.clear();  // not answered yet
  change(con);            // deferred: NSTART is 1
  EXPECT_EQ(server_sent(mark).size(), 1u);
  EXPECT_TRUE(con->partially_dirty);
  net.advance(2000);  // retransmission of the first
  net.deliver();      // acknowledged: the deferred one goes now
  net.run_timers();
  std::vector<Seen> out = server_sent(mark);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[2].type, COAP_MESSAGE_CON);
  EXPECT_EQ(out[2].observe, 4u);
  EXPECT_FALSE(con->partially_dirty);
}

TEST_F(Observe, DeregistrationWithObserveOne) {
  observe_resource("obs", "T1");
  size_t mark = net.sent_log.size();
  send(session, request(session, "obs", "T1", COAP_OBSERVE_CANCEL));
  net.deliver();
  std::vector<Seen> out = server_sent(mark);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].code, COAP_RESPONSE_CODE_CONTENT);
  EXPECT_FALSE(out[0].has_observe);
  EXPECT_EQ(subscribers(obs), 0u);
  EXPECT_EQ(world.handler_calls, 2);  // the handler answers the deregistration
}

TEST_F(Observe, DeregistrationByRequestWhenTheTokenWasLost) {
  observe_resource("obs", "T1");
  send(session, request(session, "obs", "T9", COAP_OBSERVE_CANCEL));
  net.deliver();
  EXPECT_EQ(subscribers(obs), 0u);
}

TEST_F(Observe, RstToTheLatestNonNotificationEndsTheObservation) {
  observe_resource("obs", "T1");
  size_t mark = net.sent_log.size();
  change(obs);
  net.in_flight.clear();
  Seen n = server_sent(mark).back();
  send_empty(session, COAP_MESSAGE_RST, n.mid, net.now);
  net.deliver();
  EXPECT_EQ(subscribers(obs), 0u);
  ASSERT_EQ(world.server_nacks.size(), 1u);
  EXPECT_EQ(world.server_nacks[0], COAP_NACK_RST);
}

TEST_F(Observe, RstToAnOlderNonNotificationIsIgnored) {
  observe_resource("obs", "T1");
  size_t mark = net.sent_log.size();
  change(obs);
  change(obs);
  net.in_flight.clear();
  Seen first = server_sent(mark).front();
  send_empty(session, COAP_MESSAGE_RST, first.mid, net.now);
  net.deliver();
  EXPECT_EQ(subscribers(obs), 1u);
}

TEST_F(Observe, RstToAConNotificationEndsTheObservation) {
  observe_resource("con", "C1");
  size_t mark = net.sent_log.size();
  change(con);
  net.in_flight.clear();
  send_empty(session, COAP_MESSAGE_RST, server_sent(mark).back().mid, net.now);
  net.deliver();
  EXPECT_EQ(subscribers(con), 0u);
}

TEST_F(Observe, ErrorResponseToARegistrationDoesNotRegister) {
  world.handler_code = COAP_RESPONSE_CODE_NOT_FOUND;
  size_t mark = net.sent_log.size();
  observe_resource("obs", "T1");
  std::vector<Seen> out = server_sent(mark);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].code, COAP_RESPONSE_CODE_NOT_FOUND);
  EXPECT_FALSE(out[0].has_observe);
  EXPECT_EQ(subscribers(obs), 0u);
}

TEST_F(Observe, ErrorNotificationEndsTheObservationWithoutObserveOption) {
  observe_resource("obs", "T1");
  world.handler_code = COAP_RESPONSE_CODE_INTERNAL_ERROR;
  size_t mark = net.sent_log.size();
  change(obs);
  std::vector<Seen> out = server_sent(mark);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].code, COAP_RESPONSE_CODE_INTERNAL_ERROR);
  EXPECT_FALSE(out[0].has_observe);
  EXPECT_EQ(subscribers(obs), 0u);
}

TEST_F(Observe, ReRegistrationWithTheSameTokenKeepsTheFirstRequest) {
  send(session, request(session, "obs", "T1", 0, COAP_MESSAGE_CON, "a=1"));
  net.deliver();
  send(session, request(session, "obs", "T1", 0, COAP_MESSAGE_CON, "a=2"));
  net.deliver();
  EXPECT_EQ(subscribers(obs), 1u);
  change(obs);
  EXPECT_EQ(world.handler_queries.back(), "a=1");
}

TEST_F(Observe, SameRequestWithANewTokenReplacesTheObservation) {
  observe_resource("obs", "T1");
  observe_resource("obs", "T2");
  EXPECT_EQ(subscribers(obs), 1u);
  size_t mark = net.sent_log.size();
  change(obs);
  std::vector<Seen> out = server_sent(mark);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].token, "T2");
}

TEST_F(Observe, DifferentQueriesAreDifferentObservations) {
  send(session, request(session, "obs", "Q1", 0, COAP_MESSAGE_CON, "a=1"));
  net.deliver();
  send(session, request(session, "obs", "Q2", 0, COAP_MESSAGE_CON, "a=2"));
  net.deliver();
  EXPECT_EQ(subscribers(obs), 2u);
  size_t mark = net.sent_log.size();
  change(obs);
  std::vector<Seen> out = server_sent(mark);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].token, "Q2");  // newest observer first, as libcoap
  EXPECT_EQ(out[1].token, "Q1");
}

TEST_F(Observe, DeletedResourceSendsNon404ToItsObservers) {
  observe_resource("obs", "T1");
  coap_session_t *other = new_session();
  send(other, request(other, "obs", "U1", 0));
  net.deliver();
  size_t mark = net.sent_log.size();
  EXPECT_EQ(coap_delete_resource(server->ctx, obs), 1);
  obs = nullptr;
  std::vector<Seen> out = server_sent(mark);
  ASSERT_EQ(out.size(), 2u);
  for (const Seen &s : out) {
    EXPECT_EQ(s.type, COAP_MESSAGE_NON);
    EXPECT_EQ(s.code, COAP_RESPONSE_CODE_NOT_FOUND);
    EXPECT_FALSE(s.has_observe);
    EXPECT_TRUE(s.payload.empty());
  }
  EXPECT_EQ(out[0].token, "U1");
  EXPECT_EQ(out[1].token, "T1");
  EXPECT_EQ(world.handler_calls, 2);  // not called for the 4.04
  release_session(other);
}

TEST_F(Observe, ObserverSessionIsNotExpiredWhileSubscribed) {
  observe_resource("obs", "T1");
  coap_session_t *srv_session = server->ctx->endpoints.front()->sessions.front();
  ASSERT_NE(srv_session, nullptr);
  EXPECT_GE(srv_session->ref, 1u);
  net.advance(3600 * 1000);  // far beyond the idle timeout
  ASSERT_EQ(server->ctx->endpoints.front()->sessions.size(), 1u);
  EXPECT_EQ(change(obs), 1);
  // Once the observation ends, the session is idle again and expires.
  send(session, request(session, "obs", "T1", COAP_OBSERVE_CANCEL));
  net.deliver();
  net.advance(3600 * 1000);
  EXPECT_EQ(server->ctx->endpoints.front()->sessions.size(), 0u);
}

TEST_F(Observe, FreeingTheServerSessionDropsItsSubscriptions) {
  observe_resource("obs", "T1");
  observe_resource("con", "C1");
  coap_session_t *srv_session = server->ctx->endpoints.front()->sessions.front();
  EXPECT_EQ(srv_session->subscriptions.size(), 2u);
  free_session(srv_session);
  EXPECT_EQ(subscribers(obs), 0u);
  EXPECT_EQ(subscribers(con), 0u);
  EXPECT_EQ(change(obs), 0);
}

TEST_F(Observe, HandlerDeletingTheResourceDuringANotificationIsSafe) {
  observe_resource("obs", "T1");
  coap_session_t *other = new_session();
  send(other, request(other, "obs", "U1", 0));
  net.deliver();
  world.delete_in_handler = obs;
  change(obs);
  obs = nullptr;
  release_session(other);
}

TEST_F(Observe, RegistrationForALaterBlockIsRefused) {
  coap_pdu_t *pdu = request(session, "obs", "B1", 0);
  uint8_t block2 = 0x12;  // block 1 of 64 bytes
  pdu->add_option(COAP_OPTION_BLOCK2, &block2, 1);
  size_t mark = net.sent_log.size();
  send(session, pdu);
  net.deliver();
  std::vector<Seen> out = server_sent(mark);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].code, COAP_RESPONSE_CODE_BAD_REQUEST);
  EXPECT_EQ(subscribers(obs), 0u);
  EXPECT_EQ(world.handler_calls, 0);
}

TEST_F(Observe, ManyObserversOfOneResource) {
  std::vector<coap_session_t *> sessions;
  for (int i = 0; i < 300; ++i) {
    coap_session_t *s = new_session();
    sessions.push_back(s);
    send(s, request(s, "nonalways", "M" + std::to_string(i), 0, COAP_MESSAGE_NON));
  }
  net.deliver();
  EXPECT_EQ(subscribers(non_always), 300u);
  size_t mark = net.sent_log.size();
  change(non_always);
  EXPECT_EQ(server_sent(mark).size(), 300u);
  net.deliver();
  for (coap_session_t *s : sessions) release_session(s);
}

TEST_F(Observe, ManyObservationsInOneSession) {
  std::vector<coap_resource_t *> resources;
  for (int i = 0; i < 200; ++i) {
    std::string path = "r" + std::to_string(i);
    resources.push_back(add_resource(path.c_str(), 0));
    send(session, request(session, path.c_str(), "K" + std::to_string(i), 0, COAP_MESSAGE_NON));
  }
  net.deliver();
  coap_session_t *srv_session = server->ctx->endpoints.front()->sessions.front();
  EXPECT_EQ(srv_session->subscriptions.size(), 200u);
  // A RST to the notification of one of them ends just that one.
  size_t mark = net.sent_log.size();
  change(resources[123]);
  net.in_flight.clear();
  send_empty(session, COAP_MESSAGE_RST, server_sent(mark).back().mid, net.now);
  net.deliver();
  EXPECT_EQ(srv_session->subscriptions.size(), 199u);
  EXPECT_EQ(subscribers(resources[123]), 0u);
  EXPECT_EQ(subscribers(resources[122]), 1u);
}

// --- client side ---

class ObserveClient : public Observe {
 protected:
  void SetUp() override {
    Observe::SetUp();
    release_session(session);
    coap_context_set_block_mode(client->ctx, COAP_BLOCK_USE_LIBCOAP);
    session = new_session();
  }
  // Observe values of what the server received from the client.
  std::vector<Seen> client_sent(size_t from) {
    std::vector<Seen> out;
    for (size_t i = from; i < net.sent_log.size(); ++i) {
      if (net.sent_log[i].to.addr.sin.sin_addr.s_addr == listen.addr.sin.sin_addr.s_addr) {
        out.push_back(decode(net.sent_log[i]));
      }
    }
    return out;
  }
};

TEST_F(ObserveClient, CancelSendsObserveOneWithTheSameToken) {
  observe_resource("obs", "T1");
  size_t mark = net.sent_log.size();
  uint8_t t[] = {'T', '1'};
  EXPECT_EQ(observe::cancel(session, t, 2, COAP_MESSAGE_NON, net.now), 1);
  std::vector<Seen> out = client_sent(mark);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].type, COAP_MESSAGE_NON);
  EXPECT_EQ(out[0].code, COAP_REQUEST_CODE_GET);
  EXPECT_EQ(out[0].token, "T1");
  EXPECT_TRUE(out[0].has_observe);
  EXPECT_EQ(out[0].observe, 1u);
  net.deliver();
  EXPECT_EQ(subscribers(obs), 0u);
  // Nothing left to cancel.
  EXPECT_EQ(observe::cancel(session, t, 2, COAP_MESSAGE_NON, net.now), 0);
}

TEST_F(ObserveClient, CancelAsCon) {
  observe_resource("obs", "T1");
  size_t mark = net.sent_log.size();
  uint8_t t[] = {'T', '1'};
  EXPECT_EQ(observe::cancel(session, t, 2, COAP_MESSAGE_CON, net.now), 1);
  std::vector<Seen> out = client_sent(mark);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].type, COAP_MESSAGE_CON);
  net.deliver();
  EXPECT_EQ(subscribers(obs), 0u);
  EXPECT_FALSE(world.client_got.back().has_observe);
}

TEST_F(ObserveClient, CancelNeedsBlockMode) {
  release_session(session);
  coap_context_set_block_mode(client->ctx, 0);
  session = new_session();
  observe_resource("obs", "T1");
  uint8_t t[] = {'T', '1'};
  EXPECT_EQ(observe::cancel(session, t, 2, COAP_MESSAGE_NON, net.now), 0);
  EXPECT_EQ(subscribers(obs), 1u);
}

TEST_F(ObserveClient, ReleasingTheSessionCancelsItsObservations) {
  observe_resource("obs", "T1");
  size_t mark = net.sent_log.size();
  release_session(session);
  session = nullptr;
  std::vector<Seen> out = client_sent(mark);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].type, COAP_MESSAGE_NON);
  EXPECT_EQ(out[0].observe, 1u);
  EXPECT_EQ(out[0].token, "T1");
  net.deliver();
  EXPECT_EQ(subscribers(obs), 0u);
}

TEST_F(ObserveClient, NoObserveCancelKeepsTheServerNotifying) {
  observe_resource("obs", "T1");
  session->no_observe_cancel = true;
  size_t mark = net.sent_log.size();
  release_session(session);
  session = nullptr;
  EXPECT_TRUE(client_sent(mark).empty());
  EXPECT_EQ(subscribers(obs), 1u);
}

TEST_F(ObserveClient, ResponseWithoutObserveEndsTracking) {
  coap_resource_set_get_observable(obs, 0);
  observe_resource("obs", "T1");
  EXPECT_TRUE(session->observations.empty());
  size_t mark = net.sent_log.size();
  release_session(session);
  session = nullptr;
  EXPECT_TRUE(client_sent(mark).empty());
}

TEST_F(ObserveClient, NotificationsAreDeliveredInArrivalOrder) {
  observe_resource("obs", "T1");
  size_t mark = net.sent_log.size();
  change(obs);
  change(obs);
  // The network swaps the two notifications: both reach the application.
  ASSERT_EQ(net.in_flight.size(), 2u);
  std::swap(net.in_flight[0], net.in_flight[1]);
  net.deliver();
  (void)mark;
  ASSERT_EQ(world.client_got.size(), 3u);
  EXPECT_EQ(world.client_got[1].observe, 4u);
  EXPECT_EQ(world.client_got[2].observe, 3u);
}

// libcoap asserts (or crashes) on these; we return the failure value.
TEST(ObserveApi, NullArgumentsAreRejected) {
  EXPECT_EQ(coap_resource_notify_observers(nullptr, nullptr), 0);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  EXPECT_EQ(coap_resource_set_dirty(nullptr, nullptr), 0);  // the deprecated alias
#pragma GCC diagnostic pop
  coap_resource_set_get_observable(nullptr, 1);
  coap_check_notify(nullptr);
  uint8_t t[] = {1};
  coap_binary_t token{1, t};
  EXPECT_EQ(coap_cancel_observe(nullptr, &token, COAP_MESSAGE_NON), 0);
  coap_binary_t broken{3, nullptr};
  FakeNetwork net;
  FakeHost host(&net, "10.0.0.9");
  coap_session_t *s =
      new_client_session(host.ctx, nullptr, ipv4("10.0.0.1", 5683), COAP_PROTO_UDP, net.now);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(coap_cancel_observe(s, &broken, COAP_MESSAGE_NON), 0);
  release_session(s);
  // A resource that was never added can be notified (nothing happens).
  coap_resource_t *r = coap_resource_init(coap_make_str_const("loose"), 0);
  coap_resource_set_get_observable(r, 1);
  EXPECT_EQ(coap_resource_notify_observers(r, nullptr), 0);
  coap_resource_t::destroy(r);
}

TEST_F(Observe, FetchBodiesMakeDifferentObservations) {
  auto fetch = [&](const std::string &token, const char *body) {
    coap_pdu_t *pdu =
        coap_pdu_t::create(COAP_MESSAGE_CON, COAP_REQUEST_CODE_FETCH, session->next_mid(), 1000);
    pdu->add_token(reinterpret_cast<const uint8_t *>(token.data()), token.size());
    uint8_t zero = 0;
    pdu->add_option(COAP_OPTION_OBSERVE, &zero, 0);
    pdu->add_option(COAP_OPTION_URI_PATH, reinterpret_cast<const uint8_t *>("obs"), 3);
    pdu->add_option(COAP_OPTION_CONTENT_FORMAT, &zero, 0);
    memcpy(pdu->add_payload(strlen(body)), body, strlen(body));
    send(session, pdu);
    net.deliver();
  };
  fetch("F1", "one");
  fetch("F2", "two");
  EXPECT_EQ(subscribers(obs), 2u);
  fetch("F3", "one");  // same request as F1 under a new token: replaces it
  EXPECT_EQ(subscribers(obs), 2u);
  size_t mark = net.sent_log.size();
  change(obs);
  std::vector<Seen> out = server_sent(mark);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].token, "F3");
  EXPECT_EQ(out[1].token, "F2");
}

}  // namespace
}  // namespace coap::test
