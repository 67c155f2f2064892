#pragma once

// The real consumers each report format is read back with: Python's csv module, the jsonschema
// package against docs/report-schema.json, xmllint and Python's HTML tokenizer, and pdftotext.
// Shared by the report tests and the hostsecctl integration test. HOSTSEC_SOURCE_DIR is set by
// tests/core/report/CMakeLists.txt and tests/integration/CMakeLists.txt.

#include <QByteArray>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>

namespace hostsec::testing {

/// What a consumer said.
struct Consumed
{
    bool ran = false; // it started and finished in time
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    bool ok() const { return ran && exitCode == 0; }
    QByteArray describe() const
    {
        return "exit " + QByteArray::number(exitCode) + (ran ? "" : " (did not run)") +
               "\nstderr: " + err.left(4000);
    }
};

inline QString sourceDir()
{
    return QStringLiteral(HOSTSEC_SOURCE_DIR);
}

inline QString reportTestFile(const char *name)
{
    return sourceDir() + QStringLiteral("/tests/core/report/") + QLatin1String(name);
}

inline Consumed runConsumer(const QString &program, const QStringList &args, int timeoutMs = 120000)
{
    QProcess process;
    process.start(program, args);
    Consumed c;
    if (!process.waitForStarted(10000))
        return c;
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        return c;
    }
    c.ran = true;
    c.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    c.out = process.readAllStandardOutput();
    c.err = process.readAllStandardError();
    return c;
}

/// The Debian python3 (which ./dev gives python3-jsonschema), else python3 on PATH.
inline QString python()
{
    static const QString found = [] {
        const QString debian = QStringLiteral("/usr/bin/python3");
        if (QFileInfo(debian).isExecutable() &&
            runConsumer(debian, {QStringLiteral("-c"), QStringLiteral("import jsonschema")}).ok())
            return debian;
        return QStandardPaths::findExecutable(QStringLiteral("python3"));
    }();
    return found;
}

/// Empty when every consumer is there; else what is missing and how to get it.
inline QString missingConsumers()
{
    QStringList missing;
    if (python().isEmpty() ||
        !runConsumer(python(), {QStringLiteral("-c"), QStringLiteral("import csv, jsonschema")})
             .ok())
        missing << QStringLiteral("python3 with python3-jsonschema");
    if (QStandardPaths::findExecutable(QStringLiteral("xmllint")).isEmpty())
        missing << QStringLiteral("xmllint (libxml2-utils)");
    if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
        missing << QStringLiteral("pdftotext (poppler-utils)");
    if (missing.isEmpty())
        return {};
    return QStringLiteral("missing: ") + missing.join(QStringLiteral(", ")) +
           QStringLiteral(" (./dev test installs them)");
}

/// Every CSV file of `folder` read by Python's csv module: JSON {"file.csv": [[cells]]}.
inline Consumed readCsvFolder(const QString &folder)
{
    return runConsumer(python(), {reportTestFile("readcsv.py"), folder});
}

/// The JSON report validated against docs/report-schema.json.
inline Consumed validateJson(const QString &file)
{
    return runConsumer(python(), {reportTestFile("checkjson.py"),
                                  sourceDir() + QStringLiteral("/docs/report-schema.json"), file});
}

/// xmllint's verdict: the HTML report is well-formed (it is written as well-formed XML).
inline Consumed xmlWellFormed(const QString &file)
{
    return runConsumer(QStringLiteral("xmllint"), {QStringLiteral("--noout"), file});
}

/// One XPath string of the HTML report, as xmllint reads it (entities decoded), without the
/// line end xmllint adds.
inline Consumed xpathString(const QString &file, const QString &expression)
{
    Consumed c = runConsumer(
        QStringLiteral("xmllint"),
        {QStringLiteral("--xpath"), QStringLiteral("string(%1)").arg(expression), file});
    if (c.out.endsWith('\n'))
        c.out.chop(1);
    return c;
}

/// The HTML report through Python's HTML tokenizer: JSON {"tags": {...}, "cells": [...]}.
inline Consumed readHtml(const QString &file)
{
    return runConsumer(python(), {reportTestFile("checkhtml.py"), file});
}

/// The PDF's text as pdftotext extracts it.
inline Consumed pdfText(const QString &file)
{
    return runConsumer(
        QStringLiteral("pdftotext"),
        {QStringLiteral("-enc"), QStringLiteral("UTF-8"), file, QStringLiteral("-")});
}

/// `text` without any whitespace: table cells wrap where the layout likes.
inline QString squeezed(const QString &text)
{
    QString out;
    for (const QChar c : text) {
        if (!c.isSpace())
            out += c;
    }
    return out;
}

} // namespace hostsec::testing
