#include "DeploymentEditor.h"

#include "config/CheckTypes.h"
#include "config/DeploymentSaver.h"
#include "editor/ConnectionTester.h"
#include "editor/FieldEditor.h"
#include "editor/WorkerPicker.h"
#include "settings/AppSettings.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStandardPaths>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace okh {

namespace {

using Node = DeploymentDraft::Node;
using Kind = CheckField::Kind;

constexpr int NodeServiceRole = Qt::UserRole;
constexpr int NodeCheckRole = Qt::UserRole + 1;

CheckField field(const char* key, Kind kind = Kind::Text, QStringList choices = {})
{
    return {QLatin1String(key), kind, choices};
}

QList<CheckField> deploymentFields(bool ssh)
{
    QList<CheckField> fields{field("name"),
                             field("connection.type", Kind::Choice, {QStringLiteral("direct"), QStringLiteral("ssh")})};
    if (ssh) {
        fields << field("connection.host") << field("connection.port", Kind::Integer) << field("connection.user")
               << field("connection.identityFiles", Kind::List) << field("connection.knownHostsFile")
               << field("connection.hostKeyPolicy", Kind::Choice,
                        {QString(), QStringLiteral("strict"), QStringLiteral("accept-new")})
               << field("connection.jumps", Kind::Json);
    }
    return fields;
}

QList<CheckField> serviceFields()
{
    return {field("name"), field("kind", Kind::Choice, serviceKinds()), field("dependsOn", Kind::List),
            field("exec", Kind::Json)};
}

} // namespace

DeploymentEditor::DeploymentEditor(DeploymentDraft* draft, const Target& target, QWidget* parent)
    : QDialog(parent)
    , m_draft(draft)
    , m_target(target)
    , m_saver(new DeploymentSaver(this))
{
    draft->setParent(this);
    setWindowTitle(target.previousName.isEmpty() ? tr("New Deployment") : tr("Edit Deployment"));
    resize(900, 620);

    m_tree = new QTreeWidget(this);
    m_tree->setHeaderHidden(true);
    m_tree->setAccessibleName(tr("Services and checks"));
    m_addService = new QPushButton(tr("Add &Service"), this);
    m_addCheck = new QPushButton(tr("Add &Check"), this);
    m_remove = new QPushButton(tr("&Remove"), this);
    auto* treeButtons = new QHBoxLayout;
    treeButtons->addWidget(m_addService);
    treeButtons->addWidget(m_addCheck);
    treeButtons->addWidget(m_remove);
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_tree);
    leftLayout->addLayout(treeButtons);

    m_formArea = new QScrollArea(this);
    m_formArea->setWidgetResizable(true);
    auto* splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(m_formArea);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({300, 600});

    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_showError = new QPushButton(tr("S&how"), this);
    m_showError->setToolTip(tr("Go to the field the error is about"));
    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_showError);

    auto* buttons = new QDialogButtonBox(this);
    m_save = buttons->addButton(QDialogButtonBox::Save);
    m_saveAs = buttons->addButton(tr("Save &As…"), QDialogButtonBox::ActionRole);
    buttons->addButton(QDialogButtonBox::Cancel);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addLayout(statusRow);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_save, &QPushButton::clicked, this, [this] {
        const QString path = m_target.path.isEmpty() ? defaultPath() : m_target.path;
        if (m_target.path.isEmpty() && QFileInfo::exists(path)) {
            m_status->setText(QStringLiteral("⚠ ") + tr("%1 exists already: choose another name or Save As").arg(path));
            return;
        }
        saveTo(path);
    });
    connect(m_saveAs, &QPushButton::clicked, this, &DeploymentEditor::chooseSavePath);
    connect(m_showError, &QPushButton::clicked, this, &DeploymentEditor::showErrorPlace);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this] { showForm(currentNode()); });
    connect(m_addService, &QPushButton::clicked, this, [this] { select(m_draft->addService()); });
    connect(m_addCheck, &QPushButton::clicked, this, [this] {
        const Node node = currentNode();
        const AppSettings& settings = AppSettings::instance();
        if (node.service >= 0) {
            select(m_draft->addCheck(node.service,
                                     std::chrono::seconds(settings.intValue(AppSettings::Key::CheckIntervalSeconds)),
                                     std::chrono::seconds(settings.intValue(AppSettings::Key::CheckTimeoutSeconds))));
        }
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const Node node = currentNode();
        if (node.service < 0)
            return;
        m_draft->remove(node);
        select(node.check >= 0 ? Node{node.service, -1} : Node{});
    });
    connect(m_draft, &DeploymentDraft::structureChanged, this, &DeploymentEditor::rebuildTree);
    connect(m_draft, &DeploymentDraft::validated, this, &DeploymentEditor::showValidation);
    connect(m_draft, &DeploymentDraft::changed, this, [this] {
        m_save->setEnabled(false); // until this change is validated
        m_saveAs->setEnabled(false);
    });
    connect(m_saver, &DeploymentSaver::finished, this, [this](const QString& path, const QString& error) {
        m_saving = false;
        if (!error.isEmpty()) {
            m_status->setText(QStringLiteral("⚠ ") + error);
            showValidation();
            return;
        }
        Q_EMIT saved(path, *m_draft->spec(), m_target.previousName);
        accept();
    });

    rebuildTree();
    select({});
    m_save->setEnabled(false);
    m_saveAs->setEnabled(false);
    m_status->setText(tr("Checking…"));
    m_showError->hide();
}

