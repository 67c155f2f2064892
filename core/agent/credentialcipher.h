#pragma once

#include "util/result.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hostsec {

/// Encrypts host credentials at rest with AES-256-GCM under a key file the agent alone reads.
///
/// A blob is: version (1 byte) | key id (4 bytes) | nonce (12 bytes) | ciphertext | tag
/// (16 bytes). The version and key id are authenticated together with the caller's associated
/// data, which binds a credential to its user (callers pass the domain account), so a blob
/// copied onto another user's row does not decrypt. The key id is the first 4 bytes of the
/// key's SHA-256, so a later key rotation can tell which key a blob needs.
///
/// Error codes: rpc::InvalidParameter for a blob that does not decrypt or a malformed key,
/// rpc::AccessDenied for a key file others could read or that belongs to another user, errno
/// for a failed system call, 0 for an OpenSSL failure. No message contains key material,
/// plaintext or associated data. Copies are independent; each wipes its key when destroyed.
class CredentialCipher
{
public:
    static constexpr std::size_t KeySize = 32;
    static constexpr std::size_t KeyIdSize = 4;
    static constexpr std::size_t NonceSize = 12;
    static constexpr std::size_t TagSize = 16;
    static constexpr std::uint8_t BlobVersion = 1;
    static constexpr std::size_t HeaderSize = 1 + KeyIdSize + NonceSize;
    /// Bytes a blob has beyond its plaintext.
    static constexpr std::size_t Overhead = HeaderSize + TagSize;

    /// Loads the key from keyFilePath, or at first start creates it there (random, mode 0600);
    /// refuses a file of the wrong size or type, readable by others, or owned by another user.
    static Result<CredentialCipher> loadOrCreateKey(const std::string &keyFilePath);

    /// Loads the key from an existing keyFilePath, with the same checks; never creates one.
    static Result<CredentialCipher> loadKey(const std::string &keyFilePath);

    /// A cipher over a new random key, held in memory only (key rotation writes it with
    /// writeKeyFile before anything is encrypted under it).
    static Result<CredentialCipher> generate();

    /// A cipher over a given 32-byte key (for tests and key rotation); wipes the argument.
    static Result<CredentialCipher> fromKey(std::string key32);

    /// The key id a blob was encrypted under, without decrypting it.
    static Result<std::uint32_t> blobKeyId(std::string_view blob);

    ~CredentialCipher();
    CredentialCipher(const CredentialCipher &) = default;
    CredentialCipher &operator=(const CredentialCipher &) = default;
    CredentialCipher(CredentialCipher &&) = default;
    CredentialCipher &operator=(CredentialCipher &&) = default;

    /// Writes this key to a new file keyFilePath as loadOrCreateKey creates one: O_EXCL (an
    /// existing file is refused, never replaced), mode 0600 from the start, fsync of the file
    /// and of its directory; a failure leaves no partial file.
    Status writeKeyFile(const std::string &keyFilePath) const;

    /// Renames key file `from` over `to` (atomic: `to` is the old key or the new one, never
    /// neither) and fsyncs the directory, so the rename survives a power cut.
    static Status replaceKeyFile(const std::string &from, const std::string &to);

    /// Removes a key file and fsyncs its directory.
    static Status removeKeyFile(const std::string &path);

    /// This key's id: the first 4 bytes of SHA-256(key), big-endian.
    std::uint32_t keyId() const { return m_keyId; }

    /// Encrypts plaintext bound to associatedData into a new blob with a fresh random nonce.
    Result<std::string> encrypt(std::string_view plaintext, std::string_view associatedData) const;

    /// Decrypts a blob made by encrypt with this key and the same associated data; fails if
    /// anything in it was changed.
    Result<std::string> decrypt(std::string_view blob, std::string_view associatedData) const;

private:
    CredentialCipher() = default;
    static Result<CredentialCipher> fromBytes(const unsigned char *key);

    std::array<unsigned char, KeySize> m_key{};
    std::uint32_t m_keyId = 0;
};

} // namespace hostsec
