// Why this test exists: the simulated host stands in for a mainframe in the demo and in every
// integration test. If its RACF-like rules drift at a boundary, its history check lets a reused
// password through, or a redelivered change gets a different answer, password sync looks broken
// when it is not (or a real bug hides behind the simulator). And no message may ever show a
// password: these messages end up in events, logs and the console.

#include "agent/simulatedhost.h"
#include "model/rpcstatus.h"

#include <QByteArray>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

using namespace hostsec;

namespace {

std::string upperAscii(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; });
    return s;
}

// Whether a message shows the password. Short passwords are case-insensitive on the host, so
// the comparison is too; passwords under 4 characters cannot be told from ordinary words.
bool showsPassword(const std::string &message, const std::string &password)
{
    if (password.size() < 4)
        return false;
    return upperAscii(message).find(upperAscii(password)) != std::string::npos;
}

std::unique_ptr<SimulatedHost> openHost(const QTemporaryDir &dir)
{
    auto host = SimulatedHost::open(dir.filePath(QStringLiteral("host.db")).toStdString());
    if (!host) {
        qWarning("%s", host.error().message.c_str());
        return nullptr;
    }
    return std::move(host).value();
}

int code(std::uint32_t status)
{
    return static_cast<int>(status);
}

// The n-th password of a history sequence: short passwords and passphrases mixed, so the
// history holds both kinds.
std::string historyPassword(int n)
{
    if (n % 3 == 2)
        return "passphrase number " + std::to_string(n) + " here";
    return "HIST" + std::to_string(n);
}

} // namespace

// Fails the test with the error's message unless the result is ok.
#define VERIFY_OK(expr)                                                                            \
    do {                                                                                           \
        const auto &result_ = (expr);                                                              \
        QVERIFY2(result_.ok(), result_.ok() ? "" : result_.error().message.c_str());               \
    } while (false)

class tst_SimulatedHost : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void userIdRules_data();
    void userIdRules();
    void passwordRules_data();
    void passwordRules();
    void lowerCaseInputIsNormalised();
    void historyOfEight_data();
    void historyOfEight();
    void logonVerification_data();
    void logonVerification();
    void survivesReopen();
    void storesNoPasswordText();
    void applyChangeIsIdempotent();
    void applyChangeRemembersRejection();
    void changeAppliedTellsWhatTheHostDid();
    void listAccountsShowsRevisionAndOrigin();
    void openFailureNamesTheFile();

private:
    // A host whose ALICE has had passwords 0..8, built once: hashing is slow on purpose, and
    // each historyOfEight row starts from a copy of it.
    QTemporaryDir m_historyTemplate;
};

void tst_SimulatedHost::initTestCase()
{
    QVERIFY(m_historyTemplate.isValid());
    auto host = openHost(m_historyTemplate);
    QVERIFY(host);
    VERIFY_OK(host->createAccount("ALICE", historyPassword(0)));
    for (int n = 1; n <= 8; ++n)
        VERIFY_OK(host->changePassword("ALICE", historyPassword(n), "test"));
    host.reset(); // the last connection checkpoints the WAL into host.db
    QVERIFY(!QFile::exists(m_historyTemplate.filePath(QStringLiteral("host.db-wal"))));
}

void tst_SimulatedHost::userIdRules_data()
{
    QTest::addColumn<QByteArray>("userId");
    QTest::addColumn<bool>("valid");

    QTest::newRow("0 chars") << QByteArray() << false;
    QTest::newRow("1 char") << QByteArray("A") << true;
    QTest::newRow("8 chars") << QByteArray("ABCDEFGH") << true;
    QTest::newRow("9 chars") << QByteArray("ABCDEFGHI") << false;
    QTest::newRow("digits") << QByteArray("12345678") << true;
    QTest::newRow("national chars") << QByteArray("@#$") << true;
    QTest::newRow("lower case") << QByteArray("alice") << true;
    QTest::newRow("mixed case 8") << QByteArray("aLiCe#1$") << true;
    QTest::newRow("lower case 9") << QByteArray("abcdefghi") << false;
    QTest::newRow("exclamation") << QByteArray("ALICE!") << false;
    QTest::newRow("space") << QByteArray("AL CE") << false;
    QTest::newRow("hyphen") << QByteArray("AL-CE") << false;
    QTest::newRow("underscore") << QByteArray("A_B") << false;
    QTest::newRow("backslash") << QByteArray("CORP\\A") << false;
    QTest::newRow("utf-8 letter") << QByteArray("\xC3\x84LICE") << false;
    QTest::newRow("control char") << QByteArray("AL\x01") << false;
}

