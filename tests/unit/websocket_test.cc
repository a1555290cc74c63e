// CoAP over WebSockets (RFC 8323 section 4, RFC 6455) through the in-memory
// network with a fake clock: the upgrade between our client and server,
// requests and responses with the streams cut at every byte, and raw
// peers played by the tests for what a real peer may do wrong or
// differently: bad upgrade requests and answers, unmasked / masked /
// reserved / text / fragmented / control / oversized frames, the closing
// handshake, timeouts. Events and nack reasons are checked as libcoap
// 4.3.5 reports them (tests/diff/diff_ws.c compares the same with it).
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "core/reliable.h"
#include "core/stream.h"
#include "core/websocket.h"
#include "support/fake_network.h"
#include "util/base64.h"
#include "wire/pdu.h"
#include "wire/ws_frame.h"
#include "wire/ws_handshake.h"

namespace coap::test {
namespace {

using Bytes = std::vector<uint8_t>;

struct Event {
  char side;  // 'c' client session, 's' server session
  coap_event_t event;
  coap_session_state_t state;
  bool operator==(const Event &o) const {
    return side == o.side && event == o.event && state == o.state;
  }
};

std::ostream &operator<<(std::ostream &os, const Event &e) {
  return os << e.side << ":0x" << std::hex << e.event << std::dec << "@" << e.state;
}

struct Seen {
  std::vector<Event> events;
  std::vector<std::string> responses;
  std::vector<std::pair<char, coap_nack_reason_t>> nacks;
  int requests = 0;
  std::string stored;
};
Seen *g_seen;

char side_of(const coap_session_t *s) {
  return coap_session_get_type(s) == COAP_SESSION_TYPE_CLIENT ? 'c' : 's';
}

int on_event(coap_session_t *s, const coap_event_t event) {
  g_seen->events.push_back({side_of(s), event, coap_session_get_state(s)});
  return 0;
}

coap_response_t on_response(coap_session_t *, const coap_pdu_t *, const coap_pdu_t *received,
                            const coap_mid_t) {
  size_t len = 0, offset = 0, total = 0;
  const uint8_t *data = nullptr;
  coap_get_data_large(received, &len, &data, &offset, &total);
  char code[16];
  snprintf(code, sizeof(code), "%d.%02d", coap_pdu_get_code(received) >> 5,
           coap_pdu_get_code(received) & 31);
  g_seen->responses.push_back(std::string(code) + " " +
                              std::string(reinterpret_cast<const char *>(data), len));
  return COAP_RESPONSE_OK;
}

void on_nack(coap_session_t *s, const coap_pdu_t *, const coap_nack_reason_t reason,
             const coap_mid_t) {
  g_seen->nacks.push_back({side_of(s), reason});
}

void hello_get(coap_resource_t *, coap_session_t *, const coap_pdu_t *, const coap_string_t *,
               coap_pdu_t *response) {
  ++g_seen->requests;
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
  coap_add_data(response, 5, reinterpret_cast<const uint8_t *>("hello"));
}

void store_put(coap_resource_t *, coap_session_t *, const coap_pdu_t *request,
               const coap_string_t *, coap_pdu_t *response) {
  size_t len = 0;
  const uint8_t *data = nullptr;
  coap_get_data(request, &len, &data);
  g_seen->stored.assign(reinterpret_cast<const char *>(data), len);
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CHANGED);
}

// --- raw WebSocket ends ---------------------------------------------------------

const uint8_t kMask[4] = {0x11, 0x22, 0x33, 0x44};
const char kKey[] = "dGhlIHNhbXBsZSBub25jZQ==";
const char kAccept[] = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

Bytes str(const std::string &s) {
  return Bytes(s.begin(), s.end());
}

Bytes frame(uint8_t op, const Bytes &payload, bool masked = true, bool fin = true,
            uint8_t rsv = 0) {
  uint8_t h[wire::kWsMaxHeader];
  size_t n = wire::encode_ws_header(h, fin, op, payload.size(), masked ? kMask : nullptr);
  h[0] |= static_cast<uint8_t>(rsv << 4);
  Bytes out(h, h + n);
  size_t at = out.size();
  out.insert(out.end(), payload.begin(), payload.end());
  if (masked) wire::ws_mask(out.data() + at, payload.size(), kMask, 0);
  return out;
}

// A CoAP message in the WebSocket format (RFC 8323 section 4.2).
Bytes coap_ws(uint8_t code, Bytes token, std::vector<std::pair<uint16_t, Bytes>> options = {},
              Bytes payload = {}) {
  coap_pdu_t *pdu = coap_pdu_t::create(COAP_MESSAGE_CON, static_cast<coap_pdu_code_t>(code), 0, 0);
  pdu->add_token(token.data(), token.size());
  for (auto &o : options) pdu->add_option(o.first, o.second.data(), o.second.size());
  if (!payload.empty()) memcpy(pdu->add_payload(payload.size()), payload.data(), payload.size());
  pdu->write_header(COAP_PROTO_WS);
  Bytes out(pdu->wire_begin(), pdu->wire_begin() + pdu->wire_size());
  coap_pdu_t::destroy(pdu);
  return out;
}

Bytes get_msg(const char *path, uint8_t token) {
  return coap_ws(COAP_REQUEST_CODE_GET, {token},
                 {{COAP_OPTION_URI_PATH, Bytes(path, path + strlen(path))}});
}

Bytes csm_msg() {
  return coap_ws(COAP_SIGNALING_CODE_CSM, {}, {{COAP_SIGNALING_OPTION_BLOCK_WISE_TRANSFER, {}}});
}

struct Frame {
  bool fin;
  uint8_t op;
  bool masked;
  Bytes payload;  // unmasked
  uint16_t status() const { return payload.size() >= 2 ? payload[0] << 8 | payload[1] : 0; }
};

// What a raw end received: the HTTP head (if `http`), then frames.
struct Received {
  std::string head;
  std::vector<Frame> frames;
  size_t leftover = 0;  // bytes of an incomplete frame
};

Received parse(const Bytes &in, bool http = true) {
  Received r;
  size_t pos = 0;
  if (http) {
    pos = wire::http_head_length(in.data(), in.size());
    if (pos == 0) {
      r.head.assign(in.begin(), in.end());
      return r;
    }
    r.head.assign(in.begin(), in.begin() + static_cast<long>(pos));
  }
  while (pos < in.size()) {
    wire::WsHeaderScan s = wire::scan_ws_header(in.data() + pos, in.size() - pos);
    if (s.status != wire::WsHeaderScan::kComplete ||
        s.header.header_size + s.header.length > in.size() - pos) {
      r.leftover = in.size() - pos;
      break;
    }
    Frame f{s.header.fin, s.header.opcode, s.header.masked,
            Bytes(in.begin() + static_cast<long>(pos + s.header.header_size),
                  in.begin() + static_cast<long>(pos + s.header.header_size + s.header.length))};
    if (f.masked) wire::ws_mask(f.payload.data(), f.payload.size(), s.header.mask, 0);
    r.frames.push_back(std::move(f));
    pos += s.header.header_size + static_cast<size_t>(s.header.length);
  }
  return r;
}

int code_of(const Frame &f) {
  return f.payload.size() >= 2 ? f.payload[1] : -1;
}

std::string request_text(const std::string &host = "example.org") {
  return "GET /.well-known/coap HTTP/1.1\r\nHost: " + host +
         "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + kKey +
         "\r\nSec-WebSocket-Protocol: coap\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

std::string answer_for(const std::string &key) {
  char accept[wire::kWsAcceptTextSize];
  wire::ws_accept_value(key.data(), key.size(), accept);
  return std::string("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n") +
         "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept +
         "\r\nSec-WebSocket-Protocol: coap\r\n\r\n";
}

std::string key_in(const std::string &head) {
  size_t at = head.find("Sec-WebSocket-Key: ");
  if (at == std::string::npos) return "";
  size_t end = head.find("\r\n", at);
  return head.substr(at + 19, end - at - 19);
}

class WebSockets : public ::testing::Test {
 protected:
  void SetUp() override {
    g_seen = &seen;
    server = new FakeHost(&net, "10.0.0.1");
    client = new FakeHost(&net, "10.0.0.2");
    listen = ipv4("10.0.0.1", 8080);
    ASSERT_NE(coap_endpoint_t::create(server->ctx, listen, COAP_PROTO_WS), nullptr);
    coap_resource_t *r = coap_resource_init(coap_make_str_const("hello"), 0);
    coap_register_request_handler(r, COAP_REQUEST_GET, hello_get);
    coap_add_resource(server->ctx, r);
    coap_resource_t *st = coap_resource_init(coap_make_str_const("store"), 0);
    coap_register_request_handler(st, COAP_REQUEST_PUT, store_put);
    coap_add_resource(server->ctx, st);
    for (FakeHost *h : {server, client}) {
      coap_register_event_handler(h->ctx, on_event);
      coap_register_response_handler(h->ctx, on_response);
      coap_register_nack_handler(h->ctx, on_nack);
    }
  }
  void TearDown() override {
    if (session) release_session(session);
    delete client;
    delete server;
  }

  coap_session_t *connect(const coap_address_t &to, const char *host = "example.org") {
    session = new_client_session(client->ctx, nullptr, to, COAP_PROTO_WS, net.now);
    if (session && host) {
      coap_str_const_t h = {strlen(host), reinterpret_cast<const uint8_t *>(host)};
      EXPECT_EQ(coap_ws_set_host_request(session, &h), 1);
    }
    return session;
  }

  coap_mid_t send_get(const char *path, uint8_t token = 0x42) {
    coap_pdu_t *pdu = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 0, 100000);
    pdu->add_token(&token, 1);
    pdu->add_option(COAP_OPTION_URI_PATH, reinterpret_cast<const uint8_t *>(path), strlen(path));
    return send_pdu(session, pdu, net.now);
  }

  // A raw client that has done the upgrade (and sent its CSM when `csm`).
  Conn *raw_client(bool csm = true) {
    Conn *c = net.raw_connect(ipv4("10.0.0.9", 4000), listen);
    net.deliver();
    c->inject(str(request_text()));
    if (csm) c->inject(frame(wire::kWsBinary, csm_msg()));
    net.deliver();
    return c;
  }

  // A raw server at 10.0.0.3:8080 with our client connected; `answer`:
  // the upgrade is answered properly.
  Conn *raw_server(bool answer = true) {
    coap_address_t raw = ipv4("10.0.0.3", 8080);
    net.raw_listeners.push_back(raw);
    EXPECT_NE(connect(raw), nullptr);
    net.deliver();
    Conn *c = net.conn_of(session);
    if (answer && c) {
      Received r = parse(c->raw_in);
      c->raw_in.clear();
      c->inject(str(answer_for(key_in(r.head))));
      net.deliver();
    }
    return c;
  }

  coap_session_t *server_session() {
    coap_session_t *found = nullptr;
    server->ctx->endpoints.for_each(
        [&](coap_endpoint_t *ep) { ep->sessions.for_each([&](coap_session_t *s) { found = s; }); });
    return found;
  }

  std::vector<Event> events_of(char side) {
    std::vector<Event> out;
    for (const Event &e : seen.events) {
      if (e.side == side) out.push_back(e);
    }
    return out;
  }

  Seen seen;
  FakeNetwork net;
  FakeHost *server = nullptr;
  FakeHost *client = nullptr;
  coap_address_t listen;
  coap_session_t *session = nullptr;
};

// --- our client and our server ------------------------------------------------------

TEST_F(WebSockets, UpgradeCsmAndRequest) {
  ASSERT_NE(connect(listen), nullptr);
  EXPECT_EQ(session->proto, COAP_PROTO_WS);
  EXPECT_EQ(session->state, COAP_SESSION_STATE_CONNECTING);
  EXPECT_EQ(coap_new_message_id(session), 0);
  EXPECT_EQ(session->max_pdu_size(), 1148u);
  net.deliver();
  EXPECT_EQ(session->state, COAP_SESSION_STATE_ESTABLISHED);
  coap_session_t *srv = server_session();
  ASSERT_NE(srv, nullptr);
  EXPECT_EQ(srv->state, COAP_SESSION_STATE_ESTABLISHED);
  EXPECT_EQ(session->max_pdu_size(), 8388864u - 6);
  std::vector<Event> client_events = {
      {'c', COAP_EVENT_TCP_CONNECTED, COAP_SESSION_STATE_CONNECTING},
      {'c', COAP_EVENT_WS_CONNECTED, COAP_SESSION_STATE_CONNECTING},
      {'c', COAP_EVENT_SESSION_CONNECTED, COAP_SESSION_STATE_CSM},
  };
  std::vector<Event> server_events = {
      {'s', COAP_EVENT_TCP_CONNECTED, COAP_SESSION_STATE_NONE},
      {'s', COAP_EVENT_SERVER_SESSION_NEW, COAP_SESSION_STATE_NONE},
      {'s', COAP_EVENT_WS_CONNECTED, COAP_SESSION_STATE_CONNECTING},
      {'s', COAP_EVENT_SESSION_CONNECTED, COAP_SESSION_STATE_CSM},
  };
  EXPECT_EQ(events_of('c'), client_events);
  EXPECT_EQ(events_of('s'), server_events);
  EXPECT_TRUE(websocket::layer_of(session)->upgraded());
  EXPECT_EQ(send_get("hello"), 0);
  net.deliver();
  EXPECT_EQ(seen.responses, std::vector<std::string>{"2.05 hello"});
}

TEST_F(WebSockets, RequestBeforeTheUpgradeIsHeld) {
  ASSERT_NE(connect(listen), nullptr);
  EXPECT_EQ(send_get("hello"), 0);  // held until ESTABLISHED
  net.deliver();
  EXPECT_EQ(seen.responses, std::vector<std::string>{"2.05 hello"});
}

TEST_F(WebSockets, EverySplitPointOfTheStreams) {
  // Every byte of the upgrade, the CSMs, requests and responses arrives on
  // its own.
  net.stream_chunk = 1;
  ASSERT_NE(connect(listen), nullptr);
  send_get("hello", 1);
  net.deliver();
  send_get("hello", 2);
  net.deliver();
  EXPECT_EQ(seen.responses, (std::vector<std::string>{"2.05 hello", "2.05 hello"}));
  EXPECT_EQ(session->state, COAP_SESSION_STATE_ESTABLISHED);
  // And in pieces of 3, 7 and 13 bytes.
  for (size_t chunk : {3u, 7u, 13u}) {
    net.stream_chunk = chunk;
    send_get("hello", static_cast<uint8_t>(chunk));
    net.deliver();
  }
  EXPECT_EQ(seen.responses.size(), 5u);
}

TEST_F(WebSockets, LargeMessagesIn16And64BitFrames) {
  ASSERT_NE(connect(listen), nullptr);
  net.deliver();
  for (size_t size : {200u, 70000u}) {
    std::string body(size, 'b');
    for (size_t i = 0; i < size; ++i) body[i] = static_cast<char>('a' + i % 23);
    coap_pdu_t *pdu = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_REQUEST_CODE_PUT, 0, 200000);
    uint8_t t = 7;
    pdu->add_token(&t, 1);
    pdu->add_option(COAP_OPTION_URI_PATH, reinterpret_cast<const uint8_t *>("store"), 5);
    memcpy(pdu->add_payload(size), body.data(), size);
    net.stream_chunk = 1000;
    EXPECT_EQ(send_pdu(session, pdu, net.now), 0);
    net.deliver();
    EXPECT_EQ(seen.stored, body);
  }
  EXPECT_EQ(seen.responses, (std::vector<std::string>{"2.04 ", "2.04 "}));
}

