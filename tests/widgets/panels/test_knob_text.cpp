// The knob table's words in the interface language: every label, choice, minimum text, group
// title, help paragraph and "model" word of the engine's table has an entry in
// widgets/panels/knob_text.cpp (a knob added to the engine without one is caught here), the zh_CN
// translation has each of them, and the Architecture dock shows them in Chinese, built so or
// switched live, with the same values; the help (knob_help.cpp) is Chinese with its key, value
// syntax and formula as they are.
#include <catch2/catch.hpp>

#include <QComboBox>
#include <QCoreApplication>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QSpinBox>
#include <QTextBrowser>
#include <QTranslator>
#include <algorithm>

#include "anatomy/knob_table.h"
#include "anatomy/sim_settings.h"
#include "lessons/language.h"
#include "panels/architecture_panel.h"
#include "panels/knob_help.h"
#include "panels/knob_text.h"
#include "widgets/widget_test_support.h"

using namespace anatomy;
using namespace anatomy::widgets;

namespace {

QString rowLabel(ArchitecturePanel& panel, const QString& key) {
    QWidget* w = panel.control(key);
    REQUIRE(w);
    auto* form = qobject_cast<QFormLayout*>(w->parentWidget()->layout());
    REQUIRE(form);
    auto* label = qobject_cast<QLabel*>(form->labelForField(w));
    REQUIRE(label);
    return label->text();
}

QStringList groupTitles(ArchitecturePanel& panel) {
    QStringList out;
    for (QGroupBox* g : panel.findChildren<QGroupBox*>()) out << g->title();
    return out;
}

bool hasChinese(const QString& s) {
    return std::any_of(s.begin(), s.end(), [](QChar c) { return c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF; });
}

QString escaped(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }

// English again whatever fails (the other test cases read English texts).
struct EnglishAfter {
    ~EnglishAfter() { installTranslation(QStringLiteral("en")); }
};

}  // namespace

TEST_CASE("knob words: every text of the engine's knob table has an entry to translate", "[i18n][architecture]") {
    widgetTestApp();
    const QStringList gaps = knobTextGaps();
    INFO("add these to widgets/panels/knob_text.cpp (and their Chinese to resources/i18n/fill_zh.py):\n"
         << gaps.join(QLatin1Char('\n')).toStdString());
    CHECK(gaps.isEmpty());
    // Without a translation the words are the engine's English.
    const Knob* scaling = findKnob("rope.scaling");
    REQUIRE(scaling);
    CHECK(knobLabel(*scaling) == QLatin1String("Scaling"));
    CHECK(knobChoiceLabel(*scaling, scaling->choices[1]) == QLatin1String("PI (linear)"));
    CHECK(knobSpecialText(*findKnob("moe.capacity")) == QLatin1String("unlimited"));
    CHECK(knobSpecialText(*scaling).isEmpty());
    CHECK(knobGroupName(KnobGroup::Moe) == QLatin1String("Mixture of experts"));
    CHECK(knobHelpText(*scaling) == QString::fromStdString(scaling->help));
    CHECK(knobWordText(*findKnob("rope.base")) == QLatin1String("model"));
    CHECK(knobWordText(*scaling).isEmpty());
    // Every knob with a paragraph has a help entry, every OptionalFloat one its word.
    int helps = 0, words = 0;
    for (const KnobTextEntry& e : knobTextEntries()) {
        helps += QLatin1String(e.context) == QLatin1String("anatomy::KnobHelp");
        words += QLatin1String(e.context) == QLatin1String("anatomy::KnobWord");
    }
    CHECK(helps == std::count_if(knobTable().begin(), knobTable().end(), [](const Knob& k) { return !k.help.empty(); }));
    CHECK(words == std::count_if(knobTable().begin(), knobTable().end(), [](const Knob& k) { return !k.word.empty(); }));
}

#ifdef ANATOMY_HAVE_TRANSLATIONS
TEST_CASE("knob words: the zh_CN translation has every one", "[i18n][architecture]") {
    widgetTestApp();
    QTranslator zh;
    REQUIRE(zh.load(QStringLiteral(":/i18n/anatomy_zh_CN.qm")));
    const QList<KnobTextEntry> entries = knobTextEntries();
    REQUIRE(entries.size() > 80);
    int chinese = 0;
    for (const KnobTextEntry& e : entries) {
        INFO(e.context << " " << e.key << ": " << e.source);
        // An empty answer: the .ts has no finished translation (run lupdate, then fill_zh.py).
        const QString t = zh.translate(e.context, e.source, e.key);
        CHECK_FALSE(t.isEmpty());
        chinese += t != QString::fromUtf8(e.source);
    }
    // Names such as RoPE, MQA or ε stay as they are; the words are Chinese.
    CHECK(chinese > entries.size() / 2);
}

