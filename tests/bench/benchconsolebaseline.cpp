// hostsec-bench-console-baseline: the Qt floor the console suite compares hostsec-console with
// (benchconsole.cpp), printing JSON lines as `hostsec-console --bench` does.
//   window                  an empty QMainWindow (1440 x 900, the console's first size) with a
//                           QGraphicsView as central widget: "window" when the view's first paint
//                           has completed, then "rss" (VmHWM), then quits.
//   table ROWS WIDTH HEIGHT a bare QTableView over a trivial model of ROWS x 6 whose viewport is
//                           WIDTH x HEIGHT, rows as tall as the console's: the same jumps as the
//                           console (the middle, then 20 random rows, each scrollTo + repaint()).

#include <QAbstractTableModel>
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QHeaderView>
#include <QMainWindow>
#include <QTableView>
#include <QTimer>

#include <cstdio>
#include <random>

#include <time.h>

namespace {

long long monotonicNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<long long>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

long long peakRssKiB()
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

// CPU time of the whole process since it started.
double processCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

void emitLine(const char *milestone, const QString &extra = {})
{
    std::printf("{\"milestone\":\"%s\",\"t_ns\":%lld,\"process_cpu_ms\":%.1f%s}\n", milestone,
                monotonicNs(), processCpuMs(), qPrintable(extra));
    std::fflush(stdout);
}

// An empty view that reports its first completed paint and quits.
class FirstPaintView : public QGraphicsView
{
public:
    using QGraphicsView::QGraphicsView;

protected:
    void paintEvent(QPaintEvent *event) override
    {
        QGraphicsView::paintEvent(event);
        if (m_painted)
            return;
        m_painted = true;
        emitLine("window");
        QTimer::singleShot(0, qApp, [] {
            emitLine("rss", QStringLiteral(",\"vmhwm_kib\":%1").arg(peakRssKiB()));
            QCoreApplication::exit(0);
        });
    }

private:
    bool m_painted = false;
};

// ROWS x 6 cells of short text, computed on demand.
class TrivialModel : public QAbstractTableModel
{
public:
    explicit TrivialModel(int rows)
        : m_rows(rows)
    {}
    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : m_rows;
    }
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : 6;
    }
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role != Qt::DisplayRole)
            return {};
        return QStringLiteral("row %1 column %2").arg(index.row()).arg(index.column());
    }

private:
    int m_rows;
};

int window()
{
    QMainWindow main;
    QGraphicsScene scene;
    main.setCentralWidget(new FirstPaintView(&scene, &main));
    main.resize(1440, 900);
    main.show();
    return QApplication::exec();
}

int table(int rows, int width, int height)
{
    TrivialModel model(rows);
    QTableView view;
    view.setModel(&model);
    view.setWordWrap(false);
    view.setAlternatingRowColors(true);
    view.verticalHeader()->setVisible(false);
    view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view.verticalHeader()->setDefaultSectionSize(view.fontMetrics().height() + 6);
    view.horizontalHeader()->setStretchLastSection(true);
    view.resize(width + 40, height + 60);
    view.show();
    QCoreApplication::processEvents();
    view.resize(view.size() + QSize(width, height) - view.viewport()->size());
    QCoreApplication::processEvents();
    const auto jump = [&](const char *where, int row) {
        QElapsedTimer timer;
        timer.start();
        view.scrollTo(model.index(row, 0), QAbstractItemView::PositionAtCenter);
        view.viewport()->repaint();
        const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        emitLine("jump", QStringLiteral(",\"where\":\"%1\",\"row\":%2,\"ms\":%3")
                             .arg(QLatin1String(where))
                             .arg(row)
                             .arg(ms, 0, 'f', 3));
    };
    if (rows > 0) {
        jump("middle", rows / 2);
        jump("middle again", rows / 2);
        std::mt19937 random(7);
        std::uniform_int_distribution<int> anyRow(0, rows - 1);
        for (int i = 0; i < 20; ++i)
            jump("random", anyRow(random));
    }
    emitLine("rss", QStringLiteral(",\"vmhwm_kib\":%1").arg(peakRssKiB()));
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() == 2 && args[1] == QLatin1String("window"))
        return window();
    if (args.size() == 5 && args[1] == QLatin1String("table"))
        return table(args[2].toInt(), args[3].toInt(), args[4].toInt());
    std::fprintf(stderr,
                 "usage: hostsec-bench-console-baseline window | table ROWS WIDTH HEIGHT\n");
    return 2;
}