TEST_F(WebSockets, ClientWithoutHostFails) {
  // As libcoap: the application must name the host.
  ASSERT_NE(connect(listen, nullptr), nullptr);
  net.deliver();
  EXPECT_EQ(session->state, COAP_SESSION_STATE_NONE);
  std::vector<Event> expected = {{'c', COAP_EVENT_TCP_CONNECTED, COAP_SESSION_STATE_CONNECTING},
                                 {'c', COAP_EVENT_TCP_FAILED, COAP_SESSION_STATE_NONE},
                                 {'c', COAP_EVENT_SESSION_FAILED, COAP_SESSION_STATE_NONE}};
  EXPECT_EQ(events_of('c'), expected);
  ASSERT_FALSE(seen.nacks.empty());
  EXPECT_EQ(seen.nacks[0], (std::pair<char, coap_nack_reason_t>{'c', COAP_NACK_WS_LAYER_FAILED}));
  // (The server saw the connection go during the upgrade: its own nacks.)
  for (size_t i = 1; i < seen.nacks.size(); ++i) EXPECT_EQ(seen.nacks[i].first, 's');
  EXPECT_EQ(send_get("hello"), COAP_INVALID_MID);
}

TEST_F(WebSockets, SetHostRequestApi) {
  coap_str_const_t h = {4, reinterpret_cast<const uint8_t *>("host")};
  EXPECT_EQ(coap_ws_set_host_request(nullptr, &h), 0);
  ASSERT_NE(connect(listen, nullptr), nullptr);
  EXPECT_EQ(coap_ws_set_host_request(session, nullptr), 0);
  coap_str_const_t bad = {3, nullptr};
  EXPECT_EQ(coap_ws_set_host_request(session, &bad), 0);
  EXPECT_EQ(coap_ws_set_host_request(session, &h), 1);
  // Set twice: the last one counts.
  coap_str_const_t h2 = {7, reinterpret_cast<const uint8_t *>("other.h")};
  EXPECT_EQ(coap_ws_set_host_request(session, &h2), 1);
  // Any session takes it (libcoap too), only WebSocket clients use it.
  coap_session_t *udp =
      new_client_session(client->ctx, nullptr, ipv4("10.0.0.1", 5683), COAP_PROTO_UDP, net.now);
  EXPECT_EQ(coap_ws_set_host_request(udp, &h), 1);
  release_session(udp);
}

