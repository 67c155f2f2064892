// Why this test exists: host credentials rest on disk encrypted under the agent's key file.
// If a changed blob, a blob moved to another user or read under another key decrypted anyway,
// or if the key file could be created or accepted readable by others, the at-rest encryption
// would be worth nothing while looking fine. Errors must never show the plaintext.

#include "agent/credentialcipher.h"
#include "model/rpcstatus.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

using namespace hostsec;

namespace {

int code(std::uint32_t status)
{
    return static_cast<int>(status);
}

std::string testKey(char first)
{
    std::string key(CredentialCipher::KeySize, '\0');
    for (std::size_t i = 0; i < key.size(); ++i)
        key[i] = static_cast<char>(first + static_cast<char>(i));
    return key;
}

CredentialCipher cipherFor(char first)
{
    auto cipher = CredentialCipher::fromKey(testKey(first));
    Q_ASSERT(cipher.ok());
    return std::move(cipher).value();
}

bool writeFile(const QString &path, const QByteArray &content, mode_t mode)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        return false;
    file.close();
    return ::chmod(QFile::encodeName(path).constData(), mode) == 0;
}

const std::string Plaintext = "Zq7-credential-hunter2";
const std::string Account = "CORP\\alice";

} // namespace

// Fails the test with the error's message unless the result is ok.
#define VERIFY_OK(expr)                                                                            \
    do {                                                                                           \
        const auto &result_ = (expr);                                                              \
        QVERIFY2(result_.ok(), result_.ok() ? "" : result_.error().message.c_str());               \
    } while (false)

class tst_CredentialCipher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void everyBlobHasAFreshNonce();
    void tamperedBlobIsRefused_data();
    void tamperedBlobIsRefused();
    void truncatedOrExtendedBlobIsRefused_data();
    void truncatedOrExtendedBlobIsRefused();
    void wrongAssociatedDataIsRefused_data();
    void wrongAssociatedDataIsRefused();
    void wrongKeyIsRefused();
    void keyIdIsSha256Prefix();
    void fromKeyRefusesWrongLength_data();
    void fromKeyRefusesWrongLength();
    void keyFileIsCreatedPrivate();
    void keyFileIsRefused_data();
    void keyFileIsRefused();
    void keyFileOfAnotherUserIsRefused();
    void keyFileInMissingDirectoryFails();
};

void tst_CredentialCipher::roundTrip_data()
{
    QTest::addColumn<QByteArray>("plaintext");
    QTest::addColumn<QByteArray>("associatedData");

    QTest::newRow("empty, no AD") << QByteArray() << QByteArray();
    QTest::newRow("short password") << QByteArray("SECRET1") << QByteArray("CORP\\alice");
    QTest::newRow("passphrase, no AD")
        << QByteArray("Correct horse battery staple") << QByteArray();
    QTest::newRow("binary with NUL") << QByteArray("a\0b\0\xFF", 5) << QByteArray("x\0y", 3);
    QTest::newRow("utf-8") << QByteArray("p\xC3\xA4ssw\xC3\xB6rd")
                           << QByteArray("CORP\\j\xC3\xBCrgen");
    QTest::newRow("4 KiB") << QByteArray(4096, 'k') << QByteArray(300, 'a');
}

void tst_CredentialCipher::roundTrip()
{
    QFETCH(QByteArray, plaintext);
    QFETCH(QByteArray, associatedData);
    const CredentialCipher cipher = cipherFor('A');

    const auto blob = cipher.encrypt(plaintext.toStdString(), associatedData.toStdString());
    VERIFY_OK(blob);
    QCOMPARE(blob->size(), CredentialCipher::Overhead + std::size_t(plaintext.size()));
    QCOMPARE(static_cast<unsigned char>((*blob)[0]), CredentialCipher::BlobVersion);
    const auto blobKey = CredentialCipher::blobKeyId(*blob);
    VERIFY_OK(blobKey);
    QCOMPARE(*blobKey, cipher.keyId());
    if (plaintext.size() >= 4)
        QVERIFY(blob->find(plaintext.toStdString()) == std::string::npos);

    const auto decrypted = cipher.decrypt(*blob, associatedData.toStdString());
    VERIFY_OK(decrypted);
    QCOMPARE(*decrypted, plaintext.toStdString());
}

