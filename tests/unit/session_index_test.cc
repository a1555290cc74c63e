// The endpoint's session index (core/session_index.h) checked against a
// std::map model through random inserts and erases (backward-shift
// deletion must keep every remaining session findable), and the shared
// session parameters (core/session_params.h): a setter gives only that
// session its own copy.
#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <map>
#include <random>
#include <vector>

#include "core/session.h"
#include "core/session_index.h"

namespace coap {
namespace {

coap_address_t ipv4(uint32_t host, uint16_t port) {
  coap_address_t a;
  coap_address_init(&a);
  a.addr.sin.sin_family = AF_INET;
  a.addr.sin.sin_addr.s_addr = htonl(host);
  a.addr.sin.sin_port = htons(port);
  a.size = sizeof(a.addr.sin);
  return a;
}

coap_address_t ipv6(uint8_t last, uint16_t port) {
  coap_address_t a;
  coap_address_init(&a);
  a.addr.sin6.sin6_family = AF_INET6;
  a.addr.sin6.sin6_addr.s6_addr[15] = last;
  a.addr.sin6.sin6_port = htons(port);
  a.size = sizeof(a.addr.sin6);
  return a;
}

TEST(SessionIndex, FindsByAddressAndKeepsTheFirstOfEqualAddresses) {
  SessionIndex index;
  coap_session_t a, b, c;
  a.addr_info.remote = ipv4(0x7f000001, 1000);
  b.addr_info.remote = ipv6(1, 1000);
  c.addr_info.remote = ipv4(0x7f000001, 1000);  // same as a
  EXPECT_EQ(index.find(a.addr_info.remote), nullptr);
  EXPECT_TRUE(index.insert(&a));
  EXPECT_TRUE(index.insert(&b));
  EXPECT_FALSE(index.insert(&c));
  EXPECT_EQ(index.size(), 2u);
  EXPECT_EQ(index.find(ipv4(0x7f000001, 1000)), &a);
  EXPECT_EQ(index.find(ipv6(1, 1000)), &b);
  EXPECT_EQ(index.find(ipv4(0x7f000001, 1001)), nullptr);
  index.erase(&c);  // not the indexed one: nothing happens
  EXPECT_EQ(index.find(a.addr_info.remote), &a);
  index.erase(&a);
  EXPECT_EQ(index.find(a.addr_info.remote), nullptr);
  EXPECT_EQ(index.find(b.addr_info.remote), &b);
}

TEST(SessionIndex, RandomInsertsAndErasesMatchAModel) {
  constexpr int kSessions = 3000;
  std::vector<coap_session_t> sessions(kSessions);
  for (int i = 0; i < kSessions; ++i) {
    // Few hosts and ports: many addresses share hash bits.
    sessions[i].addr_info.remote =
        ipv4(0x0a000000u + static_cast<uint32_t>(i % 37), static_cast<uint16_t>(5000 + i / 37));
  }
  SessionIndex index;
  std::map<int, bool> in;  // model: which sessions are indexed
  std::mt19937 rng(7);
  for (int step = 0; step < 40000; ++step) {
    int i = static_cast<int>(rng() % kSessions);
    if (in[i]) {
      index.erase(&sessions[i]);
      in[i] = false;
    } else {
      ASSERT_TRUE(index.insert(&sessions[i]));
      in[i] = true;
    }
    if (step % 997 == 0) {
      size_t count = 0;
      for (int k = 0; k < kSessions; ++k) {
        coap_session_t *found = index.find(sessions[k].addr_info.remote);
        ASSERT_EQ(found, in[k] ? &sessions[k] : nullptr) << "session " << k << " step " << step;
        count += in[k];
      }
      ASSERT_EQ(index.size(), count);
    }
  }
}

TEST(SessionParams, SessionsShareDefaultsUntilASetterCopiesThem) {
  coap_context_t *ctx = coap_new_context(nullptr);
  ASSERT_NE(ctx, nullptr);
  coap_address_t server = ipv4(0x7f000001, 5683);
  coap_session_t *a = coap_new_client_session(ctx, nullptr, &server, COAP_PROTO_UDP);
  coap_session_t *b = coap_new_client_session(ctx, nullptr, &server, COAP_PROTO_UDP);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->params, &kDefaultSessionParams);
  EXPECT_EQ(b->params, &kDefaultSessionParams);
  coap_session_set_max_retransmit(a, 7);
  coap_session_set_ack_timeout(a, coap_fixed_point_t{3, 250});
  EXPECT_NE(a->params, &kDefaultSessionParams);
  EXPECT_EQ(coap_session_get_max_retransmit(a), 7);
  EXPECT_EQ(coap_session_get_ack_timeout(a).integer_part, 3);
  EXPECT_EQ(coap_session_get_ack_timeout(a).fractional_part, 250);
  // b and the defaults are untouched.
  EXPECT_EQ(b->params, &kDefaultSessionParams);
  EXPECT_EQ(coap_session_get_max_retransmit(b), 4);
  EXPECT_EQ(coap_session_get_ack_timeout(b).integer_part, 2);
  EXPECT_EQ(kDefaultSessionParams.max_retransmit, 4);
  // A refused value copies nothing.
  coap_session_set_nstart(b, 0);
  EXPECT_EQ(b->params, &kDefaultSessionParams);
  coap_session_release(a);
  coap_session_release(b);
  coap_free_context(ctx);
}

}  // namespace
}  // namespace coap