TEST_F(WebSockets, ReleasingTheClientSendsACloseFrame) {
  Conn *c = raw_server();
  c->inject(frame(wire::kWsBinary, csm_msg(), false));
  net.deliver();
  ASSERT_EQ(session->state, COAP_SESSION_STATE_ESTABLISHED);
  c->raw_in.clear();
  seen.events.clear();
  release_session(session);
  session = nullptr;
  net.deliver();
  Received r = parse(c->raw_in, false);
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_EQ(r.frames[0].op, wire::kWsClose);
  EXPECT_TRUE(r.frames[0].masked);
  EXPECT_EQ(r.frames[0].status(), 1000);
  // libcoap: only WS_CLOSED, with the session still up.
  std::vector<Event> expected = {{'c', COAP_EVENT_WS_CLOSED, COAP_SESSION_STATE_ESTABLISHED}};
  EXPECT_EQ(seen.events, expected);
  EXPECT_TRUE(c->client_closed);
}

TEST_F(WebSockets, ServerSessionExpiryClosesWithAFrame) {
  coap_context_set_session_timeout(server->ctx, 10);
  Conn *c = raw_client();
  c->raw_in.clear();
  net.advance(11000);
  net.deliver();
  Received r = parse(c->raw_in, false);
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_EQ(r.frames[0].op, wire::kWsClose);
  EXPECT_FALSE(r.frames[0].masked);
  EXPECT_EQ(server_session(), nullptr);
}

