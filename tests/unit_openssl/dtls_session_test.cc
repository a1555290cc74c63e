// Sessions over DTLS (and TLS) with the OpenSSL backend, driven through the
// in-memory network with the fake clock: the stateless cookie exchange,
// events and states as libcoap reports them, messages held during the
// handshake, loss and retransmission, the handshake time limit, wrong
// keys, the handshake-session limit, garbage and close_notify.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/dtls.h"
#include "core/secure.h"
#include "support/fake_network.h"
#include "wire/pdu.h"

namespace coap::test {
namespace {

struct Event {
  char side;  // 'c' client context, 's' server context
  coap_event_t event;
  coap_session_state_t state;
  coap_session_type_t type;
  bool operator==(const Event &o) const {
    return side == o.side && event == o.event && state == o.state && type == o.type;
  }
};

std::ostream &operator<<(std::ostream &os, const Event &e) {
  return os << e.side << ":0x" << std::hex << e.event << std::dec << "/state " << e.state
            << "/type " << e.type;
}

struct Seen {
  std::vector<Event> events;
  std::vector<std::string> responses;
  std::vector<coap_nack_reason_t> nacks;
  int requests = 0;
  std::vector<std::string> logs;
  coap_context_t *server_ctx = nullptr;
};
Seen *g_seen;

int on_event(coap_session_t *s, const coap_event_t event) {
  char side = coap_session_get_context(s) == g_seen->server_ctx ? 's' : 'c';
  g_seen->events.push_back({side, event, coap_session_get_state(s), coap_session_get_type(s)});
  return 0;
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

void hello_get(coap_resource_t *, coap_session_t *, const coap_pdu_t *, const coap_string_t *,
               coap_pdu_t *response) {
  ++g_seen->requests;
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
  coap_add_data(response, 12, reinterpret_cast<const uint8_t *>("hello secret"));
}

void on_log(coap_log_t, const char *message) {
  g_seen->logs.push_back(message);
}

int zero_prng(void *out, size_t len) {
  memset(out, 0, len);
  return 1;
}

coap_bin_const_t bin(const char *s) {
  return coap_bin_const_t{strlen(s), reinterpret_cast<const uint8_t *>(s)};
}

std::string str(const coap_bin_const_t *b) {
  return b ? std::string(reinterpret_cast<const char *>(b->s), b->length) : "<null>";
}

// DTLS record and handshake message types (RFC 6347).
constexpr uint8_t kHandshake = 22, kAlert = 21, kAppData = 23;
constexpr uint8_t kClientHello = 1, kServerHello = 2, kHelloVerify = 3;

uint8_t record_type(const Packet &p) {
  return p.bytes.empty() ? 0 : p.bytes[0];
}
uint8_t handshake_type(const Packet &p) {
  return p.bytes.size() > 13 && p.bytes[0] == kHandshake ? p.bytes[13] : 0;
}

class DtlsSession : public ::testing::Test {
 protected:
  void SetUp() override {
    g_seen = &seen;
    coap_set_prng(zero_prng);
    server = new FakeHost(&net, "10.0.0.1");
    client = new FakeHost(&net, "10.0.0.2");
    seen.server_ctx = server->ctx;
    coap_dtls_spsk_t spsk = {};
    spsk.version = COAP_DTLS_SPSK_SETUP_VERSION;
    spsk.psk_info.hint = bin("hint");
    spsk.psk_info.key = bin("secret");
    ASSERT_EQ(coap_context_set_psk2(server->ctx, &spsk), 1);
    listen = ipv4("10.0.0.1", 5684);
    ASSERT_NE(coap_endpoint_t::create(server->ctx, listen, COAP_PROTO_DTLS), nullptr);
    coap_resource_t *r = coap_resource_init(coap_make_str_const("hello"), 0);
    coap_register_request_handler(r, COAP_REQUEST_GET, hello_get);
    coap_add_resource(server->ctx, r);
    for (FakeHost *h : {server, client}) {
      coap_register_event_handler(h->ctx, on_event);
      coap_register_response_handler(h->ctx, on_response);
      coap_register_nack_handler(h->ctx, on_nack);
    }
  }
  void TearDown() override {
    for (coap_session_t *s : clients) release_session(s);
    delete client;
    delete server;
    coap_set_prng(nullptr);
    coap_set_log_handler(nullptr);
    coap_set_log_level(COAP_LOG_WARN);
  }

  coap_session_t *connect(const char *key = "secret", const char *identity = "me",
                          coap_proto_t proto = COAP_PROTO_DTLS) {
    coap_session_t *s = new_client_session(client->ctx, nullptr, listen, proto, net.now);
    EXPECT_NE(s, nullptr);
    if (!s) return nullptr;
    coap_dtls_cpsk_t cpsk = {};
    cpsk.version = COAP_DTLS_CPSK_SETUP_VERSION;
    cpsk.psk_info.identity = bin(identity);
    cpsk.psk_info.key = bin(key);
    EXPECT_TRUE(secure::start_client(s, &cpsk, nullptr, net.now));
    clients.push_back(s);
    return s;
  }

  coap_mid_t get(coap_session_t *s, coap_pdu_type_t type = COAP_MESSAGE_CON) {
    coap_pdu_t *pdu = coap_pdu_t::create(type, COAP_REQUEST_CODE_GET, s->next_mid(), 1000);
    uint8_t token[] = {0x5e};
    pdu->add_token(token, 1);
    pdu->add_option(COAP_OPTION_URI_PATH, reinterpret_cast<const uint8_t *>("hello"), 5);
    return send_pdu(s, pdu, net.now);
  }

  size_t server_sessions() {
    size_t n = 0;
    server->ctx->endpoints.for_each(
        [&](coap_endpoint_t *ep) { ep->sessions.for_each([&](coap_session_t *) { ++n; }); });
    return n;
  }
  coap_session_t *server_session_of(const coap_session_t *c) {
    coap_session_t *found = nullptr;
    server->ctx->endpoints.for_each([&](coap_endpoint_t *ep) {
      if (!found) found = ep->find_session(c->addr_info.local);
    });
    return found;
  }

  // Sends raw bytes to the DTLS endpoint from an unknown peer.
  void inject(const std::vector<uint8_t> &bytes, const char *from = "10.0.0.9") {
    Packet p;
    p.from = ipv4(from, 4321);
    p.to = listen;
    p.bytes = bytes;
    net.in_flight.push_back(p);
    net.deliver();
  }

  std::vector<Event> side(char which) const {
    std::vector<Event> out;
    for (const Event &e : seen.events) {
      if (e.side == which) out.push_back(e);
    }
    return out;
  }

  bool plaintext_on_wire(const char *text) const {
    std::string needle(text);
    for (const Packet &p : net.sent_log) {
      std::string bytes(p.bytes.begin(), p.bytes.end());
      if (bytes.find(needle) != std::string::npos) return true;
    }
    return false;
  }

  Seen seen;
  FakeNetwork net;
  FakeHost *server = nullptr;
  FakeHost *client = nullptr;
  coap_address_t listen;
  std::vector<coap_session_t *> clients;
};

TEST_F(DtlsSession, HandshakeEventsStatesAndHeldRequests) {
  coap_session_t *s = connect();
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->state, COAP_SESSION_STATE_HANDSHAKE);
  // libcoap's figure before a cipher suite is chosen: 1152 - 29 - 4.
  EXPECT_EQ(s->max_pdu_size(), 1119u);
  ASSERT_EQ(net.in_flight.size(), 1u);
  EXPECT_EQ(handshake_type(net.in_flight.front()), kClientHello);
  // Sent during the handshake: held, nothing more on the wire.
  EXPECT_NE(get(s), COAP_INVALID_MID);
  EXPECT_NE(get(s, COAP_MESSAGE_NON), COAP_INVALID_MID);
  EXPECT_EQ(net.in_flight.size(), 1u);
  EXPECT_TRUE(s->pending.empty());

  net.deliver();
  EXPECT_EQ(s->state, COAP_SESSION_STATE_ESTABLISHED);
  EXPECT_EQ(seen.responses, (std::vector<std::string>{"2.05 hello secret", "2.05 hello secret"}));
  coap_session_t *srv = server_session_of(s);
  ASSERT_NE(srv, nullptr);
  EXPECT_EQ(srv->state, COAP_SESSION_STATE_ESTABLISHED);
  EXPECT_EQ(srv->type, COAP_SESSION_TYPE_SERVER);
  // The server reports the peer as a HELLO session first; both sides
  // report DTLS_CONNECTED while still in HANDSHAKE, and no
  // SESSION_CONNECTED (as libcoap).
  EXPECT_EQ(
      side('s'),
      (std::vector<Event>{
          {'s', COAP_EVENT_SERVER_SESSION_NEW, COAP_SESSION_STATE_NONE, COAP_SESSION_TYPE_HELLO},
          {'s', COAP_EVENT_DTLS_CONNECTED, COAP_SESSION_STATE_HANDSHAKE, COAP_SESSION_TYPE_SERVER},
      }));
  EXPECT_EQ(side('c'),
            (std::vector<Event>{{'c', COAP_EVENT_DTLS_CONNECTED, COAP_SESSION_STATE_HANDSHAKE,
                                 COAP_SESSION_TYPE_CLIENT}}));
  // The PDU size follows the cipher suite's record overhead.
  size_t overhead = secure::layer_of(s)->engine()->overhead();
  EXPECT_GE(overhead, 29u);
  EXPECT_EQ(s->max_pdu_size(), 1152u - overhead - 4);
  // Nothing readable on the wire.
  EXPECT_FALSE(plaintext_on_wire("hello secret"));
  EXPECT_FALSE(plaintext_on_wire("hello"));

  // Accessors.
  EXPECT_EQ(str(coap_session_get_psk_identity(s)), "me");
  EXPECT_EQ(str(coap_session_get_psk_key(s)), "secret");
  EXPECT_EQ(str(coap_session_get_psk_hint(s)), "hint");
  EXPECT_EQ(str(coap_session_get_psk_identity(srv)), "me");
  coap_tls_library_t lib = COAP_TLS_LIBRARY_NOTLS;
  EXPECT_NE(coap_session_get_tls(s, &lib), nullptr);
  EXPECT_EQ(lib, COAP_TLS_LIBRARY_OPENSSL);
}

TEST_F(DtlsSession, UnknownPeersAreScreenedWithoutState) {
  coap_session_t *s = connect();
  ASSERT_NE(s, nullptr);
  size_t sent = net.sent_log.size();
  // The first ClientHello only earns a HelloVerifyRequest: no session,
  // no event.
  Packet hello = net.in_flight.front();
  net.in_flight.clear();
  net.in_flight.push_back(hello);
  net.deliver([&](const Packet &p) { return coap_address_equals(&p.to, &listen) == 0; });
  EXPECT_EQ(server_sessions(), 0u);
  ASSERT_EQ(net.sent_log.size(), sent + 1);
  EXPECT_EQ(handshake_type(net.sent_log[sent]), kHelloVerify);
  EXPECT_TRUE(seen.events.empty());
  // The ClientHello with the cookie creates the session.
  net.in_flight.clear();
  hello.bytes.clear();
  EXPECT_EQ(s->state, COAP_SESSION_STATE_HANDSHAKE);
  net.deliver();      // nothing queued
  net.advance(1000);  // the client repeats its ClientHello; the exchange completes
  net.deliver();
  EXPECT_EQ(s->state, COAP_SESSION_STATE_ESTABLISHED);
  EXPECT_EQ(server_sessions(), 1u);
}

TEST_F(DtlsSession, GarbageIsDroppedWithALogLineAndNoState) {
  coap_set_log_handler(on_log);
  coap_set_log_level(COAP_LOG_DEBUG);
  std::vector<uint8_t> coap_get = {0x40, 0x01, 0x12, 0x34, 0xb5, 'h', 'e', 'l', 'l', 'o'};
  std::vector<uint8_t> app_data = {kAppData, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 1, 0, 3, 1, 2, 3};
  std::vector<uint8_t> random(200);
  for (size_t i = 0; i < random.size(); ++i) random[i] = static_cast<uint8_t>(i * 37 + 11);
  for (const auto &bytes : {coap_get, app_data, random, std::vector<uint8_t>{}}) inject(bytes);
  EXPECT_EQ(server_sessions(), 0u);
  EXPECT_TRUE(net.sent_log.empty());  // no answer to any of them
  EXPECT_TRUE(seen.events.empty());
  EXPECT_EQ(seen.requests, 0);
  int dropped = 0;
  for (const std::string &line : seen.logs) {
    if (line.find("not a DTLS ClientHello") != std::string::npos) ++dropped;
  }
  EXPECT_EQ(dropped, 4);
  // The endpoint still serves real clients.
  coap_set_log_handler(nullptr);
  coap_set_log_level(COAP_LOG_WARN);
  coap_session_t *s = connect();
  get(s);
  net.deliver();
  EXPECT_EQ(seen.responses.size(), 1u);
}

TEST_F(DtlsSession, LostFlightIsRetransmittedOnTheFakeClock) {
  coap_session_t *s = connect();
  get(s);
  // The server's first flight (ServerHello...) is lost.
  bool lost = false;
  net.deliver([&](const Packet &p) {
    if (!lost && handshake_type(p) == kServerHello) {
      lost = true;
      return true;
    }
    return false;
  });
  ASSERT_TRUE(lost);
  EXPECT_EQ(s->state, COAP_SESSION_STATE_HANDSHAKE);
  size_t sent = net.sent_log.size();
  net.advance(999);
  EXPECT_EQ(net.sent_log.size(), sent);
  net.advance(1);  // 1 s later both sides repeat their last flight
  ASSERT_GT(net.sent_log.size(), sent);
  bool server_again = false;
  for (size_t i = sent; i < net.sent_log.size(); ++i) {
    if (handshake_type(net.sent_log[i]) == kServerHello) server_again = true;
  }
  EXPECT_TRUE(server_again);
  net.deliver();
  EXPECT_EQ(s->state, COAP_SESSION_STATE_ESTABLISHED);
  EXPECT_EQ(seen.responses.size(), 1u);
  EXPECT_EQ(seen.requests, 1);
  // The held CON went once, after the handshake, and was answered.
  int app_from_client = 0;
  for (const Packet &p : net.sent_log) {
    if (record_type(p) == kAppData && coap_address_equals(&p.to, &listen)) ++app_from_client;
  }
  EXPECT_EQ(app_from_client, 1);
  EXPECT_TRUE(s->pending.empty());
}

TEST_F(DtlsSession, LostResponseIsResentFromTheCacheEncrypted) {
  coap_session_t *s = connect();
  net.deliver();
  ASSERT_EQ(s->state, COAP_SESSION_STATE_ESTABLISHED);
  get(s);
  bool lost = false;
  net.deliver([&](const Packet &p) {
    if (!lost && record_type(p) == kAppData && !coap_address_equals(&p.to, &listen)) {
      lost = true;
      return true;
    }
    return false;
  });
  ASSERT_TRUE(lost);
  EXPECT_TRUE(seen.responses.empty());
  net.advance(2000);  // the CON is retransmitted (ACK_TIMEOUT with zero randomness)
  net.deliver();
  EXPECT_EQ(seen.responses, std::vector<std::string>{"2.05 hello secret"});
  EXPECT_EQ(seen.requests, 1);  // answered from the duplicate cache
  EXPECT_FALSE(plaintext_on_wire("hello secret"));
}

TEST_F(DtlsSession, HandshakeTimesOutAfter31SecondsAndNacksHeldCon) {
  coap_session_t *s = connect();
  get(s);
  get(s, COAP_MESSAGE_NON);
  uint64_t start = net.now;
  std::vector<uint64_t> hellos = {0};
  size_t seen_packets = net.sent_log.size();
  for (int i = 0; i < 40; ++i) {
    net.in_flight.clear();  // the server is unreachable
    net.advance(1000);
    while (seen_packets < net.sent_log.size()) {
      ++seen_packets;
      hellos.push_back(net.now - start);
    }
  }
  EXPECT_EQ(hellos, (std::vector<uint64_t>{0, 1000, 3000, 7000, 15000}));
  EXPECT_EQ(s->state, COAP_SESSION_STATE_NONE);
  // Only the CON is nacked; then DTLS_CLOSED in state NONE (libcoap).
  EXPECT_EQ(seen.nacks, std::vector<coap_nack_reason_t>{COAP_NACK_TLS_FAILED});
  EXPECT_EQ(side('c'), (std::vector<Event>{{'c', COAP_EVENT_DTLS_CLOSED, COAP_SESSION_STATE_NONE,
                                            COAP_SESSION_TYPE_CLIENT}}));
  // Sending on the failed session fails without harm.
  seen.nacks.clear();
  get(s, COAP_MESSAGE_NON);
  EXPECT_EQ(net.in_flight.size(), 0u);
}

TEST_F(DtlsSession, WrongKeyFailsWhileAnotherClientIsServed) {
  coap_session_t *good = connect();
  coap_session_t *bad = connect("wrong", "mallory");
  get(bad);
  get(good);
  net.deliver();
  EXPECT_EQ(good->state, COAP_SESSION_STATE_ESTABLISHED);
  EXPECT_EQ(bad->state, COAP_SESSION_STATE_HANDSHAKE);
  EXPECT_EQ(seen.responses.size(), 1u);
  EXPECT_EQ(server_sessions(), 2u);
  for (int i = 0; i < 35; ++i) {
    net.advance(1000);
    net.deliver();
    if (i % 5 == 0) get(good);  // the healthy client keeps talking
    net.deliver();
  }
  EXPECT_EQ(bad->state, COAP_SESSION_STATE_NONE);
  EXPECT_EQ(seen.nacks, std::vector<coap_nack_reason_t>{COAP_NACK_TLS_FAILED});
  // The failed server session is gone; the good one still serves.
  EXPECT_EQ(server_sessions(), 1u);
  EXPECT_EQ(server_session_of(good)->state, COAP_SESSION_STATE_ESTABLISHED);
  EXPECT_EQ(seen.responses.size(), 8u);
  std::vector<Event> srv = side('s');
  ASSERT_GE(srv.size(), 2u);
  EXPECT_EQ(srv[srv.size() - 2].event, COAP_EVENT_DTLS_CLOSED);
  EXPECT_EQ(srv.back().event, COAP_EVENT_SERVER_SESSION_DEL);
}

const coap_bin_const_t *only_known(coap_bin_const_t *identity, coap_session_t *, void *) {
  static const coap_bin_const_t key = {6, reinterpret_cast<const uint8_t *>("secret")};
  std::string id(reinterpret_cast<const char *>(identity->s), identity->length);
  return id == "known" ? &key : nullptr;
}

TEST_F(DtlsSession, UnknownIdentityIsRefusedAtOnce) {
  coap_dtls_spsk_t spsk = {};
  spsk.version = COAP_DTLS_SPSK_SETUP_VERSION;
  spsk.psk_info.hint = bin("hint");
  spsk.psk_info.key = bin("secret");
  spsk.validate_id_call_back = only_known;
  ASSERT_EQ(coap_context_set_psk2(server->ctx, &spsk), 1);
  coap_session_t *stranger = connect("secret", "stranger");
  get(stranger);
  net.deliver();
  // No waiting for a timeout: the server's alert ends both sides.
  EXPECT_EQ(stranger->state, COAP_SESSION_STATE_NONE);
  EXPECT_EQ(seen.nacks, std::vector<coap_nack_reason_t>{COAP_NACK_TLS_FAILED});
  EXPECT_EQ(server_sessions(), 0u);
  // libcoap's events: the refusing server reports DTLS_ERROR (it sent the
  // fatal alert), the client only DTLS_CLOSED.
  EXPECT_EQ(
      side('s'),
      (std::vector<Event>{
          {'s', COAP_EVENT_SERVER_SESSION_NEW, COAP_SESSION_STATE_NONE, COAP_SESSION_TYPE_HELLO},
          {'s', COAP_EVENT_DTLS_ERROR, COAP_SESSION_STATE_HANDSHAKE, COAP_SESSION_TYPE_SERVER},
          {'s', COAP_EVENT_DTLS_CLOSED, COAP_SESSION_STATE_NONE, COAP_SESSION_TYPE_SERVER},
          {'s', COAP_EVENT_SERVER_SESSION_DEL, COAP_SESSION_STATE_NONE, COAP_SESSION_TYPE_SERVER},
      }));
  EXPECT_EQ(side('c'), (std::vector<Event>{{'c', COAP_EVENT_DTLS_CLOSED, COAP_SESSION_STATE_NONE,
                                            COAP_SESSION_TYPE_CLIENT}}));
  coap_tls_library_t lib = COAP_TLS_LIBRARY_NOTLS;
  EXPECT_EQ(coap_session_get_tls(stranger, &lib), nullptr);  // gone with the connection
  EXPECT_EQ(lib, COAP_TLS_LIBRARY_OPENSSL);
  // A known identity still gets in.
  coap_session_t *known = connect("secret", "known");
  get(known);
  net.deliver();
  EXPECT_EQ(known->state, COAP_SESSION_STATE_ESTABLISHED);
  EXPECT_EQ(seen.responses.size(), 1u);
}

TEST_F(DtlsSession, OldestHalfOpenHandshakeGoesAtTheLimit) {
  coap_context_set_max_handshake_sessions(server->ctx, 2);
  auto stall = [&](const Packet &p) { return handshake_type(p) == kServerHello; };
  std::vector<coap_session_t *> c;
  for (int i = 0; i < 3; ++i) {
    c.push_back(connect());
    net.deliver(stall);
    net.advance(10);
  }
  EXPECT_EQ(server_sessions(), 2u);
  EXPECT_EQ(server_session_of(c[0]), nullptr);
  EXPECT_NE(server_session_of(c[1]), nullptr);
  EXPECT_NE(server_session_of(c[2]), nullptr);
  int deleted = 0;
  for (const Event &e : side('s')) deleted += e.event == COAP_EVENT_SERVER_SESSION_DEL;
  EXPECT_EQ(deleted, 1);
  // Without the stall the survivors complete (the evicted client gives
  // up first: its retries would evict them in turn).
  clients.erase(clients.begin());
  release_session(c[0]);
  net.advance(1000);
  net.deliver();
  EXPECT_EQ(c[1]->state, COAP_SESSION_STATE_ESTABLISHED);
  EXPECT_EQ(c[2]->state, COAP_SESSION_STATE_ESTABLISHED);
}

TEST_F(DtlsSession, ReleaseSendsCloseNotify) {
  coap_session_t *s = connect();
  net.deliver();
  ASSERT_EQ(server_sessions(), 1u);
  seen.events.clear();
  clients.clear();
  release_session(s);
  ASSERT_EQ(net.in_flight.size(), 1u);
  EXPECT_EQ(record_type(net.in_flight.front()), kAlert);
  net.deliver();
  EXPECT_EQ(server_sessions(), 0u);
  EXPECT_EQ(
      seen.events,
      (std::vector<Event>{
          {'c', COAP_EVENT_DTLS_CLOSED, COAP_SESSION_STATE_ESTABLISHED, COAP_SESSION_TYPE_CLIENT},
          {'s', COAP_EVENT_DTLS_CLOSED, COAP_SESSION_STATE_NONE, COAP_SESSION_TYPE_SERVER},
          {'s', COAP_EVENT_SERVER_SESSION_DEL, COAP_SESSION_STATE_NONE, COAP_SESSION_TYPE_SERVER},
      }));
}

TEST_F(DtlsSession, ContextFreeReportsDelThenClosed) {
  coap_session_t *s = connect();
  net.deliver();
  seen.events.clear();
  // The server goes away first: its session reports SESSION_DEL, then
  // DTLS_CLOSED, and says close_notify.
  delete server;
  server = nullptr;
  ASSERT_EQ(seen.events.size(), 2u);
  EXPECT_EQ(seen.events[0].event, COAP_EVENT_SERVER_SESSION_DEL);
  EXPECT_EQ(seen.events[1].event, COAP_EVENT_DTLS_CLOSED);
  EXPECT_EQ(seen.events[1].state, COAP_SESSION_STATE_ESTABLISHED);
  ASSERT_EQ(net.in_flight.size(), 1u);
  EXPECT_EQ(record_type(net.in_flight.front()), kAlert);
  net.deliver();
  EXPECT_EQ(s->state, COAP_SESSION_STATE_NONE);
  server = new FakeHost(&net, "10.0.0.1");  // for TearDown
}

// --- TLS over the fake stream connections ------------------------------------

class TlsSession : public DtlsSession {
 protected:
  void SetUp() override {
    DtlsSession::SetUp();
    ASSERT_NE(coap_endpoint_t::create(server->ctx, listen, COAP_PROTO_TLS), nullptr);
  }
};

TEST_F(TlsSession, HandshakeThenCsmThenRequests) {
  coap_session_t *s = connect("secret", "me", COAP_PROTO_TLS);
  ASSERT_NE(s, nullptr);
  get(s);  // held until the session is established
  net.deliver();
  EXPECT_EQ(s->state, COAP_SESSION_STATE_ESTABLISHED);
  EXPECT_EQ(seen.responses, std::vector<std::string>{"2.05 hello secret"});
  EXPECT_FALSE(plaintext_on_wire("hello secret"));
  EXPECT_EQ(
      side('c'),
      (std::vector<Event>{
          {'c', COAP_EVENT_TCP_CONNECTED, COAP_SESSION_STATE_CONNECTING, COAP_SESSION_TYPE_CLIENT},
          {'c', COAP_EVENT_DTLS_CONNECTED, COAP_SESSION_STATE_HANDSHAKE, COAP_SESSION_TYPE_CLIENT},
          {'c', COAP_EVENT_SESSION_CONNECTED, COAP_SESSION_STATE_CSM, COAP_SESSION_TYPE_CLIENT},
      }));
  EXPECT_EQ(
      side('s'),
      (std::vector<Event>{
          {'s', COAP_EVENT_TCP_CONNECTED, COAP_SESSION_STATE_NONE, COAP_SESSION_TYPE_SERVER},
          {'s', COAP_EVENT_SERVER_SESSION_NEW, COAP_SESSION_STATE_NONE, COAP_SESSION_TYPE_SERVER},
          {'s', COAP_EVENT_DTLS_CONNECTED, COAP_SESSION_STATE_HANDSHAKE, COAP_SESSION_TYPE_SERVER},
          {'s', COAP_EVENT_SESSION_CONNECTED, COAP_SESSION_STATE_CSM, COAP_SESSION_TYPE_SERVER},
      }));
  EXPECT_EQ(str(coap_session_get_psk_identity(s)), "me");

  // Release: the client reports DTLS_CLOSED; the server TCP_CLOSED,
  // SESSION_CLOSED, DTLS_CLOSED and SESSION_DEL (libcoap's order).
  seen.events.clear();
  clients.clear();
  release_session(s);
  net.deliver();
  EXPECT_EQ(
      seen.events,
      (std::vector<Event>{
          {'c', COAP_EVENT_DTLS_CLOSED, COAP_SESSION_STATE_ESTABLISHED, COAP_SESSION_TYPE_CLIENT},
          {'s', COAP_EVENT_TCP_CLOSED, COAP_SESSION_STATE_NONE, COAP_SESSION_TYPE_SERVER},
          {'s', COAP_EVENT_SESSION_CLOSED, COAP_SESSION_STATE_NONE, COAP_SESSION_TYPE_SERVER},
          {'s', COAP_EVENT_DTLS_CLOSED, COAP_SESSION_STATE_NONE, COAP_SESSION_TYPE_SERVER},
          {'s', COAP_EVENT_SERVER_SESSION_DEL, COAP_SESSION_STATE_NONE, COAP_SESSION_TYPE_SERVER},
      }));
}

TEST_F(TlsSession, WrongKeyFailsTheConnection) {
  coap_session_t *s = connect("wrong", "me", COAP_PROTO_TLS);
  get(s);
  net.deliver();
  net.advance(100);
  net.deliver();
  EXPECT_EQ(s->state, COAP_SESSION_STATE_NONE);
  EXPECT_TRUE(seen.responses.empty());
  EXPECT_EQ(server_sessions(), 0u);
}

}  // namespace
}  // namespace coap::test

