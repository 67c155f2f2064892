// Why: rotating the cache key rewrites every stored secret. A crash at any step of it must
// leave each one decryptable by a key on disk, and the next start must settle on the right key
// by itself: so each step is cut short here as a crash there would (CrashPoint), the keyring is
// opened again from the files, and every credential and queued password must read back
// unchanged under the one cache.key left. A blob read before a rotation (a delivery in flight)
// must still decrypt after it, and a blob under a key nobody has must name its user, never
// its secret.

#include "agent/agentstore.h"
#include "agent/credentialkeyring.h"
#include "model/rpcstatus.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <map>
#include <memory>
#include <string>

using namespace hostsec;

Q_DECLARE_METATYPE(hostsec::CredentialKeyring::CrashPoint)

namespace {

constexpr int kUsers = 25;

std::string account(int i)
{
    return "CONTOSO\\user" + std::to_string(1000 + i);
}

std::string password(int i)
{
    return "Rotate-" + std::to_string(i) + "-Pw1";
}

struct Fixture
{
    QTemporaryDir dir;
    std::string keyPath;
    std::unique_ptr<AgentStore> store;
    std::map<std::string, std::string> expected; // row ("user:" account or "outbox:" id) -> secret

    bool openStore()
    {
        store.reset();
        auto s = AgentStore::open(dir.filePath(QStringLiteral("agent.db")).toStdString());
        if (!s) {
            qWarning("%s", s.error().message.c_str());
            return false;
        }
        store = std::move(s).value();
        return true;
    }

    Result<CredentialKeyring> openKeys() { return CredentialKeyring::open(*store, keyPath); }

    // kUsers users and two queued changes, sealed under `keys`.
    void seed(const CredentialKeyring &keys)
    {
        for (int i = 0; i < kUsers; ++i) {
            UserRecord u;
            u.mapping = {account(i), "USER" + std::to_string(1000 + i),
                         "HOSTDOM",  SyncState::InSync,
                         0,          rpc::Success};
            u.credential =
                keys.encrypt(password(i), CredentialKeyring::credentialBinding(account(i))).value();
            store->putUser(u);
            expected["user:" + account(i)] = password(i);
        }
        for (int i = 0; i < 2; ++i) {
            OutboxEntry e;
            e.changeId = "DC1-" + std::to_string(i + 1);
            e.account = account(i);
            e.hostAccount = "USER" + std::to_string(1000 + i);
            e.target = "HOST1";
            e.origin = "DC1";
            e.secret = keys.encrypt("Queued-" + std::to_string(i),
                                    CredentialKeyring::outboxBinding(e.changeId))
                           .value();
            store->enqueue(e);
            expected["outbox:" + e.changeId] = "Queued-" + std::to_string(i);
        }
    }

    // Every secret decrypts to what was stored, and is under key `keyId`.
    bool allReadable(const CredentialKeyring &keys, std::uint32_t keyId)
    {
        int seen = 0;
        for (const SealedSecret &s : store->sealedSecrets()) {
            ++seen;
            const bool user = s.where == SealedSecret::Where::User;
            const std::string row = user ? "user:" + s.account : "outbox:" + s.changeId;
            const std::string binding = user ? CredentialKeyring::credentialBinding(s.account)
                                             : CredentialKeyring::outboxBinding(s.changeId);
            if (CredentialCipher::blobKeyId(s.blob).value() != keyId) {
                qWarning("%s is not under the expected key", row.c_str());
                return false;
            }
            auto plain = keys.decrypt(s.blob, binding);
            if (!plain || *plain != expected[row]) {
                qWarning("%s does not read back: %s", row.c_str(),
                         plain ? "other text" : plain.error().message.c_str());
                return false;
            }
        }
        return seen == static_cast<int>(expected.size());
    }
};

std::uint32_t keyIdOnDisk(const std::string &path)
{
    return CredentialCipher::loadKey(path).value().keyId();
}

} // namespace

class tst_CredentialKeyring : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rotationReencryptsEverySecret();
    void crashAtEveryStepLeavesEverySecretReadable_data();
    void crashAtEveryStepLeavesEverySecretReadable();
    void blobReadBeforeRotationStillDecrypts();
    void blobUnderUnknownKeyNamesTheUser();
    void damagedNewKeyIsDiscarded();
    void leftoverNewKeyStopsRotation();
};