// --- a raw client against our server -------------------------------------------------

TEST_F(WebSockets, ServerAnswersTheUpgradeAndSendsItsCsm) {
  Conn *c = raw_client(false);
  Received r = parse(c->raw_in);
  EXPECT_EQ(r.head, std::string("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n") +
                        "Connection: Upgrade\r\nSec-WebSocket-Accept: " + kAccept +
                        "\r\nSec-WebSocket-Protocol: coap\r\n\r\n");
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_EQ(r.frames[0].op, wire::kWsBinary);
  EXPECT_FALSE(r.frames[0].masked);  // servers never mask
  // libcoap 4.3.5's CSM bytes, without the Len field.
  EXPECT_EQ(r.frames[0].payload, (Bytes{0x00, 0xe1, 0x23, 0x80, 0x01, 0x00, 0x20}));
  EXPECT_EQ(server_session()->state, COAP_SESSION_STATE_CSM);
  c->raw_in.clear();
  c->inject(frame(wire::kWsBinary, csm_msg()));
  c->inject(frame(wire::kWsBinary, get_msg("hello", 0xab)));
  net.deliver();
  r = parse(c->raw_in, false);
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_EQ(code_of(r.frames[0]), COAP_RESPONSE_CODE_CONTENT);
  EXPECT_EQ(r.frames[0].payload[2], 0xab);  // the token
}

TEST_F(WebSockets, ServerTakesFramesSplitAnywhere) {
  Conn *c = raw_client();
  c->raw_in.clear();
  Bytes all;
  for (uint8_t t = 1; t <= 3; ++t) {
    Bytes f = frame(wire::kWsBinary, get_msg("hello", t));
    all.insert(all.end(), f.begin(), f.end());
  }
  // Each byte on its own, then all frames in one write.
  for (uint8_t b : all) {
    c->inject({b});
    net.deliver();
  }
  c->inject(all);
  net.deliver();
  EXPECT_EQ(parse(c->raw_in, false).frames.size(), 6u);
  EXPECT_EQ(seen.requests, 6);
}

