#include "main_window.h"

#include <algorithm>
#include <cstdio>

#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QResizeEvent>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "anatomy/model_registry.h"
#include "panels/architecture_panel.h"
#include "views/architecture_view.h"
#include "views/attention_view.h"
#include "panels/knob_help.h"
#include "views/kv_cache_view.h"
#include "views/train_view.h"
#include "panels/model_manager_dialog.h"
#include "plot/moe_curve.h"
#include "controller/perplexity_cost_channel.h"
#include "views/routing_view.h"
#include "controller/session_file.h"
#include "panels/settings_panel.h"
#include "views/token_strip.h"
#include "views/decoding_view.h"
#include "views/embedding_view.h"
#include "export/view_export.h"
#include "controller/window_logic.h"
#include "window_lessons.h"

namespace anatomy::gui {

using namespace anatomy::widgets;

namespace {
// On screen now: a dock tabbed behind another is "visible" to Qt but has no visible region.
bool showing(const QWidget* w) { return w && w->isVisible() && !w->visibleRegion().isEmpty(); }
}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("Transformer Anatomy"));
    setDockNestingEnabled(true);
    m_controller = new TraceController(this);
    m_catchUp = new QTimer(this);
    m_catchUp->setSingleShot(true);
    m_catchUp->setInterval(kCatchUpPauseMs);
    // One hidden view per turn of the event loop: all of them in one go held the GUI thread for
    // a few hundred milliseconds after each pause in editing.
    // A view that missed only a selection change (a token clicked, a head picked) catches up
    // with setSelection alone.
    connect(m_catchUp, &QTimer::timeout, this, [this] {
        for (TraceView* v : m_views) {
            if (m_stale[v]) {
                applyInput(v);
                if (m_stale[v]) continue;  // this trace does not serve it: it waits for one that does
            } else if (m_selectionStale[v]) {
                applySelection(v);
            } else {
                continue;
            }
            m_catchUp->start(0);  // the next one after the events that came meanwhile
            return;
        }
    });
    buildCentral();
    buildViews();
    buildDocks();
    buildArchitectureDock();
    wireKvCosts();
    wireMoeCurve();
    m_lessons = new WindowLessons(*this);
    // The Decoding view runs its labs on its own controller with the model the traces use.
    if (auto* d = qobject_cast<DecodingView*>(view(QStringLiteral("decoding")))) {
        auto* decoding = new DecodingController(this);
        d->setController(decoding);
        connect(m_controller, &TraceController::traceReady, decoding, [this, decoding] {
            decoding->setSource(m_controller->model(), m_controller->tokenizer(), m_controller->simSettings());
        });
    }
    // The Embedding view embeds its typed sentences with the model the traces use.
    if (auto* e = qobject_cast<EmbeddingView*>(view(QStringLiteral("embedding")))) {
        auto* embedding = new EmbeddingController(this);
        e->setController(embedding);
        connect(m_controller, &TraceController::traceReady, embedding, [this, embedding] {
            embedding->setSource(m_controller->model(), m_controller->tokenizer());
        });
    }
    buildMenus();
    buildStatusBar();
    connectController();
    // An explicit minimum: the window's size is the user's (or the projector's), never what its
    // contents would like, and a 1280x720 projector fits with room to spare.
    setMinimumSize(kWindowMinimum);
    resize(1600, 1000);
    updateButtons();
    m_defaultState = saveState();  // View > Reset layout goes back to it
}

void MainWindow::showEvent(QShowEvent* e) {
    QMainWindow::showEvent(e);
    if (m_sized) return;
    m_sized = true;
    // Dock sizes only stick once the layout has a geometry: apply them after the first show.
    QTimer::singleShot(0, this, [this] {
        defaultDockSizes();
        updateCaptureSpec();
    });
}

void MainWindow::defaultDockSizes() {
    if (m_restored) return;
    // The right column takes about a quarter of the width; the views get the rest.
    const int w = width();
    resizeDocks({m_settingsDock}, {std::clamp(w / 4, 300, 440)}, Qt::Horizontal);
}

void MainWindow::resetLayout() {
    if (m_presenting) setPresentationMode(false);
    setComparing(false);
    for (TraceView* v : m_views)
        if (m_sideTabs->indexOf(v) >= 0) placeView(v, false);
    m_mainTabs->setCurrentIndex(0);
    if (!m_defaultState.isEmpty()) restoreState(m_defaultState);
    m_restored = false;
    defaultDockSizes();
    QSettings().remove(QStringLiteral("window"));
}

bool MainWindow::layoutFits(const QRect& frame) const {
    // Fits when the window is at least its minimum and lies on one screen's available area.
    if (frame.width() < minimumWidth() || frame.height() < minimumHeight()) return false;
    for (const QScreen* s : QGuiApplication::screens())
        if (s->availableGeometry().contains(frame.center()) &&
            frame.width() <= s->availableGeometry().width() && frame.height() <= s->availableGeometry().height())
            return true;
    return false;
}

void MainWindow::restoreLayout() {
    QSettings q;
    m_saveLayout = true;
    // Layouts of another version (the docked views of 0.1) do not describe these panes.
    if (q.value("window/layoutVersion").toInt() != kLayoutVersion) {
        q.remove(QStringLiteral("window"));
        return;
    }
    const QRect before = geometry();
    if (q.contains("window/geometry")) restoreGeometry(q.value("window/geometry").toByteArray());
    if (!layoutFits(frameGeometry())) {
        // Saved on a larger screen (or broken): discard it rather than open off-screen.
        setGeometry(before);
        q.remove(QStringLiteral("window"));
        return;
    }
    if (q.contains("window/state")) m_restored = restoreState(q.value("window/state").toByteArray());
    for (const QString& name : q.value("window/beside").toStringList())
        if (TraceView* v = view(name); v && v != m_tokens) placeView(v, true);
    if (TraceView* v = view(q.value("window/current").toString()); v && m_mainTabs->indexOf(v) >= 0)
        m_mainTabs->setCurrentWidget(v);
}

void MainWindow::saveLayout() {
    QSettings q;
    q.setValue("window/layoutVersion", kLayoutVersion);
    q.setValue("window/geometry", saveGeometry());
    q.setValue("window/state", saveState());
    QStringList beside;
    for (int i = 0; i < m_sideTabs->count(); ++i)
        if (auto* v = qobject_cast<TraceView*>(m_sideTabs->widget(i))) beside << v->viewName();
    q.setValue("window/beside", beside);
    if (auto* v = qobject_cast<TraceView*>(m_mainTabs->currentWidget())) q.setValue("window/current", v->viewName());
}

MainWindow::~MainWindow() {
    // ~QWidget hides the panes and moves focus after this object's members are gone: cut
    // the connections whose slots would run on a half-destroyed window.
    for (QTabWidget* t : {m_mainTabs, m_sideTabs}) t->disconnect(this);
    qApp->disconnect(this);
    m_controller->disconnect(this);
}

// ---- construction ----

