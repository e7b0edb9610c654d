#pragma once

#include "Probe.h"
#include "ProbeTargets.h"
#include "celery/PidboxProtocol.h"
#include "redis/RedisConnection.h"

#include <QElapsedTimer>
#include <QSet>
#include <QTimer>

namespace okh {

// Celery's control.ping(destination=[name], timeout) done natively over the Redis transport
// (docs/celery-ping.md has the exchange step by step). When the named worker stays silent, a
// broadcast ping finds the workers that do answer, so the hint can name them. The reply
// binding and queue are removed afterwards: no keys are left in the broker.
class CeleryPingProbe : public Probe
{
    Q_OBJECT
public:
    CeleryPingProbe(CeleryPingTarget target, std::chrono::milliseconds timeout, QObject* parent = nullptr);

    // The node names that answered the broadcast ping, once finished (WorkerFinder).
    QStringList broadcastAnswers() const;

protected:
    void begin() override;
    void abort() override;
    ProbeResult timedOutResult() const override;

private:
    enum class Phase { Connecting, Targeted, Broadcast, CleaningUp };
    enum class Expect { Auth, Select, Sadd, Publish, Brpop, Smembers, Cleanup };

    void send(const QList<QByteArray>& argv, Expect expect);
    void publish(const QStringList& destination);
    void waitForReply();
    qint64 budgetMs() const;
    void stopForTheCheckTimeout();
    void onReply(const RedisReply& reply);
    void onBrpop(const RedisReply& reply);
    void onIdleTimeout();
    void endCollecting();
    void cleanUp();
    void conclude();
    void fail(ProbeResult result);
    void dropBinding();
    QString endpoint() const;

    CeleryPingTarget m_target;
    PidboxProtocol::Names m_names;
    RedisConnection m_connection;
    QList<Expect> m_expected;
    Phase m_phase = Phase::Connecting;
    QString m_oid;
    QString m_ticket;
    qint64 m_subscribers = -1;
    QElapsedTimer m_idle;
    std::chrono::milliseconds m_idleTimeout{0};
    bool m_integerBrpopTimeout = false; // Redis < 6 takes whole seconds only
    bool m_brpopPending = false;
    bool m_cutShort = false; // the check's timeout, not the ping's, ended the wait
    QList<PidboxProtocol::Reply> m_targetedReplies;
    QList<PidboxProtocol::Reply> m_broadcastReplies;
    QStringList m_registeredNodes;
    std::optional<ProbeResult> m_failure;
};

} // namespace okh