void tst_SimulatedHost::userIdRules()
{
    QFETCH(QByteArray, userId);
    QFETCH(bool, valid);

    const Status status = SimulatedHost::validateUserId(userId.toStdString());
    QCOMPARE(status.ok(), valid);
    if (!valid) {
        QCOMPARE(status.error().code, code(rpc::InvalidParameter));
        QVERIFY(status.error().message.find("host user id") != std::string::npos);
        return;
    }

    // A valid id also works end to end, and the host keeps it in upper case.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto host = openHost(dir);
    QVERIFY(host);
    VERIFY_OK(host->createAccount(userId.toStdString(), "SECRET1"));
    const auto accounts = host->listAccounts();
    VERIFY_OK(accounts);
    QCOMPARE(accounts->size(), std::size_t{1});
    QCOMPARE(accounts->front().userId, upperAscii(userId.toStdString()));
}

void tst_SimulatedHost::passwordRules_data()
{
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<bool>("valid");

    QTest::newRow("0 chars") << QByteArray() << false;
    QTest::newRow("1 char") << QByteArray("Q") << true;
    QTest::newRow("8 chars") << QByteArray("QZ7@#$X9") << true;
    QTest::newRow("9 chars") << QByteArray("QZ7QZ7QZ7") << false;
    QTest::newRow("13 chars") << QByteArray(13, 'q') << false;
    QTest::newRow("14 chars") << QByteArray(14, 'q') << true;
    QTest::newRow("100 chars") << QByteArray(100, 'q') << true;
    QTest::newRow("101 chars") << QByteArray(101, 'q') << false;
    QTest::newRow("short lower case") << QByteArray("qzsecret") << true;
    QTest::newRow("short with '!'") << QByteArray("QZ!SEC") << false;
    QTest::newRow("short with space") << QByteArray("QZ SEC") << false;
    QTest::newRow("short with utf-8") << QByteArray("QZ\xC3\xA9SEC") << false;
    QTest::newRow("short containing user id") << QByteArray("ALICE1") << true;
    QTest::newRow("passphrase printable") << QByteArray("Correct horse, battery ~ staple!") << true;
    QTest::newRow("passphrase with tab") << QByteArray("Correct\thorse battery") << false;
    QTest::newRow("passphrase with DEL") << QByteArray("Correct horse\x7F battery") << false;
    QTest::newRow("passphrase with utf-8") << QByteArray("Correct h\xC3\xB6rse battery") << false;
    QTest::newRow("passphrase with user id") << QByteArray("my ALICE passphrase") << false;
    QTest::newRow("passphrase with user id, lower") << QByteArray("my alice passphrase") << false;
    QTest::newRow("passphrase with user id, mixed") << QByteArray("my aLiCe passphrase") << false;
}

void tst_SimulatedHost::passwordRules()
{
    QFETCH(QByteArray, password);
    QFETCH(bool, valid);
    const std::string pw = password.toStdString();

    const Status status = SimulatedHost::validatePassword("alice", pw);
    QCOMPARE(status.ok(), valid);
    if (!valid) {
        QCOMPARE(status.error().code, code(rpc::PasswordRestriction));
        QVERIFY2(status.error().message.rfind("password for ALICE rejected: ", 0) == 0,
                 status.error().message.c_str());
        QVERIFY2(!showsPassword(status.error().message, pw), status.error().message.c_str());
    }

    // The same rule applies when the account is created and when its password changes.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto host = openHost(dir);
    QVERIFY(host);
    const Status created = host->createAccount("alice", pw);
    QCOMPARE(created.ok(), valid);
    if (!valid) {
        QCOMPARE(created.error().code, code(rpc::PasswordRestriction));
        QVERIFY2(!showsPassword(created.error().message, pw), created.error().message.c_str());
        VERIFY_OK(host->createAccount("alice", "INITIAL1"));
    }
    const Status changed = host->changePassword("ALICE", valid ? "OTHER1" : pw, "test");
    QCOMPARE(changed.ok(), valid);
    if (!valid) {
        QCOMPARE(changed.error().code, code(rpc::PasswordRestriction));
        QVERIFY2(!showsPassword(changed.error().message, pw), changed.error().message.c_str());
    } else {
        VERIFY_OK(host->verifyLogon("ALICE", "OTHER1"));
    }
}

