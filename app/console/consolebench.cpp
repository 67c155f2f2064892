// The opt-in self-measurement of hostsec-console (--bench): see consolebench.h. It only reads the
// window's public parts and drives the filter bar and the events table as a user would.

#include "consolebench.h"

#include "ui/eventfilterbar.h"
#include "ui/eventmodel.h"
#include "ui/eventspane.h"
#include "ui/mainwindow.h"
#include "ui/session.h"
#include "ui/topologyscene.h"
#include "ui/topologyview.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QCoreApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <random>
#include <vector>

#include <time.h>
#include <unistd.h>

namespace hostsec::console {

namespace {

constexpr int TopologyTimeoutMs = 180000; // 500 agents on a loaded machine can take a while
constexpr int HistoryTimeoutMs = 180000;
constexpr int StepTimeoutMs = 60000;
constexpr int QuietMs = 1000; // the backfill is done when the history has not grown this long
constexpr int BackfillStartMs = 2000; // after the topology, backfills start within this long
constexpr int PollMs = 50;
constexpr int RandomJumps = 20;

qint64 monotonicNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<qint64>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// CPU time of the calling thread: what a step cost the GUI thread itself, whatever else the
// machine runs.
qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<qint64>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Milliseconds since the kernel started this process: field 22 of /proc/self/stat is the start
// in clock ticks after boot, and CLOCK_BOOTTIME counts from boot too.
double sinceStartMs()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = stat.readAll();
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    constexpr int StartTimeField = 22 - 3; // fields[0] is field 3
    if (fields.size() <= StartTimeField)
        return -1;
    const double startSeconds = static_cast<double>(fields[StartTimeField].toLongLong()) /
                                static_cast<double>(sysconf(_SC_CLK_TCK));
    timespec boot{};
    clock_gettime(CLOCK_BOOTTIME, &boot);
    return (static_cast<double>(boot.tv_sec) + static_cast<double>(boot.tv_nsec) / 1e9 -
            startSeconds) *
           1000.0;
}

// VmHWM of /proc/self/status, in KiB.
qint64 peakRssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').front().toLongLong();
    }
    return -1;
}

// CPU time of the whole process (every thread) since it started.
double processCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// One JSON line on stdout; `extra` is more members, each starting with a comma.
void emitLine(const char *milestone, const QString &extra = {})
{
    std::printf("{\"milestone\":\"%s\",\"t_ns\":%lld,\"since_start_ms\":%.1f,"
                "\"process_cpu_ms\":%.1f%s}\n",
                milestone, static_cast<long long>(monotonicNs()), sinceStartMs(), processCpuMs(),
                qPrintable(extra));
    std::fflush(stdout);
}

QString member(const char *name, qint64 value)
{
    return QStringLiteral(",\"%1\":%2").arg(QLatin1String(name)).arg(value);
}

QString member(const char *name, double value)
{
    return QStringLiteral(",\"%1\":%2").arg(QLatin1String(name)).arg(value, 0, 'f', 3);
}

QString member(const char *name, const QString &value)
{
    return QStringLiteral(",\"%1\":\"%2\"").arg(QLatin1String(name), value);
}

// Calls `painted` each time a paint of the widget has completed. The widget paints inside the
// filter (the same paint event sent on while the filter lets it through), so the time taken
// after it includes the whole paint, and no other event can run in between.
class PaintProbe : public QObject
{
public:
    PaintProbe(QWidget *widget, std::function<void()> painted)
        : QObject(widget)
        , m_painted(std::move(painted))
    {
        widget->installEventFilter(this);
    }

    /// How long the last paint took, and the CPU time it took.
    double lastPaintMs() const { return m_lastPaintMs; }
    double lastPaintCpuMs() const { return m_lastPaintCpuMs; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() != QEvent::Paint || m_inside)
            return false;
        m_inside = true;
        const qint64 start = monotonicNs();
        const qint64 cpu = threadCpuNs();
        QCoreApplication::sendEvent(watched, event);
        m_lastPaintMs = static_cast<double>(monotonicNs() - start) / 1e6;
        m_lastPaintCpuMs = static_cast<double>(threadCpuNs() - cpu) / 1e6;
        m_inside = false;
        m_painted();
        return true; // painted already
    }

private:
    std::function<void()> m_painted;
    bool m_inside = false;
    double m_lastPaintMs = 0;
    double m_lastPaintCpuMs = 0;
};