Node DeploymentEditor::currentNode() const
{
    const QTreeWidgetItem* item = m_tree->currentItem();
    if (!item)
        return {};
    return {item->data(0, NodeServiceRole).toInt(), item->data(0, NodeCheckRole).toInt()};
}

void DeploymentEditor::rebuildTree()
{
    const Node selected = currentNode();
    const QSignalBlocker blocker(m_tree);
    m_tree->clear();
    auto* root = new QTreeWidgetItem(m_tree, {m_draft->nameOf({})});
    root->setData(0, NodeServiceRole, -1);
    root->setData(0, NodeCheckRole, -1);
    for (int s = 0; s < m_draft->serviceCount(); ++s) {
        auto* service = new QTreeWidgetItem(root, {m_draft->nameOf({s, -1})});
        service->setData(0, NodeServiceRole, s);
        service->setData(0, NodeCheckRole, -1);
        for (int c = 0; c < m_draft->checkCount(s); ++c) {
            const QString type = m_draft->value({s, c}, QStringLiteral("type")).toString();
            auto* check = new QTreeWidgetItem(service, {m_draft->nameOf({s, c}) + QStringLiteral(" (") + type + u')'});
            check->setData(0, NodeServiceRole, s);
            check->setData(0, NodeCheckRole, c);
        }
    }
    m_tree->expandAll();
    select(selected);
}

void DeploymentEditor::select(Node node)
{
    QTreeWidgetItem* item = m_tree->topLevelItem(0);
    if (item && node.service >= 0 && node.service < item->childCount()) {
        item = item->child(node.service);
        if (node.check >= 0 && node.check < item->childCount())
            item = item->child(node.check);
    }
    m_tree->setCurrentItem(item);
    showForm(currentNode());
}