void MainWindow::buildCentral() {
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 4, 6, 2);
    layout->setSpacing(4);

    m_prompt = new QPlainTextEdit(central);
    m_prompt->setPlaceholderText(tr("Type a prompt; every view follows as you type."));
    m_prompt->setTabChangesFocus(true);
    QFont pf = m_prompt->font();
    pf.setPointSizeF(pf.pointSizeF() * 1.2);
    m_prompt->setFont(pf);
    m_normalPromptFont = pf;
    fitPromptHeight();
    connect(m_prompt, &QPlainTextEdit::textChanged, this, &MainWindow::onPromptEdited);

    m_generate = new QPushButton(tr("Generate"), central);
    m_generate->setToolTip(tr("Sample new tokens with the current settings (Ctrl+Return)"));
    m_newTokens = new QSpinBox(central);
    m_newTokens->setRange(1, 512);
    m_newTokens->setValue(32);
    m_newTokens->setSuffix(tr(" tokens"));
    m_step = new QPushButton(tr("Step"), central);
    m_step->setToolTip(tr("Sample one token (Ctrl+Space)"));
    m_stop = new QPushButton(tr("Stop"), central);
    m_reset = new QPushButton(tr("Reset"), central);
    m_reset->setToolTip(tr("Back to the prompt before generating (Ctrl+R)"));
    m_colorBy = new QComboBox(central);
    m_colorBy->addItem(tr("Colour by surprisal"));
    m_colorBy->addItem(tr("Colour by probability"));
    connect(m_generate, &QPushButton::clicked, this, &MainWindow::onGenerate);
    connect(m_step, &QPushButton::clicked, this, &MainWindow::onStep);
    connect(m_stop, &QPushButton::clicked, m_controller, &TraceController::stop);
    connect(m_reset, &QPushButton::clicked, this, &MainWindow::onReset);
    connect(m_colorBy, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_tokens->setColorMode(i == 0 ? TokenStrip::ColorMode::Surprisal : TokenStrip::ColorMode::Probability);
    });
    m_genStatus = new QLabel(central);
    m_genStatus->setTextFormat(Qt::PlainText);
    // Long reasons never widen the window: the label takes what the row leaves and elides.
    m_genStatus->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_generate);
    buttons->addWidget(m_newTokens);
    buttons->addWidget(m_step);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_reset);
    buttons->addWidget(m_genStatus, 1);
    buttons->addWidget(m_colorBy);

    m_tokens = new TokenStrip(central);
    m_tokenScroll = new QScrollArea(central);
    m_tokenScroll->setWidget(m_tokens);
    m_tokenScroll->setWidgetResizable(true);
    m_tokenScroll->setFrameShape(QFrame::StyledPanel);
    m_tokenScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // One line of chips at least; the strip caps the area's height itself (then it scrolls).
    m_tokenScroll->setMinimumHeight(QFontMetrics(font()).height() * 3);
    connect(m_tokens, &TraceView::selectionRequested, this, &MainWindow::setSelection);

    // The view area: one large pane of tabs at full width and an optional second pane beside it.
    // Their minimum sizes are fixed, so a view whose contents grow (Draw ×100, a long prompt)
    // never pushes the window larger.
    m_viewSplit = new QSplitter(Qt::Horizontal, central);
    m_viewSplit->setChildrenCollapsible(false);
    for (QTabWidget** pane : {&m_mainTabs, &m_sideTabs}) {
        auto* tabs = new QTabWidget(m_viewSplit);
        tabs->setDocumentMode(true);
        tabs->setUsesScrollButtons(true);
        tabs->setElideMode(Qt::ElideNone);
        tabs->setMinimumSize(kViewAreaMinimum);
        tabs->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
        connect(tabs, &QTabWidget::currentChanged, this, [this, tabs] {
            // Comparing: the pane beside follows the main pane's view.
            auto* current = qobject_cast<TraceView*>(m_mainTabs->currentWidget());
            if (tabs == m_mainTabs && m_compareView && current && m_compareView->viewName() != current->viewName())
                QTimer::singleShot(0, this, [this] { if (m_compareView) setComparing(true); });
            onViewsShown();
        });
        m_viewSplit->addWidget(tabs);
        *pane = tabs;
    }
    m_mainTabs->setObjectName(QStringLiteral("main-views"));
    m_sideTabs->setObjectName(QStringLiteral("side-views"));
    m_sideTabs->hide();  // until a view is moved beside the main one
    auto* toSide = new QToolButton(m_mainTabs);
    toSide->setText(tr("Beside ▸"));
    toSide->setToolTip(tr("Show this view in a second pane beside the others"));
    toSide->setAutoRaise(true);
    connect(toSide, &QToolButton::clicked, this, [this] {
        if (auto* v = qobject_cast<TraceView*>(m_mainTabs->currentWidget())) placeView(v, true);
    });
    m_mainTabs->setCornerWidget(toSide, Qt::TopRightCorner);
    auto* toMain = new QToolButton(m_sideTabs);
    toMain->setText(tr("◂ Back"));
    toMain->setToolTip(tr("Move this view back to the main pane"));
    toMain->setAutoRaise(true);
    connect(toMain, &QToolButton::clicked, this, [this] {
        auto* v = qobject_cast<TraceView*>(m_sideTabs->currentWidget());
        if (v && v == m_compareView) setComparing(false);
        else if (v) placeView(v, false);
    });
    m_sideTabs->setCornerWidget(toMain, Qt::TopRightCorner);

    layout->addWidget(m_prompt);
    layout->addLayout(buttons);
    layout->addWidget(m_tokenScroll);
    layout->addWidget(m_viewSplit, 1);
    setCentralWidget(central);
}

void MainWindow::fitPromptHeight() {
    // Three lines of the prompt's font: typing never changes the layout below. Presenting on a
    // short screen (a 720- or 768-line projector) two, so the views keep the line.
    const int lines = m_presenting && height() > 0 && height() < 900 ? 2 : 3;
    const int h = QFontMetrics(m_prompt->font()).lineSpacing() * lines + 14;
    if (m_prompt->height() != h || m_prompt->minimumHeight() != h) m_prompt->setFixedHeight(h);
}

void MainWindow::resizeEvent(QResizeEvent* e) {
    QMainWindow::resizeEvent(e);
    if (m_presenting) fitPromptHeight();
}

void MainWindow::buildViews() {
    // Every view of the registry (viewNames()) as a tab; the token strip lives under the prompt.
    for (const QString& name : viewNames()) {
        if (name == QLatin1String("tokens")) continue;
        TraceView* v = createView(name);
        v->setObjectName(QStringLiteral("view-") + name);
        v->setFocusPolicy(Qt::ClickFocus);
        m_views.push_back(v);
        m_mainTabs->addTab(v, v->title());
        connect(v, &TraceView::selectionRequested, this, &MainWindow::setSelection);
        // The block diagram opens the view of a clicked block.
        if (auto* d = qobject_cast<ArchitectureView*>(v))
            connect(d, &ArchitectureView::viewRequested, this, [this](const QString& name) {
                if (TraceView* t = view(name)) showView(t);
            });
        // The Train view's "Open in views": the trained model with the settings it was trained with.
        if (auto* t = qobject_cast<TrainView*>(v))
            connect(t, &TrainView::openModelRequested, this, [this](const QString& path, const QStringList& sets) {
                anatomy::SimSettings sim;
                for (const QString& a : sets) anatomy::applySetting(sim, a.toStdString());
                m_architecture->setSettings(sim);
                m_controller->loadModel(path);
                if (TraceView* a = view(QStringLiteral("attention"))) showView(a);
            });
    }
}

