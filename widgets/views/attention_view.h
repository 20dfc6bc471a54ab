#pragma once
// Attention, every head at once: small multiples of all layers x heads (click one to select it)
// and a large map of the selected head with the tokens on both axes: query rows (the position
// that attends) and key columns (the positions it reads). The causal mask, which hides keys
// after the query, is hatched. Per head it shows the entropy of the selected query row,
//   H = -sum_k p_k log2 p_k   (0 bits: one key; log2(n) bits: uniform over n keys),
// and the attention sink, the mass p_0 on the first token.
#include <QString>
#include <limits>
#include <optional>
#include <vector>

#include "views/trace_view.h"

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPItemRect;
class QComboBox;
class QLabel;
class QMouseEvent;
class QSplitter;

namespace anatomy::widgets {

enum class AttentionMode {
    Probabilities,     // softmax(q.k / sqrt(d)), masked = 0
    Scores,            // q.k / sqrt(d) before the softmax, masked = -inf
    LogProbabilities,  // log10 of the probabilities, floored
};

// The command line's names: "probabilities", "scores", "log".
QString attentionModeName(AttentionMode mode);
// A name as attentionModeName gives it (also "log-probabilities", any case); nullopt otherwise.
std::optional<AttentionMode> attentionModeFromName(const QString& name);

// The matrix the large map shows for the selection's layer and head.
struct AttentionMapData {
    AttentionMode mode = AttentionMode::Probabilities;
    int layer = 0;
    int head = 0;
    int nQ = 0;
    int nKv = 0;
    int firstQueryPos = 0;
    std::vector<float> values;  // [nQ, nKv] row-major; NaN where the causal mask hides the key
    float minValue = 0.0f;      // colour range
    float maxValue = 1.0f;

    // Key position k is in the future of query row q.
    bool masked(int q, int k) const { return k > firstQueryPos + q; }
    float at(int q, int k) const { return values[static_cast<size_t>(q) * nKv + k]; }
};

AttentionMapData attentionMapData(const anatomy::Trace& trace, const Selection& sel,
                                  AttentionMode mode);

struct HeadStats {
    float entropyBits = 0.0f;      // of the selected query row
    float sinkMass = 0.0f;         // p(key 0) at the selected query row
    float meanEntropyBits = 0.0f;  // over query rows 1.. (row 0 can only attend to itself)
    float meanSinkMass = 0.0f;
};

// Stats of one head; row is a query row (clamped; -1 = last). The means cost a pass over
// every row: withMeans = false leaves them 0.
HeadStats headStats(const anatomy::Trace& trace, int layer, int head, int row, bool withMeans = true);

// The selection with layer, head and position clamped into the trace (position -1 -> last row).
Selection clampSelection(const anatomy::Trace& trace, Selection sel);

class HeadGrid;

class AttentionView : public TraceView {
    Q_OBJECT
public:
    explicit AttentionView(QWidget* parent = nullptr);
    ~AttentionView() override;

    QString viewName() const override { return QStringLiteral("attention"); }
    QString title() const override { return tr("Attention"); }
    void setInput(const ViewInput& input) override;
    void setSelection(const Selection& sel) override;
    QString toCsv() const override;

    void setMode(AttentionMode mode);
    AttentionMode mode() const { return m_mode; }
    // What the large map currently shows (tests compare it with the trace).
    const AttentionMapData& mapData() const { return m_map; }
    // The large map's plot, for vector export (QCustomPlot::savePdf).
    QCustomPlot* plot() const { return m_plot; }

protected:
    void changeEvent(QEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;

private:
    void rebuildMap();
    void rebuildGrid();
    void updateTicks();
    void updateTitle();
    void updateFonts();
    void onPlotHover(QMouseEvent* e);
    void onPlotClick(QMouseEvent* e);
    QString tokenLabel(int pos) const;

    ViewInput m_input;
    Selection m_sel;          // as requested (position may be -1)
    Selection m_clamped;      // clamped into the current trace
    AttentionMode m_mode = AttentionMode::Probabilities;
    AttentionMapData m_map;
    std::vector<QString> m_labels;  // [nKv] token labels

    QLabel* m_title = nullptr;
    QComboBox* m_modeBox = nullptr;
    QLabel* m_readout = nullptr;
    QSplitter* m_split = nullptr;
    HeadGrid* m_grid = nullptr;
    QCustomPlot* m_plot = nullptr;
    QCPColorMap* m_colorMap = nullptr;
    QCPColorScale* m_colorScale = nullptr;
    QCPItemRect* m_rowMark = nullptr;
    int m_tickStepX = 0;
    int m_tickStepY = 0;
};

}  // namespace anatomy::widgets