TEST_F(WebSockets, UpgradeAndFramesInOneWrite) {
  Conn *c = net.raw_connect(ipv4("10.0.0.9", 4000), listen);
  net.deliver();
  Bytes all = str(request_text());
  for (const Bytes &m : {csm_msg(), get_msg("hello", 5)}) {
    Bytes f = frame(wire::kWsBinary, m);
    all.insert(all.end(), f.begin(), f.end());
  }
  c->inject(all);
  net.deliver();
  Received r = parse(c->raw_in);
  ASSERT_EQ(r.frames.size(), 2u);  // CSM and the response
  EXPECT_EQ(code_of(r.frames[1]), COAP_RESPONSE_CODE_CONTENT);
}

TEST_F(WebSockets, FragmentedMessageWithAPingBetween) {
  Conn *c = raw_client();
  c->raw_in.clear();
  Bytes m = get_msg("hello", 9);
  c->inject(frame(wire::kWsBinary, Bytes(m.begin(), m.begin() + 2), true, false));
  c->inject(frame(wire::kWsPing, str("are you there")));
  c->inject(frame(wire::kWsContinuation, Bytes(m.begin() + 2, m.begin() + 4), true, false));
  c->inject(frame(wire::kWsContinuation, Bytes(m.begin() + 4, m.end()), true, true));
  net.deliver();
  Received r = parse(c->raw_in, false);
  ASSERT_EQ(r.frames.size(), 2u);
  EXPECT_EQ(r.frames[0].op, wire::kWsPong);
  EXPECT_EQ(r.frames[0].payload, str("are you there"));
  EXPECT_EQ(code_of(r.frames[1]), COAP_RESPONSE_CODE_CONTENT);
  // Empty fragments are fine too; an empty message is ignored.
  c->raw_in.clear();
  c->inject(frame(wire::kWsBinary, {}, true, false));
  c->inject(frame(wire::kWsContinuation, m, true, false));
  c->inject(frame(wire::kWsContinuation, {}, true, true));
  c->inject(frame(wire::kWsBinary, {}));
  c->inject(frame(wire::kWsPong, str("unsolicited")));
  net.deliver();
  r = parse(c->raw_in, false);
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_EQ(code_of(r.frames[0]), COAP_RESPONSE_CODE_CONTENT);
  EXPECT_EQ(server_session()->state, COAP_SESSION_STATE_ESTABLISHED);
}

TEST_F(WebSockets, CloseFrameIsAnsweredAndEndsTheSession) {
  Conn *c = raw_client();
  c->raw_in.clear();
  seen.events.clear();
  Bytes body = {0x03, 0xe9};  // 1001 going away, with a reason
  Bytes reason = str("bye");
  body.insert(body.end(), reason.begin(), reason.end());
  c->inject(frame(wire::kWsClose, body));
  net.deliver();
  Received r = parse(c->raw_in, false);
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_EQ(r.frames[0].op, wire::kWsClose);
  EXPECT_EQ(r.frames[0].status(), 1001);  // echoed
  EXPECT_TRUE(c->server_closed);
  std::vector<Event> expected = {
      {'s', COAP_EVENT_WS_CLOSED, COAP_SESSION_STATE_ESTABLISHED},
      {'s', COAP_EVENT_TCP_CLOSED, COAP_SESSION_STATE_NONE},
      {'s', COAP_EVENT_SESSION_CLOSED, COAP_SESSION_STATE_NONE},
      {'s', COAP_EVENT_SERVER_SESSION_DEL, COAP_SESSION_STATE_NONE},
  };
  EXPECT_EQ(seen.events, expected);
  EXPECT_EQ(seen.nacks,
            (std::vector<std::pair<char, coap_nack_reason_t>>{{'s', COAP_NACK_NOT_DELIVERABLE}}));
  // A close without a status is answered without one.
  c = raw_client();
  c->raw_in.clear();
  c->inject(frame(wire::kWsClose, {}));
  net.deliver();
  r = parse(c->raw_in, false);
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_TRUE(r.frames[0].payload.empty());
}

// A frame that breaks the protocol: the server closes with `status`.
struct Violation {
  const char *what;
  Bytes bytes;
  uint16_t status;
};

