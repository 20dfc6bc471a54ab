#pragma once
// The positions view: the classic ways of encoding where a token is, side by side for a lecture,
// sized to the loaded model (the math is in positions_math.h):
//  (a) sinusoidal absolute encoding (Vaswani et al.) as a heatmap position x dimension, d = the
//      model's dim, positions up to 2x the trained context; for a model with learned absolute
//      positions (GPT-2, BERT, a trained 'learned' variant), its own table instead, as the
//      position-by-position cosine similarity cos(P_i, P_j),
//  (b) T5's bucketed relative position bias: the bucket of each distance (causal, 32 buckets,
//      max distance 128) as a step plot; for a T5 model, the bias the model itself learned,
//      B[bucket(key - query), head] against the signed distance per head (encoder: both
//      directions; decoder: keys before the query), from its own bucket tables,
//  (c) ALiBi: each head's slope m_h = 2^(-8h/H) and its bias -m_h d,
//  (d) RoPE: cos of each pair's rotation angle pos theta_i against the position.
// It draws from the trace's model config (a T5 trace's bias tables, a model's learned position
// table) only, so it is the same for every text.
#include <QString>
#include <vector>

#include "views/trace_view.h"

class QCustomPlot;

namespace anatomy::widgets {

// A file may claim any context or width; the view draws at most this many cells (the first
// positions and dimensions), so the table stays a few MB and is computed in milliseconds.
inline constexpr int kMaxDrawnPositions = 4096;
inline constexpr int kMaxDrawnDims = 512;

struct PositionsPlotData {
    bool valid = false;
    QString message;                  // why nothing is drawn, when !valid
    int modelDim = 0;                 // model dim d
    int dim = 0;                      // dimensions drawn: the first min(d, kMaxDrawnDims)
    int seqLen = 0;                   // trained context
    int nPositions = 0;               // 2 seqLen, at most kMaxDrawnPositions
    std::vector<double> sinusoid;     // [nPositions, dim] PE(pos, j)
    int t5Buckets = 32, t5MaxDistance = 128;
    std::vector<int> t5Bucket;        // [2 t5MaxDistance + 1] bucket of distance 0 ..
    std::vector<double> alibiSlopes;  // [nHeads] m_h as the forward pass uses them
    int headSize = 0;
    double ropeBase = 10000.0;
    std::vector<double> ropeTheta;    // [headSize / 2] theta_i
    // T5 models: the learned bias at signed distances n = key - query, -t5Range .. t5Range.
    bool t5Learned = false;
    int t5Range = 0;
    int t5Heads = 0;
    std::vector<double> t5EncoderBias;  // [t5Heads, 2 t5Range + 1] bidirectional buckets
    std::vector<double> t5DecoderBias;  // [t5Heads, 2 t5Range + 1] causal buckets (n > 0: bucket 0, masked)
    // Learned absolute positions: cos(P_a, P_b) for a, b = 0, stride, 2 stride, ... [learnedN, learnedN]
    bool learnedPositions = false;
    int learnedN = 0, learnedStride = 1;
    std::vector<double> learnedCosine;
};

// The learned position table of the model a trace ran on, when it has one (not a fixed sinusoid),
// as the similarity map, at most kMaxDrawnSimilarity positions a side.
inline constexpr int kMaxDrawnSimilarity = 256;
void addLearnedPositions(PositionsPlotData& d, const anatomy::Trace& trace, const anatomy::Model* model);

// The pure part: everything from the model config (and the simulator's RoPE base).
PositionsPlotData positionsPlotData(const anatomy::ModelConfig& c, const anatomy::SimSettings& sim = {});
// The learned T5 bias of a trace of an encoder-decoder model (Trace::encoderDecoder's tables,
// through the engine's bucket rule, relative_position.h) into d; nothing for other traces.
void addLearnedT5Bias(PositionsPlotData& d, const anatomy::Trace& trace);

class PositionsView : public TraceView {
    Q_OBJECT
public:
    explicit PositionsView(QWidget* parent = nullptr);
    QString viewName() const override { return QStringLiteral("positions"); }
    QString title() const override { return tr("Positions"); }
    void setInput(const ViewInput& input) override;
    void setSelection(const Selection& sel) override;
    QString toCsv() const override;

    const PositionsPlotData& plotData() const { return m_data; }

protected:
    // Presentation mode enlarges the font: the plot text follows (lecture::fontFor).
    void changeEvent(QEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void refit() override;

private:
    void replotAll();
    void plotSinusoid();
    void plotLearnedPositions();
    void plotT5();
    void plotLearnedT5();
    void plotAlibi();
    void plotRope();

    ViewInput m_input;
    Selection m_sel;
    PositionsPlotData m_data;
    QCustomPlot* m_sin = nullptr;
    QCustomPlot* m_t5 = nullptr;
    QCustomPlot* m_alibi = nullptr;
    QCustomPlot* m_rope = nullptr;
};

}  // namespace anatomy::widgets
