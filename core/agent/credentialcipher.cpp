#include "agent/credentialcipher.h"

#include "model/rpcstatus.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hostsec {

namespace {

// The part of the header authenticated as associated data: version and key id. The nonce
// needs no such binding, GCM authenticates it by construction.
constexpr std::size_t AuthenticatedHeaderSize = 1 + CredentialCipher::KeyIdSize;
// EVP takes int lengths.
constexpr std::size_t MaxInputSize =
    static_cast<std::size_t>(std::numeric_limits<int>::max()) - CredentialCipher::Overhead;

const unsigned char *bytes(std::string_view s)
{
    return reinterpret_cast<const unsigned char *>(s.data());
}

std::string hexKeyId(std::uint32_t id)
{
    char buf[11];
    std::snprintf(buf, sizeof buf, "0x%08X", static_cast<unsigned>(id));
    return buf;
}

std::string opensslError()
{
    const unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (e == 0)
        return "unknown OpenSSL error";
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    return buf;
}

Error systemError(int err, const std::string &what)
{
    return Error{err, what + ": " + std::generic_category().message(err)};
}

Error invalid(std::string message)
{
    return Error{static_cast<int>(rpc::InvalidParameter), std::move(message)};
}

struct CipherCtxDeleter
{
    void operator()(EVP_CIPHER_CTX *ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

// AES-256-GCM, fetched from the default provider once. EVP_aes_256_gcm() makes OpenSSL 3 look
// the algorithm up again at every init: a tenth of an SSO look-up's time, measured.
const EVP_CIPHER *aes256Gcm()
{
    static EVP_CIPHER *const fetched = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    return fetched ? fetched : EVP_aes_256_gcm();
}

// Closes a file descriptor on every path that does not close it explicitly.
class FileDescriptor
{
public:
    explicit FileDescriptor(int fd)
        : m_fd(fd)
    {}
    ~FileDescriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    FileDescriptor(const FileDescriptor &) = delete;
    FileDescriptor &operator=(const FileDescriptor &) = delete;
    int get() const { return m_fd; }
    // Closes now and reports close()'s errno (0 on success): a failed close can mean lost data.
    int close()
    {
        if (m_fd < 0)
            return 0;
        const int rc = ::close(m_fd);
        m_fd = -1;
        return rc == 0 ? 0 : errno;
    }

private:
    int m_fd;
};

std::string keyFileAdvice()
{
    return "restore the agent's key file from backup; creating a new key would make every stored "
           "credential unreadable";
}

// Makes the new key file's directory entry durable, not only its contents.
Status syncParentDirectory(const std::string &path)
{
    std::filesystem::path dir = std::filesystem::path(path).parent_path();
    if (dir.empty())
        dir = ".";
    FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0)
        return systemError(errno,
                           "cannot open directory " + dir.string() + " to sync key file " + path);
    if (::fsync(fd.get()) != 0)
        return systemError(errno, "cannot sync directory " + dir.string() + " of key file " + path);
    return {};
}

} // namespace

CredentialCipher::~CredentialCipher()
{
    OPENSSL_cleanse(m_key.data(), m_key.size());
}

Result<CredentialCipher> CredentialCipher::fromBytes(const unsigned char *key)
{
    CredentialCipher cipher;
    std::memcpy(cipher.m_key.data(), key, KeySize);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestSize = 0;
    if (EVP_Digest(cipher.m_key.data(), cipher.m_key.size(), digest, &digestSize, EVP_sha256(),
                   nullptr) != 1 ||
        digestSize < KeyIdSize) {
        return Error{0, "cannot compute the key id (SHA-256): " + opensslError()};
    }
    cipher.m_keyId = (std::uint32_t{digest[0]} << 24) | (std::uint32_t{digest[1]} << 16) |
                     (std::uint32_t{digest[2]} << 8) | std::uint32_t{digest[3]};
    OPENSSL_cleanse(digest, sizeof digest);
    return cipher;
}

Result<CredentialCipher> CredentialCipher::fromKey(std::string key32)
{
    if (key32.size() != KeySize) {
        const std::size_t size = key32.size();
        OPENSSL_cleanse(key32.data(), key32.size());
        return invalid("credential key is " + std::to_string(size) + " bytes, expected " +
                       std::to_string(KeySize) + " (AES-256)");
    }
    auto cipher = fromBytes(bytes(key32));
    OPENSSL_cleanse(key32.data(), key32.size());
    return cipher;
}

namespace {

// Creates keyFilePath holding `key`: O_EXCL, so an existing file is never replaced; mode 0600
// from the first moment; file and directory fsynced. EEXIST comes back as Error{EEXIST}.
Status writeNewKeyFile(const std::string &path, const unsigned char *key)
{
    FileDescriptor fd(
        ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0)
        return systemError(errno, "cannot create key file " + path);
    auto fail = [&](Error error) {
        fd.close();
        ::unlink(path.c_str()); // a partial key file would be refused at every start
        return error;
    };
    std::size_t written = 0;
    while (written < CredentialCipher::KeySize) {
        const ssize_t n = ::write(fd.get(), key + written, CredentialCipher::KeySize - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return fail(systemError(n < 0 ? errno : EIO, "cannot write key file " + path));
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0)
        return fail(systemError(errno, "cannot sync key file " + path));
    if (const int err = fd.close(); err != 0)
        return fail(systemError(err, "cannot close key file " + path));
    // The file itself is complete: if only this fails, the next start loads it.
    return syncParentDirectory(path);
}

} // namespace

Result<CredentialCipher> CredentialCipher::generate()
{
    std::array<unsigned char, KeySize> key{};
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1)
        return Error{0, "cannot generate a credential key: " + opensslError()};
    auto cipher = fromBytes(key.data());
    OPENSSL_cleanse(key.data(), key.size());
    return cipher;
}

Status CredentialCipher::writeKeyFile(const std::string &keyFilePath) const
{
    return writeNewKeyFile(keyFilePath, m_key.data());
}

Status CredentialCipher::replaceKeyFile(const std::string &from, const std::string &to)
{
    if (::rename(from.c_str(), to.c_str()) != 0)
        return systemError(errno, "cannot rename key file " + from + " to " + to);
    return syncParentDirectory(to);
}

Status CredentialCipher::removeKeyFile(const std::string &path)
{
    if (::unlink(path.c_str()) != 0)
        return systemError(errno, "cannot remove key file " + path);
    return syncParentDirectory(path);
}

Result<CredentialCipher> CredentialCipher::loadOrCreateKey(const std::string &keyFilePath)
{
    // O_EXCL: exactly one start creates the key; any later one (or a racing one) loads it.
    auto made = generate();
    if (!made)
        return made.error();
    auto written = made->writeKeyFile(keyFilePath);
    if (written)
        return made;
    if (written.error().code != EEXIST)
        return written.error();
    return loadKey(keyFilePath);
}

Result<CredentialCipher> CredentialCipher::loadKey(const std::string &keyFilePath)
{
    const std::string &path = keyFilePath;
    // O_NONBLOCK so a FIFO put in the key's place cannot hang the start; O_NOFOLLOW so the
    // key is never read through a link someone else may control.
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    if (fd.get() < 0) {
        if (errno == ELOOP) {
            return invalid("key file " + path +
                           " is a symbolic link: refusing it; put the key file itself there");
        }
        return systemError(errno, "cannot open key file " + path);
    }
    // Checks on the open descriptor, so the file checked is the file read.
    struct stat st
    {};
    if (::fstat(fd.get(), &st) != 0)
        return systemError(errno, "cannot examine key file " + path);
    if (!S_ISREG(st.st_mode)) {
        const char *kind = S_ISDIR(st.st_mode) ? "a directory" : "not a regular file";
        return invalid("key file " + path + " is " + kind +
                       ": refusing it; remove it or point the agent at the key file");
    }
    if (st.st_uid != ::geteuid()) {
        return Error{static_cast<int>(rpc::AccessDenied),
                     "key file " + path + " is owned by uid " + std::to_string(st.st_uid) +
                         ", not by the agent's user (uid " + std::to_string(::geteuid()) +
                         "): refusing it; chown it to the agent's user"};
    }
    if ((st.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return Error{static_cast<int>(rpc::AccessDenied),
                     "key file " + path + " has mode " + mode +
                         ", so others may read it: refusing it; run chmod 600 " + path +
                         " and consider the key exposed"};
    }
    if (st.st_size != static_cast<off_t>(KeySize)) {
        return invalid("key file " + path + " is " + std::to_string(st.st_size) +
                       " bytes, expected exactly " + std::to_string(KeySize) +
                       ": it is damaged or not a key file; " + keyFileAdvice());
    }
    std::array<unsigned char, KeySize> key{};
    std::size_t got = 0;
    while (got < key.size()) {
        const ssize_t n = ::read(fd.get(), key.data() + got, key.size() - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            OPENSSL_cleanse(key.data(), key.size());
            return systemError(errno, "cannot read key file " + path);
        }
        if (n == 0) {
            OPENSSL_cleanse(key.data(), key.size());
            return invalid("key file " + path + " shrank while being read: " + keyFileAdvice());
        }
        got += static_cast<std::size_t>(n);
    }
    auto cipher = fromBytes(key.data());
    OPENSSL_cleanse(key.data(), key.size());
    return cipher;
}

Result<std::uint32_t> CredentialCipher::blobKeyId(std::string_view blob)
{
    if (blob.size() < Overhead) {
        return invalid("credential blob is " + std::to_string(blob.size()) +
                       " bytes, less than the " + std::to_string(Overhead) +
                       " every blob has: it is truncated or not a credential");
    }
    const unsigned char *b = bytes(blob);
    if (b[0] != BlobVersion) {
        return invalid("credential blob has format version " + std::to_string(b[0]) +
                       ", this agent reads version " + std::to_string(BlobVersion) +
                       ": it is damaged or from a newer agent");
    }
    return (std::uint32_t{b[1]} << 24) | (std::uint32_t{b[2]} << 16) | (std::uint32_t{b[3]} << 8) |
           std::uint32_t{b[4]};
}

Result<std::string> CredentialCipher::encrypt(std::string_view plaintext,
                                              std::string_view associatedData) const
{
    if (plaintext.size() > MaxInputSize || associatedData.size() > MaxInputSize)
        return invalid("credential or associated data too large to encrypt");

    std::string blob(Overhead + plaintext.size(), '\0');
    auto *out = reinterpret_cast<unsigned char *>(blob.data());
    out[0] = BlobVersion;
    out[1] = static_cast<unsigned char>(m_keyId >> 24);
    out[2] = static_cast<unsigned char>(m_keyId >> 16);
    out[3] = static_cast<unsigned char>(m_keyId >> 8);
    out[4] = static_cast<unsigned char>(m_keyId);
    unsigned char *nonce = out + AuthenticatedHeaderSize;
    unsigned char *ciphertext = out + HeaderSize;
    unsigned char *tag = ciphertext + plaintext.size();

    auto fail = [&](const char *step) {
        return Error{0,
                     std::string("cannot encrypt a credential (") + step + "): " + opensslError()};
    };
    // A random 96-bit nonce per blob: safe for far more encryptions than one key will see.
    if (RAND_bytes(nonce, static_cast<int>(NonceSize)) != 1)
        return fail("nonce");
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), aes256Gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(NonceSize),
                            nullptr) != 1 ||
        EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, m_key.data(), nonce) != 1) {
        return fail("init");
    }
    if (EVP_EncryptUpdate(ctx.get(), nullptr, &len, out,
                          static_cast<int>(AuthenticatedHeaderSize)) != 1 ||
        (!associatedData.empty() &&
         EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(associatedData),
                           static_cast<int>(associatedData.size())) != 1)) {
        return fail("associated data");
    }
    if (!plaintext.empty() && EVP_EncryptUpdate(ctx.get(), ciphertext, &len, bytes(plaintext),
                                                static_cast<int>(plaintext.size())) != 1) {
        return fail("data");
    }
    // GCM is a stream mode: Final writes nothing, it computes the tag.
    if (EVP_EncryptFinal_ex(ctx.get(), tag, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(TagSize), tag) !=
            1) {
        return fail("tag");
    }
    return blob;
}

