#include "test_pki.h"

#include <dirent.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>

namespace tlstest {

EVP_PKEY *make_key(const char *kind) {
  std::string k = kind;
  if (k == "rsa1024") return EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{1024});
  if (k == "rsa2048") return EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
  return EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
}

namespace {

void add_ext(X509 *cert, X509 *issuer, int nid, const char *value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext) {
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
}

}  // namespace

X509 *make_cert(const char *cn, EVP_PKEY *key, const KeyPair &issuer, bool is_ca, long serial,
                long from_s, long to_s, const char *dns, const EVP_MD *md) {
  X509 *cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert), from_s);
  X509_gmtime_adj(X509_getm_notAfter(cert), to_s);
  X509_set_pubkey(cert, key);
  X509_NAME *name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>(cn),
                             -1, -1, 0);
  X509 *signer = issuer.cert ? issuer.cert : cert;
  X509_set_issuer_name(cert, X509_get_subject_name(signer));
  add_ext(cert, signer, NID_basic_constraints, is_ca ? "critical,CA:TRUE" : "CA:FALSE");
  if (is_ca) add_ext(cert, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(cert, signer, NID_subject_key_identifier, "hash");
  if (issuer.cert) add_ext(cert, signer, NID_authority_key_identifier, "keyid");
  if (dns) {
    std::string san = std::string("DNS:") + dns;
    add_ext(cert, signer, NID_subject_alt_name, san.c_str());
  }
  X509_sign(cert, issuer.key ? issuer.key : key, md ? md : EVP_sha256());
  return cert;
}

X509_CRL *make_crl(const KeyPair &ca, const std::vector<long> &revoked, long next_update_s) {
  X509_CRL *crl = X509_CRL_new();
  X509_CRL_set_version(crl, 1);
  X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca.cert));
  ASN1_TIME *t = ASN1_TIME_new();
  X509_gmtime_adj(t, -3600);
  X509_CRL_set1_lastUpdate(crl, t);
  X509_gmtime_adj(t, next_update_s);
  X509_CRL_set1_nextUpdate(crl, t);
  for (long serial : revoked) {
    X509_REVOKED *entry = X509_REVOKED_new();
    ASN1_INTEGER *number = ASN1_INTEGER_new();
    ASN1_INTEGER_set(number, serial);
    X509_REVOKED_set_serialNumber(entry, number);
    X509_gmtime_adj(t, -1800);
    X509_REVOKED_set_revocationDate(entry, t);
    X509_CRL_add0_revoked(crl, entry);
    ASN1_INTEGER_free(number);
  }
  ASN1_TIME_free(t);
  X509_CRL_sort(crl);
  X509_CRL_sign(crl, ca.key, EVP_sha256());
  return crl;
}

namespace {

std::string bio_text(BIO *bio) {
  char *data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string text(data, static_cast<size_t>(n));
  BIO_free(bio);
  return text;
}

}  // namespace

std::string pem(X509 *cert) {
  BIO *bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  return bio_text(bio);
}

std::string pem(EVP_PKEY *key) {
  BIO *bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  return bio_text(bio);
}

std::string pem(X509_CRL *crl) {
  BIO *bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509_CRL(bio, crl);
  return bio_text(bio);
}

std::vector<uint8_t> der(X509 *cert) {
  unsigned char *out = nullptr;
  int n = i2d_X509(cert, &out);
  std::vector<uint8_t> bytes(out, out + (n > 0 ? n : 0));
  OPENSSL_free(out);
  return bytes;
}

std::vector<uint8_t> der(EVP_PKEY *key) {
  unsigned char *out = nullptr;
  int n = i2d_PrivateKey(key, &out);
  std::vector<uint8_t> bytes(out, out + (n > 0 ? n : 0));
  OPENSSL_free(out);
  return bytes;
}

void write_file(const std::string &path, const std::string &text) {
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f) return;
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
}

void write_file(const std::string &path, const std::vector<uint8_t> &bytes) {
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f) return;
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

namespace {

KeyPair issue(const char *cn, const KeyPair &issuer, bool is_ca, long serial, long from_s = -3600,
              long to_s = 86400, const char *dns = nullptr, const char *kind = "ec") {
  KeyPair pair;
  pair.key = make_key(kind);
  pair.cert = make_cert(cn, pair.key, issuer, is_ca, serial, from_s, to_s, dns);
  return pair;
}

TestPki *g_made = nullptr;

// The temporary directory holds only plain files and subdirectories of
// plain files: remove them all at exit.
void remove_tree(const std::string &dir) {
  if (DIR *d = opendir(dir.c_str())) {
    while (dirent *e = readdir(d)) {
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      std::string path = dir + "/" + name;
      if (unlink(path.c_str()) != 0) remove_tree(path);
    }
    closedir(d);
  }
  rmdir(dir.c_str());
}

void clean_up() {
  if (g_made && g_made->dir.rfind("/tmp/coap-tls-test-", 0) == 0) remove_tree(g_made->dir);
}

TestPki *build() {
  auto *p = new TestPki;
  g_made = p;
  KeyPair none;
  p->ca = issue("Test CA", none, true, 1);
  p->server = issue("server.test", p->ca, false, 2, -3600, 86400, "server.test");
  p->client = issue("client.test", p->ca, false, 3);
  p->other_ca = issue("Other CA", none, true, 4);
  p->other_server = issue("other.test", p->other_ca, false, 5);
  p->expired = issue("expired.test", p->ca, false, 6, -2 * 86400, -86400);
  p->self_signed = issue("self.test", none, false, 7);
  p->intermediate = issue("Intermediate", p->ca, true, 8);
  p->leaf = issue("leaf.test", p->intermediate, false, 9);
  p->alt = issue("alt.test", p->ca, false, 10, -3600, 86400, "alt.test");
  p->short_rsa = issue("short.test", p->ca, false, 11, -3600, 86400, nullptr, "rsa1024");
  p->sha1.key = make_key();
  p->sha1.cert =
      make_cert("sha1.test", p->sha1.key, p->ca, false, 12, -3600, 86400, nullptr, EVP_sha1());

  char templ[] = "/tmp/coap-tls-test-XXXXXX";
  const char *dir = mkdtemp(templ);
  p->dir = dir ? dir : "/tmp";
  if (dir) atexit(clean_up);
  write_file(p->dir + "/ca.pem", pem(p->ca.cert));
  write_file(p->dir + "/server.pem", pem(p->server.cert));
  write_file(p->dir + "/server.key", pem(p->server.key));
  write_file(p->dir + "/client.pem", pem(p->client.cert));
  write_file(p->dir + "/client.key", pem(p->client.key));
  write_file(p->dir + "/other_ca.pem", pem(p->other_ca.cert));
  write_file(p->dir + "/leafchain.pem", pem(p->leaf.cert) + pem(p->intermediate.cert));
  write_file(p->dir + "/leaf.key", pem(p->leaf.key));
  write_file(p->dir + "/server.der", der(p->server.cert));
  write_file(p->dir + "/server.key.der", der(p->server.key));
  return p;
}

}  // namespace

const TestPki &pki() {
  static const TestPki *made = build();
  return *made;
}

}  // namespace tlstest
