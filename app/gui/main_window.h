#pragma once
// The main window: prompt editor and generation buttons, the token strip, one large pane of
// view tabs (every view of the registry, viewNames()) with an optional second pane beside it,
// all following one Selection; the Settings and Architecture docks, menus, shortcuts and the
// status bar. It holds no engine state: the TraceController does.
#include <QFont>
#include <QMainWindow>
#include <QPointer>
#include <map>

#include "controller/trace_controller.h"
#include "views/trace_view.h"

class QAction;
class QComboBox;
class QDockWidget;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QScrollArea;
class QSpinBox;
class QSplitter;
class QTabWidget;
class QTimer;

namespace anatomy::widgets {
class ArchitecturePanel;
class SettingsPanel;
class TokenStrip;
class AttentionView;
class KvCacheView;
class PerplexityCostChannel;
class RoutingView;
}  // namespace anatomy::widgets

namespace anatomy::gui {

// The nice value of the engine's threads in the app (runWithThreads, thread_limit.h): on a busy
// machine (two cores, a trace and a perplexity batch running) the GUI thread is served first.
inline constexpr int kBackgroundComputeNice = 10;

class WindowLessons;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // The smallest window: a 1024x640 projector or screen share holds all of it.
    static constexpr QSize kWindowMinimum{1024, 640};
    // Each view pane's minimum; every view's minimumSizeHint fits inside it.
    static constexpr QSize kViewAreaMinimum{360, 240};
    // Presentation mode (F5) multiplies every font by this, plot text included.
    static constexpr double kPresentationScale = 1.6;
    // Saved layouts of another version are discarded (the 0.1 window docked every view).
    static constexpr int kLayoutVersion = 2;
    // Hidden views catch up with the last trace once edits pause this long, one view a turn.
    static constexpr int kCatchUpPauseMs = 300;

    // Loads a model (empty: the default) and traces the prompt (empty: the sample prompt).
    // A missing or broken model shows an error in the window; it never ends the program.
    void start(const QString& modelPath, const QString& prompt, const QString& tokenizerPath = {});
    // Restores the window layout of the last interactive run (and saves it on close); a saved
    // layout that does not fit any screen now, or is of another version, is discarded.
    void restoreLayout();
    // View > Reset layout: docks on the right, every view in the main pane, nothing saved.
    void resetLayout();
    // Moves a view into the pane beside the main one (beside = true) or back.
    void placeView(widgets::TraceView* v, bool beside);
    // Compare: the current trace becomes A (the attention view's B − A mode reads it too), and
    // the pane beside shows a copy of the main pane's view drawing A.
    void pinTrace();
    void setComparing(bool on);
    widgets::TraceView* compareView() const { return m_compareView; }
    const widgets::ViewInput& pinnedInput() const { return m_pinned; }  // A (empty until pinned)
    // Brings a view to the front of the pane that holds it.
    void showView(widgets::TraceView* v);
    QTabWidget* mainPane() const { return m_mainTabs; }
    QTabWidget* sidePane() const { return m_sideTabs; }
    QDockWidget* settingsDock() const { return m_settingsDock; }
    QDockWidget* architectureDock() const { return m_architectureDock; }
    // The line beside the Generate button: why the last generation stopped, or what was cut.
    QString generationStatus() const;

    widgets::TraceController& controller() { return *m_controller; }
    widgets::SettingsPanel* settingsPanel() const { return m_settings; }
    widgets::ArchitecturePanel* architecturePanel() const { return m_architecture; }
    QPlainTextEdit* promptEditor() const { return m_prompt; }
    widgets::TraceView* view(const QString& name) const;
    // Views (token strip included) that are visible now.
    QList<widgets::TraceView*> visibleViews() const;
    const widgets::Selection& selection() const { return m_selection; }
    void setSelection(const widgets::Selection& sel);
    // How many traces have been handed to the views (the latency benchmark waits on it).
    quint64 deliveries() const { return m_deliveries; }
    // Spins the event loop until the perplexity and induction read-outs that follow a model or
    // knob change are neither scheduled nor running, or the timeout; true when settled (the
    // latency benchmark measures a quiet app, not one still reading out its first perplexity).
    bool waitForReadouts(int timeoutMs);
    // Spins the event loop until the KV cache view's perplexity costs are neither scheduled nor
    // being measured, or the timeout; true when settled (screenshots and tests).
    bool waitForKvCosts(int timeoutMs);
    // The same for the MoE routing view's perplexity against k.
    bool waitForMoeCurve(int timeoutMs);