TEST_CASE("knob words: the Architecture dock in Chinese, built so and switched live", "[i18n][architecture]") {
    widgetTestApp();
    EnglishAfter english;
    REQUIRE(installTranslation(QStringLiteral("en")));
    ArchitecturePanel en;
    en.setSettings(SimSettings{});
    const QStringList enGroups = groupTitles(en);
    CHECK(enGroups.contains(QStringLiteral("Mixture of experts")));
    CHECK(rowLabel(en, QStringLiteral("rope.scaling")) == QLatin1String("Scaling"));
    auto* enScaling = qobject_cast<QComboBox*>(en.control(QStringLiteral("rope.scaling")));
    REQUIRE(enScaling);
    CHECK(enScaling->itemText(1) == QLatin1String("linear"));  // the --set name, as before

    REQUIRE(installTranslation(QStringLiteral("zh_CN")));
    ArchitecturePanel zh;
    CHECK(rowLabel(zh, QStringLiteral("rope.scaling")) == QStringLiteral("缩放方法"));
    CHECK(rowLabel(zh, QStringLiteral("moe.capacity")) == QStringLiteral("容量因子"));
    CHECK(groupTitles(zh).contains(QStringLiteral("混合专家")));
    CHECK(groupTitles(zh).contains(QStringLiteral("归一化")));
    auto* scaling = qobject_cast<QComboBox*>(zh.control(QStringLiteral("rope.scaling")));
    REQUIRE(scaling);
    CHECK(scaling->itemText(1) == QStringLiteral("PI(线性插值)"));
    auto* capacity = qobject_cast<QAbstractSpinBox*>(zh.control(QStringLiteral("moe.capacity")));
    REQUIRE(capacity);
    CHECK(capacity->specialValueText() == QStringLiteral("不限"));
    // The values are the same words as in English: a choice shown in Chinese sets the same knob.
    CHECK(zh.assignments() == en.assignments());
    scaling->setCurrentIndex(scaling->findData(QStringLiteral("yarn")));
    CHECK(zh.settings().ropeScaling.method == RopeScaling::Yarn);
    SimSettings post;
    applySetting(post, "norm.placement=post");
    zh.setSettings(post);
    auto* placement = qobject_cast<QComboBox*>(zh.control(QStringLiteral("norm.placement")));
    REQUIRE(placement);
    CHECK(placement->currentText() == QStringLiteral("后置归一化(post-norm)"));
    CHECK(zh.assignments().contains(QStringLiteral("norm.placement=post")));

    // Live: the English panel follows the language switch (QEvent::LanguageChange), values kept.
    en.setSettings(post);
    REQUIRE(installTranslation(QStringLiteral("zh_CN")));
    QCoreApplication::processEvents();
    QCoreApplication::sendPostedEvents();
    QEvent change(QEvent::LanguageChange);
    QCoreApplication::sendEvent(&en, &change);
    CHECK(rowLabel(en, QStringLiteral("rope.scaling")) == QStringLiteral("缩放方法"));
    CHECK(groupTitles(en).contains(QStringLiteral("混合专家")));
    CHECK(enScaling->itemText(1) == QStringLiteral("PI(线性插值)"));
    CHECK(en.assignments().contains(QStringLiteral("norm.placement=post")));
    REQUIRE(installTranslation(QStringLiteral("en")));
    QCoreApplication::sendEvent(&en, &change);
    CHECK(rowLabel(en, QStringLiteral("rope.scaling")) == QLatin1String("Scaling"));
    CHECK(groupTitles(en) == enGroups);
    CHECK(enScaling->itemText(1) == QLatin1String("linear"));
    CHECK(en.assignments().contains(QStringLiteral("norm.placement=post")));
}

TEST_CASE("knob help: the zh_CN help is Chinese with its key, values and formula", "[i18n][architecture][knob]") {
    widgetTestApp();
    EnglishAfter english;
    REQUIRE(installTranslation(QStringLiteral("en")));
    const Knob* scaling = findKnob("rope.scaling");
    REQUIRE(scaling);
    const SettingInfo* info = findSettingInfo(QStringLiteral("rope.scaling"));
    REQUIRE(info);
    const QString enScaling = knobHelpHtml(QStringLiteral("rope.scaling"));
    CHECK(enScaling.contains(escaped(scaling->help)));
    CHECK(enScaling.contains(QStringLiteral("(default none)")));
    const QString enContext = knobHelpHtml(QStringLiteral("ppl.context"));
    CHECK(enContext.contains(QStringLiteral("Window length C of the perplexity protocol")));

    REQUIRE(installTranslation(QStringLiteral("zh_CN")));
    const QString zh = knobHelpHtml(QStringLiteral("rope.scaling"));
    INFO(zh.toStdString());
    CHECK(hasChinese(zh));
    CHECK_FALSE(zh.contains(escaped(scaling->help)));
    CHECK_FALSE(zh.contains(QStringLiteral("Context extension")));
    CHECK(zh.contains(QStringLiteral("<b>rope.scaling</b>")));
    CHECK(zh.contains(escaped(info->values)));  // the value syntax `--set` reads
    CHECK(zh.contains(escaped(info->formula)));
    CHECK(zh.contains(QStringLiteral("默认 none")));
    CHECK(zh.contains(QStringLiteral("yarn")));  // value names stay in the paragraph

    const QString context = knobHelpHtml(QStringLiteral("ppl.context"));
    INFO(context.toStdString());
    CHECK(hasChinese(context));
    CHECK(context.contains(QStringLiteral("困惑度上下文")));
    CHECK_FALSE(context.contains(QStringLiteral("Window length C")));
    CHECK_FALSE(context.contains(QStringLiteral("Perplexity context")));
    CHECK(context.contains(QStringLiteral("ppl = exp(mean over predictions of \u2212log p(next token))")));
    // Every knob's help and the GUI's own knobs have their Chinese paragraph.
    for (const Knob& k : knobTable()) {
        INFO(k.key);
        const QString html = knobHelpHtml(QString::fromStdString(k.key));
        CHECK(hasChinese(html));
        CHECK(html.contains(QStringLiteral("<b>%1</b>").arg(escaped(k.key))));
        CHECK(html.contains(escaped(k.formula)));
    }
    for (const char* key : {"heads.pick", "ppl.context", "ppl.window"}) {
        INFO(key);
        CHECK(hasChinese(knobHelpHtml(QString::fromLatin1(key))));
    }
}

