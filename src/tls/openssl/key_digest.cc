// Cache-key digest of the OpenSSL build: SHA-256 over all pieces, as
// libcoap computes it when it is linked with OpenSSL.
#include "core/key_digest.h"

#include <openssl/evp.h>

namespace coap {

KeyDigest::~KeyDigest() {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX *>(impl_));
}

bool KeyDigest::update(const uint8_t *data, size_t length) {
  if (failed_) return false;
  if (!impl_) {
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md || EVP_DigestInit_ex(md, EVP_sha256(), nullptr) != 1) {
      EVP_MD_CTX_free(md);
      failed_ = true;
      return false;
    }
    impl_ = md;
  }
  if (length && EVP_DigestUpdate(static_cast<EVP_MD_CTX *>(impl_), data, length) != 1) {
    failed_ = true;
  }
  return !failed_;
}

bool KeyDigest::finish(uint8_t out[kSize]) {
  if (failed_) return false;
  // Nothing fed: the digest of the empty input.
  if (!impl_ && !update(nullptr, 0)) return false;
  unsigned int n = 0;
  return EVP_DigestFinal_ex(static_cast<EVP_MD_CTX *>(impl_), out, &n) == 1 && n == kSize;
}

}  // namespace coap