void MainWindow::placeView(TraceView* v, bool beside) {
    QTabWidget* from = beside ? m_mainTabs : m_sideTabs;
    QTabWidget* to = beside ? m_sideTabs : m_mainTabs;
    const int i = from->indexOf(v);
    if (i < 0 || (beside && m_mainTabs->count() <= 1)) return;  // the main pane keeps one view
    from->removeTab(i);
    // Back in the main pane at its registry place, so the tab order stays the menu order.
    int at = to->count();
    if (!beside) {
        const auto self = std::find(m_views.begin(), m_views.end(), v);
        for (int t = 0; t < to->count(); ++t)
            if (std::find(m_views.begin(), m_views.end(), to->widget(t)) > self) {
                at = t;
                break;
            }
    }
    to->insertTab(at, v, v->title());
    to->setCurrentWidget(v);
    m_sideTabs->setVisible(m_sideTabs->count() > 0);
    if (beside && m_sideTabs->count() == 1) {
        const int w = m_viewSplit->width();
        m_viewSplit->setSizes({w / 2, w - w / 2});
    }
    onViewsShown();
}

void MainWindow::onViewsShown() {
    // Runs after a tab change or a pane move; the new current widgets become visible only once
    // the tab widget has processed the change, so look after this event.
    QTimer::singleShot(0, this, [this] {
        updateCaptureSpec();
        for (TraceView* v : m_views) {
            if (!showing(v)) continue;
            if (m_stale[v]) applyInput(v);
            else if (m_selectionStale[v]) applySelection(v);
            if (v == m_kvView) scheduleKvCosts();
            if (v == m_routingView) scheduleMoeCurve();
        }
    });
}

void MainWindow::buildDocks() {
    m_settings = new SettingsPanel(this);
    m_settingsDock = new QDockWidget(tr("Settings"), this);
    m_settingsDock->setObjectName(QStringLiteral("dock-settings"));
    // In a scroll area: the dock's minimum stays small whatever the panel holds.
    auto* settingsScroll = new QScrollArea(m_settingsDock);
    settingsScroll->setWidget(m_settings);
    settingsScroll->setWidgetResizable(true);
    settingsScroll->setFrameShape(QFrame::NoFrame);
    settingsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_settingsDock->setWidget(settingsScroll);
    m_settingsDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                                QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::RightDockWidgetArea, m_settingsDock);
    connect(m_settings, &SettingsPanel::settingsChanged, m_controller, &TraceController::setSamplerSettings);
    connect(m_settings, &SettingsPanel::threadCountChanged, m_controller, &TraceController::setThreadCount);
    m_controller->setSamplerSettings(m_settings->settings());


    // The view the user last touched is the one File > Export and Copy act on.
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget*, QWidget* now) {
        for (QWidget* w = now; w; w = w->parentWidget())
            if (auto* v = qobject_cast<TraceView*>(w)) {
                m_lastFocused = v;
                return;
            }
    });
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open session…"), QKeySequence::Open, this, &MainWindow::openSessionDialog);
    file->addAction(tr("&Save session…"), QKeySequence::Save, this, &MainWindow::saveSessionDialog);
    file->addSeparator();
    m_lessons->addFileActions(file);
    file->addSeparator();
    file->addAction(tr("&Export view image…"), QKeySequence(Qt::CTRL | Qt::Key_E), this, &MainWindow::exportImageDialog);
    file->addAction(tr("Export view &data (CSV)…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this,
                    &MainWindow::exportCsvDialog);
    file->addAction(tr("&Copy view"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), this, &MainWindow::copyView);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* model = menuBar()->addMenu(tr("&Model"));
    model->addAction(tr("&Open model file…"), QKeySequence(Qt::CTRL | Qt::Key_M), this, &MainWindow::openModelFile);
    model->addAction(tr("Model &manager…"), this, &MainWindow::openModelManager);

    QMenu* gen = menuBar()->addMenu(tr("&Generate"));
    gen->addAction(tr("&Generate"), QKeySequence(Qt::CTRL | Qt::Key_Return), this, &MainWindow::onGenerate);
    gen->addAction(tr("&Step one token"), QKeySequence(Qt::CTRL | Qt::Key_Space), this, &MainWindow::onStep);
    gen->addAction(tr("S&top"), QKeySequence(Qt::CTRL | Qt::Key_Period), m_controller, &TraceController::stop);
    gen->addAction(tr("&Reset to prompt"), QKeySequence(Qt::CTRL | Qt::Key_R), this, &MainWindow::onReset);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    // One entry per view of the registry: it brings the view to the front of its pane.
    QMenu* show = view->addMenu(tr("&Show view"));
    QMenu* beside = view->addMenu(tr("View &beside"));
    for (TraceView* v : m_views) {
        show->addAction(v->title(), this, [this, v] { showView(v); });
        beside->addAction(v->title(), this, [this, v] { placeView(v, true); });
    }
    beside->addSeparator();
    beside->addAction(tr("&None (one pane)"), this, [this] {
        for (TraceView* v : m_views)
            if (m_sideTabs->indexOf(v) >= 0) placeView(v, false);
    });
    view->addSeparator();
    view->addAction(m_settingsDock->toggleViewAction());
    view->addAction(m_architectureDock->toggleViewAction());
    m_lessons->addViewActions(view);
    auto* docks = view->addAction(tr("&Hide docks"), QKeySequence(Qt::CTRL | Qt::Key_D), this, [this] {
        const bool any = m_settingsDock->isVisible() || m_architectureDock->isVisible();
        m_settingsDock->setVisible(!any);
        m_architectureDock->setVisible(!any);
    });
    addAction(docks);
    view->addAction(tr("&Reset layout"), this, &MainWindow::resetLayout);
    view->addSeparator();
    // Compare: pin the current trace as A; the pane beside shows the current view drawing A
    // while the main pane follows the knobs (B), e.g. pre- against post-norm on one prompt.
    view->addAction(tr("&Pin trace as A"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), this, &MainWindow::pinTrace);
    m_compareAction = view->addAction(tr("&Compare with A"));
    m_compareAction->setCheckable(true);
    m_compareAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    connect(m_compareAction, &QAction::toggled, this, &MainWindow::setComparing);
    addAction(m_compareAction);
    view->addSeparator();
    auto* present = view->addAction(tr("&Presentation mode"));
    present->setCheckable(true);
    present->setShortcut(QKeySequence(Qt::Key_F5));
    connect(present, &QAction::toggled, this, &MainWindow::setPresentationMode);
    addAction(present);  // works while the menu bar is hidden
    auto* leave = new QAction(this);
    leave->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(leave, &QAction::triggered, this, [present] { present->setChecked(false); });
    addAction(leave);

    // Navigation. The keys go to the focused control when it uses them itself (text, spin
    // boxes, sliders, combo boxes); everywhere else they move the selection.
    QMenu* nav = menuBar()->addMenu(tr("&Navigate"));
    struct Nav {
        QString text;
        QList<QKeySequence> keys;
        int dPos, dLayer, dHead;
    };
    const Nav navs[] = {
        {tr("Previous position"), {QKeySequence(Qt::Key_Left)}, -1, 0, 0},
        {tr("Next position"), {QKeySequence(Qt::Key_Right)}, 1, 0, 0},
        {tr("Previous layer"), {QKeySequence(Qt::Key_Up)}, 0, -1, 0},
        {tr("Next layer"), {QKeySequence(Qt::Key_Down)}, 0, 1, 0},
        {tr("Previous head"), {QKeySequence(Qt::Key_PageUp), QKeySequence(Qt::Key_BracketLeft)}, 0, 0, -1},
        {tr("Next head"), {QKeySequence(Qt::Key_PageDown), QKeySequence(Qt::Key_BracketRight)}, 0, 0, 1},
    };
    for (const Nav& n : navs) {
        auto* a = nav->addAction(n.text);
        a->setShortcuts(n.keys);
        a->setShortcutContext(Qt::WindowShortcut);
        connect(a, &QAction::triggered, this, [this, n, a] {
            QWidget* f = QApplication::focusWidget();
            const bool ownsKeys = qobject_cast<QAbstractSpinBox*>(f) || qobject_cast<QAbstractSlider*>(f) ||
                                  qobject_cast<QComboBox*>(f) || qobject_cast<QPlainTextEdit*>(f);
            if (f && ownsKeys) {
                const QKeySequence ks = a->shortcuts().value(0);
                if (!ks.isEmpty()) {
                    // Sent with this action disabled: QApplication::notify offers a sent key press
                    // to the shortcuts first, and this action would take it again, for ever.
                    QKeyEvent press(QEvent::KeyPress, ks[0].key(), ks[0].keyboardModifiers());
                    a->setEnabled(false);
                    QCoreApplication::sendEvent(f, &press);
                    a->setEnabled(true);
                    return;
                }
            }
            moveSelection(n.dPos, n.dLayer, n.dHead);
        });
        addAction(a);
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About"), this, [this] {
        QMessageBox::about(this, tr("About Transformer Anatomy"),
                           tr("<b>Transformer Anatomy</b><br>Small real language models on the CPU, "
                              "with their internals drawn live.<br><br>Keys: ←/→ position, ↑/↓ layer, "
                              "PgUp/PgDn or [ ] head, F5 presentation mode."));
    });
}

