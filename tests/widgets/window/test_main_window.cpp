// The real main window, offscreen: its layout at projector and desktop sizes, presentation mode,
// the wheel over docked controls, and a window that never resizes itself.
#include <QAbstractSpinBox>
#include <QDockWidget>
#include <QLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QWheelEvent>
#include <catch2/catch.hpp>

#include "main_window.h"
#include "export/view_export.h"
#include "plot/qcustomplot_include.h"
#include "views/attention_steps_view.h"
#include "views/attention_view.h"
#include "controller/job_tracker.h"
#include "widgets/widget_test_support.h"

using anatomy::gui::MainWindow;
using namespace anatomy::widgets;

namespace {

// On screen now: visible and not hidden behind a tab.
bool onScreen(const QWidget* w) { return w->isVisible() && !w->visibleRegion().isEmpty(); }

// The window, drawn off screen at size, with stories260K traced.
struct Window {
    MainWindow w;
    explicit Window(QSize size) {
        w.setAttribute(Qt::WA_DontShowOnScreen);
        w.resize(size);
        w.show();
        w.start(QString::fromStdString(modelPath("stories260K.bin")), QString::fromUtf8(kTestPrompt),
                QString::fromStdString(modelPath("tok512.bin")));
        REQUIRE(w.controller().waitForIdle(120000));
        settle();
    }
    static void settle() {
        for (int i = 0; i < 5; ++i) QCoreApplication::processEvents();
    }
};

// Pairs of widgets laid out side by side by one layout (or the main window's) that overlap.
QStringList overlaps(QWidget* root) {
    QStringList out;
    const QList<QWidget*> all = root->findChildren<QWidget*>() << root;
    for (QWidget* parent : all) {
        if (!onScreen(parent) || !parent->layout()) continue;
        QList<QWidget*> kids;
        for (QObject* o : parent->children())
            if (auto* c = qobject_cast<QWidget*>(o); c && !c->isWindow() && onScreen(c) &&
                                                     parent->layout()->indexOf(c) >= 0)
                kids << c;
        // QMainWindow's docks and separators are children of the window, not of its layout.
        if (parent == root)
            for (QDockWidget* d : root->findChildren<QDockWidget*>(Qt::FindDirectChildrenOnly))
                if (onScreen(d) && !kids.contains(d)) kids << d;
        for (int i = 0; i < kids.size(); ++i)
            for (int j = i + 1; j < kids.size(); ++j)
                if (kids[i]->geometry().intersects(kids[j]->geometry()))
                    out << QStringLiteral("%1 [%2] overlaps %3 [%4]")
                               .arg(kids[i]->metaObject()->className(), kids[i]->objectName(),
                                    kids[j]->metaObject()->className(), kids[j]->objectName());
    }
    return out;
}

// Views on screen smaller than their minimum size hint.
QStringList squeezedViews(MainWindow& w) {
    QStringList out;
    for (const QString& name : viewNames()) {
        TraceView* v = w.view(name);
        if (!v || !onScreen(v)) continue;
        const QSize min = v->minimumSizeHint().expandedTo(v->minimumSize());
        if (v->width() < min.width() || v->height() < min.height())
            out << QStringLiteral("%1 %2x%3 < %4x%5").arg(name).arg(v->width()).arg(v->height()).arg(min.width()).arg(min.height());
    }
    return out;
}

}  // namespace

