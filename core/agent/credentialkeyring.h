#pragma once

// The keys of an agent's encrypted secrets (cache.key) and their rotation. A rotation replaces
// the key so that a crash at any step leaves every stored secret decryptable by a key on disk:
// the new key is durable in cache.key.new before anything is encrypted under it, every secret is
// re-encrypted in one transaction, and only then does cache.key.new replace cache.key. open()
// finishes or undoes a rotation a crash interrupted, deciding by the key ids in the blobs.

#include "agent/credentialcipher.h"
#include "util/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hostsec {

class AgentStore;
struct SealedSecret;

/// The current credential key, and the keys it replaced while this agent ran: new secrets are
/// encrypted under the current one, a blob is decrypted by the key whose id it carries.
class CredentialKeyring
{
public:
    /// What one rotation did: how many secrets it re-encrypted, from which key id to which.
    struct Rotation
    {
        std::int64_t reencrypted = 0;
        std::uint32_t oldKeyId = 0;
        std::uint32_t newKeyId = 0;
    };

    /// Where a test stops a rotation as a crash there would: nothing after the point is done,
    /// in memory or on disk.
    enum class CrashPoint
    {
        None,
        AfterNewKeyWritten, // cache.key.new durable, no secret re-encrypted
        BeforeCommit,       // every secret re-encrypted, the transaction rolled back
        AfterCommit,        // committed under the new key, cache.key still the old one
        AfterRename         // cache.key is the new key, the agent still holds the old one
    };

    /// The associated data a user's credential is bound to: the domain account.
    static std::string credentialBinding(const std::string &domainAccount);
    /// The associated data a queued change's password is bound to: "outbox:" and its id.
    static std::string outboxBinding(const std::string &changeId);

    /// Loads keyFilePath (creating it at first start, see CredentialCipher::loadOrCreateKey).
    /// If keyFilePath + ".new" exists, a rotation was interrupted: when the store's blobs are
    /// all under the new key it is renamed over keyFilePath, when none is it is removed (and
    /// when some are, the rest are re-encrypted first). A blob under neither key is an Error
    /// naming its user (never the secret), and nothing is changed.
    static Result<CredentialKeyring> open(AgentStore &store, const std::string &keyFilePath);

    /// Replaces the key by a new random one and re-encrypts every secret of `store` under it,
    /// crash-safe (see the top of this file). Runs on the store's thread; afterwards the
    /// previous key stays in memory, so a blob read before the rotation (a delivery in flight)
    /// still decrypts. On an Error before the commit nothing changed; after the commit the new
    /// key is current in memory and the next start finishes the file rename.
    Result<Rotation> rotate(AgentStore &store, CrashPoint crash = CrashPoint::None);

    /// The current key's id.
    std::uint32_t keyId() const { return m_keys.back().keyId(); }
    /// The key file this keyring was opened from.
    const std::string &keyFilePath() const { return m_path; }
    /// The path rotate() writes the next key to before it replaces the key file.
    std::string newKeyFilePath() const { return m_path + ".new"; }

    /// Encrypts under the current key.
    Result<std::string> encrypt(std::string_view plaintext, std::string_view associatedData) const;
    /// Decrypts with the key the blob names, current or replaced while this agent ran.
    Result<std::string> decrypt(std::string_view blob, std::string_view associatedData) const;

private:
    CredentialKeyring(std::string path, std::vector<CredentialCipher> keys);

    /// The key with this id, or nullptr.
    const CredentialCipher *keyWithId(std::uint32_t id) const;
    /// Re-encrypts under `next` every secret not yet under it, in one transaction.
    Result<std::int64_t> reencryptAll(AgentStore &store, const CredentialCipher &next,
                                      CrashPoint crash) const;

    std::string m_path;
    std::vector<CredentialCipher> m_keys; // back(): current; never empty
};

} // namespace hostsec