void MainWindow::buildStatusBar() {
    m_modelLabel = new QLabel(tr("no model"), this);
    m_selLabel = new QLabel(this);
    m_traceLabel = new QLabel(this);
    m_speedLabel = new QLabel(this);
    // Explicit minimum widths: a long model summary or selection is clipped, never widens
    // the window.
    for (QLabel* l : {m_modelLabel, m_selLabel, m_traceLabel, m_speedLabel}) l->setMinimumWidth(40);
    m_traceLabel->setToolTip(tr("Wall time of the forward pass behind the picture"));
    m_speedLabel->setToolTip(tr("Decoding speed of the last generation"));
    statusBar()->addWidget(m_modelLabel, 1);
    m_pplLabel = new QLabel(this);
    m_pplLabel->setMinimumWidth(40);
    m_pplLabel->setToolTip(tr("Perplexity on the TinyStories window chosen in the Architecture dock "
                              "(text: TinyStories, CDLA-Sharing-1.0)"));
    statusBar()->addPermanentWidget(m_pplLabel);
    statusBar()->addPermanentWidget(m_selLabel);
    statusBar()->addPermanentWidget(m_traceLabel);
    statusBar()->addPermanentWidget(m_speedLabel);
}

void MainWindow::connectController() {
    connect(m_controller, &TraceController::traceReady, this, &MainWindow::onTraceReady);
    connect(m_controller, &TraceController::modelLoaded, this, &MainWindow::onModelLoaded);
    connect(m_controller, &TraceController::loadFailed, this, &MainWindow::onLoadFailed);
    connect(m_controller, &TraceController::modelSha256Ready, this, &MainWindow::checkSessionModel);
    connect(m_controller, &TraceController::traceFailed, this,
            [this](const QString& m) { statusBar()->showMessage(tr("Trace failed: %1").arg(m), 10000); });
    connect(m_controller, &TraceController::traceTimed, this,
            [this](double ms) { m_traceLabel->setText(tr("trace %1 ms").arg(ms, 0, 'f', 1)); });
    connect(m_controller, &TraceController::tokenGenerated, this, [this](const QString& text, int) {
        // An encoder-decoder's prompt is its input: the output shows in the token strip and the status line.
        if (m_controller->modelInfo().architecture.encoderDecoder.enabled) return;
        m_insertingGenerated = true;
        QTextCursor c = m_prompt->textCursor();
        c.movePosition(QTextCursor::End);
        c.insertText(text);
        m_insertingGenerated = false;
    });
    connect(m_controller, &TraceController::generationFinished, this, [this](int n, double tps) {
        m_speedLabel->setText(tr("%1 tok/s").arg(tps, 0, 'f', 1));
        statusBar()->showMessage(tr("Generated %1 tokens").arg(n), 4000);
        // The selection follows the newest position (Step shows the token it just drew).
        Selection s = m_selection;
        s.position = -1;
        setSelection(s);
        updateButtons();
    });
    connect(m_controller, &TraceController::generationStopped, this, [this](const QString& why) {
        m_stopReason = why;
        updateGenerationStatus();
    });
    connect(m_controller, &TraceController::inductionScoresReady, this,
            [this](const std::vector<float>& scores, const anatomy::SimSettings&) {
                if (auto* a = qobject_cast<AttentionView*>(view(QStringLiteral("attention")))) a->setInductionScores(scores);
            });
    connect(m_controller, &TraceController::textCut, this, [this](const QString& cut) {
        m_cutMessage = cut;
        updateGenerationStatus();
    });
    connect(m_controller, &TraceController::busyChanged, this, [this] { updateButtons(); });
    connect(m_controller, &TraceController::perplexityReady, this, [this](const PerplexityReport& r, quint64) {
        if (m_pplDebounce->isActive()) return;  // another measurement follows
        m_architecture->showPerplexity(r);
        m_pplLabel->setText(r.summary());
    });
    connect(m_controller, &TraceController::perplexityFailed, this, [this](const QString& m, quint64) {
        if (m_pplDebounce->isActive()) return;
        m_architecture->showPerplexityError(m);
        m_pplLabel->setText(tr("ppl: failed"));
    });
}