void DeploymentEditor::showForm(Node node)
{
    m_addCheck->setEnabled(node.service >= 0);
    m_remove->setEnabled(node.service >= 0);
    const QString type = m_draft->value(node, QStringLiteral("type")).toString();
    const QString connection = m_draft->value(node, QStringLiteral("connection.type")).toString();
    const QString shape = node.service < 0 ? connection : (node.check >= 0 ? type : QString());
    if (node == m_shown && m_formArea->widget() && m_formArea->widget()->property("shape").toString() == shape)
        return;
    m_shown = node;
    m_fields.clear();
    m_workerPicker = nullptr;
    m_connectionTester = nullptr;
    auto* page = new QWidget;
    page->setProperty("shape", shape);
    auto* layout = new QVBoxLayout(page);
    m_formError = new QLabel(page);
    m_formError->setWordWrap(true);
    m_formError->hide();
    layout->addWidget(m_formError);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->addLayout(form);
    layout->addStretch(1);

    QList<CheckField> fields;
    if (node.service < 0) {
        fields = deploymentFields(connection == QLatin1String("ssh"));
    } else if (node.check < 0) {
        fields = serviceFields();
    } else {
        fields = commonCheckFields();
        if (const CheckType* checkType = findCheckType(type))
            fields << checkType->fields;
    }
    for (const CheckField& f : std::as_const(fields))
        addField(form, f);
    if (node.service < 0 && connection == QLatin1String("ssh"))
        addConnectionTest(form);
    m_formArea->setWidget(page);
    showValidation();
}

void DeploymentEditor::addField(QFormLayout* form, const CheckField& field)
{
    auto* editor = new FieldEditor(field, form->parentWidget());
    const Node node = m_shown;
    if (field.kind == Kind::Secret)
        editor->setSecretText(m_draft->secret(node, field.key));
    else
        editor->setValue(m_draft->value(node, field.key));
    auto* label = new QLabel(FieldEditor::labelFor(field.key) + u':', form->parentWidget());
    label->setBuddy(editor->input());
    form->addRow(label, editor);
    m_fields.insert(field.key, editor);
    if (field.key == QLatin1String("workers") && node.check >= 0)
        addWorkerFinder(form, node);
    connect(editor, &FieldEditor::secretEdited, this,
            [this, node, key = field.key](const QString& text) { m_draft->setSecret(node, key, text); });
    connect(editor, &FieldEditor::edited, this, [this, node, key = field.key](const QJsonValue& value) {
        if (node.check >= 0 && key == QLatin1String("type")) {
            m_draft->setCheckType(node, value.toString());
            QMetaObject::invokeMethod(
                this, [this, node] { showForm(node); }, Qt::QueuedConnection);
            return;
        }
        m_draft->setValue(node, key, value);
        if (key == QLatin1String("connection.type"))
            QMetaObject::invokeMethod(
                this, [this, node] { showForm(node); }, Qt::QueuedConnection);
    });
}

void DeploymentEditor::addWorkerFinder(QFormLayout* form, Node node)
{
    m_workerPicker = new WorkerPicker(
        [this, node]() -> std::optional<WorkerPicker::Broker> {
            const auto& spec = m_draft->spec();
            if (!spec)
                return std::nullopt;
            const ProbeTarget& target = spec->services.at(node.service).checks.at(node.check).target;
            if (const auto* ping = std::get_if<CeleryPingTarget>(&target))
                return WorkerPicker::Broker{ping->broker, ping->keyPrefix};
            if (const auto* heartbeat = std::get_if<HeartbeatTarget>(&target))
                return WorkerPicker::Broker{heartbeat->broker, heartbeat->keyPrefix};
            return std::nullopt;
        },
        form->parentWidget());
    form->addRow(QString(), m_workerPicker);
    connect(m_workerPicker, &WorkerPicker::picked, this, [this, node](const QString& worker) {
        QJsonArray workers = m_draft->value(node, QStringLiteral("workers")).toArray();
        if (!workers.contains(worker))
            workers.append(worker);
        m_draft->setValue(node, QStringLiteral("workers"), workers);
        if (FieldEditor* editor = m_fields.value(QStringLiteral("workers")))
            editor->setValue(workers);
    });
}

void DeploymentEditor::addConnectionTest(QFormLayout* form)
{
    m_connectionTester = new ConnectionTester(
        [this]() -> std::optional<SshSpec> {
            const auto& spec = m_draft->spec();
            if (!spec || spec->connection.type != ConnectionSpec::Type::Ssh)
                return std::nullopt;
            return spec->connection.ssh;
        },
        form->parentWidget());
    form->addRow(QString(), m_connectionTester);
}

FieldEditor* DeploymentEditor::fieldEditor(const QString& key) const
{
    return m_fields.value(key);
}

