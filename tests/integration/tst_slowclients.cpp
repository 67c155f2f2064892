// Why: an agent on the network must not be held hostage by clients that send a request one byte
// at a time (slowloris). A thousand of them against a real hostsecd must each be dropped by the
// read deadline (a request must arrive whole within 10 s, core/net/transport.h), not served and
// not kept, while a legitimate client is answered all along; afterwards the agent holds no
// more connections than before. How fast the legitimate client is served meanwhile is a figure
// for `hostsec-bench`, not an assertion here.

#include <utility> // before Asio: Boost 1.74 forgets it

#include "client/agentclient.h"

#include <QDir>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <vector>

using namespace hostsec;
using namespace std::chrono_literals;

namespace {

constexpr int Tricklers = 1000;
constexpr auto ReadDeadline = 10s;   // net::Limits::readTimeout, the agent's default
constexpr auto DropDeadline = 40s;   // every trickler gone by then, or the test fails
constexpr auto TrickleEvery = 500ms; // one more header byte per connection
constexpr auto EarliestDrop = 9s;    // a drop before this was not the deadline's
using Clock = std::chrono::steady_clock;

struct Trickler
{
    int fd = -1;
    Clock::time_point opened;
    Clock::time_point dropped;
    bool gone = false;
};

// A blocking connect to 127.0.0.1:port, then non-blocking: -1 on failure.
int connectTo(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&to), sizeof to) != 0) {
        ::close(fd);
        return -1;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

// Whether the agent has closed `fd`: end of stream or a reset. Whatever it sent first (an
// error answer) is read and dropped.
bool closedByPeer(int fd)
{
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n > 0)
            continue;
        if (n == 0)
            return true;
        return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
    }
}

int openDescriptors(qint64 pid)
{
    const QDir fds(QStringLiteral("/proc/%1/fd").arg(pid));
    return static_cast<int>(fds.entryList(QDir::NoDotAndDotDot | QDir::AllEntries).size());
}

} // namespace

class tst_SlowClients : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QProcess m_agent;
    quint16 m_port = 0;

    client::AgentClient api() { return client::AgentClient({"127.0.0.1", m_port}, 5s); }

private Q_SLOTS:
    void initTestCase()
    {
        // A thousand connections need a thousand descriptors here and in the agent, which
        // inherits the limit.
        rlimit files{};
        QCOMPARE(::getrlimit(RLIMIT_NOFILE, &files), 0);
        if (files.rlim_cur < 4 * Tricklers) {
            files.rlim_cur = std::min<rlim_t>(files.rlim_max, 4 * Tricklers);
            QCOMPARE(::setrlimit(RLIMIT_NOFILE, &files), 0);
        }
        if (files.rlim_cur < 2 * Tricklers + 100)
            QSKIP("the descriptor limit (ulimit -Hn) is below what 1,000 connections need");

        QVERIFY(m_dir.isValid());
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        m_port = probe.serverPort();
        probe.close();
        QFile config(m_dir.filePath(QStringLiteral("hostsecd.toml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral("[server]\nname = \"HOST1\"\nlisten = \"127.0.0.1:%1\"\n"
                                    "[services]\nhost = true\n[demo]\nusers = 3\n"
                                    "[tls]\nplaintext = true\n")
                         .arg(m_port)
                         .toUtf8());
        config.close();
        const QString bin =
            qEnvironmentVariable("HOSTSEC_BIN_DIR", QCoreApplication::applicationDirPath());
        m_agent.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_agent.setWorkingDirectory(m_dir.path());
        m_agent.start(bin + QStringLiteral("/hostsecd"),
                      {QStringLiteral("--config"), config.fileName()});
        QVERIFY(m_agent.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(api().health().ok(), 20000);
    }

    void cleanupTestCase()
    {
        m_agent.terminate();
        QVERIFY(m_agent.waitForFinished(10000));
        QCOMPARE(m_agent.exitStatus(), QProcess::NormalExit);
        QCOMPARE(m_agent.exitCode(), 0);
    }

    void tricklingClientsAreDroppedByTheDeadlineWhileOthersAreServed()
    {
        const int before = openDescriptors(m_agent.processId());
        QVERIFY(before > 0);

        std::vector<Trickler> tricklers(Tricklers);
        for (Trickler &t : tricklers) {
            t.fd = connectTo(m_port);
            QVERIFY2(t.fd >= 0, qPrintable(qt_error_string(errno)));
            t.opened = Clock::now();
            // The start of a request whose headers never end.
            const char start[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
            QVERIFY(::send(t.fd, start, sizeof start - 1, MSG_NOSIGNAL) > 0);
        }

        int served = 0;
        QStringList refused;
        int left = Tricklers;
        const auto started = Clock::now();
        auto nextByte = started;
        while (left > 0 && Clock::now() < started + DropDeadline) {
            const bool trickle = Clock::now() >= nextByte;
            if (trickle)
                nextByte += TrickleEvery;
            for (Trickler &t : tricklers) {
                if (t.gone)
                    continue;
                bool gone = closedByPeer(t.fd);
                if (!gone && trickle && ::send(t.fd, "a", 1, MSG_NOSIGNAL) < 0 && errno != EAGAIN &&
                    errno != EWOULDBLOCK)
                    gone = true;
                if (gone) {
                    t.gone = true;
                    t.dropped = Clock::now();
                    ::close(t.fd);
                    t.fd = -1;
                    --left;
                }
            }
            // A legitimate client meanwhile: every look is answered.
            if (const Status health = api().health(); health)
                ++served;
            else
                refused << QString::fromStdString(health.error().message);
            QTest::qWait(50);
        }
        for (Trickler &t : tricklers) {
            if (t.fd >= 0)
                ::close(t.fd);
        }

        QVERIFY2(left == 0, qPrintable(QStringLiteral("%1 of %2 trickling connections were still "
                                                      "open after %3 s")
                                           .arg(left)
                                           .arg(Tricklers)
                                           .arg(DropDeadline.count())));
        auto earliest = Clock::duration::max();
        for (const Trickler &t : tricklers)
            earliest = std::min(earliest, t.dropped - t.opened);
        QVERIFY2(
            earliest >= EarliestDrop,
            qPrintable(
                QStringLiteral("a trickling connection was dropped after %1 ms, "
                               "before the %2 s read deadline could have")
                    .arg(std::chrono::duration_cast<std::chrono::milliseconds>(earliest).count())
                    .arg(ReadDeadline.count())));
        QVERIFY2(refused.isEmpty(), qPrintable(refused.join(QLatin1Char('\n'))));
        QVERIFY(served > 0);
        qInfo("%d trickling connections dropped; %d legitimate requests served meanwhile",
              Tricklers, served);

        // Nothing is kept: the agent's descriptors return to what they were.
        QTRY_VERIFY_WITH_TIMEOUT(openDescriptors(m_agent.processId()) <= before, 10000);
    }
};

QTEST_GUILESS_MAIN(tst_SlowClients)
#include "tst_slowclients.moc"
