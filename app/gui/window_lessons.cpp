#include "window_lessons.h"

#include <algorithm>

#include <QAbstractSpinBox>
#include <QActionGroup>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTextEdit>

#include "anatomy/model_registry.h"
#include "anatomy/tokenizer.h"
#include "controller/window_logic.h"
#include "export/view_export.h"
#include "lessons/language.h"
#include "lessons/lesson_highlight.h"
#include "lessons/lesson_overlay.h"
#include "lessons/lesson_panel.h"
#include "lessons/retranslate.h"
#include "main_window.h"
#include "panels/architecture_panel.h"
#include "panels/knob_help.h"
#include "panels/model_manager_dialog.h"
#include "panels/settings_panel.h"
#include "views/attention_view.h"
#include "views/decoding_view.h"

namespace anatomy::gui {

using namespace anatomy::widgets;

WindowLessons::WindowLessons(MainWindow& window) : QObject(&window), m_w(window) {
    m_player = new LessonPlayer(this, this);
    m_player->setLanguage(currentLanguage());
    m_panel = new LessonPanel(m_player, &m_w);
    m_dock = new QDockWidget(tr("Lesson"), &m_w);
    m_dock->setObjectName(QStringLiteral("dock-lesson"));
    m_dock->setWidget(m_panel);
    m_w.addDockWidget(Qt::RightDockWidgetArea, m_dock);
    m_w.tabifyDockWidget(m_w.architectureDock(), m_dock);
    m_dock->hide();  // until a lesson opens (View > Lesson shows it for authoring)
    m_overlay = new LessonOverlay(m_player, m_w.centralWidget());
    // A step whose best model is missing offers the download (Model > Model manager).
    connect(m_panel, &LessonPanel::modelManagerRequested, this, [this] {
        auto* dlg = new ModelManagerDialog(&m_w);
        dlg->setAttribute(Qt::WA_DeleteOnClose);
        connect(dlg, &ModelManagerDialog::modelChosen, this, [this](const QString& model, const QString& tok) {
            m_w.controller().loadModel(model, tok);
        });
        dlg->open();
    });
    m_shownLanguage = currentLanguage();
    m_retranslate.setSingleShot(true);
    m_retranslate.setInterval(0);
    connect(&m_retranslate, &QTimer::timeout, this, &WindowLessons::retranslate);
    // ... and a trained variant's preset, in the Train view.
    connect(m_panel, &LessonPanel::trainPresetRequested, this, [this](const QString& preset) {
        TraceView* train = m_w.view(QStringLiteral("train"));
        if (!train) return;
        if (auto* presets = train->findChild<QComboBox*>(); presets && presets->findText(preset) >= 0)
            presets->setCurrentIndex(presets->findText(preset));
        m_w.showView(train);
    });
    m_poll.setInterval(30);
    connect(&m_poll, &QTimer::timeout, this, &WindowLessons::poll);
    connect(m_player, &LessonPlayer::opened, this, [this] {
        if (!m_w.presentationMode()) {
            m_dock->show();
            m_dock->raise();
        }
        updateOverlay();
    });
    connect(m_player, &LessonPlayer::closed, this, [this] {
        delete m_highlight;
        delete m_controlHighlight;
        updateOverlay();
    });
    connect(m_player, &LessonPlayer::stepChanged, this, [this] { updateOverlay(); });
    connect(&m_w, &MainWindow::presentationModeChanged, this, [this](bool on) {
        if (on) m_dock->hide();
        updateOverlay();
    });
    qApp->installEventFilter(this);
}

void WindowLessons::updateOverlay() {
    const bool show = m_w.presentationMode() && m_player->isOpen() && m_player->count() > 0;
    m_overlay->setVisible(show);
    if (show) m_overlay->refresh();
}

void WindowLessons::addFileActions(QMenu* file) {
    file->addAction(tr("Open &lesson…"), this, &WindowLessons::openDialog);
    QMenu* list = file->addMenu(tr("Lesso&ns"));
    // Filled when opened: the user's folder may have gained a lesson since.
    connect(list, &QMenu::aboutToShow, this, [this, list] {
        list->clear();
        for (const QString& path : lessonFiles()) {
            Lesson l;
            const QString err = readLessonFile(path, l);
            const QString name = err.isEmpty() ? (l.section.in(m_player->language()).isEmpty()
                                                       ? l.title.in(m_player->language())
                                                       : l.section.in(m_player->language()) + QStringLiteral(" · ") +
                                                             l.title.in(m_player->language()))
                                                : QFileInfo(path).fileName() + tr(" (broken)");
            list->addAction(name, this, [this, path] {
                if (const QString e = openLesson(path); !e.isEmpty())
                    QMessageBox::warning(&m_w, tr("Cannot open the lesson"), e);
            });
        }
    });
    file->addAction(tr("&New lesson"), this, [this] {
        m_player->newLesson({tr("Untitled lesson"), {}});
        m_dock->show();
        m_dock->raise();
    });
}

void WindowLessons::addViewActions(QMenu* view) {
    view->addAction(m_dock->toggleViewAction());
    QMenu* lang = view->addMenu(tr("&Language"));
    auto* group = new QActionGroup(lang);
    const QString chosen = QSettings().value(QStringLiteral("language")).toString();
    const std::pair<QString, QString> choices[] = {
        {QString(), tr("System (%1)").arg(QLocale::system().name())},
        {QStringLiteral("en"), QStringLiteral("English")},
        {QStringLiteral("zh_CN"), QStringLiteral("中文(简体)")}};
    for (const auto& [code, label] : choices) {
        QAction* a = lang->addAction(label);
        a->setCheckable(true);
        a->setChecked(code == chosen);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, code = code] { setInterfaceLanguage(code); });
    }
}