void tst_CredentialCipher::everyBlobHasAFreshNonce()
{
    const CredentialCipher cipher = cipherFor('A');
    const auto a = cipher.encrypt(Plaintext, Account);
    const auto b = cipher.encrypt(Plaintext, Account);
    VERIFY_OK(a);
    VERIFY_OK(b);
    QVERIFY(*a != *b);
    QVERIFY(a->substr(5, CredentialCipher::NonceSize) != b->substr(5, CredentialCipher::NonceSize));
    QCOMPARE(*cipher.decrypt(*a, Account), Plaintext);
    QCOMPARE(*cipher.decrypt(*b, Account), Plaintext);
}

void tst_CredentialCipher::tamperedBlobIsRefused_data()
{
    QTest::addColumn<int>("offset");

    const int ciphertext = int(CredentialCipher::HeaderSize);
    const int tag = ciphertext + int(Plaintext.size());
    QTest::newRow("version") << 0;
    QTest::newRow("key id, first byte") << 1;
    QTest::newRow("key id, last byte") << 4;
    QTest::newRow("nonce, first byte") << 5;
    QTest::newRow("nonce, last byte") << ciphertext - 1;
    QTest::newRow("ciphertext, first byte") << ciphertext;
    QTest::newRow("ciphertext, middle byte") << ciphertext + int(Plaintext.size()) / 2;
    QTest::newRow("ciphertext, last byte") << tag - 1;
    QTest::newRow("tag, first byte") << tag;
    QTest::newRow("tag, last byte") << tag + int(CredentialCipher::TagSize) - 1;
}

void tst_CredentialCipher::tamperedBlobIsRefused()
{
    QFETCH(int, offset);
    const CredentialCipher cipher = cipherFor('A');
    auto blob = cipher.encrypt(Plaintext, Account);
    VERIFY_OK(blob);
    QCOMPARE(blob->size(), CredentialCipher::Overhead + Plaintext.size());

    for (unsigned char flip : {0x01, 0x80, 0xFF}) {
        std::string tampered = *blob;
        tampered[std::size_t(offset)] = static_cast<char>(tampered[std::size_t(offset)] ^ flip);
        const auto decrypted = cipher.decrypt(tampered, Account);
        QVERIFY(!decrypted.ok());
        QCOMPARE(decrypted.error().code, code(rpc::InvalidParameter));
        QVERIFY2(decrypted.error().message.find(Plaintext) == std::string::npos,
                 decrypted.error().message.c_str());
        QVERIFY(decrypted.error().message.find(Account) == std::string::npos);
    }
    QCOMPARE(*cipher.decrypt(*blob, Account), Plaintext); // the original still decrypts
}

void tst_CredentialCipher::truncatedOrExtendedBlobIsRefused_data()
{
    QTest::addColumn<int>("size");

    const int full = int(CredentialCipher::Overhead + Plaintext.size());
    QTest::newRow("empty") << 0;
    QTest::newRow("1 byte") << 1;
    QTest::newRow("header only") << int(CredentialCipher::HeaderSize);
    QTest::newRow("overhead - 1") << int(CredentialCipher::Overhead) - 1;
    QTest::newRow("overhead, no ciphertext") << int(CredentialCipher::Overhead);
    QTest::newRow("1 byte short") << full - 1;
    QTest::newRow("1 byte extra") << full + 1;
}

void tst_CredentialCipher::truncatedOrExtendedBlobIsRefused()
{
    QFETCH(int, size);
    const CredentialCipher cipher = cipherFor('A');
    auto blob = cipher.encrypt(Plaintext, Account);
    VERIFY_OK(blob);
    std::string changed = *blob;
    changed.resize(std::size_t(size), 'x');

    const auto decrypted = cipher.decrypt(changed, Account);
    QVERIFY(!decrypted.ok());
    QCOMPARE(decrypted.error().code, code(rpc::InvalidParameter));
    QVERIFY(decrypted.error().message.find(Plaintext) == std::string::npos);
}

void tst_CredentialCipher::wrongAssociatedDataIsRefused_data()
{
    QTest::addColumn<QByteArray>("associatedData");

    QTest::newRow("another user") << QByteArray("CORP\\bob");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("prefix") << QByteArray("CORP\\alic");
    QTest::newRow("extended") << QByteArray("CORP\\alice ");
    QTest::newRow("other case") << QByteArray("CORP\\ALICE");
    QTest::newRow("another domain") << QByteArray("LAB\\alice");
}

