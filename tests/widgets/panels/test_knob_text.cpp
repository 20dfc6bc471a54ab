// The knob table's words in the interface language: every label, choice, minimum text and group
// title of the engine's table has an entry in widgets/panels/knob_text.cpp (a knob added to the
// engine without one is caught here), the zh_CN translation has each of them, and the
// Architecture dock shows them in Chinese, built so or switched live, with the same values.
#include <catch2/catch.hpp>

#include <QComboBox>
#include <QCoreApplication>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QSpinBox>
#include <QTranslator>

#include "anatomy/knob_table.h"
#include "anatomy/sim_settings.h"
#include "lessons/language.h"
#include "panels/architecture_panel.h"
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
#endif
