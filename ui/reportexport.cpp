#include "ui/reportexport.h"

#include "client/profile.h"
#include "client/snapshot.h"
#include "diagnosis/diagnosis.h"
#include "events/eventstore.h"
#include "report/csv.h"
#include "report/html.h"
#include "report/json.h"
#include "ui/report/pdfreport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>
#include <filesystem>

namespace hostsec::ui {

namespace {

QString qstr(const std::string &s)
{
    return QString::fromStdString(s);
}

QString sectionLabel(report::Section section)
{
    switch (section) {
    case report::Section::Servers:
        return ReportDialog::tr("Servers and topology");
    case report::Section::Bindings:
        return ReportDialog::tr("Bindings with errors and timelines");
    case report::Section::Users:
        return ReportDialog::tr("Users by sync state");
    case report::Section::Pending:
        return ReportDialog::tr("Pending password changes");
    case report::Section::Findings:
        return ReportDialog::tr("Diagnosis findings");
    case report::Section::Events:
        return ReportDialog::tr("Event summary by id, server and hour");
    }
    return {};
}

QString defaultName(const QString &format)
{
    const QString stem = QStringLiteral("hostsec-report-") +
                         QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm"));
    return format == QLatin1String("csv") ? stem : stem + QLatin1Char('.') + format;
}

} // namespace

// --- ReportDialog ---------------------------------------------------------------------------

ReportDialog::ReportDialog(const QString &folder, QWidget *parent)
    : QDialog(parent)
    , m_format(new QComboBox(this))
    , m_from(new QDateTimeEdit(this))
    , m_until(new QDateTimeEdit(this))
    , m_path(new QLineEdit(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("reportDialog"));
    setWindowTitle(tr("Export report"));
    m_format->setObjectName(QStringLiteral("reportFormat"));
    m_format->addItem(tr("HTML (one self-contained file)"), QStringLiteral("html"));
    m_format->addItem(tr("PDF"), QStringLiteral("pdf"));
    m_format->addItem(tr("CSV (a folder, one file per table)"), QStringLiteral("csv"));
    m_format->addItem(tr("JSON (the snapshot, schema hostsec-report/1)"), QStringLiteral("json"));
    for (QDateTimeEdit *edit : {m_from, m_until}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    }
    m_from->setObjectName(QStringLiteral("reportFrom"));
    m_until->setObjectName(QStringLiteral("reportUntil"));
    const QDateTime now = QDateTime::currentDateTime();
    m_until->setDateTime(now);
    m_from->setDateTime(now.addDays(-1));
    m_path->setObjectName(QStringLiteral("reportPath"));
    m_path->setText(QDir(folder).filePath(defaultName(QStringLiteral("html"))));
    m_problem->setObjectName(QStringLiteral("reportProblem"));
    m_problem->setStyleSheet(QStringLiteral("color: #c62828"));

    auto *sections = new QGroupBox(tr("Sections"), this);
    auto *grid = new QGridLayout(sections);
    int i = 0;
    for (report::Section s : report::allSections()) {
        auto *box = new QCheckBox(sectionLabel(s), sections);
        box->setObjectName(QStringLiteral("section-") + qstr(std::string(report::toString(s))));
        box->setChecked(true);
        connect(box, &QCheckBox::toggled, this, &ReportDialog::validate);
        grid->addWidget(box, i / 2, i % 2);
        m_sections.emplace_back(s, box);
        ++i;
    }
    auto *browse = new QPushButton(tr("Browse…"), this);
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    auto *form = new QFormLayout;
    form->addRow(tr("Format:"), m_format);
    form->addRow(tr("Events from:"), m_from);
    form->addRow(tr("Events until:"), m_until);
    form->addRow(tr("Save to:"), pathRow);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(sections);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    connect(m_format, &QComboBox::currentIndexChanged, this, &ReportDialog::formatChanged);
    connect(browse, &QPushButton::clicked, this, &ReportDialog::browse);
    connect(m_path, &QLineEdit::textChanged, this, &ReportDialog::validate);
    connect(m_from, &QDateTimeEdit::dateTimeChanged, this, &ReportDialog::validate);
    connect(m_until, &QDateTimeEdit::dateTimeChanged, this, &ReportDialog::validate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
}

ReportRequest ReportDialog::request() const
{
    ReportRequest r;
    r.format = m_format->currentData().toString();
    r.from = m_from->dateTime();
    r.until = m_until->dateTime();
    r.sections.clear();
    for (const auto &[section, box] : m_sections)
        if (box->isChecked())
            r.sections.push_back(section);
    r.path = m_path->text().trimmed();
    return r;
}

void ReportDialog::setRequest(const ReportRequest &request)
{
    m_format->setCurrentIndex(std::max(0, m_format->findData(request.format)));
    if (request.from.isValid())
        m_from->setDateTime(request.from);
    if (request.until.isValid())
        m_until->setDateTime(request.until);
    for (const auto &[section, box] : m_sections)
        box->setChecked(std::find(request.sections.begin(), request.sections.end(), section) !=
                        request.sections.end());
    if (!request.path.isEmpty())
        m_path->setText(request.path);
    validate();
}

void ReportDialog::browse()
{
    const QString format = m_format->currentData().toString();
    QString chosen;
    if (format == QLatin1String("csv"))
        chosen = QFileDialog::getExistingDirectory(this, tr("Folder for the CSV files"),
                                                   QFileInfo(m_path->text()).absolutePath());
    else
        chosen = QFileDialog::getSaveFileName(this, tr("Save report"), m_path->text(),
                                              QStringLiteral("*.") + format);
    if (!chosen.isEmpty())
        m_path->setText(chosen);
}

void ReportDialog::formatChanged()
{
    // Keep the folder and the name, switch the extension.
    const QString format = m_format->currentData().toString();
    QFileInfo info(m_path->text());
    QString base = info.completeBaseName().isEmpty() ? defaultName(QStringLiteral("csv"))
                                                     : info.completeBaseName();
    if (QStringList{QStringLiteral("html"), QStringLiteral("pdf"), QStringLiteral("json")}.contains(
            info.suffix()) == false &&
        !info.suffix().isEmpty())
        base = info.fileName();
    const QString name = format == QLatin1String("csv") ? base : base + QLatin1Char('.') + format;
    m_path->setText(QDir(info.absolutePath()).filePath(name));
    validate();
}

void ReportDialog::validate()
{
    QString problem;
    const ReportRequest r = request();
    if (r.path.isEmpty())
        problem = tr("Choose where to save the report.");
    else if (r.sections.empty())
        problem = tr("Choose at least one section.");
    else if (r.from >= r.until)
        problem = tr("The period's start must be before its end.");
    else if (!QFileInfo(QFileInfo(r.path).absolutePath()).isDir())
        problem = tr("The folder %1 does not exist.").arg(QFileInfo(r.path).absolutePath());
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

// --- ReportExporter -------------------------------------------------------------------------

ReportExporter::ReportExporter(QObject *parent)
    : QObject(parent)
{}

ReportExporter::~ReportExporter()
{
    if (m_cancel)
        *m_cancel = true;
    if (m_thread) {
        m_thread->wait(); // its queued answers die with this object
        delete m_thread;
    }
}

void ReportExporter::cancel()
{
    if (m_cancel)
        *m_cancel = true;
}

bool ReportExporter::start(const client::Profile &profile, const QString &historyPath,
                           const ReportRequest &request)
{
    if (m_busy)
        return false;
    m_busy = true;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    auto cancel = m_cancel;
    const std::string history = historyPath.toStdString();
    const std::string path = request.path.toStdString();
    const std::string format = request.format.toStdString();
    report::ReportMeta meta;
    meta.generatedBy = report::currentUserAtHost();
    meta.generatedAt = QDateTime::currentMSecsSinceEpoch();
    meta.profile = profile.path;
    meta.from = request.from.toMSecsSinceEpoch();
    meta.until = request.until.toMSecsSinceEpoch();
    meta.sections = request.sections;

    auto step = [this](int n, const QString &text) {
        QMetaObject::invokeMethod(
            this, [this, n, text] { Q_EMIT progress(n, text); }, Qt::QueuedConnection);
    };
    if (m_thread) { // the previous export's thread has ended (m_busy was false)
        m_thread->wait();
        delete m_thread;
    }
    m_thread = QThread::create([this, profile, history, path, format, meta, cancel, step] {
        auto finish = [this](bool ok, const QString &message, const QStringList &files) {
            QMetaObject::invokeMethod(
                this,
                [this, ok, message, files] {
                    m_busy = false;
                    Q_EMIT finished(ok, message, files);
                },
                Qt::QueuedConnection);
        };
        step(1, tr("Asking the agents for the domain's state…"));
        auto snapshot = client::collectSnapshot(profile);
        if (!snapshot)
            return finish(false,
                          tr("Cannot take a snapshot: %1").arg(qstr(snapshot.error().message)), {});
        if (*cancel)
            return finish(false, tr("Export cancelled."), {});

        step(2, tr("Diagnosing and summarising the history…"));
        report::Report r;
        r.meta = meta;
        r.snapshot = std::move(*snapshot);
        diagnosis::Options rules;
        rules.profile = profile.path;
        r.findings = diagnosis::diagnose(r.snapshot, rules);
        auto store = EventStore::open(history);
        if (!store)
            return finish(
                false, tr("Cannot read the history database: %1").arg(qstr(store.error().message)),
                {});
        EventFilter period;
        period.from = meta.from;
        period.until = meta.until;
        // The summary is read while the renderer writes it; a cancel stops it between rows.
        r.events = [inner = report::summaryOf(**store, period),
                    cancel](const report::SummaryVisitor &visit) {
            return inner([&](const EventSummaryRow &row) { return !*cancel && visit(row); });
        };

        step(3, tr("Writing the report…"));
        std::vector<std::string> written;
        Status done;
        if (format == "csv") {
            auto files = report::writeCsv(r, path);
            if (files)
                written = std::move(*files);
            else
                done = files.error();
        } else {
            if (format == "html")
                done = report::writeHtmlFile(r, path);
            else if (format == "json")
                done = report::writeJsonFile(r, path);
            else
                done = reportpdf::writePdf(r, path);
            if (done)
                written = {path};
        }
        if (*cancel) {
            std::error_code ignored;
            for (const std::string &file : written)
                std::filesystem::remove(file, ignored);
            return finish(false, tr("Export cancelled."), {});
        }
        if (!done)
            return finish(false, tr("Cannot write the report: %1").arg(qstr(done.error().message)),
                          {});
        QStringList files;
        for (const std::string &file : written)
            files << qstr(file);
        finish(true, tr("Report written: %1").arg(qstr(path)), files);
    });
    m_thread->setObjectName(QStringLiteral("report export"));
    m_thread->start();
    return true;
}

} // namespace hostsec::ui
