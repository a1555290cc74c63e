// Separate responses (core/async.h) through the in-memory network with the
// fake clock: empty ACK first, the real response later as a CON or NON of
// its own, delays, triggers, freeing and the session's lifetime.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/async.h"
#include "runtime/features.h"
#include "support/fake_network.h"
#include "wire/pdu.h"

namespace coap::test {
namespace {

// What the resource handler does when it sees a request for the first time.
enum class First { kRegister, kRegisterAndAnswer };
// What it does when libcoap calls it again for the saved request.
enum class Again { kAnswer, kLeaveEmpty, kFreeItself };

struct State {
  FakeNetwork *net = nullptr;
  uint64_t delay = 500;
  First first = First::kRegister;
  Again again = Again::kAnswer;
  int calls = 0;
  int repeat_calls = 0;  // calls that found their registration
  coap_async_t *last = nullptr;
  std::vector<std::string> seen_requests;  // "type mid payload" of repeat calls
  std::vector<std::string> responses;      // client side: "type code payload"
};
State *g;

void async_handler(coap_resource_t *, coap_session_t *session, const coap_pdu_t *request,
                   const coap_string_t *, coap_pdu_t *response) {
  ++g->calls;
  coap_async_t *a = find_async(session, request->token(), request->token_length());
  if (!a) {
    a = register_async(session, request, g->delay, g->net->now);
    g->last = a;
    if (a) coap_async_set_app_data(a, g);
    if (g->first == First::kRegisterAndAnswer) {
      coap_pdu_set_code(response, COAP_RESPONSE_CODE_CHANGED);
    }
    return;  // code left empty: an empty ACK for a CON
  }
  ++g->repeat_calls;
  EXPECT_EQ(coap_async_get_app_data(a), g);
  size_t len = 0;
  const uint8_t *data = nullptr;
  coap_get_data(request, &len, &data);
  g->seen_requests.push_back(std::to_string(request->type) + " " + std::to_string(request->mid) +
                             " " + std::string(reinterpret_cast<const char *>(data), len));
  switch (g->again) {
    case Again::kLeaveEmpty:
      return;
    case Again::kFreeItself:
      // Allowed: the registration ends when the handler returns anyway.
      coap_free_async(session, a);
      break;
    case Again::kAnswer:
      break;
  }
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
  coap_add_data(response, 4, reinterpret_cast<const uint8_t *>("done"));
}

coap_response_t on_response(coap_session_t *, const coap_pdu_t *, const coap_pdu_t *received,
                            const coap_mid_t) {
  size_t len = 0;
  const uint8_t *data = nullptr;
  coap_get_data(received, &len, &data);
  char head[32];
  snprintf(head, sizeof(head), "%d %d.%02d ", received->type, received->code >> 5,
           received->code & 31);
  g->responses.push_back(head + std::string(reinterpret_cast<const char *>(data), len));
  return COAP_RESPONSE_OK;
}

class Async : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!features::kAsync) GTEST_SKIP() << "built without COAP_ASYNC_SUPPORT";
    state.net = &net;
    g = &state;
    server = new FakeHost(&net, "10.0.0.1");
    client = new FakeHost(&net, "10.0.0.2");
    coap_address_t listen = ipv4("10.0.0.1", 5683);
    ASSERT_NE(coap_endpoint_t::create(server->ctx, listen, COAP_PROTO_UDP), nullptr);
    coap_resource_t *r = coap_resource_init(coap_make_str_const("async"), 0);
    coap_register_request_handler(r, COAP_REQUEST_PUT, async_handler);
    coap_add_resource(server->ctx, r);
    coap_register_response_handler(client->ctx, on_response);
    session = new_client_session(client->ctx, nullptr, listen, COAP_PROTO_UDP, net.now);
    ASSERT_NE(session, nullptr);
  }
  void TearDown() override {
    if (session) release_session(session);
    delete client;
    delete server;
  }

  coap_pdu_t *request(coap_pdu_type_t type = COAP_MESSAGE_CON, coap_mid_t mid = -1,
                      uint8_t token = 0xab) {
    coap_pdu_t *pdu =
        coap_pdu_t::create(type, COAP_REQUEST_CODE_PUT, mid >= 0 ? mid : session->next_mid(), 1000);
    pdu->add_token(&token, 1);
    pdu->add_option(COAP_OPTION_URI_PATH, reinterpret_cast<const uint8_t *>("async"), 5);
    std::memcpy(pdu->add_payload(2), "pl", 2);
    return pdu;
  }

  coap_pdu_t *parse_sent(size_t index) {
    coap_pdu_t *pdu = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, 0);
    const Packet &p = net.sent_log.at(index);
    EXPECT_TRUE(pdu->parse(COAP_PROTO_UDP, p.bytes.data(), p.bytes.size()));
    return pdu;
  }

  // Everything the server sent so far, parsed (free with free_all()).
  std::vector<coap_pdu_t *> server_packets() {
    std::vector<coap_pdu_t *> out;
    for (size_t i = 0; i < net.sent_log.size(); ++i) {
      if (coap_address_get_port(&net.sent_log[i].from) == 5683) out.push_back(parse_sent(i));
    }
    return out;
  }
  static void free_all(std::vector<coap_pdu_t *> &pdus) {
    for (coap_pdu_t *p : pdus) coap_pdu_t::destroy(p);
    pdus.clear();
  }

  coap_session_t *server_session() {
    coap_session_t *found = nullptr;
    server->ctx->endpoints.for_each(
        [&](coap_endpoint_t *ep) { ep->sessions.for_each([&](coap_session_t *s) { found = s; }); });
    return found;
  }

  State state;
  FakeNetwork net;
  FakeHost *server = nullptr;
  FakeHost *client = nullptr;
  coap_session_t *session = nullptr;
};

