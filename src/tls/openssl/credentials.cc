#include "tls/openssl/credentials.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <climits>
#include <cstring>

#include "runtime/log.h"
#include "tls/openssl/ossl_util.h"

namespace coap::tls::ossl {

void copy_key(const coap_dtls_key_t &src, coap_dtls_key_t *dst) {
  std::memset(dst, 0, sizeof(*dst));
  std::memcpy(&dst->key_type, &src.key_type, sizeof(dst->key_type));
  // Byte copies: the members hold application enums too (see enum_value).
  switch (enum_value(src.key_type)) {
    case COAP_PKI_KEY_PEM:
      std::memcpy(&dst->key.pem, &src.key.pem, sizeof(src.key.pem));
      break;
    case COAP_PKI_KEY_ASN1:
      std::memcpy(&dst->key.asn1, &src.key.asn1, sizeof(src.key.asn1));
      break;
    case COAP_PKI_KEY_PEM_BUF:
      std::memcpy(&dst->key.pem_buf, &src.key.pem_buf, sizeof(src.key.pem_buf));
      break;
    case COAP_PKI_KEY_PKCS11:
      std::memcpy(&dst->key.pkcs11, &src.key.pkcs11, sizeof(src.key.pkcs11));
      break;
    case COAP_PKI_KEY_DEFINE:
      std::memcpy(&dst->key.define, &src.key.define, sizeof(src.key.define));
      break;
    default:
      break;
  }
}

namespace {

// One of the three items (CA, certificate, private key) in a common shape.
struct Item {
  enum Form { kAbsent, kPemFile, kPemBuf, kDerFile, kDerBuf, kPkcs11, kRpk, kEngine, kUnknown };
  Form form = kAbsent;
  const uint8_t *data = nullptr;  // file name (NUL-terminated) or buffer
  size_t length = 0;              // buffers only
};

Item file_item(const char *name, Item::Form form) {
  Item item;
  if (name && *name) {
    item.form = form;
    item.data = reinterpret_cast<const uint8_t *>(name);
  }
  return item;
}

Item buffer_item(const uint8_t *data, size_t length, Item::Form form) {
  Item item;
  if (data && length) {
    item.form = form;
    item.data = data;
    item.length = length;
  }
  return item;
}

Item defined_item(coap_const_char_ptr_t ptr, size_t length, int def) {
  switch (def) {
    case COAP_PKI_KEY_DEF_PEM:
      return file_item(ptr.s_byte, Item::kPemFile);
    case COAP_PKI_KEY_DEF_PEM_BUF:
      return buffer_item(ptr.u_byte, length, Item::kPemBuf);
    case COAP_PKI_KEY_DEF_DER:
      return file_item(ptr.s_byte, Item::kDerFile);
    case COAP_PKI_KEY_DEF_DER_BUF:
      return buffer_item(ptr.u_byte, length, Item::kDerBuf);
    default:
      break;
  }
  Item item;
  if (!ptr.u_byte) return item;  // nothing given: not used
  switch (def) {
    case COAP_PKI_KEY_DEF_PKCS11:
      item.form = Item::kPkcs11;
      break;
    case COAP_PKI_KEY_DEF_RPK_BUF:
    case COAP_PKI_KEY_DEF_PKCS11_RPK:
      item.form = Item::kRpk;
      break;
    case COAP_PKI_KEY_DEF_ENGINE:
      item.form = Item::kEngine;
      break;
    default:
      item.form = Item::kUnknown;
      break;
  }
  return item;
}

bool usable(const Item &item, const char *what) {
  switch (item.form) {
    case Item::kPkcs11:
      LOGE("PKI: %s: PKCS11 keys are not supported by this library\n", what);
      return false;
    case Item::kRpk:
      LOGE("PKI: %s: Raw Public Keys are not supported by the OpenSSL backend\n", what);
      return false;
    case Item::kEngine:
      LOGE("PKI: %s: no OpenSSL ENGINE is configured, key not loaded\n", what);
      return false;
    case Item::kUnknown:
      LOGE("PKI: %s: unknown key definition type\n", what);
      return false;
    default:
      return true;
  }
}

// PEM text given with its terminating NUL counted is fine: drop the NUL.
size_t text_length(const uint8_t *data, size_t length) {
  while (length && data[length - 1] == 0) --length;
  return length;
}

// A read-only BIO over the item's bytes (file or memory).
BIO *open_item(const Item &item, const char *what) {
  BIO *bio = nullptr;
  if (item.form == Item::kPemFile || item.form == Item::kDerFile) {
    bio = BIO_new_file(reinterpret_cast<const char *>(item.data), "rb");
    if (!bio) {
      LOGW("PKI: %s: cannot read '%s'\n", what, reinterpret_cast<const char *>(item.data));
      drop_errors(what);
    }
    return bio;
  }
  size_t length = item.form == Item::kPemBuf ? text_length(item.data, item.length) : item.length;
  if (length > INT_MAX) {
    LOGW("PKI: %s: buffer too large\n", what);
    return nullptr;
  }
  bio = BIO_new_mem_buf(item.data, static_cast<int>(length));
  if (!bio) log_errors(COAP_LOG_WARN, what);
  return bio;
}

bool is_pem(const Item &item) {
  return item.form == Item::kPemFile || item.form == Item::kPemBuf;
}

// Reads every certificate: PEM may hold several, DER exactly one.
CertStack *read_certs(const Item &item, const char *what) {
  BIO *bio = open_item(item, what);
  if (!bio) return nullptr;
  CertStack *certs = sk_X509_new_null();
  if (certs) {
    if (is_pem(item)) {
      X509 *cert;
      while ((cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) != nullptr) {
        if (!sk_X509_push(certs, cert)) {
          X509_free(cert);
          break;
        }
      }
      // Running off the end of the text is how the loop ends.
      if (sk_X509_num(certs) > 0) ERR_clear_error();
    } else {
      X509 *cert = d2i_X509_bio(bio, nullptr);
      if (cert && !sk_X509_push(certs, cert)) X509_free(cert);
    }
  }
  BIO_free(bio);
  if (!certs || sk_X509_num(certs) == 0) {
    LOGW("PKI: %s: no certificate could be read\n", what);
    log_errors(COAP_LOG_WARN, what);
    sk_X509_pop_free(certs, X509_free);
    return nullptr;
  }
  return certs;
}

// The CA item: certificates, plus any CRLs a PEM text carries (used when
// check_cert_revocation is set).
bool read_ca(const Item &item, CertStack **certs, CrlStack **crls) {
  if (!is_pem(item)) return (*certs = read_certs(item, "CA")) != nullptr;
  BIO *bio = open_item(item, "CA");
  if (!bio) return false;
  STACK_OF(X509_INFO) *infos = PEM_X509_INFO_read_bio(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  *certs = sk_X509_new_null();
  *crls = sk_X509_CRL_new_null();
  for (int i = 0; infos && *certs && *crls && i < sk_X509_INFO_num(infos); ++i) {
    X509_INFO *info = sk_X509_INFO_value(infos, i);
    if (info->x509 && sk_X509_push(*certs, info->x509)) info->x509 = nullptr;
    if (info->crl && sk_X509_CRL_push(*crls, info->crl)) info->crl = nullptr;
  }
  sk_X509_INFO_pop_free(infos, X509_INFO_free);
  if (!*certs || sk_X509_num(*certs) == 0) {
    LOGW("PKI: CA: no certificate could be read\n");
    log_errors(COAP_LOG_WARN, "CA");
    return false;
  }
  ERR_clear_error();
  return true;
}

int evp_type(int type) {
  switch (type) {
    case COAP_ASN1_PKEY_RSA:
      return EVP_PKEY_RSA;
    case COAP_ASN1_PKEY_RSA2:
      return EVP_PKEY_RSA2;
    case COAP_ASN1_PKEY_DSA:
      return EVP_PKEY_DSA;
    case COAP_ASN1_PKEY_DSA1:
      return EVP_PKEY_DSA1;
    case COAP_ASN1_PKEY_DSA2:
      return EVP_PKEY_DSA2;
    case COAP_ASN1_PKEY_DSA3:
      return EVP_PKEY_DSA3;
    case COAP_ASN1_PKEY_DSA4:
      return EVP_PKEY_DSA4;
    case COAP_ASN1_PKEY_DH:
      return EVP_PKEY_DH;
    case COAP_ASN1_PKEY_DHX:
      return EVP_PKEY_DHX;
    case COAP_ASN1_PKEY_EC:
      return EVP_PKEY_EC;
    case COAP_ASN1_PKEY_HMAC:
      return EVP_PKEY_HMAC;
    case COAP_ASN1_PKEY_CMAC:
      return EVP_PKEY_CMAC;
    case COAP_ASN1_PKEY_TLS1_PRF:
      return EVP_PKEY_TLS1_PRF;
    case COAP_ASN1_PKEY_HKDF:
      return EVP_PKEY_HKDF;
    default:
      return EVP_PKEY_NONE;
  }
}

// DER keys come as the algorithm's own structure or as PKCS#8: try the
// declared algorithm first, then let OpenSSL recognise the encoding.
EVP_PKEY *decode_der_key(const uint8_t *data, size_t length, int type) {
  if (length > LONG_MAX) return nullptr;
  int evp = evp_type(type);
  if (evp != EVP_PKEY_NONE) {
    const unsigned char *p = data;
    EVP_PKEY *key = d2i_PrivateKey(evp, nullptr, &p, static_cast<long>(length));
    if (key) return key;
  }
  const unsigned char *p = data;
  EVP_PKEY *key = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(length));
  if (key) ERR_clear_error();
  return key;
}

EVP_PKEY *read_key(const Item &item, int type, const char *what) {
  EVP_PKEY *key = nullptr;
  if (item.form == Item::kDerBuf) {
    key = decode_der_key(item.data, item.length, type);
  } else {
    BIO *bio = open_item(item, what);
    if (!bio) return nullptr;
    if (is_pem(item)) {
      key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    } else {
      // A DER file: read it whole, then decode as a buffer.
      BIO *all = BIO_new(BIO_s_mem());
      char block[1024];
      int n;
      while (all && (n = BIO_read(bio, block, sizeof(block))) > 0) {
        if (BIO_write(all, block, n) != n) break;
      }
      char *bytes = nullptr;
      long size = all ? BIO_get_mem_data(all, &bytes) : 0;
      if (size > 0) {
        key = decode_der_key(reinterpret_cast<const uint8_t *>(bytes), static_cast<size_t>(size),
                             type);
      }
      BIO_free(all);
    }
    BIO_free(bio);
  }
  if (!key) {
    LOGW("PKI: %s: the private key could not be read\n", what);
    log_errors(COAP_LOG_WARN, what);
  }
  return key;
}

// Splits `key` into its three items; false (logged) for forms this
// backend cannot use at all.
bool split_key(const coap_dtls_key_t &key, bool is_rpk, Item *ca, Item *cert, Item *pkey,
               int *type) {
  if (is_rpk) {
    LOGE("PKI: Raw Public Keys (is_rpk_not_cert) are not supported by the OpenSSL backend\n");
    return false;
  }
  *type = COAP_ASN1_PKEY_NONE;
  switch (enum_value(key.key_type)) {
    case COAP_PKI_KEY_PEM:
      *ca = file_item(key.key.pem.ca_file, Item::kPemFile);
      *cert = file_item(key.key.pem.public_cert, Item::kPemFile);
      *pkey = file_item(key.key.pem.private_key, Item::kPemFile);
      break;
    case COAP_PKI_KEY_PEM_BUF:
      *ca = buffer_item(key.key.pem_buf.ca_cert, key.key.pem_buf.ca_cert_len, Item::kPemBuf);
      *cert =
          buffer_item(key.key.pem_buf.public_cert, key.key.pem_buf.public_cert_len, Item::kPemBuf);
      *pkey =
          buffer_item(key.key.pem_buf.private_key, key.key.pem_buf.private_key_len, Item::kPemBuf);
      break;
    case COAP_PKI_KEY_ASN1:
      *ca = buffer_item(key.key.asn1.ca_cert, key.key.asn1.ca_cert_len, Item::kDerBuf);
      *cert = buffer_item(key.key.asn1.public_cert, key.key.asn1.public_cert_len, Item::kDerBuf);
      *pkey = buffer_item(key.key.asn1.private_key, key.key.asn1.private_key_len, Item::kDerBuf);
      *type = enum_value(key.key.asn1.private_key_type);
      break;
    case COAP_PKI_KEY_PKCS11:
      LOGE("PKI: PKCS11 keys are not supported by this library\n");
      return false;
    case COAP_PKI_KEY_DEFINE: {
      const coap_pki_key_define_t &d = key.key.define;
      *ca = defined_item(d.ca, d.ca_len, enum_value(d.ca_def));
      *cert = defined_item(d.public_cert, d.public_cert_len, enum_value(d.public_cert_def));
      *pkey = defined_item(d.private_key, d.private_key_len, enum_value(d.private_key_def));
      *type = enum_value(d.private_key_type);
      break;
    }
    default:
      LOGE("PKI: unknown key type %d\n", enum_value(key.key_type));
      return false;
  }
  return usable(*ca, "CA") && usable(*cert, "certificate") && usable(*pkey, "private key");
}

}  // namespace

bool Credentials::supported(const coap_dtls_key_t &key, bool is_rpk) {
  Item ca, cert, pkey;
  int type;
  return split_key(key, is_rpk, &ca, &cert, &pkey, &type);
}

Credentials::~Credentials() {
  X509_free(cert_);
  EVP_PKEY_free(key_);
  sk_X509_pop_free(chain_, X509_free);
  sk_X509_pop_free(cas_, X509_free);
  sk_X509_CRL_pop_free(crls_, X509_CRL_free);
}

bool Credentials::load(const coap_dtls_key_t &key, bool is_rpk) {
  Item ca, cert, pkey;
  int type;
  if (!split_key(key, is_rpk, &ca, &cert, &pkey, &type)) return false;
  if ((cert.form == Item::kAbsent) != (pkey.form == Item::kAbsent)) {
    LOGE("PKI: a certificate needs its private key and the other way round\n");
    return false;
  }
  if (ca.form != Item::kAbsent && !read_ca(ca, &cas_, &crls_)) return false;
  if (cert.form != Item::kAbsent) {
    CertStack *certs = read_certs(cert, "certificate");
    if (!certs) return false;
    cert_ = sk_X509_shift(certs);
    chain_ = certs;  // whatever followed our certificate
    if (!(key_ = read_key(pkey, type, "private key"))) return false;
    if (X509_check_private_key(cert_, key_) != 1) {
      LOGE("PKI: the private key does not match the certificate\n");
      drop_errors("PKI");
      return false;
    }
  }
  return true;
}

bool Credentials::use_in(SSL_CTX *ctx) const {
  if (!cert_) return true;
  if (SSL_CTX_use_certificate(ctx, cert_) != 1 || SSL_CTX_use_PrivateKey(ctx, key_) != 1 ||
      (chain_ && sk_X509_num(chain_) > 0 && SSL_CTX_set1_chain(ctx, chain_) != 1)) {
    log_errors(COAP_LOG_ERR, "PKI: cannot use the certificate");
    return false;
  }
  return true;
}

bool Credentials::use_in(SSL *ssl) const {
  if (!cert_) return true;
  if (SSL_use_certificate(ssl, cert_) != 1 || SSL_use_PrivateKey(ssl, key_) != 1 ||
      (chain_ && sk_X509_num(chain_) > 0 && SSL_set1_chain(ssl, chain_) != 1)) {
    log_errors(COAP_LOG_ERR, "PKI: cannot use the certificate");
    return false;
  }
  return true;
}

}  // namespace coap::tls::ossl
