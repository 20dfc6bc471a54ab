// Lessons: the file format and its errors, every shipped lesson (both languages, each step applied
// to the real window on stories260K with its views drawn), authoring round trips, the step keys
// in presentation mode, and leaving a lesson restores the user's state.
#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QLabel>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTemporaryDir>
#include <QtTest/QTest>
#include <catch2/catch.hpp>

#include "export/view_export.h"
#include "lessons/language.h"
#include "lessons/lesson.h"
#include "lessons/lesson_overlay.h"
#include "lessons/lesson_panel.h"
#include "main_window.h"
#include "panels/architecture_panel.h"
#include "panels/knob_help.h"
#include "panels/settings_panel.h"
#include "widgets/widget_test_support.h"
#include "window_lessons.h"

using anatomy::gui::MainWindow;
using anatomy::gui::WindowLessons;
using namespace anatomy::widgets;

namespace {

QString parseError(const QByteArray& json) {
    Lesson l;
    return parseLesson(json, QStringLiteral("x.json"), l);
}

QByteArray withStep(const QByteArray& step) {
    return R"({"format": "transformer-anatomy-lesson", "version": 1, "title": "T", "steps": [)" + step + "]}";
}

// The application exists before the window (each test case may run alone, in its own process).
struct AppFirst {
    AppFirst() { widgetTestApp(); }
};

struct Window : AppFirst {
    MainWindow w;
    explicit Window(QSize size = {1280, 720}, bool onScreen = false) {
        widgetTestApp();
        // On the offscreen platform's screen the window can be active, so its shortcuts fire.
        if (!onScreen) w.setAttribute(Qt::WA_DontShowOnScreen);
        w.resize(size);
        w.show();
        w.start(QString::fromStdString(modelPath("stories260K.bin")), QString::fromUtf8(kTestPrompt),
                QString::fromStdString(modelPath("tok512.bin")));
        REQUIRE(w.controller().waitForIdle(120000));
        for (int i = 0; i < 5; ++i) QCoreApplication::processEvents();
    }
    WindowLessons& lessons() { return *w.lessons(); }
    LessonPlayer& player() { return w.lessons()->player(); }
};

Lesson twoStepLesson() {
    Lesson l;
    l.title = {QStringLiteral("Two"), QStringLiteral("二")};
    LessonStep a;
    a.title = {QStringLiteral("Scores"), QStringLiteral("分数")};
    a.text = {QStringLiteral("<p>q·k/√d<sub>k</sub></p>"), QStringLiteral("<p>分数</p>")};
    a.state.view = QStringLiteral("attention");
    a.state.prompt = QStringLiteral("The cat sat on the mat.");
    a.state.selection = {3, 1, 2};
    LessonStep b;
    b.title = {QStringLiteral("Norms"), {}};
    b.state.view = QStringLiteral("norms");
    b.state.set = {QStringLiteral("norm.placement=post")};
    b.state.sampler.temperature = 0.5f;
    l.steps = {a, b};
    return l;
}

}  // namespace

