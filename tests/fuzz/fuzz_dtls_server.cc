// Fuzzes the DTLS server side of the OpenSSL engine: arbitrary datagrams go
// to the stateless ClientHello screening and to a server engine (PSK and
// certificate credentials, SNI callback), with timers fired in between.
//
// Input: a sequence of datagrams, each as [flags][length, 2 bytes][bytes].
// flags bit 0: screen the datagram first (as a session-less peer would be);
// bit 1: feed it to the engine even if screening did not accept it;
// bits 2-6: which of 32 peers sent it (the cookie is bound to the peer);
// bit 7: fire the engine's retransmission timer afterwards.
// A ClientHello carrying a 32-byte cookie gets the cookie last handed out
// patched in, so inputs can get past the cookie exchange (the secret is
// random per process).
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "core/tls_engine.h"
#include "runtime/log.h"
#include "util/memory.h"

namespace {

using coap::tls::Backend;
using coap::tls::Engine;
using coap::tls::HelloVerdict;
using coap::tls::Kind;

struct NullSink : coap::tls::PlaintextSink {
  void deliver(const uint8_t *data, size_t length) override {
    if (length) sum += data[0] + data[length - 1];
  }
  unsigned sum = 0;
};

coap_dtls_spsk_info_t g_sni_psk = {{4, reinterpret_cast<const uint8_t *>("snih")},
                                   {6, reinterpret_cast<const uint8_t *>("snikey")}};

const coap_dtls_spsk_info_t *psk_for_name(const char *sni, coap_session_t *, void *) {
  return sni[0] == 'a' ? &g_sni_psk : nullptr;
}

const coap_bin_const_t *key_for_identity(coap_bin_const_t *identity, coap_session_t *, void *) {
  static const coap_bin_const_t key = {6, reinterpret_cast<const uint8_t *>("secret")};
  return identity->length && identity->s[0] == 'C' ? &key : nullptr;
}

int accept_names(const char *, const uint8_t *, size_t, coap_session_t *, unsigned, int, void *) {
  return 1;
}

std::string g_cert, g_key;

Backend *make_backend() {
  coap_set_log_level(COAP_LOG_EMERG);
  Backend *backend = coap::tls::create_backend(nullptr);
  if (!backend) return nullptr;
  static coap_dtls_spsk_t psk = {};
  psk.version = COAP_DTLS_SPSK_SETUP_VERSION;
  psk.psk_info.hint = {8, reinterpret_cast<const uint8_t *>("CoAPHint")};
  psk.psk_info.key = {6, reinterpret_cast<const uint8_t *>("secret")};
  psk.validate_id_call_back = key_for_identity;
  psk.validate_sni_call_back = psk_for_name;
  backend->set_server_psk(&psk);

  // A self-signed EC certificate, made once.
  EVP_PKEY *key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  X509 *cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
  X509_set_pubkey(cert, key);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char *>("fuzz"), -1, -1, 0);
  X509_set_issuer_name(cert, X509_get_subject_name(cert));
  X509_sign(cert, key, EVP_sha256());
  BIO *bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char *data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  g_cert.assign(data, static_cast<size_t>(n));
  BIO_free(bio);
  bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  n = BIO_get_mem_data(bio, &data);
  g_key.assign(data, static_cast<size_t>(n));
  BIO_free(bio);
  X509_free(cert);
  EVP_PKEY_free(key);

  static coap_dtls_pki_t pki = {};
  pki.version = COAP_DTLS_PKI_SETUP_VERSION;
  pki.verify_peer_cert = 1;
  pki.allow_self_signed = 1;
  pki.validate_cn_call_back = accept_names;
  pki.pki_key.key_type = COAP_PKI_KEY_PEM_BUF;
  pki.pki_key.key.pem_buf.public_cert = reinterpret_cast<const uint8_t *>(g_cert.data());
  pki.pki_key.key.pem_buf.public_cert_len = g_cert.size();
  pki.pki_key.key.pem_buf.private_key = reinterpret_cast<const uint8_t *>(g_key.data());
  pki.pki_key.key.pem_buf.private_key_len = g_key.size();
  backend->set_server_pki(&pki);
  return backend;
}

uint8_t g_cookie[32];
bool g_have_cookie = false;

// Remembers the cookie of a HelloVerifyRequest.
void note_cookie(const uint8_t *d, size_t n) {
  if (n >= 13 + 12 + 3 + 32 && d[0] == 22 && d[13] == 3 && d[27] == 32) {
    std::memcpy(g_cookie, d + 28, 32);
    g_have_cookie = true;
  }
}

// Puts the remembered cookie into a ClientHello with a 32-byte cookie.
void patch_cookie(uint8_t *d, size_t n) {
  const size_t session_at = 13 + 12 + 2 + 32;
  if (!g_have_cookie || n < session_at + 1 || d[0] != 22 || d[13] != 1) return;
  size_t cookie_at = session_at + 1 + d[session_at];
  if (cookie_at + 1 + 32 <= n && d[cookie_at] == 32) std::memcpy(d + cookie_at + 1, g_cookie, 32);
}

void drain(Engine *engine) {
  const uint8_t *data;
  size_t length;
  while (engine->next_output(&data, &length)) note_cookie(data, length);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static Backend *backend = make_backend();
  if (!backend) return 0;
  Engine *engine = nullptr;
  uint8_t engine_peer = 0;
  NullSink sink;
  uint64_t now = 1000;
  size_t at = 0;
  while (at + 3 <= size) {
    uint8_t flags = data[at];
    size_t length = (static_cast<size_t>(data[at + 1]) << 8) | data[at + 2];
    at += 3;
    if (length > size - at) length = size - at;
    static uint8_t buffer[65536];
    std::memcpy(buffer, data + at, length);
    patch_cookie(buffer, length);
    const uint8_t *datagram = buffer;
    at += length;
    now += 100 + flags;
    uint8_t peer[2] = {static_cast<uint8_t>((flags >> 2) & 0x1f), 0x5c};

    bool accepted = false;
    if (flags & 1) {
      const uint8_t *reply = nullptr;
      size_t reply_length = 0;
      HelloVerdict verdict =
          backend->screen_hello(datagram, length, peer, sizeof(peer), &reply, &reply_length, now);
      if (verdict == HelloVerdict::kSendReply && (!reply || !reply_length)) __builtin_trap();
      if (verdict == HelloVerdict::kSendReply) note_cookie(reply, reply_length);
      accepted = verdict == HelloVerdict::kAccept;
    }
    if (!accepted && !(flags & 2)) continue;
    if (engine && engine_peer != peer[0]) {
      coap::destroy(engine);
      engine = nullptr;
    }
    if (!engine) {
      engine = backend->new_server(Kind::kDtls, nullptr, peer, sizeof(peer));
      if (!engine) return 0;
      engine->set_mtu(200 + flags * 4);
      engine_peer = peer[0];
    }
    engine->feed(datagram, length, &sink, now);
    drain(engine);
    if (engine->established()) {
      uint8_t reply[] = {0x60, 0x45, 0, 1};
      engine->write(reply, sizeof(reply));
      (void)engine->max_plaintext();
      (void)engine->overhead();
      (void)engine->psk_identity();
    }
    uint64_t next = engine->next_timeout(now);
    if (next != UINT64_MAX && (flags & 0x80)) engine->on_timer(next);
    drain(engine);
  }
  if (engine && (size & 1)) engine->close();
  coap::destroy(engine);
  g_have_cookie = false;
  return 0;
}
