#include "gui_monkey.h"

#include <QAbstractButton>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpontaneKeyEvent>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>
#include <QWheelEvent>
#include <cstdio>

#include "export/view_export.h"
#include "main_window.h"

namespace anatomy::monkey {

namespace {

bool showing(const QWidget* w) { return w && w->isVisible() && w->isEnabled() && !w->visibleRegion().isEmpty(); }

struct KeyChoice {
    int key;
    Qt::KeyboardModifiers mods;
    const char* name;
};

// Ctrl+Q (quit) is left out: the monkey tests the window, not its exit. Shortcuts that open a
// file dialog stay in; the dialog is dismissed.
const KeyChoice kKeys[] = {
    {Qt::Key_Left, {}, "Left"}, {Qt::Key_Right, {}, "Right"}, {Qt::Key_Up, {}, "Up"}, {Qt::Key_Down, {}, "Down"},
    {Qt::Key_PageUp, {}, "PgUp"}, {Qt::Key_PageDown, {}, "PgDn"}, {Qt::Key_BracketLeft, {}, "["},
    {Qt::Key_BracketRight, {}, "]"}, {Qt::Key_Home, {}, "Home"}, {Qt::Key_End, {}, "End"},
    {Qt::Key_Tab, {}, "Tab"}, {Qt::Key_Backtab, Qt::ShiftModifier, "Shift+Tab"}, {Qt::Key_Escape, {}, "Esc"},
    {Qt::Key_Return, {}, "Return"}, {Qt::Key_Space, {}, "Space"}, {Qt::Key_Backspace, {}, "Backspace"},
    {Qt::Key_Delete, {}, "Delete"}, {Qt::Key_F5, {}, "F5"},
    {Qt::Key_Return, Qt::ControlModifier, "Ctrl+Return"}, {Qt::Key_Space, Qt::ControlModifier, "Ctrl+Space"},
    {Qt::Key_Period, Qt::ControlModifier, "Ctrl+."}, {Qt::Key_R, Qt::ControlModifier, "Ctrl+R"},
    {Qt::Key_D, Qt::ControlModifier, "Ctrl+D"}, {Qt::Key_A, Qt::ControlModifier, "Ctrl+A"},
    {Qt::Key_Z, Qt::ControlModifier, "Ctrl+Z"}, {Qt::Key_V, Qt::ControlModifier, "Ctrl+V"},
    {Qt::Key_P, Qt::ControlModifier | Qt::ShiftModifier, "Ctrl+Shift+P"},
    {Qt::Key_A, Qt::ControlModifier | Qt::ShiftModifier, "Ctrl+Shift+A"},
    {Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier, "Ctrl+Shift+C"},
    {Qt::Key_E, Qt::ControlModifier | Qt::ShiftModifier, "Ctrl+Shift+E"},
    {Qt::Key_E, Qt::ControlModifier, "Ctrl+E"}, {Qt::Key_S, Qt::ControlModifier, "Ctrl+S"},
    {Qt::Key_O, Qt::ControlModifier, "Ctrl+O"}, {Qt::Key_M, Qt::ControlModifier, "Ctrl+M"},
    {Qt::Key_F, Qt::AltModifier, "Alt+F"}, {Qt::Key_V, Qt::AltModifier, "Alt+V"}, {Qt::Key_G, Qt::AltModifier, "Alt+G"},
    {Qt::Key_0, {}, "0"}, {Qt::Key_7, {}, "7"}, {Qt::Key_Minus, {}, "-"}, {Qt::Key_A, {}, "a"}, {Qt::Key_Z, {}, "z"},
};

// Text a person might type or paste: words, punctuation, digits, non-ASCII, newlines, a long
// paste (longer than the model's context).
QString someText(std::mt19937_64& rng) {
    static const QStringList pieces = {
        QStringLiteral(" Once upon a time"), QStringLiteral(" there was"), QStringLiteral(" a little girl named Lily."),
        QStringLiteral(" The dog"), QStringLiteral(" 12345"), QStringLiteral("!?"), QStringLiteral("\n"),
        QStringLiteral(" naïve café 日本語 🙂"), QStringLiteral("\t"), QStringLiteral(" \u200b\u0301"),
        QStringLiteral(" She was happy."), QStringLiteral("\"")};
    const int n = int(rng() % 6) + 1;
    QString out;
    for (int i = 0; i < n; ++i) out += pieces[int(rng() % uint64_t(pieces.size()))];
    if (rng() % 20 == 0) out = out.repeated(int(rng() % 200) + 50);  // a long paste
    return out;
}

// Key presses for each character (QTest::keyClicks knows ASCII only): printable ASCII as its
// key, newline and tab as Return and Tab, anything else as a key event carrying the text.
void typeText(QWidget* w, const QString& text) {
    for (const QChar c : text) {
        if (c == QLatin1Char('\n')) QTest::keyClick(w, Qt::Key_Return);
        else if (c == QLatin1Char('\t')) QTest::keyClick(w, Qt::Key_Tab);
        else if (c.unicode() >= 0x20 && c.unicode() < 0x7f) QTest::keyClick(w, char(c.unicode()));
        else QTest::sendKeyEvent(QTest::Click, w, Qt::Key_unknown, QString(c), Qt::NoModifier);
    }
}

}  // namespace

GuiMonkey::GuiMonkey(gui::MainWindow& window, const MonkeyFiles& files, StallWatch& watch, uint64_t seed, bool log)
    : m_window(window), m_files(files), m_watch(watch), m_rng(seed), m_log(log) {
    m_dismiss.setInterval(30);
    QObject::connect(&m_dismiss, &QTimer::timeout, [this] { dismissDialogs(); });
}

void GuiMonkey::wait(int ms) { QTest::qWait(ms); }

template <class W>
QList<W*> GuiMonkey::onScreen() const {
    QList<W*> out;
    for (QWidget* top : QApplication::topLevelWidgets())
        for (W* w : top->findChildren<W*>())
            if (showing(w)) out << w;
    return out;
}

QPoint GuiMonkey::pointIn(const QWidget* w) {
    return QPoint(below(std::max(1, w->width())), below(std::max(1, w->height())));
}

void GuiMonkey::run(int n) {
    m_dismiss.start();
    for (int i = 0; i < n; ++i) {
        keepUsable();
        step(i);
        ++m_counts.events;
        wait(below(12));  // the gap between two of a fast person's events
    }
    m_dismiss.stop();
}

void GuiMonkey::dismissDialogs() {
    // A shortcut opened a dialog or a menu: dismiss it, as a person would with Escape. Runs from
    // a timer too, because a dialog's exec() holds the event that opened it until it closes.
    for (int guard = 0; guard < 8; ++guard) {
        if (QWidget* popup = QApplication::activePopupWidget()) {
            popup->close();
            continue;
        }
        if (QWidget* modal = QApplication::activeModalWidget()) {
            if (auto* d = qobject_cast<QDialog*>(modal)) d->reject();
            else modal->close();
            ++m_counts.dialogsDismissed;
            continue;
        }
        break;
    }
}

void GuiMonkey::keepUsable() {
    dismissDialogs();
    // Error boxes are not modal (a lecture never hangs on one); close them once a few pile up.
    QList<QMessageBox*> boxes;
    for (QWidget* top : QApplication::topLevelWidgets())
        if (auto* b = qobject_cast<QMessageBox*>(top); b && b->isVisible()) boxes << b;
    if (boxes.size() > 3)
        for (QMessageBox* b : boxes) {
            b->close();
            ++m_counts.errorBoxesClosed;
        }
    // Keys through the menus can reach File > Quit; a person would start the app again.
    if (!m_window.isVisible()) {
        m_window.show();
        ++m_counts.windowReopened;
    }
    if (QApplication::activeWindow() != &m_window) {
        m_window.activateWindow();
        QApplication::setActiveWindow(&m_window);
    }
}

void GuiMonkey::step(int index) {
    // Weights out of 100.
    struct Kind {
        const char* name;
        int weight;
        QString (GuiMonkey::*act)();
    };
    static const Kind kinds[] = {
        {"click", 18, &GuiMonkey::click},       {"drag", 12, &GuiMonkey::drag},
        {"wheel", 10, &GuiMonkey::wheel},       {"key", 14, &GuiMonkey::key},
        {"type", 8, &GuiMonkey::type},          {"button", 9, &GuiMonkey::button},
        {"view", 8, &GuiMonkey::switchView},    {"combo", 5, &GuiMonkey::pickCombo},
        {"spin", 5, &GuiMonkey::typeSpin},      {"resize", 3, &GuiMonkey::resize},
        {"F5", 1, &GuiMonkey::presentation},    {"model", 3, nullptr},
        {"session", 1, &GuiMonkey::openSession}, {"pause", 3, &GuiMonkey::pause},
    };
    int roll = below(100);
    const Kind* kind = &kinds[0];
    for (const Kind& k : kinds) {
        if (roll < k.weight) {
            kind = &k;
            break;
        }
        roll -= k.weight;
    }
    const QString name = QString::fromLatin1(kind->name);
    m_watch.setLabel(QStringLiteral("event %1: %2 (starting)").arg(index).arg(name));
    // A model switch picks a broken file two times in three.
    const QString what = kind->act ? (this->*kind->act)() : switchModel(below(3) != 0);
    ++m_counts.byKind[name];
    const QString label = QStringLiteral("event %1: %2 %3").arg(index).arg(name, what);
    m_watch.setLabel(label);
    if (m_log) std::fprintf(stderr, "%s\n", qUtf8Printable(label));
}

QString GuiMonkey::click() {
    const QPoint p = pointIn(&m_window);
    QWidget* target = m_window.childAt(p);
    if (!target) target = &m_window;
    const QPoint local = target->mapFrom(&m_window, p);
    const int how = below(6);
    const Qt::MouseButton button = how == 5 ? Qt::RightButton : Qt::LeftButton;
    if (how == 4) QTest::mouseDClick(target, button, {}, local);
    else QTest::mouseClick(target, button, {}, local);
    return QStringLiteral("%1 %2 at %3,%4")
        .arg(how == 4 ? QStringLiteral("double") : button == Qt::RightButton ? QStringLiteral("right") : QStringLiteral("left"),
             QString::fromLatin1(target->metaObject()->className()))
        .arg(local.x())
        .arg(local.y());
}

QString GuiMonkey::drag() {
    // A QPointer: what a drag moves may be deleted during it (a view rebuilt its widgets while
    // the drag waited between moves; the plain pointer crashed seed 7 at event 5387).
    QPointer<QWidget> target;
    const QList<QAbstractSlider*> sliders = onScreen<QAbstractSlider>();
    if (!sliders.isEmpty() && below(2) == 0) {
        target = sliders[below(int(sliders.size()))];
    } else {
        target = m_window.childAt(pointIn(&m_window));
        if (!target) target = &m_window;
    }
    QPoint at = pointIn(target);
    const QPoint to = pointIn(target);
    // A button is named by its text too: a drag that ends on it is a click, and the stall list
    // must say which button's work it was.
    QString name = QString::fromLatin1(target->metaObject()->className());
    if (auto* b = qobject_cast<QAbstractButton*>(target.data()); b && !b->text().isEmpty())
        name += QStringLiteral(" \u201c%1\u201d").arg(b->text());
    QTest::mousePress(target, Qt::LeftButton, {}, at);
    const int moves = 2 + below(8);
    for (int i = 1; i <= moves; ++i) {
        wait(below(4));
        if (!showing(target)) break;  // the drag hid or moved what it dragged
        at = at + (to - at) / (moves - i + 1);
        QTest::mouseMove(target, at);
    }
    if (showing(target)) QTest::mouseRelease(target, Qt::LeftButton, {}, at);
    return QStringLiteral("%1 to %2,%3").arg(name).arg(to.x()).arg(to.y());
}

QString GuiMonkey::wheel() {
    const QPoint p = pointIn(&m_window);
    QWidget* target = m_window.childAt(p);
    if (!target) target = &m_window;
    const QPoint local = target->mapFrom(&m_window, p);
    const int delta = (below(2) ? 120 : -120) * (1 + below(3));
    const Qt::KeyboardModifiers mods = below(5) == 0 ? Qt::ControlModifier : Qt::NoModifier;
    QWheelEvent e(QPointF(local), QPointF(target->mapToGlobal(local)), QPoint(), QPoint(0, delta), Qt::NoButton, mods,
                  Qt::NoScrollPhase, false);
    // Spontaneous, as from the window system: an ignored wheel event goes on to the parent.
    QSpontaneKeyEvent::setSpontaneous(&e);
    qApp->notify(target, &e);
    return QStringLiteral("%1 on %2").arg(delta).arg(QString::fromLatin1(target->metaObject()->className()));
}

QString GuiMonkey::key() {
    const KeyChoice& k = kKeys[below(int(std::size(kKeys)))];
    QWidget* target = QApplication::focusWidget();
    if (!target || !showing(target)) target = &m_window;
    QTest::keyClick(target, Qt::Key(k.key), k.mods);
    return QStringLiteral("%1 to %2").arg(QString::fromLatin1(k.name), QString::fromLatin1(target->metaObject()->className()));
}

QString GuiMonkey::type() {
    QPlainTextEdit* prompt = m_window.promptEditor();
    if (!showing(prompt)) return QStringLiteral("(prompt hidden)");
    prompt->setFocus();
    const int how = below(5);
    if (how == 0) {  // a paste replaces the whole text
        const QString text = someText(m_rng);
        prompt->setPlainText(text);
        return QStringLiteral("paste of %1 characters").arg(text.size());
    }
    if (how == 1) {
        const int n = 1 + below(12);
        for (int i = 0; i < n; ++i) QTest::keyClick(prompt, Qt::Key_Backspace);
        return QStringLiteral("%1 backspaces").arg(n);
    }
    const QString text = someText(m_rng).left(40);
    typeText(prompt, text);
    return QStringLiteral("typed %1 characters").arg(text.size());
}

QString GuiMonkey::button() {
    static const QStringList names = {QStringLiteral("Generate"), QStringLiteral("Step"), QStringLiteral("Stop"),
                                      QStringLiteral("Reset")};
    const QString name = names[below(int(names.size()))];
    for (QPushButton* b : m_window.findChildren<QPushButton*>())
        if (b->text() == name) {
            if (!showing(b)) return name + QStringLiteral(" (disabled)");
            QTest::mouseClick(b, Qt::LeftButton);
            return name;
        }
    return name + QStringLiteral(" (not found)");
}

QString GuiMonkey::switchView() {
    const int how = below(4);
    if (how == 0) {  // View > View beside, or back to one pane
        const QStringList names = widgets::viewNames();
        widgets::TraceView* v = m_window.view(names[below(int(names.size()))]);
        if (!v) return QStringLiteral("(no view)");
        const bool beside = below(2) == 0;
        m_window.placeView(v, beside);
        return QStringLiteral("%1 %2").arg(v->viewName(), beside ? QStringLiteral("beside") : QStringLiteral("back"));
    }
    // A click on a tab of either pane.
    QTabWidget* pane = (how == 1 && m_window.sidePane()->isVisible()) ? m_window.sidePane() : m_window.mainPane();
    QTabBar* bar = pane->tabBar();
    if (!showing(bar) || bar->count() == 0) return QStringLiteral("(no tabs)");
    const int i = below(bar->count());
    const QRect r = bar->tabRect(i);
    if (r.isEmpty() || !bar->rect().intersects(r)) {
        pane->setCurrentIndex(i);  // scrolled out of sight: as chosen from View > Show view
        return QStringLiteral("tab %1 (menu)").arg(bar->tabText(i));
    }
    QTest::mouseClick(bar, Qt::LeftButton, {}, r.center());
    return QStringLiteral("tab %1").arg(bar->tabText(i));
}

QString GuiMonkey::pickCombo() {
    const QList<QComboBox*> boxes = onScreen<QComboBox>();
    if (boxes.isEmpty()) return QStringLiteral("(none)");
    QComboBox* box = boxes[below(int(boxes.size()))];
    if (box->count() == 0) return QStringLiteral("(empty)");
    const int i = below(box->count());
    box->setCurrentIndex(i);  // as chosen from its popup
    Q_EMIT box->activated(i);
    return QStringLiteral("%1 = %2").arg(box->objectName(), box->itemText(i));
}

QString GuiMonkey::typeSpin() {
    const QList<QAbstractSpinBox*> spins = onScreen<QAbstractSpinBox>();
    if (spins.isEmpty()) return QStringLiteral("(none)");
    QAbstractSpinBox* spin = spins[below(int(spins.size()))];
    static const QStringList values = {QStringLiteral("0"),   QStringLiteral("1"),    QStringLiteral("-5"),
                                       QStringLiteral("2.5"), QStringLiteral("999999"), QStringLiteral("1e9"),
                                       QStringLiteral("64"),  QStringLiteral("0.0001"), QStringLiteral("abc")};
    const QString value = values[below(int(values.size()))];
    spin->setFocus();
    QTest::keyClick(spin, Qt::Key_A, Qt::ControlModifier);
    typeText(spin, value);
    QTest::keyClick(spin, below(2) ? Qt::Key_Return : Qt::Key_Tab);
    return QStringLiteral("%1 <- %2").arg(QString::fromLatin1(spin->metaObject()->className()), value);
}

QString GuiMonkey::resize() {
    const QSize size(900 + below(1700), 560 + below(1100));  // below the minimum too: Qt keeps the minimum
    m_window.resize(size);
    return QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
}

QString GuiMonkey::presentation() {
    QTest::keyClick(&m_window, Qt::Key_F5);
    return m_window.presentationMode() ? QStringLiteral("on") : QStringLiteral("off");
}

QString GuiMonkey::switchModel(bool broken) {
    const QList<ModelChoice>& list = broken && !m_files.brokenModels.isEmpty() ? m_files.brokenModels : m_files.goodModels;
    if (list.isEmpty()) return QStringLiteral("(no models)");
    const ModelChoice& c = list[below(int(list.size()))];
    m_watch.setLabel(QStringLiteral("loading model %1").arg(c.what));
    // What Model > Open model file… and the model manager do once a file is chosen.
    m_window.controller().loadModel(c.model, c.tokenizer);
    return c.what;
}

QString GuiMonkey::openSession() {
    if (m_files.sessions.isEmpty()) return QStringLiteral("(no sessions)");
    const QString path = m_files.sessions[below(int(m_files.sessions.size()))];
    m_watch.setLabel(QStringLiteral("opening session %1").arg(path));
    // What File > Open session… does once a file is chosen (it shows the error in a box).
    const QString err = m_window.openSession(path);
    const QString name = path.section(QLatin1Char('/'), -1);
    return err.isEmpty() ? name : QStringLiteral("%1: %2").arg(name, err.left(120));
}

QString GuiMonkey::pause() {
    const int ms = 30 + below(300);
    wait(ms);
    return QStringLiteral("%1 ms").arg(ms);
}

}  // namespace anatomy::monkey