void WindowLessons::setInterfaceLanguage(const QString& code) {
    QSettings().setValue(QStringLiteral("language"), code);
    const QString language = chooseLanguage(code);
    if (language == currentLanguage()) return;
    // Installing the translator sends QEvent::LanguageChange to every widget; the window's is
    // where the texts on screen switch (retranslate()).
    if (!installTranslation(language))
        m_w.statusBar()->showMessage(tr("No translation for %1 in this build: the interface stays English.").arg(language),
                                     8000);
}

void WindowLessons::retranslate() {
    const QString to = currentLanguage();
    if (to == m_shownLanguage) return;
    retranslateWidgets(&m_w, m_shownLanguage, to);
    m_shownLanguage = to;
    // The views build their titles and notes when they draw: draw every one again from the
    // current trace (hidden ones too, so showing one later does not bring back the old language).
    const ViewInput& in = m_w.controller().currentInput();
    for (const QString& name : viewNames())
        if (TraceView* v = m_w.view(name); v && in.trace && traceServes(*in.trace, name)) {
            v->setInput(in);
            v->setSelection(m_w.selection());
        }
    for (QTabWidget* pane : {m_w.mainPane(), m_w.sidePane()})
        for (int i = 0; i < pane->count(); ++i)
            if (auto* v = qobject_cast<TraceView*>(pane->widget(i)))
                pane->setTabText(i, v != m_w.compareView()
                                        ? v->title()
                                        : QCoreApplication::translate("anatomy::gui::MainWindow", "A: %1").arg(v->title()));
    m_w.setSelection(m_w.selection());  // the selection line in the status bar
    m_player->setLanguage(to);
    m_w.statusBar()->showMessage(tr("Interface language: %1").arg(to == QLatin1String("en") ? QStringLiteral("English")
                                                                                           : QStringLiteral("中文(简体)")),
                                 4000);
}

void WindowLessons::openDialog() {
    QString dir = userLessonFolder();
    if (!QDir(dir).exists()) dir = QString();
    const QString path = QFileDialog::getOpenFileName(&m_w, tr("Open lesson"), dir, tr("Lessons (*.json)"));
    if (path.isEmpty()) return;
    if (const QString err = openLesson(path); !err.isEmpty()) QMessageBox::warning(&m_w, tr("Cannot open the lesson"), err);
}

QString WindowLessons::openLesson(const QString& path, int step) {
    // A shipped lesson by name: --lesson attention opens :/lessons/attention.json.
    const QString shipped = QStringLiteral(":/lessons/%1.json").arg(path);
    return m_player->openFile(!QFileInfo::exists(path) && QFileInfo::exists(shipped) ? shipped : path, step);
}

bool WindowLessons::waitForStep(int timeoutMs) {
    const bool ok = processEventsUntil([this] { return !m_player->applying(); }, timeoutMs);
    QCoreApplication::processEvents();
    return ok;
}

