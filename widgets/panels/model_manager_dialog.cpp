#include "panels/model_manager_dialog.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressDialog>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "anatomy/model_registry.h"
#include "controller/model_download.h"

namespace anatomy::widgets {

namespace {

enum Column { ColName, ColArchitecture, ColFormat, ColSize, ColLicense, ColState, ColPath, ColCount };

QString humanSize(int64_t bytes) {
    if (bytes <= 0) return QObject::tr("unknown");
    if (bytes < (1 << 20)) return QStringLiteral("%1 KiB").arg(bytes / 1024.0, 0, 'f', 0);
    if (bytes < (int64_t(1) << 30)) return QStringLiteral("%1 MiB").arg(bytes / 1048576.0, 0, 'f', 1);
    return QStringLiteral("%1 GiB").arg(bytes / 1073741824.0, 0, 'f', 2);
}

}  // namespace

ModelManagerDialog::ModelManagerDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Models"));
    resize(1000, 420);
    m_table = new QTableWidget(0, ColCount, this);
    m_table->setHorizontalHeaderLabels(
        {tr("Model"), tr("Architecture"), tr("Format"), tr("Size"), tr("License"), tr("State"), tr("Path or source")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->setVisible(false);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_open = new QPushButton(tr("Open"), this);
    m_verify = new QPushButton(tr("Verify sha256"), this);
    m_download = new QPushButton(tr("Download…"), this);
    auto* browse = new QPushButton(tr("Open other file…"), this);
    auto* close = new QPushButton(tr("Close"), this);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addWidget(m_verify);
    buttons->addWidget(m_download);
    buttons->addStretch(1);
    buttons->addWidget(browse);
    buttons->addWidget(close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);
    layout->addLayout(buttons);

    connect(m_table, &QTableWidget::itemSelectionChanged, this, &ModelManagerDialog::onSelectionChanged);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this] { onOpen(); });
    connect(m_open, &QPushButton::clicked, this, &ModelManagerDialog::onOpen);
    connect(m_verify, &QPushButton::clicked, this, &ModelManagerDialog::onVerify);
    connect(m_download, &QPushButton::clicked, this, &ModelManagerDialog::onDownload);
    connect(browse, &QPushButton::clicked, this, &ModelManagerDialog::onBrowse);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    refresh();
}

ModelManagerDialog::~ModelManagerDialog() = default;  // m_fetch, a child, removes its .part file

void ModelManagerDialog::refresh() {
    const auto& models = anatomy::knownModels();
    m_table->setRowCount(static_cast<int>(models.size()));
    m_paths.assign(models.size(), QString());
    m_states.resize(models.size());
    for (size_t i = 0; i < models.size(); ++i) {
        const anatomy::KnownModel& m = models[i];
        const int row = static_cast<int>(i);
        const QString path = QString::fromStdString(anatomy::resolveModelPath(m.file));
        m_paths[i] = path;
        // Keep a state a checksum already established for the same file.
        if (path.isEmpty()) m_states[i] = tr("missing");
        else if (m_states[i].isEmpty() || m_states[i] == tr("missing")) m_states[i] = tr("found");
        auto set = [&](int col, const QString& text) { m_table->setItem(row, col, new QTableWidgetItem(text)); };
        set(ColName, QString::fromStdString(m.name));
        set(ColArchitecture, QString::fromStdString(m.architecture));
        set(ColFormat, QString::fromStdString(m.format));
        set(ColSize, humanSize(path.isEmpty() ? m.size : QFileInfo(path).size()));
        set(ColLicense, QString::fromStdString(m.license));
        set(ColState, m_states[i]);
        set(ColPath, path.isEmpty() ? QString::fromStdString(m.url) : path);
        m_table->item(row, ColPath)->setToolTip(m_table->item(row, ColPath)->text());
    }
    m_table->resizeColumnsToContents();
    if (m_table->currentRow() < 0 && m_table->rowCount() > 0) m_table->selectRow(0);
    onSelectionChanged();
}

