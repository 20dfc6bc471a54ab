#pragma once
// Cross-attention (encoder-decoder models, T5): for the selected layer and head, how much each
// decoder position (the output token that reads, rows) attends to each encoder position (the
// input token read, columns), beside the encoder's own bidirectional self-attention and the
// decoder's causal self-attention of the same layer and head. Both token strips (the input the
// encoder read, the output the decoder wrote) sit above; the selected decoder position is marked
// in both decoder maps. Hover reads a cell, wheel zooms, drag pans, 0 shows the whole map.
// A decoder-only trace has no cross-attention: the view says so.
#include <QString>

#include "views/attention_heatmap.h"
#include "views/trace_view.h"

class QComboBox;
class QLabel;

namespace anatomy::widgets {

enum class EncoderDecoderMap {
    Cross,    // [nDec, nEnc] decoder queries x encoder keys
    Encoder,  // [nEnc, nEnc] bidirectional
    Decoder,  // [nDec, nDec] causal (keys after the query masked: NaN)
};

// Pure: the matrix of one map for a layer and head (clamped into the trace), probabilities or
// scores before the softmax, with both axes' token labels. Empty (rows 0) for a decoder-only trace.
HeatmapData encoderDecoderMapData(const anatomy::Trace& trace, int layer, int head, EncoderDecoderMap which,
                                  bool scores = false);

class CrossAttentionView : public TraceView {
    Q_OBJECT
public:
    explicit CrossAttentionView(QWidget* parent = nullptr);

    QString viewName() const override { return QStringLiteral("cross"); }
    QString title() const override { return tr("Cross-attention"); }
    void setInput(const ViewInput& input) override;
    void setSelection(const Selection& sel) override;
    QString toCsv() const override;

    const AttentionHeatmap& crossMap() const { return *m_cross; }
    const AttentionHeatmap& encoderMap() const { return *m_encoder; }
    const AttentionHeatmap& decoderMap() const { return *m_decoder; }
    QString titleText() const;
    QString readoutText() const;

private:
    void rebuild();
    void hover(EncoderDecoderMap which, int row, int col);

    ViewInput m_input;
    Selection m_sel;
    int m_layer = 0, m_head = 0, m_row = 0;  // clamped
    bool m_scores = false;
    QLabel* m_title = nullptr;
    QComboBox* m_modeBox = nullptr;
    QLabel* m_inputStrip = nullptr;
    QLabel* m_outputStrip = nullptr;
    QLabel* m_readout = nullptr;
    AttentionHeatmap* m_cross = nullptr;
    AttentionHeatmap* m_encoder = nullptr;
    AttentionHeatmap* m_decoder = nullptr;
};

}  // namespace anatomy::widgets
