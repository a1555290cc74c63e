// The OpenSSL (D)TLS engine: client and server engines talking through
// memory with PSK and PKI, DTLS record boundaries, retransmission on a fake
// clock, the stateless cookie exchange, bad input and close_notify.
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "coap3/coap.h"
#include "test_pki.h"
#include "tls_harness.h"

namespace tlstest {
namespace {

coap_session_t *const kClientSession = reinterpret_cast<coap_session_t *>(0x1001);
coap_session_t *const kServerSession = reinterpret_cast<coap_session_t *>(0x2002);
const uint8_t kPeerA[] = {10, 0, 0, 1, 0x16, 0x34};
const uint8_t kPeerB[] = {10, 0, 0, 2, 0x16, 0x34};

struct BackendDeleter {
  void operator()(Backend *b) const { coap::tls::destroy_backend(b); }
};
using BackendPtr = std::unique_ptr<Backend, BackendDeleter>;

BackendPtr new_backend() {
  return BackendPtr(coap::tls::create_backend(nullptr));
}

coap_dtls_cpsk_t client_psk(const char *identity, const char *key) {
  coap_dtls_cpsk_t c = {};
  c.version = COAP_DTLS_CPSK_SETUP_VERSION;
  c.psk_info.identity = bin(identity);
  c.psk_info.key = bin(key);
  return c;
}

coap_dtls_spsk_t server_psk(const char *hint, const char *key) {
  coap_dtls_spsk_t s = {};
  s.version = COAP_DTLS_SPSK_SETUP_VERSION;
  s.psk_info.hint = bin(hint);
  s.psk_info.key = bin(key);
  return s;
}

std::string str(const coap_bin_const_t *b) {
  return b ? std::string(reinterpret_cast<const char *>(b->s), b->length) : "<null>";
}

// A server engine for `kind` plus a client, wired together.
void connect(Wire &w, Backend *server, Kind kind, const coap_dtls_cpsk_t *cpsk,
             const coap_dtls_pki_t *cpki) {
  w.client.engine = server->new_client(kind, kClientSession, cpsk, cpki);
  w.server.engine = server->new_server(kind, kServerSession, kPeerA, sizeof(kPeerA));
}

bool exchange_data(Wire &w) {
  if (!w.client.engine->write(reinterpret_cast<const uint8_t *>("ping"), 4)) return false;
  w.pump();
  if (!w.server.engine->write(reinterpret_cast<const uint8_t *>("pong"), 4)) return false;
  w.pump();
  return w.server.sink.text() == "ping" && w.client.sink.text() == "pong";
}

// ------------------------------------------------------------------ PSK

TEST(TlsEnginePsk, DtlsHandshakeDataAndAccessors) {
  BackendPtr backend = new_backend();
  ASSERT_TRUE(backend);
  EXPECT_FALSE(backend->has_server_credentials());
  coap_dtls_spsk_t s = server_psk("the-hint", "secret-key");
  ASSERT_TRUE(backend->set_server_psk(&s));
  EXPECT_TRUE(backend->has_server_credentials());
  coap_dtls_cpsk_t c = client_psk("alice", "secret-key");
  Wire w;
  connect(w, backend.get(), Kind::kDtls, &c, nullptr);
  ASSERT_TRUE(w.client.engine && w.server.engine);
  EXPECT_FALSE(w.client.engine->established());
  ASSERT_TRUE(w.handshake());
  EXPECT_TRUE(w.client.engine->established());
  EXPECT_TRUE(exchange_data(w));
  EXPECT_EQ(str(w.client.engine->psk_identity()), "alice");
  EXPECT_EQ(str(w.client.engine->psk_hint()), "the-hint");
  EXPECT_EQ(str(w.client.engine->psk_key()), "secret-key");
  EXPECT_EQ(str(w.server.engine->psk_identity()), "alice");
  EXPECT_EQ(str(w.server.engine->psk_hint()), "the-hint");
  EXPECT_EQ(str(w.server.engine->psk_key()), "secret-key");
  auto *ssl = static_cast<SSL *>(w.client.engine->native());
  ASSERT_NE(ssl, nullptr);
  EXPECT_EQ(SSL_version(ssl), DTLS1_2_VERSION);
  EXPECT_EQ(w.client.engine->next_timeout(w.now), UINT64_MAX);
  EXPECT_GT(w.client.engine->overhead(), 13u);
}

TEST(TlsEnginePsk, DtlsRecordPerDatagram) {
  BackendPtr backend = new_backend();
  coap_dtls_spsk_t s = server_psk("", "k3y");
  ASSERT_TRUE(backend->set_server_psk(&s));
  coap_dtls_cpsk_t c = client_psk("id", "k3y");
  Wire w;
  connect(w, backend.get(), Kind::kDtls, &c, nullptr);
  ASSERT_TRUE(w.handshake());
  const std::string messages[] = {"first", "second message", std::string(600, 'x')};
  for (const std::string &m : messages) {
    ASSERT_TRUE(w.client.engine->write(reinterpret_cast<const uint8_t *>(m.data()), m.size()));
  }
  std::vector<Bytes> datagrams = take_all(w.client.engine);
  ASSERT_EQ(datagrams.size(), 3u);
  for (const Bytes &d : datagrams) {
    EXPECT_EQ(w.server.engine->feed(d.data(), d.size(), &w.server.sink, w.now), Status::kOk);
  }
  ASSERT_EQ(w.server.sink.records.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(w.server.sink.records[i], bytes(messages[i]));
  // No hint configured: none reported.
  EXPECT_EQ(w.client.engine->psk_hint(), nullptr);
  EXPECT_EQ(w.server.engine->psk_hint(), nullptr);
}

TEST(TlsEnginePsk, Tls13AndTls12) {
  for (int version : {0, TLS1_2_VERSION}) {
    SCOPED_TRACE(version);
    BackendPtr backend = new_backend();
    coap_dtls_spsk_t s = server_psk("hint12", "tls-key");
    ASSERT_TRUE(backend->set_server_psk(&s));
    coap_dtls_cpsk_t c = client_psk("bob", "tls-key");
    Wire w;
    connect(w, backend.get(), Kind::kTls, &c, nullptr);
    ASSERT_TRUE(w.client.engine && w.server.engine);
    auto *ssl = static_cast<SSL *>(w.client.engine->native());
    if (version) SSL_set_max_proto_version(ssl, version);
    ASSERT_TRUE(w.handshake());
    EXPECT_EQ(SSL_version(ssl), version ? version : TLS1_3_VERSION);
    EXPECT_TRUE(exchange_data(w));
    EXPECT_EQ(str(w.server.engine->psk_identity()), "bob");
    EXPECT_EQ(str(w.client.engine->psk_key()), "tls-key");
    // Hints exist in TLS 1.2 only.
    EXPECT_EQ(str(w.client.engine->psk_hint()), version ? "hint12" : "<null>");
    EXPECT_EQ(w.client.engine->max_plaintext(), 0u);
    EXPECT_EQ(w.client.engine->next_timeout(0), UINT64_MAX);
  }
}

struct HintChoice {
  std::string seen_hint;
  coap_session_t *seen_session = nullptr;
  coap_dtls_cpsk_info_t info;
  bool refuse = false;
};

const coap_dtls_cpsk_info_t *pick_identity(coap_str_const_t *hint, coap_session_t *session,
                                           void *arg) {
  auto *choice = static_cast<HintChoice *>(arg);
  choice->seen_hint.assign(reinterpret_cast<const char *>(hint->s), hint->length);
  choice->seen_session = session;
  return choice->refuse ? nullptr : &choice->info;
}

struct IdKeys {
  std::vector<std::string> seen;
  coap_bin_const_t key_for_carol = bin("carol-key");
};

const coap_bin_const_t *pick_key(coap_bin_const_t *identity, coap_session_t *session, void *arg) {
  auto *keys = static_cast<IdKeys *>(arg);
  EXPECT_EQ(session, kServerSession);
  keys->seen.emplace_back(reinterpret_cast<const char *>(identity->s), identity->length);
  if (keys->seen.back() == "carol") return &keys->key_for_carol;
  return nullptr;
}

TEST(TlsEnginePsk, HintCallbackAndIdentityCallback) {
  for (Kind kind : {Kind::kDtls, Kind::kTls}) {
    BackendPtr backend = new_backend();
    IdKeys keys;
    coap_dtls_spsk_t s = server_psk("hint-A", "default-key");
    s.validate_id_call_back = pick_key;
    s.id_call_back_arg = &keys;
    ASSERT_TRUE(backend->set_server_psk(&s));
    HintChoice choice;
    choice.info.identity = bin("carol");
    choice.info.key = bin("carol-key");
    coap_dtls_cpsk_t c = client_psk("nobody", "wrong");
    c.validate_ih_call_back = pick_identity;
    c.ih_call_back_arg = &choice;
    Wire w;
    connect(w, backend.get(), kind, &c, nullptr);
    // The hint callback needs a hint: TLS 1.3 has none.
    if (kind == Kind::kTls) {
      SSL_set_max_proto_version(static_cast<SSL *>(w.client.engine->native()), TLS1_2_VERSION);
    }
    ASSERT_TRUE(w.handshake());
    EXPECT_EQ(choice.seen_hint, "hint-A");
    EXPECT_EQ(choice.seen_session, kClientSession);
    ASSERT_EQ(keys.seen.size(), 1u);
    EXPECT_EQ(keys.seen[0], "carol");
    EXPECT_EQ(str(w.server.engine->psk_key()), "carol-key");
    EXPECT_EQ(str(w.client.engine->psk_identity()), "carol");
    EXPECT_TRUE(exchange_data(w));
  }
}

TEST(TlsEnginePsk, RefusedHintOrIdentityOrWrongKeyFails) {
  BackendPtr backend = new_backend();
  IdKeys keys;
  coap_dtls_spsk_t s = server_psk("h", "k");
  s.validate_id_call_back = pick_key;
  s.id_call_back_arg = &keys;
  ASSERT_TRUE(backend->set_server_psk(&s));
  {
    coap_dtls_cpsk_t c = client_psk("mallory", "k");
    Wire w;
    connect(w, backend.get(), Kind::kDtls, &c, nullptr);
    EXPECT_FALSE(w.handshake());
    EXPECT_TRUE(w.server.failed);
    EXPECT_TRUE(w.client.failed);
  }
  {
    HintChoice choice;
    choice.refuse = true;
    coap_dtls_cpsk_t c = client_psk("carol", "carol-key");
    c.validate_ih_call_back = pick_identity;
    c.ih_call_back_arg = &choice;
    Wire w;
    connect(w, backend.get(), Kind::kDtls, &c, nullptr);
    EXPECT_FALSE(w.handshake());
    EXPECT_TRUE(w.client.failed);
  }
  {
    BackendPtr plain = new_backend();
    coap_dtls_spsk_t s2 = server_psk("", "right");
    ASSERT_TRUE(plain->set_server_psk(&s2));
    coap_dtls_cpsk_t c = client_psk("x", "wrong");
    for (Kind kind : {Kind::kDtls, Kind::kTls}) {
      Wire w;
      connect(w, plain.get(), kind, &c, nullptr);
      EXPECT_FALSE(w.handshake());
      EXPECT_TRUE(w.client.failed || w.server.failed);
    }
  }
}

struct SniPsk {
  std::vector<std::string> asked;
  coap_dtls_spsk_info_t info = {bin("sni-hint"), bin("sni-key")};
};

const coap_dtls_spsk_info_t *psk_for_sni(const char *sni, coap_session_t *session, void *arg) {
  (void)session;
  auto *sni_psk = static_cast<SniPsk *>(arg);
  sni_psk->asked.emplace_back(sni);
  return std::strcmp(sni, "b.example") == 0 ? &sni_psk->info : nullptr;
}

TEST(TlsEnginePsk, SniCallbackChoosesHintAndKeyOncePerName) {
  for (Kind kind : {Kind::kDtls, Kind::kTls}) {
    BackendPtr backend = new_backend();
    SniPsk sni;
    coap_dtls_spsk_t s = server_psk("default-hint", "default-key");
    s.validate_sni_call_back = psk_for_sni;
    s.sni_call_back_arg = &sni;
    ASSERT_TRUE(backend->set_server_psk(&s));
    char name[] = "b.example";
    coap_dtls_cpsk_t c = client_psk("dave", "sni-key");
    c.client_sni = name;
    for (int round = 0; round < 2; ++round) {
      Wire w;
      connect(w, backend.get(), kind, &c, nullptr);
      ASSERT_TRUE(w.handshake());
      EXPECT_EQ(str(w.server.engine->psk_key()), "sni-key");
      EXPECT_EQ(str(w.server.engine->psk_hint()), "sni-hint");
      EXPECT_TRUE(exchange_data(w));
    }
    ASSERT_EQ(sni.asked.size(), 1u);  // remembered after the first time
    EXPECT_EQ(sni.asked[0], "b.example");

    char other[] = "c.example";
    c.client_sni = other;
    Wire refused;
    connect(refused, backend.get(), kind, &c, nullptr);
    EXPECT_FALSE(refused.handshake());
    EXPECT_TRUE(refused.server.failed);

    // A literal address is not sent as SNI: the default key applies.
    char address[] = "192.0.2.1";
    coap_dtls_cpsk_t plain = client_psk("erin", "default-key");
    plain.client_sni = address;
    Wire w;
    connect(w, backend.get(), kind, &plain, nullptr);
    ASSERT_TRUE(w.handshake());
    EXPECT_EQ(sni.asked.size(), 2u);  // only c.example was added
  }
}

// ------------------------------------------------------------------ PKI

struct CnCall {
  std::string cn;
  unsigned depth;
  int validated;
  size_t der_length;
};

struct CnLog {
  std::vector<CnCall> calls;
  std::string reject;  // names refused
};

int cn_callback(const char *cn, const uint8_t *der, size_t der_length, coap_session_t *session,
                unsigned depth, int validated, void *arg) {
  (void)session;
  auto *log = static_cast<CnLog *>(arg);
  EXPECT_NE(der, nullptr);
  log->calls.push_back({cn ? cn : "", depth, validated, der_length});
  return log->reject.empty() || log->reject != cn;
}

coap_dtls_pki_t pki_setup(const char *ca, const char *cert, const char *key) {
  coap_dtls_pki_t p = {};
  p.version = COAP_DTLS_PKI_SETUP_VERSION;
  p.verify_peer_cert = 1;
  p.check_common_ca = 1;
  p.cert_chain_validation = 1;
  p.cert_chain_verify_depth = 2;
  p.pki_key.key_type = COAP_PKI_KEY_PEM;
  p.pki_key.key.pem.ca_file = ca;
  p.pki_key.key.pem.public_cert = cert;
  p.pki_key.key.pem.private_key = key;
  return p;
}

struct Files {
  std::string ca, server, server_key, client, client_key, other_ca, leafchain, leaf_key, server_der,
      server_key_der;
  Files() {
    const std::string &d = pki().dir;
    ca = d + "/ca.pem";
    server = d + "/server.pem";
    server_key = d + "/server.key";
    client = d + "/client.pem";
    client_key = d + "/client.key";
    other_ca = d + "/other_ca.pem";
    leafchain = d + "/leafchain.pem";
    leaf_key = d + "/leaf.key";
    server_der = d + "/server.der";
    server_key_der = d + "/server.key.der";
  }
};

TEST(TlsEnginePki, PemFilesBothWaysWithCnCallback) {
  Files f;
  for (Kind kind : {Kind::kDtls, Kind::kTls}) {
    SCOPED_TRACE(kind == Kind::kDtls ? "DTLS" : "TLS");
    BackendPtr backend = new_backend();
    CnLog server_log, client_log;
    coap_dtls_pki_t s = pki_setup(f.ca.c_str(), f.server.c_str(), f.server_key.c_str());
    s.validate_cn_call_back = cn_callback;
    s.cn_call_back_arg = &server_log;
    ASSERT_TRUE(backend->set_server_pki(&s));
    coap_dtls_pki_t c = pki_setup(f.ca.c_str(), f.client.c_str(), f.client_key.c_str());
    c.validate_cn_call_back = cn_callback;
    c.cn_call_back_arg = &client_log;
    Wire w;
    connect(w, backend.get(), kind, nullptr, &c);
    ASSERT_TRUE(w.client.engine && w.server.engine);
    ASSERT_TRUE(w.handshake());
    EXPECT_TRUE(exchange_data(w));
    // Each certificate of the chain once, CA first, all validated.
    ASSERT_EQ(client_log.calls.size(), 2u);
    EXPECT_EQ(client_log.calls[0].cn, "Test CA");
    EXPECT_EQ(client_log.calls[0].depth, 1u);
    EXPECT_EQ(client_log.calls[1].cn, "server.test");
    EXPECT_EQ(client_log.calls[1].depth, 0u);
    EXPECT_EQ(client_log.calls[1].validated, 1);
    EXPECT_GT(client_log.calls[1].der_length, 100u);
    ASSERT_EQ(server_log.calls.size(), 2u);
    EXPECT_EQ(server_log.calls[1].cn, "client.test");
    EXPECT_EQ(w.client.engine->psk_identity(), nullptr);
  }
}

TEST(TlsEnginePki, CnCallbackCanReject) {
  Files f;
  BackendPtr backend = new_backend();
  coap_dtls_pki_t s = pki_setup(f.ca.c_str(), f.server.c_str(), f.server_key.c_str());
  ASSERT_TRUE(backend->set_server_pki(&s));
  for (const char *refused : {"server.test", "Test CA"}) {
    CnLog log;
    log.reject = refused;
    coap_dtls_pki_t c = pki_setup(f.ca.c_str(), f.client.c_str(), f.client_key.c_str());
    c.validate_cn_call_back = cn_callback;
    c.cn_call_back_arg = &log;
    Wire w;
    connect(w, backend.get(), Kind::kDtls, nullptr, &c);
    EXPECT_FALSE(w.handshake());
    EXPECT_TRUE(w.client.failed);
    EXPECT_FALSE(log.calls.empty());
  }
}

// The in-memory forms and COAP_PKI_KEY_DEFINE give the same result as files.
TEST(TlsEnginePki, MemoryForms) {
  const TestPki &p = pki();
  Files f;
  std::string ca_pem = pem(p.ca.cert), cert_pem = pem(p.server.cert), key_pem = pem(p.server.key);
  Bytes ca_der = der(p.ca.cert), cert_der = der(p.server.cert), key_der = der(p.server.key);
  std::vector<coap_dtls_key_t> forms;
  coap_dtls_key_t k = {};
  k.key_type = COAP_PKI_KEY_PEM_BUF;  // with the NUL counted
  k.key.pem_buf = {reinterpret_cast<const uint8_t *>(ca_pem.c_str()),
                   reinterpret_cast<const uint8_t *>(cert_pem.c_str()),
                   reinterpret_cast<const uint8_t *>(key_pem.c_str()),
                   ca_pem.size() + 1,
                   cert_pem.size() + 1,
                   key_pem.size() + 1};
  forms.push_back(k);
  k.key.pem_buf.ca_cert_len--;  // and without
  k.key.pem_buf.public_cert_len--;
  k.key.pem_buf.private_key_len--;
  forms.push_back(k);
  k = {};
  k.key_type = COAP_PKI_KEY_ASN1;
  k.key.asn1 = {ca_der.data(),   cert_der.data(), key_der.data(),   ca_der.size(),
                cert_der.size(), key_der.size(),  COAP_ASN1_PKEY_EC};
  forms.push_back(k);
  k.key.asn1.private_key_type = COAP_ASN1_PKEY_NONE;
  forms.push_back(k);
  k = {};
  k.key_type = COAP_PKI_KEY_DEFINE;
  k.key.define.ca.s_byte = f.ca.c_str();
  k.key.define.ca_def = COAP_PKI_KEY_DEF_PEM;
  k.key.define.public_cert.s_byte = f.server_der.c_str();
  k.key.define.public_cert_def = COAP_PKI_KEY_DEF_DER;
  k.key.define.private_key.u_byte = key_der.data();
  k.key.define.private_key_len = key_der.size();
  k.key.define.private_key_def = COAP_PKI_KEY_DEF_DER_BUF;
  k.key.define.private_key_type = COAP_ASN1_PKEY_EC;
  forms.push_back(k);
  k.key.define.private_key.s_byte = f.server_key_der.c_str();
  k.key.define.private_key_def = COAP_PKI_KEY_DEF_DER;
  k.key.define.public_cert.u_byte = reinterpret_cast<const uint8_t *>(cert_pem.data());
  k.key.define.public_cert_len = cert_pem.size();
  k.key.define.public_cert_def = COAP_PKI_KEY_DEF_PEM_BUF;
  forms.push_back(k);

  for (size_t i = 0; i < forms.size(); ++i) {
    SCOPED_TRACE(i);
    BackendPtr backend = new_backend();
    coap_dtls_pki_t s = pki_setup(nullptr, nullptr, nullptr);
    s.pki_key = forms[i];
    ASSERT_TRUE(backend->set_server_pki(&s));
    coap_dtls_pki_t c = pki_setup(f.ca.c_str(), f.client.c_str(), f.client_key.c_str());
    Wire w;
    connect(w, backend.get(), Kind::kDtls, nullptr, &c);
    ASSERT_TRUE(w.server.engine);
    ASSERT_TRUE(w.handshake());
  }
}

TEST(TlsEnginePki, ClientWithoutCertificate) {
  Files f;
  for (uint8_t server_verifies : {0, 1}) {
    BackendPtr backend = new_backend();
    coap_dtls_pki_t s = pki_setup(f.ca.c_str(), f.server.c_str(), f.server_key.c_str());
    s.verify_peer_cert = server_verifies;
    ASSERT_TRUE(backend->set_server_pki(&s));
    coap_dtls_pki_t c = pki_setup(f.ca.c_str(), nullptr, nullptr);
    for (Kind kind : {Kind::kDtls, Kind::kTls}) {
      Wire w;
      connect(w, backend.get(), kind, nullptr, &c);
      bool ok = w.handshake();
      if (ok) ok = exchange_data(w);
      EXPECT_EQ(ok, server_verifies == 0);
      if (server_verifies) {
        EXPECT_TRUE(w.server.failed);
      }
    }
  }
}

TEST(TlsEnginePki, WrongCaFails) {
  Files f;
  BackendPtr backend = new_backend();
  std::string other_key = pki().dir + "/other.key", other_cert = pki().dir + "/other.pem";
  write_file(other_key, pem(pki().other_server.key));
  write_file(other_cert, pem(pki().other_server.cert));
  coap_dtls_pki_t s = pki_setup(f.other_ca.c_str(), other_cert.c_str(), other_key.c_str());
  s.verify_peer_cert = 0;
  ASSERT_TRUE(backend->set_server_pki(&s));
  coap_dtls_pki_t c = pki_setup(f.ca.c_str(), nullptr, nullptr);
  for (Kind kind : {Kind::kDtls, Kind::kTls}) {
    Wire w;
    connect(w, backend.get(), kind, nullptr, &c);
    EXPECT_FALSE(w.handshake());
    EXPECT_TRUE(w.client.failed);
  }
  // Without verification the same server is accepted.
  c.verify_peer_cert = 0;
  Wire w;
  connect(w, backend.get(), Kind::kDtls, nullptr, &c);
  EXPECT_TRUE(w.handshake());
}

// Runs a DTLS handshake against a server presenting `server` (signed by
// the test CA unless self-signed) with the client's switches in `client`.
bool try_server_cert(const KeyPair &server, coap_dtls_pki_t client, CnLog *log = nullptr) {
  std::string cert = pem(server.cert), key = pem(server.key);
  coap_dtls_pki_t s = pki_setup(nullptr, nullptr, nullptr);
  s.verify_peer_cert = 0;
  s.pki_key.key_type = COAP_PKI_KEY_PEM_BUF;
  s.pki_key.key.pem_buf.public_cert = reinterpret_cast<const uint8_t *>(cert.data());
  s.pki_key.key.pem_buf.public_cert_len = cert.size();
  s.pki_key.key.pem_buf.private_key = reinterpret_cast<const uint8_t *>(key.data());
  s.pki_key.key.pem_buf.private_key_len = key.size();
  // The server may present weak keys and digests; the client judges them.
  s.allow_short_rsa_length = 1;
  s.allow_bad_md_hash = 1;
  BackendPtr backend = new_backend();
  if (!backend->set_server_pki(&s)) return false;
  if (log) {
    client.validate_cn_call_back = cn_callback;
    client.cn_call_back_arg = log;
  }
  Wire w;
  connect(w, backend.get(), Kind::kDtls, nullptr, &client);
  if (!w.client.engine || !w.server.engine) return false;
  return w.handshake();
}

TEST(TlsEnginePki, ExpiredCertificate) {
  Files f;
  coap_dtls_pki_t c = pki_setup(f.ca.c_str(), nullptr, nullptr);
  EXPECT_FALSE(try_server_cert(pki().expired, c));
  c.allow_expired_certs = 1;
  CnLog log;
  EXPECT_TRUE(try_server_cert(pki().expired, c, &log));
  ASSERT_EQ(log.calls.size(), 2u);
  EXPECT_EQ(log.calls[1].cn, "expired.test");
  EXPECT_EQ(log.calls[1].validated, 0);  // TLS saw the problem
  EXPECT_EQ(log.calls[0].validated, 1);
}

TEST(TlsEnginePki, SelfSignedCertificate) {
  Files f;
  coap_dtls_pki_t c = pki_setup(f.ca.c_str(), nullptr, nullptr);
  c.check_common_ca = 0;
  EXPECT_FALSE(try_server_cert(pki().self_signed, c));
  c.allow_self_signed = 1;
  EXPECT_TRUE(try_server_cert(pki().self_signed, c));
  // check_common_ca wins over allow_self_signed.
  c.check_common_ca = 1;
  EXPECT_FALSE(try_server_cert(pki().self_signed, c));
}

TEST(TlsEnginePki, ChainDepth) {
  Files f;
  BackendPtr backend = new_backend();
  coap_dtls_pki_t s = pki_setup(nullptr, f.leafchain.c_str(), f.leaf_key.c_str());
  s.verify_peer_cert = 0;
  ASSERT_TRUE(backend->set_server_pki(&s));
  for (uint8_t depth : {0, 1}) {
    CnLog log;
    coap_dtls_pki_t c = pki_setup(f.ca.c_str(), nullptr, nullptr);
    c.cert_chain_verify_depth = depth;
    c.validate_cn_call_back = cn_callback;
    c.cn_call_back_arg = &log;
    Wire w;
    connect(w, backend.get(), Kind::kDtls, nullptr, &c);
    EXPECT_EQ(w.handshake(), depth == 1);
    if (depth == 1) {
      ASSERT_EQ(log.calls.size(), 3u);
      EXPECT_EQ(log.calls[1].cn, "Intermediate");
      EXPECT_EQ(log.calls[1].depth, 1u);
      EXPECT_EQ(log.calls[2].depth, 0u);
    }
  }
}

TEST(TlsEnginePki, Revocation) {
  const TestPki &p = pki();
  std::string with_crl = p.dir + "/ca_crl.pem", revoking = p.dir + "/ca_revoking.pem",
              stale = p.dir + "/ca_stale.pem";
  X509_CRL *empty = make_crl(p.ca, {}, 86400);
  X509_CRL *revoked = make_crl(p.ca, {2}, 86400);  // the server's serial
  X509_CRL *expired = make_crl(p.ca, {}, -60);
  write_file(with_crl, pem(p.ca.cert) + pem(empty));
  write_file(revoking, pem(p.ca.cert) + pem(revoked));
  write_file(stale, pem(p.ca.cert) + pem(expired));
  X509_CRL_free(empty);
  X509_CRL_free(revoked);
  X509_CRL_free(expired);
  Files f;
  coap_dtls_pki_t c = pki_setup(f.ca.c_str(), nullptr, nullptr);
  c.check_cert_revocation = 1;
  EXPECT_FALSE(try_server_cert(p.server, c));  // no CRL at all
  c.allow_no_crl = 1;
  EXPECT_TRUE(try_server_cert(p.server, c));
  c.allow_no_crl = 0;
  c.pki_key.key.pem.ca_file = with_crl.c_str();
  EXPECT_TRUE(try_server_cert(p.server, c));
  c.pki_key.key.pem.ca_file = revoking.c_str();
  EXPECT_FALSE(try_server_cert(p.server, c));
  c.pki_key.key.pem.ca_file = stale.c_str();
  EXPECT_FALSE(try_server_cert(p.server, c));
  c.allow_expired_crl = 1;
  EXPECT_TRUE(try_server_cert(p.server, c));
}

TEST(TlsEnginePki, ShortRsaKeyNeedsPermission) {
  Files f;
  // Only meaningful where OpenSSL's default security level refuses
  // 1024-bit RSA (level 2 and up, as on Debian).
  SSL_CTX *probe = SSL_CTX_new(TLS_method());
  int level = SSL_CTX_get_security_level(probe);
  SSL_CTX_free(probe);
  if (level < 2) GTEST_SKIP() << "default security level " << level;
  coap_dtls_pki_t c = pki_setup(f.ca.c_str(), nullptr, nullptr);
  EXPECT_FALSE(try_server_cert(pki().short_rsa, c));
  c.allow_short_rsa_length = 1;
  EXPECT_TRUE(try_server_cert(pki().short_rsa, c));
}

TEST(TlsEnginePki, WeakDigestNeedsPermission) {
  Files f;
  SSL_CTX *probe = SSL_CTX_new(TLS_method());
  int level = SSL_CTX_get_security_level(probe);
  SSL_CTX_free(probe);
  if (level < 1) GTEST_SKIP() << "default security level " << level;
  coap_dtls_pki_t c = pki_setup(f.ca.c_str(), nullptr, nullptr);
  EXPECT_FALSE(try_server_cert(pki().sha1, c));
  c.allow_bad_md_hash = 1;
  EXPECT_TRUE(try_server_cert(pki().sha1, c));
}

struct SniKeys {
  std::vector<std::string> asked;
  std::string cert, key;
  coap_dtls_key_t alt = {};
  SniKeys() {
    cert = pem(pki().alt.cert);
    key = pem(pki().alt.key);
    alt.key_type = COAP_PKI_KEY_PEM_BUF;
    alt.key.pem_buf.public_cert = reinterpret_cast<const uint8_t *>(cert.data());
    alt.key.pem_buf.public_cert_len = cert.size();
    alt.key.pem_buf.private_key = reinterpret_cast<const uint8_t *>(key.data());
    alt.key.pem_buf.private_key_len = key.size();
  }
};

coap_dtls_key_t *key_for_sni(const char *sni, void *arg) {
  auto *keys = static_cast<SniKeys *>(arg);
  keys->asked.emplace_back(sni);
  return std::strcmp(sni, "alt.test") == 0 ? &keys->alt : nullptr;
}

TEST(TlsEnginePki, SniCallbackChoosesCertificate) {
  Files f;
  for (Kind kind : {Kind::kDtls, Kind::kTls}) {
    BackendPtr backend = new_backend();
    SniKeys keys;
    coap_dtls_pki_t s = pki_setup(f.ca.c_str(), f.server.c_str(), f.server_key.c_str());
    s.verify_peer_cert = 0;
    s.validate_sni_call_back = key_for_sni;
    s.sni_call_back_arg = &keys;
    ASSERT_TRUE(backend->set_server_pki(&s));
    char alt[] = "alt.test", unknown[] = "nope.test";
    for (char *name : {alt, alt, static_cast<char *>(nullptr), unknown}) {
      CnLog log;
      coap_dtls_pki_t c = pki_setup(f.ca.c_str(), nullptr, nullptr);
      c.client_sni = name;
      c.validate_cn_call_back = cn_callback;
      c.cn_call_back_arg = &log;
      Wire w;
      connect(w, backend.get(), kind, nullptr, &c);
      bool ok = w.handshake();
      if (name == unknown) {
        EXPECT_FALSE(ok);
        continue;
      }
      ASSERT_TRUE(ok);
      ASSERT_FALSE(log.calls.empty());
      EXPECT_EQ(log.calls.back().cn, name ? "alt.test" : "server.test");
    }
    ASSERT_EQ(keys.asked.size(), 2u);
    EXPECT_EQ(keys.asked[0], "alt.test");
    EXPECT_EQ(keys.asked[1], "nope.test");
  }
}

struct SetupSeen {
  void *ssl = nullptr;
  int answer = 1;
};
SetupSeen g_setup_seen;

int additional_setup(void *tls_session, coap_dtls_pki_t *setup) {
  (void)setup;
  g_setup_seen.ssl = tls_session;
  return g_setup_seen.answer;
}

TEST(TlsEnginePki, AdditionalSetupCallback) {
  Files f;
  BackendPtr backend = new_backend();
  coap_dtls_pki_t c = pki_setup(f.ca.c_str(), nullptr, nullptr);
  c.additional_tls_setup_call_back = additional_setup;
  g_setup_seen = SetupSeen();
  Engine *e = backend->new_client(Kind::kDtls, kClientSession, nullptr, &c);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(g_setup_seen.ssl, e->native());
  coap::destroy(e);
  g_setup_seen.answer = 0;
  EXPECT_EQ(backend->new_client(Kind::kTls, kClientSession, nullptr, &c), nullptr);
}

TEST(TlsEnginePki, UnsupportedFormsAndVersions) {
  BackendPtr backend = new_backend();
  coap_dtls_pki_t p = pki_setup(nullptr, nullptr, nullptr);
  p.pki_key.key_type = COAP_PKI_KEY_PKCS11;
  p.pki_key.key.pkcs11.public_cert = "pkcs11:object=cert";
  p.pki_key.key.pkcs11.private_key = "pkcs11:object=key";
  EXPECT_FALSE(backend->set_server_pki(&p));
  EXPECT_EQ(backend->new_client(Kind::kDtls, nullptr, nullptr, &p), nullptr);

  p = pki_setup(nullptr, nullptr, nullptr);
  p.is_rpk_not_cert = 1;
  EXPECT_FALSE(backend->set_server_pki(&p));

  p = pki_setup(nullptr, nullptr, nullptr);
  p.pki_key.key_type = COAP_PKI_KEY_DEFINE;
  p.pki_key.key.define.private_key.s_byte = "engine-key-id";
  p.pki_key.key.define.private_key_def = COAP_PKI_KEY_DEF_ENGINE;
  EXPECT_FALSE(backend->set_server_pki(&p));
  p.pki_key.key.define.private_key_def = COAP_PKI_KEY_DEF_RPK_BUF;
  p.pki_key.key.define.private_key_len = 5;
  EXPECT_FALSE(backend->set_server_pki(&p));

  p = pki_setup(nullptr, nullptr, nullptr);
  const int bogus_type = 77;  // as C code may store it
  std::memcpy(&p.pki_key.key_type, &bogus_type, sizeof(bogus_type));
  EXPECT_FALSE(backend->set_server_pki(&p));

  p = pki_setup(nullptr, nullptr, nullptr);
  p.version = 2;
  EXPECT_FALSE(backend->set_server_pki(&p));
  EXPECT_FALSE(backend->has_server_credentials());

  // Unreadable files are found when the first server connection is made.
  p = pki_setup("/nonexistent/ca.pem", "/nonexistent/c.pem", "/nonexistent/k.pem");
  EXPECT_TRUE(backend->set_server_pki(&p));
  EXPECT_EQ(backend->new_server(Kind::kDtls, nullptr, kPeerA, sizeof(kPeerA)), nullptr);
  EXPECT_EQ(backend->new_client(Kind::kTls, nullptr, nullptr, &p), nullptr);

  // Garbage in memory is refused, never crashes.
  const uint8_t junk[] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  p = pki_setup(nullptr, nullptr, nullptr);
  p.pki_key.key_type = COAP_PKI_KEY_ASN1;
  p.pki_key.key.asn1.public_cert = junk;
  p.pki_key.key.asn1.public_cert_len = sizeof(junk);
  p.pki_key.key.asn1.private_key = junk;
  p.pki_key.key.asn1.private_key_len = sizeof(junk);
  EXPECT_EQ(backend->new_client(Kind::kDtls, nullptr, nullptr, &p), nullptr);
  p.pki_key.key_type = COAP_PKI_KEY_PEM_BUF;
  p.pki_key.key.pem_buf.public_cert = junk;
  p.pki_key.key.pem_buf.public_cert_len = sizeof(junk);
  p.pki_key.key.pem_buf.private_key = junk;
  p.pki_key.key.pem_buf.private_key_len = sizeof(junk);
  EXPECT_EQ(backend->new_client(Kind::kDtls, nullptr, nullptr, &p), nullptr);
  // A certificate without its key.
  Files f;
  p = pki_setup(f.ca.c_str(), f.server.c_str(), nullptr);
  EXPECT_EQ(backend->new_client(Kind::kDtls, nullptr, nullptr, &p), nullptr);
  // A key that is not the certificate's.
  p = pki_setup(f.ca.c_str(), f.server.c_str(), f.client_key.c_str());
  EXPECT_EQ(backend->new_client(Kind::kDtls, nullptr, nullptr, &p), nullptr);
}

// Applications built against libcoap 4.3.1 pass a coap_dtls_pki_t whose
// key union has no `define` member (16 bytes shorter): nothing past it may
// be read.
TEST(TlsEnginePki, Libcoap431Layout) {
  const size_t union_431 = sizeof(coap_pki_key_asn1_t);
  const size_t size_431 =
      offsetof(coap_dtls_pki_t, pki_key) + offsetof(coap_dtls_key_t, key) + union_431;
  ASSERT_LT(size_431, sizeof(coap_dtls_pki_t));
  std::string cert = pem(pki().server.cert), key = pem(pki().server.key), ca = pem(pki().ca.cert);
  coap_dtls_pki_t full = pki_setup(nullptr, nullptr, nullptr);
  full.pki_key.key_type = COAP_PKI_KEY_PEM_BUF;
  full.pki_key.key.pem_buf = {reinterpret_cast<const uint8_t *>(ca.data()),
                              reinterpret_cast<const uint8_t *>(cert.data()),
                              reinterpret_cast<const uint8_t *>(key.data()),
                              ca.size(),
                              cert.size(),
                              key.size()};
  auto *old = static_cast<coap_dtls_pki_t *>(std::malloc(size_431));
  std::memcpy(old, &full, size_431);
  BackendPtr backend = new_backend();
  EXPECT_TRUE(backend->set_server_pki(old));
  Files f;
  coap_dtls_pki_t c = pki_setup(f.ca.c_str(), f.client.c_str(), f.client_key.c_str());
  Wire w;
  connect(w, backend.get(), Kind::kDtls, nullptr, &c);
  EXPECT_TRUE(w.handshake());
  Engine *e = backend->new_client(Kind::kTls, nullptr, nullptr, old);
  EXPECT_NE(e, nullptr);
  coap::destroy(e);
  std::free(old);
}

TEST(TlsEnginePki, RootCas) {
  Files f;
  BackendPtr backend = new_backend();
  EXPECT_FALSE(backend->set_root_cas(nullptr, nullptr));
  EXPECT_FALSE(backend->set_root_cas("/nonexistent/roots.pem", nullptr));
  EXPECT_TRUE(backend->set_root_cas(nullptr, "/nonexistent"));
  EXPECT_TRUE(backend->set_root_cas(f.ca.c_str(), nullptr));
  // The client trusts the root CA list (no CA of its own, check_common_ca
  // off); the server's certificate is signed by it.
  coap_dtls_pki_t s = pki_setup(nullptr, f.server.c_str(), f.server_key.c_str());
  s.verify_peer_cert = 0;
  ASSERT_TRUE(backend->set_server_pki(&s));
  coap_dtls_pki_t c = pki_setup(nullptr, nullptr, nullptr);
  c.check_common_ca = 0;
  Wire w;
  connect(w, backend.get(), Kind::kTls, nullptr, &c);
  EXPECT_TRUE(w.handshake());

  // The same through a hashed directory (as c_rehash lays it out); a
  // client of a backend with an unrelated root fails.
  std::string dir = pki().dir + "/roots";
  mkdir(dir.c_str(), 0700);
  char name[32];
  std::snprintf(name, sizeof(name), "/%08lx.0", X509_subject_name_hash(pki().ca.cert));
  write_file(dir + name, pem(pki().ca.cert));
  for (const char *roots : {dir.c_str(), static_cast<const char *>(nullptr)}) {
    BackendPtr client_side = new_backend();
    if (roots) {
      ASSERT_TRUE(client_side->set_root_cas(nullptr, roots));
    } else {
      ASSERT_TRUE(client_side->set_root_cas(f.other_ca.c_str(), nullptr));
    }
    Wire v;
    v.client.engine = client_side->new_client(Kind::kDtls, kClientSession, nullptr, &c);
    v.server.engine = backend->new_server(Kind::kDtls, kServerSession, kPeerA, sizeof(kPeerA));
    EXPECT_EQ(v.handshake(), roots != nullptr);
  }
}

TEST(TlsEnginePki, PskAndPkiOnOneServer) {
  Files f;
  BackendPtr backend = new_backend();
  coap_dtls_spsk_t s = server_psk("h", "shared");
  ASSERT_TRUE(backend->set_server_psk(&s));
  coap_dtls_pki_t sp = pki_setup(f.ca.c_str(), f.server.c_str(), f.server_key.c_str());
  ASSERT_TRUE(backend->set_server_pki(&sp));
  coap_dtls_cpsk_t cpsk = client_psk("psk-client", "shared");
  coap_dtls_pki_t cpki = pki_setup(f.ca.c_str(), f.client.c_str(), f.client_key.c_str());
  for (Kind kind : {Kind::kDtls, Kind::kTls}) {
    Wire a;
    connect(a, backend.get(), kind, &cpsk, nullptr);
    EXPECT_TRUE(a.handshake());
    EXPECT_EQ(str(a.server.engine->psk_identity()), "psk-client");
    Wire b;
    connect(b, backend.get(), kind, nullptr, &cpki);
    EXPECT_TRUE(b.handshake());
    EXPECT_EQ(b.server.engine->psk_identity(), nullptr);
  }
}

TEST(TlsEngine, AnonymousClientAcceptsAnyCertificate) {
  Files f;
  BackendPtr backend = new_backend();
  coap_dtls_pki_t s = pki_setup(nullptr, f.server.c_str(), f.server_key.c_str());
  s.verify_peer_cert = 0;
  ASSERT_TRUE(backend->set_server_pki(&s));
  Wire w;
  connect(w, backend.get(), Kind::kDtls, nullptr, nullptr);
  EXPECT_TRUE(w.handshake());
  EXPECT_TRUE(exchange_data(w));
}

// ---------------------------------------------------- DTLS specifics

BackendPtr psk_backend() {
  BackendPtr backend = new_backend();
  coap_dtls_spsk_t s = server_psk("hint", "key");
  backend->set_server_psk(&s);
  return backend;
}

TEST(TlsEngineDtls, RetransmitsLostFlightsOnTheFakeClock) {
  BackendPtr backend = psk_backend();
  coap_dtls_cpsk_t c = client_psk("id", "key");
  Wire w;
  connect(w, backend.get(), Kind::kDtls, &c, nullptr);
  w.now = 5000;
  ASSERT_EQ(w.client.engine->start(w.now), Status::kOk);
  std::vector<Bytes> first = take_all(w.client.engine);
  ASSERT_EQ(first.size(), 1u);  // ClientHello, lost
  EXPECT_EQ(w.client.engine->next_timeout(w.now), 6000u);
  EXPECT_EQ(w.client.engine->on_timer(5999), Status::kOk);
  EXPECT_TRUE(take_all(w.client.engine).empty());
  EXPECT_EQ(w.client.engine->on_timer(6000), Status::kOk);
  std::vector<Bytes> again = take_all(w.client.engine);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].size(), first[0].size());
  EXPECT_NE(again[0], first[0]);                               // new record number
  EXPECT_EQ(w.client.engine->next_timeout(6000), 8000u);       // backed off
  EXPECT_EQ(w.server.engine->next_timeout(6000), UINT64_MAX);  // stateless so far

