// The Models dialog lists the manifest with each model's architecture, says where a sha256 comes
// from (manifest, recorded on first download, or not known yet), and offers Download only where
// the model is missing and has a public source.
#include <catch2/catch.hpp>

#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>

#include "anatomy/model_registry.h"
#include "panels/model_manager_dialog.h"
#include "widgets/widget_test_support.h"

using namespace anatomy::widgets;

namespace {

QString statusText(const QDialog& d) {
    QString longest;
    for (const QLabel* l : d.findChildren<QLabel*>())
        if (l->text().size() > longest.size()) longest = l->text();
    return longest;
}

QPushButton* button(const QDialog& d, const QString& text) {
    for (QPushButton* b : d.findChildren<QPushButton*>())
        if (b->text().startsWith(text)) return b;
    return nullptr;
}

}  // namespace

TEST_CASE("Models dialog: architecture column, sha256 provenance, download only where it can be", "[manifest][dialog]") {
    widgetTestApp();
    QTemporaryDir data;
    REQUIRE(data.isValid());
    const QByteArray before = qgetenv("XDG_DATA_HOME");  // the test app's scratch folder
    qputenv("XDG_DATA_HOME", data.path().toUtf8());  // no records, downloads would land here
    ModelManagerDialog dialog;
    auto* table = dialog.findChild<QTableWidget*>();
    REQUIRE(table);
    const auto& models = anatomy::knownModels();
    REQUIRE(table->rowCount() == int(models.size()));
    REQUIRE(table->columnCount() >= 7);
    CHECK(table->horizontalHeaderItem(1)->text() == QStringLiteral("Architecture"));
    QPushButton* download = button(dialog, QStringLiteral("Download"));
    REQUIRE(download);
    for (int r = 0; r < table->rowCount(); ++r) {
        const anatomy::KnownModel& m = models[size_t(r)];
        INFO(m.name);
        CHECK(table->item(r, 1)->text().toStdString() == m.architecture);
        table->selectRow(r);
        const QString status = statusText(dialog);
        const bool found = !anatomy::resolveModelPath(m.file).empty();
        if (!m.sha256.empty()) {
            CHECK(status.contains(QStringLiteral("(manifest)")));
        } else if (m.url.empty()) {  // a file the user converts (flan-t5-small)
            CHECK(status.contains(QStringLiteral("none to download")));
            CHECK(status.contains(QStringLiteral("not verified")));
        } else {
            CHECK(status.contains(QStringLiteral("recorded on the first download")));
        }
        CHECK(download->isEnabled() == (!found && !m.url.empty()));
    }
    if (qEnvironmentVariableIsSet("ANATOMY_TEST_SNAPSHOTS")) {  // to look at it
        table->selectRow(qEnvironmentVariableIsSet("ANATOMY_TEST_SNAPSHOT_ROW") ? qEnvironmentVariableIntValue("ANATOMY_TEST_SNAPSHOT_ROW") : 5);
        dialog.resize(1200, 440);
        dialog.grab().save(qEnvironmentVariable("ANATOMY_TEST_SNAPSHOTS") + QStringLiteral("/models_dialog.png"));
    }
    qputenv("XDG_DATA_HOME", before);
}
