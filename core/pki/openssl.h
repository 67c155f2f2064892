#pragma once

// Private to core/pki: owning pointers for the OpenSSL objects the room uses, and the one way
// an OpenSSL failure becomes an Error (what failed, on what, and OpenSSL's own reason).

#include "model/time.h"
#include "util/result.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <string_view>

namespace hostsec::pki::Internal {

template <class T, void (*Free)(T *)>
struct Deleter
{
    void operator()(T *p) const { Free(p); }
};

/// unique_ptr that frees with OpenSSL's own function.
template <class T, void (*Free)(T *)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;

using PKeyPtr = Owned<EVP_PKEY, EVP_PKEY_free>;
using PKeyCtxPtr = Owned<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using X509Ptr = Owned<X509, X509_free>;
using X509ExtensionPtr = Owned<X509_EXTENSION, X509_EXTENSION_free>;
using X509StorePtr = Owned<X509_STORE, X509_STORE_free>;
using X509StoreCtxPtr = Owned<X509_STORE_CTX, X509_STORE_CTX_free>;
using BioPtr = Owned<BIO, BIO_free_all>;
using BignumPtr = Owned<BIGNUM, BN_free>;
using Asn1IntegerPtr = Owned<ASN1_INTEGER, ASN1_INTEGER_free>;
using Asn1OctetStringPtr = Owned<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;
using GeneralNamePtr = Owned<GENERAL_NAME, GENERAL_NAME_free>;
using GeneralNamesPtr = Owned<GENERAL_NAMES, GENERAL_NAMES_free>;

/// OpenSSL's reasons for the last failure (ERR_error_string_n, oldest first, joined by "; "),
/// taken off the thread's error queue; "no reason given" when the queue is empty.
std::string takeReason();

/// Error{0, "<what>: <OpenSSL's reason>"}, emptying the error queue.
Error sslError(std::string_view what);

/// A certificate from PEM text; `what` names it in the error ("CA certificate /x/ca.crt").
Result<X509Ptr> parseCertificate(std::string_view pem, std::string_view what);

/// A private key from PEM text. An encrypted key is refused rather than prompting for a
/// passphrase on the terminal (OpenSSL's default).
Result<PKeyPtr> parsePrivateKey(std::string_view pem, std::string_view what);

/// PEM text of a certificate / of a private key (PKCS#8, unencrypted).
Result<std::string> certificatePem(X509 &cert);
Result<std::string> privateKeyPem(EVP_PKEY &key);

/// SHA-256 of the certificate's DER as "AB:CD:...", as `openssl x509 -fingerprint` prints it.
std::string fingerprintOf(const X509 &cert);

/// An ASN1_TIME as Millis since the epoch, -1 if it cannot be read.
Millis toMillis(const ASN1_TIME *time);

/// The first entry `nid` of a name as UTF-8 ("" when there is none) and how many it has.
std::string nameEntry(const X509_NAME *name, int nid, int *count = nullptr);

} // namespace hostsec::pki::Internal