/// The script: topology, history, filter changes, jumps, peak RSS, quit.
class BenchScript : public QObject
{
public:
    explicit BenchScript(ui::MainWindow &window)
        : QObject(&window)
        , m_window(window)
        , m_events(*window.eventsPane())
    {
        m_topologyProbe =
            new PaintProbe(window.topologyView()->viewport(), [this] { topologyPainted(); });
        new PaintProbe(m_events.table()->viewport(), [this] { tablePainted(); });
        connect(window.session(), &ui::Session::historyGrew, this, [this](int appended) {
            m_lastGrowthMs = m_clock.elapsed();
            m_backfilled += appended;
        });
        connect(m_events.model(), &QAbstractItemModel::modelAboutToBeReset, this, [this] {
            if (m_stampAtReset && m_stepStartNs == 0) {
                m_stepStartNs = monotonicNs();
                m_stepCpuNs = threadCpuNs();
            }
        });
        m_clock.start();
        deadline(TopologyTimeoutMs, "topology");
    }

private:
    // ---- topology ---------------------------------------------------------------------------

    // Every agent's status and bindings have arrived and the scene holds every server.
    bool topologyComplete() const
    {
        const ui::Session &session = *m_window.session();
        if (!session.isOpen() || session.agents().isEmpty())
            return false;
        for (const ui::AgentState &a : session.agents()) {
            if (!a.reachable || a.server.instanceId.empty())
                return false;
        }
        return session.reportedBindings() == session.agents().size() &&
               m_window.topologyScene()->nodeCount() == session.agents().size() &&
               static_cast<std::size_t>(m_window.topologyScene()->edgeCount()) ==
                   session.domain().bindings.size();
    }

    void topologyPainted()
    {
        if (m_stage != Stage::Topology)
            return;
        if (!m_windowPainted) {
            m_windowPainted = true;
            emitLine("window", member("nodes", qint64{m_window.topologyScene()->nodeCount()}) +
                                   member("paint_ms", m_topologyProbe->lastPaintMs()) +
                                   member("paint_cpu_ms", m_topologyProbe->lastPaintCpuMs()));
        }
        if (!topologyComplete())
            return;
        const ui::Session &session = *m_window.session();
        emitLine("topology", member("nodes", qint64{m_window.topologyScene()->nodeCount()}) +
                                 member("edges", qint64{m_window.topologyScene()->edgeCount()}) +
                                 member("agents", qint64{session.agents().size()}) +
                                 member("paint_ms", m_topologyProbe->lastPaintMs()) +
                                 member("paint_cpu_ms", m_topologyProbe->lastPaintCpuMs()));
        m_stage = Stage::History;
        m_topologyMs = m_clock.elapsed();
        m_topologyProbe->deleteLater();
        QTimer::singleShot(0, this, [this] { waitForHistory(); });
    }

    // ---- history ----------------------------------------------------------------------------

    void waitForHistory()
    {
        deadline(HistoryTimeoutMs, "history");
        if (auto *dock = m_window.findChild<QDockWidget *>(QStringLiteral("eventsDock"))) {
            dock->show();
            dock->raise();
        }
        m_tablePaintedAt = -1;
        poll([this] {
            const ui::EventModel &model = *m_events.model();
            const qint64 now = m_clock.elapsed();
            // The session backfills the history after the first round of polls: quiet means
            // no growth for QuietMs, counted from the latest of the last growth and the time
            // the backfills have surely started by.
            const bool quiet =
                now - std::max(m_lastGrowthMs, m_topologyMs + BackfillStartMs) >= QuietMs;
            if (!model.isOpen() || !quiet || m_tablePaintedAt < 0 ||
                m_tablePaintedAt < m_lastGrowthMs)
                return false;
            emitLine("history",
                     member("rows", model.totalCount()) + member("backfilled", m_backfilled) +
                         member("table_width", qint64{m_events.table()->viewport()->width()}) +
                         member("table_height", qint64{m_events.table()->viewport()->height()}));
            startFilters();
            return true;
        });
    }

    // ---- filter changes ---------------------------------------------------------------------

    struct FilterStep
    {
        QString name;
        bool debounced; // typed text: timed from the end of the filter bar's typing pause
        std::function<void()> apply;
    };