Result<std::string> CredentialCipher::decrypt(std::string_view blob,
                                              std::string_view associatedData) const
{
    auto blobKey = blobKeyId(blob);
    if (!blobKey)
        return blobKey.error();
    if (*blobKey != m_keyId) {
        return invalid("credential blob was encrypted under key " + hexKeyId(*blobKey) +
                       ", but this agent's key is " + hexKeyId(m_keyId) +
                       ": restore the key file it was stored with, or resync the credential");
    }
    if (associatedData.size() > MaxInputSize)
        return invalid("associated data too large to decrypt with");

    const unsigned char *in = bytes(blob);
    const unsigned char *nonce = in + AuthenticatedHeaderSize;
    const unsigned char *ciphertext = in + HeaderSize;
    const std::size_t ciphertextSize = blob.size() - Overhead;
    std::array<unsigned char, TagSize> tag{};
    std::memcpy(tag.data(), ciphertext + ciphertextSize, TagSize);

    std::string plaintext(ciphertextSize, '\0');
    auto *out = reinterpret_cast<unsigned char *>(plaintext.data());
    // Output written before the tag is checked must not survive a failure.
    auto fail = [&](const char *step) {
        OPENSSL_cleanse(plaintext.data(), plaintext.size());
        return Error{0,
                     std::string("cannot decrypt a credential (") + step + "): " + opensslError()};
    };
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    if (!ctx || EVP_DecryptInit_ex(ctx.get(), aes256Gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(NonceSize),
                            nullptr) != 1 ||
        EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, m_key.data(), nonce) != 1) {
        return fail("init");
    }
    if (EVP_DecryptUpdate(ctx.get(), nullptr, &len, in,
                          static_cast<int>(AuthenticatedHeaderSize)) != 1 ||
        (!associatedData.empty() &&
         EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(associatedData),
                           static_cast<int>(associatedData.size())) != 1)) {
        return fail("associated data");
    }
    if (ciphertextSize > 0 && EVP_DecryptUpdate(ctx.get(), out, &len, ciphertext,
                                                static_cast<int>(ciphertextSize)) != 1) {
        return fail("data");
    }
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(TagSize),
                            tag.data()) != 1) {
        return fail("tag");
    }
    if (EVP_DecryptFinal_ex(ctx.get(), out + ciphertextSize, &len) != 1) {
        OPENSSL_cleanse(plaintext.data(), plaintext.size());
        ERR_clear_error();
        return invalid("credential blob does not authenticate under key " + hexKeyId(m_keyId) +
                       ": it was altered, or it belongs to another account (associated data "
                       "differ); resync the credential");
    }
    return plaintext;
}

} // namespace hostsec
