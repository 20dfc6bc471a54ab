// Lessons: the file format and its errors, every shipped lesson (both languages, each step applied
// to the real window on stories260K with its views drawn), authoring round trips, the step keys
// in presentation mode, and leaving a lesson restores the user's state.
#include <QAbstractButton>
#include <QComboBox>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QDir>
#include <QDockWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTemporaryDir>
#include <QtTest/QTest>
#include <catch2/catch.hpp>
#include <map>

#include "anatomy/tokenizer.h"
#include "anatomy/synth_gguf.h"
#include "anatomy/train.h"
#include "controller/job_tracker.h"
#include "export/view_export.h"
#include "lessons/language.h"
#include "lessons/lesson.h"
#include "lessons/lesson_overlay.h"
#include "lessons/lesson_panel.h"
#include "lessons/retranslate.h"
#include "main_window.h"
#include "panels/architecture_panel.h"
#include "panels/knob_help.h"
#include "panels/settings_panel.h"
#include "views/decoding_view.h"
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

// Spins until the views hold the trace of `text` (an edit of the prompt is coalesced before it
// is traced, so the controller can be idle before the request is made).
bool tracedText(MainWindow& w, const QString& text) {
    return processEventsUntil(
        [&] {
            const ViewInput& in = w.controller().currentInput();
            if (!w.controller().isIdle() || !in.trace || !in.tokenizer || in.trace->tokens.size() < 2) return false;
            const std::vector<int> ids(in.trace->tokens.begin() + 1, in.trace->tokens.end());
            const QString got = QString::fromStdString(in.tokenizer->decodeAll(ids));
            return got == text;
        },
        60000);
}

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
    // The decoding lab's strategy: each field in the view's range, a scorer it has, a regex and
    // strategies it can run.
    auto decoding = [](const char* settings) {
        return parseError(withStep(QByteArray(R"({"title": "s", "state": {"decoding_settings": )") + settings + "}}"));
    };
    CHECK(decoding(R"({"beam_width": 40})").contains("beam_width: expected 1 to 16, got 40"));
    CHECK(decoding(R"({"max_new": 0})").contains("max_new"));
    CHECK(decoding(R"({"length_penalty": "one"})").contains("length_penalty"));
    CHECK(decoding(R"({"scorer": "best"})").contains("scorer: expected mean-logprob or sum-logprob"));
    CHECK(decoding(R"({"answer_regex": "named (\\w+"})").contains("answer_regex: not an ECMAScript regex"));
    CHECK(decoding(R"({"variants": "greedy; bream:4"})").contains("variants"));
    CHECK(decoding(R"({"beam_widht": 4})").contains("unknown field \"beam_widht\""));
    CHECK(decoding(R"("beam")").contains("decoding_settings: expected an object"));
    CHECK(parseError(withStep(R"({"title": "s", "state": {"pin": {"tokens": [1, -2]}}})")).contains("tokens"));
    CHECK(parseError(withStep(R"({"title": "s", "state": {"prefer_prompt": "Q: 2+2?"}})"))
              .contains("prefer_set, prefer_prompt and prefer_view need prefer_model or prefer_train"));
    CHECK(parseError(withStep(R"({"title": "s", "state": {"prefer_model": "m", "prefer_train": "3-depth/post"}})"))
              .contains("name one best model"));
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
    a.state.preferSet = {QStringLiteral("attn.sinks=1")};
    a.state.preferPrompt = QStringLiteral("Q: 2 + 2? A:");
    a.state.preferView = QStringLiteral("cross");
    a.state.beside = QStringLiteral("steps");
    a.state.pin = LessonPin{{QStringLiteral("attn.scale=2")}, QStringLiteral("A cat."), {1, 2, 3}};
    a.state.decoding = QStringLiteral("samples");
    a.state.decodingSettings.beamWidth = 5;
    a.state.decodingSettings.lengthPenalty = 0.5;
    a.state.decodingSettings.samples = 7;
    a.state.decodingSettings.scorer = QStringLiteral("sum-logprob");
    a.state.decodingSettings.answerRegex = QStringLiteral("the (\\w+)");
    a.state.decodingSettings.variants = QStringLiteral("greedy; beam:2");
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
            // A step whose trained variant is installed (the Train view or another test wrote it
            // into the user's models folder) runs it as trained, with no pin: check the state it ran.
            QString missing;
            if (LessonPlayer::resolveState(s, &missing).pin) CHECK(win.w.compareView() != nullptr);
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
    // The knob before the text: a knob moved while a prompt edit waits to be traced re-traces
    // the old tokens (TraceController::setSimSettings), which is not what this test is about.
    win.w.architecturePanel()->setSettings(*settingsFromAssignments({QStringLiteral("norm.placement=post")}));
    win.w.promptEditor()->setPlainText(QStringLiteral("A dog ran."));
    win.w.showView(win.w.view(QStringLiteral("norms")));
    REQUIRE(tracedText(win.w, QStringLiteral("A dog ran.")));
    QCoreApplication::processEvents();
    p.addStepFromCurrentState({QStringLiteral("Second"), {}});
    REQUIRE(p.count() == 2);
    // A comparison on screen (A: the pre-norm trace of "A dog ran." pinned, B: another text with
    // DeepNorm) and a decoding strategy of one's own: the step keeps both.
    win.w.pinTrace();
    win.w.setComparing(true);
    win.w.architecturePanel()->setSettings(*settingsFromAssignments({QStringLiteral("norm.placement=deepnorm")}));
    win.w.promptEditor()->setPlainText(QStringLiteral("A cat sat."));
    REQUIRE(tracedText(win.w, QStringLiteral("A cat sat.")));
    QCoreApplication::processEvents();
    auto* lab = qobject_cast<DecodingView*>(win.w.view(QStringLiteral("decoding")));
    REQUIRE(lab);
    LessonDecodingSettings strategy;
    strategy.beamWidth = 5;
    strategy.lengthPenalty = 0.4;
    strategy.samples = 6;
    strategy.scorer = QStringLiteral("sum-logprob");
    strategy.variants = QStringLiteral("greedy; beam:2; temperature=0.7");
    WindowLessons::setDecodingSettings(*lab, strategy);
    lab->showTab(DecodingView::Tab::Compare);
    p.addStepFromCurrentState({QStringLiteral("Third"), {}});
    REQUIRE(p.count() == 3);
    const LessonState& third = p.lesson().steps[2].state;
    REQUIRE(third.pin);
    CHECK(third.pin->set == QStringList{QStringLiteral("norm.placement=post")});
    CHECK(third.pin->prompt == QLatin1String("A dog ran."));
    CHECK(third.set == QStringList{QStringLiteral("norm.placement=deepnorm")});
    CHECK(third.prompt == QLatin1String("A cat sat."));
    CHECK(third.decoding == QLatin1String("compare"));
    CHECK(third.decodingSettings == strategy);
    win.w.setComparing(false);
    WindowLessons::setDecodingSettings(*lab, {});
    lab->showTab(DecodingView::Tab::Beam);
    REQUIRE(p.count() == 3);
    CHECK(p.lesson().steps[1].state.view == QLatin1String("norms"));
    CHECK_FALSE(p.lesson().steps[1].state.pin);
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
    // The comparison step: A pinned from its own text and knobs, B beside it, the same strategy.
    p.goTo(2);
    REQUIRE(win.lessons().waitForStep(60000));
    REQUIRE(win.w.compareView());
    REQUIRE(win.w.pinnedInput().trace);
    CHECK(assignmentLines(win.w.pinnedInput().trace->settings) == QStringList{QStringLiteral("norm.placement=post")});
    CHECK(win.w.promptEditor()->toPlainText() == QLatin1String("A cat sat."));
    CHECK(win.lessons().captureLessonState().pin == back.steps[2].state.pin);
    CHECK(WindowLessons::decodingSettingsOf(*lab) == strategy);
    CHECK(win.lessons().captureLessonState().decoding == QLatin1String("compare"));
    p.close();
}