// ---- the decoding lab's strategy ----

// The lab's controls by object name (decoding_view.cpp names each one).
template <class W>
W* decodingControl(const DecodingView& d, const char* name) {
    return d.findChild<W*>(QLatin1String(name));
}

LessonDecodingSettings WindowLessons::decodingSettingsOf(const DecodingView& d) {
    LessonDecodingSettings s;
    if (auto* w = decodingControl<QSpinBox>(d, "decodingMaxNew")) s.maxNew = w->value();
    if (auto* w = decodingControl<QSpinBox>(d, "beamWidth")) s.beamWidth = w->value();
    if (auto* w = decodingControl<QDoubleSpinBox>(d, "lengthPenalty")) s.lengthPenalty = w->value();
    if (auto* w = decodingControl<QSpinBox>(d, "sampleCount")) s.samples = w->value();
    if (auto* w = decodingControl<QComboBox>(d, "sampleScorer")) s.scorer = w->currentText();
    if (auto* w = decodingControl<QLineEdit>(d, "answerRegex")) s.answerRegex = w->text();
    if (auto* w = decodingControl<QLineEdit>(d, "compareVariants")) s.variants = w->text();
    return s;
}

void WindowLessons::setDecodingSettings(DecodingView& d, const LessonDecodingSettings& s) {
    // Each control reruns its lab when it changes; one left as it is costs nothing.
    if (auto* w = decodingControl<QSpinBox>(d, "decodingMaxNew"); w && w->value() != s.maxNew) w->setValue(s.maxNew);
    if (auto* w = decodingControl<QSpinBox>(d, "beamWidth"); w && w->value() != s.beamWidth) w->setValue(s.beamWidth);
    if (auto* w = decodingControl<QDoubleSpinBox>(d, "lengthPenalty"); w && w->value() != s.lengthPenalty)
        w->setValue(s.lengthPenalty);
    if (auto* w = decodingControl<QSpinBox>(d, "sampleCount"); w && w->value() != s.samples) w->setValue(s.samples);
    if (auto* w = decodingControl<QComboBox>(d, "sampleScorer"); w && w->currentText() != s.scorer)
        w->setCurrentIndex(std::max(0, w->findText(s.scorer)));
    if (auto* w = decodingControl<QLineEdit>(d, "answerRegex"); w && w->text() != s.answerRegex) w->setText(s.answerRegex);
    if (auto* w = decodingControl<QLineEdit>(d, "compareVariants"); w && w->text() != s.variants) {
        w->setText(s.variants);
        Q_EMIT w->returnPressed();  // the side-by-side lab runs its strategies on Return
    }
}

// ---- the host ----

LessonState WindowLessons::captureLessonState() { return capture(!m_player->isOpen()); }

LessonState WindowLessons::capture(bool withTokens) {
    LessonState s;
    TraceController& c = m_w.controller();
    if (c.hasModel())
        s.model = c.modelInfo().manifestName.isEmpty() ? c.modelInfo().modelPath : c.modelInfo().manifestName;
    s.prompt = m_w.promptEditor()->toPlainText();
    if (withTokens) s.tokens = c.tokens();  // the user's exact text, generated tokens included
    if (auto* v = qobject_cast<TraceView*>(m_w.mainPane()->currentWidget())) s.view = v->viewName();
    for (int i = 0; i < m_w.sidePane()->count(); ++i)
        if (auto* v = qobject_cast<TraceView*>(m_w.sidePane()->widget(i)); v && v != m_w.compareView()) {
            s.beside = v->viewName();
            break;
        }
    s.selection = m_w.selection();
    s.sampler = m_w.settingsPanel()->settings();
    s.set = assignmentLines(m_w.architecturePanel()->settings());
    if (auto* d = qobject_cast<DecodingView*>(m_w.view(QStringLiteral("decoding")))) {
        if (auto* tabs = d->findChild<QTabWidget*>())
            s.decoding = QStringList{"beam", "samples", "compare"}.value(tabs->currentIndex());
        s.decodingSettings = decodingSettingsOf(*d);
    }
    if (s.decoding == QLatin1String("beam")) s.decoding.clear();
    // The pinned comparison trace A, when it is on screen beside the main view.
    const ViewInput& pinned = m_w.pinnedInput();
    if (m_w.compareView() && pinned.trace) {
        LessonPin pin;
        pin.set = assignmentLines(pinned.trace->settings);
        const ViewInput& now = c.currentInput();
        if (!now.trace || now.trace->tokens != pinned.trace->tokens) {
            // A's own text: decoded after BOS, and (as for B) its exact tokens when not authoring.
            const std::vector<int>& ids = pinned.trace->tokens;
            if (pinned.tokenizer && ids.size() > 1)
                pin.prompt = QString::fromStdString(pinned.tokenizer->decodeAll(std::vector<int>(ids.begin() + 1, ids.end())));
            if (withTokens) pin.tokens = ids;
        }
        s.pin = pin;
    }
    if (auto* a = qobject_cast<AttentionView*>(m_w.view(QStringLiteral("attention"))))
        s.attentionMode = a->mode() == AttentionMode::Scores             ? QStringLiteral("scores")
                          : a->mode() == AttentionMode::LogProbabilities ? QStringLiteral("log")
                                                                         : QStringLiteral("probabilities");
    return s;
}