TEST_CASE("knob help: the dock's model word, tooltips and help pane in Chinese, values kept", "[i18n][architecture][knob]") {
    widgetTestApp();
    EnglishAfter english;
    REQUIRE(installTranslation(QStringLiteral("en")));
    ArchitecturePanel en;
    en.setSettings(SimSettings{});
    auto* enBase = qobject_cast<QComboBox*>(en.control(QStringLiteral("rope.base")));
    REQUIRE(enBase);
    CHECK(enBase->itemText(0) == QLatin1String("model"));
    CHECK(enBase->currentText() == QLatin1String("model"));
    CHECK(en.control(QStringLiteral("rope.scaling"))->toolTip().contains(QStringLiteral("Context extension")));
    auto* help = en.findChild<QTextBrowser*>();
    REQUIRE(help);
    CHECK(help->toPlainText().contains(QStringLiteral("Where each sublayer's norm sits")));

    REQUIRE(installTranslation(QStringLiteral("zh_CN")));
    ArchitecturePanel zh;
    zh.setSettings(SimSettings{});
    auto* base = qobject_cast<QComboBox*>(zh.control(QStringLiteral("rope.base")));
    REQUIRE(base);
    CHECK(base->itemText(0) == QStringLiteral("模型"));
    CHECK(base->currentText() == QStringLiteral("模型"));
    auto* alpha = qobject_cast<QComboBox*>(zh.control(QStringLiteral("norm.alpha")));
    REQUIRE(alpha);
    CHECK(alpha->currentText() == QStringLiteral("自动"));
    // What is set and stored is the English word.
    CHECK(zh.assignments().contains(QStringLiteral("rope.base=model")));
    CHECK(zh.assignments().contains(QStringLiteral("norm.alpha=auto")));
    CHECK(zh.assignments() == en.assignments());
    CHECK(zh.errorText().isEmpty());
    base->setEditText(QStringLiteral("20000"));
    CHECK(zh.assignments().contains(QStringLiteral("rope.base=20000")));
    base->setCurrentIndex(0);
    CHECK(zh.assignments().contains(QStringLiteral("rope.base=model")));
    const QString tip = zh.control(QStringLiteral("rope.scaling"))->toolTip();
    CHECK(hasChinese(tip));
    CHECK_FALSE(tip.contains(QStringLiteral("Context extension")));
    auto* zhHelp = zh.findChild<QTextBrowser*>();
    REQUIRE(zhHelp);
    CHECK(hasChinese(zhHelp->toPlainText()));

    // Live: the English panel's word, tooltips and help pane follow; a typed number stays.
    auto* enEps = qobject_cast<QComboBox*>(en.control(QStringLiteral("norm.eps")));
    REQUIRE(enEps);
    enEps->setEditText(QStringLiteral("0.001"));
    QEvent change(QEvent::LanguageChange);
    QCoreApplication::sendEvent(&en, &change);
    CHECK(enBase->itemText(0) == QStringLiteral("模型"));
    CHECK(enBase->currentText() == QStringLiteral("模型"));
    CHECK(enEps->currentText() == QLatin1String("0.001"));
    CHECK(en.assignments().contains(QStringLiteral("rope.base=model")));
    CHECK(en.assignments().contains(QStringLiteral("norm.eps=0.001")));
    CHECK(hasChinese(en.control(QStringLiteral("rope.scaling"))->toolTip()));
    CHECK(hasChinese(help->toPlainText()));
    REQUIRE(installTranslation(QStringLiteral("en")));
    QCoreApplication::sendEvent(&en, &change);
    CHECK(enBase->currentText() == QLatin1String("model"));
    CHECK(en.control(QStringLiteral("rope.scaling"))->toolTip().contains(QStringLiteral("Context extension")));
    CHECK(help->toPlainText().contains(QStringLiteral("Where each sublayer's norm sits")));
}
#endif
