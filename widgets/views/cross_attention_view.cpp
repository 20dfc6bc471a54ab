#include "views/cross_attention_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>

#include "anatomy/encoder_decoder.h"
#include "views/token_strip.h"

namespace anatomy::widgets {

namespace {

const anatomy::LayerTrace* layerOf(const anatomy::Trace& t, int layer, EncoderDecoderMap which) {
    const anatomy::EncoderDecoderTrace* e = t.encoderDecoder.get();
    if (!e) return nullptr;
    const std::vector<anatomy::LayerTrace>& ls =
        which == EncoderDecoderMap::Cross ? e->crossLayers : which == EncoderDecoderMap::Encoder ? e->encoderLayers : t.layers;
    return layer >= 0 && layer < int(ls.size()) ? &ls[size_t(layer)] : nullptr;
}

std::vector<QString> labels(const std::vector<std::string>& pieces, size_t n) {
    std::vector<QString> out;
    for (size_t i = 0; i < n; ++i) out.push_back(i < pieces.size() ? displayPiece(pieces[i]) : QString::number(i));
    return out;
}

QString mapName(EncoderDecoderMap m) {
    return m == EncoderDecoderMap::Cross ? QStringLiteral("cross") : m == EncoderDecoderMap::Encoder ? QStringLiteral("encoder")
                                                                                                     : QStringLiteral("decoder");
}

// "▁the ▁cat" as chips in one line of rich text, the marked one outlined.
QString stripHtml(const QString& what, const std::vector<QString>& pieces, int marked) {
    QString s = QStringLiteral("<b>%1</b>&nbsp; ").arg(what);
    for (size_t i = 0; i < pieces.size(); ++i) {
        const QString chip = pieces[i].toHtmlEscaped();
        s += int(i) == marked ? QStringLiteral("<span style='background:#fde725;border:1px solid #e03030'>&nbsp;%1&nbsp;</span> ").arg(chip)
                              : QStringLiteral("<span style='background:#e8e8f0'>&nbsp;%1&nbsp;</span> ").arg(chip);
    }
    return s;
}

}  // namespace

HeatmapData encoderDecoderMapData(const anatomy::Trace& trace, int layer, int head, EncoderDecoderMap which, bool scores) {
    HeatmapData d;
    const anatomy::EncoderDecoderTrace* e = trace.encoderDecoder.get();
    if (!e || trace.layers.empty()) return d;
    layer = std::clamp(layer, 0, int(trace.layers.size()) - 1);
    const anatomy::LayerTrace* lt = layerOf(trace, layer, which);
    if (!lt) return d;
    const anatomy::FloatArray& a = scores ? lt->attnScores : lt->attnProbs;
    if (a.shape.size() != 3) return d;
    head = std::clamp(head, 0, int(a.shape[0]) - 1);
    d.rows = int(a.shape[1]);
    d.cols = int(a.shape[2]);
    const std::vector<QString> enc = labels(e->encoderTokenText, size_t(e->nEnc));
    const std::vector<QString> dec = labels(trace.tokenText, trace.tokens.size());
    d.rowLabels = which == EncoderDecoderMap::Encoder ? enc : dec;
    d.colLabels = which == EncoderDecoderMap::Decoder ? dec : enc;
    d.values.resize(size_t(d.rows) * d.cols);
    float lo = std::numeric_limits<float>::infinity(), hi = -lo;
    for (int r = 0; r < d.rows; ++r)
        for (int c = 0; c < d.cols; ++c) {
            float v = a.at({head, r, c});
            // Keys after the query in the causal decoder map are masked.
            if (which == EncoderDecoderMap::Decoder && c > trace.firstQueryPos + r) v = std::numeric_limits<float>::quiet_NaN();
            d.values[size_t(r) * d.cols + c] = v;
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        }
    d.minValue = scores ? (std::isfinite(lo) ? lo : 0.0f) : 0.0f;
    d.maxValue = scores ? (std::isfinite(hi) ? hi : 1.0f) : 1.0f;
    return d;
}

CrossAttentionView::CrossAttentionView(QWidget* parent) : TraceView(parent) {
    m_title = new QLabel(tr("No trace yet"), this);
    m_title->setTextFormat(Qt::RichText);
    m_title->setWordWrap(true);
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_modeBox = new QComboBox(this);
    m_modeBox->addItem(tr("Probabilities"));
    m_modeBox->addItem(tr("Scores (before softmax)"));
    connect(m_modeBox, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_scores = i == 1;
        rebuild();
    });
    m_inputStrip = new QLabel(this);
    m_outputStrip = new QLabel(this);
    for (QLabel* l : {m_inputStrip, m_outputStrip}) {
        l->setTextFormat(Qt::RichText);
        l->setWordWrap(true);
        l->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    }
    m_cross = new AttentionHeatmap(tr("decoder query: the output token reading"), tr("encoder key: the input token read"), this);
    m_encoder = new AttentionHeatmap(tr("encoder query"), tr("encoder key"), this);
    m_decoder = new AttentionHeatmap(tr("decoder query"), tr("decoder key"), this);
    const std::pair<AttentionHeatmap*, EncoderDecoderMap> maps[] = {
        {m_cross, EncoderDecoderMap::Cross}, {m_encoder, EncoderDecoderMap::Encoder}, {m_decoder, EncoderDecoderMap::Decoder}};
    for (auto [map, which] : maps) {
        map->onHover = [this, which = which](int r, int c) { hover(which, r, c); };
        if (which != EncoderDecoderMap::Encoder)
            map->onRowClicked = [this](int r) {
                Selection s = m_sel;
                s.position = r;
                Q_EMIT selectionRequested(s);
            };
    }
    auto* side = new QSplitter(Qt::Vertical, this);
    side->addWidget(m_encoder);
    side->addWidget(m_decoder);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_cross);
    split->addWidget(side);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);
    m_readout = new QLabel(tr("Hover a cell to read it; click a row to select that decoder position. "
                              "Wheel: zoom, drag: pan, 0: whole map."), this);
    m_readout->setTextFormat(Qt::RichText);
    m_readout->setWordWrap(true);
    m_readout->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    auto* top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_modeBox, 0, Qt::AlignTop);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(top);
    layout->addWidget(m_inputStrip);
    layout->addWidget(m_outputStrip);
    layout->addWidget(split, 1);
    layout->addWidget(m_readout);
}

