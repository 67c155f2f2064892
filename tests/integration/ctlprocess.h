#pragma once

// hostsecctl as the integration tests run it: a real process, beside the test or in
// $HOSTSEC_BIN_DIR, with a deadline; its exit code and both outputs.

#include <QCoreApplication>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

namespace hostsec::integration {

/// Where the built programs are: $HOSTSEC_BIN_DIR (ctest sets it), else beside the test.
inline QString binDir()
{
    const QString fromEnv = qEnvironmentVariable("HOSTSEC_BIN_DIR");
    return fromEnv.isEmpty() ? QCoreApplication::applicationDirPath() : fromEnv;
}

/// One finished (or killed) hostsecctl run.
struct CtlRun
{
    bool finished = false; // ended within the deadline
    int exitCode = -1;     // -1 when it did not start, crashed or was killed
    QString out;
    QString err;
};

/// For a failure message: the exit code and both outputs.
inline QString describe(const CtlRun &run)
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3")
        .arg(run.exitCode)
        .arg(run.out, run.err);
}

/// This process's environment without what would steer hostsecctl away from the programs
/// under test (HOSTSEC_HOSTSECD: it finds hostsecd beside itself) or from the profile the test
/// names (HOSTSEC_PROFILE).
inline QProcessEnvironment ctlEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("HOSTSEC_HOSTSECD"));
    env.remove(QStringLiteral("HOSTSEC_PROFILE"));
    return env;
}

/// Runs hostsecctl ARGS with `input` on its stdin; killed after `timeoutMs`.
inline CtlRun runCtl(const QStringList &args, const QProcessEnvironment &env,
                     const QByteArray &input, int timeoutMs)
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(binDir() + QStringLiteral("/hostsecctl"), args);
    CtlRun run;
    if (!process.waitForStarted(10000))
        return run;
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    run.finished = process.waitForFinished(timeoutMs);
    if (!run.finished) {
        process.kill();
        process.waitForFinished(5000);
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

} // namespace hostsec::integration