void tst_CredentialKeyring::rotationReencryptsEverySecret()
{
    Fixture f;
    QVERIFY(f.dir.isValid());
    f.keyPath = f.dir.filePath(QStringLiteral("cache.key")).toStdString();
    QVERIFY(f.openStore());
    auto keys = f.openKeys();
    QVERIFY2(keys, keys ? "" : keys.error().message.c_str());
    f.seed(*keys);
    const std::uint32_t before = keys->keyId();

    for (int round = 0; round < 3; ++round) {
        const std::uint32_t old = keys->keyId();
        auto rotation = keys->rotate(*f.store);
        QVERIFY2(rotation, rotation ? "" : rotation.error().message.c_str());
        QCOMPARE(rotation->reencrypted, std::int64_t{kUsers + 2});
        QCOMPARE(rotation->oldKeyId, old);
        QCOMPARE(rotation->newKeyId, keys->keyId());
        QVERIFY(rotation->newKeyId != old);
        QCOMPARE(keyIdOnDisk(f.keyPath), keys->keyId());
        QVERIFY(!QFile::exists(QString::fromStdString(keys->newKeyFilePath())));
        QVERIFY(f.allReadable(*keys, keys->keyId()));
    }
    QVERIFY(keys->keyId() != before);
    struct stat st
    {};
    QCOMPARE(::stat(f.keyPath.c_str(), &st), 0);
    QCOMPARE(st.st_mode & 07777, mode_t(0600));

    // A restart reads everything with the key file alone.
    QVERIFY(f.openStore());
    auto reopened = f.openKeys();
    QVERIFY(reopened);
    QCOMPARE(reopened->keyId(), keys->keyId());
    QVERIFY(f.allReadable(*reopened, reopened->keyId()));
}

void tst_CredentialKeyring::crashAtEveryStepLeavesEverySecretReadable_data()
{
    QTest::addColumn<CredentialKeyring::CrashPoint>("crash");
    QTest::addColumn<bool>("newKeyWins");
    using C = CredentialKeyring::CrashPoint;
    QTest::newRow("cache.key.new written, nothing re-encrypted") << C::AfterNewKeyWritten << false;
    QTest::newRow("re-encrypted, not committed") << C::BeforeCommit << false;
    QTest::newRow("committed, rename not done") << C::AfterCommit << true;
    QTest::newRow("renamed, old key still in memory") << C::AfterRename << true;
}

void tst_CredentialKeyring::crashAtEveryStepLeavesEverySecretReadable()
{
    QFETCH(CredentialKeyring::CrashPoint, crash);
    QFETCH(bool, newKeyWins);
    Fixture f;
    QVERIFY(f.dir.isValid());
    f.keyPath = f.dir.filePath(QStringLiteral("cache.key")).toStdString();
    QVERIFY(f.openStore());
    std::uint32_t oldId = 0;
    std::uint32_t newId = 0;
    {
        auto keys = f.openKeys();
        QVERIFY(keys);
        f.seed(*keys);
        oldId = keys->keyId();
        const std::string newPath = keys->newKeyFilePath();
        auto rotation = keys->rotate(*f.store, crash);
        QVERIFY(!rotation);
        QVERIFY2(rotation.error().message.find("simulated crash") != std::string::npos,
                 rotation.error().message.c_str());
        // The new key is on disk wherever the crash came: as cache.key.new or as cache.key.
        newId = QFile::exists(QString::fromStdString(newPath)) ? keyIdOnDisk(newPath)
                                                               : keyIdOnDisk(f.keyPath);
        QVERIFY(newId != oldId);
    } // the process dies: keys and connection gone

    QVERIFY(f.openStore());
    auto keys = f.openKeys();
    QVERIFY2(keys, keys ? "" : keys.error().message.c_str());
    const std::uint32_t current = newKeyWins ? newId : oldId;
    QCOMPARE(keys->keyId(), current);
    QCOMPARE(keyIdOnDisk(f.keyPath), current);
    QVERIFY(!QFile::exists(QString::fromStdString(keys->newKeyFilePath())));
    QVERIFY(f.allReadable(*keys, current));

    // And the next rotation runs normally.
    auto again = keys->rotate(*f.store);
    QVERIFY2(again, again ? "" : again.error().message.c_str());
    QVERIFY(f.allReadable(*keys, keys->keyId()));
}

