// The architecture simulator in the GUI: the dock's controls produce the SimSettings the CLI's
// --set would, the controller traces and measures perplexity with them, the session file keeps
// them, and the simulator's views (activations, MoE routing, KV cache) draw real data.
#include <catch2/catch.hpp>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QLineEdit>
#include <QListWidget>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QWheelEvent>
#include <cmath>

#include "views/activation_view.h"
#include "anatomy/knob_table.h"
#include "anatomy/sim_settings.h"
#include "panels/architecture_panel.h"
#include "engine/knob_examples.h"
#include "panels/knob_help.h"
#include "views/kv_cache_view.h"
#include "views/routing_view.h"
#include "controller/trace_controller.h"
#include "export/view_export.h"
#include "widgets/widget_test_support.h"

using namespace anatomy;
using namespace anatomy::widgets;

namespace {

// A trace of kTestPrompt with the given settings, through the controller.
ViewInput traceWith(const SimSettings& s) {
    TraceController c;
    c.setSimSettings(s);
    c.setPrompt(QString::fromUtf8(kTestPrompt));
    loadStories(c);
    REQUIRE(c.waitForIdle(120000));
    REQUIRE(c.lastError().isEmpty());
    REQUIRE(c.currentInput().trace);
    return c.currentInput();
}

SimSettings with(std::initializer_list<const char*> lines) {
    SimSettings s;
    for (const char* l : lines) applySetting(s, l);
    return s;
}

}  // namespace

TEST_CASE("architecture panel: the defaults are the model as trained", "[sim-gui]") {
    widgetTestApp();
    ArchitecturePanel panel;
    CAPTURE(panel.assignments().join(QLatin1Char(' ')).toStdString());
    CHECK(panel.settings() == SimSettings{});
    CHECK(describe(panel.settings()) == "as trained");
    CHECK(panel.errorText().isEmpty());
    // Every control's line is a key the engine knows (the same keys as anatomy-cli --set).
    for (const QString& line : panel.assignments()) {
        INFO(line.toStdString());
        CHECK(findSettingInfo(line.section(QLatin1Char('='), 0, 0)) != nullptr);
    }
}

TEST_CASE("architecture panel: the list of active heads shows each intervention, then (none)", "[sim-gui]") {
    widgetTestApp();
    ArchitecturePanel panel;
    SimSettings s;
    s.heads = {{HeadIntervention::Kind::Zero, 0, 1, 0.0f}, {HeadIntervention::Kind::Mean, 2, 3, 0.0f}};
    panel.setSettings(s);
    const QList<QListWidget*> lists = panel.findChildren<QListWidget*>();
    REQUIRE(lists.size() == 1);
    QListWidget* list = lists[0];
    REQUIRE(list->count() == 2);
    CHECK(list->item(0)->text() == QStringLiteral("L0 H1 zero-ablated"));
    CHECK(list->item(1)->text() == QStringLiteral("L2 H3 mean-ablated"));
    CHECK(panel.settings().heads == s.heads);
    panel.setSettings(SimSettings{});
    REQUIRE(list->count() == 1);
    CHECK(list->item(0)->text() == QStringLiteral("(none)"));
}

TEST_CASE("architecture panel: selecting post-norm gives normPlacement Post", "[sim-gui]") {
    widgetTestApp();
    ArchitecturePanel panel;
    std::vector<SimSettings> emitted;
    QObject::connect(&panel, &ArchitecturePanel::settingsChanged, [&](const SimSettings& s) { emitted.push_back(s); });
    auto* placement = qobject_cast<QComboBox*>(panel.control(QStringLiteral("norm.placement")));
    REQUIRE(placement);
    placement->setCurrentText(QStringLiteral("post"));
    REQUIRE(emitted.size() == 1);
    CHECK(emitted.back().normPlacement == NormPlacement::Post);
    CHECK(describe(emitted.back()).find("norm.placement=post") != std::string::npos);

    auto* act = qobject_cast<QComboBox*>(panel.control(QStringLiteral("ffn.act")));
    act->setCurrentText(QStringLiteral("gelu-erf"));
    CHECK(panel.settings().activation == Activation::GeluErf);
    CHECK(panel.settings().normPlacement == NormPlacement::Post);

    auto* experts = qobject_cast<QSpinBox*>(panel.control(QStringLiteral("moe.experts")));
    experts->setValue(4);
    CHECK(panel.settings().moe.experts == 4);

    auto* prefix = qobject_cast<QSpinBox*>(panel.control(QStringLiteral("attn.prefix")));
    REQUIRE(prefix);
    prefix->setValue(8);
    CHECK(panel.settings().prefixLength == 8);

    // Reset brings every knob back, including ones describe() does not mention.
    panel.setSettings(SimSettings{});
    CHECK(describe(panel.settings()) == "as trained");
    CHECK(panel.settings() == SimSettings{});
    CHECK(prefix->value() == 0);
    CHECK(placement->currentText() == QStringLiteral("pre"));
    CHECK(experts->value() == 0);
}

