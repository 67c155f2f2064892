#include "openssl.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <climits>
#include <ctime>

namespace hostsec::pki::Internal {

namespace {

// A memory BIO reading `text`, or null when it is too large for OpenSSL's int length.
BioPtr readBio(std::string_view text)
{
    if (text.size() > INT_MAX)
        return nullptr;
    return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

Result<std::string> drain(BIO &bio, std::string_view what)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(&bio, &data);
    if (size < 0 || (size > 0 && !data))
        return sslError(what);
    return std::string(data, static_cast<std::size_t>(size));
}

std::string hex(const unsigned char *data, std::size_t size)
{
    static constexpr char Digits[] = "0123456789ABCDEF";
    std::string text;
    for (std::size_t i = 0; i < size; ++i) {
        if (i > 0)
            text += ':';
        text += Digits[data[i] >> 4];
        text += Digits[data[i] & 0xF];
    }
    return text;
}

// Refuses a passphrase: an encrypted key fails instead of OpenSSL prompting on the terminal.
int noPassphrase(char *, int, int, void *)
{
    return 0;
}

} // namespace

std::string takeReason()
{
    std::string reasons;
    while (const unsigned long code = ERR_get_error()) {
        char text[256];
        ERR_error_string_n(code, text, sizeof text);
        if (!reasons.empty())
            reasons += "; ";
        reasons += text;
    }
    return reasons.empty() ? std::string("no reason given") : reasons;
}

Error sslError(std::string_view what)
{
    return Error{0, std::string(what) + ": " + takeReason()};
}

Result<X509Ptr> parseCertificate(std::string_view pem, std::string_view what)
{
    ERR_clear_error();
    BioPtr bio = readBio(pem);
    if (!bio)
        return sslError(std::string(what) + ": cannot read");
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert)
        return sslError(std::string(what) + " is not a PEM certificate");
    return cert;
}

Result<PKeyPtr> parsePrivateKey(std::string_view pem, std::string_view what)
{
    ERR_clear_error();
    BioPtr bio = readBio(pem);
    if (!bio)
        return sslError(std::string(what) + ": cannot read");
    PKeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr));
    if (!key)
        return sslError(std::string(what) + " is not an unencrypted PEM private key");
    return key;
}

Result<std::string> certificatePem(X509 &cert)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), &cert) != 1)
        return sslError("cannot encode the certificate as PEM");
    return drain(*bio, "cannot encode the certificate as PEM");
}

Result<std::string> privateKeyPem(EVP_PKEY &key)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), &key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return sslError("cannot encode the private key as PEM");
    return drain(*bio, "cannot encode the private key as PEM");
}

std::string fingerprintOf(const X509 &cert)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (X509_digest(&cert, EVP_sha256(), digest, &size) != 1)
        return {};
    return hex(digest, size);
}

Millis toMillis(const ASN1_TIME *time)
{
    std::tm tm{};
    if (!time || ASN1_TIME_to_tm(time, &tm) != 1)
        return -1;
    return static_cast<Millis>(timegm(&tm)) * 1000;
}

std::string nameEntry(const X509_NAME *name, int nid, int *count)
{
    std::string first;
    int found = 0;
    for (int i = X509_NAME_get_index_by_NID(name, nid, -1); i >= 0;
         i = X509_NAME_get_index_by_NID(name, nid, i)) {
        if (found++ > 0)
            continue;
        unsigned char *utf8 = nullptr;
        const int size =
            ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
        if (size >= 0)
            first.assign(reinterpret_cast<const char *>(utf8), static_cast<std::size_t>(size));
        OPENSSL_free(utf8);
    }
    if (count)
        *count = found;
    return first;
}

} // namespace hostsec::pki::Internal
