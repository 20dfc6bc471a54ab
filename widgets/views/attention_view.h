#pragma once
// Attention, every head at once: small multiples of all layers x heads (click one to select it)
// and a large map of the selected head with the tokens on both axes: query rows (the position
// that attends) and key columns (the positions it reads). Keys the query did not see under the
// mask and sparse pattern the trace ran with (Trace::settings: causal, bidirectional, prefix-LM,
// window, sinks, strided, shifted groups) are hatched; the hover names the rule that hid them.
// The map zooms and pans (wheel, drag; + - 0 and Shift+arrows when focused), its axes give
// positions and tokens. Per head it shows the entropy of the selected query row,
//   H = -sum_k p_k log2 p_k   (0 bits: one key; log2(n) bits: uniform over n keys),
// and the attention sink, the mass p_0 on the first token.
#include <QPointF>
#include <QString>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "anatomy/attention_visibility.h"
#include "anatomy/sim_settings.h"
#include "plot/head_scores.h"
#include "views/trace_view.h"

class QCustomPlot;
class QCPColorGradient;
class QImage;
class QCPColorMap;
class QCPColorScale;
class QCPItemRect;
class QComboBox;
class QLabel;
class QMouseEvent;
class QWheelEvent;
class QSplitter;
class QBoxLayout;

namespace anatomy::widgets {

enum class AttentionMode {
    Probabilities,     // softmax(q.k / sqrt(d)), masked = 0
    Scores,            // q.k / sqrt(d) before the softmax, masked = -inf
    LogProbabilities,  // log10 of the probabilities, floored
    Difference,        // B - A: these probabilities minus those of a pinned trace A (same text)
};

// The attention maps' colour ramp (viridis, NaN transparent over the hatched mask), shared by
// every attention heatmap (attention_heatmap.h).
QCPColorGradient attentionGradient();

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
    std::vector<float> values;  // [nQ, nKv] row-major; NaN where the mask hid the key
    std::vector<uint8_t> hidden;  // [nQ, nKv] 1 where the trace's mask or sparse pattern hid the key
    float minValue = 0.0f;      // colour range
    float maxValue = 1.0f;

    // Query row q did not see key position k (the mask the trace ran with).
    bool masked(int q, int k) const { return hidden[static_cast<size_t>(q) * nKv + k] != 0; }
    float at(int q, int k) const { return values[static_cast<size_t>(q) * nKv + k]; }
};

// Difference needs reference (trace A, the same tokens and shape); without one, or when the
// shapes differ, the map is empty (nQ = 0).
AttentionMapData attentionMapData(const anatomy::Trace& trace, const Selection& sel,
                                  AttentionMode mode, const anatomy::Trace* reference = nullptr);

// A head's small-multiple picture: the map max-pooled to at most 128 x 128 pixels, masked cells
// grey. mapThumbnail draws it from a map; headThumbnail the same pixels straight from the trace
// (no full-size map in between: the grid draws one per layer and head for every trace).
QImage mapThumbnail(const AttentionMapData& d, QCPColorGradient& gradient);
QImage headThumbnail(const anatomy::Trace& trace, int layer, int head, AttentionMode mode, QCPColorGradient& gradient);

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
    bool drawingPending() const override;
    void finishDrawing() override;

    void setMode(AttentionMode mode);
    // Trace A for the B - A mode (compare); null: none pinned.
    void setReference(std::shared_ptr<const anatomy::Trace> reference);
    AttentionMode mode() const { return m_mode; }
    // The head grid: thumbnails (nullopt) or one behaviour score per head (head_scores.h).
    void setHeadMetric(std::optional<HeadMetric> metric);
    // [nLayers * nHeads] induction scores measured by the controller (requestInductionScores).
    void setInductionScores(const std::vector<float>& scores);
    // The scores the head grid shows for the current trace.
    const HeadScores& headScores() const;
    // What the large map currently shows (tests compare it with the trace).
    const AttentionMapData& mapData() const { return m_map; }
    // The hover line under the map (what the pointer's cell holds, or the hint).
    QString readoutText() const;
    // The large map's plot, for vector export (QCustomPlot::savePdf).
    QCustomPlot* plot() const { return m_plot; }

    // Shows key and query positions [k0, k1] x [q0, q1] (clamped to the map); zoomToFit() all.
    void zoomTo(double k0, double k1, double q0, double q1);
    void zoomToFit();
    // The key positions shown now, as a closed interval of cell centres.
    std::pair<double, double> visibleKeys() const;

protected:
    void changeEvent(QEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    bool eventFilter(QObject* watched, QEvent* e) override;

private:
    void rebuildMap();
    void rebuildGrid();
    void updateTicks();
    void updateTitle();
    void updateFonts();
    void onPlotHover(QMouseEvent* e);
    // The hover line for the cell under the last hover position, from the map shown now.
    void updateReadout();
    static QString readoutHint();
    // Why a masked cell is hidden, in the interface language ("in the future of the query ...").
    static QString maskReasonLabel(anatomy::MaskReason r, const anatomy::SimSettings& s);
    void onPlotClick(QMouseEvent* e);
    void onRangeChanged();
    void zoomBy(double factor);
    void panBy(double dKeys, double dQueries);
    QString tokenLabel(int pos) const;

    ViewInput m_input;
    std::shared_ptr<const anatomy::Trace> m_reference;  // A, for Difference
    Selection m_sel;          // as requested (position may be -1)
    Selection m_clamped;      // clamped into the current trace
    AttentionMode m_mode = AttentionMode::Probabilities;
    AttentionMapData m_map;
    std::vector<QString> m_labels;  // [nKv] token labels

    QLabel* m_title = nullptr;
    QComboBox* m_modeBox = nullptr;
    QComboBox* m_gridMetric = nullptr;
    QLabel* m_readout = nullptr;
    QSplitter* m_split = nullptr;
    QBoxLayout* m_top = nullptr;  // the title and the boxes: side by side, or stacked when narrow
    HeadGrid* m_grid = nullptr;
    QCustomPlot* m_plot = nullptr;
    QCPColorMap* m_colorMap = nullptr;
    QCPColorScale* m_colorScale = nullptr;
    QCPItemRect* m_rowMark = nullptr;
    int m_tickStepX = 0;
    int m_tickStepY = 0;
    bool m_clamping = false;  // inside onRangeChanged's own range change
    int m_shownKv = -1;       // the map shape the zoom belongs to
    int m_shownQ = -1;
    QPointF m_hoverPixel;     // where the pointer last moved over the map
    bool m_hovering = false;  // the pointer is over the map (cleared when it leaves)
};

}  // namespace anatomy::widgets