TEST_F(WebSockets, ProtocolViolationsCloseWithTheRightStatus) {
  Bytes get = get_msg("hello", 1);
  Bytes bad_utf8 = {0x03, 0xe8, 0xc3, 0x28};
  Bytes msb = {0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4};
  std::vector<Violation> cases = {
      {"unmasked frame", frame(wire::kWsBinary, get, false), 1002},
      {"text frame", frame(wire::kWsText, get), 1003},
      {"reserved bit", frame(wire::kWsBinary, get, true, true, 4), 1002},
      {"reserved opcode", frame(3, get), 1002},
      {"reserved control opcode", frame(0xb, {}), 1002},
      {"continuation first", frame(wire::kWsContinuation, get), 1002},
      {"long ping", frame(wire::kWsPing, Bytes(126, 'p')), 1002},
      {"fragmented ping", frame(wire::kWsPing, str("x"), true, false), 1002},
      {"one-byte close", frame(wire::kWsClose, {0x03}), 1002},
      {"reserved close status", frame(wire::kWsClose, {0x03, 0xed}), 1002},
      {"close reason not UTF-8", frame(wire::kWsClose, bad_utf8), 1007},
      {"64-bit length with the top bit", msb, 1002},
  };
  for (const Violation &v : cases) {
    Conn *c = raw_client();
    c->raw_in.clear();
    seen = Seen();
    c->inject(v.bytes);
    net.deliver();
    Received r = parse(c->raw_in, false);
    ASSERT_EQ(r.frames.size(), 1u) << v.what;
    EXPECT_EQ(r.frames[0].op, wire::kWsClose) << v.what;
    EXPECT_EQ(r.frames[0].status(), v.status) << v.what;
    EXPECT_TRUE(c->server_closed) << v.what;
    ASSERT_FALSE(seen.events.empty()) << v.what;
    EXPECT_EQ(seen.events[0].event, COAP_EVENT_WS_CLOSED) << v.what;
    EXPECT_EQ(seen.events.back().event, COAP_EVENT_SERVER_SESSION_DEL) << v.what;
  }
  // A new message in the middle of a fragmented one.
  Conn *c = raw_client();
  c->raw_in.clear();
  c->inject(frame(wire::kWsBinary, Bytes(get.begin(), get.begin() + 2), true, false));
  c->inject(frame(wire::kWsBinary, get));
  net.deliver();
  Received r = parse(c->raw_in, false);
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_EQ(r.frames[0].status(), 1002);
}

TEST_F(WebSockets, OversizedMessagesAreRefused) {
  coap_context_set_csm_max_message_size(server->ctx, 100);
  Conn *c = raw_client();
  c->raw_in.clear();
  seen.events.clear();
  Bytes big = coap_ws(COAP_REQUEST_CODE_PUT, {1}, {}, Bytes(200, 'x'));
  c->inject(frame(wire::kWsBinary, big));
  net.deliver();
  Received r = parse(c->raw_in, false);
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_EQ(r.frames[0].status(), 1009);
  ASSERT_GE(seen.events.size(), 2u);
  EXPECT_EQ(seen.events[0].event, COAP_EVENT_WS_PACKET_SIZE);
  EXPECT_EQ(seen.events[1].event, COAP_EVENT_WS_CLOSED);
  // Fragments that add up to too much, the first ones small.
  c = raw_client();
  c->raw_in.clear();
  seen.events.clear();
  c->inject(frame(wire::kWsBinary, Bytes(big.begin(), big.begin() + 60), true, false));
  net.deliver();
  EXPECT_TRUE(parse(c->raw_in, false).frames.empty());
  EXPECT_EQ(websocket::layer_of(server_session())->partial_message(), 60u);
  c->inject(frame(wire::kWsContinuation, Bytes(big.begin() + 60, big.end())));
  net.deliver();
  r = parse(c->raw_in, false);
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_EQ(r.frames[0].status(), 1009);
  EXPECT_EQ(seen.events[0].event, COAP_EVENT_WS_PACKET_SIZE);
  // Exactly the limit is fine.
  c = raw_client();
  c->raw_in.clear();
  Bytes fits =
      coap_ws(COAP_REQUEST_CODE_PUT, {1}, {{COAP_OPTION_URI_PATH, str("store")}}, Bytes(1, 'x'));
  fits.resize(100, 'x');
  c->inject(frame(wire::kWsBinary, fits));
  net.deliver();
  r = parse(c->raw_in, false);
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_EQ(code_of(r.frames[0]), COAP_RESPONSE_CODE_CHANGED);
}

// A bad upgrade request: the HTTP status, then libcoap's events and nacks.
struct BadRequest {
  std::string request;
  int status;
};

