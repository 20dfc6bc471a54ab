#include "plot/architecture_diagram.h"

#include <QObject>
#include <algorithm>
#include <cmath>
#include <string>

namespace anatomy::widgets {

namespace {

using Kind = DiagramBox::Kind;
using Section = DiagramBox::Section;

QString normName(const anatomy::NormSpec& n) {
    switch (n.type) {
        case anatomy::NormType::Rms: return QStringLiteral("RMSNorm");
        case anatomy::NormType::Layer: return QStringLiteral("LayerNorm");
        case anatomy::NormType::Batch: return QStringLiteral("BatchNorm");
    }
    return {};
}

QString activationName(anatomy::Activation a) {
    switch (a) {
        case anatomy::Activation::Silu: return QStringLiteral("SiLU");
        case anatomy::Activation::GeluTanh: return QStringLiteral("GELU (tanh)");
        case anatomy::Activation::GeluErf: return QStringLiteral("GELU");
        case anatomy::Activation::Relu: return QStringLiteral("ReLU");
        case anatomy::Activation::LeakyRelu: return QStringLiteral("leaky ReLU");
        case anatomy::Activation::Elu: return QStringLiteral("ELU");
        case anatomy::Activation::Swish: return QStringLiteral("Swish");
    }
    return {};
}

// The gated FFN's usual name for its activation: SwiGLU, GeGLU, ReGLU; else "gated <act>".
QString gatedName(anatomy::Activation a) {
    switch (a) {
        case anatomy::Activation::Silu:
        case anatomy::Activation::Swish: return QStringLiteral("SwiGLU");
        case anatomy::Activation::GeluTanh:
        case anatomy::Activation::GeluErf: return QStringLiteral("GeGLU");
        case anatomy::Activation::Relu: return QStringLiteral("ReGLU");
        default: return QStringLiteral("gated ") + activationName(a);
    }
}

QString attentionName(const anatomy::AttentionSpec& a) {
    if (a.kernel == anatomy::AttentionKernel::Linear) return QObject::tr("Linear attention");
    if (a.latentRank > 0) return QObject::tr("Multi-head latent attention");
    if (a.nKvHeads == 1 && a.nHeads > 1) return QObject::tr("Multi-query attention");
    if (a.nKvHeads < a.nHeads) return QObject::tr("Grouped-query attention");
    return QObject::tr("Multi-head attention");
}

QString positionsLine(const anatomy::PositionSpec& p, const anatomy::AttentionSpec& a) {
    QString s;
    switch (p.kind) {
        case anatomy::PositionEncoding::Rope: {
            s = QObject::tr("RoPE on q, k (base %1").arg(double(p.ropeBase), 0, 'g', 6);
            const anatomy::RopeScalingParams& r = p.ropeScaling;
            if (r.method != anatomy::RopeScaling::None) {
                static const char* names[] = {"none", "linear", "NTK", "dynamic NTK", "NTK-by-parts", "YaRN", "Llama 3"};
                s += QObject::tr(", %1 s = %2").arg(QString::fromLatin1(names[int(r.method)])).arg(double(r.factor), 0, 'g', 4);
            }
            s += QLatin1Char(')');
            if (a.dualChunkRope) s += QObject::tr(", dual chunk");
            break;
        }
        case anatomy::PositionEncoding::Alibi: s = QObject::tr("ALiBi: − slope·|i − j| on the scores"); break;
        case anatomy::PositionEncoding::None: s = QObject::tr("no positions (NoPE)"); break;
    }
    return s;
}

bool anyKey(const std::vector<std::string>& changed, std::initializer_list<const char*> prefixes) {
    for (const std::string& c : changed)
        for (const char* p : prefixes)
            if (c.rfind(p, 0) == 0) return true;
    return false;
}

bool headsChangedIn(const anatomy::SimSettings& s, int layer) {
    for (const anatomy::HeadIntervention& h : s.heads)
        if (h.layer == layer) return true;
    return false;
}

QPolygonF poly(std::initializer_list<QPointF> pts) {
    QPolygonF p;
    for (const QPointF& q : pts) p << q;
    return p;
}

}  // namespace

double diagramTextScale(QSizeF size) {
    return std::clamp(std::min(size.width() / 1280.0, size.height() / 640.0), 1.0, 1.5);
}

QString placementName(const anatomy::ResidualSpec& r) {
    switch (r.placement) {
        case anatomy::NormPlacement::Pre: return QObject::tr("pre-norm");
        case anatomy::NormPlacement::Post: return QObject::tr("post-norm");
        case anatomy::NormPlacement::Sandwich: return QObject::tr("sandwich norm");
        case anatomy::NormPlacement::DeepNorm:
            return QObject::tr("DeepNorm (α = %1)").arg(double(r.deepNormAlpha), 0, 'f', 2);
    }
    return {};
}

QString maskName(const anatomy::AttentionSpec& a) {
    QString s;
    switch (a.mask) {
        case anatomy::AttentionMask::Causal: s = QObject::tr("causal"); break;
        case anatomy::AttentionMask::Bidirectional: s = QObject::tr("bidirectional"); break;
        case anatomy::AttentionMask::PrefixLm: s = QObject::tr("prefix-LM (%1)").arg(a.prefixLength); break;
    }
    switch (a.sparse) {
        case anatomy::SparsePattern::None: break;
        case anatomy::SparsePattern::SlidingWindow: s += QObject::tr(", sliding window %1").arg(a.window); break;
        case anatomy::SparsePattern::SinksWindow:
            s += QObject::tr(", %1 sinks + window %2").arg(a.sinks).arg(a.window);
            break;
        case anatomy::SparsePattern::BlockStrided:
            s += QObject::tr(", window %1 + stride %2").arg(a.window).arg(a.stride);
            break;
        case anatomy::SparsePattern::DualChunk: s += QObject::tr(", dual chunks of %1").arg(a.chunk); break;
        case anatomy::SparsePattern::ShiftedSparse: s += QObject::tr(", shifted groups of %1").arg(a.s2Group); break;
    }
    return s;
}

std::vector<const DiagramBox*> ArchitectureDiagram::layerBoxes() const {
    std::vector<const DiagramBox*> out;
    for (const DiagramBox& b : boxes)
        if (b.kind == Kind::Layer) out.push_back(&b);
    return out;
}

std::vector<const DiagramBox*> ArchitectureDiagram::section(DiagramBox::Section s) const {
    std::vector<const DiagramBox*> out;
    for (const DiagramBox& b : boxes)
        if (b.section == s) out.push_back(&b);
    return out;
}

const DiagramBox* ArchitectureDiagram::boxAt(QPointF p) const {
    const DiagramBox* hit = nullptr;
    for (const DiagramBox& b : boxes)
        if (b.kind != Kind::Stream && b.rect.contains(p) && (!hit || b.rect.width() * b.rect.height() <
                                                              hit->rect.width() * hit->rect.height()))
            hit = &b;
    return hit;
}

ArchitectureDiagram architectureDiagram(const anatomy::Trace& t, int openLayer, QSizeF size, double titleHeight) {
    ArchitectureDiagram d;
    const anatomy::Architecture& arch = t.architecture;
    const anatomy::ModelConfig& c = t.config;
    const int n = int(arch.layers.size());
    if (n == 0) return d;
    if (arch.encoderDecoder.enabled) return encoderDecoderDiagram(t, openLayer, size, titleHeight);
    d.openLayer = std::clamp(openLayer, 0, n - 1);
    const std::vector<std::string> changed = anatomy::assignments(t.settings);
    const bool normChanged = anyKey(changed, {"norm."});
    const bool attnChanged = anyKey(changed, {"attn.", "pos", "rope.", "kv."});
    const bool ffnChanged = anyKey(changed, {"ffn.", "moe."});
    const anatomy::LayerSpec& L0 = arch.layers[0];
    d.title = QObject::tr("%1 layers · d_model %2 · %3 heads (%4 KV) · d_k %5 · FFN %6 · vocab %7 · context %8")
                  .arg(n).arg(c.dim).arg(L0.attention.nHeads).arg(L0.attention.nKvHeads).arg(L0.attention.headSize)
                  .arg(c.hiddenDim).arg(c.vocabSize).arg(c.seqLen);
    d.knobs = changed.empty() ? QObject::tr("as trained (no knob changed)")
                              : QObject::tr("knobs: %1").arg(QString::fromStdString(anatomy::describe(t.settings)));

    const double W = size.width(), H = size.height(), m = 10;
    const double top = titleHeight + m, bottom = H - m;
    const double ovW = std::clamp(W * 0.30, 200.0, 560.0);

    // ---- overview: tokens -> embedding -> layers -> final norm -> classifier -> logits ----
    // At full size: the end boxes 26 (tokens, logits) and 48 / 36 px (embedding, classifier,
    // final norm), layers 40 px, gaps 14 px; everything shrinks by one factor to fit the canvas
    // (down to legible minima), and only a very short canvas puts several layers in one box.
    const double avail = bottom - top;
    const double full = 2 * 26 + 2 * 48 + 36 + 5 * 14 + n * (40.0 + 14);
    const double f = std::min(1.6, avail / full);
    d.textScale = diagramTextScale(size);
    const double endH = std::max(18.0, 26 * f), ioH = std::max(24.0, 48 * f), finH = std::max(22.0, 36 * f);
    const double gap = std::max(6.0, 14 * f);
    const double forLayers = avail - 2 * endH - 2 * ioH - finH - 5 * gap;
    const int maxBoxes = std::max(1, int(forLayers / (16 + gap)));
    const int per = (n + maxBoxes - 1) / maxBoxes;  // layers per box: 1 unless the canvas is short
    const int nBoxes = (n + per - 1) / per;
    const double layerH = std::clamp(forLayers / nBoxes - gap, 14.0, 64.0 * std::max(1.0, f));
    const double ox = m;
    double y = top;
    auto overview = [&](Kind k, double h, const QString& title, const QStringList& lines, const QString& view) {
        DiagramBox b;
        b.kind = k;
        b.rect = QRectF(ox, y, ovW, h);
        b.title = title;
        b.lines = lines;
        b.view = view;
        if (!d.boxes.empty() && d.boxes.back().section == Section::None)
            d.arrows.push_back(poly({{ox + ovW / 2, y - gap}, {ox + ovW / 2, y}}));
        y += h + gap;
        d.boxes.push_back(b);
        return &d.boxes.back();
    };
    overview(Kind::Tokens, endH, QObject::tr("tokens (%1)").arg(t.tokens.size()), {}, QStringLiteral("tokens"));
    QStringList embeddingLines{QObject::tr("vocab %1 × d %2").arg(c.vocabSize).arg(c.dim)};
    if (arch.embeddings.tokenType || arch.embeddings.norm)  // BERT: + P[pos] + T[0], then LayerNorm
        embeddingLines << QObject::tr("+ positions + token type%1").arg(arch.embeddings.norm ? QObject::tr(", LayerNorm") : QString());
    overview(Kind::Embedding, ioH, QObject::tr("Embedding"), embeddingLines, QStringLiteral("positions"));
    for (int b = 0; b < nBoxes; ++b) {
        const int l0 = b * per, l1 = std::min(n, l0 + per) - 1;
        const anatomy::LayerSpec& L = arch.layers[size_t(l0)];
        const QString title = l0 == l1 ? QObject::tr("Layer %1").arg(l0) : QObject::tr("Layers %1–%2").arg(l0).arg(l1);
        const QString ffn = L.ffn.nExperts > 0 ? QObject::tr("MoE %1").arg(L.ffn.nExperts)
                            : L.ffn.gated      ? gatedName(L.ffn.activation)
                                               : activationName(L.ffn.activation);
        DiagramBox* box = overview(Kind::Layer, layerH, title,
                                   {placementName(L.residual) + QStringLiteral(" ") + normName(L.norm) +
                                        QStringLiteral(" \u00B7 ") + ffn,
                                    maskName(L.attention) + QStringLiteral(" \u00B7 ") +
                                        (L.attention.latentRank > 0
                                             ? QObject::tr("%1 heads · MLA latent %2").arg(L.attention.nHeads).arg(L.attention.latentRank)
                                             : QObject::tr("%1 q / %2 kv heads").arg(L.attention.nHeads).arg(L.attention.nKvHeads))},
                                   {});
        box->layer = l0;
        box->selected = d.openLayer >= l0 && d.openLayer <= l1;
        for (int l = l0; l <= l1; ++l) box->changed = box->changed || normChanged || attnChanged || ffnChanged ||
                                                      headsChangedIn(t.settings, l);
    }
    if (!arch.languageModel) {
        // An encoder: no final norm, no classifier; the hidden states are pooled into one vector.
        d.title = QObject::tr("encoder · ") + d.title;
        const QString how = arch.pooling == anatomy::Pooling::Mean ? QObject::tr("mean of the %1 tokens' states").arg(t.tokens.size())
                            : arch.pooling == anatomy::Pooling::Cls ? QObject::tr("the [CLS] token's state")
                            : arch.pooling == anatomy::Pooling::Last ? QObject::tr("the last token's state")
                                                                     : QObject::tr("none: one vector per token");
        overview(Kind::Pooling, ioH, QObject::tr("Pooling (%1), no LM head").arg(QString::fromLatin1(anatomy::poolingName(arch.pooling))),
                 {how, QObject::tr("e / ‖e‖₂")}, QStringLiteral("embedding"));
        overview(Kind::Logits, endH, QObject::tr("sentence embedding (d %1) → similarity").arg(c.dim), {},
                 QStringLiteral("embedding"));
    } else {
        DiagramBox* fin = overview(Kind::FinalNorm, finH, QObject::tr("Final %1").arg(normName(arch.finalNorm)), {},
                                   QStringLiteral("norms"));
        fin->changed = anyKey(changed, {"norm.type", "norm.eps"});  // the placement leaves it as it is
        overview(Kind::Classifier, ioH, QObject::tr("Classifier"),
                 {QObject::tr("d %1 → %2, %3").arg(c.dim).arg(c.vocabSize)
                      .arg(arch.embeddings.tiedClassifier ? QObject::tr("tied to the embedding") : QObject::tr("own weights"))},
                 QStringLiteral("lens"));
        overview(Kind::Logits, endH, QObject::tr("logits → sampling"), {}, QStringLiteral("sampling"));
    }

    // ---- the opened layer ----
    const anatomy::LayerSpec& L = arch.layers[size_t(d.openLayer)];
    const double x0 = ox + ovW + 3 * m, x1 = W - m;
    d.detailFrame = QRectF(x0, top, x1 - x0, bottom - top);
    // Connector from the opened overview box to the frame.
    for (const DiagramBox& b : d.boxes)
        if (b.selected) d.lines.push_back(poly({{b.rect.right(), b.rect.center().y()}, {x0, top + 14}}));
    const double sx = x0 + 70 * d.textScale;  // the residual stream's x
    DiagramBox stream;
    stream.kind = Kind::Stream;
    stream.layer = d.openLayer;
    stream.rect = QRectF(x0 + 8, top + 8, std::min(320.0 * d.textScale, x1 - x0 - 16), 28 * d.textScale);
    stream.title = QObject::tr("Layer %1: residual stream x, d %2").arg(d.openLayer).arg(c.dim);
    stream.view = QStringLiteral("norms");
    d.boxes.push_back(stream);

    const bool normsInput = L.residual.placement == anatomy::NormPlacement::Pre ||
                            L.residual.placement == anatomy::NormPlacement::Sandwich;
    const bool sandwich = L.residual.placement == anatomy::NormPlacement::Sandwich;
    const bool inlineNorm = !normsInput;  // post and DeepNorm normalise the stream after the add
    const bool deep = L.residual.placement == anatomy::NormPlacement::DeepNorm;
    const double secTop = stream.rect.bottom() + 12;
    const double secH = (bottom - 8 - secTop) / 2;
    std::vector<double> streamStops{stream.rect.bottom()};  // y of each element on the stream, in order
    std::vector<double> streamResumes{stream.rect.bottom()};

    auto sectionBoxes = [&](Section sec, double sy) {
        const double ts = d.textScale;
        const double inlineH = inlineNorm ? (34 + 12) * ts : 0;
        const double addR = 12 * ts;
        // The section from top to bottom: 4, the row of boxes, 12, the add, the norm on the stream.
        const double bh = std::max(44.0, std::min(secH - 4 - 12 - 2 * addR - inlineH - 14, secH * 0.7));
        const double ry = sy + 4;
        const double branchY = ry + bh / 2;
        const double addY = ry + bh + 12 + addR;
        const double bx = sx + 36, rw = x1 - 10 - bx;
        const int nNorms = normsInput ? (sandwich ? 2 : 1) : 0;
        const double ag = 26;
        const double nw = std::clamp(rw * 0.17, 84.0, 150.0 * d.textScale);
        const double fw = std::max(120.0, rw - nNorms * (nw + ag));
        double x = bx;
        const bool changedHere = sec == Section::Attention ? attnChanged || headsChangedIn(t.settings, d.openLayer) : ffnChanged;
        auto normBox = [&](double left, double top, double w, double h, bool gainOne) {
            DiagramBox b;
            b.kind = Kind::Norm;
            b.section = sec;
            b.layer = d.openLayer;
            b.rect = QRectF(left, top, w, h);
            b.title = normName(L.norm);
            b.lines = {gainOne ? QObject::tr("gain 1") : QObject::tr("ε %1").arg(double(L.norm.eps), 0, 'g', 3)};
            b.changed = normChanged;
            b.view = QStringLiteral("norms");
            return b;
        };
        // Branch from the stream to the first box.
        d.arrows.push_back(poly({{sx, branchY}, {bx, branchY}}));
        d.junctions.emplace_back(sx, branchY);
        if (normsInput) {
            d.boxes.push_back(normBox(x, ry + bh / 2 - 28 * d.textScale, nw, 56 * d.textScale, false));
            x += nw + ag;
            d.arrows.push_back(poly({{x - ag, branchY}, {x, branchY}}));
        }
        DiagramBox f;
        f.section = sec;
        f.layer = d.openLayer;
        f.rect = QRectF(x, ry, fw, bh);
        f.changed = changedHere;
        if (sec == Section::Attention) {
            const anatomy::AttentionSpec& a = L.attention;
            f.kind = Kind::Attention;
            f.title = attentionName(a);
            f.queryHeads = a.nHeads;
            f.kvGroups = a.nKvHeads;
            QString score = a.kernel == anatomy::AttentionKernel::Linear
                                ? QObject::tr("φ(q)·φ(k) weights, φ = elu + 1")
                                : QObject::tr("softmax(q·k / √%1%2) · v").arg(a.headSize)
                                      .arg(a.scale * a.temperature != 1.0f
                                               ? QObject::tr(" × %1").arg(double(a.scale * a.temperature), 0, 'g', 3)
                                               : QString());
            const QString heads = a.nKvHeads == 1
                                      ? QObject::tr("%1 query heads, 1 KV head, d_k %2").arg(a.nHeads).arg(a.headSize)
                                      : QObject::tr("%1 query heads, %2 KV heads, d_k %3")
                                            .arg(a.nHeads).arg(a.nKvHeads).arg(a.headSize);
            f.lines = {heads,
                       score, QObject::tr("mask: %1").arg(maskName(a)), arch.embeddings.learnedPositions ? QObject::tr("positions: learned, added to the embedding") : positionsLine(arch.positions, a),
                       QObject::tr("Wq %1→%2, Wk Wv %1→%3, Wo %2→%1").arg(c.dim).arg(a.nHeads * a.headSize)
                           .arg(a.nKvHeads * a.headSize)};
            if (a.latentRank > 0) {
                // MLA (latent_attention.h): the cache holds c = W_dkv h and k_r, not K and V.
                const int wide = a.headSize + a.latentRopeDim;
                f.lines = {QObject::tr("MLA: %1 heads from a latent of rank %2 + RoPE key %3").arg(a.nHeads).arg(a.latentRank)
                               .arg(a.latentRopeDim),
                           QObject::tr("softmax(q·[k_c; k_r] / √%1) · v").arg(wide),
                           QObject::tr("mask: %1").arg(maskName(a)),
                           QObject::tr("KV cache: %1 floats per token (MHA: %2)").arg(a.latentRank + a.latentRopeDim)
                               .arg(2 * a.nHeads * a.headSize),
                           QObject::tr("W_dkv %1→%2, W_uk W_uv %2→%3, Wo %3→%1").arg(c.dim).arg(a.latentRank)
                               .arg(a.nHeads * a.headSize)};
            }
            if (!a.heads.empty()) f.lines << QObject::tr("%1 head(s) ablated or gated").arg(a.heads.size());
            f.view = QStringLiteral("attention");
        } else {
            const anatomy::FfnSpec& ff = L.ffn;
            f.kind = Kind::Ffn;
            f.experts = ff.nExperts;
            f.title = ff.nExperts > 0 ? QObject::tr("Mixture of experts (%1)").arg(ff.gated ? gatedName(ff.activation)
                                                                                          : activationName(ff.activation))
                      : ff.gated ? QObject::tr("Feed-forward, %1").arg(gatedName(ff.activation))
                                 : QObject::tr("Feed-forward, %1").arg(activationName(ff.activation));
            f.lines = {ff.gated ? QObject::tr("W2 (%1(W1 h) ⊙ W3 h)").arg(activationName(ff.activation))
                                : QObject::tr("W2 %1(W1 h)").arg(activationName(ff.activation)),
                       QObject::tr("d %1 → %2 → %1").arg(c.dim).arg(c.hiddenDim)};
            if (ff.nExperts > 0)
                f.lines << QObject::tr("%1 experts, top-%2 per token, router score cₑ·x")
                               .arg(ff.nExperts).arg(arch.moe.topK);
            f.view = ff.nExperts > 0 ? QStringLiteral("routing") : QStringLiteral("activations");
        }
        d.boxes.push_back(f);
        x += fw;
        if (sandwich) {
            d.arrows.push_back(poly({{x, branchY}, {x + ag, branchY}}));
            d.boxes.push_back(normBox(x + ag, ry + bh / 2 - 28 * d.textScale, nw, 56 * d.textScale, true));
            x += ag + nw;
        }
        // Back into the stream: down from the last box, then left into the add.
        const double lastCx = d.boxes.back().rect.center().x(), lastBottom = d.boxes.back().rect.bottom();
        d.arrows.push_back(poly({{lastCx, lastBottom}, {lastCx, addY}, {sx + addR, addY}}));
        DiagramBox add;
        add.kind = Kind::Add;
        add.section = sec;
        add.layer = d.openLayer;
        add.rect = QRectF(sx - addR, addY - addR, 2 * addR, 2 * addR);
        add.title = QStringLiteral("+");
        if (deep) add.lines = {QObject::tr("α x + F(x), α = %1").arg(double(L.residual.deepNormAlpha), 0, 'f', 2)};
        add.changed = normChanged;
        add.view = QStringLiteral("norms");
        d.boxes.push_back(add);
        streamStops.push_back(add.rect.top());
        streamResumes.push_back(add.rect.bottom());
        if (inlineNorm) {
            DiagramBox nb = normBox(sx - 60 * ts, add.rect.bottom() + 12 * ts, 120 * ts, 34 * ts, false);
            nb.lines.clear();
            d.boxes.push_back(nb);
            streamStops.push_back(nb.rect.top());
            streamResumes.push_back(nb.rect.bottom());
        }
    };
    sectionBoxes(Section::Attention, secTop);
    sectionBoxes(Section::Ffn, secTop + secH);
    // The stream itself, element to element, ending in an arrow to the next layer.
    streamStops.push_back(bottom - 4);
    for (size_t i = 0; i + 1 < streamStops.size(); ++i)
        d.arrows.push_back(poly({{sx, streamResumes[i]}, {sx, streamStops[i + 1]}}));
    return d;
}

}  // namespace anatomy::widgets
