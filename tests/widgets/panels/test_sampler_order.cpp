// The Settings dock's stage order drives the sampling view: its stage buttons and plot data
// follow the chain's order, and the final distribution changes where the order matters.
#include <catch2/catch.hpp>

#include <QListWidget>
#include <QPushButton>
#include <algorithm>
#include <string>
#include <vector>

#include "anatomy/sampler.h"
#include "views/sampling_view.h"
#include "panels/settings_panel.h"
#include "widgets/widget_test_support.h"

using namespace anatomy;
using namespace anatomy::widgets;

namespace {

std::vector<std::string> shownStages(const SamplingView& view) {
    std::vector<std::string> names;
    for (const SamplingStageBars& s : view.plotData().stages) names.push_back(s.name.toStdString());
    return names;
}

// The first line of each stage button, left to right (the stage buttons are the checkable ones).
std::vector<std::string> buttonStages(const SamplingView& view) {
    std::vector<std::string> names;
    for (QPushButton* b : view.findChildren<QPushButton*>())
        if (b->isCheckable()) names.push_back(b->text().section(QLatin1Char('\n'), 0, 0).toStdString());
    return names;
}

int rowOf(QListWidget* list, const QString& name) {
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->text() == name) return i;
    return -1;
}

}  // namespace

TEST_CASE("sampler order: the dock's order is the order the sampling view shows and draws",
          "[widgets][sampling]") {
    widgetTestApp();
    ViewInput in = widgetTestInput();
    REQUIRE(in.trace);
    SettingsPanel panel;
    SamplingView view;
    view.resize(1400, 900);
    Selection sel;
    sel.position = 8;  // a position where the model is unsure of the next token
    view.setSelection(sel);
    QObject::connect(&panel, &SettingsPanel::settingsChanged, [&](const SamplerSettings& s) {
        in.sampler = s;
        view.setInput(in);
    });
    auto* list = panel.findChild<QListWidget*>(QStringLiteral("samplerOrder"));
    auto* down = panel.findChild<QPushButton*>(QStringLiteral("samplerOrderDown"));
    auto* up = panel.findChild<QPushButton*>(QStringLiteral("samplerOrderUp"));
    auto* reset = panel.findChild<QPushButton*>(QStringLiteral("samplerOrderDefault"));
    REQUIRE(list);
    REQUIRE(down);
    REQUIRE(up);
    REQUIRE(reset);

    // A hot temperature with top-p 0.9: where temperature runs decides the nucleus.
    SamplerSettings s;
    s.temperature = 2.0f;
    s.topP = 0.9f;
    panel.setSettings(s);
    REQUIRE(view.plotData().valid);
    const std::vector<std::string> defaultStages{"softmax", "penalty", "temperature", "top-k",
                                                 "top-p",   "min-p",   "typical",     "final"};
    CHECK(shownStages(view) == defaultStages);
    CHECK(buttonStages(view) == defaultStages);
    const int hotNucleus = view.plotData().stages.back().survivors;

    // Temperature moved to the bottom with the Down button: it now reshapes only the nucleus
    // of the model's own distribution, which is smaller.
    list->setCurrentRow(rowOf(list, QStringLiteral("temperature")));
    for (int i = 0; i < 3; ++i) down->click();
    CHECK(formatSamplerOrder(panel.settings().order) == "penalty,top-k,top-p,min-p,temperature,typical");
    const std::vector<std::string> temperatureLast{"softmax", "penalty",     "top-k",   "top-p",
                                                   "min-p",   "temperature", "typical", "final"};
    CHECK(shownStages(view) == temperatureLast);
    CHECK(buttonStages(view) == temperatureLast);
    const int coolNucleus = view.plotData().stages.back().survivors;
    INFO("nucleus with T 2 first: " << hotNucleus << " tokens; with T 2 last: " << coolNucleus);
    CHECK(coolNucleus < hotNucleus);
    // What the view shows is the engine's analysis of the same logits with the dock's settings.
    const std::vector<float> logits = in.trace->logitsRow(view.plotData().row);
    const SamplingReport report = Sampler::analyze(logits, {}, panel.settings());
    CHECK(report.stages.back().ids.size() == size_t(coolNucleus));
    // A draw comes from that nucleus.
    for (int i = 0; i < 10; ++i) {
        const int id = view.draw();
        CHECK(std::find(report.stages.back().ids.begin(), report.stages.back().ids.end(), id) !=
              report.stages.back().ids.end());
    }

    // Up moves it back one place; unchecking a stage takes it out of the chain and the view.
    up->click();
    CHECK(formatSamplerOrder(panel.settings().order) == "penalty,top-k,top-p,temperature,min-p,typical");
    list->item(rowOf(list, QStringLiteral("min-p")))->setCheckState(Qt::Unchecked);
    list->item(rowOf(list, QStringLiteral("typical")))->setCheckState(Qt::Unchecked);
    CHECK(formatSamplerOrder(panel.settings().order) == "penalty,top-k,top-p,temperature");
    CHECK(shownStages(view) ==
          std::vector<std::string>{"softmax", "penalty", "top-k", "top-p", "temperature", "final"});
    // The last checked stage cannot be unchecked: a chain needs a stage.
    for (const char* name : {"penalty", "top-k", "top-p", "temperature"})
        list->item(rowOf(list, QString::fromUtf8(name)))->setCheckState(Qt::Unchecked);
    CHECK(formatSamplerOrder(panel.settings().order) == "temperature");
    CHECK(view.plotData().valid);

    // Default restores llama2.c's order and the hot nucleus.
    reset->click();
    CHECK(panel.settings().order == SamplerSettings{}.order);
    CHECK(shownStages(view) == defaultStages);
    CHECK(view.plotData().stages.back().survivors == hotNucleus);

    // setSettings shows an order given in code (a preset, a session file).
    s.order = parseSamplerOrder("top-p,temperature");
    panel.setSettings(s);
    CHECK(formatSamplerOrder(panel.settings().order) == "top-p,temperature");
    CHECK(list->item(0)->text() == QStringLiteral("top-p"));
    CHECK(list->item(2)->checkState() == Qt::Unchecked);
    CHECK(view.plotData().stages.back().survivors == coolNucleus);
}
