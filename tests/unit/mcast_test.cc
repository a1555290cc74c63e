// Server answers to multicast requests (RFC 7252 section 8.2): leisure
// delay, suppression of error responses, per-resource flags.
#include <gtest/gtest.h>

#include <cstring>

#include "support/fake_network.h"
#include "wire/pdu.h"

namespace coap::test {
namespace {

int fixed_prng(void *out, size_t len) {
  // Little-endian 1234: the leisure delay becomes 1234 ms of the 5 s.
  uint8_t bytes[8] = {0xd2, 0x04, 0, 0, 0, 0, 0, 0};
  memcpy(out, bytes, len < sizeof(bytes) ? len : sizeof(bytes));
  return 1;
}

void content(coap_resource_t *, coap_session_t *, const coap_pdu_t *, const coap_string_t *,
             coap_pdu_t *response) {
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
  coap_add_data(response, 2, reinterpret_cast<const uint8_t *>("ok"));
}

void not_found(coap_resource_t *, coap_session_t *, const coap_pdu_t *, const coap_string_t *,
               coap_pdu_t *response) {
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_NOT_FOUND);
}

class Mcast : public ::testing::Test {
 protected:
  void SetUp() override {
    coap_set_prng(fixed_prng);
    server = new FakeHost(&net, "10.0.0.1");
    ep = coap_endpoint_t::create(server->ctx, ipv4("10.0.0.1", 5683), COAP_PROTO_UDP);
    add("plain", 0, content);
    add("err", 0, not_found);
    add("fast", COAP_RESOURCE_FLAGS_HAS_MCAST_SUPPORT | COAP_RESOURCE_FLAGS_LIB_DIS_MCAST_DELAYS,
        content);
    add("loud",
        COAP_RESOURCE_FLAGS_HAS_MCAST_SUPPORT | COAP_RESOURCE_FLAGS_LIB_DIS_MCAST_SUPPRESS_4_XX,
        not_found);
  }
  void TearDown() override {
    delete server;
    coap_set_prng(nullptr);
  }

  void add(const char *path, int flags, coap_method_handler_t h) {
    coap_resource_t *r = coap_resource_init(coap_make_str_const(path), flags);
    coap_register_request_handler(r, COAP_REQUEST_GET, h);
    coap_add_resource(server->ctx, r);
  }

  // A request from 10.0.0.9 to the group 224.0.1.187.
  void to_group(const char *path, coap_pdu_type_t type = COAP_MESSAGE_NON) {
    coap_pdu_t *pdu = coap_pdu_t::create(type, COAP_REQUEST_CODE_GET, ++mid, 100);
    pdu->add_option(COAP_OPTION_URI_PATH, reinterpret_cast<const uint8_t *>(path), strlen(path));
    pdu->write_header(COAP_PROTO_UDP);
    coap_addr_tuple_t addrs;
    addrs.remote = ipv4("10.0.0.9", 40000);
    addrs.local = ipv4("224.0.1.187", 5683);
    receive_datagram(server->ctx, ep, nullptr, pdu->wire_begin(), pdu->wire_size(), addrs, 1,
                     net.now);
    coap_pdu_t::destroy(pdu);
  }

  FakeNetwork net;
  FakeHost *server = nullptr;
  coap_endpoint_t *ep = nullptr;
  coap_mid_t mid = 0;
};

TEST_F(Mcast, ResponseWaitsForTheLeisureDelay) {
  to_group("plain");
  EXPECT_TRUE(net.sent_log.empty());
  net.advance(1233);
  EXPECT_TRUE(net.sent_log.empty());
  net.advance(1);
  ASSERT_EQ(net.sent_log.size(), 1u);
  // The reply leaves from the unicast address, not the group.
  coap_pdu_t *resp = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, 0);
  ASSERT_TRUE(
      resp->parse(COAP_PROTO_UDP, net.sent_log[0].bytes.data(), net.sent_log[0].bytes.size()));
  EXPECT_EQ(resp->type, COAP_MESSAGE_NON);
  EXPECT_EQ(resp->code, COAP_RESPONSE_CODE_CONTENT);
  coap_pdu_t::destroy(resp);
}

TEST_F(Mcast, ErrorResponsesAndUnknownPathsAreSuppressed) {
  to_group("err");
  to_group("nothere");
  net.advance(10000);
  EXPECT_TRUE(net.sent_log.empty());
}

TEST_F(Mcast, ConfirmableGroupRequestsAreDropped) {
  to_group("plain", COAP_MESSAGE_CON);
  net.advance(10000);
  EXPECT_TRUE(net.sent_log.empty());
}

TEST_F(Mcast, PerResourceFlags) {
  coap_mcast_per_resource(server->ctx);
  to_group("plain");  // no HAS_MCAST_SUPPORT: ignored
  net.advance(10000);
  EXPECT_TRUE(net.sent_log.empty());
  to_group("fast");  // delays disabled: answered at once
  EXPECT_EQ(net.sent_log.size(), 1u);
  to_group("loud");  // 4.xx not suppressed
  net.advance(10000);
  EXPECT_EQ(net.sent_log.size(), 2u);
}

TEST_F(Mcast, WellKnownCoreAlwaysAnswersGroups) {
  coap_mcast_per_resource(server->ctx);
  coap_pdu_t *pdu = coap_pdu_t::create(COAP_MESSAGE_NON, COAP_REQUEST_CODE_GET, 9, 100);
  pdu->add_option(COAP_OPTION_URI_PATH, reinterpret_cast<const uint8_t *>(".well-known"), 11);
  pdu->add_option(COAP_OPTION_URI_PATH, reinterpret_cast<const uint8_t *>("core"), 4);
  pdu->write_header(COAP_PROTO_UDP);
  coap_addr_tuple_t addrs;
  addrs.remote = ipv4("10.0.0.9", 40000);
  addrs.local = ipv4("224.0.1.187", 5683);
  receive_datagram(server->ctx, ep, nullptr, pdu->wire_begin(), pdu->wire_size(), addrs, 1,
                   net.now);
  coap_pdu_t::destroy(pdu);
  net.advance(5000);
  EXPECT_EQ(net.sent_log.size(), 1u);
}

}  // namespace
}  // namespace coap::test