QString ModelManagerDialog::stateText(int row) const {
    return row >= 0 && row < static_cast<int>(m_states.size()) ? m_states[static_cast<size_t>(row)] : QString();
}

int ModelManagerDialog::currentRow() const {
    const int r = m_table->currentRow();
    return r >= 0 && r < static_cast<int>(m_paths.size()) ? r : -1;
}

void ModelManagerDialog::onSelectionChanged() {
    const int r = currentRow();
    const bool found = r >= 0 && !m_paths[static_cast<size_t>(r)].isEmpty();
    m_open->setEnabled(found);
    m_verify->setEnabled(found);
    const bool hasSource = r >= 0 && !anatomy::knownModels()[static_cast<size_t>(r)].url.empty();
    m_download->setEnabled(r >= 0 && !found && hasSource && !m_fetch);
    if (r >= 0) {
        const anatomy::KnownModel& m = anatomy::knownModels()[static_cast<size_t>(r)];
        const QString sha = QString::fromStdString(anatomy::expectedSha256(m));
        const QString shaText = !m.sha256.empty() ? tr("sha256 %1 (manifest)").arg(sha)
                                : !sha.isEmpty()  ? tr("sha256 %1 (recorded on first download)").arg(sha)
                                                  : tr("sha256 not known in advance: recorded on the first download, "
                                                       "verified after that");
        const QString source = m.url.empty() ? tr("none to download (the note says how to make the file)")
                                             : QString::fromStdString(m.url);
        m_status->setText(tr("%1 — %2\nsource: %3\n%4")
                              .arg(QString::fromStdString(m.name), QString::fromStdString(m.note), source,
                                   m.url.empty() && m.sha256.empty() ? tr("not verified: each conversion differs")
                                                                      : shaText));
    }
}

void ModelManagerDialog::onOpen() {
    const int r = currentRow();
    if (r < 0 || m_paths[static_cast<size_t>(r)].isEmpty()) return;
    Q_EMIT modelChosen(m_paths[static_cast<size_t>(r)], QString());
    accept();
}

void ModelManagerDialog::onVerify() {
    const int r = currentRow();
    if (r < 0 || m_paths[static_cast<size_t>(r)].isEmpty()) return;
    const anatomy::KnownModel& m = anatomy::knownModels()[static_cast<size_t>(r)];
    QApplication::setOverrideCursor(Qt::WaitCursor);
    QString actual;
    try {
        actual = QString::fromStdString(anatomy::sha256File(m_paths[static_cast<size_t>(r)].toStdString()));
    } catch (const std::exception& e) {
        m_status->setText(tr("cannot read %1: %2").arg(m_paths[static_cast<size_t>(r)], QString::fromUtf8(e.what())));
    }
    QApplication::restoreOverrideCursor();
    if (actual.isEmpty()) return;
    const QString expected = QString::fromStdString(anatomy::expectedSha256(m));
    if (expected.isEmpty()) {
        m_states[static_cast<size_t>(r)] = tr("unverified");
        m_table->item(r, ColState)->setText(m_states[static_cast<size_t>(r)]);
        m_status->setText(tr("No sha256 is known for %1 (neither in the manifest nor recorded on a download).\nfile: %2")
                              .arg(QString::fromStdString(m.name), actual));
        return;
    }
    const bool ok = actual == expected;
    m_states[static_cast<size_t>(r)] = ok ? tr("verified ✓") : tr("sha256 mismatch ✗");
    m_table->item(r, ColState)->setText(m_states[static_cast<size_t>(r)]);
    m_status->setText(ok ? tr("sha256 matches the manifest: %1").arg(actual)
                         : tr("sha256 differs from the expected one.\nfile:     %1\nexpected: %2")
                               .arg(actual, expected));
}