void MainWindow::buildArchitectureDock() {
    m_architecture = new ArchitecturePanel(this);
    m_architectureDock = new QDockWidget(tr("Architecture"), this);
    m_architectureDock->setObjectName(QStringLiteral("dock-architecture"));
    m_architectureDock->setWidget(m_architecture);
    // The right column runs the full height: the knobs need the room more than the views.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
    addDockWidget(Qt::RightDockWidgetArea, m_architectureDock);
    tabifyDockWidget(m_settingsDock, m_architectureDock);
    m_architectureDock->raise();
    m_pplDebounce = new QTimer(this);
    m_pplDebounce->setSingleShot(true);
    m_pplDebounce->setInterval(300);
    connect(m_pplDebounce, &QTimer::timeout, this, [this] {
        if (!m_controller->hasModel()) return;
        m_controller->requestInductionScores();  // the head grid's induction scores follow the knobs
        const PerplexityWindow w = m_architecture->perplexityWindow();
        if (w.textPath.isEmpty()) {
            m_architecture->showPerplexityError(corpusNotFoundMessage());
            return;
        }
        m_controller->requestPerplexity(w);
    });
    connect(m_architecture, &ArchitecturePanel::settingsChanged, this, [this](const anatomy::SimSettings& s) {
        m_controller->setSimSettings(s);
        schedulePerplexity();
    });
    connect(m_architecture, &ArchitecturePanel::perplexityWindowChanged, this, [this] { schedulePerplexity(); });
    m_controller->setSimSettings(m_architecture->settings());
}

void MainWindow::schedulePerplexity() {
    if (!m_controller->hasModel()) return;
    m_architecture->showPerplexityPending();
    m_pplLabel->setText(tr("ppl computing\u2026"));
    m_pplDebounce->start();
}

// ---- model, prompt, generation ----

void MainWindow::start(const QString& modelPath, const QString& prompt, const QString& tokenizerPath) {
    {
        const QSignalBlocker block(m_prompt);
        m_prompt->setPlainText(prompt.isEmpty() ? defaultPrompt() : prompt);
    }
    m_controller->setPrompt(m_prompt->toPlainText());
    // ANATOMY_SIM_SET="moe.experts=4;moe.k=1" starts with those simulator settings (screenshots).
    if (const QByteArray set = qgetenv("ANATOMY_SIM_SET"); !set.isEmpty()) {
        QString err;
        if (auto sim = settingsFromAssignments(QString::fromUtf8(set).split(QLatin1Char(';'), Qt::SkipEmptyParts), &err))
            m_architecture->setSettings(*sim);
        else
            statusBar()->showMessage(tr("ANATOMY_SIM_SET: %1").arg(err), 15000);
    }
    // The controller opens it as anatomy-cli does (a path or a manifest name; empty: the default
    // model); a missing file comes back as loadFailed.
    const QString name = modelPath.isEmpty() ? QStringLiteral("stories260K") : QFileInfo(modelPath).fileName();
    m_modelLabel->setText(tr("loading %1…").arg(name));
    m_controller->loadModel(modelPath, tokenizerPath);
}

// ---- KV cache costs ----

void MainWindow::wireKvCosts() {
    m_kvView = qobject_cast<KvCacheView*>(view(QStringLiteral("kvcache")));
    if (!m_kvView) return;
    m_kvCosts = new PerplexityCostChannel(m_controller, kKvCostChannel, this);
    m_kvCostDebounce = new QTimer(this);
    m_kvCostDebounce->setSingleShot(true);
    m_kvCostDebounce->setInterval(300);  // the rank and context spin boxes and the window knobs settle
    connect(m_kvCostDebounce, &QTimer::timeout, this, &MainWindow::requestKvCosts);
    connect(m_kvView, &KvCacheView::rowsChanged, this, [this] {
        if (showing(m_kvView)) scheduleKvCosts();
    });
    connect(m_architecture, &ArchitecturePanel::perplexityWindowChanged, this, [this] {
        if (showing(m_kvView)) scheduleKvCosts();
    });
    connect(m_kvCosts, &PerplexityCostChannel::pending, m_kvView, &KvCacheView::setPerplexityCostsPending);
    connect(m_kvCosts, &PerplexityCostChannel::failed, m_kvView, &KvCacheView::setPerplexityCostsFailed);
    connect(m_kvCosts, &PerplexityCostChannel::ready, this, [this](const PerplexityCosts& c) {
        m_kvView->setPerplexityCosts(c.costs);
        if (!c.errors.empty())
            statusBar()->showMessage(tr("KV cost of %1 not measured: %2")
                                         .arg(c.errors.begin()->first, c.errors.begin()->second), 10000);
    });
}

void MainWindow::scheduleKvCosts() {
    if (m_kvCostDebounce) m_kvCostDebounce->start();
}

void MainWindow::requestKvCosts() {
    if (!m_kvView || !m_controller->hasModel() || !showing(m_kvView)) return;
    // The loaded model's rows: key -> the assignments that make the row (as trained + them).
    const std::map<QString, QStringList> rows = perplexityCostRows(m_kvView->entries());
    if (rows.empty()) return;  // no trace yet: the rows come with it (rowsChanged)
    // The window of the Architecture dock's perplexity read-out.
    m_kvCosts->request(m_architecture->perplexityWindow(), rows);
}

bool MainWindow::waitForReadouts(int timeoutMs) {
    return processEventsUntil(
        [&] { return !m_pplDebounce->isActive() && !m_controller->backgroundBusy() && m_controller->isIdle(); },
        timeoutMs);
}

bool MainWindow::waitForKvCosts(int timeoutMs) {
    return waitForCostChannel(m_kvCostDebounce, m_kvCosts, timeoutMs);
}

// Processes events until a background cost batch has been debounced, measured and delivered.
bool MainWindow::waitForCostChannel(const QTimer* debounce, const PerplexityCostChannel* channel, int timeoutMs) {
    const bool settled = processEventsUntil(
        [&] {
            return !(debounce && debounce->isActive()) && !(channel && channel->busy()) && m_controller->isIdle();
        },
        timeoutMs);
    QCoreApplication::processEvents();  // the result's queued delivery
    return settled;
}

// ---- MoE: perplexity against k ----

void MainWindow::wireMoeCurve() {
    m_routingView = qobject_cast<RoutingView*>(view(QStringLiteral("routing")));
    if (!m_routingView) return;
    m_moeCurve = new PerplexityCostChannel(m_controller, kMoeCurveChannel, this);
    m_moeCurveDebounce = new QTimer(this);
    m_moeCurveDebounce->setSingleShot(true);
    m_moeCurveDebounce->setInterval(300);  // E, capacity and noise are spin boxes: let them settle
    connect(m_moeCurveDebounce, &QTimer::timeout, this, &MainWindow::requestMoeCurve);
    // The curve depends on E, gate, capacity, noise and seed, not on k: the channel compares
    // the rows and asks again only when they differ.
    connect(m_architecture, &ArchitecturePanel::settingsChanged, this, [this] {
        if (showing(m_routingView)) scheduleMoeCurve();
    });
    connect(m_architecture, &ArchitecturePanel::perplexityWindowChanged, this, [this] {
        if (showing(m_routingView)) scheduleMoeCurve();
    });
    connect(m_moeCurve, &PerplexityCostChannel::pending, m_routingView, &RoutingView::setMoeCurvePending);
    connect(m_moeCurve, &PerplexityCostChannel::failed, m_routingView, &RoutingView::setMoeCurveFailed);
    connect(m_moeCurve, &PerplexityCostChannel::ready, this, [this](const PerplexityCosts& c) {
        m_routingView->setMoeCurve(moeCurveFromCosts(c, m_moeCurveFor));
    });
}

