// The response cache (core/cache.h) and PDU copies (core/pdu_copy.h) with
// the fake clock: idle expiry, entries dying with their session, key
// digests, and the argument checks libcoap would crash on (the
// differential test diff_cache.c cannot make those calls).
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "core/cache.h"
#include "core/key_digest.h"
#include "core/pdu_copy.h"
#include "support/fake_network.h"
#include "wire/pdu.h"

namespace coap::test {
namespace {

int g_freed = 0;
void count_free(void *) {
  ++g_freed;
}

class Cache : public ::testing::Test {
 protected:
  void SetUp() override {
    g_freed = 0;
    host = new FakeHost(&net, "10.0.0.2");
    s1 = new_client_session(host->ctx, nullptr, ipv4("10.0.0.1", 5683), COAP_PROTO_UDP, net.now);
    s2 = new_client_session(host->ctx, nullptr, ipv4("10.0.0.3", 5683), COAP_PROTO_UDP, net.now);
    ASSERT_NE(s1, nullptr);
    ASSERT_NE(s2, nullptr);
    pdu = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 0x1234, 1024);
    pdu->add_token(reinterpret_cast<const uint8_t *>("\x01\x02"), 2);
    pdu->add_option(COAP_OPTION_URI_PATH, reinterpret_cast<const uint8_t *>("a"), 1);
  }
  void TearDown() override {
    coap_pdu_t::destroy(pdu);
    if (s2) release_session(s2);
    release_session(s1);
    delete host;
  }

  coap_cache_key_t key_of(const coap_pdu_t *p) {
    coap_cache_key_t k;
    EXPECT_TRUE(derive_cache_key(s1, p, false, nullptr, 0, &k));
    return k;
  }