namespace coap::test {
namespace {

const coap_dtls_spsk_info_t *only_server_test(const char *sni, coap_session_t *, void *) {
  static const coap_dtls_spsk_info_t info = {{4, reinterpret_cast<const uint8_t *>("hint")},
                                             {6, reinterpret_cast<const uint8_t *>("secret")}};
  return std::string(sni) == "server.test" ? &info : nullptr;
}

TEST_F(DtlsSession, WrongServerNameIsRefused) {
  coap_dtls_spsk_t spsk = {};
  spsk.version = COAP_DTLS_SPSK_SETUP_VERSION;
  spsk.psk_info.hint = bin("hint");
  spsk.psk_info.key = bin("secret");
  spsk.validate_sni_call_back = only_server_test;
  ASSERT_EQ(coap_context_set_psk2(server->ctx, &spsk), 1);
  auto with_sni = [&](const char *sni) {
    coap_session_t *s = new_client_session(client->ctx, nullptr, listen, COAP_PROTO_DTLS, net.now);
    coap_dtls_cpsk_t cpsk = {};
    cpsk.version = COAP_DTLS_CPSK_SETUP_VERSION;
    cpsk.client_sni = const_cast<char *>(sni);
    cpsk.psk_info.identity = bin("me");
    cpsk.psk_info.key = bin("secret");
    EXPECT_TRUE(secure::start_client(s, &cpsk, nullptr, net.now));
    clients.push_back(s);
    get(s);
    net.deliver();
    return s;
  };
  coap_session_t *wrong = with_sni("wrong.test");
  EXPECT_EQ(wrong->state, COAP_SESSION_STATE_NONE);
  EXPECT_EQ(seen.nacks, std::vector<coap_nack_reason_t>{COAP_NACK_TLS_FAILED});
  EXPECT_EQ(server_sessions(), 0u);
  bool error_reported = false;
  for (const Event &e : side('s')) error_reported |= e.event == COAP_EVENT_DTLS_ERROR;
  EXPECT_TRUE(error_reported);
  coap_session_t *right = with_sni("server.test");
  EXPECT_EQ(right->state, COAP_SESSION_STATE_ESTABLISHED);
  EXPECT_EQ(seen.responses.size(), 1u);
}

TEST(SecureSchemes, CoapsAndCoapsTcpAreAvailable) {
  uint32_t bits = coap_get_available_scheme_hint_bits(1, 0, COAP_PROTO_NONE);
  EXPECT_TRUE(bits & COAP_URI_SCHEME_COAPS_BIT);
  EXPECT_TRUE(bits & COAP_URI_SCHEME_COAPS_TCP_BIT);
  // Without credentials the secure schemes are not offered.
  bits = coap_get_available_scheme_hint_bits(0, 0, COAP_PROTO_NONE);
  EXPECT_FALSE(bits & COAP_URI_SCHEME_COAPS_BIT);
  coap_uri_t uri;
  const char *text = "coaps://example.test/x";
  ASSERT_EQ(coap_split_uri(reinterpret_cast<const uint8_t *>(text), strlen(text), &uri), 0);
  EXPECT_EQ(uri.scheme, COAP_URI_SCHEME_COAPS);
  EXPECT_EQ(uri.port, COAPS_DEFAULT_PORT);
  text = "coaps+tcp://example.test/x";
  ASSERT_EQ(coap_split_uri(reinterpret_cast<const uint8_t *>(text), strlen(text), &uri), 0);
  EXPECT_EQ(uri.scheme, COAP_URI_SCHEME_COAPS_TCP);
  coap_str_const_t host = {9, reinterpret_cast<const uint8_t *>("127.0.0.1")};
  coap_addr_info_t *info = coap_resolve_address_info(
      &host, 5683, 5684, 0, 0, 0, COAP_URI_SCHEME_COAPS_BIT | COAP_URI_SCHEME_COAPS_TCP_BIT,
      COAP_RESOLVE_TYPE_REMOTE);
  ASSERT_NE(info, nullptr);
  std::vector<coap_proto_t> protos;
  for (coap_addr_info_t *i = info; i; i = i->next) protos.push_back(i->proto);
  EXPECT_EQ(protos, (std::vector<coap_proto_t>{COAP_PROTO_DTLS, COAP_PROTO_TLS}));
  EXPECT_EQ(coap_address_get_port(&info->addr), COAPS_DEFAULT_PORT);
  coap_free_address_info(info);
  EXPECT_EQ(coap_verify_proxy_scheme_supported(COAP_URI_SCHEME_COAPS), 1);
  EXPECT_EQ(coap_verify_proxy_scheme_supported(COAP_URI_SCHEME_COAPS_TCP), 1);
}

TEST(SecureApi, ArgumentChecksAndEndpointsNeedCredentials) {
  coap_context_t *ctx = coap_new_context(nullptr);
  ASSERT_NE(ctx, nullptr);
  coap_address_t a = ipv4("127.0.0.1", 20590);
  // A secure endpoint needs the server's credentials first.
  EXPECT_EQ(coap_new_endpoint(ctx, &a, COAP_PROTO_DTLS), nullptr);
  EXPECT_EQ(coap_new_endpoint(ctx, &a, COAP_PROTO_TLS), nullptr);
  EXPECT_EQ(coap_context_set_psk2(ctx, nullptr), 0);
  EXPECT_EQ(coap_context_set_pki(ctx, nullptr), 0);
  EXPECT_EQ(coap_context_set_pki_root_cas(ctx, nullptr, nullptr), 0);
  EXPECT_EQ(coap_context_set_psk(nullptr, "h", reinterpret_cast<const uint8_t *>("k"), 1), 0);
  EXPECT_EQ(coap_new_client_session_psk2(ctx, nullptr, &a, COAP_PROTO_DTLS, nullptr), nullptr);
  EXPECT_EQ(coap_new_client_session_pki(ctx, nullptr, &a, COAP_PROTO_DTLS, nullptr), nullptr);
  EXPECT_EQ(coap_session_get_psk_identity(nullptr), nullptr);
  coap_tls_library_t lib = COAP_TLS_LIBRARY_NOTLS;
  EXPECT_EQ(coap_session_get_tls(nullptr, &lib), nullptr);
  EXPECT_EQ(coap_context_set_psk(ctx, "hint", reinterpret_cast<const uint8_t *>("key"), 3), 1);
  coap_endpoint_t *ep = coap_new_endpoint(ctx, &a, COAP_PROTO_DTLS);
  EXPECT_NE(ep, nullptr);
  // The deprecated client call and an anonymous session (no checks).
  coap_session_t *s = coap_new_client_session_psk(ctx, nullptr, &a, COAP_PROTO_DTLS, "id",
                                                  reinterpret_cast<const uint8_t *>("key"), 3);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(coap_session_get_state(s), COAP_SESSION_STATE_HANDSHAKE);
  EXPECT_EQ(str(coap_session_get_psk_identity(s)), "<null>");  // not used yet
  coap_session_t *anon = coap_new_client_session(ctx, nullptr, &a, COAP_PROTO_DTLS);
  ASSERT_NE(anon, nullptr);
  EXPECT_EQ(coap_session_get_state(anon), COAP_SESSION_STATE_HANDSHAKE);
  // Real sockets: a few rounds on loopback. The PSK session connects; the
  // anonymous one fails (this server offers PSK cipher suites only).
  for (int i = 0; i < 50 && (coap_session_get_state(s) != COAP_SESSION_STATE_ESTABLISHED ||
                             coap_session_get_state(anon) == COAP_SESSION_STATE_HANDSHAKE);
       ++i) {
    coap_io_process(ctx, 20);
  }
  EXPECT_EQ(coap_session_get_state(s), COAP_SESSION_STATE_ESTABLISHED);
  EXPECT_EQ(str(coap_session_get_psk_identity(s)), "id");
  coap_session_release(s);
  coap_session_release(anon);
  coap_free_context(ctx);
}

}  // namespace
}  // namespace coap::test
