#pragma once
// The norms view: how big the residual stream is as it flows through the layers (its RMS entering
// each layer, after the attention add, after the FFN add), what the RMSNorms hand on, and the
// largest single activations with their channel: the "massive activations" a few channels carry.
// Top: across layers for the selected token. Bottom: across tokens for the selected layer.
#include <QString>
#include <QStringList>
#include <vector>

#include "views/trace_view.h"

class QCustomPlot;

namespace anatomy::widgets {

// The residual and norm statistics along one axis (layers, or tokens), one value per index.
struct NormSeries {
    std::vector<double> residRmsIn;      // RMS entering the layer
    std::vector<double> residRmsMid;     // after the attention residual add
    std::vector<double> residRmsOut;     // after the FFN residual add
    std::vector<double> residMeanIn;     // mean over channels entering the layer (LayerNorm's μ)
    std::vector<double> residMeanMid;    // and after the attention residual add
    std::vector<double> attnNormOutRms;  // RMSNorm(x) * g feeding attention
    std::vector<double> ffnNormOutRms;   // norm output feeding the FFN
    std::vector<double> attnOutRms;      // attention sublayer output, before the add
    std::vector<double> ffnOutRms;       // FFN sublayer output, before the add
    std::vector<double> residMaxAbs;     // max |x| of the layer's output residual
    std::vector<int> residMaxChannel;    // its channel
    std::vector<double> ffnActMaxAbs;    // max |silu(W1 x) * W3 x|
    std::vector<int> ffnActMaxChannel;   // its hidden unit
    size_t size() const { return residRmsIn.size(); }
};

struct NormsPlotData {
    bool valid = false;
    QString message;          // why nothing is drawn, when !valid
    int row = -1;             // selected query row
    int position = -1;        // its absolute position
    int layer = 0;            // selected layer
    QString token;            // the selected token, visible
    bool layerNorm = false;   // the model normalises with LayerNorm: show its mean and σ as well
    bool batchNorm = false;   // BatchNorm (eval mode): per-channel running statistics, not per token
    NormSeries byLayer;       // [nLayers] for the selected row
    NormSeries byToken;       // [nQ] for the selected layer
    QStringList tokenLabels;  // [nQ] visible text of each traced row's token
};

// The pure part: reads the trace's [nLayers, nQ] arrays at the selected row and layer.
NormsPlotData normsPlotData(const anatomy::Trace& trace, const Selection& sel);

class NormsView : public TraceView {
    Q_OBJECT
public:
    explicit NormsView(QWidget* parent = nullptr);
    QString viewName() const override { return QStringLiteral("norms"); }
    QString title() const override { return tr("Norms"); }
    void setInput(const ViewInput& input) override;
    void setSelection(const Selection& sel) override;
    QString toCsv() const override;

    const NormsPlotData& plotData() const { return m_data; }

protected:
    // Presentation mode enlarges the font: the plot text follows (lecture::fontFor).
    void changeEvent(QEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void refit() override;

private:
    void rebuild();
    void plotRmsOverLayers();
    void plotMaxOverLayers();
    void plotRmsOverTokens();
    void plotMaxOverTokens();

    ViewInput m_input;
    Selection m_sel;
    NormsPlotData m_data;
    QCustomPlot* m_rmsLayers = nullptr;
    QCustomPlot* m_maxLayers = nullptr;
    QCustomPlot* m_rmsTokens = nullptr;
    QCustomPlot* m_maxTokens = nullptr;
};

}  // namespace anatomy::widgets