  FakeNetwork net;
  FakeHost *host = nullptr;
  coap_session_t *s1 = nullptr;
  coap_session_t *s2 = nullptr;
  coap_pdu_t *pdu = nullptr;
};

TEST_F(Cache, KeyDigestWithoutTlsFoldsPiecesIntoLanes) {
  // Option number 11 (2 bytes, host order) into lane 0, "a" into lane 1.
  coap_cache_key_t k = key_of(pdu);
  const uint8_t expected[8] = {0x8b, 0x05, 0x00, 0x00, 0x61, 0x00, 0x00, 0x00};
  EXPECT_EQ(std::memcmp(k.key, expected, 8), 0);
  for (size_t i = 8; i < sizeof(k.key); ++i) EXPECT_EQ(k.key[i], 0) << i;
}

TEST_F(Cache, KeyDigestEighthLaneStaysZero) {
  KeyDigest d;
  uint8_t one = 1;
  for (int i = 0; i < 20; ++i) d.update(&one, 1);
  uint8_t out[KeyDigest::kSize];
  ASSERT_TRUE(d.finish(out));
  for (size_t i = 28; i < KeyDigest::kSize; ++i) EXPECT_EQ(out[i], 0);
  EXPECT_NE(out[0], 0);
}

TEST_F(Cache, KeyFailsWithoutOptionsOrPayload) {
  coap_pdu_t *bare = coap_pdu_t::create(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, 1, 0);
  coap_cache_key_t k;
  EXPECT_FALSE(derive_cache_key(s1, bare, false, nullptr, 0, &k));
  coap_pdu_t::destroy(bare);
}

TEST_F(Cache, EntryExpiresAfterIdleTimeUnlessLookedUp) {
  coap_cache_entry_t *e = new_cache_entry(s1, pdu, false, false, 2, net.now);
  ASSERT_NE(e, nullptr);
  coap_cache_set_app_data(e, e, count_free);
  coap_cache_key_t k = key_of(pdu);
  net.advance(1500);
  EXPECT_EQ(find_cache_entry(host->ctx, k, net.now), e);  // restarts the 2 s
  net.advance(1999);
  EXPECT_EQ(g_freed, 0);
  net.advance(1);
  EXPECT_EQ(g_freed, 1);
  EXPECT_EQ(find_cache_entry(host->ctx, k, net.now), nullptr);
}

TEST_F(Cache, IdleTimeZeroNeverExpires) {
  coap_cache_entry_t *e = new_cache_entry(s1, pdu, false, false, 0, net.now);
  net.advance(24 * 3600 * 1000ull);
  EXPECT_EQ(find_cache_entry(host->ctx, key_of(pdu), net.now), e);
}

TEST_F(Cache, EntriesGoWithTheirSession) {
  coap_cache_entry_t *c = new_cache_entry(s1, pdu, false, false, 0, net.now);
  coap_cache_entry_t *a = new_cache_entry(s2, pdu, true, true, 0, net.now);
  coap_cache_entry_t *b = new_cache_entry(s2, pdu, false, false, 60, net.now);
  coap_cache_set_app_data(a, a, count_free);
  coap_cache_set_app_data(b, b, count_free);
  ASSERT_EQ(find_cache_entry(host->ctx, key_of(pdu), net.now), b);
  release_session(s2);
  s2 = nullptr;
  EXPECT_EQ(g_freed, 2);
  EXPECT_EQ(find_cache_entry(host->ctx, key_of(pdu), net.now), c);
  EXPECT_EQ(host->ctx->cache.entries.size(), 1u);
  net.advance(120 * 1000);  // b's expiry timer went with it
}

TEST_F(Cache, RecordedPduIsAnIndependentCopy) {
  std::memcpy(pdu->add_payload(3), "abc", 3);
  coap_cache_entry_t *e = new_cache_entry(s1, pdu, true, false, 0, net.now);
  const coap_pdu_t *copy = coap_cache_get_pdu(e);
  ASSERT_NE(copy, nullptr);
  EXPECT_NE(copy, pdu);
  EXPECT_EQ(copy->mid, pdu->mid);
  EXPECT_EQ(copy->used_size(), pdu->used_size());
  EXPECT_EQ(std::memcmp(copy->body(), pdu->body(), pdu->used_size()), 0);
  pdu->mid = 1;
  EXPECT_EQ(copy->mid, 0x1234);
}

TEST_F(Cache, ContextTeardownFreesEverything) {
  for (int i = 0; i < 3; ++i) {
    coap_cache_entry_t *e = new_cache_entry(s1, pdu, true, i == 1, i, net.now);
    coap_cache_set_app_data(e, e, count_free);
  }
  clear_cache(host->ctx);
  EXPECT_EQ(g_freed, 3);
  EXPECT_TRUE(host->ctx->cache.newest.empty());
}

TEST_F(Cache, CApiRejectsMissingArguments) {
  // libcoap dereferences these; we report failure.
  EXPECT_EQ(coap_cache_derive_key(nullptr, pdu, COAP_CACHE_NOT_SESSION_BASED), nullptr);
  EXPECT_EQ(coap_cache_derive_key(s1, nullptr, COAP_CACHE_NOT_SESSION_BASED), nullptr);
  EXPECT_EQ(
      coap_new_cache_entry(nullptr, pdu, COAP_CACHE_RECORD_PDU, COAP_CACHE_NOT_SESSION_BASED, 0),
      nullptr);
  EXPECT_EQ(coap_cache_get_by_key(host->ctx, nullptr), nullptr);
  EXPECT_EQ(coap_cache_get_by_pdu(nullptr, pdu, COAP_CACHE_NOT_SESSION_BASED), nullptr);
  EXPECT_EQ(coap_cache_get_pdu(nullptr), nullptr);
  EXPECT_EQ(coap_cache_get_app_data(nullptr), nullptr);
  EXPECT_EQ(coap_cache_ignore_options(nullptr, nullptr, 0), 0);
  EXPECT_EQ(coap_cache_ignore_options(host->ctx, nullptr, 2), 0);
  coap_cache_set_app_data(nullptr, nullptr, nullptr);
  coap_delete_cache_entry(host->ctx, nullptr);
  coap_delete_cache_key(nullptr);
  // An entry is deleted in its own context only.
  coap_cache_entry_t *e = new_cache_entry(s1, pdu, false, false, 0, net.now);
  FakeHost other(&net, "10.0.0.9");
  coap_delete_cache_entry(other.ctx, e);
  EXPECT_EQ(host->ctx->cache.entries.size(), 1u);
  coap_delete_cache_entry(nullptr, e);
  EXPECT_TRUE(host->ctx->cache.entries.empty());
}

TEST_F(Cache, DuplicateTakesNextMidNewTokenNoPayload) {
  std::memcpy(pdu->add_payload(4), "body", 4);
  uint16_t before = s1->tx_mid;
  coap_pdu_t *d = duplicate_pdu(pdu, s1, reinterpret_cast<const uint8_t *>("\x0f"), 1, nullptr);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->mid, static_cast<uint16_t>(before + 1));
  EXPECT_EQ(d->type, pdu->type);
  EXPECT_EQ(d->code, pdu->code);
  ASSERT_EQ(d->token_length(), 1u);
  EXPECT_EQ(d->token()[0], 0x0f);
  EXPECT_FALSE(d->has_payload());
  EXPECT_EQ(d->options_size(), pdu->options_size());
  EXPECT_EQ(std::memcmp(d->options(), pdu->options(), pdu->options_size()), 0);
  EXPECT_EQ(d->max_size(), s1->max_pdu_size() > 1024 ? s1->max_pdu_size() : 1024u);
  coap_pdu_t::destroy(d);
}

TEST_F(Cache, DuplicateCApiRejectsMissingArguments) {
  EXPECT_EQ(coap_pdu_duplicate(nullptr, s1, 0, nullptr, nullptr), nullptr);
  EXPECT_EQ(coap_pdu_duplicate(pdu, nullptr, 0, nullptr, nullptr), nullptr);
  EXPECT_EQ(coap_pdu_duplicate(pdu, s1, 3, nullptr, nullptr), nullptr);
}

TEST_F(Cache, CloneKeepsEverything) {
  pdu->add_option(COAP_OPTION_URI_QUERY, reinterpret_cast<const uint8_t *>("x=1"), 3);
  std::memcpy(pdu->add_payload(2), "hi", 2);
  coap_pdu_t *c = clone_pdu(pdu);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->mid, pdu->mid);
  EXPECT_EQ(c->type, pdu->type);
  EXPECT_EQ(c->code, pdu->code);
  EXPECT_EQ(c->max_size(), pdu->max_size());
  ASSERT_EQ(c->used_size(), pdu->used_size());
  EXPECT_EQ(std::memcmp(c->body(), pdu->body(), pdu->used_size()), 0);
  EXPECT_EQ(c->payload_length(), 2u);
  coap_pdu_t::destroy(c);
}

}  // namespace
}  // namespace coap::test