void tst_CredentialKeyring::blobReadBeforeRotationStillDecrypts()
{
    Fixture f;
    QVERIFY(f.dir.isValid());
    f.keyPath = f.dir.filePath(QStringLiteral("cache.key")).toStdString();
    QVERIFY(f.openStore());
    auto keys = f.openKeys();
    QVERIFY(keys);
    f.seed(*keys);
    // What a delivery in flight holds: the blob as it was read before the rotation.
    const std::string inFlight = f.store->pending().front().secret;
    const std::string changeId = f.store->pending().front().changeId;
    QVERIFY(keys->rotate(*f.store));
    QVERIFY(keys->rotate(*f.store));
    auto plain = keys->decrypt(inFlight, CredentialKeyring::outboxBinding(changeId));
    QVERIFY2(plain, plain ? "" : plain.error().message.c_str());
    QCOMPARE(*plain, f.expected["outbox:" + changeId]);
}

void tst_CredentialKeyring::blobUnderUnknownKeyNamesTheUser()
{
    Fixture f;
    QVERIFY(f.dir.isValid());
    f.keyPath = f.dir.filePath(QStringLiteral("cache.key")).toStdString();
    QVERIFY(f.openStore());
    {
        auto keys = f.openKeys();
        QVERIFY(keys);
        f.seed(*keys);
        QVERIFY(!keys->rotate(*f.store, CredentialKeyring::CrashPoint::AfterNewKeyWritten));
    }
    // One user's credential under a third key, which no file holds.
    auto stranger = CredentialCipher::fromKey(std::string(CredentialCipher::KeySize, 's'));
    QVERIFY(stranger);
    auto u = f.store->user(account(7));
    QVERIFY(u);
    u->credential = stranger->encrypt("Stranger-Secret-9", account(7)).value();
    f.store->putUser(*u);

    auto keys = f.openKeys();
    QVERIFY(!keys);
    const std::string &message = keys.error().message;
    QVERIFY2(message.find(account(7)) != std::string::npos, message.c_str());
    QVERIFY2(message.find("Stranger-Secret-9") == std::string::npos, message.c_str());
    QVERIFY2(message.find(password(7)) == std::string::npos, message.c_str());
    // Nothing was decided: both key files are still there for an administrator.
    QVERIFY(QFile::exists(QString::fromStdString(f.keyPath + ".new")));
    QVERIFY(QFile::exists(QString::fromStdString(f.keyPath)));
}

void tst_CredentialKeyring::damagedNewKeyIsDiscarded()
{
    // A crash while cache.key.new was written: it is short, and nothing was encrypted under it.
    Fixture f;
    QVERIFY(f.dir.isValid());
    f.keyPath = f.dir.filePath(QStringLiteral("cache.key")).toStdString();
    QVERIFY(f.openStore());
    std::uint32_t oldId = 0;
    {
        auto keys = f.openKeys();
        QVERIFY(keys);
        f.seed(*keys);
        oldId = keys->keyId();
    }
    QFile partial(QString::fromStdString(f.keyPath + ".new"));
    QVERIFY(partial.open(QIODevice::WriteOnly));
    partial.write("short");
    partial.close();
    QVERIFY(partial.setPermissions(QFile::ReadOwner | QFile::WriteOwner));

    auto keys = f.openKeys();
    QVERIFY2(keys, keys ? "" : keys.error().message.c_str());
    QCOMPARE(keys->keyId(), oldId);
    QVERIFY(!partial.exists());
    QVERIFY(f.allReadable(*keys, oldId));
}

void tst_CredentialKeyring::leftoverNewKeyStopsRotation()
{
    Fixture f;
    QVERIFY(f.dir.isValid());
    f.keyPath = f.dir.filePath(QStringLiteral("cache.key")).toStdString();
    QVERIFY(f.openStore());
    auto keys = f.openKeys();
    QVERIFY(keys);
    f.seed(*keys);
    const std::uint32_t id = keys->keyId();
    QFile leftover(QString::fromStdString(keys->newKeyFilePath()));
    QVERIFY(leftover.open(QIODevice::WriteOnly));
    leftover.close();

    auto rotation = keys->rotate(*f.store);
    QVERIFY(!rotation);
    QVERIFY2(rotation.error().message.find("restart the agent") != std::string::npos,
             rotation.error().message.c_str());
    QCOMPARE(keys->keyId(), id);
    QVERIFY(f.allReadable(*keys, id));
}

QTEST_APPLESS_MAIN(tst_CredentialKeyring)
#include "tst_credentialkeyring.moc"