TEST_CASE("architecture panel: an invalid combination shows the engine's message and is not sent", "[sim-gui]") {
    widgetTestApp();
    ArchitecturePanel panel;
    ModelConfig c;
    c.dim = 64;
    c.hiddenDim = 172;
    c.nLayers = 5;
    c.nHeads = 8;
    c.nKvHeads = 4;
    c.vocabSize = 512;
    c.seqLen = 512;
    panel.setModelConfig(c);
    int emitted = 0;
    QObject::connect(&panel, &ArchitecturePanel::settingsChanged, [&](const SimSettings&) { ++emitted; });
    // Linear attention with a bidirectional mask: validateSettings refuses it.
    qobject_cast<QComboBox*>(panel.control(QStringLiteral("attn.mask")))->setCurrentText(QStringLiteral("bidirectional"));
    CHECK(emitted == 1);
    qobject_cast<QComboBox*>(panel.control(QStringLiteral("attn.kernel")))->setCurrentText(QStringLiteral("linear"));
    CHECK(emitted == 1);
    CHECK(panel.errorText().contains(QStringLiteral("attn.kernel")));
    CHECK(panel.settings().kernel == AttentionKernel::Softmax);  // the last valid settings stay
    // An editable value the engine cannot parse.
    qobject_cast<QComboBox*>(panel.control(QStringLiteral("attn.kernel")))->setCurrentText(QStringLiteral("softmax"));
    CHECK(panel.errorText().isEmpty());
}

TEST_CASE("knob help: every knob has a paragraph and the dock shows it", "[sim-gui]") {
    widgetTestApp();
    for (const SettingInfo& i : settingInfo()) {
        INFO(i.key);
        CHECK(!i.explanation.empty());
        CHECK(knobHelpHtml(QString::fromStdString(i.key)).contains(QString::fromStdString(i.key)));
    }
    ArchitecturePanel panel;
    panel.showHelp(QStringLiteral("rope.scaling"));
    CHECK(panel.helpKey() == QStringLiteral("rope.scaling"));
}

namespace {

// Sets a generated control the way a user does: pick, type and confirm, or step.
void setControl(QWidget* w, const QString& v) {
    if (auto* box = qobject_cast<QComboBox*>(w)) {
        box->setCurrentText(v);
        if (box->isEditable()) Q_EMIT box->lineEdit()->editingFinished();
    } else if (auto* spin = qobject_cast<QSpinBox*>(w)) {
        spin->setValue(v.toInt());
    } else if (auto* d = qobject_cast<QDoubleSpinBox*>(w)) {
        d->setValue(v.toDouble());
    } else if (auto* edit = qobject_cast<QLineEdit*>(w)) {
        edit->setText(v);
        Q_EMIT edit->editingFinished();
    } else {
        FAIL("no way to set a " << w->metaObject()->className());
    }
}

}  // namespace