    QString openSession(const QString& path);  // empty or an error
    QString saveSession(const QString& path);
    void setPresentationMode(bool on);
    bool presentationMode() const { return m_presenting; }
    // Lessons: the player, its dock and overlay, the step keys (window_lessons.h).
    WindowLessons* lessons() const { return m_lessons; }

Q_SIGNALS:
    void viewsUpdated();
    void presentationModeChanged(bool on);

protected:
    void closeEvent(QCloseEvent* e) override;
    void showEvent(QShowEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;

private:
    bool waitForCostChannel(const QTimer* debounce, const widgets::PerplexityCostChannel* channel, int timeoutMs);
    void buildCentral();
    void buildViews();
    void fitPromptHeight();
    void onViewsShown();
    bool layoutFits(const QRect& frame) const;
    void saveLayout();
    void buildDocks();
    void buildMenus();
    void buildStatusBar();
    void defaultDockSizes();
    void buildArchitectureDock();
    // Marks the perplexity read-out stale and measures again once the knobs rest (~300 ms).
    void schedulePerplexity();
    // The KV cache view's "Δ ppl" column: measured by the controller for the loaded model's rows
    // when the view is on screen and its rows, the model or the perplexity window change.
    void wireKvCosts();
    void scheduleKvCosts();
    void requestKvCosts();
    // The MoE routing view's perplexity against k = 1..E: measured by the controller on its own
    // channel (so it and the KV costs never cancel each other) when the view is on screen and E,
    // gate, capacity, noise, seed, the model or the perplexity window change.
    void wireMoeCurve();
    void scheduleMoeCurve();
    void requestMoeCurve();
    void updateCaptureSpec();
    void connectController();

    void onTraceReady(const widgets::ViewInput& input, quint64 generation);
    void onModelLoaded(const widgets::ModelInfo& info);
    void onLoadFailed(const QString& message);
    void onGenerate();
    void onStep();
    void onReset();
    void onPromptEdited();
    void updateGenerationStatus();
    void markGenerationStart();
    void moveSelection(int dPos, int dLayer, int dHead);
    void updateSelectionLabel();
    void updateButtons();
    void applyInput(widgets::TraceView* v);
    void applySelection(widgets::TraceView* v);
    widgets::TraceView* currentView() const;

    void openModelFile();
    void openModelManager();
    void openSessionDialog();
    void saveSessionDialog();
    void exportImageDialog();
    void exportCsvDialog();
    void copyView();
    void showError(const QString& title, const QString& message);
    // Warns when the model a session named is not the file it was saved with (its sha256).
    void checkSessionModel();

    widgets::TraceController* m_controller = nullptr;
    WindowLessons* m_lessons = nullptr;
    widgets::SettingsPanel* m_settings = nullptr;
    widgets::TokenStrip* m_tokens = nullptr;
    QPlainTextEdit* m_prompt = nullptr;
    QFont m_normalPromptFont;  // restored when presentation mode ends
    QSpinBox* m_newTokens = nullptr;
    QPushButton* m_generate = nullptr;
    QPushButton* m_step = nullptr;
    QPushButton* m_stop = nullptr;
    QPushButton* m_reset = nullptr;
    QComboBox* m_colorBy = nullptr;
    QLabel* m_modelLabel = nullptr;
    QLabel* m_selLabel = nullptr;
    QLabel* m_traceLabel = nullptr;
    QLabel* m_speedLabel = nullptr;
    QDockWidget* m_settingsDock = nullptr;
    widgets::ArchitecturePanel* m_architecture = nullptr;
    QDockWidget* m_architectureDock = nullptr;
    QLabel* m_pplLabel = nullptr;
    QTimer* m_pplDebounce = nullptr;
    widgets::KvCacheView* m_kvView = nullptr;
    QTimer* m_kvCostDebounce = nullptr;
    widgets::PerplexityCostChannel* m_kvCosts = nullptr;
    widgets::RoutingView* m_routingView = nullptr;
    QTimer* m_moeCurveDebounce = nullptr;
    widgets::PerplexityCostChannel* m_moeCurve = nullptr;
    anatomy::MoeParams m_moeCurveFor;  // the MoE settings the curve was requested for

    std::vector<widgets::TraceView*> m_views;             // every view but the strip, registry order
    QTabWidget* m_mainTabs = nullptr;
    QTabWidget* m_sideTabs = nullptr;  // hidden while empty
    QSplitter* m_viewSplit = nullptr;
    QScrollArea* m_tokenScroll = nullptr;
    QLabel* m_genStatus = nullptr;
    QString m_stopReason;  // why the last generation stopped
    QString m_cutMessage;  // what the last trace left out
    QByteArray m_defaultState;  // the docks as built, for Reset layout
    widgets::ViewInput m_pinned;                 // trace A of compare mode
    widgets::TraceView* m_compareView = nullptr; // in the side pane, drawing A
    QAction* m_compareAction = nullptr;
    std::map<widgets::TraceView*, bool> m_stale;           // hidden when the last trace came
    std::map<widgets::TraceView*, bool> m_selectionStale;  // hidden when the selection last moved
    QPointer<widgets::TraceView> m_lastFocused;
    QTimer* m_catchUp = nullptr;  // brings hidden views up to date once edits pause

    widgets::ViewInput m_input;
    widgets::Selection m_selection;
    QString m_resetText;          // the prompt before Generate/Step, for Reset
    QString m_sessionModel, m_sessionSha256;  // the last opened session's model and its saved sha256, until compared
    bool m_insertingGenerated = false;
    quint64 m_deliveries = 0;
    bool m_presenting = false;
    bool m_saveLayout = false;
    bool m_sized = false;     // first show done
    bool m_restored = false;  // a saved layout was restored: keep its sizes
    QFont m_normalFont;
    QByteArray m_normalState;
    QRect m_normalRect;                 // before presentation mode
    Qt::WindowStates m_normalWindowState;
};

}  // namespace anatomy::gui