void WindowLessons::setKnobs(const QStringList& set) {
    QString err;
    const std::optional<SimSettings> sim = settingsFromAssignments(set, &err);
    if (!sim) {
        m_w.statusBar()->showMessage(tr("Lesson: %1").arg(err), 10000);
        return;
    }
    if (!(m_w.architecturePanel()->settings() == *sim)) m_w.architecturePanel()->setSettings(*sim);
}

void WindowLessons::setPrompt(const QString& prompt, const std::vector<int>& tokens) {
    const QString text = prompt.isEmpty() ? defaultPrompt() : prompt;
    if (!tokens.empty()) {
        {
            const QSignalBlocker block(m_w.promptEditor());
            m_w.promptEditor()->setPlainText(text);
        }
        m_w.controller().setTokens(tokens, text);
        return;
    }
    if (m_w.promptEditor()->toPlainText() != text) m_w.promptEditor()->setPlainText(text);  // traces it
}

void WindowLessons::applyLessonState(const LessonState& s) {
    m_pending = s;
    delete m_highlight;
    delete m_controlHighlight;
    // The layout: one pane, nothing compared, then the step's views.
    m_w.setComparing(false);
    for (int i = m_w.sidePane()->count() - 1; i >= 0; --i)
        if (auto* v = qobject_cast<TraceView*>(m_w.sidePane()->widget(i))) m_w.placeView(v, false);
    if (TraceView* v = m_w.view(s.view)) m_w.showView(v);
    if (TraceView* b = m_w.view(s.beside); b && !s.beside.isEmpty() && s.beside != s.view) m_w.placeView(b, true);
    if (auto* a = qobject_cast<AttentionView*>(m_w.view(QStringLiteral("attention"))))
        a->setMode(attentionModeFromName(s.attentionMode).value_or(AttentionMode::Probabilities));
    if (auto* d = qobject_cast<DecodingView*>(m_w.view(QStringLiteral("decoding")))) {
        setDecodingSettings(*d, s.decodingSettings);
        d->showTab(s.decoding == QLatin1String("samples")   ? DecodingView::Tab::Samples
                   : s.decoding == QLatin1String("compare") ? DecodingView::Tab::Compare
                                                            : DecodingView::Tab::Beam);
    }
    // The sampler needs no forward pass; the knobs and the prompt do (the pinned trace A first).
    if (!(m_w.settingsPanel()->settings() == s.sampler)) m_w.settingsPanel()->setSettings(s.sampler);
    const QString model = s.model.isEmpty() ? QStringLiteral("stories260K") : s.model;
    TraceController& c = m_w.controller();
    const std::string resolved = anatomy::resolveModelPath(model.toStdString());
    const bool sameModel = c.hasModel() && !resolved.empty() &&
                           QFileInfo(QString::fromStdString(resolved)).canonicalFilePath() ==
                               QFileInfo(c.modelInfo().modelPath).canonicalFilePath();
    if (s.pin) {
        setKnobs(s.pin->set);
        if (s.pin->prompt.isEmpty() && s.pin->tokens.empty()) setPrompt(s.prompt, s.tokens);
        else setPrompt(s.pin->prompt, s.pin->tokens);
    } else {
        setKnobs(s.set);
        setPrompt(s.prompt, s.tokens);
    }
    if (!sameModel) c.loadModel(model);
    m_stage = s.pin ? Stage::Pin : Stage::Final;
    m_idlePolls = 0;
    m_poll.start();
}

