#include "LogCategories.h"

Q_LOGGING_CATEGORY(lcProbeHttp, "okhealth.probe.http", QtWarningMsg)
Q_LOGGING_CATEGORY(lcProbeTcp, "okhealth.probe.tcp", QtWarningMsg)
Q_LOGGING_CATEGORY(lcProbeRedis, "okhealth.probe.redis", QtWarningMsg)
Q_LOGGING_CATEGORY(lcProbePostgres, "okhealth.probe.postgres", QtWarningMsg)
Q_LOGGING_CATEGORY(lcConfig, "okhealth.config", QtWarningMsg)
Q_LOGGING_CATEGORY(lcReport, "okhealth.report", QtWarningMsg)
Q_LOGGING_CATEGORY(lcStore, "okhealth.store", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSsh, "okhealth.ssh", QtWarningMsg)
Q_LOGGING_CATEGORY(lcEngine, "okhealth.engine", QtWarningMsg)
Q_LOGGING_CATEGORY(lcServer, "okhealth.server", QtWarningMsg)
