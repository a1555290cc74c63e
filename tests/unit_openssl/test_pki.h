// Certificates made at test time with OpenSSL's C API: a CA, certificates
// it signs (valid, expired, with intermediates), self-signed ones and CRLs,
// in PEM or DER form, in memory or written to a temporary directory.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string>
#include <vector>

namespace tlstest {

struct KeyPair {
  EVP_PKEY *key = nullptr;
  X509 *cert = nullptr;
};

// kind: "ec" (P-256) or "rsa1024" / "rsa2048".
EVP_PKEY *make_key(const char *kind = "ec");

// A certificate for `key`, signed by issuer (self-signed when issuer.cert
// is nullptr). Validity is [now + from_s, now + to_s].
X509 *make_cert(const char *cn, EVP_PKEY *key, const KeyPair &issuer, bool is_ca, long serial,
                long from_s = -3600, long to_s = 86400, const char *dns = nullptr,
                const EVP_MD *md = nullptr);

// A CRL from `ca` listing `revoked` serials, valid from now-1h until
// now+next_update_s.
X509_CRL *make_crl(const KeyPair &ca, const std::vector<long> &revoked, long next_update_s);

std::string pem(X509 *cert);
std::string pem(EVP_PKEY *key);
std::string pem(X509_CRL *crl);
std::vector<uint8_t> der(X509 *cert);
std::vector<uint8_t> der(EVP_PKEY *key);

// Everything the tests use, made once per process.
struct TestPki {
  KeyPair ca;            // "Test CA"
  KeyPair server;        // "server.test" (SAN DNS:server.test), by ca
  KeyPair client;        // "client.test", by ca
  KeyPair other_ca;      // an unrelated CA
  KeyPair other_server;  // "other.test" by other_ca
  KeyPair expired;       // "expired.test" by ca, expired yesterday
  KeyPair self_signed;   // "self.test", self-signed, not a CA
  KeyPair intermediate;  // "Intermediate" CA by ca
  KeyPair leaf;          // "leaf.test" by intermediate
  KeyPair alt;           // "alt.test" (SAN DNS:alt.test), by ca
  KeyPair short_rsa;     // "short.test", RSA-1024, by ca
  KeyPair sha1;          // "sha1.test", signed by ca with SHA-1
  std::string dir;       // temporary directory with PEM files (see below)
};

// Files in dir: ca.pem, server.pem, server.key, client.pem, client.key,
// other_ca.pem, leafchain.pem (leaf + intermediate), leaf.key,
// server.der, server.key.der.
const TestPki &pki();

void write_file(const std::string &path, const std::string &text);
void write_file(const std::string &path, const std::vector<uint8_t> &bytes);

}  // namespace tlstest