void MainWindow::scheduleMoeCurve() {
    if (m_moeCurveDebounce) m_moeCurveDebounce->start();
}

void MainWindow::requestMoeCurve() {
    if (!m_routingView || !m_controller->hasModel() || !showing(m_routingView)) return;
    const anatomy::MoeParams moe = m_controller->simSettings().moe;
    const std::map<QString, QStringList> rows = moeCurveRows(moe);
    if (rows.empty()) {
        // MoE is off: the view says how to turn it on; whatever is running is no longer wanted.
        m_moeCurve->cancel();
        return;
    }
    const PerplexityWindow w = m_architecture->perplexityWindow();
    const anatomy::MoeParams before = m_moeCurveFor;
    m_moeCurveFor = moe;
    if (!m_moeCurve->request(w, rows)) m_moeCurveFor = before;  // the same curve is measured already
}

bool MainWindow::waitForMoeCurve(int timeoutMs) {
    return waitForCostChannel(m_moeCurveDebounce, m_moeCurve, timeoutMs);
}

void MainWindow::onModelLoaded(const ModelInfo& info) {
    m_modelLabel->setText(info.summary());
    m_modelLabel->setToolTip(info.modelPath + QLatin1Char('\n') + info.format);
    setWindowTitle(tr("Transformer Anatomy — %1").arg(QFileInfo(info.modelPath).fileName()));
    m_selection.position = -1;
    m_architecture->setModelConfig(info.config);
    m_architecture->setArchitecture(info.architecture);
    schedulePerplexity();
    // A new model: measure again, even under the same path.
    if (m_kvCosts) m_kvCosts->forget();
    if (showing(m_kvView)) scheduleKvCosts();
    if (m_moeCurve) m_moeCurve->forget();
    if (showing(m_routingView)) scheduleMoeCurve();
}

void MainWindow::onLoadFailed(const QString& message) {
    m_sessionSha256.clear();  // the session's model did not load: nothing to compare
    m_modelLabel->setText(m_controller->hasModel() ? m_controller->modelInfo().summary() : tr("no model loaded"));
    showError(tr("Cannot load the model"), message);
}

void MainWindow::showError(const QString& title, const QString& message) {
    statusBar()->showMessage(message, 15000);
    // Not modal: a headless run or a lecture must never hang on a dialog.
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setModal(false);
    box->show();
}

void MainWindow::updateGenerationStatus() {
    QStringList parts;
    for (const QString& p : {m_stopReason, m_cutMessage})
        if (!p.isEmpty()) parts << p;
    m_genStatus->setText(parts.join(QStringLiteral(" · ")));
    m_genStatus->setToolTip(parts.join(QLatin1Char('\n')));
}

void MainWindow::markGenerationStart() {
    // The first generated position: what the views show now is the prompt (or the text so far).
    if (m_tokens->generatedFrom() < 0 && m_input.trace)
        m_tokens->setGeneratedFrom(static_cast<int>(m_input.trace->tokens.size()));
    m_stopReason.clear();
    updateGenerationStatus();
}

void MainWindow::onPromptEdited() {
    if (m_insertingGenerated) return;
    m_resetText.clear();  // typed over: Reset has nothing to go back to
    m_tokens->setGeneratedFrom(-1);
    m_stopReason.clear();
    updateGenerationStatus();
    m_controller->setPrompt(m_prompt->toPlainText());
}

void MainWindow::onGenerate() {
    if (!m_controller->hasModel() || m_controller->isGenerating()) return;
    if (m_resetText.isEmpty()) m_resetText = m_prompt->toPlainText();
    markGenerationStart();
    m_controller->generate(m_newTokens->value());
    updateButtons();
}

void MainWindow::onStep() {
    if (!m_controller->hasModel() || m_controller->isGenerating()) return;
    if (m_resetText.isEmpty()) m_resetText = m_prompt->toPlainText();
    markGenerationStart();
    m_controller->generate(1);
    updateButtons();
}

void MainWindow::onReset() {
    m_controller->stop();
    if (m_resetText.isEmpty()) return;
    const QString text = m_resetText;
    m_prompt->setPlainText(text);  // re-traces through onPromptEdited
    m_resetText.clear();
}

void MainWindow::updateButtons() {
    const bool generating = m_controller->isGenerating();
    const bool ready = m_controller->hasModel();
    m_generate->setEnabled(ready && !generating);
    m_step->setEnabled(ready && !generating);
    m_stop->setEnabled(generating);
    m_reset->setEnabled(!generating);
}

// ---- traces and selection ----

void MainWindow::onTraceReady(const ViewInput& input, quint64) {
    m_input = input;
    bool anyStale = false;
    for (TraceView* v : m_views) {
        // Views out of sight catch up when shown, or once edits pause (m_catchUp).
        if (showing(v)) applyInput(v);
        else anyStale = m_stale[v] = true;
    }
    if (anyStale) m_catchUp->start(kCatchUpPauseMs);
    m_tokens->setInput(input);
    m_tokens->setSelection(m_selection);
    ++m_deliveries;
    updateSelectionLabel();
    Q_EMIT viewsUpdated();
}

void MainWindow::applyInput(TraceView* v) {
    if (!m_input.trace) return;
    if (!traceServes(*m_input.trace, v->viewName())) return;  // stays stale until a trace that does
    m_stale[v] = false;
    m_selectionStale[v] = false;
    v->setInputAndSelection(m_input, m_selection);
}

void MainWindow::applySelection(TraceView* v) {
    m_selectionStale[v] = false;
    v->setSelection(m_selection);
}

void MainWindow::updateCaptureSpec() {
    QStringList shown;
    for (TraceView* v : m_views)
        if (showing(v)) shown << v->viewName();
    m_controller->setCaptureSpec(captureSpecFor(shown, m_selection.layer));
}

void MainWindow::pinTrace() {
    if (!m_input.trace) return;
    m_pinned = m_input;
    statusBar()->showMessage(tr("Pinned as A: %1 tokens, %2")
                                 .arg(m_pinned.trace->nKv)
                                 .arg(QString::fromStdString(anatomy::describe(m_pinned.trace->settings))),
                             6000);
    if (auto* a = qobject_cast<AttentionView*>(view(QStringLiteral("attention")))) a->setReference(m_pinned.trace);
    if (m_compareView) setComparing(true);  // redraw the pane with the new A
    else if (m_compareAction) m_compareAction->setChecked(true);
}

