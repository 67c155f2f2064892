// The events model must page lazily over a history of a million events: rowCount from a
// count, data() reading only the page that holds the row, far rows found by time without
// reading what lies above them. These tests count the rows the model reads, compare its rows
// with the store's own keyset order, and check that the filter bar's choices run in SQL.

#include "events/catalogue.h"
#include "events/eventstore.h"
#include "ui/eventfilterbar.h"
#include "ui/eventmodel.h"
#include "ui/eventspane.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace hostsec;
using namespace hostsec::ui;

namespace {

const char *const Servers[] = {"DC1", "HS1", "HS2", "HOST1"};
constexpr Millis Base = 1'790'000'000'000; // 2026-09

// Deterministic events of every catalogue kind, two in each millisecond they happen in.
std::vector<Event> makeEvents(std::int64_t first, int count)
{
    const auto &catalogue = eventCatalogue();
    std::vector<Event> out;
    out.reserve(static_cast<std::size_t>(count));
    for (int k = 0; k < count; ++k) {
        const std::int64_t i = first + k;
        const CatalogueEntry &c = catalogue[static_cast<std::size_t>(
            (i * 11 + i / 97) % static_cast<std::int64_t>(catalogue.size()))];
        const std::string server = Servers[i % 4];
        std::vector<std::string> params = {i % 3 ? "6BE" : "5", "The remote procedure call failed.",
                                           "HS" + std::to_string(i % 2 + 1),
                                           "user" + std::to_string(i % 50), std::to_string(i)};
        Event e = makeEvent(c.id, server, params, Base + (i / 2) * 5);
        e.originSeq = i + 1;
        out.push_back(std::move(e));
    }
    return out;
}

std::unique_ptr<EventStore> fill(const QString &path, std::int64_t rows)
{
    auto store = EventStore::open(path.toStdString());
    if (!store)
        qFatal("cannot open %s: %s", qPrintable(path), store.error().message.c_str());
    for (std::int64_t done = 0; done < rows; done += 10000) {
        auto batch = makeEvents(done, static_cast<int>(std::min<std::int64_t>(10000, rows - done)));
        auto n = store.value()->append(batch);
        if (!n)
            qFatal("append failed: %s", n.error().message.c_str());
    }
    return std::move(store.value());
}

std::int64_t bigRows()
{
    const QByteArray env = qgetenv("HOSTSEC_BIG_HISTORY");
    if (!env.isEmpty())
        return env.toLongLong();
#if defined(__SANITIZE_ADDRESS__)
    return 200'000; // a million takes minutes under ASan; the release bench uses a million
#else
    return 1'000'000;
#endif
}

// The store's own newest-first order, `count` rows from `start`, walked by keyset.
std::vector<Event> storeRows(EventStore &store, const EventFilter &f, int start, int count)
{
    std::vector<Event> all;
    PageRequest p;
    p.limit = EventStore::MaxPageSize;
    while (static_cast<int>(all.size()) < start + count) {
        auto r = store.query(f, p);
        if (!r || r->empty())
            break;
        all.insert(all.end(), r->begin(), r->end());
        p.before = EventCursor{all.back().time, all.back().seq};
    }
    const auto from = std::min(all.size(), static_cast<std::size_t>(start));
    const auto to = std::min(all.size(), static_cast<std::size_t>(start + count));
    return std::vector<Event>(all.begin() + static_cast<std::ptrdiff_t>(from),
                              all.begin() + static_cast<std::ptrdiff_t>(to));
}

} // namespace

class tst_EventModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void rowsMatchTheStoreOrder();
    void readsOnlyThePagesAskedFor();
    void farRowsAreFoundWithoutReadingAbove();
    void farRowsThroughTheRowDirectory();
    void rowDirectoryFollowsLiveTail();
    void filterBarRunsInSql_data();
    void filterBarRunsInSql();
    void liveTailPutsNewEventsOnTop();
    void liveTailOffCountsWhatWaits();

private:
    QTemporaryDir m_dir;
    QString m_bigPath;
    std::unique_ptr<EventStore> m_big;
    std::int64_t m_rows = 0;
};