QString DeploymentEditor::placeOf(Node node) const
{
    if (node.service < 0)
        return tr("Deployment");
    if (node.check < 0)
        return tr("Service “%1”").arg(m_draft->nameOf(node));
    return tr("Service “%1”, check “%2”").arg(m_draft->nameOf({node.service, -1}), m_draft->nameOf(node));
}

void DeploymentEditor::showValidation()
{
    for (FieldEditor* editor : std::as_const(m_fields))
        editor->setError({});
    if (m_formError)
        m_formError->hide();
    if (!m_draft->isValidated())
        return;
    const auto& error = m_draft->error();
    QString nameTaken;
    if (!error && m_target.takenNames.contains(m_draft->nameOf({})))
        nameTaken = tr("a deployment named “%1” is already open from another file").arg(m_draft->nameOf({}));
    const bool valid = !error && nameTaken.isEmpty();
    m_save->setEnabled(valid && !m_saving);
    m_saveAs->setEnabled(valid && !m_saving);
    m_showError->setVisible(!valid);
    if (valid) {
        m_status->setText(QStringLiteral("✓ ") + m_draft->validSummary());
        return;
    }
    if (!nameTaken.isEmpty()) {
        m_status->setText(QStringLiteral("⚠ ") + nameTaken);
        if (m_shown == Node{} && m_fields.contains(QStringLiteral("name")))
            m_fields.value(QStringLiteral("name"))->setError(nameTaken);
        return;
    }
    QString key;
    const Node node = DeploymentDraft::nodeOf(error->keyPath, &key);
    m_status->setText(QStringLiteral("⚠ ") + placeOf(node) + QStringLiteral(": ") + error->message);
    if (!(node == m_shown))
        return;
    FieldEditor* editor = m_fields.value(key);
    if (!editor && key.contains(u'.') && !key.startsWith(QLatin1String("connection.")))
        editor = m_fields.value(key.section(u'.', 0, 0)); // headers.Authorization → headers
    if (!editor && key.startsWith(QLatin1String("connection.")))
        editor = m_fields.value(key.section(u'.', 0, 1));
    if (editor) {
        editor->setError(error->message);
    } else if (m_formError) {
        m_formError->setText(QStringLiteral("⚠ ") + error->message);
        m_formError->show();
    }
}

void DeploymentEditor::showErrorPlace()
{
    const auto& error = m_draft->error();
    if (!error) {
        if (FieldEditor* name = m_fields.value(QStringLiteral("name")))
            name->input()->setFocus();
        return;
    }
    QString key;
    select(DeploymentDraft::nodeOf(error->keyPath, &key));
    if (FieldEditor* editor = m_fields.value(key))
        editor->input()->setFocus();
}

QString DeploymentEditor::statusText() const
{
    return m_status->text();
}

QString DeploymentEditor::defaultPath() const
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
    return QDir(dir).filePath(QStringLiteral("deployments/") + m_draft->nameOf({}) + QStringLiteral(".json"));
}

void DeploymentEditor::chooseSavePath()
{
    auto* dialog = new QFileDialog(this, tr("Save Deployment As"), defaultPath(), tr("Deployment files (*.json)"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("json"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString& path) {
        m_target.path = path;
        m_target.others.clear(); // a new file holds this deployment only
        m_target.index = 0;
        saveTo(path);
    });
    dialog->open();
}

void DeploymentEditor::saveTo(const QString& path)
{
    if (!m_draft->isValidated() || !m_draft->spec() || m_saving)
        return;
    m_saving = true;
    m_save->setEnabled(false);
    m_saveAs->setEnabled(false);
    m_status->setText(tr("Saving %1…").arg(path));
    DeploymentFile file;
    file.deployments = path == m_target.path ? m_target.others : QList<DeploymentSpec>();
    file.deployments.insert(std::clamp(qsizetype(m_target.index), qsizetype(0), file.deployments.size()),
                            *m_draft->spec());
    m_saver->save(path, file);
}

} // namespace okh