void CrossAttentionView::setInput(const ViewInput& input) {
    if (input.trace == m_input.trace) {
        m_input = input;
        return;
    }
    m_input = input;
    rebuild();
}

void CrossAttentionView::setSelection(const Selection& sel) {
    m_sel = sel;
    rebuild();
}

QString CrossAttentionView::titleText() const { return m_title->text(); }
QString CrossAttentionView::readoutText() const { return m_readout->text(); }

void CrossAttentionView::rebuild() {
    const anatomy::Trace* t = m_input.trace.get();
    if (!t || !t->encoderDecoder || t->layers.empty()) {
        m_title->setText(t ? tr("<b>Cross-attention</b> — this model (%1) is decoder-only: its attention reads its own "
                                "tokens; cross-attention (decoder queries on encoder keys) is in encoder-decoder models "
                                "such as T5").arg(QString::fromStdString(t->architecture.name))
                           : tr("<b>Cross-attention</b> — no trace yet"));
        m_inputStrip->clear();
        m_outputStrip->clear();
        for (AttentionHeatmap* m : {m_cross, m_encoder, m_decoder}) m->setData(HeatmapData{}, QString());
        return;
    }
    const anatomy::EncoderDecoderTrace& e = *t->encoderDecoder;
    m_layer = std::clamp(m_sel.layer, 0, int(t->layers.size()) - 1);
    m_head = std::clamp(m_sel.head, 0, std::max(1, t->config.nHeads) - 1);
    m_row = m_sel.position < 0 ? t->nQ - 1 : std::clamp(m_sel.position, 0, std::max(1, t->nQ) - 1);
    const QString value = m_scores ? tr("score q·k + bias") : tr("probability");
    m_cross->setData(encoderDecoderMapData(*t, m_layer, m_head, EncoderDecoderMap::Cross, m_scores),
                     m_scores ? tr("score q·k") : value);
    m_encoder->setData(encoderDecoderMapData(*t, m_layer, m_head, EncoderDecoderMap::Encoder, m_scores), value);
    m_decoder->setData(encoderDecoderMapData(*t, m_layer, m_head, EncoderDecoderMap::Decoder, m_scores), value);
    m_cross->setMarkedRow(m_row);
    m_decoder->setMarkedRow(m_row);
    const std::vector<QString> enc = m_cross->data().colLabels, dec = m_cross->data().rowLabels;
    // Where the selected decoder position looks hardest in the input.
    int best = -1;
    float bestP = -1.0f;
    const anatomy::FloatArray& p = e.crossLayers[size_t(m_layer)].attnProbs;
    if (!p.empty())
        for (int j = 0; j < e.nEnc; ++j)
            if (p.at({m_head, m_row, j}) > bestP) {
                bestP = p.at({m_head, m_row, j});
                best = j;
            }
    m_inputStrip->setText(stripHtml(tr("input (encoder):"), enc, best));
    m_outputStrip->setText(stripHtml(tr("output (decoder):"), dec, m_row));
    const QString query = m_row < int(dec.size()) ? dec[size_t(m_row)] : QString();
    m_title->setText(tr("<b>Layer %1 · head %2</b> &nbsp; decoder position %3 “%4” reads the input most at %5 “%6” "
                        "(p = %7) &nbsp;<span style='color:gray'>left: cross-attention, decoder × encoder; right: the "
                        "encoder's and the decoder's self-attention</span>")
                         .arg(m_layer)
                         .arg(m_head)
                         .arg(m_row)
                         .arg(query.toHtmlEscaped())
                         .arg(best)
                         .arg(best >= 0 && best < int(enc.size()) ? enc[size_t(best)].toHtmlEscaped() : QString())
                         .arg(double(bestP), 0, 'f', 3));
}

