#pragma once

#include "probes/ProbeTargets.h"

#include <QWidget>
#include <functional>
#include <optional>

class QLabel;
class QListWidget;
class QPushButton;

namespace okh {

// Beside a Celery worker name: the documentation's trap said where the name is typed, and
// "Find Workers" (WorkerFinder) listing the node names that answer on the broker `broker`
// gives at the click; activating one (Enter, double-click) picks it.
class WorkerPicker : public QWidget
{
    Q_OBJECT

public:
    struct Broker
    {
        RedisTarget target;
        QString keyPrefix;
    };
    // nullopt from `broker`: not valid yet (said instead of asking).
    explicit WorkerPicker(std::function<std::optional<Broker>()> broker, QWidget* parent = nullptr);

    QPushButton* button() const { return m_button; }
    QListWidget* list() const { return m_list; }
    QString statusText() const;

Q_SIGNALS:
    void found(const QStringList& workers);
    void picked(const QString& worker);

private:
    void find();

    std::function<std::optional<Broker>()> m_broker;
    QPushButton* m_button = nullptr;
    QListWidget* m_list = nullptr;
    QLabel* m_status = nullptr;
};

} // namespace okh