TEST_CASE("main window: nothing overlaps and every view gets its minimum size", "[window]") {
    widgetTestApp();
    for (const QSize size : {QSize(1024, 640), QSize(1280, 720), QSize(1600, 1000), QSize(1920, 1080)}) {
        Window win(size);
        MainWindow& w = win.w;
        INFO("window " << size.width() << "x" << size.height());
        CHECK(w.size() == size);
        // Every view in turn in the main pane, then the attention map beside the sampling view.
        for (const QString& name : viewNames()) {
            TraceView* v = w.view(name);
            REQUIRE(v);
            w.showView(v);
            Window::settle();
            INFO("view " << name.toStdString());
            CHECK(overlaps(&w).join(QStringLiteral("; ")).toStdString() == "");
            CHECK(squeezedViews(w).join(QStringLiteral("; ")).toStdString() == "");
        }
        CHECK(w.size() == size);
        if (size.width() < 1280) continue;  // two panes side by side need a wider window
        w.placeView(w.view(QStringLiteral("attention")), true);
        w.showView(w.view(QStringLiteral("sampling")));
        Window::settle();
        CHECK(onScreen(w.view(QStringLiteral("attention"))));
        CHECK(onScreen(w.view(QStringLiteral("sampling"))));
        CHECK(overlaps(&w).join(QStringLiteral("; ")).toStdString() == "");
        CHECK(squeezedViews(w).join(QStringLiteral("; ")).toStdString() == "");
        CHECK(w.size() == size);
    }
}

TEST_CASE("main window: its minimum fits a 1024x640 screen", "[window]") {
    widgetTestApp();
    MainWindow w;
    CHECK(w.minimumSize().width() <= 1024);
    CHECK(w.minimumSize().height() <= 640);
    CHECK(w.minimumSizeHint().width() <= 1024);
}

TEST_CASE("main window: presentation mode twice restores the geometry and enlarges plot text", "[window]") {
    widgetTestApp();
    Window win(QSize(1280, 720));
    MainWindow& w = win.w;
    const QRect before = w.geometry();
    auto* attention = qobject_cast<AttentionView*>(w.view(QStringLiteral("attention")));
    REQUIRE(attention);
    const double tickPt = attention->plot()->xAxis->tickLabelFont().pointSizeF();
    const bool docksBefore = w.settingsDock()->isVisible() || w.architectureDock()->isVisible();
    for (int round = 0; round < 2; ++round) {
        w.setPresentationMode(true);
        Window::settle();
        CHECK(attention->plot()->xAxis->tickLabelFont().pointSizeF() > tickPt * 1.3);
        CHECK_FALSE(w.settingsDock()->isVisible());
        w.setPresentationMode(false);
        Window::settle();
        CHECK(w.geometry() == before);
        CHECK(attention->plot()->xAxis->tickLabelFont().pointSizeF() == Approx(tickPt));
        CHECK((w.settingsDock()->isVisible() || w.architectureDock()->isVisible()) == docksBefore);
    }
}

TEST_CASE("main window: presenting on a 720-line screen the prompt takes two lines, on 1080 three", "[window]") {
    widgetTestApp();
    for (const QSize size : {QSize(1280, 720), QSize(1920, 1080)}) {
        Window win(size);
        MainWindow& w = win.w;
        const int windowLines = w.promptEditor()->height();
        w.setPresentationMode(true);
        Window::settle();
        const int line = QFontMetrics(w.promptEditor()->font()).lineSpacing();
        INFO("window " << size.width() << "x" << size.height());
        CHECK(w.promptEditor()->height() == line * (size.height() < 900 ? 2 : 3) + 14);
        w.setPresentationMode(false);
        Window::settle();
        CHECK(w.promptEditor()->height() == windowLines);  // three lines again out of it
    }
}