void MainWindow::setComparing(bool on) {
    if (m_compareView) {
        m_sideTabs->removeTab(m_sideTabs->indexOf(m_compareView));
        m_compareView->deleteLater();
        m_compareView = nullptr;
    }
    if (on && !m_pinned.trace) pinTrace();  // nothing pinned yet: the current trace is A
    if (on && m_pinned.trace) {
        auto* current = qobject_cast<TraceView*>(m_mainTabs->currentWidget());
        if (current) {
            m_compareView = createView(current->viewName());
            m_compareView->setObjectName(QStringLiteral("compare-") + current->viewName());
            m_compareView->setFocusPolicy(Qt::ClickFocus);
            if (auto* a = qobject_cast<AttentionView*>(current))
                static_cast<AttentionView*>(m_compareView)->setMode(
                    a->mode() == AttentionMode::Difference ? AttentionMode::Probabilities : a->mode());
            m_sideTabs->insertTab(0, m_compareView, tr("A: %1").arg(current->title()));
            m_sideTabs->setTabToolTip(0, tr("The pinned trace A (%1); the main pane shows the current trace B")
                                             .arg(QString::fromStdString(anatomy::describe(m_pinned.trace->settings))));
            m_sideTabs->setCurrentWidget(m_compareView);
            connect(m_compareView, &TraceView::selectionRequested, this, &MainWindow::setSelection);
            if (traceServes(*m_pinned.trace, current->viewName())) m_compareView->setInput(m_pinned);
            m_compareView->setSelection(m_selection);
            const int w = m_viewSplit->width();
            if (m_sideTabs->count() == 1) m_viewSplit->setSizes({w / 2, w - w / 2});
        }
    }
    m_sideTabs->setVisible(m_sideTabs->count() > 0);
    if (m_compareAction && m_compareAction->isChecked() != on) {
        const QSignalBlocker block(m_compareAction);
        m_compareAction->setChecked(on);
    }
}

void MainWindow::setSelection(const Selection& sel) {
    const int oldLayer = m_selection.layer;
    m_selection = m_input.trace ? clampSelection(sel, *m_input.trace) : sel;
    // A trace that kept only the selected layer's maps whole traces the new one on demand.
    if (m_selection.layer != oldLayer) updateCaptureSpec();
    // Only the views on screen redraw now: a token click redrew every view, shown or not (a
    // few hundred milliseconds of GUI thread); the others catch up when shown or edits pause.
    bool anyBehind = false;
    for (TraceView* v : m_views) {
        if (m_stale[v]) continue;  // gets the selection with its input
        if (showing(v)) applySelection(v);
        else anyBehind = m_selectionStale[v] = true;
    }
    if (anyBehind) m_catchUp->start(kCatchUpPauseMs);
    if (m_compareView) m_compareView->setSelection(m_selection);
    m_tokens->setSelection(m_selection);
    updateSelectionLabel();
}

void MainWindow::moveSelection(int dPos, int dLayer, int dHead) {
    if (!m_input.trace) return;
    setSelection(widgets::moveSelection(m_selection, *m_input.trace, dPos, dLayer, dHead));
}

void MainWindow::updateSelectionLabel() { m_selLabel->setText(selectionSummary(m_input, m_selection)); }

TraceView* MainWindow::view(const QString& name) const {
    if (name == QLatin1String("tokens")) return m_tokens;
    for (TraceView* v : m_views)
        if (v->viewName() == name) return v;
    return nullptr;
}

QList<TraceView*> MainWindow::visibleViews() const {
    QList<TraceView*> out;
    for (TraceView* v : m_views)
        if (showing(v)) out << v;
    if (showing(m_tokens)) out << m_tokens;
    return out;
}

TraceView* MainWindow::currentView() const {
    if (m_lastFocused && showing(m_lastFocused)) return m_lastFocused;
    if (auto* v = qobject_cast<TraceView*>(m_mainTabs->currentWidget())) return v;
    return m_views.empty() ? nullptr : m_views.front();
}

void MainWindow::showView(TraceView* v) {
    for (QTabWidget* t : {m_mainTabs, m_sideTabs})
        if (t->indexOf(v) >= 0) t->setCurrentWidget(v);
}

// ---- files ----

void MainWindow::openModelFile() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open model"), QString(),
                                                      tr("Models (*.bin *.gguf);;All files (*)"));
    if (!path.isEmpty()) {
        m_modelLabel->setText(tr("loading %1…").arg(QFileInfo(path).fileName()));
        m_controller->loadModel(path);
    }
}

void MainWindow::openModelManager() {
    auto* dlg = new ModelManagerDialog(this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    connect(dlg, &ModelManagerDialog::modelChosen, this, [this](const QString& model, const QString& tok) {
        m_modelLabel->setText(tr("loading %1…").arg(QFileInfo(model).fileName()));
        m_controller->loadModel(model, tok);
    });
    dlg->open();
}

QString MainWindow::generationStatus() const { return m_genStatus->text(); }

QString MainWindow::saveSession(const QString& path) {
    if (!m_controller->hasModel()) return tr("no model loaded");
    SessionState s;
    s.modelPath = m_controller->modelInfo().modelPath;
    // Read on the worker after the load; only a save right after a load waits for it here.
    if (m_controller->modelSha256Busy() && !m_controller->waitForModelSha256(120000))
        return tr("timed out reading %1").arg(s.modelPath);
    s.modelSha256 = m_controller->modelSha256();
    if (s.modelSha256.isEmpty()) return tr("cannot read %1: %2").arg(s.modelPath, m_controller->modelSha256Error());
    s.tokenizerPath = m_controller->modelInfo().tokenizerPath;
    s.prompt = m_prompt->toPlainText();
    s.tokens = m_controller->tokens();
    s.sampler = m_settings->settings();
    s.threads = m_settings->threadCount();
    s.selection = m_selection;
    s.architecture = m_architecture->settings();
    s.perplexityWindow = m_architecture->perplexityWindow();
    if (auto* a = qobject_cast<AttentionView*>(view(QStringLiteral("attention")))) {
        s.attentionMode = a->mode() == AttentionMode::Scores             ? QStringLiteral("scores")
                          : a->mode() == AttentionMode::LogProbabilities ? QStringLiteral("log")
                                                                         : QStringLiteral("probabilities");
    }
    return writeSessionFile(path, s);
}

QString MainWindow::openSession(const QString& path) {
    SessionState s;
    if (QString err = readSessionFile(path, s); !err.isEmpty()) return err;
    QString locateError;
    const QString model = locateSessionModel(s.modelPath, &locateError);
    if (model.isEmpty()) return locateError;
    // Compared once the model's sha256 is read, off the GUI thread (checkSessionModel).
    m_sessionModel = model;
    m_sessionSha256 = s.modelSha256;
    m_settings->setSettings(s.sampler);
    m_settings->setThreadCount(s.threads);
    m_architecture->setPerplexityWindow(s.perplexityWindow);
    m_architecture->setSettings(s.architecture);
    if (auto* a = qobject_cast<AttentionView*>(view(QStringLiteral("attention"))))
        a->setMode(s.attentionMode == QLatin1String("scores") ? AttentionMode::Scores
                   : s.attentionMode == QLatin1String("log")  ? AttentionMode::LogProbabilities
                                                              : AttentionMode::Probabilities);
    {
        const QSignalBlocker block(m_prompt);
        m_prompt->setPlainText(s.prompt);
    }
    m_resetText.clear();
    m_selection = s.selection;
    const bool sameModel = m_controller->hasModel() && m_controller->modelInfo().modelPath == model &&
                           m_controller->modelInfo().tokenizerPath == s.tokenizerPath;
    m_controller->setPrompt(s.prompt);
    if (!sameModel) m_controller->loadModel(model, s.tokenizerPath);
    if (!s.tokens.empty()) m_controller->setTokens(s.tokens, s.prompt);
    setSelection(s.selection);
    checkSessionModel();  // the same model: its sha256 may be known already
    return {};
}

void MainWindow::checkSessionModel() {
    if (m_sessionSha256.isEmpty() || !m_controller->hasModel() || m_controller->modelInfo().modelPath != m_sessionModel)
        return;
    const QString actual = m_controller->modelSha256(), error = m_controller->modelSha256Error();
    if (actual.isEmpty() && error.isEmpty()) return;  // still being read
    if (actual.isEmpty())
        statusBar()->showMessage(tr("Warning: cannot read %1 to compare it with the session's: %2").arg(m_sessionModel, error),
                                 15000);
    else if (actual != m_sessionSha256)
        statusBar()->showMessage(tr("Warning: %1 differs from the file the session was saved with "
                                    "(sha256 %2, saved %3)").arg(m_sessionModel, actual.left(12), m_sessionSha256.left(12)),
                                 15000);
    m_sessionSha256.clear();
}

void MainWindow::openSessionDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open session"), QString(),
                                                      tr("Anatomy sessions (*.anatomy.json *.json)"));
    if (path.isEmpty()) return;
    if (const QString err = openSession(path); !err.isEmpty()) showError(tr("Cannot open the session"), err);
}

