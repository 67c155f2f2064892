#include "agent/credentialkeyring.h"

#include "agent/agentstore.h"
#include "model/rpcstatus.h"

#include <openssl/crypto.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

namespace hostsec {

namespace {

std::string hexKeyId(std::uint32_t id)
{
    char buf[11];
    std::snprintf(buf, sizeof buf, "0x%08X", static_cast<unsigned>(id));
    return buf;
}

// Names a secret's owner for an error: the user, or the queued change and its user. Never
// the secret itself.
std::string ownerOf(const SealedSecret &s)
{
    if (s.where == SealedSecret::Where::User)
        return "the credential of " + s.account;
    return "the password of queued change " + s.changeId +
           (s.account.empty() ? std::string() : " (" + s.account + ")");
}

std::string bindingOf(const SealedSecret &s)
{
    return s.where == SealedSecret::Where::User ? CredentialKeyring::credentialBinding(s.account)
                                                : CredentialKeyring::outboxBinding(s.changeId);
}

Error crashed(const std::string &where)
{
    return Error{0, "key rotation stopped " + where + " (simulated crash)"};
}

} // namespace

std::string CredentialKeyring::credentialBinding(const std::string &domainAccount)
{
    return domainAccount;
}

std::string CredentialKeyring::outboxBinding(const std::string &changeId)
{
    return "outbox:" + changeId;
}

CredentialKeyring::CredentialKeyring(std::string path, std::vector<CredentialCipher> keys)
    : m_path(std::move(path))
    , m_keys(std::move(keys))
{}

const CredentialCipher *CredentialKeyring::keyWithId(std::uint32_t id) const
{
    for (const CredentialCipher &k : m_keys) {
        if (k.keyId() == id)
            return &k;
    }
    return nullptr;
}

Result<std::string> CredentialKeyring::encrypt(std::string_view plaintext,
                                               std::string_view associatedData) const
{
    return m_keys.back().encrypt(plaintext, associatedData);
}

Result<std::string> CredentialKeyring::decrypt(std::string_view blob,
                                               std::string_view associatedData) const
{
    auto id = CredentialCipher::blobKeyId(blob);
    if (!id)
        return id.error();
    // An unknown id falls through to the current key, whose error says which key is missing.
    const CredentialCipher *key = keyWithId(*id);
    return (key ? *key : m_keys.back()).decrypt(blob, associatedData);
}

Result<CredentialKeyring> CredentialKeyring::open(AgentStore &store, const std::string &keyFilePath)
{
    const std::string newPath = keyFilePath + ".new";
    std::error_code ec;
    if (!std::filesystem::exists(std::filesystem::symlink_status(newPath, ec))) {
        auto key = CredentialCipher::loadOrCreateKey(keyFilePath);
        if (!key)
            return key.error();
        std::vector<CredentialCipher> keys;
        keys.push_back(std::move(*key));
        return CredentialKeyring(keyFilePath, std::move(keys));
    }

    // A rotation was interrupted. cache.key is never removed by one, so it must load; the new
    // key may be damaged only if the crash came while it was written, before any use of it.
    auto oldKey = CredentialCipher::loadKey(keyFilePath);
    if (!oldKey)
        return Error{oldKey.error().code, oldKey.error().message +
                                              " (a key rotation was "
                                              "interrupted: " +
                                              newPath + " is there too)"};
    auto newKey = CredentialCipher::loadKey(newPath);
    std::vector<SealedSecret> secrets;
    try {
        secrets = store.sealedSecrets();
    } catch (const store::StoreError &e) {
        return e.toError();
    }
    std::int64_t underOld = 0;
    std::int64_t underNew = 0;
    for (const SealedSecret &s : secrets) {
        auto id = CredentialCipher::blobKeyId(s.blob);
        if (!id)
            return Error{id.error().code, ownerOf(s) + ": " + id.error().message};
        if (*id == oldKey->keyId()) {
            ++underOld;
        } else if (newKey && *id == newKey->keyId()) {
            ++underNew;
        } else {
            return Error{
                static_cast<int>(rpc::InvalidParameter),
                ownerOf(s) + " is encrypted under key " + hexKeyId(*id) + ", which neither " +
                    keyFilePath + " (" + hexKeyId(oldKey->keyId()) + ") nor " + newPath +
                    (newKey ? " (" + hexKeyId(newKey->keyId()) + ")" : " (unreadable)") +
                    " holds: restore the key file it was stored with; both key files are left as "
                    "they are"};
        }
    }

    std::vector<CredentialCipher> keys;
    keys.push_back(std::move(*oldKey));
    if (underNew == 0) {
        // The transaction never committed: the new key protects nothing, and goes.
        if (auto removed = CredentialCipher::removeKeyFile(newPath); !removed)
            return removed.error();
        return CredentialKeyring(keyFilePath, std::move(keys));
    }
    keys.push_back(std::move(*newKey));
    CredentialKeyring ring(keyFilePath, std::move(keys));
    if (underOld > 0) {
        // One transaction re-encrypts everything, so this cannot come from a rotation alone;
        // whatever made it, finishing the rotation keeps every secret readable.
        auto done = ring.reencryptAll(store, ring.m_keys.back(), CrashPoint::None);
        if (!done)
            return done.error();
    }
    if (auto renamed = CredentialCipher::replaceKeyFile(newPath, keyFilePath); !renamed)
        return renamed.error();
    return ring;
}

Result<std::int64_t> CredentialKeyring::reencryptAll(AgentStore &store,
                                                     const CredentialCipher &next,
                                                     CrashPoint crash) const
{
    std::int64_t count = 0;
    try {
        store::Transaction tx(store.db(), "re-encrypting the credentials under a new key");
        for (const SealedSecret &s : store.sealedSecrets()) {
            auto id = CredentialCipher::blobKeyId(s.blob);
            if (!id)
                return Error{id.error().code, ownerOf(s) + ": " + id.error().message};
            if (*id == next.keyId())
                continue;
            const CredentialCipher *key = keyWithId(*id);
            if (!key)
                return Error{static_cast<int>(rpc::InvalidParameter),
                             ownerOf(s) + " is encrypted under key " + hexKeyId(*id) +
                                 ", which this agent does not hold: resync the user"};
            const std::string binding = bindingOf(s);
            auto plain = key->decrypt(s.blob, binding);
            if (!plain)
                return Error{plain.error().code, ownerOf(s) + ": " + plain.error().message};
            auto blob = next.encrypt(*plain, binding);
            OPENSSL_cleanse(plain->data(), plain->size());
            if (!blob)
                return Error{blob.error().code, ownerOf(s) + ": " + blob.error().message};
            store.reseal(s, *blob);
            ++count;
        }
        if (crash == CrashPoint::BeforeCommit)
            return crashed("before the commit");
        tx.commit();
    } catch (const store::StoreError &e) {
        return e.toError();
    }
    return count;
}

Result<CredentialKeyring::Rotation> CredentialKeyring::rotate(AgentStore &store, CrashPoint crash)
{
    Rotation rotation;
    rotation.oldKeyId = keyId();
    auto next = CredentialCipher::generate();
    // Ids are 32 bits: a new key with the current key's id would make its blobs ambiguous.
    while (next && keyWithId(next->keyId()))
        next = CredentialCipher::generate();
    if (!next)
        return next.error();
    rotation.newKeyId = next->keyId();

    // 1. The new key is durable before anything is encrypted under it.
    const std::string newPath = newKeyFilePath();
    if (auto written = next->writeKeyFile(newPath); !written) {
        if (written.error().code == EEXIST)
            return Error{EEXIST, newPath + " already exists: an earlier rotation did not finish; "
                                           "restart the agent, which finishes or undoes it"};
        return written.error();
    }
    if (crash == CrashPoint::AfterNewKeyWritten)
        return crashed("after writing " + newPath);

    // 2. Every secret under the new key, in one transaction.
    auto count = reencryptAll(store, *next, crash);
    if (!count) {
        if (crash == CrashPoint::None)
            (void)CredentialCipher::removeKeyFile(newPath); // the start after a crash does it too
        return count.error();
    }
    rotation.reencrypted = *count;
    if (crash == CrashPoint::AfterCommit)
        return crashed("after the commit");

    // 3. The new key replaces the old on disk; from here the old key protects nothing stored.
    //    Until the rename succeeds the store needs the new key, so it is current in memory
    //    whatever the rename's outcome.
    auto renamed = CredentialCipher::replaceKeyFile(newPath, m_path);
    if (crash == CrashPoint::AfterRename)
        return crashed("after the rename");
    m_keys.push_back(std::move(*next));
    if (!renamed)
        return Error{renamed.error().code,
                     renamed.error().message +
                         "; the credentials are already under the new key, which the next start "
                         "moves into place"};
    return rotation;
}

} // namespace hostsec