TEST_F(Async, ConRequestGetsEmptyAckThenSeparateConResponse) {
  coap_mid_t mid = send_pdu(session, request(), net.now);
  net.deliver();
  std::vector<coap_pdu_t *> sent = server_packets();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]->type, COAP_MESSAGE_ACK);
  EXPECT_EQ(sent[0]->code, COAP_EMPTY_CODE);
  EXPECT_EQ(sent[0]->mid, mid);
  EXPECT_EQ(sent[0]->used_size(), 0u);
  free_all(sent);
  EXPECT_TRUE(session->pending.empty());  // the client stops retransmitting
  EXPECT_TRUE(state.responses.empty());

  net.advance(499);
  net.deliver();
  sent = server_packets();
  EXPECT_EQ(sent.size(), 1u);
  free_all(sent);
  net.advance(1);
  net.deliver();
  sent = server_packets();
  ASSERT_EQ(sent.size(), 2u);
  coap_pdu_t *separate = sent[1];
  EXPECT_EQ(separate->type, COAP_MESSAGE_CON);
  EXPECT_EQ(separate->code, COAP_RESPONSE_CODE_CONTENT);
  EXPECT_NE(separate->mid, mid);  // a message id of its own
  ASSERT_EQ(separate->token_length(), 1u);
  EXPECT_EQ(separate->token()[0], 0xab);
  // The saved request had the id the separate response uses, and its body.
  ASSERT_EQ(state.seen_requests.size(), 1u);
  EXPECT_EQ(state.seen_requests[0], "0 " + std::to_string(separate->mid) + " pl");
  free_all(sent);
  EXPECT_EQ(state.responses, std::vector<std::string>{"0 2.05 done"});
  // The client acknowledged it: nothing is left to retransmit or answer.
  EXPECT_TRUE(nothing_pending(server->ctx));
  EXPECT_TRUE(server->ctx->async_states.empty());
  EXPECT_EQ(state.calls, 2);
}

TEST_F(Async, NonRequestGetsSeparateNonResponse) {
  coap_mid_t mid = send_pdu(session, request(COAP_MESSAGE_NON), net.now);
  net.deliver();
  EXPECT_TRUE(server_packets().empty());  // no ACK for a NON
  net.advance(500);
  net.deliver();
  std::vector<coap_pdu_t *> sent = server_packets();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]->type, COAP_MESSAGE_NON);
  EXPECT_EQ(sent[0]->code, COAP_RESPONSE_CODE_CONTENT);
  EXPECT_NE(sent[0]->mid, mid);
  EXPECT_EQ(sent[0]->token()[0], 0xab);
  free_all(sent);
  EXPECT_EQ(state.responses, std::vector<std::string>{"1 2.05 done"});
  EXPECT_EQ(state.seen_requests.size(), 1u);
  EXPECT_EQ(state.seen_requests[0].substr(0, 2), "1 ");
}

TEST_F(Async, DelayZeroWaitsForTrigger) {
  state.delay = 0;
  send_pdu(session, request(), net.now);
  net.deliver();
  net.advance(3600 * 1000);
  net.deliver();
  EXPECT_TRUE(state.responses.empty());
  EXPECT_EQ(state.calls, 1);
  ASSERT_NE(state.last, nullptr);
  trigger_async(state.last, net.now);
  net.run_timers();
  net.deliver();
  EXPECT_EQ(state.responses, std::vector<std::string>{"0 2.05 done"});
  EXPECT_EQ(state.calls, 2);
}

TEST_F(Async, TriggerAnswersBeforeTheDelay) {
  state.delay = 60 * 1000;
  send_pdu(session, request(), net.now);
  net.deliver();
  net.advance(1000);
  trigger_async(state.last, net.now);
  net.run_timers();
  net.deliver();
  EXPECT_EQ(state.responses.size(), 1u);
  net.advance(120 * 1000);
  net.deliver();
  EXPECT_EQ(state.responses.size(), 1u);  // only once
}