void MainWindow::saveSessionDialog() {
    QString path = QFileDialog::getSaveFileName(this, tr("Save session"), QStringLiteral("session.anatomy.json"),
                                                tr("Anatomy sessions (*.anatomy.json *.json)"));
    if (path.isEmpty()) return;
    if (!path.endsWith(QLatin1String(".json"))) path += QStringLiteral(".anatomy.json");
    if (const QString err = saveSession(path); !err.isEmpty()) showError(tr("Cannot save the session"), err);
    else statusBar()->showMessage(tr("Saved %1").arg(path), 4000);
}

void MainWindow::exportImageDialog() {
    // Which view and at what size; the file type follows the extension (.png, .pdf or .svg).
    QDialog dlg(this);
    dlg.setWindowTitle(tr("Export view image"));
    auto* form = new QFormLayout(&dlg);
    auto* which = new QComboBox(&dlg);
    QList<TraceView*> all(m_views.begin(), m_views.end());
    all << m_tokens;
    for (TraceView* v : all) which->addItem(v->title(), v->viewName());
    if (TraceView* cur = currentView()) which->setCurrentIndex(which->findData(cur->viewName()));
    auto* w = new QSpinBox(&dlg);
    auto* h = new QSpinBox(&dlg);
    w->setRange(200, 8000);
    h->setRange(150, 8000);
    w->setValue(1600);
    h->setValue(1000);
    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(w);
    sizeRow->addWidget(new QLabel(QStringLiteral("×"), &dlg));
    sizeRow->addWidget(h);
    form->addRow(tr("View"), which);
    form->addRow(tr("Size (pixels)"), sizeRow);
    auto* box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dlg);
    connect(box, &QDialogButtonBox::accepted, &dlg, &QDialog::accept);
    connect(box, &QDialogButtonBox::rejected, &dlg, &QDialog::reject);
    form->addRow(box);
    if (dlg.exec() != QDialog::Accepted) return;
    TraceView* v = view(which->currentData().toString());
    if (!v) return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export image"), v->viewName() + QStringLiteral(".png"),
                                                      imageSuffixes().contains(QStringLiteral("svg"))
                                                          ? tr("PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg)")
                                                          : tr("PNG image (*.png);;PDF document (*.pdf)"));
    if (path.isEmpty()) return;
    // PDF and SVG are vector drawings (text and plot lines stay sharp in slides); PNG is a grab.
    // All are slide-clean: the view's buttons and boxes are left out.
    if (const QString err = saveViewCopy(*v, m_input, m_selection, QSize(w->value(), h->value()), path);
        !err.isEmpty())
        showError(tr("Export failed"), err);
    else statusBar()->showMessage(tr("Exported %1").arg(path), 4000);
}

void MainWindow::exportCsvDialog() {
    TraceView* v = currentView();
    if (!v) return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export %1 data").arg(v->title()),
                                                      v->viewName() + QStringLiteral(".csv"), tr("CSV (*.csv)"));
    if (path.isEmpty()) return;
    if (const QString err = saveCsv(*v, path); !err.isEmpty()) showError(tr("Export failed"), err);
}

void MainWindow::copyView() {
    TraceView* v = currentView();
    if (!v) return;
    copyToClipboard(v->grab().toImage(), v->toCsv());
    statusBar()->showMessage(tr("Copied %1 (image and CSV)").arg(v->title()), 3000);
}

// ---- presentation ----

void MainWindow::setPresentationMode(bool on) {
    if (on == m_presenting) return;
    m_presenting = on;
    if (on) {
        // Everything needed to come back exactly: geometry, window state, docks, fonts.
        m_normalRect = geometry();
        m_normalWindowState = windowState();
        m_normalFont = font();
        m_normalState = saveState();
        QFont big = m_normalFont;
        big.setPointSizeF(m_normalFont.pointSizeF() * kPresentationScale);
        setFont(big);  // views restyle their plot text on the font change
        menuBar()->hide();
        statusBar()->hide();
        // Less chrome: the views and the prompt get the screen; F5 brings the docks back.
        m_settingsDock->hide();
        m_architectureDock->hide();
        // The prompt set its own font, so the window's larger one does not reach it.
        QFont pf = m_normalPromptFont;
        pf.setPointSizeF(m_normalPromptFont.pointSizeF() * kPresentationScale);
        m_prompt->setFont(pf);
        fitPromptHeight();
        // Full screen on a real screen; a window drawn off screen (screenshots, tests) keeps
        // the size it was given.
        if (!testAttribute(Qt::WA_DontShowOnScreen)) showFullScreen();
    } else {
        setFont(m_normalFont);
        m_prompt->setFont(m_normalPromptFont);
        fitPromptHeight();
        menuBar()->show();
        statusBar()->show();
        restoreState(m_normalState);
        if (isFullScreen()) setWindowState(m_normalWindowState);
        // The same rectangle as before (restoreGeometry would move a window that does not fit
        // the screen it thinks it is on); a maximized window is the window manager's to place.
        if (!(m_normalWindowState & (Qt::WindowMaximized | Qt::WindowFullScreen))) setGeometry(m_normalRect);
    }
    Q_EMIT presentationModeChanged(on);
}

void MainWindow::closeEvent(QCloseEvent* e) {
    if (m_presenting) setPresentationMode(false);
    if (m_saveLayout) saveLayout();
    QMainWindow::closeEvent(e);
}

}  // namespace anatomy::gui