TEST_CASE("lessons: a step's decoding strategy defaults to the decoding view's own", "[lessons]") {
    widgetTestApp();
    DecodingView fresh;
    CHECK(WindowLessons::decodingSettingsOf(fresh) == LessonDecodingSettings{});
}

TEST_CASE("lessons: on a 1280x720 slide the overlay covers no part of the views", "[lessons][window]") {
    Window win({1280, 720}, true);
    win.w.setPresentationMode(true);
    // Single-pane steps whose charts the corner box used to hide: the KV-cache chart (right)
    // and the ALiBi heads (left).
    for (const auto& [lesson, step] : {std::pair{"attention", 5}, std::pair{"positions", 4}}) {
        INFO(lesson << " step " << step);
        REQUIRE(win.lessons().openLesson(QString::fromLatin1(lesson), step).isEmpty());
        REQUIRE(win.lessons().waitForStep(120000));
        QCoreApplication::processEvents();
        QWidget* overlay = win.lessons().overlay();
        REQUIRE(overlay->isVisible());
        CHECK(win.lessons().overlay()->docked());
        QWidget* area = overlay->parentWidget();
        for (QWidget* w : {static_cast<QWidget*>(win.w.mainPane()), static_cast<QWidget*>(win.w.promptEditor())}) {
            const QRect r(w->mapTo(area, QPoint(0, 0)), w->size());
            CHECK_FALSE(r.intersects(overlay->geometry()));
        }
    }
    win.player().close();
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

#ifdef ANATOMY_HAVE_TRANSLATIONS
namespace {
// The texts a window sets once: menu titles and actions, dock titles, tabs, buttons (by the
// object that shows them, so a widget built in between is not compared).
std::map<std::pair<const QObject*, int>, QString> fixedTexts(MainWindow& w) {
    std::map<std::pair<const QObject*, int>, QString> out;
    for (QMenu* m : w.menuBar()->findChildren<QMenu*>()) {
        out[{m, -1}] = m->title();
        for (QAction* a : m->actions()) out[{a, 0}] = a->text();
    }
    for (QDockWidget* d : w.findChildren<QDockWidget*>()) out[{d, 0}] = d->windowTitle();
    for (QTabWidget* t : w.findChildren<QTabWidget*>())
        for (int i = 0; i < t->count(); ++i) out[{t, i}] = t->tabText(i);
    for (QAbstractButton* b : w.findChildren<QAbstractButton*>()) out[{b, 0}] = b->text();
    return out;
}
}  // namespace

TEST_CASE("translations: View > Language switches the interface at once", "[lessons][i18n][window]") {
    Window win;
    // English again whatever fails below (the next test cases read English texts).
    struct EnglishAfter {
        QVariant saved = QSettings().value(QStringLiteral("language"));
        ~EnglishAfter() {
            installTranslation(QStringLiteral("en"));
            QSettings().setValue(QStringLiteral("language"), saved);
        }
    } restore;
    REQUIRE(installTranslation(QStringLiteral("en")));
    QCoreApplication::processEvents();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("two.json"));
    REQUIRE(writeLessonFile(path, twoStepLesson()).isEmpty());
    REQUIRE(win.lessons().openLesson(path).isEmpty());
    REQUIRE(win.lessons().waitForStep(60000));
    const auto english = fixedTexts(win.w);
    QMenuBar* bar = win.w.menuBar();
    REQUIRE(bar->actions().value(0)->text() == QLatin1String("&File"));
    const QString attentionTab = win.w.mainPane()->tabText(win.w.mainPane()->indexOf(win.w.view(QStringLiteral("attention"))));

    win.lessons().setInterfaceLanguage(QStringLiteral("zh_CN"));
    for (int i = 0; i < 5; ++i) QCoreApplication::processEvents();
    CHECK(currentLanguage() == QLatin1String("zh_CN"));
    // Menus, docks, tabs, buttons and the lesson switch without a restart.
    CHECK(bar->actions().value(0)->text() == QStringLiteral("文件(&F)"));
    CHECK(win.w.settingsDock()->windowTitle() == QStringLiteral("设置"));
    CHECK(win.w.architectureDock()->windowTitle() == QStringLiteral("架构"));
    CHECK(win.lessons().dock()->windowTitle() == QStringLiteral("课程"));
    const QString zhTab = win.w.mainPane()->tabText(win.w.mainPane()->indexOf(win.w.view(QStringLiteral("attention"))));
    CHECK(zhTab != attentionTab);
    CHECK(zhTab == win.w.view(QStringLiteral("attention"))->title());
    bool generate = false;
    for (QPushButton* b : win.w.findChildren<QPushButton*>()) generate = generate || b->text() == QStringLiteral("生成");
    CHECK(generate);
    CHECK(win.lessons().overlay()->titleLabel()->text() == QStringLiteral("分数"));
    CHECK(win.player().language() == QLatin1String("zh_CN"));
    const auto chinese = fixedTexts(win.w);
    int same = 0, both = 0;
    for (const auto& [key, text] : english)
        if (const auto it = chinese.find(key); it != chinese.end()) {
            ++both;
            same += it->second == text;
        }
    INFO(same << " of " << both << " texts unchanged");
    CHECK(both > 100);
    CHECK(same < both / 3);

    // And back: every text as it was.
    win.lessons().setInterfaceLanguage(QStringLiteral("en"));
    for (int i = 0; i < 5; ++i) QCoreApplication::processEvents();
    CHECK(currentLanguage() == QLatin1String("en"));
    const auto again = fixedTexts(win.w);
    for (const auto& [key, text] : english)
        if (const auto it = again.find(key); it != again.end() && chinese.count(key)) {
            INFO(text.toStdString() << " -> " << chinese.at(key).toStdString() << " -> " << it->second.toStdString());
            CHECK(it->second == text);
        }
    win.player().close();
}