void tst_EventModel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_rows = bigRows();
    m_bigPath = m_dir.filePath(QStringLiteral("big.db"));
    QElapsedTimer t;
    t.start();
    m_big = fill(m_bigPath, m_rows);
    qInfo("generated %lld events in %lld ms", static_cast<long long>(m_rows),
          static_cast<long long>(t.elapsed()));
}

void tst_EventModel::cleanupTestCase()
{
    m_big.reset();
}

void tst_EventModel::rowsMatchTheStoreOrder()
{
    // A small history, under the model tester: every row is the store's row, in order.
    const QString path = m_dir.filePath(QStringLiteral("small.db"));
    auto store = fill(path, 3000);
    EventModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.open(path));
    QCOMPARE(model.rowCount(), 3000);
    const auto expected = storeRows(*store, {}, 0, 3000);
    for (int row = 0; row < 3000; row += 37) {
        const Event *e = model.eventAt(row);
        QVERIFY2(e, qPrintable(QString::number(row)));
        QCOMPARE(e->seq, expected[static_cast<std::size_t>(row)].seq);
    }
    // Backwards, so pages are found from the page below them.
    for (int row = 2999; row >= 0; row -= 101)
        QCOMPARE(model.eventAt(row)->seq, expected[static_cast<std::size_t>(row)].seq);
    QCOMPARE(model.index(0, EventModel::ServerColumn).data().toString(),
             QString::fromStdString(expected[0].server));
}

void tst_EventModel::readsOnlyThePagesAskedFor()
{
    EventModel model;
    QVERIFY(model.open(m_bigPath));
    QCOMPARE(model.totalCount(), m_rows);
    QCOMPARE(model.rowCount(), static_cast<int>(m_rows));
    model.resetFetchedRows();

    // A view showing the top of the table reads one page.
    QTableView view;
    view.setModel(&model);
    view.resize(800, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCoreApplication::processEvents();
    QVERIFY2(model.fetchedRows() <= EventModel::PageSize + 2,
             qPrintable(QString::number(model.fetchedRows())));

    // Scrolling a few pages down reads those pages and nothing else.
    const qint64 before = model.fetchedRows();
    for (int row = EventModel::PageSize; row < 5 * EventModel::PageSize; row += 10)
        QVERIFY(model.index(row, EventModel::MessageColumn).data().isValid());
    QCOMPARE(model.fetchedRows() - before, 4 * EventModel::PageSize);

    // Rows already seen come from the page cache.
    const qint64 cached = model.fetchedRows();
    for (int row = 0; row < 5 * EventModel::PageSize; row += 3)
        model.index(row, EventModel::TimeColumn).data();
    QCOMPARE(model.fetchedRows(), cached);
}

void tst_EventModel::farRowsAreFoundWithoutReadingAbove()
{
    EventModel model;
    QVERIFY(model.open(m_bigPath));
    const int rows = model.rowCount();
    for (int row :
         {rows / 2, rows - 1, rows / 3 + 17, 123457 % rows, rows - EventModel::PageSize - 5}) {
        model.resetFetchedRows();
        QElapsedTimer t;
        t.start();
        const Event *e = model.eventAt(row);
        QVERIFY2(e, qPrintable(QString::number(row)));
        // One page, two probes for the time range and the rows sharing the found millisecond.
        QVERIFY2(
            model.fetchedRows() <= 2 * EventModel::PageSize + 2,
            qPrintable(QStringLiteral("row %1 read %2 rows").arg(row).arg(model.fetchedRows())));
        // It is the right row: as many events are newer than it as its row number says.
        EventFilter newer;
        newer.from = e->time + 1;
        EventFilter sameOrNewer;
        sameOrNewer.from = e->time;
        const auto above = m_big->count(newer);
        const auto atOrAbove = m_big->count(sameOrNewer);
        QVERIFY(above && atOrAbove);
        QVERIFY2(*above <= row && row < *atOrAbove,
                 qPrintable(QStringLiteral("row %1 has time %2: %3 newer, %4 at or newer")
                                .arg(row)
                                .arg(e->time)
                                .arg(*above)
                                .arg(*atOrAbove)));
        // And its page continues in the store's order.
        PageRequest next;
        next.before = EventCursor{e->time, e->seq};
        next.limit = 3;
        auto after = m_big->query({}, next);
        QVERIFY(after);
        for (int k = 0; k < static_cast<int>(after->size()) && row + 1 + k < rows; ++k)
            QCOMPARE(model.eventAt(row + 1 + k)->seq, (*after)[static_cast<std::size_t>(k)].seq);
        qInfo("row %d found in %lld ms", row, static_cast<long long>(t.elapsed()));
    }
}

void tst_EventModel::farRowsThroughTheRowDirectory()
{
    // After a reset a worker thread counts the rows of the view's time slices; a far row then
    // costs a few counts inside one slice and one page read, without probing the ends.
    EventModel model;
    QSignalSpy ready(&model, &EventModel::rowDirectoryReady);
    QVERIFY(model.open(m_bigPath));
    QTRY_VERIFY_WITH_TIMEOUT(model.hasRowDirectory(), 120000);
    QVERIFY(ready.count() >= 1);
    const int rows = model.rowCount();
    for (int row : {rows / 2, rows - 1, rows / 3 + 17, rows - EventModel::PageSize - 5}) {
        model.resetFetchedRows();
        const Event *e = model.eventAt(row);
        QVERIFY2(e, qPrintable(QString::number(row)));
        QVERIFY2(
            model.fetchedRows() <= EventModel::PageSize + 2,
            qPrintable(QStringLiteral("row %1 read %2 rows").arg(row).arg(model.fetchedRows())));
        EventFilter newer;
        newer.from = e->time + 1;
        EventFilter sameOrNewer;
        sameOrNewer.from = e->time;
        const auto above = m_big->count(newer);
        const auto atOrAbove = m_big->count(sameOrNewer);
        QVERIFY(above && atOrAbove);
        QVERIFY2(*above <= row && row < *atOrAbove,
                 qPrintable(QStringLiteral("row %1 has time %2: %3 newer, %4 at or newer")
                                .arg(row)
                                .arg(e->time)
                                .arg(*above)
                                .arg(*atOrAbove)));
    }
}

void tst_EventModel::rowDirectoryFollowsLiveTail()
{
    // New events on top shift every slice by as many rows: the directory is kept, and far rows
    // found through it are still the store's rows.
    const QString path = m_dir.filePath(QStringLiteral("directory.db"));
    auto store = fill(path, 20000);
    EventModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.open(path));
    QTRY_VERIFY_WITH_TIMEOUT(model.hasRowDirectory(), 60000);

    auto more = makeEvents(20000, 50);
    for (Event &e : more)
        e.time += 60'000; // later than everything there
    QVERIFY(store->append(more));
    model.historyGrew();
    QTRY_COMPARE(model.rowCount(), 20050);
    QVERIFY(model.hasRowDirectory());
    for (int row : {10000, 15000, 20049}) {
        const auto expected = storeRows(*store, {}, row, 1);
        QCOMPARE(expected.size(), std::size_t(1));
        QCOMPARE(model.eventAt(row)->seq, expected.front().seq);
    }
}

