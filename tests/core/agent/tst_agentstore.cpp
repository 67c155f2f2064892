// Why: every SSO look-up reads one user from AgentStore. The look-up ignores case (a logon
// may spell CONTOSO\User0001 any way), which the primary key's BINARY index cannot serve: it
// once scanned the whole users table per look-up. The statement is kept compiled between
// calls, so it must also be reset after each one: a statement left mid-read keeps a read
// transaction open, which holds back every WAL checkpoint.
// The look-up answers rows it read before from memory (two fcntl lock calls and a B-tree
// descent were a third of an SSO look-up's cost), so that copy must never answer anything the
// database would not: a write, a re-encryption and a rolled-back transaction each show.
// And agent.db holds encrypted credentials: a replaced or deleted one must not linger in the
// file's free space (secure_delete), where a copy of the file would still carry it.

#include "agent/agentstore.h"

#include <sqlite3.h>

#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <string>

using namespace hostsec;

namespace {

std::unique_ptr<AgentStore> openStore(const QTemporaryDir &dir)
{
    auto store = AgentStore::open(dir.filePath(QStringLiteral("agent.db")).toStdString());
    if (!store) {
        qWarning("%s", store.error().message.c_str());
        return nullptr;
    }
    return std::move(store).value();
}

void addUser(AgentStore &store, const std::string &account, const std::string &hostAccount)
{
    UserRecord u;
    u.mapping = {account, hostAccount, "HOSTDOM", SyncState::InSync, 0, rpc::Success};
    u.credential = "sealed";
    store.putUser(u);
}

// Statements of the connection that are in the middle of a read.
int busyStatements(AgentStore &store)
{
    int busy = 0;
    for (sqlite3_stmt *s = sqlite3_next_stmt(store.db().handle(), nullptr); s;
         s = sqlite3_next_stmt(store.db().handle(), s))
        busy += sqlite3_stmt_busy(s) ? 1 : 0;
    return busy;
}

// Distinctive bytes that stand for a blob: random, so they cannot occur in the file by chance.
std::string randomBlob(int size)
{
    std::string out(static_cast<std::size_t>(size), '\0');
    for (char &c : out)
        c = static_cast<char>(QRandomGenerator::global()->bounded(256));
    return out;
}

// Every byte of agent.db and its WAL.
QByteArray fileBytes(const QTemporaryDir &dir)
{
    QByteArray all;
    for (const char *name : {"agent.db", "agent.db-wal"}) {
        QFile f(dir.filePath(QString::fromLatin1(name)));
        if (f.open(QIODevice::ReadOnly))
            all += f.readAll();
    }
    return all;
}

void checkpoint(AgentStore &store)
{
    store.db().exec("PRAGMA wal_checkpoint(TRUNCATE)", "checkpointing");
}

} // namespace

class tst_AgentStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void userLookupIgnoresCase();
    void userLookupUsesAnIndex();
    void userLookupSeesEveryWrite();
    void userLookupForgetsRolledBackRows();
    void keptStatementsLeaveNoReadOpen();
    void secureDeleteIsOn();
    void replacedSecretsLeaveNoTrace();
};

void tst_AgentStore::userLookupIgnoresCase()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto store = openStore(dir);
    QVERIFY(store);
    addUser(*store, "CONTOSO\\user0001", "USER0001");
    addUser(*store, "CONTOSO\\user0002", "USER0002");

    for (const char *spelling : {"CONTOSO\\user0001", "contoso\\USER0001", "Contoso\\User0001"}) {
        const auto u = store->user(spelling);
        QVERIFY2(u, spelling);
        QCOMPARE(u->mapping.hostAccount, std::string("USER0001"));
    }
    QVERIFY(!store->user("CONTOSO\\user0003"));
    // The same kept statement again, for another user, after a miss.
    QCOMPARE(store->user("CONTOSO\\user0002")->mapping.hostAccount, std::string("USER0002"));
    QCOMPARE(store->userByHostAccount("USER0002")->mapping.domainAccount,
             std::string("CONTOSO\\user0002"));
    QVERIFY(!store->userByHostAccount("USER0009"));
}

void tst_AgentStore::userLookupUsesAnIndex()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto store = openStore(dir);
    QVERIFY(store);
    // The WHERE clause of AgentStore::user.
    auto plan = store->db().prepare("EXPLAIN QUERY PLAN SELECT * FROM users "
                                    "WHERE domain_account = ? COLLATE NOCASE",
                                    "explaining the user look-up");
    std::string details;
    while (plan.step())
        details += plan.columnText(3) + "; ";
    QVERIFY2(details.find("SCAN") == std::string::npos, details.c_str());
    QVERIFY2(details.find("INDEX users_by_account_nocase") != std::string::npos, details.c_str());
}

