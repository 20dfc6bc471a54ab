// The KV cache view's "Δ ppl vs as trained" column: the controller measures each of the loaded
// model's sharings as one batch off the GUI thread (latest batch wins), and the view shows it.
#include <catch2/catch.hpp>

#include <QFileInfo>
#include <QHeaderView>
#include <QTableWidget>
#include <cmath>

#include "panels/knob_help.h"
#include "views/kv_cache_view.h"
#include "controller/trace_controller.h"
#include "widgets/widget_test_support.h"

using namespace anatomy::widgets;

namespace {

void loadStoriesForCosts(TraceController& c) {
    c.setPrompt(QString::fromUtf8(kTestPrompt));
    loadStories(c);
}

PerplexityWindow shortWindow() { return corpusWindow(1024, 256); }

const QString kMqa = QStringLiteral("kv.sharing=mqa");
const QString kAsLoaded = QStringLiteral("kv.sharing=as-loaded");
const QString kMha = QStringLiteral("kv.sharing=mha");

}  // namespace

TEST_CASE("kv costs: MQA costs perplexity on stories260K, as trained costs nothing, latest batch wins", "[sim-gui]") {
    widgetTestApp();
    const PerplexityWindow w = shortWindow();
    REQUIRE(QFileInfo::exists(w.textPath));
    TraceController c;
    loadStoriesForCosts(c);
    REQUIRE(c.waitForIdle(120000));
    REQUIRE(c.hasModel());

    std::vector<std::pair<PerplexityCosts, quint64>> got;
    QString failure;
    QObject::connect(&c, &TraceController::perplexityCostsReady,
                     [&](const PerplexityCosts& r, quint64 n) { got.emplace_back(r, n); });
    QObject::connect(&c, &TraceController::perplexityCostsFailed, [&](const QString& m, quint64) { failure = m; });

    // Two batches back to back: the first is replaced (or its result dropped) before it reports.
    const quint64 first = c.requestPerplexityCosts(w, {{kMha, {kMha}}});
    // The current simulator settings must not leak into the rows: each row is "as trained + row".
    c.setSimSettings(*settingsFromAssignments({QStringLiteral("pos=none")}));
    const quint64 second = c.requestPerplexityCosts(w, {{kMqa, {kMqa}}, {kAsLoaded, {kAsLoaded}}});
    CHECK(second > first);
    CHECK(c.perplexityCostsBusy());
    REQUIRE(c.waitForPerplexityCosts(120000));
    INFO("failure: " << failure.toStdString());
    REQUIRE(got.size() == 1);
    CHECK(got.front().second == second);
    const PerplexityCosts& r = got.front().first;
    CHECK(r.window == w);
    CHECK(r.errors.empty());
    CHECK(r.costs.count(kMha) == 0);  // the first batch's row never arrives
    REQUIRE(r.costs.count(kMqa) == 1);
    REQUIRE(r.costs.count(kAsLoaded) == 1);
    INFO("baseline ppl " << r.baselinePpl << ", mqa ppl " << r.ppl.at(kMqa) << ", cost " << r.costs.at(kMqa));
    CHECK(r.baselinePpl > 1.0);
    CHECK(r.baselinePpl < 20.0);              // stories260K on TinyStories, as trained
    CHECK(r.costs.at(kMqa) > 0.0);            // one KV head for all 8 query heads hurts this model
    CHECK(std::abs(r.costs.at(kAsLoaded)) < 1e-9);
    CHECK(r.ppl.at(kMqa) == Approx(r.baselinePpl + r.costs.at(kMqa)));

    // A row the model rejects is reported for that row alone.
    got.clear();
    c.requestPerplexityCosts(w, {{QStringLiteral("bad"), {QStringLiteral("kv.sharing=nonsense")}}, {kAsLoaded, {kAsLoaded}}});
    REQUIRE(c.waitForPerplexityCosts(120000));
    REQUIRE(got.size() == 1);
    CHECK(got.front().first.errors.count(QStringLiteral("bad")) == 1);
    CHECK(got.front().first.costs.count(kAsLoaded) == 1);
}

TEST_CASE("kv costs: the view says computing, then shows the measured number and the window", "[sim-gui]") {
    widgetTestApp();
    KvCacheView view;
    view.setInput(widgetTestInput());
    const std::map<QString, QStringList> rows = perplexityCostRows(view.entries());
    CHECK(rows.count(kMqa) == 1);
    CHECK(rows.count(kAsLoaded) == 1);
    for (const auto& [key, lines] : rows) CHECK(key == lines.join(QLatin1Char(' ')));

    auto* table = view.findChild<QTableWidget*>();
    REQUIRE(table);
    const auto cellOf = [&](const QString& key) -> QString {
        for (int i = 0; i < int(view.entries().size()); ++i)
            if (view.entries()[size_t(i)].costKey() == key) return table->item(i, 4)->text();
        return QStringLiteral("<no row>");
    };
    CHECK(table->horizontalHeaderItem(4)->text().contains(QStringLiteral("as trained")));

    int rowsChanged = 0;
    QObject::connect(&view, &KvCacheView::rowsChanged, [&] { ++rowsChanged; });
    const PerplexityWindow w = shortWindow();
    view.setPerplexityCostsPending(describeWindow(w));
    CHECK(cellOf(kMqa) == QStringLiteral("computing\u2026"));
    CHECK(view.perplexityCostNote() == QStringLiteral("TinyStories tokens 0\u20131024, context 256"));
    CHECK(table->horizontalHeaderItem(4)->toolTip().contains(QStringLiteral("context 256")));

    // The controller's numbers, as main_window hands them over.
    TraceController c;
    loadStoriesForCosts(c);
    REQUIRE(c.waitForIdle(120000));
    c.requestPerplexityCosts(w, rows);
    QObject::connect(&c, &TraceController::perplexityCostsReady,
                     [&](const PerplexityCosts& r, quint64) { view.setPerplexityCosts(r.costs); });
    REQUIRE(c.waitForPerplexityCosts(120000));
    CHECK_FALSE(view.perplexityCostsPending());
    const QString mqa = cellOf(kMqa);
    INFO("MQA cell: " << mqa.toStdString());
    CHECK(mqa.startsWith(QLatin1Char('+')));
    CHECK(mqa.mid(1).toDouble() > 0.0);
    CHECK(cellOf(kAsLoaded) == QStringLiteral("+0.00"));
    CHECK(rowsChanged == 0);  // costs change cells, not rows: no request loop through main_window

    view.setPerplexityCostsFailed(QStringLiteral("no corpus"));
    CHECK(cellOf(kMqa) == QStringLiteral("not measured"));
}