TEST_F(Async, SetDelayZeroSuspendsAndNonZeroRestarts) {
  send_pdu(session, request(), net.now);
  net.deliver();
  set_async_delay(state.last, 0, net.now);
  net.advance(10 * 1000);
  net.deliver();
  EXPECT_TRUE(state.responses.empty());
  set_async_delay(state.last, 100, net.now);
  net.advance(99);
  net.deliver();
  EXPECT_TRUE(state.responses.empty());
  net.advance(1);
  net.deliver();
  EXPECT_EQ(state.responses.size(), 1u);
}

TEST_F(Async, RepeatedRequestsWhileWaitingAreOnlyAcknowledged) {
  coap_mid_t mid = send_pdu(session, request(), net.now);
  net.deliver();
  // The same CON again (its ACK was lost), a new CON and a NON with the
  // same token: none reaches the handler.
  coap_pdu_t *same = request(COAP_MESSAGE_CON, mid);
  transmit(session, same, net.now);
  coap_pdu_t::destroy(same);
  coap_pdu_t *again = request(COAP_MESSAGE_CON, mid + 100);
  transmit(session, again, net.now);
  coap_pdu_t *non = request(COAP_MESSAGE_NON, mid + 200);
  transmit(session, non, net.now);
  coap_pdu_t::destroy(again);
  coap_pdu_t::destroy(non);
  net.deliver();
  EXPECT_EQ(state.calls, 1);
  std::vector<coap_pdu_t *> sent = server_packets();
  ASSERT_EQ(sent.size(), 3u);  // ACK, ACK (duplicate), ACK (new CON); nothing for the NON
  EXPECT_EQ(sent[1]->type, COAP_MESSAGE_ACK);
  EXPECT_EQ(sent[1]->mid, mid);
  EXPECT_EQ(sent[2]->type, COAP_MESSAGE_ACK);
  EXPECT_EQ(sent[2]->code, COAP_EMPTY_CODE);
  EXPECT_EQ(sent[2]->mid, mid + 100);
  free_all(sent);
  net.advance(500);
  net.deliver();
  EXPECT_EQ(state.calls, 2);
  EXPECT_EQ(state.responses.size(), 1u);
}

TEST_F(Async, FreedRegistrationNeverAnswers) {
  send_pdu(session, request(), net.now);
  net.deliver();
  ASSERT_NE(state.last, nullptr);
  coap_session_t *ss = server_session();
  unsigned ref_with = ss->ref;
  free_async(state.last);
  EXPECT_EQ(ss->ref, ref_with - 1);  // its session reference is released
  EXPECT_EQ(find_async(ss, reinterpret_cast<const uint8_t *>("\xab"), 1), nullptr);
  net.advance(10 * 1000);
  net.deliver();
  EXPECT_TRUE(state.responses.empty());
  EXPECT_EQ(state.calls, 1);
  // A new request with the token is handled from scratch.
  send_pdu(session, request(), net.now);
  net.deliver();
  EXPECT_EQ(state.calls, 2);
  EXPECT_EQ(server->ctx->async_states.size(), 1u);
}

TEST_F(Async, HandlerMayFreeTheRegistrationItIsAnsweringFor) {
  state.again = Again::kFreeItself;
  send_pdu(session, request(), net.now);
  net.deliver();
  net.advance(500);
  net.deliver();
  EXPECT_EQ(state.responses, std::vector<std::string>{"0 2.05 done"});
  EXPECT_TRUE(server->ctx->async_states.empty());
}

TEST_F(Async, EmptyAnswerSendsNothing) {
  // libcoap 4.3.5 would send an (invalid) empty CON carrying the token.
  state.again = Again::kLeaveEmpty;
  send_pdu(session, request(), net.now);
  net.deliver();
  net.advance(500);
  net.deliver();
  std::vector<coap_pdu_t *> sent = server_packets();
  EXPECT_EQ(sent.size(), 1u);  // the empty ACK only
  free_all(sent);
  EXPECT_TRUE(server->ctx->async_states.empty());
}

TEST_F(Async, AnswerAtRegistrationIsPiggybackedAndTheSeparateOneFollows) {
  state.first = First::kRegisterAndAnswer;
  send_pdu(session, request(), net.now);
  net.deliver();
  EXPECT_EQ(state.responses, std::vector<std::string>{"2 2.04 "});
  net.advance(500);
  net.deliver();
  EXPECT_EQ(state.responses, (std::vector<std::string>{"2 2.04 ", "0 2.05 done"}));
}