void tst_AgentStore::userLookupSeesEveryWrite()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto store = openStore(dir);
    QVERIFY(store);
    addUser(*store, "CONTOSO\\user0001", "USER0001");
    QCOMPARE(store->user("contoso\\user0001")->credential, std::string("sealed")); // remembered

    // A write under another spelling of the same account.
    UserRecord changed = *store->user("CONTOSO\\user0001");
    changed.credential = "sealed-2";
    changed.mapping.syncState = SyncState::Pending;
    store->putUser(changed);
    for (const char *spelling : {"CONTOSO\\user0001", "contoso\\USER0001"}) {
        const auto u = store->user(spelling);
        QVERIFY2(u, spelling);
        QCOMPARE(u->credential, std::string("sealed-2"));
        QVERIFY(u->mapping.syncState == SyncState::Pending);
    }

    // A re-encryption (key rotation) writes the credential alone.
    for (const SealedSecret &secret : store->sealedSecrets()) {
        if (secret.where == SealedSecret::Where::User)
            store->reseal(secret, "resealed");
    }
    QCOMPARE(store->user("Contoso\\User0001")->credential, std::string("resealed"));
}

void tst_AgentStore::userLookupForgetsRolledBackRows()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto store = openStore(dir);
    QVERIFY(store);
    addUser(*store, "CONTOSO\\user0001", "USER0001");
    QCOMPARE(store->user("CONTOSO\\user0001")->credential, std::string("sealed"));
    {
        store::Transaction tx(store->db(), "a change that fails");
        UserRecord changed = *store->user("CONTOSO\\user0001");
        changed.credential = "never-committed";
        store->putUser(changed);
        addUser(*store, "CONTOSO\\user0002", "USER0002");
        // Read inside the transaction: the transaction's own view...
        QCOMPARE(store->user("CONTOSO\\user0001")->credential, std::string("never-committed"));
        QVERIFY(store->user("CONTOSO\\user0002"));
    } // ...rolled back here, without commit()
    QCOMPARE(store->user("CONTOSO\\user0001")->credential, std::string("sealed"));
    QVERIFY(!store->user("CONTOSO\\user0002"));
}

void tst_AgentStore::keptStatementsLeaveNoReadOpen()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto store = openStore(dir);
    QVERIFY(store);
    addUser(*store, "CONTOSO\\user0001", "USER0001");

    QVERIFY(store->user("CONTOSO\\user0001"));
    QCOMPARE(busyStatements(*store), 0);
    QVERIFY(!store->user("CONTOSO\\nobody"));
    QCOMPARE(busyStatements(*store), 0);
    QVERIFY(store->userByHostAccount("USER0001"));
    QCOMPARE(busyStatements(*store), 0);
    QVERIFY(sqlite3_get_autocommit(store->db().handle()) != 0);
}

void tst_AgentStore::secureDeleteIsOn()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto store = openStore(dir);
    QVERIFY(store);
    auto pragma = store->db().prepare("PRAGMA secure_delete", "reading secure_delete");
    QVERIFY(pragma.step());
    QCOMPARE(pragma.columnInt(0), std::int64_t{1});
}

void tst_AgentStore::replacedSecretsLeaveNoTrace()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto store = openStore(dir);
    QVERIFY(store);
    const std::string oldCredential = randomBlob(120);
    const std::string newCredential = randomBlob(120);
    const std::string queued = randomBlob(90);
    UserRecord u;
    u.mapping = {"CONTOSO\\user0001", "USER0001", "HOSTDOM", SyncState::InSync, 0, rpc::Success};
    u.credential = oldCredential;
    store->putUser(u);
    OutboxEntry e;
    e.changeId = "DC1-1";
    e.account = u.mapping.domainAccount;
    e.hostAccount = "USER0001";
    e.target = "HS1";
    e.origin = "DC1";
    e.secret = queued;
    store->enqueue(e);
    checkpoint(*store);
    // The check below would prove nothing if the bytes were never in the file.
    QVERIFY(fileBytes(dir).contains(QByteArray::fromStdString(oldCredential)));
    QVERIFY(fileBytes(dir).contains(QByteArray::fromStdString(queued)));

    u.credential = newCredential;
    store->putUser(u);
    store->remove(e.seq);
    checkpoint(*store);
    const QByteArray bytes = fileBytes(dir);
    QVERIFY(bytes.contains(QByteArray::fromStdString(newCredential)));
    QVERIFY2(!bytes.contains(QByteArray::fromStdString(oldCredential)),
             "a replaced credential is still in agent.db");
    QVERIFY2(!bytes.contains(QByteArray::fromStdString(queued)),
             "a delivered change's password is still in agent.db");
}

QTEST_APPLESS_MAIN(tst_AgentStore)
#include "tst_agentstore.moc"