void tst_SimulatedHost::lowerCaseInputIsNormalised()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto host = openHost(dir);
    QVERIFY(host);

    VERIFY_OK(host->createAccount("alice", "secret1"));
    const auto has = host->hasAccount("ALICE");
    VERIFY_OK(has);
    QVERIFY(*has);
    VERIFY_OK(host->verifyLogon("Alice", "SECRET1")); // short passwords ignore case
    VERIFY_OK(host->verifyLogon("ALICE", "SeCrEt1"));

    const Status duplicate = host->createAccount("ALICE", "OTHER1");
    QVERIFY(!duplicate.ok());
    QCOMPARE(duplicate.error().code, code(rpc::InvalidParameter));
    QVERIFY(!showsPassword(duplicate.error().message, "OTHER1"));

    // A passphrase keeps its case.
    VERIFY_OK(host->createAccount("bob", "Mixed Case Passphrase"));
    VERIFY_OK(host->verifyLogon("bob", "Mixed Case Passphrase"));
    QCOMPARE(host->verifyLogon("BOB", "MIXED CASE PASSPHRASE").error().code,
             code(rpc::LogonFailure));
}

void tst_SimulatedHost::historyOfEight_data()
{
    // Passwords 0..8 were set in order, so 8 is current and 0 is the 9th back.
    QTest::addColumn<QByteArray>("candidate");
    QTest::addColumn<bool>("accepted");

    for (int back = 1; back <= 9; ++back) {
        const std::string name =
            back == 1 ? std::string("current (1 back)") : std::to_string(back) + " back";
        QTest::newRow(name.c_str())
            << QByteArray::fromStdString(historyPassword(9 - back)) << (back == 9);
    }
    QTest::newRow("5 back, lower case") << QByteArray("hist4") << false;
    QTest::newRow("passphrase 4 back, other case")
        << QByteArray("PASSPHRASE NUMBER 5 HERE") << true;
    QTest::newRow("never used") << QByteArray("FRESH1") << true;
}

void tst_SimulatedHost::historyOfEight()
{
    QFETCH(QByteArray, candidate);
    QFETCH(bool, accepted);
    const std::string pw = candidate.toStdString();

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QFile::copy(m_historyTemplate.filePath(QStringLiteral("host.db")),
                        dir.filePath(QStringLiteral("host.db"))));
    auto host = openHost(dir);
    QVERIFY(host);
    QCOMPARE(*host->passwordRevision("ALICE"), std::int64_t{9});

    const Status status = host->changePassword("ALICE", pw, "test");
    QCOMPARE(status.ok(), accepted);
    if (accepted) {
        QCOMPARE(*host->passwordRevision("ALICE"), std::int64_t{10});
        VERIFY_OK(host->verifyLogon("ALICE", pw));
        return;
    }
    QCOMPARE(status.error().code, code(rpc::PasswordRestriction));
    QCOMPARE(status.error().message,
             std::string("password for ALICE rejected: reuses one of the last 8 passwords"));
    QVERIFY(!showsPassword(status.error().message, pw));
    QCOMPARE(*host->passwordRevision("ALICE"), std::int64_t{9});
    VERIFY_OK(host->verifyLogon("ALICE", historyPassword(8)));
}