TEST_CASE("lesson files: every bad input is one clear error", "[lessons]") {
    widgetTestApp();
    CHECK(parseError("{not json").contains("not JSON"));
    CHECK(parseError(R"({"format": "other", "version": 1})").contains("format: expected \"transformer-anatomy-lesson\""));
    CHECK(parseError(R"({"format": "transformer-anatomy-lesson", "version": 7, "title": "T"})").contains("version: expected 1, got 7"));
    CHECK(parseError(R"({"format": "transformer-anatomy-lesson", "version": 1, "title": "T", "steps": []})")
              .contains("at least one step"));
    const QString view = parseError(withStep(R"({"title": "s", "state": {"view": "attenton"}})"));
    CHECK(view.contains("step 1"));
    CHECK(view.contains("unknown view \"attenton\""));
    const QString knob = parseError(withStep(R"({"title": "s", "state": {"set": ["norm.placment=post"]}})"));
    CHECK(knob.contains("step 1"));
    CHECK(knob.contains("norm.placment"));
    const QString value = parseError(withStep(R"({"title": "s", "state": {"set": ["norm.placement=sideways"]}})"));
    CHECK(value.contains("sideways"));
    CHECK(parseError(withStep(R"({"title": "s", "state": {"promt": "x"}})")).contains("unknown field \"promt\""));
    CHECK(parseError(withStep(R"({"title": "s", "state": {"sampler": {"temperature": -1}}})")).contains("temperature"));
    CHECK(parseError(withStep(R"({"title": "s", "highlight": {"rect": [0.5, 0, 0.9, 1]}, "state": {}})")).contains("rect"));
    CHECK(parseError(withStep(R"({"title": "s", "try": {"control": "rope.fctor"}, "state": {}})")).contains("rope.fctor"));
    CHECK(parseError(withStep(R"({"text": "no title", "state": {}})")).contains("needs a title"));
    Lesson l = twoStepLesson();
    QString err;
    CHECK(lessonStepIndex(l, 1, &err) == 0);
    CHECK(lessonStepIndex(l, 2, &err) == 1);
    CHECK_FALSE(lessonStepIndex(l, 3, &err));
    CHECK(err.contains("step 3 is out of range: the lesson has 2 steps"));
    CHECK_FALSE(lessonStepIndex(l, 0, &err));
    Lesson out;
    CHECK(readLessonFile(QStringLiteral("/nonexistent/lesson.json"), out).contains("no such file"));
}

TEST_CASE("lesson files: every field survives a save and a reload", "[lessons]") {
    widgetTestApp();
    Lesson l = twoStepLesson();
    l.section = {QStringLiteral("1. Attention"), QStringLiteral("1. 注意力")};
    LessonStep& a = l.steps[0];
    a.state.model = QStringLiteral("stories260K");
    a.state.preferModel = QStringLiteral("smollm2-135m-instruct-q8_0");
    a.state.preferNote = {QStringLiteral("Model manager"), QStringLiteral("模型管理器")};
    a.state.beside = QStringLiteral("steps");
    a.state.pin = LessonPin{{QStringLiteral("attn.scale=2")}, QStringLiteral("A cat.")};
    a.state.decoding = QStringLiteral("samples");
    a.state.attentionMode = QStringLiteral("scores");
    a.state.sampler.seed = 18446744073709551615ull;
    a.state.sampler.topK = 40;
    a.highlight = {QStringLiteral("attention"), {}, QRectF(0.5, 0, 0.5, 1), {QStringLiteral("here"), QStringLiteral("这里")}};
    a.tryIt = {QStringLiteral("rope.factor"), {QStringLiteral("drag it"), QStringLiteral("拖动")}};
    a.question = {QStringLiteral("Why?"), QStringLiteral("为什么?")};
    a.answer = {QStringLiteral("Because."), QStringLiteral("因为。")};
    a.note = {QStringLiteral("swap"), QStringLiteral("替换")};
    a.overlay = QStringLiteral("top-left");
    const QByteArray json = lessonToJson(l);
    Lesson back;
    const QString err = parseLesson(json, QStringLiteral("round"), back);
    INFO(err.toStdString());
    REQUIRE(err.isEmpty());
    CHECK(back == l);
    CHECK(lessonToJson(back) == json);
}

