#pragma once
// The architecture simulator's dock: one control per knob of sim_settings.h, grouped as in the
// course (norms, FFN activation, positions, attention, heads, KV sharing, MoE), a "Reset to as
// trained" button, a help box with the explanation and formula of the knob under the mouse or
// the focus, the settings as describe() prints them, and the perplexity read-out.
//
// The panel builds its SimSettings the way the CLI's `--set` does: every control is a
// "key=value" line and the lines are applied to the defaults with applySetting(). Settings the
// engine rejects (applySetting or validateSettings against the loaded model) show the engine's
// message in the dock and are not sent; the last good settings stay in use.
#include <QStringList>
#include <QWidget>
#include <optional>
#include <vector>

#include "anatomy/model_config.h"
#include "anatomy/sim_settings.h"
#include "trace_controller.h"

class QCheckBox;
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

    // The loaded model: bounds the head pickers and is what settings are validated against.
    void setModelConfig(const anatomy::ModelConfig& config);

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

    // Named controls for tests: "norm.placement", "ffn.act", "attn.mask", "moe.experts", ...
    QWidget* control(const QString& key) const;

Q_SIGNALS:
    void settingsChanged(const anatomy::SimSettings& s);
    void perplexityWindowChanged(const anatomy::widgets::PerplexityWindow& w);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QFormLayout* addGroup(const QString& title);
    QComboBox* addCombo(QFormLayout* form, const QString& label, const QString& key, const QStringList& values,
                        bool editable = false);
    QSpinBox* addSpin(QFormLayout* form, const QString& label, const QString& key, int lo, int hi, int value);
    QDoubleSpinBox* addDouble(QFormLayout* form, const QString& label, const QString& key, double lo, double hi,
                              double step, int decimals, double value);
    void tag(QWidget* w, const QString& key);
    void buildHeads(QFormLayout* form);
    void buildPerplexity(QFormLayout* form);
    void addIntervention(anatomy::HeadIntervention::Kind kind);
    void refreshHeadList();
    void loadControls(const anatomy::SimSettings& s);
    void updateEnabled();
    void rebuild();  // controls -> settings, validate, emit
    void setError(const QString& message);

    anatomy::SimSettings m_settings;
    std::optional<anatomy::ModelConfig> m_config;
    std::vector<anatomy::HeadIntervention> m_heads;
    QString m_error;
    QString m_helpKey;
    bool m_loading = false;
    // The FFN parameter box edits the one of the chosen activation; the others keep theirs.
    double m_leakySlope = 0.01, m_eluAlpha = 1.0, m_swishBeta = 1.0;

    std::vector<std::pair<QString, QWidget*>> m_controls;
    QComboBox *m_placement, *m_normType, *m_eps, *m_deepAlpha;
    QComboBox* m_act;
    QDoubleSpinBox* m_actParam;
    QLabel* m_actParamLabel;
    QComboBox *m_pos, *m_ropeBase, *m_scaling;
    QDoubleSpinBox *m_factor, *m_rampAlpha, *m_rampBeta, *m_lowFreq, *m_highFreq;
    QSpinBox* m_original;
    QDoubleSpinBox* m_attnScale;
    QComboBox *m_mask, *m_sparse, *m_kernel;
    QSpinBox *m_prefix, *m_window, *m_sinks, *m_stride, *m_chunk, *m_group;
    QSpinBox *m_headLayer, *m_headIndex;
    QSlider* m_gateSlider;
    QLabel* m_gateLabel;
    QListWidget* m_headList;
    QComboBox* m_kvSharing;
    QSpinBox *m_kvGroups, *m_kvRank;
    QSpinBox *m_experts, *m_topK, *m_moeSeed;
    QComboBox* m_moeGate;
    QDoubleSpinBox *m_noise, *m_capacity;

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
