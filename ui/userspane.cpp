#include "ui/userspane.h"

#include "ui/outboxmodel.h"
#include "ui/session.h"
#include "ui/usertablemodel.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace hostsec::ui {

namespace {

constexpr int DebounceMs = 300;
const char *const States[] = {"", "failed", "pending", "rejected", "in-sync"};

} // namespace

UsersPane::UsersPane(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_state(new QComboBox(this))
    , m_text(new QLineEdit(this))
    , m_reload(new QToolButton(this))
    , m_status(new QLabel(this))
    , m_model(new UserTableModel(
          [session, this](const UsersQuery &q,
                          std::function<void(const Result<UsersPage> &)> done) {
              session->requestUsers(q, this, std::move(done));
          },
          200, this))
    , m_table(new QTableView(this))
    , m_outboxTitle(new QLabel(this))
    , m_outbox(new OutboxModel(this))
    , m_outboxTable(new QTableView(this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
{
    setObjectName(QStringLiteral("usersPane"));
    m_state->setObjectName(QStringLiteral("userStateFilter"));
    m_text->setObjectName(QStringLiteral("userTextFilter"));
    m_table->setObjectName(QStringLiteral("usersTable"));
    m_outboxTable->setObjectName(QStringLiteral("outboxTable"));
    m_splitter->setObjectName(QStringLiteral("usersSplitter"));

    for (const char *s : States)
        m_state->addItem(QString(), QString::fromLatin1(s));
    m_text->setClearButtonEnabled(true);
    m_reload->setIcon(QIcon(QStringLiteral(":/icons/refresh.svg")));
    m_reload->setAutoRaise(true);

    for (QTableView *t : {m_table, m_outboxTable}) {
        t->setSelectionBehavior(QAbstractItemView::SelectRows);
        t->setAlternatingRowColors(true);
        t->setWordWrap(false);
        t->verticalHeader()->setVisible(false);
        t->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 6);
        t->horizontalHeader()->setStretchLastSection(true);
    }
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_outboxTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setModel(m_model);
    m_outboxTable->setModel(m_outbox);
    m_table->setColumnWidth(UserTableModel::DomainAccountColumn, 170);

    auto *filters = new QHBoxLayout;
    filters->setContentsMargins(0, 0, 0, 0);
    filters->addWidget(m_state);
    filters->addWidget(m_text, 1);
    filters->addWidget(m_reload);
    filters->addWidget(m_status);

    auto *outboxBox = new QWidget(this);
    auto *outboxLayout = new QVBoxLayout(outboxBox);
    outboxLayout->setContentsMargins(0, 0, 0, 0);
    outboxLayout->addWidget(m_outboxTitle);
    outboxLayout->addWidget(m_outboxTable, 1);

    m_splitter->addWidget(m_table);
    m_splitter->addWidget(outboxBox);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(filters);
    layout->addWidget(m_splitter, 1);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(DebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &UsersPane::applyFilter);
    connect(m_text, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    connect(m_state, &QComboBox::currentIndexChanged, this, &UsersPane::applyFilter);
    connect(m_reload, &QToolButton::clicked, this, &UsersPane::reload);
    connect(m_model, &UserTableModel::pageLoaded, this, &UsersPane::updateStatus);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        showOutbox();
        Q_EMIT selectionChanged();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        showOutbox();
        Q_EMIT selectionChanged();
    });
    retranslateUi();
}

QStringList UsersPane::selectedUsers() const
{
    QStringList users;
    for (const QModelIndex &i : m_table->selectionModel()->selectedRows())
        users << i.data(UserTableModel::AccountRole).toString();
    return users;
}

void UsersPane::reload()
{
    applyFilter();
}

void UsersPane::applyFilter()
{
    m_debounce.stop();
    m_model->setFilter(m_state->currentData().toString(), m_text->text().trimmed());
    m_status->setText(tr("loading…"));
    m_model->fetchMore({});
}

void UsersPane::updateStatus(const QString &error)
{
    if (!error.isEmpty()) {
        m_status->setText(tr("cannot list users: %1").arg(error));
        return;
    }
    const int rows = m_model->rowCount();
    m_status->setText(m_model->canFetchMore({}) ? tr("%n user(s) so far", nullptr, rows)
                                                : tr("%n user(s)", nullptr, rows));
}

void UsersPane::showOutbox()
{
    const QStringList users = selectedUsers();
    if (users.size() != 1) {
        m_outboxUser.clear();
        m_outbox->setEntries({});
        m_outboxTitle->setText(tr("Select one user to see its pending changes."));
        return;
    }
    m_outboxUser = users.front();
    m_outboxTitle->setText(tr("Pending changes of %1: loading…").arg(m_outboxUser));
    m_session->requestOutbox(
        m_outboxUser, this, [this, user = m_outboxUser](const Result<std::vector<OutboxEntry>> &r) {
            if (user != m_outboxUser)
                return;
            if (!r) {
                m_outbox->setEntries({});
                m_outboxTitle->setText(tr("Pending changes of %1: %2")
                                           .arg(user, QString::fromStdString(r.error().message)));
                return;
            }
            m_outbox->setEntries(*r);
            m_outboxTitle->setText(r->empty() ? tr("No pending changes for %1.").arg(user)
                                              : tr("Pending changes of %1:").arg(user));
        });
}

void UsersPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void UsersPane::retranslateUi()
{
    m_state->setItemText(0, tr("All users"));
    m_state->setItemText(1, tr("Failed only"));
    m_state->setItemText(2, tr("Pending"));
    m_state->setItemText(3, tr("Rejected"));
    m_state->setItemText(4, tr("In sync"));
    m_text->setPlaceholderText(tr("Filter by domain or host account"));
    m_reload->setToolTip(tr("Reload users"));
    m_model->refreshTexts();
    m_outbox->refreshTexts();
    if (m_outboxUser.isEmpty())
        m_outboxTitle->setText(tr("Select one user to see its pending changes."));
}

} // namespace hostsec::ui