void CrossAttentionView::hover(EncoderDecoderMap which, int row, int col) {
    const AttentionHeatmap* m = which == EncoderDecoderMap::Cross ? m_cross : which == EncoderDecoderMap::Encoder ? m_encoder : m_decoder;
    const HeatmapData& d = m->data();
    if (row < 0 || col < 0 || row >= d.rows || col >= d.cols) {
        m_readout->setText(tr("Hover a cell to read it; click a row to select that decoder position. "
                              "Wheel: zoom, drag: pan, 0: whole map."));
        return;
    }
    const QString rowWhat = which == EncoderDecoderMap::Encoder ? tr("encoder") : tr("decoder");
    const QString colWhat = which == EncoderDecoderMap::Decoder ? tr("decoder") : tr("encoder");
    const QString who = tr("%1: %2 query “<b>%3</b>” (pos %4) → %5 key “<b>%6</b>” (pos %7)")
                            .arg(mapName(which), rowWhat, d.rowLabels[size_t(row)].toHtmlEscaped())
                            .arg(row)
                            .arg(colWhat, d.colLabels[size_t(col)].toHtmlEscaped())
                            .arg(col);
    const float v = d.at(row, col);
    m_readout->setText(std::isfinite(v) ? who + tr(": %1 <b>%2</b>").arg(m_scores ? tr("score") : tr("probability"))
                                                    .arg(double(v), 0, 'f', 4)
                                        : who + tr(": not seen (causal mask: a later key)"));
}

QString CrossAttentionView::toCsv() const {
    QString out = QStringLiteral("map,layer,head,query_pos,key_pos,query_token,key_token,probability,score\n");
    const anatomy::Trace* t = m_input.trace.get();
    if (!t || !t->encoderDecoder) return out;
    auto q = [](const QString& s) { return QStringLiteral("\"%1\"").arg(QString(s).replace('"', QStringLiteral("\"\""))); };
    for (EncoderDecoderMap which : {EncoderDecoderMap::Cross, EncoderDecoderMap::Encoder, EncoderDecoderMap::Decoder}) {
        const HeatmapData p = encoderDecoderMapData(*t, m_layer, m_head, which, false);
        const HeatmapData s = encoderDecoderMapData(*t, m_layer, m_head, which, true);
        for (int r = 0; r < p.rows; ++r)
            for (int c = 0; c < p.cols; ++c) {
                const bool seen = std::isfinite(p.at(r, c));
                out += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9\n")
                           .arg(mapName(which))
                           .arg(m_layer)
                           .arg(m_head)
                           .arg(r)
                           .arg(c)
                           .arg(q(p.rowLabels[size_t(r)]), q(p.colLabels[size_t(c)]))
                           .arg(seen ? QString::number(double(p.at(r, c)), 'g', 6) : QString())
                           .arg(seen ? QString::number(double(s.at(r, c)), 'g', 6) : QString());
            }
    }
    return out;
}

}  // namespace anatomy::widgets