void tst_EventModel::filterBarRunsInSql_data()
{
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("ids");
    QTest::addColumn<int>("severity"); // index in the severity box
    QTest::addColumn<QString>("text");

    QTest::newRow("nothing") << QString() << QString() << QString() << 0 << QString();
    QTest::newRow("server") << QStringLiteral("HS1") << QString() << QString() << 0 << QString();
    QTest::newRow("source") << QString() << QStringLiteral("binding") << QString() << 0
                            << QString();
    QTest::newRow("ids") << QString() << QString() << QStringLiteral("630, 401") << 0 << QString();
    QTest::newRow("errors") << QString() << QString() << QString() << 4 << QString();
    QTest::newRow("warnings and worse on DC1")
        << QStringLiteral("DC1") << QString() << QString() << 1 << QString();
    QTest::newRow("text") << QString() << QString() << QString() << 0
                          << QStringLiteral("remote procedure");
    QTest::newRow("all together") << QStringLiteral("HS2") << QStringLiteral("domain-account-sync")
                                  << QStringLiteral("630") << 4 << QStringLiteral("6BE");
}

void tst_EventModel::filterBarRunsInSql()
{
    QFETCH(QString, server);
    QFETCH(QString, source);
    QFETCH(QString, ids);
    QFETCH(int, severity);
    QFETCH(QString, text);

    EventsPane pane;
    pane.setServers({QStringLiteral("DC1"), QStringLiteral("HS1"), QStringLiteral("HS2"),
                     QStringLiteral("HOST1")});
    QVERIFY(pane.openHistory(m_bigPath));
    auto *bar = pane.filterBar();
    auto *serverBox = bar->findChild<QComboBox *>(QStringLiteral("serverFilter"));
    auto *sourceBox = bar->findChild<QComboBox *>(QStringLiteral("sourceFilter"));
    auto *severityBox = bar->findChild<QComboBox *>(QStringLiteral("severityFilter"));
    auto *idsEdit = bar->findChild<QLineEdit *>(QStringLiteral("idFilter"));
    auto *textEdit = bar->findChild<QLineEdit *>(QStringLiteral("textFilter"));
    QVERIFY(serverBox && sourceBox && severityBox && idsEdit && textEdit);
    serverBox->setCurrentIndex(std::max(0, serverBox->findData(server)));
    sourceBox->setCurrentIndex(std::max(0, sourceBox->findData(source)));
    severityBox->setCurrentIndex(severity);
    QTest::keyClicks(idsEdit, ids);
    QTest::keyClicks(textEdit, text);

    // What the widgets mean, said directly to the store.
    EventFilter expected;
    if (!server.isEmpty())
        expected.servers = {server.toStdString()};
    if (!source.isEmpty())
        expected.sources = {source.toStdString()};
    if (ids == QLatin1String("630, 401"))
        expected.ids = {630, 401};
    else if (!ids.isEmpty())
        expected.ids = {ids.toInt()};
    if (severity == 1)
        expected.severities = {Severity::Warning, Severity::Error, Severity::AuditFailure};
    else if (severity == 4)
        expected.severities = {Severity::Error};
    expected.text = text.toStdString();
    const auto count = m_big->count(expected);
    QVERIFY(count);

    // Typing is debounced; wait until the model runs the filter.
    QTRY_COMPARE(pane.model()->filter().text, expected.text);
    QTRY_COMPARE(pane.model()->filter().ids, expected.ids);
    QCOMPARE(pane.model()->filter().servers, expected.servers);
    QCOMPARE(pane.model()->filter().sources, expected.sources);
    QCOMPARE(pane.model()->filter().severities, expected.severities);
    QCOMPARE(pane.model()->totalCount(), *count);
    const auto first = storeRows(*m_big, expected, 0, 300);
    QCOMPARE(static_cast<qint64>(first.size()), std::min<qint64>(300, *count));
    for (std::size_t i = 0; i < first.size(); ++i)
        QCOMPARE(pane.model()->eventAt(static_cast<int>(i))->seq, first[i].seq);
}

