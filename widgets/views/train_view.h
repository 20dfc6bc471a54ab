#pragma once
// The "train" view: train a model here and watch it learn. Pick a preset (samples/train_presets:
// one folder per comparison of the course, one config per design) or any config file; Start,
// Stop, Resume; live train and validation loss, learning rate, gradient norm per layer, and what
// each design shows: the first-token attention mass per head of the selected layer (attention
// sinks, every logged step), the expert load of the selected layer (MoE) and the largest
// activation in the residual stream. Training runs on the TrainController's worker thread.
// "Open in views" asks the window to load the trained model (openModelRequested).
#include <QString>
#include <QStringList>
#include <QVector>
#include <vector>

#include "anatomy/train.h"
#include "views/trace_view.h"

class QComboBox;
class QCPTextElement;
class QCustomPlot;
class QLabel;
class QPushButton;

namespace anatomy::widgets {

class TrainController;

// The pure part: the curves of a training log, per layer where the log has layers.
struct TrainCurves {
    QVector<double> step, trainLoss;       // every logged step
    QVector<double> valStep, valLoss;      // the steps with a validation loss
    QVector<double> lr, maxActivation;     // every logged step
    std::vector<QVector<double>> layerGradNorm;  // [layers] per logged step
    std::vector<QVector<double>> headMass;       // [heads] of `layer`: first-token mass per logged step
    std::vector<QVector<double>> expertLoad;     // [experts] of `layer` (MoE), per logged step
    QVector<double> dropped;                     // MoE: fraction dropped at capacity
    bool empty() const { return step.isEmpty(); }
};
TrainCurves trainCurves(const std::vector<anatomy::TrainLogLine>& log, int layer);

// The presets folder: $ANATOMY_TRAIN_PRESETS, else samples/train_presets of the source tree.
QString trainPresetsDir();
// Every preset config, as "1-sinks/plain" -> its path, in folder and file order.
QStringList trainPresetNames();
QString trainPresetPath(const QString& name);

class TrainView : public TraceView {
    Q_OBJECT
public:
    explicit TrainView(QWidget* parent = nullptr);
    QString viewName() const override { return QStringLiteral("train"); }
    QString title() const override { return tr("Train"); }
    void setInput(const ViewInput& input) override;
    void setSelection(const Selection& sel) override;
    QString toCsv() const override;

    TrainController* controller() const { return m_controller; }
    // Starts the chosen config (a preset name or a file path), as the Start button does.
    void startConfig(const QString& configPath, bool resume = false, const QString& out = {});
    const TrainCurves& curves() const { return m_curves; }
    QString statusText() const;

Q_SIGNALS:
    // "Open in views": the window loads the model with these simulator settings.
    void openModelRequested(const QString& modelPath, const QStringList& simSettings);

private:
    void refresh();
    void updateButtons();
    QString chosenConfig() const;

    TrainController* m_controller;
    QComboBox* m_preset;
    QPushButton* m_browse;
    QPushButton* m_start;
    QPushButton* m_stop;
    QPushButton* m_resume;
    QPushButton* m_open;
    QLabel* m_status;
    QCustomPlot* m_loss;
    QCustomPlot* m_lr;
    QCustomPlot* m_grad;
    QCustomPlot* m_mass;
    QCustomPlot* m_experts;
    QCustomPlot* m_activation;
    QCPTextElement* m_massTitle = nullptr;
    QCPTextElement* m_expertsTitle = nullptr;
    QString m_configPath;  // a file picked with "Config…"
    QString m_message;     // the last failure, or empty
    Selection m_selection;
    TrainCurves m_curves;
};

}  // namespace anatomy::widgets
