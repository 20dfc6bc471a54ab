// The views on an encoder-decoder (t5) model, through the controller as the app runs it: the
// cross-attention view shows decoder x encoder maps of the selected layer and head with both
// token strips, beside the encoder and decoder self-attention; the positions view draws the
// model's own learned relative-position bias; the block diagram draws both stacks with a
// cross-attention arrow into every decoder layer. Each renders something (not a blank pane).
#include <unistd.h>

#include <QImage>
#include <catch2/catch.hpp>
#include <filesystem>

#include "anatomy/encoder_decoder.h"
#include "anatomy/relative_position.h"
#include "anatomy/sampler.h"
#include "anatomy/synth_gguf.h"
#include "plot/architecture_diagram.h"
#include "views/architecture_view.h"
#include "views/cross_attention_view.h"
#include "views/positions_view.h"
#include "widgets/widget_test_support.h"

using namespace anatomy::widgets;

namespace {

// A t5-gated synth model traced on a prompt by the controller, after a greedy Generate of 8
// tokens (a new text alone shows the decoder at its start token).
const ViewInput& t5Input() {
    static const ViewInput input = [] {
        widgetTestApp();
        const std::string path = (std::filesystem::temp_directory_path() /
                                  ("anatomy_t5_views_" + std::to_string(::getpid()) + ".gguf")).string();
        anatomy::writeSynthGguf(anatomy::synthReferenceSpec("t5-gated", 1), path);
        TraceController c;
        c.setPrompt(QStringLiteral("translate English to German: the cat sat on the mat"));
        c.loadModel(QString::fromStdString(path), QString());
        c.waitForIdle(120000);
        anatomy::SamplerSettings greedy;
        greedy.temperature = 0.0f;
        c.setSamplerSettings(greedy);
        c.generate(8);
        c.waitForIdle(120000);
        std::filesystem::remove(path);
        return c.currentInput();
    }();
    return input;
}

double differing(const QImage& a, const QImage& b) {
    if (a.size() != b.size()) return 1.0;
    long n = 0, d = 0;
    for (int y = 0; y < a.height(); y += 2)
        for (int x = 0; x < a.width(); x += 2, ++n) d += a.pixel(x, y) != b.pixel(x, y);
    return double(d) / double(n);
}

}  // namespace

TEST_CASE("t5 views: cross-attention, decoder x encoder per layer and head, beside both self-attentions", "[t5][views]") {
    const ViewInput& in = t5Input();
    REQUIRE(in.trace);
    REQUIRE(in.trace->encoderDecoder);
    const anatomy::Trace& t = *in.trace;
    const anatomy::EncoderDecoderTrace& e = *t.encoderDecoder;
    CHECK(e.encoderTokens.back() == 1);  // </s> ends the input
    CrossAttentionView v, empty;
    Selection sel;
    sel.layer = 1;
    sel.head = 2;
    sel.position = 1;
    v.setInput(in);
    v.setSelection(sel);
    const HeatmapData& cross = v.crossMap().data();
    CHECK(cross.rows == t.nQ);
    CHECK(cross.cols == e.nEnc);
    CHECK(cross.colLabels.size() == size_t(e.nEnc));
    CHECK(cross.at(1, 3) == e.crossLayers[1].attnProbs.at({2, 1, 3}));
    CHECK(v.encoderMap().data().rows == e.nEnc);
    CHECK(v.decoderMap().data().cols == t.nQ);
    CHECK(std::isnan(v.decoderMap().data().at(0, 1)));  // causal: a later key is masked
    CHECK(v.titleText().contains(QStringLiteral("Layer 1")));
    for (QSize size : {QSize(1280, 720), QSize(1024, 600)}) {
        v.resize(size);
        empty.resize(size);
        const double changed = differing(v.grab().toImage(), empty.grab().toImage());
        INFO("fraction of pixels the trace changed: " << changed);
        CHECK(changed > 0.05);
    }
    const QString csv = v.toCsv();
    CHECK(csv.startsWith(QStringLiteral("map,layer,head,query_pos,key_pos")));
    CHECK(csv.count(QStringLiteral("\ncross,1,2,")) == t.nQ * e.nEnc);
    CHECK(csv.count(QStringLiteral("\nencoder,1,2,")) == e.nEnc * e.nEnc);

    // A decoder-only trace has no cross-attention: the view says so and draws no map.
    CrossAttentionView d;
    d.setInput(widgetTestInput());
    CHECK(d.crossMap().data().rows == 0);
    CHECK(d.titleText().contains(QStringLiteral("decoder-only")));
}

TEST_CASE("t5 views: the positions view draws the model's learned relative-position bias", "[t5][views]") {
    const ViewInput& in = t5Input();
    PositionsView v, empty;
    v.setInput(in);
    const PositionsPlotData& d = v.plotData();
    REQUIRE(d.t5Learned);
    const anatomy::EncoderDecoderTrace& e = *in.trace->encoderDecoder;
    const int H = in.trace->config.nHeads, w = 2 * d.t5Range + 1;
    CHECK(d.t5Heads == H);
    // Key 3 before the query: bucket 3 of the decoder table, of both directions' lower half for the encoder.
    const float* dec = e.decoderBiasTable.data.data();
    CHECK(d.t5DecoderBias[size_t(1) * w + size_t(d.t5Range - 3)] == Approx(dec[3 * H + 1]));
    CHECK(d.t5EncoderBias[size_t(1) * w + size_t(d.t5Range + 3)] ==
          Approx(e.encoderBiasTable.data[size_t(anatomy::relativePositionBucket(3, 0, 32, true) * H + 1)]));
    v.resize(1280, 720);
    empty.resize(1280, 720);
    CHECK(differing(v.grab().toImage(), empty.grab().toImage()) > 0.05);
    CHECK(v.toCsv().contains(QStringLiteral("t5_encoder_bias,-3,1,")));
}

TEST_CASE("t5 views: the block diagram draws both stacks and a cross-attention arrow into every decoder layer", "[t5][views]") {
    const ViewInput& in = t5Input();
    const anatomy::Trace& t = *in.trace;
    const int n = t.config.nLayers;
    for (const QSizeF size : {QSizeF(1280, 620), QSizeF(1024, 520)}) {
        const ArchitectureDiagram d = architectureDiagram(t, 1, size, 50);
        int enc = 0, dec = 0, cross = 0;
        for (const DiagramBox& b : d.boxes) {
            enc += b.title.startsWith(QStringLiteral("Encoder layer"));
            dec += b.kind == DiagramBox::Kind::Layer && b.title.startsWith(QStringLiteral("Decoder layer "));
            cross += b.title == QStringLiteral("Cross-attention");
            CHECK(QRectF(QPointF(0, 0), size).contains(b.rect));
        }
        CHECK(enc == n);
        CHECK(dec == n);
        CHECK(cross == 1);  // in the opened decoder layer
        CHECK(d.crossArrows.size() == size_t(n + 1));  // into each decoder layer, and into the opened one's cross-attention
        CHECK(d.title.contains(QStringLiteral("encoder-decoder")));
    }
    ArchitectureView v, empty;
    v.setInput(in);
    v.resize(1280, 720);
    empty.resize(1280, 720);
    CHECK(differing(v.grab().toImage(), empty.grab().toImage()) > 0.05);
}
