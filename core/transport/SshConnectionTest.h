#pragma once

#include "config/DeploymentSpec.h"
#include "transport/SshHostKey.h"
#include "transport/SshSession.h"

#include <QObject>

namespace okh {

// The editor's "Test Connection": one login with a deployment's SSH settings (jump hosts
// included), on a thread of its own with its own SshTunnel, so the GUI never waits on the
// network or libssh2. Says what happened in the transport's own words and which host key the
// target showed (its fingerprint, as ssh-keygen -l prints it). Nothing is written: an unknown
// key is reported, not trusted.
class SshConnectionTest : public QObject
{
    Q_OBJECT

public:
    struct Result
    {
        bool ok = false;
        SshHostKey hostKey; // the target's (accepted) or the one refused
        SshFailure failure = SshFailure::None;
        QString message; // the transport's words when not ok
    };

    explicit SshConnectionTest(QObject* parent = nullptr);

    // finished() follows once, within the connect timeout of every hop and a few seconds.
    // `passphrases` is asked on the test's thread; the default gives up on encrypted keys.
    void start(const SshSpec& spec, PassphraseSource passphrases = {});

Q_SIGNALS:
    void finished(const okh::SshConnectionTest::Result& result);
};

} // namespace okh

Q_DECLARE_METATYPE(okh::SshConnectionTest::Result)
