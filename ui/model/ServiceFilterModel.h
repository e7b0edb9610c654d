#pragma once

#include <QSortFilterProxyModel>

namespace okh {

// Filters the services (tiles) of a DeploymentModel by status and text; deployments and
// checks always pass, so every deployment keeps its page and a shown service all its checks.
// Re-evaluated as batches change the state: under "problems", a service that recovers goes.
class ServiceFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class Show {
        All,
        Problems, // not healthy, or a check whose latest result failed (pending)
        Unhealthy,
        Unknown,
    };
    Q_ENUM(Show)

    explicit ServiceFilterModel(QObject* parent = nullptr);

    Show show() const { return m_show; }
    void setShow(Show show);
    QString text() const { return m_text; }
    // Case-insensitive words, all of which must appear in the service's name, kind, check
    // names and types, conclusion or cause.
    void setText(const QString& text);
    bool isFiltering() const { return m_show != Show::All || !m_words.isEmpty(); }

    // Whether a service index of the source model passes.
    bool acceptsService(const QModelIndex& service) const;

Q_SIGNALS:
    void filterChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    bool statusPasses(const QModelIndex& service) const;
    bool textPasses(const QModelIndex& service) const;

    Show m_show = Show::All;
    QString m_text;
    QStringList m_words;
};

} // namespace okh