void tst_SimulatedHost::logonVerification_data()
{
    QTest::addColumn<QByteArray>("userId");
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<int>("expectedCode"); // 0: logon succeeds

    const int failure = code(rpc::LogonFailure);
    QTest::newRow("right password") << QByteArray("ALICE") << QByteArray("SECRET1") << 0;
    QTest::newRow("right password, lower case")
        << QByteArray("ALICE") << QByteArray("secret1") << 0;
    QTest::newRow("lower-case user id") << QByteArray("alice") << QByteArray("SECRET1") << 0;
    QTest::newRow("wrong password") << QByteArray("ALICE") << QByteArray("SECRET2") << failure;
    QTest::newRow("previous password") << QByteArray("ALICE") << QByteArray("OLDPASS1") << failure;
    QTest::newRow("empty password") << QByteArray("ALICE") << QByteArray() << failure;
    QTest::newRow("another user's password")
        << QByteArray("ALICE") << QByteArray("Correct Horse Battery") << failure;
    QTest::newRow("passphrase") << QByteArray("CAROL") << QByteArray("Correct Horse Battery") << 0;
    QTest::newRow("passphrase, wrong case")
        << QByteArray("CAROL") << QByteArray("correct horse battery") << failure;
    QTest::newRow("passphrase, trailing space")
        << QByteArray("CAROL") << QByteArray("Correct Horse Battery ") << failure;
    QTest::newRow("unknown user") << QByteArray("NOBODY") << QByteArray("SECRET1")
                                  << code(rpc::NoSuchUser);
    QTest::newRow("malformed user id")
        << QByteArray("BAD!") << QByteArray("SECRET1") << code(rpc::InvalidParameter);
}

void tst_SimulatedHost::logonVerification()
{
    QFETCH(QByteArray, userId);
    QFETCH(QByteArray, password);
    QFETCH(int, expectedCode);
    const std::string pw = password.toStdString();

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto host = openHost(dir);
    QVERIFY(host);
    VERIFY_OK(host->createAccount("ALICE", "OLDPASS1"));
    VERIFY_OK(host->changePassword("ALICE", "SECRET1", "test"));
    VERIFY_OK(host->createAccount("CAROL", "Correct Horse Battery"));

    const Status status = host->verifyLogon(userId.toStdString(), pw);
    if (expectedCode == 0) {
        VERIFY_OK(status);
        return;
    }
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, expectedCode);
    QVERIFY2(!showsPassword(status.error().message, pw), status.error().message.c_str());
}

void tst_SimulatedHost::survivesReopen()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    {
        auto host = openHost(dir);
        QVERIFY(host);
        VERIFY_OK(host->createAccount("ALICE", "PASS0"));
        VERIFY_OK(host->changePassword("ALICE", "PASS1", "domain"));
        const auto applied = host->applyChange("ALICE", "PASS2", "domain", 7);
        VERIFY_OK(applied);
        QVERIFY(*applied);
        const auto refused = host->applyChange("ALICE", "PASS1", "domain", 8);
        QVERIFY(!refused.ok());
    }
    auto host = openHost(dir);
    QVERIFY(host);
    const auto has = host->hasAccount("ALICE");
    VERIFY_OK(has);
    QVERIFY(*has);
    QCOMPARE(*host->passwordRevision("ALICE"), std::int64_t{3});
    VERIFY_OK(host->verifyLogon("ALICE", "PASS2"));
    QCOMPARE(host->verifyLogon("ALICE", "PASS1").error().code, code(rpc::LogonFailure));

    // The history and the record of applied and refused changes survived too.
    const Status reuse = host->changePassword("ALICE", "PASS0", "domain");
    QVERIFY(!reuse.ok());
    QCOMPARE(reuse.error().code, code(rpc::PasswordRestriction));
    const auto again = host->applyChange("ALICE", "PASS2", "domain", 7);
    VERIFY_OK(again);
    QVERIFY(!*again);
    const auto refusedAgain = host->applyChange("ALICE", "PASS1", "domain", 8);
    QVERIFY(!refusedAgain.ok());
    QCOMPARE(refusedAgain.error().code, code(rpc::PasswordRestriction));
    QCOMPARE(*host->passwordRevision("ALICE"), std::int64_t{3});
}

