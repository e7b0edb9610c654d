#pragma once

#include "probes/ProbeResult.h"

#include <QObject>
#include <QString>

namespace okh {

class DeploymentModel;

// What the tray says (docs/desktop.md, "Tray"): the worst status across the open deployments
// and a tooltip with the counts and, per deployment in trouble, its cause line ("redis is
// down — explains web, celery"). Follows the model, whose updates are already coalesced;
// changed() only when the icon or the text would change.
class TrayStatus : public QObject
{
    Q_OBJECT
public:
    explicit TrayStatus(const DeploymentModel& model, QObject* parent = nullptr);

    ProbeStatus worst() const { return m_worst; }
    QString toolTip() const { return m_toolTip; }

Q_SIGNALS:
    void changed();

private:
    void update();

    const DeploymentModel& m_model;
    ProbeStatus m_worst = ProbeStatus::Unknown;
    QString m_toolTip;
};

} // namespace okh