void tst_CredentialCipher::wrongAssociatedDataIsRefused()
{
    QFETCH(QByteArray, associatedData);
    const CredentialCipher cipher = cipherFor('A');
    auto blob = cipher.encrypt(Plaintext, Account);
    VERIFY_OK(blob);

    const auto decrypted = cipher.decrypt(*blob, associatedData.toStdString());
    QVERIFY(!decrypted.ok());
    QCOMPARE(decrypted.error().code, code(rpc::InvalidParameter));
    QVERIFY(decrypted.error().message.find(Plaintext) == std::string::npos);
    QVERIFY(decrypted.error().message.find("does not authenticate") != std::string::npos);
}

void tst_CredentialCipher::wrongKeyIsRefused()
{
    const CredentialCipher alpha = cipherFor('A');
    const CredentialCipher beta = cipherFor('B');
    QVERIFY(alpha.keyId() != beta.keyId());
    auto blob = alpha.encrypt(Plaintext, Account);
    VERIFY_OK(blob);

    const auto decrypted = beta.decrypt(*blob, Account);
    QVERIFY(!decrypted.ok());
    QCOMPARE(decrypted.error().code, code(rpc::InvalidParameter));
    QVERIFY(decrypted.error().message.find(Plaintext) == std::string::npos);
    QVERIFY2(decrypted.error().message.find("key") != std::string::npos,
             decrypted.error().message.c_str());

    // A blob relabelled with the other key's id still fails: the tag does not match.
    std::string relabelled = *blob;
    const std::uint32_t id = beta.keyId();
    for (int i = 0; i < 4; ++i)
        relabelled[std::size_t(1 + i)] = static_cast<char>((id >> (24 - 8 * i)) & 0xFF);
    QCOMPARE(*CredentialCipher::blobKeyId(relabelled), beta.keyId());
    const auto forged = beta.decrypt(relabelled, Account);
    QVERIFY(!forged.ok());
    QVERIFY(forged.error().message.find("does not authenticate") != std::string::npos);
}

void tst_CredentialCipher::keyIdIsSha256Prefix()
{
    const std::string key = testKey('\x00');
    auto cipher = CredentialCipher::fromKey(key);
    VERIFY_OK(cipher);
    const QByteArray digest =
        QCryptographicHash::hash(QByteArray::fromStdString(key), QCryptographicHash::Sha256);
    const std::uint32_t expected = (std::uint32_t(std::uint8_t(digest[0])) << 24) |
                                   (std::uint32_t(std::uint8_t(digest[1])) << 16) |
                                   (std::uint32_t(std::uint8_t(digest[2])) << 8) |
                                   std::uint32_t(std::uint8_t(digest[3]));
    QCOMPARE(cipher->keyId(), expected);
}

void tst_CredentialCipher::fromKeyRefusesWrongLength_data()
{
    QTest::addColumn<int>("length");
    QTest::newRow("0 bytes") << 0;
    QTest::newRow("16 bytes") << 16;
    QTest::newRow("31 bytes") << 31;
    QTest::newRow("33 bytes") << 33;
}

void tst_CredentialCipher::fromKeyRefusesWrongLength()
{
    QFETCH(int, length);
    const auto cipher = CredentialCipher::fromKey(std::string(std::size_t(length), 'k'));
    QVERIFY(!cipher.ok());
    QCOMPARE(cipher.error().code, code(rpc::InvalidParameter));
    QVERIFY(cipher.error().message.find(std::to_string(length)) != std::string::npos);
}

void tst_CredentialCipher::keyFileIsCreatedPrivate()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("agent.key"));

    auto created = CredentialCipher::loadOrCreateKey(path.toStdString());
    VERIFY_OK(created);
    struct stat st
    {};
    QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
    QVERIFY(S_ISREG(st.st_mode));
    QCOMPARE(st.st_mode & 07777, mode_t(0600));
    QCOMPARE(st.st_size, off_t(CredentialCipher::KeySize));
    QCOMPARE(st.st_uid, ::geteuid());

    // The next start loads the same key: what the first stored, the second reads.
    const auto blob = created->encrypt(Plaintext, Account);
    VERIFY_OK(blob);
    auto loaded = CredentialCipher::loadOrCreateKey(path.toStdString());
    VERIFY_OK(loaded);
    QCOMPARE(loaded->keyId(), created->keyId());
    QCOMPARE(*loaded->decrypt(*blob, Account), Plaintext);

    // Another agent's key is another random key.
    QTemporaryDir otherDir;
    QVERIFY(otherDir.isValid());
    auto other = CredentialCipher::loadOrCreateKey(
        otherDir.filePath(QStringLiteral("agent.key")).toStdString());
    VERIFY_OK(other);
    QVERIFY(other->keyId() != created->keyId());
}

