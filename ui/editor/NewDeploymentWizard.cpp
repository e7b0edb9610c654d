#include "NewDeploymentWizard.h"

#include "editor/ConnectionTester.h"
#include "editor/DeploymentDraft.h"
#include "editor/WorkerPicker.h"

#include <QComboBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace okh {

namespace {

// The review page is complete only when the loader accepts what the pages say.
class VerdictPage : public QWizardPage
{
public:
    explicit VerdictPage(const NewDeploymentWizard& wizard)
        : m_wizard(wizard)
    { }
    bool isComplete() const override { return m_wizard.isValid(); }
    void changed() { Q_EMIT completeChanged(); }

private:
    const NewDeploymentWizard& m_wizard;
};

// "user@host:port" of a jump host, as ssh -J writes it.
QJsonObject jumpHost(const QString& text)
{
    QString rest = text.trimmed();
    QJsonObject jump;
    const qsizetype at = rest.indexOf(u'@');
    if (at >= 0) {
        jump.insert(QStringLiteral("user"), rest.left(at));
        rest = rest.mid(at + 1);
    }
    const qsizetype colon = rest.lastIndexOf(u':');
    if (colon > 0 && !rest.startsWith(u'[')) {
        bool ok = false;
        const int port = rest.mid(colon + 1).toInt(&ok);
        jump.insert(QStringLiteral("port"), ok ? QJsonValue(port) : QJsonValue(rest.mid(colon + 1)));
        rest = rest.left(colon);
    }
    jump.insert(QStringLiteral("host"), rest);
    return jump;
}

} // namespace

NewDeploymentWizard::NewDeploymentWizard(const QStringList& takenNames, QWidget* parent)
    : QWizard(parent)
    , m_takenNames(takenNames)
    , m_draft(new DeploymentDraft(QJsonObject(), {}, QProcessEnvironment::systemEnvironment(), this))
{
    setWindowTitle(tr("New Deployment"));
    setOption(QWizard::NoBackButtonOnStartPage);
    setPage(ConnectionPage, connectionPage());
    setPage(ServicesPage, servicesPage());
    setPage(CeleryPage, celeryPage());
    setPage(ReviewPage, reviewPage());
    resize(720, 560);
    connect(m_draft, &DeploymentDraft::validated, this, &NewDeploymentWizard::showVerdict);
    connect(this, &QWizard::accepted, this, [this] {
        if (isValid())
            Q_EMIT deploymentReady(*m_draft->spec());
    });
    rebuild();
}

QLineEdit* NewDeploymentWizard::addField(QFormLayout* form, const QString& key, const QString& label,
                                         const QString& placeholder)
{
    auto* edit = new QLineEdit(form->parentWidget());
    edit->setPlaceholderText(placeholder);
    edit->setAccessibleName(QString(label).remove(u'&').remove(u':'));
    auto* caption = new QLabel(label, form->parentWidget());
    caption->setBuddy(edit);
    form->addRow(caption, edit);
    m_fields.insert(key, edit);
    connect(edit, &QLineEdit::textChanged, this, &NewDeploymentWizard::rebuild);
    return edit;
}