void tst_SimulatedHost::storesNoPasswordText()
{
    // Only salted hashes reach the disk: the password bytes appear in no file of the database.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::vector<std::string> passwords = {"ZQXJ4KW7", "A Distinctive Passphrase 42",
                                                "Second Distinctive Phrase 7"};
    {
        auto host = openHost(dir);
        QVERIFY(host);
        VERIFY_OK(host->createAccount("ALICE", passwords[0]));
        VERIFY_OK(host->changePassword("ALICE", passwords[1], "test"));
        const auto applied = host->applyChange("ALICE", passwords[2], "test", 1);
        VERIFY_OK(applied);
        const auto refused = host->applyChange("ALICE", passwords[1], "test", 2);
        QVERIFY(!refused.ok());
        QVERIFY(!showsPassword(refused.error().message, passwords[1]));
        // Read the files while the connection is open, so the WAL is still there.
        for (const QString &name : {QStringLiteral("host.db"), QStringLiteral("host.db-wal")}) {
            QFile file(dir.filePath(name));
            if (!file.exists())
                continue;
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray content = file.readAll();
            for (const std::string &pw : passwords) {
                QVERIFY2(!content.contains(QByteArray::fromStdString(pw)),
                         qPrintable(name + QStringLiteral(" contains a password")));
            }
        }
    }
}

void tst_SimulatedHost::applyChangeIsIdempotent()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto host = openHost(dir);
    QVERIFY(host);
    VERIFY_OK(host->createAccount("ALICE", "PASS0"));
    VERIFY_OK(host->createAccount("BOB", "PASS0"));

    auto first = host->applyChange("ALICE", "PASS1", "dc1", 41);
    VERIFY_OK(first);
    QVERIFY(*first);
    QCOMPARE(*host->passwordRevision("ALICE"), std::int64_t{2});

    // Redelivered, with the same or even another password: already applied, nothing changes.
    for (const char *pw : {"PASS1", "pass1", "PASS9"}) {
        auto again = host->applyChange("alice", pw, "dc1", 41);
        VERIFY_OK(again);
        QVERIFY(!*again);
    }
    QCOMPARE(*host->passwordRevision("ALICE"), std::int64_t{2});
    VERIFY_OK(host->verifyLogon("ALICE", "PASS1"));

    // Another origin with the same number, and the next number, are different changes.
    auto otherOrigin = host->applyChange("ALICE", "PASS2", "dc2", 41);
    VERIFY_OK(otherOrigin);
    QVERIFY(*otherOrigin);
    auto next = host->applyChange("ALICE", "PASS3", "dc1", 42);
    VERIFY_OK(next);
    QVERIFY(*next);
    QCOMPARE(*host->passwordRevision("ALICE"), std::int64_t{4});

    // A sequence number reused for another user is the sender's bug, not a redelivery.
    auto reused = host->applyChange("BOB", "PASS7", "dc1", 41);
    QVERIFY(!reused.ok());
    QCOMPARE(reused.error().code, code(rpc::InvalidParameter));
    QVERIFY(!showsPassword(reused.error().message, "PASS7"));
    QCOMPARE(*host->passwordRevision("BOB"), std::int64_t{1});

    auto noOrigin = host->applyChange("ALICE", "PASS8", "", 1);
    QVERIFY(!noOrigin.ok());
    QCOMPARE(noOrigin.error().code, code(rpc::InvalidParameter));
}

// The agent queues a host-initiated change before the host applies it and, after a crash
// between the two, asks the host which of its queued changes really happened.
void tst_SimulatedHost::changeAppliedTellsWhatTheHostDid()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto host = openHost(dir);
    QVERIFY(host);
    VERIFY_OK(host->createAccount("ALICE", "PASS0"));

    VERIFY_OK(host->applyChange("ALICE", "PASS1", "host1", 1));
    QVERIFY(!host->applyChange("ALICE", "PASS0", "host1", 2).ok()); // history: refused

    const auto applied = host->changeApplied("host1", 1);
    VERIFY_OK(applied);
    QVERIFY(*applied);
    const auto refused = host->changeApplied("host1", 2);
    VERIFY_OK(refused);
    QVERIFY(!*refused);
    const auto neverSeen = host->changeApplied("host1", 3);
    VERIFY_OK(neverSeen);
    QVERIFY(!*neverSeen);
    const auto otherOrigin = host->changeApplied("host2", 1);
    VERIFY_OK(otherOrigin);
    QVERIFY(!*otherOrigin);
}

