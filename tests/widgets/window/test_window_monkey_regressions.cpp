// What the GUI monkey (tests/monkey) found in the real main window, one test each.
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QKeyEvent>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <catch2/catch.hpp>

#include "anatomy/model_registry.h"
#include "controller/session_file.h"
#include "export/view_export.h"
#include "main_window.h"
#include "views/trace_view.h"
#include "widgets/widget_test_support.h"

using anatomy::gui::MainWindow;

namespace {

void settle() {
    for (int i = 0; i < 5; ++i) QCoreApplication::processEvents();
}

// The window offscreen with stories260K traced, active (window shortcuts need that).
struct ActiveWindow {
    MainWindow w;
    ActiveWindow() {
        w.setAttribute(Qt::WA_DontShowOnScreen);
        w.resize(1280, 720);
        w.show();
        w.start(QString::fromStdString(modelPath("stories260K.bin")), QString::fromUtf8(kTestPrompt),
                QString::fromStdString(modelPath("tok512.bin")));
        REQUIRE(w.controller().waitForIdle(120000));
        settle();
        w.activateWindow();
        QApplication::setActiveWindow(&w);
        settle();
    }
};

// A key press as the window system delivers it: first offered to the shortcuts, then the widget.
void press(QWidget* target, Qt::Key key) {
    QKeyEvent e(QEvent::KeyPress, key, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &e);
    QKeyEvent r(QEvent::KeyRelease, key, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &r);
}

}  // namespace

// The navigation shortcuts (arrows, PgUp/PgDn, [ ]) hand their key to a focused control that
// uses it. They re-sent it through QApplication::notify, which offers a key press to the
// shortcuts again: the same action fired again, for ever (a stack overflow on Up in a spin box).
TEST_CASE("main window: arrow and page keys in a focused spin box or combo box reach it", "[window][hardening]") {
    widgetTestApp();
    ActiveWindow win;
    MainWindow& w = win.w;
    w.settingsDock()->show();
    w.settingsDock()->raise();
    settle();
    QSpinBox* spin = nullptr;
    for (QSpinBox* s : w.settingsDock()->findChildren<QSpinBox*>())
        if (s->isVisible() && s->isEnabled() && s->value() < s->maximum()) {
            spin = s;
            break;
        }
    REQUIRE(spin);
    spin->setFocus();
    settle();
    REQUIRE(QApplication::focusWidget() == spin);
    const int before = spin->value();
    press(spin, Qt::Key_Up);
    CHECK(spin->value() == std::min(spin->maximum(), before + spin->singleStep()));
    press(spin, Qt::Key_Down);
    CHECK(spin->value() == before);
    press(spin, Qt::Key_PageUp);
    press(spin, Qt::Key_PageDown);

    QComboBox* combo = nullptr;
    for (QComboBox* c : w.findChildren<QComboBox*>())
        if (c->isVisible() && c->isEnabled() && c->count() > 1) {
            combo = c;
            break;
        }
    REQUIRE(combo);
    combo->setCurrentIndex(0);
    combo->setFocus();
    settle();
    REQUIRE(QApplication::focusWidget() == combo);
    press(combo, Qt::Key_Down);
    CHECK(combo->currentIndex() == 1);
    press(combo, Qt::Key_Up);
    CHECK(combo->currentIndex() == 0);
    // Without a control that owns the key, Right still moves the selection.
    combo->clearFocus();
    settle();
    w.setSelection({0, 0, 0});
    press(&w, Qt::Key_Right);
    CHECK(w.selection().position == 1);
}

// Leaving presentation mode resized every plot on screen several times in one turn, and
// QCustomPlot replotted at each resize. A view's plots now replot once, after the turn: the
// picture is the one a single resize to the last size draws (a plot left at its old viewport or
// buffer would differ).
TEST_CASE("views on screen: several resizes in one turn draw what one resize to the last size draws", "[window][hardening]") {
    widgetTestApp();
    const anatomy::widgets::ViewInput& in = widgetTestInput();
    for (const char* name : {"lens", "activations", "embedding", "attention", "norms"}) {
        INFO("view " << name);
        std::unique_ptr<anatomy::widgets::TraceView> many(anatomy::widgets::createView(QString::fromLatin1(name)));
        std::unique_ptr<anatomy::widgets::TraceView> once(anatomy::widgets::createView(QString::fromLatin1(name)));
        REQUIRE(many);
        REQUIRE(once);
        for (anatomy::widgets::TraceView* v : {many.get(), once.get()}) {
            v->setAttribute(Qt::WA_DontShowOnScreen);
            v->resize(1000, 640);
            v->show();
            v->setInput(in);
        }
        settle();
        for (const QSize size : {QSize(1400, 700), QSize(900, 600), QSize(1280, 720)}) many->resize(size);
        once->resize(1280, 720);
        settle();
        // Work a view hands to its pool (the attention grid's thumbnails) done now, as exports do:
        // otherwise one grab could catch it still pending on a loaded machine and the other not.
        many->finishDrawing();
        once->finishDrawing();
        settle();
        const QImage a = many->grab().toImage(), b = once->grab().toImage();
        REQUIRE(a.size() == b.size());
        CHECK(a == b);
    }
}

// Opening a session read the model's sha256 on the GUI thread (seconds for stories110M). It is
// read on the worker after each load now: a session saved with another file's sha256 still
// warns once it is known, a matching one does not, and a saved session records the model's.
TEST_CASE("main window: a session's model is compared with its saved sha256 off the GUI thread", "[window][hardening][session]") {
    widgetTestApp();
    ActiveWindow win;
    MainWindow& w = win.w;
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString saved = dir.filePath(QStringLiteral("saved.anatomy.json"));
    REQUIRE(w.controller().waitForModelSha256(120000));
    REQUIRE(w.saveSession(saved).isEmpty());
    anatomy::gui::SessionState s;
    REQUIRE(anatomy::gui::readSessionFile(saved, s).isEmpty());
    const QString actual = QString::fromStdString(anatomy::sha256File(modelPath("stories260K.bin")));
    CHECK(s.modelSha256 == actual);

    w.statusBar()->clearMessage();
    REQUIRE(w.openSession(saved).isEmpty());
    REQUIRE(w.controller().waitForIdle(120000));
    REQUIRE(w.controller().waitForModelSha256(120000));
    settle();
    CHECK_FALSE(w.statusBar()->currentMessage().contains(QStringLiteral("differs")));

    s.modelSha256 = QString(64, QLatin1Char('0'));
    const QString other = dir.filePath(QStringLiteral("other.anatomy.json"));
    REQUIRE(anatomy::gui::writeSessionFile(other, s).isEmpty());
    REQUIRE(w.openSession(other).isEmpty());
    REQUIRE(w.controller().waitForIdle(120000));
    REQUIRE(w.controller().waitForModelSha256(120000));
    settle();
    const QString message = w.statusBar()->currentMessage();
    INFO(message.toStdString());
    CHECK(message.contains(QStringLiteral("differs from the file the session was saved with")));
    CHECK(message.contains(actual.left(12)));
}