QWizardPage* NewDeploymentWizard::connectionPage()
{
    auto* page = new QWizardPage(this);
    page->setTitle(tr("Name and connection"));
    page->setSubTitle(tr("How OK Health reaches the deployment: directly, or through an SSH login on its host."));
    auto* form = new QFormLayout(page);
    QString name = QStringLiteral("openklant");
    for (int n = 2; m_takenNames.contains(name); ++n)
        name = QStringLiteral("openklant-%1").arg(n);
    addField(form, QStringLiteral("name"), tr("&Name:"))->setText(name);
    m_connection = new QComboBox(page);
    m_connection->addItem(tr("Direct (the ports are reachable from here)"), QStringLiteral("direct"));
    m_connection->addItem(tr("Through SSH"), QStringLiteral("ssh"));
    m_connection->setAccessibleName(tr("Connection"));
    auto* caption = new QLabel(tr("&Connection:"), page);
    caption->setBuddy(m_connection);
    form->addRow(caption, m_connection);
    // The SSH rows in the same form (one label column), shown only for an SSH connection.
    QList<QWidget*> sshRows;
    sshRows << addField(form, QStringLiteral("ssh.host"), tr("SSH &host:"), QStringLiteral("app.example.org"));
    sshRows << addField(form, QStringLiteral("ssh.port"), tr("SSH &port:"), QStringLiteral("22"));
    sshRows << addField(form, QStringLiteral("ssh.user"), tr("SSH &user:"), QStringLiteral("deploy"));
    sshRows << addField(form, QStringLiteral("ssh.identityFile"), tr("&Key file:"),
                        QStringLiteral("~/.ssh/id_ed25519"));
    sshRows << addField(form, QStringLiteral("ssh.knownHostsFile"), tr("Known hosts &file:"),
                        tr("~/.ssh/known_hosts (default)"));
    sshRows << addField(form, QStringLiteral("ssh.jump"), tr("&Jump host:"),
                        QStringLiteral("jump@bastion.example.org"));
    m_tester = new ConnectionTester(
        [this]() -> std::optional<SshSpec> {
            const auto& spec = m_draft->spec();
            if (!spec || spec->connection.type != ConnectionSpec::Type::Ssh)
                return std::nullopt;
            return spec->connection.ssh;
        },
        page);
    form->addRow(QString(), m_tester);
    sshRows << m_tester;
    const auto showSsh = [form, sshRows](bool visible) {
        for (QWidget* row : sshRows)
            form->setRowVisible(row, visible);
    };
    showSsh(false);
    connect(m_connection, &QComboBox::currentIndexChanged, this, [this, showSsh] {
        showSsh(m_connection->currentData().toString() == QLatin1String("ssh"));
        rebuild();
    });
    return page;
}

QWizardPage* NewDeploymentWizard::servicesPage()
{
    auto* page = new QWizardPage(this);
    page->setTitle(tr("Services"));
    page->setSubTitle(tr("Where each container answers, as seen from the connection. Empty fields take the "
                         "profile's defaults (the compose service names and their ports)."));
    auto* form = new QFormLayout(page);
    addField(form, QStringLiteral("web.host"), tr("&Web host:"), QStringLiteral("web"));
    addField(form, QStringLiteral("web.port"), tr("Web port:"), QStringLiteral("8000"));
    addField(form, QStringLiteral("nginx.host"), tr("&nginx host:"), QStringLiteral("nginx"));
    addField(form, QStringLiteral("nginx.port"), tr("nginx port:"), QStringLiteral("8080"));
    addField(form, QStringLiteral("redis.url"), tr("&Redis URL:"), QStringLiteral("redis://redis:6379/0"));
    addField(form, QStringLiteral("db.host"), tr("&PostgreSQL host:"), QStringLiteral("db"));
    addField(form, QStringLiteral("db.port"), tr("PostgreSQL port:"), QStringLiteral("5432"));
    addField(form, QStringLiteral("db.user"), tr("PostgreSQL user:"), QStringLiteral("openklant"));
    addField(form, QStringLiteral("db.database"), tr("PostgreSQL database:"), QStringLiteral("openklant"));
    addField(form, QStringLiteral("celery-flower.host"), tr("&Flower host:"), QStringLiteral("celery-flower"));
    addField(form, QStringLiteral("celery-flower.port"), tr("Flower port:"), QStringLiteral("5555"));
    return page;
}

QWizardPage* NewDeploymentWizard::celeryPage()
{
    auto* page = new QWizardPage(this);
    page->setTitle(tr("Celery"));
    page->setSubTitle(tr("The broker the workers use (CELERY_BROKER_URL) and the worker to ping."));
    auto* form = new QFormLayout(page);
    addField(form, QStringLiteral("celery.broker"), tr("&Broker URL:"), tr("the Redis URL (default)"));
    addField(form, QStringLiteral("celery.workerName"), tr("&Worker name:"), tr("any worker (default)"));
    m_picker = new WorkerPicker(
        [this]() -> std::optional<WorkerPicker::Broker> {
            const auto& spec = m_draft->spec();
            if (!spec)
                return std::nullopt;
            for (const ServiceSpec& service : spec->services) {
                for (const CheckSpec& check : service.checks) {
                    if (const auto* ping = std::get_if<CeleryPingTarget>(&check.target))
                        return WorkerPicker::Broker{ping->broker, ping->keyPrefix};
                }
            }
            return std::nullopt;
        },
        page);
    form->addRow(QString(), m_picker);
    connect(m_picker, &WorkerPicker::picked, this,
            [this](const QString& worker) { m_fields.value(QStringLiteral("celery.workerName"))->setText(worker); });
    return page;
}