    void startFilters()
    {
        m_stage = Stage::Filters;
        ui::EventFilterBar *bar = m_events.filterBar();
        auto *server = bar->findChild<QComboBox *>(QStringLiteral("serverFilter"));
        auto *severity = bar->findChild<QComboBox *>(QStringLiteral("severityFilter"));
        auto *ids = bar->findChild<QLineEdit *>(QStringLiteral("idFilter"));
        auto *text = bar->findChild<QLineEdit *>(QStringLiteral("textFilter"));
        auto *clear = bar->findChild<QAbstractButton *>(QStringLiteral("clearFilter"));
        if (!server || !severity || !ids || !text || !clear) {
            emitLine("timeout", member("step", QStringLiteral("filter bar widgets not found")));
            QCoreApplication::exit(2);
            return;
        }
        // A server in the middle of the profile: one of many hosts.
        const auto &agents = m_window.session()->agents();
        const QString serverName = agents.at(agents.size() / 2).name;
        const int serverIndex = server->findData(serverName);
        const auto clearAll = [clear] { clear->click(); };
        m_steps = {
            {QStringLiteral("server ") + serverName, false,
             [server, serverIndex] { server->setCurrentIndex(serverIndex); }},
            {QStringLiteral("clear"), false, clearAll},
            {QStringLiteral("severity warnings and errors"), false,
             [severity] { severity->setCurrentIndex(1); }},
            {QStringLiteral("clear"), false, clearAll},
            {QStringLiteral("event id 630"), true, [ids] { ids->setText(QStringLiteral("630")); }},
            {QStringLiteral("clear"), false, clearAll},
            {QStringLiteral("text user1234"), true,
             [text] { text->setText(QStringLiteral("user1234")); }},
            {QStringLiteral("clear"), false, clearAll},
        };
        m_step = 0;
        connect(m_events.model(), &ui::EventModel::rowDirectoryReady, this, [this] {
            if (m_stepStartNs > 0)
                m_directoryNs = monotonicNs() - m_stepStartNs;
        });
        whenSettled([this] { nextFilter(); });
    }

    // The events view is settled when far rows are found through its row directory, or it
    // needs none: as when a user pauses after a change, so one step's background work does
    // not run into the next step's measurement.
    bool settled() const
    {
        const ui::EventModel &model = *m_events.model();
        return model.hasRowDirectory() || model.totalCount() <= ui::EventModel::MaxWalkRows ||
               !model.filter().text.empty();
    }

    void whenSettled(std::function<void()> next)
    {
        deadline(StepTimeoutMs, "settle");
        poll([this, next = std::move(next)] {
            if (!settled())
                return false;
            QTimer::singleShot(0, this, next);
            return true;
        });
    }

    void nextFilter()
    {
        if (m_step > 0) { // the last step's view is settled now
            emitLine("directory",
                     member("filter", m_steps[m_step - 1].name) +
                         member("ms", static_cast<double>(m_directoryNs) / 1e6) +
                         member("built", qint64{m_events.model()->hasRowDirectory() ? 1 : 0}));
        }
        if (m_step >= m_steps.size()) {
            m_stage = Stage::Jumps;
            QTimer::singleShot(0, this, [this] { jumps(); });
            return;
        }
        deadline(StepTimeoutMs, "filter");
        m_directoryNs = 0;
        const FilterStep &step = m_steps[m_step];
        m_stampAtReset = step.debounced;
        m_stepStartNs = step.debounced ? 0 : monotonicNs();
        m_stepCpuNs = threadCpuNs();
        m_waitingForPage = true;
        m_resetSeen = false;
        m_resetConnection = connect(m_events.model(), &QAbstractItemModel::modelReset, this,
                                    [this] { m_resetSeen = true; });
        step.apply();
    }

    void tablePainted()
    {
        m_tablePaintedAt = m_clock.elapsed();
        if (m_stage != Stage::Filters || !m_waitingForPage || !m_resetSeen)
            return;
        const qint64 doneNs = monotonicNs();
        m_waitingForPage = false;
        disconnect(m_resetConnection);
        const ui::EventModel &model = *m_events.model();
        emitLine("filter",
                 member("filter", m_steps[m_step].name) +
                     member("ms", static_cast<double>(doneNs - m_stepStartNs) / 1e6) +
                     member("cpu_ms", static_cast<double>(threadCpuNs() - m_stepCpuNs) / 1e6) +
                     member("rows", model.totalCount()) +
                     member("debounced", qint64{m_steps[m_step].debounced ? 1 : 0}));
        ++m_step;
        if (m_step == m_steps.size()) {
            // The last step shows every event again: one jump before its row directory is
            // built, as a user who grabs the scroll bar at once would see it.
            const int rows = m_events.model()->rowCount();
            QTimer::singleShot(0, this, [this, rows] {
                if (rows > 0)
                    reportJump("before directory", rows / 3, jumpTo(rows / 3));
                whenSettled([this] { nextFilter(); });
            });
            return;
        }
        QTimer::singleShot(0, this, [this] { whenSettled([this] { nextFilter(); }); });
    }

