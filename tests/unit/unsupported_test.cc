// Features this build does not provide answer exactly like a libcoap build
// without them: the probes say 0, the rest fail with their documented value
// (the unit tests link the notls backend).
#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <string>

#include "coap3/coap.h"

namespace {

TEST(Unsupported, NotlsBackendProbes) {
  EXPECT_EQ(coap_dtls_is_supported(), 0);
  EXPECT_EQ(coap_tls_is_supported(), 0);
  EXPECT_EQ(coap_dtls_psk_is_supported(), 0);
  EXPECT_EQ(coap_dtls_pki_is_supported(), 0);
  EXPECT_EQ(coap_dtls_pkcs11_is_supported(), 0);
  EXPECT_EQ(coap_dtls_rpk_is_supported(), 0);
  EXPECT_EQ(coap_dtls_cid_is_supported(), 0);
  coap_tls_version_t *v = coap_get_tls_library_version();
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->type, COAP_TLS_LIBRARY_NOTLS);
  EXPECT_EQ(v->version, 0u);
  char buf[128];
  EXPECT_EQ(std::string(coap_string_tls_version(buf, sizeof(buf))), "TLS Library: None");
  EXPECT_EQ(std::string(coap_string_tls_support(buf, sizeof(buf))), "(No DTLS or TLS support)");
  coap_show_tls_version(COAP_LOG_DEBUG);
  EXPECT_EQ(coap_tls_engine_configure(nullptr), 0);
  EXPECT_EQ(coap_tls_engine_remove(), 0);
}

TEST(Unsupported, SecureSessionsAndContextsAreRefused) {
  coap_context_t *ctx = coap_new_context(nullptr);
  coap_address_t server;
  coap_address_init(&server);
  server.addr.sin.sin_family = AF_INET;
  server.addr.sin.sin_port = htons(5684);
  inet_pton(AF_INET, "127.0.0.1", &server.addr.sin.sin_addr);
  EXPECT_EQ(coap_context_set_psk(ctx, "hint", reinterpret_cast<const uint8_t *>("k"), 1), 0);
  coap_dtls_spsk_t spsk = {};
  spsk.version = COAP_DTLS_SPSK_SETUP_VERSION;
  EXPECT_EQ(coap_context_set_psk2(ctx, &spsk), 0);
  coap_dtls_pki_t pki = {};
  pki.version = COAP_DTLS_PKI_SETUP_VERSION;
  EXPECT_EQ(coap_context_set_pki(ctx, &pki), 0);
  EXPECT_EQ(coap_context_set_pki_root_cas(ctx, "/nonexistent", nullptr), 0);
  EXPECT_EQ(coap_new_client_session_psk(ctx, nullptr, &server, COAP_PROTO_DTLS, "id",
                                        reinterpret_cast<const uint8_t *>("k"), 1),
            nullptr);
  coap_dtls_cpsk_t cpsk = {};
  cpsk.version = COAP_DTLS_CPSK_SETUP_VERSION;
  EXPECT_EQ(coap_new_client_session_psk2(ctx, nullptr, &server, COAP_PROTO_DTLS, &cpsk), nullptr);
  EXPECT_EQ(coap_new_client_session_pki(ctx, nullptr, &server, COAP_PROTO_DTLS, &pki), nullptr);
  EXPECT_EQ(coap_new_client_session(ctx, nullptr, &server, COAP_PROTO_DTLS), nullptr);
  coap_session_t *plain = coap_new_client_session(ctx, nullptr, &server, COAP_PROTO_UDP);
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(coap_session_get_psk_hint(plain), nullptr);
  EXPECT_EQ(coap_session_get_psk_key(plain), nullptr);
  EXPECT_EQ(coap_session_get_psk_identity(plain), nullptr);
  coap_tls_library_t lib = COAP_TLS_LIBRARY_GNUTLS;
  EXPECT_EQ(coap_session_get_tls(plain, &lib), nullptr);
  EXPECT_EQ(lib, COAP_TLS_LIBRARY_GNUTLS);  // left untouched
  EXPECT_EQ(coap_context_set_cid_tuple_change(ctx, 1), 0);
  coap_session_release(plain);
  coap_free_context(ctx);
}

TEST(Unsupported, OscoreProxyAndPersistence) {
  EXPECT_EQ(coap_oscore_is_supported(), 0);
  EXPECT_EQ(coap_proxy_is_supported(), 0);
  EXPECT_EQ(coap_observe_persist_is_supported(), 0);
  EXPECT_EQ(coap_q_block_is_supported(), 0);
  coap_context_t *ctx = coap_new_context(nullptr);
  coap_str_const_t conf = {0, nullptr};
  EXPECT_EQ(coap_new_oscore_conf(conf, nullptr, nullptr, 0), nullptr);
  EXPECT_EQ(coap_delete_oscore_conf(nullptr), 0);
  EXPECT_EQ(coap_context_oscore_server(ctx, nullptr), 0);
  coap_bin_const_t rid = {1, reinterpret_cast<const uint8_t *>("r")};
  EXPECT_EQ(coap_new_oscore_recipient(ctx, &rid), 0);
  EXPECT_EQ(coap_delete_oscore_recipient(ctx, &rid), 0);
  coap_address_t a;
  coap_address_init(&a);
  EXPECT_EQ(coap_new_client_session_oscore(ctx, nullptr, &a, COAP_PROTO_UDP, nullptr), nullptr);
  EXPECT_EQ(coap_new_client_session_oscore_psk(ctx, nullptr, &a, COAP_PROTO_UDP, nullptr, nullptr),
            nullptr);
  EXPECT_EQ(coap_new_client_session_oscore_pki(ctx, nullptr, &a, COAP_PROTO_UDP, nullptr, nullptr),
            nullptr);
  EXPECT_EQ(coap_persist_startup(ctx, "a", "b", "c", 0), 0);
  coap_persist_track_funcs(ctx, nullptr, nullptr, nullptr, nullptr, nullptr, 0, nullptr);
  EXPECT_EQ(coap_persist_observe_add(ctx, COAP_PROTO_UDP, nullptr, nullptr, nullptr, nullptr),
            nullptr);
  coap_resource_t *r = coap_resource_init(coap_make_str_const("x"), 0);
  coap_persist_set_observe_num(r, 5);
  coap_add_resource(ctx, r);
  coap_persist_stop(ctx);
  coap_pdu_t *response = coap_pdu_init(COAP_MESSAGE_ACK, COAP_EMPTY_CODE, 1, 100);
  EXPECT_EQ(coap_proxy_forward_request(nullptr, nullptr, response, nullptr, nullptr, nullptr), 0);
  EXPECT_EQ(coap_pdu_get_code(response), COAP_RESPONSE_CODE_PROXYING_NOT_SUPPORTED);
  EXPECT_EQ(coap_proxy_forward_response(nullptr, nullptr, nullptr), COAP_RESPONSE_OK);
  coap_delete_pdu(response);
  coap_free_context(ctx);
}

}  // namespace