TEST_F(Async, UnacknowledgedSeparateResponseIsRetransmitted) {
  send_pdu(session, request(), net.now);
  net.deliver();
  net.advance(500);
  net.in_flight.clear();  // the separate CON is lost
  net.advance(2000);      // ACK_TIMEOUT (random factor aside) at most 3 s
  net.advance(1000);
  net.deliver();
  std::vector<coap_pdu_t *> sent = server_packets();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[1]->mid, sent[2]->mid);  // the same message again
  EXPECT_EQ(sent[2]->type, COAP_MESSAGE_CON);
  free_all(sent);
  EXPECT_EQ(state.responses.size(), 1u);
}

TEST_F(Async, RegistrationKeepsTheServerSessionAlive) {
  // Idle server sessions go after 300 s; one owing a separate response
  // stays until it has been answered.
  state.delay = 0;
  send_pdu(session, request(), net.now);
  net.deliver();
  coap_session_t *ss = server_session();
  ASSERT_NE(ss, nullptr);
  net.advance(400 * 1000);
  EXPECT_EQ(server_session(), ss);
  trigger_async(state.last, net.now);
  net.run_timers();
  net.deliver();
  EXPECT_EQ(state.responses.size(), 1u);
  net.advance(400 * 1000);
  EXPECT_EQ(server_session(), nullptr);
}

TEST_F(Async, SessionFreedWithRegistrationDropsIt) {
  send_pdu(session, request(), net.now);
  net.deliver();
  coap_session_t *ss = server_session();
  ASSERT_EQ(server->ctx->async_states.size(), 1u);
  free_session(ss);  // forced removal (the registration's reference aside)
  EXPECT_TRUE(server->ctx->async_states.empty());
  net.advance(1000);
  net.deliver();
  EXPECT_TRUE(state.responses.empty());
}

TEST_F(Async, ContextFreedWithRegistrationsWaiting) {
  state.delay = 0;
  send_pdu(session, request(), net.now);
  send_pdu(session, request(COAP_MESSAGE_NON, -1, 0xcd), net.now);
  net.deliver();
  EXPECT_EQ(server->ctx->async_states.size(), 2u);
  // TearDown frees the server context: registrations go first (no leak or
  // use after free under the sanitizers).
}

TEST_F(Async, RegisterRefusesNonRequestsAndRepeatedTokens) {
  send_pdu(session, request(), net.now);
  net.deliver();
  coap_session_t *ss = server_session();
  coap_pdu_t *req = request(COAP_MESSAGE_CON, 7);
  EXPECT_EQ(register_async(ss, req, 100, net.now), nullptr);  // token 0xab is taken
  req->code = COAP_RESPONSE_CODE_CONTENT;
  req->update_token(reinterpret_cast<const uint8_t *>("\x01"), 1);
  EXPECT_EQ(register_async(ss, req, 100, net.now), nullptr);  // not a request
  req->code = COAP_REQUEST_CODE_GET;
  coap_async_t *a = register_async(ss, req, 100, net.now);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(find_async(ss, reinterpret_cast<const uint8_t *>("\x01"), 1), a);
  EXPECT_EQ(find_async(session, reinterpret_cast<const uint8_t *>("\x01"), 1), nullptr);
  free_async(a);
  coap_pdu_t::destroy(req);
}

TEST(AsyncApi, SupportedAndNullArguments) {
  EXPECT_EQ(coap_async_is_supported(), features::kAsync ? 1 : 0);
  EXPECT_EQ(coap_register_async(nullptr, nullptr, 0), nullptr);
  coap_bin_const_t token = {0, nullptr};
  EXPECT_EQ(coap_find_async(nullptr, token), nullptr);
  coap_async_trigger(nullptr);
  coap_async_set_delay(nullptr, 5);
  coap_free_async(nullptr, nullptr);
  coap_async_set_app_data(nullptr, nullptr);
  EXPECT_EQ(coap_async_get_app_data(nullptr), nullptr);
}

TEST(AsyncApi, BuildWithoutAsyncSupportRegistersNothing) {
  // libcoap built without COAP_ASYNC_SUPPORT: every call is a harmless
  // no-op and nothing is ever registered or found.
  if (features::kAsync) GTEST_SKIP() << "built with COAP_ASYNC_SUPPORT";
  FakeNetwork net;
  FakeHost host(&net, "10.0.0.2");
  coap_session_t *s =
      new_client_session(host.ctx, nullptr, ipv4("10.0.0.1", 5683), COAP_PROTO_UDP, net.now);
  ASSERT_NE(s, nullptr);
  coap_pdu_t *req = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 0);
  EXPECT_EQ(coap_register_async(s, req, 1000), nullptr);
  coap_bin_const_t token = {0, nullptr};
  EXPECT_EQ(coap_find_async(s, token), nullptr);
  EXPECT_TRUE(host.ctx->async_states.empty());
  coap_pdu_t::destroy(req);
  release_session(s);
}

}  // namespace
}  // namespace coap::test