void tst_SimulatedHost::applyChangeRemembersRejection()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto host = openHost(dir);
    QVERIFY(host);
    VERIFY_OK(host->createAccount("ALICE", "REUSED1"));

    auto refused = host->applyChange("ALICE", "REUSED1", "host", 1);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, code(rpc::PasswordRestriction));
    const std::string message = refused.error().message;
    QVERIFY(!showsPassword(message, "REUSED1"));

    // Eight more passwords push REUSED1 out of the history: a new change may now use it ...
    for (int n = 1; n <= 8; ++n)
        VERIFY_OK(host->changePassword("ALICE", "NEXT" + std::to_string(n), "test"));
    QCOMPARE(*host->passwordRevision("ALICE"), std::int64_t{9});

    // ... but the redelivered change keeps its answer.
    auto redelivered = host->applyChange("ALICE", "REUSED1", "host", 1);
    QVERIFY(!redelivered.ok());
    QCOMPARE(redelivered.error().code, code(rpc::PasswordRestriction));
    QCOMPARE(redelivered.error().message, message);
    QCOMPARE(*host->passwordRevision("ALICE"), std::int64_t{9});

    auto fresh = host->applyChange("ALICE", "REUSED1", "host", 2);
    VERIFY_OK(fresh);
    QVERIFY(*fresh);
    QCOMPARE(*host->passwordRevision("ALICE"), std::int64_t{10});

    // A change for an account the host does not have is an answer too, and stays one.
    auto unknown = host->applyChange("GHOST", "BOO12345", "host", 3);
    QVERIFY(!unknown.ok());
    QCOMPARE(unknown.error().code, code(rpc::NoSuchUser));
    VERIFY_OK(host->createAccount("GHOST", "FIRST1"));
    auto unknownAgain = host->applyChange("GHOST", "BOO12345", "host", 3);
    QVERIFY(!unknownAgain.ok());
    QCOMPARE(unknownAgain.error().code, code(rpc::NoSuchUser));
    QVERIFY(!showsPassword(unknownAgain.error().message, "BOO12345"));

    // A change the rules refuse outright is remembered as well.
    auto tooShort = host->applyChange("ALICE", "Too short 13!", "host", 4);
    QVERIFY(!tooShort.ok());
    QCOMPARE(tooShort.error().code, code(rpc::PasswordRestriction));
    QVERIFY(!showsPassword(tooShort.error().message, "Too short 13!"));
    auto tooShortAgain = host->applyChange("ALICE", "Too short 13!", "host", 4);
    QVERIFY(!tooShortAgain.ok());
    QCOMPARE(tooShortAgain.error().message, tooShort.error().message);
}

void tst_SimulatedHost::listAccountsShowsRevisionAndOrigin()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto host = openHost(dir);
    QVERIFY(host);
    VERIFY_OK(host->createAccount("ZED", "PASS0"));
    VERIFY_OK(host->createAccount("ALICE", "PASS0"));
    VERIFY_OK(host->changePassword("ZED", "PASS1", "operator"));

    const auto accounts = host->listAccounts();
    VERIFY_OK(accounts);
    QCOMPARE(accounts->size(), std::size_t{2});
    QCOMPARE(accounts->at(0).userId, std::string("ALICE"));
    QCOMPARE(accounts->at(0).passwordRevision, std::int64_t{1});
    QCOMPARE(accounts->at(0).lastChangeOrigin, std::string("create"));
    QCOMPARE(accounts->at(1).userId, std::string("ZED"));
    QCOMPARE(accounts->at(1).passwordRevision, std::int64_t{2});
    QCOMPARE(accounts->at(1).lastChangeOrigin, std::string("operator"));
    QVERIFY(accounts->at(1).lastChangedAt > 0);

    const auto none = host->hasAccount("NOBODY");
    VERIFY_OK(none);
    QVERIFY(!*none);
    QCOMPARE(host->passwordRevision("NOBODY").error().code, code(rpc::NoSuchUser));
    QCOMPARE(host->changePassword("NOBODY", "PASS1", "test").error().code, code(rpc::NoSuchUser));
}

void tst_SimulatedHost::openFailureNamesTheFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath(QStringLiteral("missing/dir/host.db")).toStdString();
    const auto host = SimulatedHost::open(path);
    QVERIFY(!host.ok());
    const std::string &message = host.error().message;
    QVERIFY2(message.find(path) != std::string::npos, message.c_str());
    QVERIFY2(message.find("unable to open database file") != std::string::npos, message.c_str());
}

QTEST_APPLESS_MAIN(tst_SimulatedHost)
#include "tst_simulatedhost.moc"