TEST_CASE("translations: a text with arguments switches language with its arguments", "[lessons][i18n]") {
    widgetTestApp();
    CHECK(retranslatedText(QStringLiteral("Step 3 of 7"), QStringLiteral("en"), QStringLiteral("zh_CN")) ==
          QStringLiteral("第 3 步,共 7 步"));
    CHECK(retranslatedText(QStringLiteral("第 3 步,共 7 步"), QStringLiteral("zh_CN"), QStringLiteral("en")) ==
          QLatin1String("Step 3 of 7"));
    CHECK(retranslatedText(QStringLiteral("&File"), QStringLiteral("en"), QStringLiteral("zh_CN")) == QStringLiteral("文件(&F)"));
    // Text the table does not know (a user's prompt, a number) stays as it is.
    CHECK(retranslatedText(QStringLiteral("Once upon a time"), QStringLiteral("en"), QStringLiteral("zh_CN")) ==
          QLatin1String("Once upon a time"));
    CHECK(retranslatedText(QStringLiteral("42"), QStringLiteral("en"), QStringLiteral("zh_CN")) == QLatin1String("42"));
}
#endif

namespace {
// Sets an environment variable for one scope.
struct ScopedEnv {
    QByteArray name, old;
    bool had;
    ScopedEnv(const char* n, const QString& value) : name(n), old(qgetenv(n)), had(qEnvironmentVariableIsSet(n)) {
        qputenv(n, value.toLocal8Bit());
    }
    ~ScopedEnv() { had ? qputenv(name.constData(), old) : qunsetenv(name.constData()); }
};
}  // namespace

