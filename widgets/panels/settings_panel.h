#pragma once
// Sampler and engine settings with live sliders and spin boxes, the order of the sampler's
// stages (a checkable list with up/down buttons: top runs first, unchecked stages do not run),
// plus named presets kept in QSettings. Every change is reported at once; the controller
// coalesces bursts.
#include <QWidget>

#include "anatomy/sampler.h"

class QComboBox;
class QFormLayout;
class QListWidget;
class QSlider;
class QDoubleSpinBox;
class QSpinBox;

namespace anatomy::widgets {

class SettingsPanel : public QWidget {
    Q_OBJECT
public:
    explicit SettingsPanel(QWidget* parent = nullptr);

    anatomy::SamplerSettings settings() const;
    void setSettings(const anatomy::SamplerSettings& s);  // emits settingsChanged once
    int threadCount() const;
    void setThreadCount(int n);

    // Presets: built-ins first, then the user's (QSettings group "samplerPresets").
    QStringList presetNames() const;
    bool applyPreset(const QString& name);
    void savePreset(const QString& name);
    void deletePreset(const QString& name);

Q_SIGNALS:
    void settingsChanged(const anatomy::SamplerSettings& s);
    void threadCountChanged(int n);

private:
    // A slider and a spin box that move together; the slider has `steps` positions over range.
    struct Row {
        QSlider* slider = nullptr;
        QDoubleSpinBox* spin = nullptr;
        double lo = 0.0, hi = 1.0;
        int steps = 100;
    };
    Row addRow(QFormLayout* form, const QString& label, const QString& tip, double lo, double hi,
               double step, int decimals, int steps);
    void emitChanged();
    QWidget* makeOrderEditor();
    void showOrder(const std::vector<anatomy::SamplerStageKind>& order);
    void moveCurrentStage(int delta);  // -1 up, +1 down
    void refreshPresets();
    void onSavePreset();
    void onDeletePreset();

    Row m_temperature, m_topK, m_topP, m_minP, m_typicalP, m_penalty;
    QSpinBox* m_window = nullptr;
    QSpinBox* m_seed = nullptr;
    QSpinBox* m_threads = nullptr;
    QComboBox* m_presets = nullptr;
    QListWidget* m_order = nullptr;  // one checkable row per stage, in chain order
    bool m_applying = false;  // setSettings in progress: one signal at the end
};

}  // namespace anatomy::widgets