void WindowLessons::poll() {
    // Idle twice in a row: the last trace's queued delivery has reached the views too.
    if (!m_w.controller().isIdle()) {
        m_idlePolls = 0;
        return;
    }
    if (++m_idlePolls < 2) return;
    m_idlePolls = 0;
    if (m_stage == Stage::Pin) {
        m_w.pinTrace();  // A, shown beside the main view
        setKnobs(m_pending.set);
        setPrompt(m_pending.prompt, m_pending.tokens);
        m_stage = Stage::Final;
        return;
    }
    m_poll.stop();
    m_stage = Stage::Idle;
    m_w.setSelection(m_pending.selection);
    if (m_player->isOpen()) showHighlight();
    m_player->finishApply();
}

void WindowLessons::showHighlight() {
    const LessonStep* st = m_player->currentStep();
    if (!st) return;
    const LessonHighlight& h = st->highlight;
    if (!h.isEmpty())
        if (QWidget* target = lessonView(h.view.isEmpty() ? st->state.view : h.view))
            m_highlight = new LessonHighlightFrame(target, h.element, h.rect, h.label.in(m_player->language()));
    // The control to try, outlined in its dock (the Architecture dock's controls are named by key).
    if (!st->tryIt.control.isEmpty() && !m_w.presentationMode())
        if (auto* w = m_w.architecturePanel()->findChild<QWidget*>(st->tryIt.control)) {
            m_w.architectureDock()->show();
            m_controlHighlight = new LessonHighlightFrame(w, {}, QRectF(0, 0, 1, 1), {});
        }
}

QWidget* WindowLessons::lessonView(const QString& name) { return m_w.view(name); }

// ---- keys ----

bool WindowLessons::eventFilter(QObject* watched, QEvent* event) {
    const QEvent::Type t = event->type();
    // Removing the old translator and installing the new one send one LanguageChange each:
    // retranslate once, after both.
    if (t == QEvent::LanguageChange && watched == &m_w) {
        m_retranslate.start();
        return false;
    }
    if ((t != QEvent::ShortcutOverride && t != QEvent::KeyPress) || !m_player->isOpen()) return false;
    auto* w = qobject_cast<QWidget*>(watched);
    if (!w || w->window() != &m_w) return false;
    auto* k = static_cast<QKeyEvent*>(event);
    const Qt::KeyboardModifiers mods = k->modifiers() & ~Qt::KeypadModifier;
    int delta = 0;
    if (mods == Qt::NoModifier && k->key() == Qt::Key_PageDown) delta = 1;
    else if (mods == Qt::NoModifier && k->key() == Qt::Key_PageUp) delta = -1;
    else if (k->key() == Qt::Key_Space && (mods == Qt::NoModifier || mods == Qt::ShiftModifier)) {
        // Space stays a space in text and a step in spin boxes and lists.
        QWidget* f = QApplication::focusWidget();
        const bool typing = qobject_cast<QLineEdit*>(f) || qobject_cast<QAbstractSpinBox*>(f) ||
                            qobject_cast<QComboBox*>(f) ||
                            (qobject_cast<QPlainTextEdit*>(f) && !static_cast<QPlainTextEdit*>(f)->isReadOnly()) ||
                            (qobject_cast<QTextEdit*>(f) && !static_cast<QTextEdit*>(f)->isReadOnly());
        if (typing) return false;
        delta = mods == Qt::ShiftModifier ? -1 : 1;
    }
    if (delta == 0) return false;
    // The lesson editor's own fields keep their keys.
    if (QWidget* f = QApplication::focusWidget(); f && m_panel->isAncestorOf(f) &&
                                                    (qobject_cast<QLineEdit*>(f) || qobject_cast<QPlainTextEdit*>(f)))
        return false;
    if (t == QEvent::ShortcutOverride) {
        // Taken before the window's shortcuts (PageUp/PageDown are "previous/next head" there);
        // the key press that follows moves the step.
        event->accept();
        return true;
    }
    if (!k->isAutoRepeat()) delta > 0 ? m_player->next() : m_player->previous();
    return true;
}

}  // namespace anatomy::gui