TEST_CASE("lessons: a best model that is installed runs as trained, with its own prompt", "[lessons][window]") {
    widgetTestApp();
    // A models folder holding a file under a zoo row's name (random weights of the same layout:
    // what matters here is which model, prompt and knobs the step applies, not what it says).
    QTemporaryDir models;
    const QString zoo = models.filePath(QStringLiteral("zoo"));
    REQUIRE(QDir().mkpath(zoo));
    anatomy::writeSynthGguf(anatomy::synthReferenceSpec("llama"),
                            QDir(zoo).filePath(QStringLiteral("smollm2-135m-instruct-q8_0.gguf")).toStdString());
    const ScopedEnv modelsEnv("ANATOMY_MODELS", models.path());
    Window win;
    Lesson l = twoStepLesson();
    LessonState& st = l.steps[0].state;
    st.set = {QStringLiteral("attn.sparse=sinks")};  // the swap shown on the fallback
    st.pin = LessonPin{{}, {}, {}};
    st.tokens = {1, 400, 401};                        // the fallback tokenizer's numbers
    st.preferModel = QStringLiteral("smollm2-135m-instruct-q8_0");
    st.preferNote = {QStringLiteral("Model > Model manager downloads it."), {}};
    st.preferSet = {QStringLiteral("attn.scale=2")};
    st.preferPrompt = QStringLiteral("The sun is a star.");
    st.beside = QStringLiteral("steps");
    st.preferView = QStringLiteral("norms");
    win.player().open(l, {});
    REQUIRE(win.lessons().waitForStep(60000));
    CHECK(QFileInfo(win.w.controller().modelInfo().modelPath).fileName() ==
          QLatin1String("smollm2-135m-instruct-q8_0.gguf"));
    CHECK(win.player().fallbackNote().isEmpty());
    CHECK(win.player().bestModelNote().contains(QLatin1String("smollm2-135m-instruct-q8_0")));
    CHECK(assignmentLines(win.w.architecturePanel()->settings()) == QStringList{QStringLiteral("attn.scale=2")});
    CHECK_FALSE(win.w.compareView());
    CHECK(tracedText(win.w, QStringLiteral("The sun is a star.")));
    CHECK(win.w.mainPane()->currentWidget() == win.w.view(QStringLiteral("norms")));
    CHECK_FALSE(win.w.visibleViews().contains(win.w.view(QStringLiteral("steps"))));  // nor the fallback's pane beside
    auto* get = win.lessons().panel()->findChild<QPushButton*>(QStringLiteral("lessonGetModel"));
    REQUIRE(get);
    CHECK_FALSE(get->isVisibleTo(win.lessons().panel()));
    win.player().close();
    REQUIRE(win.lessons().waitForStep(60000));
}