TEST_CASE("main window: the wheel over an unfocused docked spin box changes nothing", "[window]") {
    widgetTestApp();
    Window win(QSize(1280, 720));
    MainWindow& w = win.w;
    int checked = 0;
    for (QDockWidget* dock : {w.settingsDock(), w.architectureDock()}) {
        dock->show();
        dock->raise();
        Window::settle();
        for (QAbstractSpinBox* spin : dock->findChildren<QAbstractSpinBox*>()) {
            if (!spin->isEnabled()) continue;
            const QString before = spin->text();
            // Over the spin box's line edit, where the pointer is; it passes the wheel up.
            QWidget* target = spin->findChild<QLineEdit*>() ? static_cast<QWidget*>(spin->findChild<QLineEdit*>()) : spin;
            const QPointF at(target->width() / 2.0, target->height() / 2.0);
            QWheelEvent up(at, target->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                           Qt::NoScrollPhase, false);
            QCoreApplication::sendEvent(target, &up);
            INFO(dock->windowTitle().toStdString() << ": " << spin->objectName().toStdString() << " " << before.toStdString());
            CHECK(spin->text() == before);
            ++checked;
        }
    }
    CHECK(checked >= 5);
    // Focused, the wheel works as usual.
    QAbstractSpinBox* first = w.settingsDock()->findChildren<QAbstractSpinBox*>().value(0);
    REQUIRE(first);
    w.settingsDock()->raise();
    first->setFocus();
    Window::settle();
    if (first->hasFocus()) {
        const QString before = first->text();
        QWheelEvent up(QPointF(5, 5), first->mapToGlobal(QPointF(5, 5)), QPoint(), QPoint(0, 120), Qt::NoButton,
                       Qt::NoModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(first, &up);
        CHECK(first->text() != before);
    }
}

TEST_CASE("main window: Draw x100 does not change the window size", "[window]") {
    widgetTestApp();
    Window win(QSize(1280, 720));
    MainWindow& w = win.w;
    TraceView* sampling = w.view(QStringLiteral("sampling"));
    REQUIRE(sampling);
    w.showView(sampling);
    Window::settle();
    QPushButton* draw100 = nullptr;
    for (QPushButton* b : sampling->findChildren<QPushButton*>())
        if (b->text().contains(QStringLiteral("100"))) draw100 = b;
    REQUIRE(draw100);
    const QSize before = w.size();
    for (int i = 0; i < 3; ++i) {
        draw100->click();
        Window::settle();
    }
    CHECK(w.size() == before);
    CHECK(overlaps(&w).join(QStringLiteral("; ")).toStdString() == "");
}

TEST_CASE("main window: Reset layout brings every view back to the main pane and the docks back", "[window]") {
    widgetTestApp();
    Window win(QSize(1280, 720));
    MainWindow& w = win.w;
    w.placeView(w.view(QStringLiteral("rope")), true);
    w.settingsDock()->hide();
    w.architectureDock()->hide();
    Window::settle();
    CHECK(w.sidePane()->count() == 1);
    w.resetLayout();
    Window::settle();
    CHECK(w.sidePane()->count() == 0);
    CHECK_FALSE(w.sidePane()->isVisible());
    CHECK(w.mainPane()->count() == static_cast<int>(viewNames().size()) - 1);  // all but the strip
    CHECK((w.settingsDock()->isVisible() || w.architectureDock()->isVisible()));
    CHECK(w.size() == QSize(1280, 720));
}


TEST_CASE("main window: a view out of sight draws the selection made meanwhile, once edits pause or when shown",
          "[window]") {
    widgetTestApp();
    Window win(QSize(1600, 1000));
    MainWindow& w = win.w;
    auto* steps = qobject_cast<AttentionStepsView*>(w.view(QStringLiteral("steps")));
    REQUIRE(steps);
    w.mainPane()->setCurrentWidget(w.view(QStringLiteral("attention")));
    Window::settle();
    REQUIRE_FALSE(onScreen(steps));
    // The hidden view catches up with the trace after the pause in editing.
    REQUIRE(processEventsUntil([&] { return steps->steps().valid; }, 10000));
    // A selection made while it is out of sight reaches it after the pause...
    w.setSelection({-1, 2, 3});
    CHECK(processEventsUntil([&] { return steps->steps().layer == 2 && steps->steps().head == 3; }, 10000));
    // ... or at once when it is shown.
    w.setSelection({-1, 1, 5});
    w.mainPane()->setCurrentWidget(steps);
    Window::settle();
    REQUIRE(onScreen(steps));
    CHECK(steps->steps().layer == 1);
    CHECK(steps->steps().head == 5);
}
