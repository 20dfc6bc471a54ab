// The block diagram of an encoder-decoder architecture (T5, encoder_decoder.h): two stacks side by
// side and cross-attention arrows from the encoder output into every decoder layer.
//   left:   input tokens -> embedding (shared) -> encoder layers -> final norm -> encoder output e
//   middle: output tokens (from the start token) -> embedding -> decoder layers -> final norm ->
//           classifier -> logits;  e -> each decoder layer (its cross-attention keys and values)
//   right:  the selected decoder layer opened up: x -> N -> self-attention -> (+) -> N ->
//           cross-attention(q from x; k, v from e) -> (+) -> N -> FFN -> (+)
#include <QObject>
#include <algorithm>

#include "anatomy/encoder_decoder.h"
#include "plot/architecture_diagram.h"

namespace anatomy::widgets {

namespace {

using Kind = DiagramBox::Kind;
using Section = DiagramBox::Section;

QPolygonF poly(std::initializer_list<QPointF> pts) {
    QPolygonF p;
    for (const QPointF& q : pts) p << q;
    return p;
}

QString ffnName(const anatomy::FfnSpec& f) {
    return f.gated ? QObject::tr("GeGLU") : QObject::tr("ReLU FFN");
}

}  // namespace

ArchitectureDiagram encoderDecoderDiagram(const anatomy::Trace& t, int openLayer, QSizeF size, double titleHeight) {
    ArchitectureDiagram d;
    const anatomy::Architecture& arch = t.architecture;
    const anatomy::EncoderDecoderSpec& ed = arch.encoderDecoder;
    const anatomy::ModelConfig& c = t.config;
    const int n = int(arch.layers.size());
    if (n == 0) return d;
    d.openLayer = std::clamp(openLayer, 0, n - 1);
    const anatomy::LayerSpec& L0 = arch.layers[0];
    d.title = QObject::tr("encoder-decoder · %1 + %1 layers · d %2 · %3 heads · d_kv %4 · "
                          "FFN %5 · vocab %6")
                  .arg(n).arg(c.dim).arg(L0.attention.nHeads).arg(L0.attention.headSize).arg(c.hiddenDim)
                  .arg(c.vocabSize);
    d.knobs = QObject::tr("as trained (the simulator's knobs are for decoder-only models)");
    d.textScale = diagramTextScale(size);
    const int nEnc = t.encoderDecoder ? t.encoderDecoder->nEnc : 0;

    const double W = size.width(), H = size.height(), m = 10;
    const double top = titleHeight + m, bottom = H - m;
    const double colW = std::clamp(W * 0.22, 170.0, 420.0), bus = 28;
    const double ex = m, dx = ex + colW + bus + 2 * m;
    const double avail = bottom - top;
    // Per column: tokens, embedding, n layers, final norm, and the encoder output or the
    // classifier and logits: at most n + 6 boxes, one gap each.
    const double gap = std::clamp(avail / (n + 6) * 0.25, 4.0, 14.0);
    const double unit = (avail - (n + 5) * gap) / (n + 6);
    const double endH = std::clamp(unit * 0.8, 16.0, 30.0), ioH = std::clamp(unit, 18.0, 44.0);
    const double layerH = std::clamp((avail - 2 * endH - 3 * ioH - (n + 5) * gap) / std::max(1, n), 14.0, 60.0);

    auto column = [&](double x, double& y, Kind k, double h, const QString& title, const QStringList& lines,
                      const QString& view, int layer = -1) {
        DiagramBox b;
        b.kind = k;
        b.rect = QRectF(x, y, colW, h);
        b.title = title;
        b.lines = lines;
        b.view = view;
        b.layer = layer;
        if (y > top + 1) d.arrows.push_back(poly({{x + colW / 2, y - gap}, {x + colW / 2, y}}));
        y += h + gap;
        d.boxes.push_back(b);
        return d.boxes.size() - 1;
    };
    // ---- the encoder ----
    double y = top;
    column(ex, y, Kind::Tokens, endH, QObject::tr("input tokens (%1)").arg(nEnc), {}, QStringLiteral("cross"));
    column(ex, y, Kind::Embedding, ioH, QObject::tr("Embedding (shared)"),
           {QObject::tr("vocab %1 × d %2, no positions").arg(c.vocabSize).arg(c.dim)}, QStringLiteral("positions"));
    for (int l = 0; l < n; ++l) {
        const anatomy::LayerSpec& L = ed.encoderLayers.empty() ? arch.layers[size_t(l)] : ed.encoderLayers[size_t(l)];
        column(ex, y, Kind::Layer, layerH, QObject::tr("Encoder layer %1").arg(l),
               {QObject::tr("bidirectional self-attn + bias · %1").arg(ffnName(L.ffn))}, QStringLiteral("cross"), l);
    }
    column(ex, y, Kind::FinalNorm, ioH * 0.8, QObject::tr("Final RMS norm"), {}, QStringLiteral("norms"));
    const size_t encOut = column(ex, y, Kind::Logits, ioH, QObject::tr("encoder output e"),
                                 {QObject::tr("%1 × d %2, read by every decoder layer").arg(nEnc).arg(c.dim)},
                                 QStringLiteral("cross"));
    // ---- the decoder ----
    y = top;
    column(dx, y, Kind::Tokens, endH, QObject::tr("output tokens (%1, from start %2)").arg(t.tokens.size()).arg(ed.decoderStartToken),
           {}, QStringLiteral("tokens"));
    column(dx, y, Kind::Embedding, ioH, QObject::tr("Embedding (shared)"),
           {QObject::tr("vocab %1 × d %2").arg(c.vocabSize).arg(c.dim)}, QStringLiteral("positions"));
    std::vector<size_t> decLayers;
    for (int l = 0; l < n; ++l) {
        const size_t i = column(dx, y, Kind::Layer, layerH, QObject::tr("Decoder layer %1").arg(l),
                                {QObject::tr("self-attn + bias · cross-attn · %1").arg(ffnName(arch.layers[size_t(l)].ffn))},
                                {}, l);
        d.boxes[i].selected = l == d.openLayer;
        decLayers.push_back(i);
    }
    column(dx, y, Kind::FinalNorm, ioH * 0.8, QObject::tr("Final RMS norm"), {}, QStringLiteral("norms"));
    column(dx, y, Kind::Classifier, ioH, QObject::tr("Classifier"),
           {QObject::tr("d %1 → %2, %3").arg(c.dim).arg(c.vocabSize)
                .arg(arch.embeddings.tiedClassifier ? QObject::tr("tied, unscaled") : QObject::tr("own weights"))},
           QStringLiteral("lens"));
    column(dx, y, Kind::Logits, endH, QObject::tr("logits → sampling"), {}, QStringLiteral("sampling"));
    // ---- cross-attention: e up a bus between the columns into every decoder layer ----
    const QRectF eo = d.boxes[encOut].rect;
    const double busX = ex + colW + bus / 2 + m;
    d.lines.push_back(poly({{eo.right(), eo.center().y()}, {busX, eo.center().y()}}));
    double busTop = eo.center().y();
    for (size_t i : decLayers) busTop = std::min(busTop, d.boxes[i].rect.center().y());
    d.lines.push_back(poly({{busX, eo.center().y()}, {busX, busTop}}));
    for (size_t i : decLayers) {
        const QRectF r = d.boxes[i].rect;
        const QPolygonF a = poly({{busX, r.center().y()}, {r.left(), r.center().y()}});
        d.arrows.push_back(a);
        d.crossArrows.push_back(a);
        d.junctions.emplace_back(busX, r.center().y());
    }

    // ---- the opened decoder layer ----
    const anatomy::LayerSpec& L = arch.layers[size_t(d.openLayer)];
    const double x0 = dx + colW + 3 * m, x1 = W - m;
    d.detailFrame = QRectF(x0, top, x1 - x0, bottom - top);
    d.lines.push_back(poly({{d.boxes[decLayers[size_t(d.openLayer)]].rect.right(),
                             d.boxes[decLayers[size_t(d.openLayer)]].rect.center().y()}, {x0, top + 14}}));
    const double ts = d.textScale, sx = x0 + 40 * ts;
    DiagramBox stream;
    stream.kind = Kind::Stream;
    stream.layer = d.openLayer;
    stream.rect = QRectF(x0 + 8, top + 8, std::min(320.0 * ts, x1 - x0 - 16), 28 * ts);
    stream.title = QObject::tr("Decoder layer %1: residual stream x, d %2").arg(d.openLayer).arg(c.dim);
    stream.view = QStringLiteral("norms");
    d.boxes.push_back(stream);
    const double secTop = stream.rect.bottom() + 10, secH = (bottom - 6 - secTop) / 3, addR = 11 * ts;
    const double bx = sx + 30, nw = std::clamp((x1 - bx) * 0.22, 70.0, 130.0 * ts), ag = 20;
    const double fw = std::max(100.0, x1 - 10 - bx - nw - ag);
    double prev = stream.rect.bottom();
    struct Part {
        Section section;
        Kind kind;
        QString title;
        QStringList lines;
        QString view;
    };
    const QString score = QObject::tr("softmax(q·k + B[bucket(j − i), h]) · v, no 1/√d_k");
    const Part parts[] = {
        {Section::Attention, Kind::Attention, QObject::tr("Self-attention (causal)"),
         {QObject::tr("%1 heads, d_kv %2").arg(L.attention.nHeads).arg(L.attention.headSize), score,
          QObject::tr("relative bias: %1 buckets, max distance %2").arg(ed.relativeBuckets).arg(ed.relativeMaxDistance)},
         QStringLiteral("attention")},
        {Section::Attention, Kind::Attention, QObject::tr("Cross-attention"),
         {QObject::tr("q from x; k, v from e (once)"), QObject::tr("softmax(q·k)·v, %1 keys").arg(nEnc)},
         QStringLiteral("cross")},
        {Section::Ffn, Kind::Ffn, L.ffn.gated ? QObject::tr("Feed-forward, gated GELU") : QObject::tr("Feed-forward, ReLU"),
         {L.ffn.gated ? QObject::tr("W2 (GELU(W1 h) ⊙ W3 h)") : QObject::tr("W2 ReLU(W1 h)"),
          QObject::tr("d %1 → %2 → %1").arg(c.dim).arg(c.hiddenDim)},
         QStringLiteral("activations")},
    };
    for (int k = 0; k < 3; ++k) {
        const Part& part = parts[k];
        const double sy = secTop + k * secH;
        const double bh = std::max(36.0, secH - 2 * addR - 22);
        const double branchY = sy + 4 + bh / 2, addY = sy + 4 + bh + 8 + addR;
        d.arrows.push_back(poly({{sx, branchY}, {bx, branchY}}));
        d.junctions.emplace_back(sx, branchY);
        DiagramBox nb;
        nb.kind = Kind::Norm;
        nb.section = part.section;
        nb.layer = d.openLayer;
        nb.rect = QRectF(bx, branchY - 24 * ts, nw, 48 * ts);
        nb.title = QObject::tr("RMS norm");
        nb.lines = {QObject::tr("no mean, no bias")};
        nb.view = QStringLiteral("norms");
        d.boxes.push_back(nb);
        d.arrows.push_back(poly({{bx + nw, branchY}, {bx + nw + ag, branchY}}));
        DiagramBox f;
        f.kind = part.kind;
        f.section = part.section;
        f.layer = d.openLayer;
        // The cross-attention leaves room on its right for e, the encoder output it reads.
        const double eW = k == 1 ? std::clamp(fw * 0.2, 60.0, 110.0 * ts) : 0.0;
        f.rect = QRectF(bx + nw + ag, sy + 4, fw - (k == 1 ? eW + ag : 0.0), bh);
        f.title = part.title;
        f.lines = part.lines;
        f.view = part.view;
        if (part.kind == Kind::Attention) {
            f.queryHeads = L.attention.nHeads;
            f.kvGroups = L.attention.nKvHeads;
        }
        d.boxes.push_back(f);
        if (k == 1) {  // e enters the cross-attention from the side: its keys and values
            DiagramBox eb;
            eb.kind = Kind::Logits;
            eb.section = part.section;
            eb.layer = d.openLayer;
            eb.rect = QRectF(f.rect.right() + ag, f.rect.center().y() - 24 * ts, eW, 48 * ts);
            eb.title = QObject::tr("e");
            eb.lines = {QObject::tr("encoder")};
            eb.view = QStringLiteral("cross");
            d.boxes.push_back(eb);
            const QPolygonF a = poly({{eb.rect.left(), eb.rect.center().y()}, {f.rect.right(), eb.rect.center().y()}});
            d.arrows.push_back(a);
            d.crossArrows.push_back(a);
            std::swap(d.boxes[d.boxes.size() - 1], d.boxes[d.boxes.size() - 2]);  // f last: the arrow below leaves it
        }
        d.arrows.push_back(poly({{f.rect.center().x(), f.rect.bottom()}, {f.rect.center().x(), addY}, {sx + addR, addY}}));
        DiagramBox add;
        add.kind = Kind::Add;
        add.section = part.section;
        add.layer = d.openLayer;
        add.rect = QRectF(sx - addR, addY - addR, 2 * addR, 2 * addR);
        add.title = QStringLiteral("+");
        add.view = QStringLiteral("norms");
        d.boxes.push_back(add);
        d.arrows.push_back(poly({{sx, prev}, {sx, add.rect.top()}}));
        prev = add.rect.bottom();
    }
    d.arrows.push_back(poly({{sx, prev}, {sx, bottom - 4}}));
    return d;
}

}  // namespace anatomy::widgets