QString ModelManagerDialog::targetPathFor(int row) const {
    const anatomy::KnownModel& m = anatomy::knownModels()[static_cast<size_t>(row)];
    // The first search folder that exists (or can be made) receives the download.
    for (const std::string& d : anatomy::modelSearchDirs()) {
        const QString dir = QString::fromStdString(d);
        if (dir.isEmpty()) continue;
        if (QDir().mkpath(dir) && QFileInfo(dir).isWritable())
            return QDir(dir).filePath(QString::fromStdString(m.file));
    }
    return {};
}

void ModelManagerDialog::onDownload() {
    const int r = currentRow();
    if (r < 0 || m_fetch) return;
    const anatomy::KnownModel& m = anatomy::knownModels()[static_cast<size_t>(r)];
    const QString target = targetPathFor(r);
    if (target.isEmpty()) {
        m_status->setText(tr("No writable models folder: set ANATOMY_MODELS to a folder you can write."));
        return;
    }
    m_fetch = new ModelDownload(this);
    connect(m_fetch, &ModelDownload::progressed, this, [this](qint64 got, qint64 total) {
        if (!m_progress) return;
        if (total > 0) {
            m_progress->setMaximum(1000);
            m_progress->setValue(static_cast<int>(1000 * got / total));
        } else {
            m_progress->setMaximum(0);  // unknown size: busy indicator
        }
        m_progress->setLabelText(tr("Downloading… %1").arg(humanSize(got)));
    });
    const std::string expected = anatomy::expectedSha256(m);
    connect(m_fetch, &ModelDownload::finished, this, [this, r, expected](const QString& path, const QString& sha) {
        const anatomy::KnownModel& done = anatomy::knownModels()[static_cast<size_t>(r)];
        if (!expected.empty()) {
            m_states[static_cast<size_t>(r)] = tr("verified ✓");
            endDownload(tr("Saved and verified: %1").arg(path));
            return;
        }
        // Nothing was known in advance: this download's sha256 is what later opens verify.
        try {
            anatomy::recordSha256(done.file, sha.toStdString());
            m_states[static_cast<size_t>(r)] = tr("sha256 recorded");
            endDownload(tr("Saved: %1\nsha256 %2 recorded; later opens verify it.").arg(path, sha));
        } catch (const std::exception& e) {
            m_states[static_cast<size_t>(r)] = tr("unverified");
            endDownload(tr("Saved: %1, but the sha256 could not be recorded: %2").arg(path, QString::fromUtf8(e.what())));
        }
    });
    connect(m_fetch, &ModelDownload::failed, this,
            [this](const QString& message) { endDownload(tr("Download failed: %1").arg(message)); });
    connect(m_fetch, &ModelDownload::cancelled, this, [this] { endDownload(tr("Download cancelled.")); });
    m_download->setEnabled(false);
    if (!m_fetch->start(QUrl(QString::fromStdString(m.url)), target, QString::fromStdString(expected))) return;
    m_progress = new QProgressDialog(tr("Downloading %1…").arg(QString::fromStdString(m.name)), tr("Cancel"), 0, 100, this);
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setMinimumDuration(0);
    m_progress->setValue(0);
    connect(m_progress, &QProgressDialog::canceled, m_fetch, &ModelDownload::cancel);
}

void ModelManagerDialog::endDownload(const QString& message) {
    if (m_progress) {
        m_progress->reset();
        m_progress->deleteLater();
    }
    if (m_fetch) m_fetch->deleteLater();
    m_fetch = nullptr;
    refresh();  // re-describes the selected row, so the outcome is written after it
    m_status->setText(message);
}

void ModelManagerDialog::onBrowse() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open model"), QString(),
                                                      tr("Models (*.bin *.gguf);;All files (*)"));
    if (path.isEmpty()) return;
    Q_EMIT modelChosen(path, QString());
    accept();
}

}  // namespace anatomy::widgets
