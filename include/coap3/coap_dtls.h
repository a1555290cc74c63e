/* coap_dtls.h: (D)TLS configuration types (PSK, PKI, RPK) and TLS library queries
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 */

/**
 * @file coap_dtls.h
 * @brief Types an application fills in to secure sessions with (D)TLS, plus
 *        calls that describe or configure the underlying TLS library.
 */

#ifndef COAP_DTLS_H_
#define COAP_DTLS_H_

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "libcoap.h"
#include "coap_forward_decls.h"
#include "coap_time.h"
#include "coap_str.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @ingroup application_api
 * @defgroup dtls DTLS Support
 * Types and calls for setting up (D)TLS security (PSK, PKI and RPK).
 * @{
 */

/** PKI / RPK setup parameters (the structure is defined further down). */
typedef struct coap_dtls_pki_t coap_dtls_pki_t;

#ifndef COAP_DTLS_HINT_LENGTH
/** Largest PSK identity hint handled, in bytes (may be overridden). */
#define COAP_DTLS_HINT_LENGTH 128
#endif
#ifndef COAP_DTLS_MAX_PSK_IDENTITY
/** Largest PSK identity handled, in bytes (may be overridden). */
#define COAP_DTLS_MAX_PSK_IDENTITY 64
#endif
#ifndef COAP_DTLS_MAX_PSK
/** Largest pre-shared key handled, in bytes (may be overridden). */
#define COAP_DTLS_MAX_PSK 64
#endif

/** Which side of the (D)TLS handshake we are on. */
typedef enum coap_dtls_role_t {
  COAP_DTLS_ROLE_CLIENT, /**< we initiate the handshake */
  COAP_DTLS_ROLE_SERVER  /**< we answer the handshake */
} coap_dtls_role_t;

/**
 * Text handed to the CN callback (as @c cn) when the peer presented a Raw
 * Public Key, which carries no Common Name.
 */
#define COAP_DTLS_RPK_CERT_CN "RPK"

/**
 * Sets up a TLS ENGINE from an in-memory configuration (OpenSSL builds only).
 *
 * @param conf_mem The ENGINE configuration text.
 * @return @c 1 on success, @c 0 on failure.
 */
int coap_tls_engine_configure(coap_str_const_t *conf_mem);

/**
 * Tears down an ENGINE set up by coap_tls_engine_configure() (OpenSSL
 * builds only). coap_free_context() also does this.
 *
 * @return @c 1 on success, @c 0 on failure.
 */
int coap_tls_engine_remove(void);

/** The TLS implementation the library was built with. */
typedef enum coap_tls_library_t {
  COAP_TLS_LIBRARY_NOTLS = 0, /**< built without (D)TLS */
  COAP_TLS_LIBRARY_TINYDTLS,  /**< TinyDTLS */
  COAP_TLS_LIBRARY_OPENSSL,   /**< OpenSSL */
  COAP_TLS_LIBRARY_GNUTLS,    /**< GnuTLS */
  COAP_TLS_LIBRARY_MBEDTLS,   /**< Mbed TLS */
  COAP_TLS_LIBRARY_WOLFSSL,   /**< wolfSSL */
} coap_tls_library_t;

/** Describes the (D)TLS library in use: its kind and its versions. */
typedef struct coap_tls_version_t {
  uint64_t version;        /**< version of the library loaded at run time */
  coap_tls_library_t type; /**< which library (COAP_TLS_LIBRARY_*) */
  uint64_t built_version;  /**< version of the library's headers at build time */
} coap_tls_version_t;

/**
 * Reports which (D)TLS library is in use and its versions.
 *
 * @return Pointer to a description owned by the library.
 */
coap_tls_version_t *coap_get_tls_library_version(void);

/**
 * Application hook, configured in coap_dtls_pki_t, that runs after the
 * library's own TLS-level checks so the application can add its own
 * checks or tweak the TLS session.
 *
 * @param tls_session The TLS library's own session object (for instance an
 *                    SSL * with OpenSSL); @c NULL when called for a server.
 *                    Use coap_get_tls_library_version() to know its type.
 * @param setup_data  The PKI setup given to coap_context_set_pki() or
 *                    coap_new_client_session_pki().
 * @return @c 1 to go on, @c 0 on failure.
 */
typedef int (*coap_dtls_security_setup_t)(void *tls_session,
                                          coap_dtls_pki_t *setup_data);

/**
 * Application hook, configured in coap_dtls_pki_t, that decides whether the
 * peer's certificate name is acceptable. It is called once per certificate
 * of the chain, after the TLS-level checks. The name is the SubjectAltName
 * or, failing that, the leftmost CN of the subject; for a Raw Public Key it
 * is COAP_DTLS_RPK_CERT_CN.
 *
 * @param cn               The name taken from the certificate.
 * @param asn1_public_cert The certificate, DER (ASN.1) encoded.
 * @param asn1_length      Size of @p asn1_public_cert in bytes.
 * @param coap_session     Session the certificate belongs to.
 * @param depth            Position in the chain: 0 for the peer's own
 *                         certificate, higher for CA certificates.
 * @param validated        @c 1 when the TLS library found nothing wrong.
 * @param arg              The @c cn_call_back_arg of the setup data.
 * @return @c 1 to accept, @c 0 to reject.
 */
typedef int (*coap_dtls_cn_callback_t)(const char *cn,
                                       const uint8_t *asn1_public_cert,
                                       size_t asn1_length,
                                       coap_session_t *coap_session,
                                       unsigned int depth,
                                       int validated,
                                       void *arg);

/** Algorithm of a private key supplied in DER (ASN.1) form. */
typedef enum coap_asn1_privatekey_type_t {
  COAP_ASN1_PKEY_NONE,     /**< not specified */
  COAP_ASN1_PKEY_RSA,      /**< RSA */
  COAP_ASN1_PKEY_RSA2,     /**< RSA2 */
  COAP_ASN1_PKEY_DSA,      /**< DSA */
  COAP_ASN1_PKEY_DSA1,     /**< DSA1 */
  COAP_ASN1_PKEY_DSA2,     /**< DSA2 */
  COAP_ASN1_PKEY_DSA3,     /**< DSA3 */
  COAP_ASN1_PKEY_DSA4,     /**< DSA4 */
  COAP_ASN1_PKEY_DH,       /**< Diffie-Hellman */
  COAP_ASN1_PKEY_DHX,      /**< X9.42 Diffie-Hellman */
  COAP_ASN1_PKEY_EC,       /**< elliptic curve */
  COAP_ASN1_PKEY_HMAC,     /**< HMAC */
  COAP_ASN1_PKEY_CMAC,     /**< CMAC */
  COAP_ASN1_PKEY_TLS1_PRF, /**< TLS1 PRF */
  COAP_ASN1_PKEY_HKDF      /**< HKDF */
} coap_asn1_privatekey_type_t;

/** Selects which member of coap_dtls_key_t::key is in use. */
typedef enum coap_pki_key_t {
  COAP_PKI_KEY_PEM = 0,  /**< key.pem: PEM files */
  COAP_PKI_KEY_ASN1,     /**< key.asn1: DER data in memory */
  COAP_PKI_KEY_PEM_BUF,  /**< key.pem_buf: PEM data in memory */
  COAP_PKI_KEY_PKCS11,   /**< key.pkcs11: PKCS#11 URIs */
  COAP_PKI_KEY_DEFINE,   /**< key.define: each item typed separately */
} coap_pki_key_t;

/** Credentials given as PEM file names. */
typedef struct coap_pki_key_pem_t {
  const char *ca_file;       /**< PEM file with the common CA (and any
                                  intermediate CAs) */
  const char *public_cert;   /**< PEM file with our certificate */
  const char *private_key;   /**< PEM file with our private key */
} coap_pki_key_pem_t;

/**
 * Credentials given as PEM text held in memory. Ideally each buffer ends
 * with a NUL that is counted in its length (this spares a copy), but a
 * buffer without one is accepted when its length is exact.
 */
typedef struct coap_pki_key_pem_buf_t {
  const uint8_t *ca_cert;     /**< common CA certificate */
  const uint8_t *public_cert; /**< our certificate, or public key for RPK */
  const uint8_t *private_key; /**< our private key; for RPK an
                                   "EC PRIVATE KEY" can serve as both the
                                   public and the private key */
  size_t ca_cert_len;         /**< bytes in ca_cert */
  size_t public_cert_len;     /**< bytes in public_cert */
  size_t private_key_len;     /**< bytes in private_key */
} coap_pki_key_pem_buf_t;

/** Credentials given as DER (ASN.1) data held in memory. */
typedef struct coap_pki_key_asn1_t {
  const uint8_t *ca_cert;     /**< common CA certificate */
  const uint8_t *public_cert; /**< our certificate, or public key for RPK */
  const uint8_t *private_key; /**< our private key */
  size_t ca_cert_len;         /**< bytes in ca_cert */
  size_t public_cert_len;     /**< bytes in public_cert */
  size_t private_key_len;     /**< bytes in private_key */
  coap_asn1_privatekey_type_t private_key_type; /**< algorithm of private_key */
} coap_pki_key_asn1_t;

/** Credentials held in a PKCS#11 token, given as pkcs11: URIs. */
typedef struct coap_pki_key_pkcs11_t {
  const char *ca;            /**< URI of the common CA certificate */
  const char *public_cert;   /**< URI of our certificate */
  const char *private_key;   /**< URI of our private key */
  const char *user_pin;      /**< token PIN; when NULL the URIs must carry a
                                  pin-value= query attribute */
} coap_pki_key_pkcs11_t;

/** How one item of a coap_pki_key_define_t is supplied. */
typedef enum {
  COAP_PKI_KEY_DEF_PEM = 0,    /**< PEM file name (NUL terminated, length
                                    not used) */
  COAP_PKI_KEY_DEF_PEM_BUF,    /**< PEM data in memory (length needed) */
  COAP_PKI_KEY_DEF_RPK_BUF,    /**< Raw Public Key data in memory (length
                                    needed) */
  COAP_PKI_KEY_DEF_DER,        /**< DER file name (NUL terminated, length
                                    not used) */
  COAP_PKI_KEY_DEF_DER_BUF,    /**< DER (ASN.1) data in memory (length and,
                                    for a private key, its type needed) */
  COAP_PKI_KEY_DEF_PKCS11,     /**< pkcs11: URI (NUL terminated, length not
                                    used, PIN optional) */
  COAP_PKI_KEY_DEF_PKCS11_RPK, /**< pkcs11: URI of a Raw Public Key (NUL
                                    terminated, length not used, PIN
                                    optional) */
  COAP_PKI_KEY_DEF_ENGINE,     /**< string handed to the TLS ENGINE (NUL
                                    terminated, length not used; OpenSSL
                                    only) */
} coap_pki_define_t;

/**
 * Credentials where the CA, certificate and private key may each come in a
 * different form (see coap_pki_define_t).
 */
typedef struct coap_pki_key_define_t {
  coap_const_char_ptr_t ca;          /**< common CA certificate */
  coap_const_char_ptr_t public_cert; /**< our certificate */
  coap_const_char_ptr_t private_key; /**< our private key */
  size_t ca_len;                     /**< bytes in ca, where the form needs it */
  size_t public_cert_len;            /**< bytes in public_cert, where needed */
  size_t private_key_len;            /**< bytes in private_key, where needed */
  coap_pki_define_t ca_def;          /**< form of ca */
  coap_pki_define_t public_cert_def; /**< form of public_cert */
  coap_pki_define_t private_key_def; /**< form of private_key */
  coap_asn1_privatekey_type_t private_key_type; /**< algorithm of a DER
                                                     private key, if needed */
  const char *user_pin;              /**< PKCS#11 PIN; when NULL a PKCS#11
                                          URI must carry pin-value= */
} coap_pki_key_define_t;

/** A set of PKI credentials in one of the supported forms. */
typedef struct coap_dtls_key_t {
  coap_pki_key_t key_type;           /**< selects the member of key in use */
  union {
    coap_pki_key_pem_t pem;          /**< COAP_PKI_KEY_PEM */
    coap_pki_key_pem_buf_t pem_buf;  /**< COAP_PKI_KEY_PEM_BUF */
    coap_pki_key_asn1_t asn1;        /**< COAP_PKI_KEY_ASN1 */
    coap_pki_key_pkcs11_t pkcs11;    /**< COAP_PKI_KEY_PKCS11 */
    coap_pki_key_define_t define;    /**< COAP_PKI_KEY_DEFINE */
  } key;
} coap_dtls_key_t;

/**
 * Server-side application hook, configured in coap_dtls_pki_t, called the
 * first time a given Server Name Indication is seen, before any certificate
 * is sent, so that credentials matching the requested name can be chosen.
 *
 * @param sni The server name the client asked for.
 * @param arg The @c sni_call_back_arg of the setup data.
 * @return Credentials to use for this name, or @c NULL to refuse it.
 */
typedef coap_dtls_key_t *(*coap_dtls_pki_sni_callback_t)(const char *sni,
                                                         void *arg);

/** Value to put in coap_dtls_pki_t::version for this layout. */
#define COAP_DTLS_PKI_SETUP_VERSION 1

/**
 * PKI / RPK settings, passed to coap_context_set_pki() (server) or
 * coap_new_client_session_pki() (client). Everything it points to must stay
 * valid for as long as sessions may be created from it.
 */
struct coap_dtls_pki_t {
  uint8_t version;                 /**< set to COAP_DTLS_PKI_SETUP_VERSION */

  /* Switches for the checks and features applied by the library. */
  uint8_t verify_peer_cert;        /**< 1: validate the peer's certificate;
                                        0 disables the checks below */
  uint8_t check_common_ca;         /**< 1: the peer's certificate must be
                                        signed by our own CA */
  uint8_t allow_self_signed;       /**< 1: accept self-signed certificates
                                        (not with check_common_ca) */
  uint8_t allow_expired_certs;     /**< 1: accept expired or not yet valid
                                        certificates */
  uint8_t cert_chain_validation;   /**< 1: check the chain up to
                                        cert_chain_verify_depth */
  uint8_t cert_chain_verify_depth; /**< how many intermediate CAs may be in
                                        the chain (3 is a sensible value) */
  uint8_t check_cert_revocation;   /**< 1: check the chain against CRLs */
  uint8_t allow_no_crl;            /**< 1: do not fail when a CRL is missing */
  uint8_t allow_expired_crl;       /**< 1: accept an expired CRL */
  uint8_t allow_bad_md_hash;       /**< 1: accept unsupported digest hashes */
  uint8_t allow_short_rsa_length;  /**< 1: accept short RSA keys */
  uint8_t is_rpk_not_cert;         /**< 1: pki_key holds a Raw Public Key
                                        rather than a certificate (the key
                                        cannot then be COAP_PKI_KEY_PEM) */
  uint8_t use_cid;                 /**< 1: ask for a DTLS Connection ID
                                        when supported (clients only;
                                        servers always allow it) */
  uint8_t reserved[2];             /**< for future options; must be zero */
  /* New options take a reserved byte, so the layout (and the version
   * number) need not change. */

  /** Name check hook, called once the TLS-level checks above have passed;
   * NULL for none. */
  coap_dtls_cn_callback_t validate_cn_call_back;
  void *cn_call_back_arg;          /**< arg for validate_cn_call_back */

  /** Server SNI hook, called for a name not seen before and ahead of
   * sending our certificate; NULL for none. */
  coap_dtls_pki_sni_callback_t validate_sni_call_back;
  void *sni_call_back_arg;         /**< arg for validate_sni_call_back */

  /** Extra TLS setup hook, run during the handshake after the library's
   * own checks; NULL for none. */
  coap_dtls_security_setup_t additional_tls_setup_call_back;

  char *client_sni;                /**< client only: server name to send
                                        as SNI (NULL for none; not sent for
                                        a literal IP address). Belongs to
                                        the application and must be valid
                                        during coap_new_client_session_pki() */

  coap_dtls_key_t pki_key;         /**< our own credentials */
};

/** A client's PSK credentials: identity and key. */
typedef struct coap_dtls_cpsk_info_t {
  coap_bin_const_t identity;       /**< the PSK identity */
  coap_bin_const_t key;            /**< the pre-shared key */
} coap_dtls_cpsk_info_t;

/**
 * Client-side application hook, configured in coap_dtls_cpsk_t, called
 * when the server sends an identity hint so that the identity and key
 * matching that hint can be returned. (Hints do not exist in (D)TLS 1.3.)
 *
 * @param hint         The hint the server sent.
 * @param coap_session Session being set up.
 * @param arg          The @c ih_call_back_arg of the setup data.
 * @return Credentials to use, or @c NULL to abort.
 */
typedef const coap_dtls_cpsk_info_t *(*coap_dtls_ih_callback_t)(
    coap_str_const_t *hint,
    coap_session_t *coap_session,
    void *arg);

/** Value to put in coap_dtls_cpsk_t::version for this layout. */
#define COAP_DTLS_CPSK_SETUP_VERSION 1

/**
 * Client PSK settings, passed to coap_new_client_session_psk2(). Everything
 * it points to must stay valid for as long as the session may use it.
 */
typedef struct coap_dtls_cpsk_t {
  uint8_t version;         /**< set to COAP_DTLS_CPSK_SETUP_VERSION */

  /* Switches for optional features. */
  uint8_t ec_jpake;        /**< 1: use EC-JPAKE (Mbed TLS only) */
  uint8_t use_cid;         /**< 1: ask for a DTLS Connection ID */
  uint8_t reserved[5];     /**< for future options; must be zero */
  /* New options take a reserved byte, so the layout (and the version
   * number) need not change. */

  /** Identity hint hook (TLS 1.2 and earlier); NULL for none. */
  coap_dtls_ih_callback_t validate_ih_call_back;
  void *ih_call_back_arg;  /**< arg for validate_ih_call_back */

  char *client_sni;        /**< server name to send as SNI (NULL for none;
                                not sent for a literal IP address; not
                                available with TinyDTLS). Belongs to the
                                application and must be valid during
                                coap_new_client_session_psk2() */

  coap_dtls_cpsk_info_t psk_info; /**< initial identity and key */
} coap_dtls_cpsk_t;

/** A server's PSK data: identity hint and key. */
typedef struct coap_dtls_spsk_info_t {
  coap_bin_const_t hint;   /**< identity hint offered to clients */
  coap_bin_const_t key;    /**< the pre-shared key */
} coap_dtls_spsk_info_t;

/**
 * Server-side application hook, configured in coap_dtls_spsk_t, called
 * with the identity a client presented so that the matching key can be
 * returned. The returned key is copied by the library.
 *
 * @param identity     The identity the client sent.
 * @param coap_session Session being set up.
 * @param arg          The @c id_call_back_arg of the setup data.
 * @return Key to use, or @c NULL to refuse the identity.
 */
typedef const coap_bin_const_t *(*coap_dtls_id_callback_t)(
    coap_bin_const_t *identity,
    coap_session_t *coap_session,
    void *arg);

/**
 * Server-side application hook, configured in coap_dtls_spsk_t, called for
 * a Server Name Indication not seen before, so that the hint and key for
 * that name can be returned.
 *
 * @param sni          The server name the client asked for.
 * @param coap_session Session being set up.
 * @param arg          The @c sni_call_back_arg of the setup data.
 * @return Hint and key to use, or @c NULL to refuse the name.
 */
typedef const coap_dtls_spsk_info_t *(*coap_dtls_psk_sni_callback_t)(
    const char *sni,
    coap_session_t *coap_session,
    void *arg);

/** Value to put in coap_dtls_spsk_t::version for this layout. */
#define COAP_DTLS_SPSK_SETUP_VERSION 1

/**
 * Server PSK settings, passed to coap_context_set_psk2(). Everything it
 * points to must stay valid for as long as sessions may be created from it.
 */
typedef struct coap_dtls_spsk_t {
  uint8_t version;         /**< set to COAP_DTLS_SPSK_SETUP_VERSION */

  /* Switches for optional features. */
  uint8_t ec_jpake;        /**< 1: allow EC-JPAKE (Mbed TLS only) */
  uint8_t reserved[6];     /**< for future options; must be zero */
  /* New options take a reserved byte, so the layout (and the version
   * number) need not change. */

  /** Client identity hook; NULL for none. */
  coap_dtls_id_callback_t validate_id_call_back;
  void *id_call_back_arg;  /**< arg for validate_id_call_back */

  /** SNI hook, called for a name not seen before; NULL for none. */
  coap_dtls_psk_sni_callback_t validate_sni_call_back;
  void *sni_call_back_arg; /**< arg for validate_sni_call_back */

  coap_dtls_spsk_info_t psk_info; /**< default hint and key */
} coap_dtls_spsk_t;

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* COAP_DTLS_H_ */