void tst_CredentialCipher::keyFileIsRefused_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("expectedCode");
    QTest::addColumn<QString>("problem"); // a word the message must contain

    const int denied = code(rpc::AccessDenied);
    const int invalid = code(rpc::InvalidParameter);
    QTest::newRow("mode 0644") << QStringLiteral("0644") << denied << QStringLiteral("0644");
    QTest::newRow("mode 0640") << QStringLiteral("0640") << denied << QStringLiteral("0640");
    QTest::newRow("mode 0604") << QStringLiteral("0604") << denied << QStringLiteral("0604");
    QTest::newRow("mode 0610") << QStringLiteral("0610") << denied << QStringLiteral("0610");
    QTest::newRow("mode 0601") << QStringLiteral("0601") << denied << QStringLiteral("0601");
    QTest::newRow("empty") << QStringLiteral("size 0") << invalid << QStringLiteral("0 bytes");
    QTest::newRow("31 bytes") << QStringLiteral("size 31") << invalid << QStringLiteral("31 bytes");
    QTest::newRow("33 bytes") << QStringLiteral("size 33") << invalid << QStringLiteral("33 bytes");
    QTest::newRow("directory") << QStringLiteral("directory") << invalid
                               << QStringLiteral("directory");
    QTest::newRow("symlink") << QStringLiteral("symlink") << invalid
                             << QStringLiteral("symbolic link");
}

void tst_CredentialCipher::keyFileIsRefused()
{
    QFETCH(QString, kind);
    QFETCH(int, expectedCode);
    QFETCH(QString, problem);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("agent.key"));
    const QByteArray key(int(CredentialCipher::KeySize), 'k');
    if (kind.startsWith(QLatin1Char('0'))) {
        QVERIFY(writeFile(path, key, mode_t(kind.toUInt(nullptr, 8))));
    } else if (kind.startsWith(QStringLiteral("size "))) {
        QVERIFY(writeFile(path, QByteArray(kind.mid(5).toInt(), 'k'), 0600));
    } else if (kind == QStringLiteral("directory")) {
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("agent.key")));
    } else if (kind == QStringLiteral("symlink")) {
        const QString target = dir.filePath(QStringLiteral("real.key"));
        QVERIFY(writeFile(target, key, 0600));
        QVERIFY(QFile::link(target, path));
    }

    const auto cipher = CredentialCipher::loadOrCreateKey(path.toStdString());
    QVERIFY(!cipher.ok());
    QCOMPARE(cipher.error().code, expectedCode);
    const std::string &message = cipher.error().message;
    QVERIFY2(message.find(path.toStdString()) != std::string::npos, message.c_str());
    QVERIFY2(message.find(problem.toStdString()) != std::string::npos, message.c_str());
    QVERIFY2(message.find(key.toStdString()) == std::string::npos, message.c_str());
    QVERIFY(QFileInfo::exists(path)); // refused, not replaced
}

void tst_CredentialCipher::keyFileOfAnotherUserIsRefused()
{
    if (::geteuid() != 0)
        QSKIP("needs root to give the key file to another user");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("agent.key"));
    QVERIFY(writeFile(path, QByteArray(int(CredentialCipher::KeySize), 'k'), 0600));
    QCOMPARE(::chown(QFile::encodeName(path).constData(), 65534, 65534), 0);

    const auto cipher = CredentialCipher::loadOrCreateKey(path.toStdString());
    QVERIFY(!cipher.ok());
    QCOMPARE(cipher.error().code, code(rpc::AccessDenied));
    QVERIFY2(cipher.error().message.find("owned by uid 65534") != std::string::npos,
             cipher.error().message.c_str());
}

void tst_CredentialCipher::keyFileInMissingDirectoryFails()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath(QStringLiteral("missing/agent.key")).toStdString();
    const auto cipher = CredentialCipher::loadOrCreateKey(path);
    QVERIFY(!cipher.ok());
    QCOMPARE(cipher.error().code, ENOENT);
    QVERIFY2(cipher.error().message.find(path) != std::string::npos,
             cipher.error().message.c_str());
}

QTEST_APPLESS_MAIN(tst_CredentialCipher)
#include "tst_credentialcipher.moc"