    // ---- jumps ------------------------------------------------------------------------------

    struct Jump
    {
        double ms;    // wall clock
        double cpuMs; // the GUI thread's CPU time
    };

    // Scrolls the events table to `row` and repaints its viewport at once; the time both take.
    Jump jumpTo(int row)
    {
        QTableView *table = m_events.table();
        const qint64 cpu = threadCpuNs();
        QElapsedTimer timer;
        timer.start();
        table->scrollTo(m_events.model()->index(row, 0), QAbstractItemView::PositionAtCenter);
        table->viewport()->repaint();
        return {static_cast<double>(timer.nsecsElapsed()) / 1e6,
                static_cast<double>(threadCpuNs() - cpu) / 1e6};
    }

    void reportJump(const char *where, int row, Jump jump)
    {
        const bool shown = m_events.model()->eventAt(row) != nullptr;
        emitLine("jump", member("where", QString::fromLatin1(where)) + member("row", qint64{row}) +
                             member("ms", jump.ms) + member("cpu_ms", jump.cpuMs) +
                             member("shown", qint64{shown ? 1 : 0}));
    }

    void jumps()
    {
        deadline(StepTimeoutMs, "jump");
        const int rows = m_events.model()->rowCount();
        if (rows > 0) {
            const int middle = rows / 2;
            reportJump("middle", middle, jumpTo(middle));
            reportJump("middle again", middle, jumpTo(middle));
            std::mt19937 random(7);
            std::uniform_int_distribution<int> anyRow(0, rows - 1);
            for (int i = 0; i < RandomJumps; ++i) {
                const int row = anyRow(random);
                reportJump("random", row, jumpTo(row));
            }
        }
        m_stage = Stage::Done;
        emitLine("rss", member("vmhwm_kib", peakRssKiB()));
        QCoreApplication::exit(0);
    }

    // ---- helpers ----------------------------------------------------------------------------

    // Calls `check` every PollMs until it returns true.
    void poll(std::function<bool()> check)
    {
        auto *timer = new QTimer(this);
        timer->setInterval(PollMs);
        connect(timer, &QTimer::timeout, this, [timer, check = std::move(check)] {
            if (check())
                timer->deleteLater();
        });
        timer->start();
    }

    // Quits with a "timeout" line if the stage has not moved on within `ms`.
    void deadline(int ms, const char *what)
    {
        const int generation = ++m_deadlineGeneration;
        QTimer::singleShot(ms, this, [this, generation, what] {
            if (generation != m_deadlineGeneration || m_stage == Stage::Done)
                return;
            emitLine("timeout", member("step", QString::fromLatin1(what)));
            QCoreApplication::exit(2);
        });
    }

    enum class Stage
    {
        Topology,
        History,
        Filters,
        Jumps,
        Done
    };

    ui::MainWindow &m_window;
    ui::EventsPane &m_events;
    PaintProbe *m_topologyProbe = nullptr;
    QElapsedTimer m_clock;
    Stage m_stage = Stage::Topology;
    bool m_windowPainted = false;
    qint64 m_lastGrowthMs = -1;
    qint64 m_topologyMs = 0;
    qint64 m_tablePaintedAt = -1;
    qint64 m_backfilled = 0;
    std::vector<FilterStep> m_steps;
    std::size_t m_step = 0;
    qint64 m_stepStartNs = 0;
    qint64 m_stepCpuNs = 0;
    qint64 m_directoryNs = 0; // the step's start to its row directory
    bool m_stampAtReset = false;
    bool m_waitingForPage = false;
    bool m_resetSeen = false;
    QMetaObject::Connection m_resetConnection;
    int m_deadlineGeneration = 0;
};

} // namespace

void startBench(ui::MainWindow &window)
{
    new BenchScript(window); // a child of the window
}

} // namespace hostsec::console
