#include "WorkerPicker.h"

#include "celery/WorkerFinder.h"
#include "config/RedisUrl.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace okh {

WorkerPicker::WorkerPicker(std::function<std::optional<Broker>()> broker, QWidget* parent)
    : QWidget(parent)
    , m_broker(std::move(broker))
{
    auto* explanation
        = new QLabel(tr("A worker is called celery@HOSTNAME unless started with -n: in a container that is the "
                        "container's hostname (often its ID), not the service's name. Empty: any worker."),
                     this);
    explanation->setWordWrap(true);
    m_button = new QPushButton(tr("&Find Workers"), this);
    m_button->setToolTip(tr("Ping every worker on this broker and listen for their heartbeats"));
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_list = new QListWidget(this);
    m_list->setAccessibleName(tr("Workers found"));
    m_list->setMaximumHeight(m_list->fontMetrics().lineSpacing() * 4 + 8);
    m_list->hide();
    auto* row = new QHBoxLayout;
    row->addWidget(m_button);
    row->addWidget(m_status, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(explanation);
    layout->addLayout(row);
    layout->addWidget(m_list);
    connect(m_button, &QPushButton::clicked, this, &WorkerPicker::find);
    connect(m_list, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) { Q_EMIT picked(item->text()); });
}

QString WorkerPicker::statusText() const
{
    return m_status->text();
}

void WorkerPicker::find()
{
    const std::optional<Broker> broker = m_broker();
    if (!broker) {
        m_status->setText(QStringLiteral("⚠ ") + tr("Correct the deployment first: the broker is read from it"));
        return;
    }
    m_button->setEnabled(false);
    m_status->setText(tr("Asking the workers on %1…").arg(redactedRedisUrl(broker->target)));
    auto* finder = new WorkerFinder(broker->target, broker->keyPrefix, this);
    connect(finder, &WorkerFinder::finished, this, [this, finder](const QStringList& workers, const QString& problem) {
        finder->deleteLater();
        m_button->setEnabled(true);
        if (!problem.isEmpty())
            m_status->setText(QStringLiteral("⚠ ") + tr("Cannot ask the broker: %1").arg(problem));
        else if (workers.isEmpty())
            m_status->setText(tr("No worker answered or sent a heartbeat on this broker."));
        else
            m_status->setText(tr("%n worker(s) found: activate one to add it.", nullptr, int(workers.size())));
        m_list->clear();
        m_list->addItems(workers);
        m_list->setVisible(!workers.isEmpty());
        Q_EMIT found(workers);
    });
    finder->start();
}

} // namespace okh