TEST_CASE("shipped lessons: each loads, in English and Chinese, for every chapter", "[lessons]") {
    widgetTestApp();
    QStringList shipped;
    for (const QString& f : lessonFiles())
        if (f.startsWith(QLatin1Char(':'))) shipped << QFileInfo(f).baseName();
    for (const char* chapter : {"attention", "ffn_norms", "positions", "structure", "decoding"}) {
        INFO(chapter);
        CHECK(shipped.contains(QLatin1String(chapter)));
    }
    for (const QString& name : shipped) {
        Lesson l;
        const QString err = readLessonFile(QStringLiteral(":/lessons/%1.json").arg(name), l);
        INFO(name.toStdString() << ": " << err.toStdString());
        REQUIRE(err.isEmpty());
        CHECK(l.steps.size() >= 4);
        CHECK(!l.title.zh.isEmpty());
        CHECK(!l.section.en.isEmpty());
        for (size_t i = 0; i < l.steps.size(); ++i) {
            INFO("step " << i + 1);
            const LessonStep& st = l.steps[i];
            CHECK(!st.title.zh.isEmpty());
            CHECK(!st.text.en.isEmpty());
            CHECK(!st.text.zh.isEmpty());
            CHECK(st.question.en.isEmpty() == st.question.zh.isEmpty());
            CHECK(st.answer.en.isEmpty() == st.answer.zh.isEmpty());
            CHECK(st.note.en.isEmpty() == st.note.zh.isEmpty());
            CHECK(st.state.preferNote.en.isEmpty() == st.state.preferNote.zh.isEmpty());
        }
    }
}

TEST_CASE("shipped lessons: every step applies on stories260K and its views draw", "[lessons][window]") {
    Window win;
    for (const QString& file : lessonFiles()) {
        if (!file.startsWith(QLatin1Char(':'))) continue;
        Lesson l;
        REQUIRE(readLessonFile(file, l).isEmpty());
        for (int i = 0; i < int(l.steps.size()); ++i) {
            INFO(file.toStdString() << " step " << i + 1);
            REQUIRE(win.lessons().openLesson(file, i + 1).isEmpty());
            REQUIRE(win.lessons().waitForStep(120000));
            const LessonState& s = l.steps[size_t(i)].state;
            // The state is on screen: the view in front, the knobs and the sampler as written.
            auto* front = qobject_cast<TraceView*>(win.w.mainPane()->currentWidget());
            REQUIRE(front);
            CHECK(front->viewName() == s.view);
            CHECK(win.w.architecturePanel()->errorText().isEmpty());
            CHECK(win.w.controller().lastError().isEmpty());
            CHECK(assignmentLines(win.w.architecturePanel()->settings()) ==
                  assignmentLines(*settingsFromAssignments(s.set)));
            CHECK(win.w.settingsPanel()->settings() == s.sampler);
            if (!s.prompt.isEmpty()) CHECK(win.w.promptEditor()->toPlainText() == s.prompt);
            if (s.pin) CHECK(win.w.compareView() != nullptr);
            QList<TraceView*> named{front};
            if (!s.beside.isEmpty()) named << win.w.view(s.beside);
            for (TraceView* v : named) {
                REQUIRE(v);
                INFO(v->viewName().toStdString());
                CHECK(win.w.visibleViews().contains(v));
                CHECK(distinctColors(v->grab().toImage()) > 8);
            }
        }
    }
    win.player().close();
}

TEST_CASE("lessons: leaving restores the user's state", "[lessons][window]") {
    Window win;
    const QString mine = QStringLiteral("Tom had a red ball.");
    win.w.promptEditor()->setPlainText(mine);
    auto sim = *settingsFromAssignments({QStringLiteral("ffn.act=relu")});
    win.w.architecturePanel()->setSettings(sim);
    REQUIRE(win.w.controller().waitForIdle(60000));
    win.w.showView(win.w.view(QStringLiteral("rope")));
    QCoreApplication::processEvents();
    win.w.setSelection({4, 2, 5});
    REQUIRE(win.lessons().openLesson(QStringLiteral(":/lessons/attention.json"), 2).isEmpty());
    REQUIRE(win.lessons().waitForStep(120000));
    CHECK(win.w.promptEditor()->toPlainText() != mine);
    win.player().next();
    REQUIRE(win.lessons().waitForStep(120000));
    win.player().close();
    REQUIRE(win.lessons().waitForStep(120000));
    CHECK(win.w.promptEditor()->toPlainText() == mine);
    CHECK(win.w.architecturePanel()->settings() == sim);
    CHECK(qobject_cast<TraceView*>(win.w.mainPane()->currentWidget())->viewName() == QLatin1String("rope"));
    CHECK(win.w.selection() == Selection{4, 2, 5});
}