TEST_F(WebSockets, BadUpgradeRequestsAreRefused) {
  std::string r = request_text();
  auto swap = [&](const std::string &from, const std::string &to) {
    std::string s = r;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  std::vector<BadRequest> cases = {
      {swap("GET", "PUT"), 405},
      {swap("/.well-known/coap", "/"), 404},
      {swap("Version: 13", "Version: 7"), 426},
      {swap("Upgrade: websocket", "Upgrade: tls"), 400},
      {swap("Sec-WebSocket-Protocol: coap", "Sec-WebSocket-Protocol: chat"), 400},
      {"junk\r\n\r\n", 400},
      {"GET /.well-known/coap HTTP/1.1\r\nX: " + std::string(9000, 'x') + "\r\n\r\n", 431},
  };
  for (const BadRequest &b : cases) {
    seen = Seen();
    Conn *c = net.raw_connect(ipv4("10.0.0.9", 4000), listen);
    net.deliver();
    c->inject(str(b.request));
    net.deliver();
    std::string answer(c->raw_in.begin(), c->raw_in.end());
    EXPECT_EQ(answer.substr(0, 13), "HTTP/1.1 " + std::to_string(b.status) + " ") << answer;
    EXPECT_NE(answer.find("\r\n\r\n"), std::string::npos);
    EXPECT_TRUE(c->server_closed);
    std::vector<Event> expected = {
        {'s', COAP_EVENT_TCP_CONNECTED, COAP_SESSION_STATE_NONE},
        {'s', COAP_EVENT_SERVER_SESSION_NEW, COAP_SESSION_STATE_NONE},
        {'s', COAP_EVENT_TCP_FAILED, COAP_SESSION_STATE_NONE},
        {'s', COAP_EVENT_SESSION_FAILED, COAP_SESSION_STATE_NONE},
        {'s', COAP_EVENT_SERVER_SESSION_DEL, COAP_SESSION_STATE_NONE},
    };
    EXPECT_EQ(seen.events, expected) << b.status;
    // As libcoap 4.3.5: the layer's failure, then the failed read.
    EXPECT_EQ(seen.nacks, (std::vector<std::pair<char, coap_nack_reason_t>>{
                              {'s', COAP_NACK_WS_LAYER_FAILED}, {'s', COAP_NACK_NOT_DELIVERABLE}}));
    EXPECT_EQ(server_session(), nullptr);
  }
}

TEST_F(WebSockets, PeerGoneOrSilentDuringTheUpgrade) {
  Conn *c = net.raw_connect(ipv4("10.0.0.9", 4000), listen);
  net.deliver();
  c->inject(str("GET /.well-known/coap HTTP/1.1\r\nHost: x\r\n"));
  net.deliver();
  c->raw_close();
  net.deliver();
  EXPECT_EQ(seen.nacks, (std::vector<std::pair<char, coap_nack_reason_t>>{
                            {'s', COAP_NACK_WS_LAYER_FAILED}, {'s', COAP_NACK_NOT_DELIVERABLE}}));
  EXPECT_EQ(server_session(), nullptr);
  // Silent: given up after the upgrade timeout, without the second nack.
  seen = Seen();
  c = net.raw_connect(ipv4("10.0.0.9", 4001), listen);
  net.deliver();
  net.advance(WebSocket::kUpgradeTimeoutMs - 1);
  EXPECT_NE(server_session(), nullptr);
  net.advance(1);
  net.deliver();
  EXPECT_EQ(server_session(), nullptr);
  EXPECT_TRUE(c->server_closed);
  EXPECT_EQ(seen.nacks,
            (std::vector<std::pair<char, coap_nack_reason_t>>{{'s', COAP_NACK_WS_LAYER_FAILED}}));
}

// --- a raw server against our client ---------------------------------------------------

TEST_F(WebSockets, ClientRequestAndMaskedFrames) {
  Conn *c = raw_server(false);
  ASSERT_NE(c, nullptr);
  Received r = parse(c->raw_in);
  std::string key = key_in(r.head);
  EXPECT_EQ(r.head,
            "GET /.well-known/coap HTTP/1.1\r\nHost: example.org:8080\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " +
                key + "\r\nSec-WebSocket-Protocol: coap\r\nSec-WebSocket-Version: 13\r\n\r\n");
  uint8_t raw_key[20];
  EXPECT_EQ(base64_decode(key.data(), key.size(), raw_key, sizeof(raw_key)), 16);
  EXPECT_TRUE(r.frames.empty());
  EXPECT_EQ(session->state, COAP_SESSION_STATE_CONNECTING);
  c->raw_in.clear();
  c->inject(str(answer_for(key)));
  net.deliver();
  EXPECT_EQ(session->state, COAP_SESSION_STATE_CSM);
  c->inject(frame(wire::kWsBinary, csm_msg(), false));
  net.deliver();
  EXPECT_EQ(session->state, COAP_SESSION_STATE_ESTABLISHED);
  send_get("hello", 1);
  send_get("hello", 2);
  net.deliver();
  // The CSM and two requests, each masked with its own key.
  const Bytes &in = c->raw_in;
  r = parse(in, false);
  ASSERT_EQ(r.frames.size(), 3u);
  EXPECT_EQ(code_of(r.frames[0]), COAP_SIGNALING_CODE_CSM);
  EXPECT_EQ(code_of(r.frames[1]), COAP_REQUEST_CODE_GET);
  std::vector<Bytes> masks;
  size_t pos = 0;
  for (const Frame &f : r.frames) {
    EXPECT_TRUE(f.masked);
    masks.push_back(
        Bytes(in.begin() + static_cast<long>(pos + 2), in.begin() + static_cast<long>(pos + 6)));
    pos += 6 + f.payload.size();
  }
  EXPECT_NE(masks[0], masks[1]);
  EXPECT_NE(masks[1], masks[2]);
  // A second session uses another key.
  coap_session_t *first = session;
  session = nullptr;
  Conn *c2 = raw_server(false);
  EXPECT_NE(key_in(parse(c2->raw_in).head), key);
  release_session(first);
}

TEST_F(WebSockets, ClientHostHeaderForIpv6AndDefaultPort) {
  coap_address_t raw = ipv4("10.0.0.3", 80);
  net.raw_listeners.push_back(raw);
  ASSERT_NE(connect(raw, "::1"), nullptr);
  net.deliver();
  Received r = parse(net.conn_of(session)->raw_in);
  EXPECT_NE(r.head.find("\r\nHost: [::1]\r\n"), std::string::npos) << r.head;
}

TEST_F(WebSockets, ClientRejectsBadAnswers) {
  const char *answers[] = {
      "HTTP/1.1 400 Invalid request\r\n\r\n",
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: coap\r\n\r\n",
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Accept: KEY\r\n\r\n",
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Accept: KEY\r\nSec-WebSocket-Protocol: coap\r\n"
      "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n",
      "SSH-2.0-OpenSSH\r\n\r\n",
  };
  for (const char *a : answers) {
    seen = Seen();
    if (session) release_session(session);
    session = nullptr;
    Conn *c = raw_server(false);
    std::string key = key_in(parse(c->raw_in).head);
    char accept[wire::kWsAcceptTextSize];
    wire::ws_accept_value(key.data(), key.size(), accept);
    std::string answer = a;
    size_t at = answer.find("KEY");
    if (at != std::string::npos) answer.replace(at, 3, accept);
    c->raw_in.clear();
    c->inject(str(answer));
    net.deliver();
    EXPECT_EQ(session->state, COAP_SESSION_STATE_NONE) << a;
    EXPECT_TRUE(c->raw_in.empty()) << a;  // nothing more is sent
    EXPECT_TRUE(c->client_closed) << a;
    std::vector<Event> expected = {{'c', COAP_EVENT_TCP_CONNECTED, COAP_SESSION_STATE_CONNECTING},
                                   {'c', COAP_EVENT_TCP_FAILED, COAP_SESSION_STATE_NONE},
                                   {'c', COAP_EVENT_SESSION_FAILED, COAP_SESSION_STATE_NONE}};
    EXPECT_EQ(seen.events, expected) << a;
    EXPECT_EQ(seen.nacks, (std::vector<std::pair<char, coap_nack_reason_t>>{
                              {'c', COAP_NACK_WS_LAYER_FAILED}, {'c', COAP_NACK_NOT_DELIVERABLE}}))
        << a;
  }
}

TEST_F(WebSockets, ClientAnswersPingsAndCloses) {
  Conn *c = raw_server();
  c->inject(frame(wire::kWsBinary, csm_msg(), false));
  c->inject(frame(wire::kWsPing, str("p1"), false));
  net.deliver();
  Received r = parse(c->raw_in, false);
  ASSERT_EQ(r.frames.size(), 2u);  // our CSM, the pong
  EXPECT_EQ(r.frames[1].op, wire::kWsPong);
  EXPECT_TRUE(r.frames[1].masked);
  EXPECT_EQ(r.frames[1].payload, str("p1"));
  c->raw_in.clear();
  seen.events.clear();
  c->inject(frame(wire::kWsClose, {0x03, 0xe8}, false));
  net.deliver();
  r = parse(c->raw_in, false);
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_EQ(r.frames[0].op, wire::kWsClose);
  EXPECT_TRUE(r.frames[0].masked);
  EXPECT_EQ(r.frames[0].status(), 1000);
  std::vector<Event> expected = {
      {'c', COAP_EVENT_WS_CLOSED, COAP_SESSION_STATE_ESTABLISHED},
      {'c', COAP_EVENT_TCP_CLOSED, COAP_SESSION_STATE_NONE},
      {'c', COAP_EVENT_SESSION_CLOSED, COAP_SESSION_STATE_NONE},
  };
  EXPECT_EQ(seen.events, expected);
  EXPECT_EQ(session->state, COAP_SESSION_STATE_NONE);
}

TEST_F(WebSockets, ClientRefusesMaskedFramesFromTheServer) {
  Conn *c = raw_server();
  c->raw_in.clear();
  c->inject(frame(wire::kWsBinary, csm_msg(), true));
  net.deliver();
  Received r = parse(c->raw_in, false);
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_EQ(r.frames[0].op, wire::kWsClose);
  EXPECT_EQ(r.frames[0].status(), 1002);
  EXPECT_EQ(session->state, COAP_SESSION_STATE_NONE);
}

TEST_F(WebSockets, ClientUpgradeTimesOut) {
  Conn *c = raw_server(false);
  net.advance(WebSocket::kUpgradeTimeoutMs);
  net.deliver();
  EXPECT_EQ(session->state, COAP_SESSION_STATE_NONE);
  EXPECT_TRUE(c->client_closed);
  EXPECT_EQ(seen.nacks,
            (std::vector<std::pair<char, coap_nack_reason_t>>{{'c', COAP_NACK_WS_LAYER_FAILED}}));
}

TEST_F(WebSockets, CoapAbortAndReleaseEndTheConnectionWithoutACloseFrame) {
  // libcoap: after a disconnect the socket just closes.
  Conn *c = raw_client();
  c->raw_in.clear();
  seen.events.clear();
  c->inject(frame(wire::kWsBinary, coap_ws(COAP_SIGNALING_CODE_RELEASE, {1})));
  net.deliver();
  EXPECT_TRUE(parse(c->raw_in, false).frames.empty());
  EXPECT_TRUE(c->server_closed);
  std::vector<Event> expected = {
      {'s', COAP_EVENT_TCP_CLOSED, COAP_SESSION_STATE_NONE},
      {'s', COAP_EVENT_SESSION_CLOSED, COAP_SESSION_STATE_NONE},
      {'s', COAP_EVENT_SERVER_SESSION_DEL, COAP_SESSION_STATE_NONE},
  };
  EXPECT_EQ(seen.events, expected);
  EXPECT_EQ(seen.nacks, (std::vector<std::pair<char, coap_nack_reason_t>>{{'s', COAP_NACK_RST}}));
  // A malformed CoAP message in a good frame: Abort, then the close.
  c = raw_client();
  c->raw_in.clear();
  c->inject(frame(wire::kWsBinary, {0x0f, 0x01}));  // token length 15
  net.deliver();
  Received r = parse(c->raw_in, false);
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_EQ(code_of(r.frames[0]), COAP_SIGNALING_CODE_ABORT);
  EXPECT_TRUE(c->server_closed);
}

}  // namespace
}  // namespace coap::test
