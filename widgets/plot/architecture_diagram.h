#pragma once
// The model as a block diagram, laid out from the Architecture the trace ran (architecture.h:
// the file's description edited by the simulator's knobs), so it redraws when a knob moves.
//   left:  tokens -> embedding -> one box per layer -> final norm -> classifier -> logits
//          (an encoder, BERT: tokens -> embedding + LayerNorm -> layers -> pooling -> embedding e)
//   right: the selected layer opened up, the residual stream x running down the left edge and
//          each sublayer wired to it as its norm placement says (block.h):
//            pre       x -> N -> F -> (+)            sandwich  x -> N -> F -> N1 -> (+)
//            post      x -> F -> (+) -> N            deepnorm  x -> F -> (+ alpha x) -> N
// Boxes carry the shapes from the config (d_model, heads, KV heads, FFN width, vocabulary) and
// are marked where a knob departs from the model as trained. Clicking a box opens its view.
// The layout is a pure function of (trace, selected layer, size), so tests read it directly.
#include <QPolygonF>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <vector>

#include "anatomy/trace.h"

namespace anatomy::widgets {

struct DiagramBox {
    enum class Kind { Tokens, Embedding, Layer, FinalNorm, Classifier, Logits, Stream, Norm, Attention, Ffn, Add, Pooling };
    enum class Section { None, Attention, Ffn };
    Kind kind = Kind::Tokens;
    Section section = Section::None;  // in the opened layer: which sublayer the box belongs to
    int layer = -1;                   // the layer it stands for (-1: none)
    QRectF rect;
    QString title;                    // first line, bold
    QStringList lines;                // details (shapes, variant)
    bool changed = false;             // a knob departs from the model as trained here
    bool selected = false;            // the overview's box of the opened layer
    QString view;                     // the view a click opens ("attention", "norms", ...), or empty
    int kvGroups = 0;                 // Attention: KV heads, drawn as groups of query-head squares
    int queryHeads = 0;
    int experts = 0;                  // Ffn with MoE: expert squares
};

struct ArchitectureDiagram {
    QString title;                    // "5 layers · d_model 64 · 8 heads (4 KV) · ..."
    QString knobs;                    // "knobs: norm.placement=post" or "as trained"
    int openLayer = 0;
    double textScale = 1.0;           // the painter's point sizes times this (large canvases)
    std::vector<DiagramBox> boxes;    // overview first (top to bottom), then the opened layer in flow order
    std::vector<QPolygonF> arrows;    // polylines, arrowhead at the last point
    std::vector<QPolygonF> lines;     // plain connectors (no arrowhead)
    std::vector<QPointF> junctions;   // where a sublayer branches off the residual stream
    std::vector<QPolygonF> crossArrows;  // encoder-decoder: e into each decoder layer (also in arrows)
    QRectF detailFrame;               // the opened layer's frame
    // The overview boxes of kind Layer, in order; the opened layer's boxes of one section in
    // flow order.
    std::vector<const DiagramBox*> layerBoxes() const;
    std::vector<const DiagramBox*> section(DiagramBox::Section s) const;
    // The box under a point (the innermost), or null.
    const DiagramBox* boxAt(QPointF p) const;
};

// Lays out the trace's architecture in a canvas of size (pixels); the title and knob lines go
// above and are the caller's to draw in the first titleHeight pixels.
ArchitectureDiagram architectureDiagram(const anatomy::Trace& trace, int openLayer, QSizeF size,
                                        double titleHeight);

// The same for an encoder-decoder (T5, encoder_decoder_diagram.cpp): the encoder and decoder
// stacks side by side, cross-attention arrows from the encoder output into every decoder layer,
// and the selected decoder layer opened up (self-attention, cross-attention, FFN).
// architectureDiagram calls it for such a trace.
ArchitectureDiagram encoderDecoderDiagram(const anatomy::Trace& trace, int openLayer, QSizeF size, double titleHeight);

// Text grows with a large canvas (a 1920x1080 projector), never below lecture size: 1 up to
// 1280x640, then with the canvas, at most 1.5.
double diagramTextScale(QSizeF size);
// "pre-norm", "post-norm", "sandwich norm", "DeepNorm (α = 1.78)".
QString placementName(const anatomy::ResidualSpec& r);
// "causal", "bidirectional", "prefix-LM (8)", plus the sparse pattern ("sliding window 64", ...).
QString maskName(const anatomy::AttentionSpec& a);

}  // namespace anatomy::widgets