TEST_CASE("lessons: a lesson authored from the window saves and reloads identically", "[lessons][window]") {
    Window win;
    QTemporaryDir dir;
    LessonPlayer& p = win.player();
    p.newLesson({QStringLiteral("Mine"), {}});
    // Step 1: the window as it is; step 2: another prompt, view and knob; then reorder and edit.
    p.addStepFromCurrentState({QStringLiteral("First"), {}});
    win.w.promptEditor()->setPlainText(QStringLiteral("A dog ran."));
    win.w.architecturePanel()->setSettings(*settingsFromAssignments({QStringLiteral("norm.placement=post")}));
    win.w.showView(win.w.view(QStringLiteral("norms")));
    REQUIRE(win.w.controller().waitForIdle(60000));
    QCoreApplication::processEvents();
    p.addStepFromCurrentState({QStringLiteral("Second"), {}});
    REQUIRE(p.count() == 2);
    CHECK(p.lesson().steps[1].state.view == QLatin1String("norms"));
    CHECK(p.lesson().steps[1].state.set == QStringList{QStringLiteral("norm.placement=post")});
    LessonStep edited = p.lesson().steps[1];
    edited.text = {QStringLiteral("<p>Post-norm: x + F(x) then normalise.</p>"), QStringLiteral("<p>后归一化</p>")};
    edited.question = {QStringLiteral("Where is the norm?"), QStringLiteral("归一化在哪里?")};
    p.editStep(1, edited);
    p.moveStep(1, 0);
    CHECK(p.lesson().steps[0].title.en == QLatin1String("Second"));
    const QString path = dir.filePath(QStringLiteral("mine.json"));
    REQUIRE(p.save(path).isEmpty());
    Lesson back;
    REQUIRE(readLessonFile(path, back).isEmpty());
    CHECK(back == p.lesson());
    // Played again, the reordered step restores its own state.
    p.close();
    REQUIRE(win.lessons().waitForStep(60000));
    REQUIRE(win.lessons().openLesson(path, 2).isEmpty());
    REQUIRE(win.lessons().waitForStep(60000));
    CHECK(win.w.promptEditor()->toPlainText() == QString::fromUtf8(kTestPrompt));
    p.goTo(0);
    REQUIRE(win.lessons().waitForStep(60000));
    CHECK(win.w.promptEditor()->toPlainText() == QLatin1String("A dog ran."));
    CHECK(qobject_cast<TraceView*>(win.w.mainPane()->currentWidget())->viewName() == QLatin1String("norms"));
    p.close();
}