// Iterates the engine's knob table: no key is listed here, so a new row is tested as it is added.
TEST_CASE("architecture panel: every knob of the table has a control that sets it", "[sim-gui][knobs]") {
    widgetTestApp();
    ArchitecturePanel panel;
    int controls = 0;
    for (const Knob& k : knobTable()) {
        const QString key = QString::fromStdString(k.key);
        INFO(k.key);
        if (!k.stored()) {
            CHECK(panel.control(key) == nullptr);  // a shorthand sets other knobs
            continue;
        }
        ++controls;
        auto* w = panel.findChild<QWidget*>(key);
        REQUIRE(w);
        CHECK(panel.control(key) == w);
        CHECK(w->toolTip().contains(key));
        if (!k.formula.empty()) CHECK(w->toolTip().contains(QString::fromStdString(k.formula).toHtmlEscaped()));
        // A choice offers exactly the table's names.
        if (k.type == KnobType::Choice) {
            auto* box = qobject_cast<QComboBox*>(w);
            REQUIRE(box);
            REQUIRE(box->count() == int(k.choices.size()));
            for (int i = 0; i < box->count(); ++i) CHECK(box->itemText(i).toStdString() == k.choices[size_t(i)].name);
        }
        // Setting the control gives the settings `--set key=value` gives.
        const std::string v = knobtest::nonDefaultValue(k);
        INFO("value " << v);
        panel.setSettings(SimSettings{});
        REQUIRE(panel.settings() == SimSettings{});
        setControl(w, QString::fromStdString(v));
        SimSettings expected;
        applySetting(expected, k.key + "=" + v);
        // Picking a RoPE scaling method in the dock also starts its factor at 4 (at s = 1 every
        // method but dynamic NTK changes nothing); --set leaves the factor to its own key.
        if (k.key == "rope.scaling" && v != "none" && v != "dynamic-ntk")
            applySetting(expected, "rope.factor=" + std::to_string(int(ArchitecturePanel::kFirstRopeFactor)));
        CHECK(panel.errorText().isEmpty());
        CHECK(panel.settings() == expected);
        CHECK(describe(panel.settings()) == describe(expected));
        // And setSettings moves the control back: the panel's line for it is the table's text.
        panel.setSettings(SimSettings{});
        panel.setSettings(expected);
        CHECK(panel.settings() == expected);
        CHECK(panel.assignments().contains(QString::fromStdString(k.key + "=" + k.format(expected))));
    }
    CHECK(controls >= 30);
}

TEST_CASE("architecture panel: a control is enabled only while its knob applies", "[sim-gui][knobs]") {
    widgetTestApp();
    ArchitecturePanel panel;
    for (const Knob& k : knobTable()) {
        if (!k.stored()) continue;
        INFO(k.key);
        CHECK(panel.control(QString::fromStdString(k.key))->isEnabled() == k.appliesTo(SimSettings{}));
    }
    auto* window = panel.control(QStringLiteral("attn.window"));
    CHECK_FALSE(window->isEnabled());
    setControl(panel.control(QStringLiteral("attn.sparse")), QStringLiteral("sinks"));
    CHECK(window->isEnabled());
    CHECK(panel.control(QStringLiteral("attn.sinks"))->isEnabled());
    CHECK_FALSE(panel.control(QStringLiteral("attn.chunk"))->isEnabled());
    auto* factor = panel.control(QStringLiteral("rope.factor"));
    CHECK_FALSE(factor->isEnabled());
    setControl(panel.control(QStringLiteral("rope.scaling")), QStringLiteral("yarn"));
    CHECK(factor->isEnabled());
    setControl(panel.control(QStringLiteral("pos")), QStringLiteral("alibi"));
    CHECK_FALSE(factor->isEnabled());
    CHECK_FALSE(panel.control(QStringLiteral("rope.base"))->isEnabled());
}

