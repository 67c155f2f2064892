// Why this test exists: the fuzz targets run only under ./dev fuzz (clang, libFuzzer). Their
// seed corpus holds the inputs that matter most, valid ones and every input a fuzzer once
// found a bug with; this runs each of them once through the same entry function, in the
// normal build, so a regression on a known input fails ctest in seconds. A finding aborts
// (see fuzztarget.h), which fails the test with the finding printed.

#include "fuzztarget.h"

#include <QDir>
#include <QFile>
#include <QTest>

namespace {

using Entry = int (*)(const std::uint8_t *, std::size_t);

struct Target
{
    const char *name; // its folder in the corpus
    Entry entry;
};

constexpr Target kTargets[] = {
    {"jsonrpc", hostsec::fuzz::jsonRpc},         {"http", hostsec::fuzz::httpRequest},
    {"handshake", hostsec::fuzz::bindHandshake}, {"config", hostsec::fuzz::agentConfig},
    {"eventformat", hostsec::fuzz::eventFormat}, {"modeljson", hostsec::fuzz::modelJson}};

} // namespace

class tst_FuzzCorpus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyTargetHasSeeds();
    void seedPasses_data();
    void seedPasses();
};

void tst_FuzzCorpus::everyTargetHasSeeds()
{
    for (const Target &t : kTargets) {
        const QDir dir(QStringLiteral(HOSTSEC_FUZZ_CORPUS "/") + QLatin1String(t.name));
        QVERIFY2(dir.entryList(QDir::Files).size() >= 3,
                 qPrintable(dir.path() + QStringLiteral(": fewer than 3 seeds")));
    }
}

void tst_FuzzCorpus::seedPasses_data()
{
    QTest::addColumn<int>("target");
    QTest::addColumn<QString>("file");
    for (int i = 0; i < static_cast<int>(std::size(kTargets)); ++i) {
        const QDir dir(QStringLiteral(HOSTSEC_FUZZ_CORPUS "/") + QLatin1String(kTargets[i].name));
        for (const QString &file : dir.entryList(QDir::Files, QDir::Name))
            QTest::newRow(qPrintable(QLatin1String(kTargets[i].name) + u'/' + file))
                << i << dir.filePath(file);
    }
}

void tst_FuzzCorpus::seedPasses()
{
    QFETCH(int, target);
    QFETCH(QString, file);
    QFile f(file);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(file + u": " + f.errorString()));
    const QByteArray input = f.readAll();
    const auto *data = reinterpret_cast<const std::uint8_t *>(input.constData());
    QCOMPARE(kTargets[target].entry(data, static_cast<std::size_t>(input.size())), 0);
}

QTEST_APPLESS_MAIN(tst_FuzzCorpus)
#include "tst_fuzzcorpus.moc"