TEST_CASE("lessons: PageDown and PageUp move steps in presentation mode", "[lessons][window]") {
    Window win({1280, 720}, true);
    // Without a lesson PageDown is "next head" (window shortcuts need the window active).
    QApplication::setActiveWindow(&win.w);
    win.w.activateWindow();
    QCoreApplication::processEvents();
    win.w.setSelection({-1, 0, 0});
    win.w.mainPane()->setFocus();  // the prompt (focused at start) keeps PageDown for itself
    QTest::keyClick(&win.w, Qt::Key_PageDown);
    CHECK(win.w.selection().head == 1);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("two.json"));
    REQUIRE(writeLessonFile(path, twoStepLesson()).isEmpty());
    REQUIRE(win.lessons().openLesson(path).isEmpty());
    REQUIRE(win.lessons().waitForStep(60000));
    win.w.setPresentationMode(true);
    QCoreApplication::processEvents();
    CHECK(win.lessons().overlay()->isVisible());
    CHECK_FALSE(win.lessons().dock()->isVisible());
    const Selection before = win.w.selection();
    QTest::keyClick(&win.w, Qt::Key_PageDown);
    CHECK(win.player().current() == 1);
    CHECK(win.w.selection().head == before.head);  // the step moved, not the head
    REQUIRE(win.lessons().waitForStep(60000));
    CHECK(qobject_cast<TraceView*>(win.w.mainPane()->currentWidget())->viewName() == QLatin1String("norms"));
    CHECK(win.lessons().overlay()->titleLabel()->text() == QLatin1String("Norms"));
    QTest::keyClick(&win.w, Qt::Key_PageUp);
    CHECK(win.player().current() == 0);
    REQUIRE(win.lessons().waitForStep(60000));
    win.w.mainPane()->setFocus();  // space in the prompt (focused at start) types a space
    QTest::keyClick(&win.w, Qt::Key_Space);
    CHECK(win.player().current() == 1);
    // Space in the prompt stays a space.
    win.w.promptEditor()->setFocus();
    QTest::keyClick(win.w.promptEditor(), Qt::Key_Space);
    CHECK(win.player().current() == 1);
    win.player().close();
    win.w.setPresentationMode(false);
    CHECK_FALSE(win.lessons().overlay()->isVisible());
}

TEST_CASE("lessons: a missing best model falls back with a visible note", "[lessons][window]") {
    Window win;
    Lesson l = twoStepLesson();
    l.steps[0].state.preferModel = QStringLiteral("no-such-model-q8");
    l.steps[0].state.preferNote = {QStringLiteral("Model > Model manager downloads it."), QStringLiteral("用模型管理器下载。")};
    win.player().open(l, {});
    REQUIRE(win.lessons().waitForStep(60000));
    CHECK(win.player().fallbackNote().contains(QLatin1String("no-such-model-q8")));
    CHECK(win.player().fallbackNote().contains(QLatin1String("Model manager")));
    CHECK(win.lessons().panel()->body()->toPlainText().contains(QLatin1String("no-such-model-q8")));
    // The download is offered beside the note.
    auto* get = win.lessons().panel()->findChild<QPushButton*>(QStringLiteral("lessonGetModel"));
    REQUIRE(get);
    CHECK(get->isVisibleTo(win.lessons().panel()));
    CHECK(win.w.controller().hasModel());
    CHECK(QFileInfo(win.w.controller().modelInfo().modelPath).fileName() == QLatin1String("stories260K.bin"));
    win.player().setLanguage(QStringLiteral("zh_CN"));
    CHECK(win.lessons().panel()->body()->toPlainText().contains(QStringLiteral("用模型管理器下载")));
    win.player().setLanguage(QStringLiteral("en"));
    win.player().next();  // a step on the default model: nothing to download
    REQUIRE(win.lessons().waitForStep(60000));
    CHECK_FALSE(get->isVisibleTo(win.lessons().panel()));
    win.player().close();
}

#ifdef ANATOMY_HAVE_TRANSLATIONS
TEST_CASE("translations: the interface has a Simplified Chinese translation", "[lessons][i18n]") {
    widgetTestApp();
    CHECK(chooseLanguage(QStringLiteral("zh_CN")) == QLatin1String("zh_CN"));
    CHECK(chooseLanguage(QStringLiteral("zh_TW")) == QLatin1String("en"));
    CHECK(chooseLanguage(QStringLiteral("en")) == QLatin1String("en"));
    REQUIRE(installTranslation(QStringLiteral("zh_CN")));
    const QString file = QCoreApplication::translate("anatomy::gui::MainWindow", "&File");
    const QString next = QCoreApplication::translate("anatomy::widgets::LessonPanel", "Next ▶");
    installTranslation(QStringLiteral("en"));
    CHECK(file != QLatin1String("&File"));
    CHECK(next != QLatin1String("Next ▶"));
    CHECK(QCoreApplication::translate("anatomy::gui::MainWindow", "&File") == QLatin1String("&File"));
}
#endif
