#pragma once

#include <QCoreApplication>
#include <QString>

namespace okh {

// A result detail's key ("exit code", "component: cache") is stable: JSON reports, /status and
// the history use it as is. People read it translated: this gives the label for a key.
class DetailLabel
{
    Q_DECLARE_TR_FUNCTIONS(okh::DetailLabel)
public:
    static QString forKey(const QString& key);
};

} // namespace okh
