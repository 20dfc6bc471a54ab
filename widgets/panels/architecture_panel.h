#pragma once
// The architecture simulator's dock: one control per row of the engine's knob table
// (knob_table.h), generated from it and grouped as the table groups them (norms, FFN activation,
// positions, attention, heads, KV sharing, MoE), a "Reset to as trained" button, a help box with
// the explanation and formula of the knob under the mouse or the focus, the settings as
// describe() prints them, and the perplexity read-out.
//
// Each row gives its control: a combo box of its choices, a spin box with its range, step and
// default, an editable combo box for a number or the model's value, a line edit for a head list.
// The control's objectName is the key; its tooltip the row's help and formula; it is enabled
// while the row applies (attn.window only with a window pattern). Spin boxes and combo boxes
// ignore the mouse wheel unless focused, so scrolling the dock changes nothing.
//
// The panel builds its SimSettings the way the CLI's `--set` does: every control is a
// "key=value" line and the lines are applied to the defaults with applySetting(). Settings the
// engine rejects (applySetting or validateSettings against the loaded model) show the engine's
// message in the dock and are not sent; the last good settings stay in use.
#include <QStringList>
#include <QWidget>
#include <optional>
#include <vector>

#include "anatomy/architecture.h"
#include "anatomy/knob_table.h"
#include "anatomy/model_config.h"
#include "anatomy/sim_settings.h"
#include "controller/trace_controller.h"

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QListWidget;
class QPushButton;
class QSlider;
class QSpinBox;
class QTextBrowser;

namespace anatomy::widgets {

class ArchitecturePanel : public QWidget {
    Q_OBJECT
public:
    explicit ArchitecturePanel(QWidget* parent = nullptr);

    // The RoPE factor s a scaling method starts at when picked with s still 1 (which would
    // change nothing): a context 4x the original.
    static constexpr double kFirstRopeFactor = 4.0;

    // The loaded model: bounds the head pickers and is what settings are validated against.
    void setModelConfig(const anatomy::ModelConfig& config);
    // The loaded model's architecture: knobs that do not apply to it (anatomy::knobRefusal) are
    // disabled, their reason as the tooltip.
    void setArchitecture(const anatomy::Architecture& trained);

    // The last settings that passed validation.
    const anatomy::SimSettings& settings() const { return m_settings; }
    // Moves the controls to s; emits settingsChanged once when that changes the settings.
    void setSettings(const anatomy::SimSettings& s);
    // The controls as "key=value" lines, in the order they are applied.
    QStringList assignments() const;
    // Why the controls' settings are not in use, or empty.
    QString errorText() const { return m_error; }

    // The perplexity window the controls describe (the corpus file is defaultCorpusPath()).
    PerplexityWindow perplexityWindow() const;
    void setPerplexityWindow(const PerplexityWindow& w);
    // The read-out: "computing…" while stale, the report, or an error.
    void showPerplexityPending();
    void showPerplexity(const PerplexityReport& report);
    void showPerplexityError(const QString& message);
    QString perplexityText() const;

    // The knob whose help is shown (for tests).
    QString helpKey() const { return m_helpKey; }
    void showHelp(const QString& key);

    // The control of a knob by its key (also its objectName): "norm.placement", "moe.experts",
    // "heads.ablate" (a line edit), ...; and "ppl.context". nullptr for an unknown key.
    QWidget* control(const QString& key) const;

Q_SIGNALS:
    void settingsChanged(const anatomy::SimSettings& s);
    void perplexityWindowChanged(const anatomy::widgets::PerplexityWindow& w);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;  // LanguageChange: retranslateKnobs()

private:
    // One generated control: the knob's row and its widget.
    struct KnobControl {
        const anatomy::Knob* knob = nullptr;
        QWidget* widget = nullptr;
    };

    QFormLayout* addGroup(const QString& title);
    void addKnob(QFormLayout* form, const anatomy::Knob& knob);
    void tag(QWidget* w, const QString& key);
    void buildHeads(QFormLayout* form);
    void buildPerplexity(QFormLayout* form);
    // The control's value as the text after `key=`, and back.
    static QString controlText(const KnobControl& c);
    static void setControlText(const KnobControl& c, const QString& value);
    // The controls applied to the defaults, skipping lines the engine refuses (*error: the first).
    anatomy::SimSettings controlSettings(QString* error) const;
    void addIntervention(anatomy::HeadIntervention::Kind kind);
    void writeHeads(const std::vector<anatomy::HeadIntervention>& heads);
    void refreshHeadList(const std::vector<anatomy::HeadIntervention>& heads);
    void loadControls(const anatomy::SimSettings& s);
    void updateEnabled(const anatomy::SimSettings& s);
    void rebuild();  // controls -> settings, validate, emit
    void setError(const QString& message);
    void retranslateKnobs();

    anatomy::SimSettings m_settings;
    std::optional<anatomy::ModelConfig> m_config;
    std::optional<anatomy::Architecture> m_trained;
    std::vector<anatomy::HeadIntervention> m_heads;  // as listed in m_headList
    QString m_error;
    QString m_helpKey;
    bool m_loading = false;

    std::vector<KnobControl> m_knobs;  // in table order

    QSpinBox* m_headLayer = nullptr;
    QSpinBox* m_headIndex = nullptr;
    QSlider* m_gateSlider = nullptr;
    QLabel* m_gateLabel = nullptr;
    QListWidget* m_headList = nullptr;

    QSpinBox *m_pplContext, *m_pplStart, *m_pplLength;
    QComboBox* m_pplUnit;
    QLabel* m_pplLabel;
    QLabel* m_pplDetail;

    QLabel* m_describe;
    QLabel* m_errorLabel;
    QTextBrowser* m_help;
    QPushButton* m_reset;
    QWidget* m_body;
};

}  // namespace anatomy::widgets
