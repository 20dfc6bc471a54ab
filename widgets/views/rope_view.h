#pragma once
// The RoPE view, for the selected layer and head at the selected position:
//  (a) each frequency pair of q as a 2-D vector turning with the position (the key's pair beside
//      it: their angle difference is what the score sees),
//  (b) each pair's wavelength 2 pi / theta_i under every context-extension method (none, PI,
//      NTK-aware, dynamic NTK, NTK-by-parts, YaRN, Llama 3) at the current factor s, the method
//      chosen in the simulator highlighted, against the original context L0 and s x L0,
//  (c) the score q.k/sqrt(d) of the selected query and key as a function of their distance, out
//      to 4x the trained context: how RoPE extrapolates, as trained and under the chosen scaling
//      (times YaRN's temperature). With positions = none or ALiBi, (b) and (c) say so, and (c)
//      draws ALiBi's bias -m d for the head. The math is in rope_math.h.
#include <QString>
#include <vector>

#include "plot/rope_math.h"
#include "views/trace_view.h"

class QCustomPlot;
class QComboBox;
class QSlider;
class QLabel;

namespace anatomy::widgets {

// Which key the score curve pairs the selected query with.
enum class RopeKey {
    MostAttended,  // the key the query attends to most (per the trace's attention probabilities)
    SamePosition,  // the query's own position (distance 0 is then the real self-score)
    First          // position 0 (BOS)
};

// The score-vs-distance curve runs to 4 trained contexts, at most this far.
inline constexpr int kMaxScoreDistance = 1 << 15;

struct RopePlotData {
    bool valid = false;
    QString message;             // why nothing is drawn, when !valid
    int layer = 0, head = 0, kvHead = 0;
    int row = -1;                // query row of the trace
    int position = -1;           // the query's absolute position
    int keyPosition = -1;        // the key's absolute position
    QString queryToken, keyToken;
    int headSize = 0;
    double base = 10000.0;       // ropeTheta
    int seqLen = 0;              // trained context length
    std::vector<double> theta;       // [headSize/2] theta_i, radians per position
    std::vector<double> wavelength;  // [headSize/2] 2 pi / theta_i, positions per turn
    int pairsBeyondContext = 0;      // pairs whose wavelength exceeds seqLen
    std::vector<float> q;        // [headSize] the query before RoPE (un-rotated from the trace)
    std::vector<float> k;        // [headSize] the key before RoPE
    std::vector<double> score;   // [4 seqLen + 1] rot(q, d) . k / sqrt(headSize) for d = 0 ..
    double traceScore = 0.0;     // the trace's own score for this query and key (NaN if absent)
    std::vector<int> shownPairs; // pairs drawn as small circles (all, or evenly spread)

    // The simulator's position settings. theta, wavelength, q, k and score above are what the
    // forward pass used: the scaled frequencies (dynamic NTK at the trace's length nKv), with
    // positions = none or ALiBi no rotation at all.
    anatomy::PositionEncoding positions = anatomy::PositionEncoding::Rope;
    anatomy::RopeScalingParams scaling;
    double trainedBase = 10000.0;            // the model's ropeTheta (base may be overridden)
    int originalContext = 0;                 // L0 the scaling methods extend from
    bool scaled = false;                     // frequencies or logits differ from training
    double logitScale = 1.0;                 // YaRN's (0.1 ln s + 1)^2, else 1
    double attnScale = 1.0;                  // the simulator's multiplier on 1/sqrt(d_k)
    std::vector<double> trainedScore;        // [4 seqLen + 1] the curve as trained (model base, no scaling)
    // The file's frequency factors c_i (GGUF rope_freqs.weight, Llama 3.x): every theta above,
    // the overlay's and the trained ones included, is divided by them, as the forward pass does.
    std::vector<double> freqFactors;
    std::vector<double> trainedTheta;        // [headSize/2] the model's base over c_i: theta as trained
    int dynamicLength = 0;                   // the length dynamic NTK is drawn at in the overlay
    std::vector<rope::ScalingCurve> overlay; // every method at the current s and L0
    double alibiSlope = 0.0;                 // ALiBi: m of the selected head
    std::vector<double> alibiBias;           // ALiBi: [4 seqLen + 1] -m d

    int distance() const { return position - keyPosition; }
};

// maxShown of nPairs pairs, evenly spread, the first and the last always among them.
std::vector<int> spreadPairs(int nPairs, int maxShown);

// The pure part. maxShownPairs limits the circles drawn for large heads. sim: the settings the
// trace was made with (ViewInput::sim).
RopePlotData ropePlotData(const anatomy::Trace& trace, const Selection& sel,
                          RopeKey key = RopeKey::MostAttended, int maxShownPairs = 16,
                          const anatomy::SimSettings& sim = {});

// A method's name as the legend writes it ("YaRN", "NTK-by-parts", ...).
QString ropeScalingName(anatomy::RopeScaling m);

class RopeView : public TraceView {
    Q_OBJECT
public:
    explicit RopeView(QWidget* parent = nullptr);
    QString viewName() const override { return QStringLiteral("rope"); }
    QString title() const override { return tr("RoPE"); }
    void setInput(const ViewInput& input) override;
    void setSelection(const Selection& sel) override;
    QString toCsv() const override;

    const RopePlotData& plotData() const { return m_data; }
    void setKeyChoice(RopeKey key);
    // Position the pair circles are turned to (defaults to the query's own position).
    void setShownPosition(int pos);

protected:
    // Presentation mode enlarges the font: the plot text follows (lecture::fontFor).
    void changeEvent(QEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void refit() override;

private:
    void rebuild();
    void plotPairs();
    void plotWavelengths();
    void plotScore();
    void keepCirclesRound();

    ViewInput m_input;
    Selection m_sel;
    RopeKey m_key = RopeKey::MostAttended;
    RopePlotData m_data;
    int m_shownPos = 0;

    QComboBox* m_keyBox = nullptr;
    QSlider* m_posSlider = nullptr;
    QLabel* m_posLabel = nullptr;
    QCustomPlot* m_pairs = nullptr;
    QCustomPlot* m_waves = nullptr;
    QCustomPlot* m_score = nullptr;
};

}  // namespace anatomy::widgets