  // Deliver it, then lose the server's first real flight once.
  w.now = 6000;
  ASSERT_EQ(w.server.engine->feed(again[0].data(), again[0].size(), &w.server.sink, w.now),
            Status::kOk);  // HelloVerifyRequest
  int server_flights_lost = 0;
  w.drop = [&](bool from_client, const Bytes &d) {
    // Lose every datagram of the server's flight after the cookie exchange
    // (handshake type 2 = ServerHello starts it), once.
    if (!from_client && server_flights_lost == 0 && d.size() > 25 && d[13] == 2) {
      server_flights_lost = 1;
    }
    return !from_client && server_flights_lost == 1 && d[0] == 22 && d[13] != 3;
  };
  w.pump();
  EXPECT_EQ(server_flights_lost, 1);
  uint64_t server_deadline = w.server.engine->next_timeout(w.now);
  EXPECT_EQ(server_deadline, w.now + 1000);
  server_flights_lost = 2;  // let retransmissions through
  EXPECT_TRUE(w.handshake());
  EXPECT_EQ(w.client.engine->next_timeout(w.now), UINT64_MAX);
  EXPECT_EQ(w.server.engine->next_timeout(w.now), UINT64_MAX);
  EXPECT_TRUE(exchange_data(w));
}

TEST(TlsEngineDtls, GivesUpAfterTooManyRetransmissions) {
  BackendPtr backend = psk_backend();
  coap_dtls_cpsk_t c = client_psk("id", "key");
  Engine *e = backend->new_client(Kind::kDtls, nullptr, &c, nullptr);
  ASSERT_NE(e, nullptr);
  uint64_t now = 0;
  e->start(now);
  Status last = Status::kOk;
  int fired = 0;
  while (last != Status::kFailed && fired < 50) {
    take_all(e);
    uint64_t next = e->next_timeout(now);
    ASSERT_NE(next, UINT64_MAX);
    ASSERT_GT(next, now);
    ASSERT_LE(next - now, 60000u);
    now = next;
    last = e->on_timer(now);
    ++fired;
  }
  EXPECT_EQ(last, Status::kFailed);
  EXPECT_GT(fired, 5);
  EXPECT_EQ(e->feed(reinterpret_cast<const uint8_t *>("x"), 1, nullptr, now), Status::kFailed);
  coap::destroy(e);
}

TEST(TlsEngineDtls, StatelessCookieExchange) {
  BackendPtr backend = psk_backend();
  coap_dtls_cpsk_t c = client_psk("id", "key");
  Wire w;
  w.client.engine = backend->new_client(Kind::kDtls, kClientSession, &c, nullptr);
  ASSERT_EQ(w.client.engine->start(0), Status::kOk);
  std::vector<Bytes> hello = take_all(w.client.engine);
  ASSERT_EQ(hello.size(), 1u);

  const uint8_t *reply = nullptr;
  size_t reply_length = 0;
  EXPECT_EQ(backend->screen_hello(hello[0].data(), hello[0].size(), kPeerA, sizeof(kPeerA), &reply,
                                  &reply_length, 0),
            coap::tls::HelloVerdict::kSendReply);
  ASSERT_NE(reply, nullptr);
  ASSERT_GT(reply_length, 25u);
  EXPECT_EQ(reply[0], 22);  // handshake record
  EXPECT_EQ(reply[13], 3);  // HelloVerifyRequest
  Bytes hvr(reply, reply + reply_length);
  EXPECT_EQ(w.client.engine->feed(hvr.data(), hvr.size(), &w.client.sink, 10), Status::kOk);
  std::vector<Bytes> hello2 = take_all(w.client.engine);
  ASSERT_EQ(hello2.size(), 1u);
  const Bytes &ch = hello2[0];

  // The cookie is bound to the peer it was made for.
  EXPECT_EQ(backend->screen_hello(ch.data(), ch.size(), kPeerB, sizeof(kPeerB), &reply,
                                  &reply_length, 10),
            coap::tls::HelloVerdict::kSendReply);
  EXPECT_EQ(backend->screen_hello(ch.data(), ch.size(), kPeerA, sizeof(kPeerA), &reply,
                                  &reply_length, 10),
            coap::tls::HelloVerdict::kAccept);
  EXPECT_EQ(reply, nullptr);
  // One secret rotation later it is still good, two later it is not.
  EXPECT_EQ(backend->screen_hello(ch.data(), ch.size(), kPeerA, sizeof(kPeerA), &reply,
                                  &reply_length, 60000),
            coap::tls::HelloVerdict::kAccept);
  EXPECT_EQ(backend->screen_hello(ch.data(), ch.size(), kPeerA, sizeof(kPeerA), &reply,
                                  &reply_length, 120000),
            coap::tls::HelloVerdict::kSendReply);

  // Back at a time the cookie is valid (the secrets stay as rotated, so
  // make a fresh exchange): the accepted ClientHello starts the engine.
  BackendPtr fresh = psk_backend();
  EXPECT_EQ(fresh->screen_hello(hello[0].data(), hello[0].size(), kPeerA, sizeof(kPeerA), &reply,
                                &reply_length, 0),
            coap::tls::HelloVerdict::kSendReply);
  Bytes hvr2(reply, reply + reply_length);
  Wire w2;
  w2.client.engine = fresh->new_client(Kind::kDtls, kClientSession, &c, nullptr);
  w2.client.engine->start(0);
  std::vector<Bytes> h = take_all(w2.client.engine);
  ASSERT_EQ(fresh->screen_hello(h[0].data(), h[0].size(), kPeerA, sizeof(kPeerA), &reply,
                                &reply_length, 0),
            coap::tls::HelloVerdict::kSendReply);
  hvr2.assign(reply, reply + reply_length);
  w2.client.engine->feed(hvr2.data(), hvr2.size(), &w2.client.sink, 0);
  std::vector<Bytes> h2 = take_all(w2.client.engine);
  ASSERT_EQ(fresh->screen_hello(h2[0].data(), h2[0].size(), kPeerA, sizeof(kPeerA), &reply,
                                &reply_length, 0),
            coap::tls::HelloVerdict::kAccept);
  w2.server.engine = fresh->new_server(Kind::kDtls, kServerSession, kPeerA, sizeof(kPeerA));
  ASSERT_NE(w2.server.engine, nullptr);
  w2.server.note(w2.server.engine->feed(h2[0].data(), h2[0].size(), &w2.server.sink, 0));
  std::vector<Bytes> flight = take_all(w2.server.engine);
  ASSERT_FALSE(flight.empty());
  EXPECT_EQ(flight[0][13], 2);  // ServerHello, no second HelloVerifyRequest
  for (const Bytes &d : flight) {
    w2.client.note(w2.client.engine->feed(d.data(), d.size(), &w2.client.sink, 0));
  }
  w2.pump();
  EXPECT_TRUE(w2.client.connected);
  EXPECT_TRUE(w2.server.connected);
  EXPECT_TRUE(exchange_data(w2));
}

TEST(TlsEngineDtls, ScreenHelloDropsGarbage) {
  BackendPtr backend = psk_backend();
  const uint8_t *reply = nullptr;
  size_t reply_length = 0;
  std::vector<Bytes> junk = {
      {},
      {22},
      {0x17, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 1, 2},
      {22, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 1, 0, 2, 1, 2},  // epoch 1
      {22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xff, 1, 2},
      {22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
  };
  Bytes random(300);
  srand(7);
  for (uint8_t &b : random) b = static_cast<uint8_t>(rand());
  random[0] = 22;
  random[3] = random[4] = 0;
  junk.push_back(random);
  for (const Bytes &d : junk) {
    EXPECT_EQ(
        backend->screen_hello(d.data(), d.size(), kPeerA, sizeof(kPeerA), &reply, &reply_length, 0),
        coap::tls::HelloVerdict::kDrop);
    EXPECT_EQ(reply, nullptr);
    EXPECT_EQ(reply_length, 0u);
  }
  EXPECT_EQ(backend->screen_hello(nullptr, 20, nullptr, 0, &reply, &reply_length, 0),
            coap::tls::HelloVerdict::kDrop);
}

TEST(TlsEngineDtls, GarbageIsDroppedWithoutHarm) {
  BackendPtr backend = psk_backend();
  coap_dtls_cpsk_t c = client_psk("id", "key");
  Wire w;
  connect(w, backend.get(), Kind::kDtls, &c, nullptr);
  Bytes noise(200, 0x5a);
  // Before the cookie exchange, during the handshake and after it.
  EXPECT_EQ(w.server.engine->feed(noise.data(), noise.size(), &w.server.sink, 0), Status::kOk);
  EXPECT_TRUE(take_all(w.server.engine).empty());
  ASSERT_TRUE(w.handshake());
  Bytes record = {23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 9, 0, 20};
  record.resize(13 + 20, 0x42);
  for (const Bytes &d : {noise, record}) {
    EXPECT_EQ(w.server.engine->feed(d.data(), d.size(), &w.server.sink, 0), Status::kOk);
    EXPECT_EQ(w.client.engine->feed(d.data(), d.size(), &w.client.sink, 0), Status::kOk);
  }
  EXPECT_TRUE(w.server.sink.records.empty());
  EXPECT_TRUE(exchange_data(w));
  EXPECT_EQ(w.server.engine->feed(nullptr, 0, &w.server.sink, 0), Status::kOk);
}

TEST(TlsEngineDtls, MtuLimitsDatagramsAndMessages) {
  Files f;
  BackendPtr backend = new_backend();
  coap_dtls_pki_t s = pki_setup(f.ca.c_str(), f.leafchain.c_str(), f.leaf_key.c_str());
  ASSERT_TRUE(backend->set_server_pki(&s));
  coap_dtls_pki_t c = pki_setup(f.ca.c_str(), f.client.c_str(), f.client_key.c_str());
  Wire w;
  connect(w, backend.get(), Kind::kDtls, nullptr, &c);
  w.client.engine->set_mtu(300);
  w.server.engine->set_mtu(300);
  ASSERT_TRUE(w.handshake());
  for (size_t n : w.client.sent_sizes) EXPECT_LE(n, 300u);
  for (size_t n : w.server.sent_sizes) EXPECT_LE(n, 300u);
  size_t max = w.client.engine->max_plaintext();
  EXPECT_GT(max, 200u);
  EXPECT_LE(max + w.client.engine->overhead(), 300u + 16);
  Bytes big(max + 1, 'b');
  EXPECT_FALSE(w.client.engine->write(big.data(), big.size()));
  EXPECT_TRUE(w.client.engine->write(big.data(), max));
  std::vector<Bytes> out = take_all(w.client.engine);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_LE(out[0].size(), 300u);
}

// -------------------------------------------------------- closing, TLS

TEST(TlsEngine, CloseNotifyBothKinds) {
  for (Kind kind : {Kind::kDtls, Kind::kTls}) {
    BackendPtr backend = psk_backend();
    coap_dtls_cpsk_t c = client_psk("id", "key");
    Wire w;
    connect(w, backend.get(), kind, &c, nullptr);
    ASSERT_TRUE(w.handshake());
    w.client.engine->close();
    EXPECT_FALSE(w.client.engine->established());
    EXPECT_FALSE(w.client.engine->write(reinterpret_cast<const uint8_t *>("x"), 1));
    std::vector<Bytes> out = take_all(w.client.engine);
    ASSERT_FALSE(out.empty());
    Status last = Status::kOk;
    for (const Bytes &d : out) last = w.server.engine->feed(d.data(), d.size(), &w.server.sink, 0);
    EXPECT_EQ(last, Status::kClosed);
    EXPECT_FALSE(take_all(w.server.engine).empty());  // its own close_notify
    EXPECT_EQ(w.server.engine->feed(out[0].data(), out[0].size(), nullptr, 0), Status::kClosed);
  }
}

TEST(TlsEngine, TlsGarbageFailsTheConnection) {
  BackendPtr backend = psk_backend();
  Engine *server = backend->new_server(Kind::kTls, nullptr, nullptr, 0);
  ASSERT_NE(server, nullptr);
  // A handshake record holding a truncated ClientHello.
  const uint8_t junk[] = {22, 3, 1, 0, 6, 1, 0, 0, 2, 3, 3};
  EXPECT_EQ(server->feed(junk, sizeof(junk), nullptr, 0), Status::kFailed);
  // An alert is queued for the peer; later input changes nothing.
  EXPECT_FALSE(take_all(server).empty());
  EXPECT_EQ(server->feed(junk, 3, nullptr, 0), Status::kFailed);
  coap::destroy(server);
  // Not TLS at all: refused without an answer.
  server = backend->new_server(Kind::kTls, nullptr, nullptr, 0);
  const char http[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  EXPECT_EQ(server->feed(reinterpret_cast<const uint8_t *>(http), sizeof(http) - 1, nullptr, 0),
            Status::kFailed);
  coap::destroy(server);
}

TEST(TlsEngine, TlsStreamArrivesInPieces) {
  BackendPtr backend = psk_backend();
  coap_dtls_cpsk_t c = client_psk("id", "key");
  Wire w;
  connect(w, backend.get(), Kind::kTls, &c, nullptr);
  ASSERT_TRUE(w.handshake());
  std::string message(5000, 'm');
  ASSERT_TRUE(
      w.client.engine->write(reinterpret_cast<const uint8_t *>(message.data()), message.size()));
  Bytes stream;
  for (const Bytes &d : take_all(w.client.engine)) stream.insert(stream.end(), d.begin(), d.end());
  for (size_t i = 0; i < stream.size(); i += 7) {
    size_t n = std::min<size_t>(7, stream.size() - i);
    ASSERT_EQ(w.server.engine->feed(stream.data() + i, n, &w.server.sink, 0), Status::kOk);
  }
  EXPECT_EQ(w.server.sink.text(), message);
}

TEST(TlsEngine, NoServerCredentials) {
  BackendPtr backend = new_backend();
  EXPECT_EQ(backend->new_server(Kind::kDtls, nullptr, kPeerA, sizeof(kPeerA)), nullptr);
  EXPECT_EQ(backend->new_server(Kind::kTls, nullptr, nullptr, 0), nullptr);
  EXPECT_FALSE(backend->set_server_psk(nullptr));
  EXPECT_FALSE(backend->set_server_pki(nullptr));
}

TEST(TlsEngine, CApiAnswers) {
  // Sessions use the engine (core/secure.h): DTLS and TLS, PSK and PKI.
  EXPECT_EQ(coap_dtls_is_supported(), 1);
  EXPECT_EQ(coap_tls_is_supported(), 1);
  EXPECT_EQ(coap_dtls_psk_is_supported(), 1);
  EXPECT_EQ(coap_dtls_pki_is_supported(), 1);
  EXPECT_EQ(coap_dtls_pkcs11_is_supported(), 0);
  EXPECT_EQ(coap_dtls_rpk_is_supported(), 0);
  EXPECT_EQ(coap_dtls_cid_is_supported(), 0);
  EXPECT_EQ(coap_get_tls_library_version()->type, COAP_TLS_LIBRARY_OPENSSL);
  EXPECT_EQ(coap_tls_engine_configure(nullptr), 0);
  const char conf[] = "engine:pkcs11\nenable-methods:0xffff\npost-cmd:PIN:1234\n";
  coap_str_const_t text = {sizeof(conf) - 1, reinterpret_cast<const uint8_t *>(conf)};
  EXPECT_EQ(coap_tls_engine_configure(&text), 0);
  coap_str_const_t empty = {0, nullptr};
  EXPECT_EQ(coap_tls_engine_configure(&empty), 0);
  EXPECT_EQ(coap_tls_engine_remove(), 0);
}

}  // namespace
}  // namespace tlstest
