#pragma once

#include "run/RunReport.h"

#include <QAbstractItemModel>

namespace okh {

// A smoke check's report as a tree: services (root causes first, as every report lists them)
// with their checks below. Status is a badge and a word; a failing check's facts (target,
// details, hint) are its tooltip and FactsRole.
class SmokeReportModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { Result, Name, Role, Summary, Latency, ColumnCount };
    enum DataRole { StatusRole = Qt::UserRole + 1, FactsRole };

    explicit SmokeReportModel(QObject* parent = nullptr);

    void setReport(const RunReport& report);
    void clear();
    const RunReport& report() const { return m_report; }
    bool isEmpty() const { return m_services.isEmpty(); }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString resultText(ProbeStatus status);

private:
    // Service rows carry no parent id (quintptr 0); check rows carry their service's row + 1.
    QVariant serviceData(int row, int column, int role) const;
    QVariant checkData(int service, int row, int column, int role) const;

    RunReport m_report;
    RootCause::Analysis m_causes;
    QList<const ServiceOutcome*> m_services; // into m_report, root causes first
};

} // namespace okh