TEST_CASE("architecture panel: the mouse wheel over an unfocused control changes nothing", "[sim-gui][knobs]") {
    widgetTestApp();
    ArchitecturePanel panel;
    auto wheel = [](QWidget* w) {
        QWheelEvent e(QPointF(5, 5), QPointF(5, 5), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
        QApplication::sendEvent(w, &e);
    };
    // The same wheel event steps a plain spin box, so the event itself would change a value.
    QSpinBox plain;
    plain.setRange(0, 10);
    wheel(&plain);
    REQUIRE(plain.value() == 1);
    // A plain combo box scrolls on the wheel only where the style allows it; where it does not,
    // the combo box check below could not fail, so it is made only where it can.
    QComboBox plainCombo;
    plainCombo.addItems({QStringLiteral("a"), QStringLiteral("b")});
    wheel(&plainCombo);
    const bool comboScrolls = plainCombo.currentIndex() != 0;
    if (!comboScrolls) WARN("this style ignores the wheel on combo boxes: only the spin boxes are checked");
    auto* scale = qobject_cast<QDoubleSpinBox*>(panel.control(QStringLiteral("attn.scale")));
    auto* experts = qobject_cast<QSpinBox*>(panel.control(QStringLiteral("moe.experts")));
    auto* placement = qobject_cast<QComboBox*>(panel.control(QStringLiteral("norm.placement")));
    REQUIRE(scale);
    REQUIRE(experts);
    REQUIRE(placement);
    for (QWidget* w : {static_cast<QWidget*>(scale), static_cast<QWidget*>(experts), static_cast<QWidget*>(placement)}) {
        CHECK(w->isEnabled());
        CHECK_FALSE(w->hasFocus());
        CHECK(w->focusPolicy() == Qt::StrongFocus);  // a wheel does not give it the focus either
        wheel(w);
    }
    CHECK(scale->value() == 1.0);
    CHECK(experts->value() == 0);
    if (comboScrolls) CHECK(placement->currentText() == QStringLiteral("pre"));
    CHECK(panel.settings() == SimSettings{});
}

TEST_CASE("knob text: assignments read back to the same settings, every knob at once", "[sim-gui][knobs]") {
    // Every stored knob changed together (from the table's own example values).
    SimSettings s;
    for (const Knob& k : knobTable())
        if (k.stored()) applySetting(s, k.key + "=" + knobtest::nonDefaultValue(k));
    const QStringList lines = assignmentLines(s);
    CAPTURE(lines.join(QStringLiteral(", ")).toStdString());
    int stored = 0;
    for (const Knob& k : knobTable()) stored += k.stored() ? 1 : 0;
    CHECK(lines.size() == stored);
    QString err;
    const auto back = settingsFromAssignments(lines, &err);
    REQUIRE(back);
    CHECK(*back == s);
    CHECK_FALSE(*back == SimSettings{});
    // A panel given s shows s and sends nothing else.
    widgetTestApp();
    ArchitecturePanel panel;
    panel.setSettings(s);
    CHECK(panel.settings() == s);
    // A bad line is refused with the engine's message.
    CHECK_FALSE(settingsFromAssignments({QStringLiteral("rope.factor=inf")}, &err));
    CHECK(err.contains(QStringLiteral("rope.factor")));
}

TEST_CASE("controller: a bidirectional mask attends above the diagonal", "[sim-gui]") {
    widgetTestApp();
    const ViewInput causal = traceWith(SimSettings{});
    const ViewInput bi = traceWith(with({"attn.mask=bidirectional"}));
    CHECK(bi.trace->settings == with({"attn.mask=bidirectional"}));
    CHECK(describe(bi.trace->settings) == "attn.mask=bidirectional");
    auto above = [](const Trace& t) {
        double sum = 0;
        const FloatArray& p = t.layers[0].attnProbs;  // [nHeads, nQ, nKv]
        for (int h = 0; h < p.dim(0); ++h)
            for (int i = 0; i < p.dim(1); ++i)
                for (int j = i + 1; j < p.dim(2); ++j) sum += p.at({h, i, j});
        return sum;
    };
    CHECK(above(*causal.trace) == 0.0);
    CHECK(above(*bi.trace) > 1.0);
}

TEST_CASE("controller: MoE E=4 k=1 records routing, and the routing view draws it", "[sim-gui]") {
    widgetTestApp();
    const ViewInput in = traceWith(with({"moe.experts=4", "moe.k=1"}));
    const Trace& t = *in.trace;
    REQUIRE(t.moe.size() == size_t(t.config.nLayers));
    CHECK(t.moe[0].routerLogits.dim(0) == t.nQ);
    CHECK(t.moe[0].routerLogits.dim(1) == 4);
    CHECK(t.moe[0].chosen.dim(1) == 1);

    const RoutingPlotData d = routingPlotData(t, Selection{-1, 1, 0});
    REQUIRE(d.valid);
    CHECK(d.layer == 1);
    CHECK(d.nExperts == 4);
    int load = 0;
    for (int l : d.load) load += l;
    CHECK(load == t.nQ);  // k = 1, unlimited capacity: every token goes to one expert
    RoutingView view;
    view.setInput(in);
    view.setSelection(Selection{-1, 1, 0});
    const QImage img = renderWidget(&view, QSize(1200, 800));
    CHECK(distinctColors(img) > 20);

    // MoE off: an empty state with a message, not an empty plot.
    const RoutingPlotData off = routingPlotData(*widgetTestInput().trace, Selection{});
    CHECK(!off.valid);
    CHECK(off.message.contains(QStringLiteral("off")));
}

TEST_CASE("controller: perplexity with settings against the model as trained", "[sim-gui]") {
    widgetTestApp();
    const QString corpus = QStringLiteral(ANATOMY_TEST_SHARED_DIR "/corpus/tinystories/tinystories_train_head_197K.txt");
    REQUIRE(QFileInfo::exists(corpus));
    CHECK(!defaultCorpusPath().isEmpty());  // found from the working directory or the binary
    TraceController c;
    loadStories(c);
    REQUIRE(c.waitForIdle(120000));
    std::vector<PerplexityReport> reports;
    QObject::connect(&c, &TraceController::perplexityReady,
                     [&](const PerplexityReport& r, quint64) { reports.push_back(r); });
    QString failure;
    QObject::connect(&c, &TraceController::perplexityFailed, [&](const QString& m, quint64) { failure = m; });
    PerplexityWindow w;
    w.textPath = corpus;
    w.length = 1024;
    w.context = 256;
    // Latest wins: the first request is replaced before it reports.
    c.requestPerplexity(w);
    c.setSimSettings(with({"pos=none"}));
    c.requestPerplexity(w);
    REQUIRE(c.waitForPerplexity(120000));
    INFO(failure.toStdString());
    REQUIRE(reports.size() == 1);
    const PerplexityReport& r = reports.back();
    CHECK(r.settings == QStringLiteral("pos=none"));
    CHECK(r.baseline.ppl > 1.0);
    CHECK(r.baseline.ppl < 20.0);  // stories260K on TinyStories
    CHECK(r.result.ppl > r.baseline.ppl);  // removing positions hurts
    CHECK(r.summary().startsWith(QStringLiteral("ppl ")));
    CHECK(r.summary().contains(QStringLiteral("as trained")));
}

TEST_CASE("activation view: the chosen curve against SiLU", "[sim-gui]") {
    widgetTestApp();
    const ActivationPlotData relu = activationPlotData(with({"ffn.act=relu"}), -2, 2, 5);
    REQUIRE(relu.x.size() == 5);
    CHECK(relu.value[0] == 0.0);
    CHECK(relu.value[4] == Approx(2.0));
    CHECK(relu.derivative[4] == Approx(1.0));
    CHECK(relu.silu[4] == Approx(2.0 / (1.0 + std::exp(-2.0))));
    CHECK(relu.maxDifference > 0.2);
    CHECK(activationPlotData(SimSettings{}).maxDifference == 0.0);

    ActivationView view;
    ViewInput in = traceWith(with({"ffn.act=gelu-tanh"}));
    view.setInput(in);
    CHECK(view.plotData().name == QStringLiteral("gelu-tanh"));
    CHECK(distinctColors(renderWidget(&view, QSize(1200, 700))) > 10);
}

TEST_CASE("kv cache view: Llama-2-7B holds 2*32*32*128*2 bytes per token", "[sim-gui]") {
    widgetTestApp();
    const auto rows = kvCacheEntries(nullptr, {}, 4096, 512);
    bool found = false;
    for (const KvCacheEntry& e : rows)
        if (e.model == QLatin1String("Llama-2-7B") && e.published) {
            found = true;
            CHECK(e.bytesPerToken == 2LL * 32 * 32 * 128 * 2);
            CHECK(e.bytesAtContext == 2LL * 32 * 32 * 128 * 2 * 4096);
        }
    CHECK(found);
    KvCacheView view;
    view.setInput(widgetTestInput());
    view.setContext(4096);
    CHECK(view.toCsv().contains(QStringLiteral("Llama-2-7B")));
    CHECK(view.toCsv().contains(QString::number(2LL * 32 * 32 * 128 * 2)));
    CHECK(distinctColors(renderWidget(&view, QSize(1400, 800))) > 10);
}