void tst_EventModel::liveTailPutsNewEventsOnTop()
{
    const QString path = m_dir.filePath(QStringLiteral("live.db"));
    auto store = fill(path, 500);
    EventModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.open(path));
    QCOMPARE(model.rowCount(), 500);
    const std::int64_t oldTop = model.eventAt(0)->seq;

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    auto more = makeEvents(500, 25);
    for (Event &e : more)
        e.time += 60'000; // later than everything there
    QVERIFY(store->append(more));
    model.historyGrew();
    QTRY_COMPARE(model.rowCount(), 525);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 24);
    QCOMPARE(model.eventAt(25)->seq, oldTop);
    QCOMPARE(model.eventAt(0)->originSeq, more.back().originSeq);
}

void tst_EventModel::liveTailOffCountsWhatWaits()
{
    const QString path = m_dir.filePath(QStringLiteral("frozen.db"));
    auto store = fill(path, 400);
    EventModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.open(path));
    model.setLiveTail(false);
    const std::int64_t top = model.eventAt(0)->seq;
    auto more = makeEvents(400, 10);
    for (Event &e : more)
        e.time += 60'000;
    QVERIFY(store->append(more));
    model.historyGrew();
    QTRY_COMPARE(model.pendingRows(), 10);
    QCOMPARE(model.rowCount(), 400);
    QCOMPARE(model.eventAt(0)->seq, top); // the rows stay put
    model.setLiveTail(true);
    QCOMPARE(model.rowCount(), 410);
    QCOMPARE(model.pendingRows(), 0);
}

QTEST_MAIN(tst_EventModel)
#include "tst_eventmodel.moc"