TEST_CASE("lessons: a step taught on a trained variant offers its preset, then runs on the model it trains",
          "[lessons][window][train]") {
    widgetTestApp();
    // A preset folder with one tiny post-norm design, and a data folder the Train view writes to
    // (set before the window: the Train view lists the presets when it is built).
    QTemporaryDir presets, data;
    REQUIRE(QDir(presets.path()).mkpath(QStringLiteral("t")));
    const QString config = presets.filePath(QStringLiteral("t/post.json"));
    {
        QFile f(config);
        REQUIRE(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("{\"shape\": {\"dim\": 16, \"layers\": 2, \"heads\": 2, \"kv_heads\": 2, \"hidden\": 32, "
                               "\"vocab\": 512, \"context\": 32}, \"optimisation\": {\"steps\": 2, \"batch\": 2, "
                               "\"sequence\": 32}, \"data\": {\"corpus\": \"%1\", \"tokenizer\": \"%2\", \"eval_every\": 2}, "
                               "\"architecture\": {\"norm.placement\": \"post\"}}")
                    .arg(QString::fromStdString(sharedFile("corpus/tinystories/tinystories_train_head_197K.txt")),
                         QString::fromStdString(modelPath("tok512.bin")))
                    .toUtf8());
    }
    const ScopedEnv presetsEnv("ANATOMY_TRAIN_PRESETS", presets.path());
    const ScopedEnv dataEnv("XDG_DATA_HOME", data.path());
    Window win;
    const QByteArray json = withStep(R"({"title": "Post-norm", "note": "A swap: stories260K is pre-norm.",
        "state": {"view": "norms", "set": ["norm.type=layer"], "pin": {"set": []}, "prefer_train": "t/post",
                  "prefer_note": "Train it: preset t/post."}})");
    Lesson l;
    REQUIRE(parseLesson(json, QStringLiteral("t.json"), l).isEmpty());
    CHECK(parseError(withStep(R"({"title": "s", "state": {"prefer_train": "t/pots"}})")).contains("unknown training preset \"t/pots\""));

    // Not trained yet: stories260K with the swap, and the note offers the preset.
    const LessonPlayer::TrainedModel before = LessonPlayer::trainedModel(QStringLiteral("t/post"));
    CHECK(before.file == QLatin1String("post.bin"));
    CHECK(before.path.isEmpty());
    win.player().open(l, {});
    REQUIRE(win.lessons().waitForStep(60000));
    CHECK(QFileInfo(win.w.controller().modelInfo().modelPath).fileName() == QLatin1String("stories260K.bin"));
    CHECK(win.player().fallbackNote().contains(QLatin1String("t/post")));
    CHECK(win.player().fallbackNote().contains(QLatin1String("post.bin")));
    CHECK(win.player().fallbackTrainPreset() == QLatin1String("t/post"));
    CHECK(win.w.compareView());  // A, the model as trained, beside the swap
    CHECK(win.lessons().panel()->body()->toPlainText().contains(QLatin1String("A swap")));
    auto* get = win.lessons().panel()->findChild<QPushButton*>(QStringLiteral("lessonGetModel"));
    REQUIRE(get);
    CHECK(get->isVisibleTo(win.lessons().panel()));
    CHECK(get->text() == QStringLiteral("Train it…"));
    // "Train it…" opens the Train view on the preset.
    get->click();
    QCoreApplication::processEvents();
    TraceView* train = win.w.view(QStringLiteral("train"));
    REQUIRE(train);
    CHECK(win.w.mainPane()->currentWidget() == train);
    REQUIRE(train->findChild<QComboBox*>());
    CHECK(train->findChild<QComboBox*>()->currentText() == QLatin1String("t/post"));
    win.player().close();
    REQUIRE(win.lessons().waitForStep(60000));

    // Trained (in seconds: 2 steps of a 2-layer d 16 model), where the Train view writes it.
    anatomy::TrainRunOptions run;
    run.out = (QDir(data.path()).filePath(QStringLiteral("transformer-anatomy/models/post.bin"))).toStdString();
    REQUIRE(QDir().mkpath(QFileInfo(QString::fromStdString(run.out)).path()));
    anatomy::train(anatomy::loadTrainConfig(config.toStdString()), run, [](const anatomy::TrainLogLine&) {});
    const LessonPlayer::TrainedModel after = LessonPlayer::trainedModel(QStringLiteral("t/post"));
    CHECK(after.path == QString::fromStdString(run.out));
    CHECK(after.set == QStringList{QStringLiteral("norm.placement=post")});
    win.player().open(l, {});
    REQUIRE(win.lessons().waitForStep(60000));
    CHECK(win.w.controller().modelInfo().modelPath == QString::fromStdString(run.out));
    // As trained: the .bin's design as --set options, no swap, nothing pinned, no fallback.
    CHECK(assignmentLines(win.w.architecturePanel()->settings()) == QStringList{QStringLiteral("norm.placement=post")});
    CHECK_FALSE(win.w.compareView());
    CHECK(win.player().fallbackNote().isEmpty());
    CHECK(win.player().bestModelNote().contains(QLatin1String("t/post")));
    CHECK_FALSE(get->isVisibleTo(win.lessons().panel()));
    const QString body = win.lessons().panel()->body()->toPlainText();
    CHECK(body.contains(QLatin1String("post.bin")));
    CHECK_FALSE(body.contains(QLatin1String("A swap")));
    win.player().close();
    REQUIRE(win.lessons().waitForStep(60000));
}