QWizardPage* NewDeploymentWizard::reviewPage()
{
    auto* page = new VerdictPage(*this);
    page->setTitle(tr("Check"));
    page->setSubTitle(tr("What the deployment file's loader says. Finish opens the deployment in the editor, "
                         "every check spelled out, to look over and save."));
    auto* layout = new QVBoxLayout(page);
    m_verdict = new QLabel(page);
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_verdict);
    layout->addStretch(1);
    m_review = page;
    return page;
}

QJsonObject NewDeploymentWizard::deploymentJson() const
{
    const auto text = [this](const char* key) { return m_fields.value(QLatin1String(key))->text().trimmed(); };
    // A number when it is one; otherwise the text, for the loader to say what is wrong with it.
    const auto number = [](const QString& value) -> QJsonValue {
        bool ok = false;
        const int n = value.toInt(&ok);
        return ok ? QJsonValue(n) : QJsonValue(value);
    };
    QJsonObject connection{{QStringLiteral("type"), m_connection->currentData().toString()}};
    if (m_connection->currentData().toString() == QLatin1String("ssh")) {
        connection.insert(QStringLiteral("host"), text("ssh.host"));
        if (!text("ssh.port").isEmpty())
            connection.insert(QStringLiteral("port"), number(text("ssh.port")));
        if (!text("ssh.user").isEmpty())
            connection.insert(QStringLiteral("user"), text("ssh.user"));
        if (!text("ssh.identityFile").isEmpty())
            connection.insert(QStringLiteral("identityFiles"), QJsonArray{text("ssh.identityFile")});
        if (!text("ssh.knownHostsFile").isEmpty())
            connection.insert(QStringLiteral("knownHostsFile"), text("ssh.knownHostsFile"));
        if (!text("ssh.jump").isEmpty())
            connection.insert(QStringLiteral("jump"), jumpHost(text("ssh.jump")));
    }
    QJsonObject services;
    for (const char* service : {"web", "nginx", "redis", "db", "celery", "celery-flower"}) {
        QJsonObject options;
        for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
            const QString prefix = QLatin1String(service) + u'.';
            if (!it.key().startsWith(prefix) || it.value()->text().trimmed().isEmpty())
                continue;
            const QString option = it.key().mid(prefix.size());
            const QString value = it.value()->text().trimmed();
            options.insert(option, option == QLatin1String("port") ? number(value) : QJsonValue(value));
        }
        if (!options.isEmpty())
            services.insert(QLatin1String(service), options);
    }
    QJsonObject profile{{QStringLiteral("name"), QStringLiteral("openklant")}};
    if (!services.isEmpty())
        profile.insert(QStringLiteral("services"), services);
    return {{QStringLiteral("name"), text("name")},
            {QStringLiteral("connection"), connection},
            {QStringLiteral("profile"), profile}};
}

void NewDeploymentWizard::rebuild()
{
    if (!m_connection || !m_review)
        return; // still building the pages
    m_draft->setJson(deploymentJson());
    static_cast<VerdictPage*>(m_review)->changed();
    m_verdict->setText(tr("Checking…"));
}

bool NewDeploymentWizard::isValid() const
{
    return m_draft->isValidated() && m_draft->spec() && !m_takenNames.contains(m_draft->spec()->name);
}

QString NewDeploymentWizard::verdict() const
{
    return m_verdict->text();
}

void NewDeploymentWizard::showVerdict()
{
    if (!m_draft->isValidated())
        return;
    if (const auto& error = m_draft->error()) {
        m_verdict->setText(QStringLiteral("⚠ ") + error->keyPath.section(u'.', 1) + QStringLiteral(": ")
                           + error->message);
    } else if (m_takenNames.contains(m_draft->spec()->name)) {
        m_verdict->setText(QStringLiteral("⚠ ")
                           + tr("a deployment named “%1” is already open").arg(m_draft->spec()->name));
    } else {
        m_verdict->setText(QStringLiteral("✓ ") + m_draft->validSummary());
    }
    static_cast<VerdictPage*>(m_review)->changed();
}

} // namespace okh
