// RoPE context-extension overlay in the rope view, and the positions view's classic schemes:
// the overlay is the engine's own frequencies, the score curve reproduces the forward pass under
// scaling and ALiBi, hand-computed values of the sinusoid, T5 buckets and ALiBi slopes, and both
// views drawing something.
#include <catch2/catch.hpp>

#include <QDir>
#include <QImage>
#include <algorithm>
#include <cmath>

#include "anatomy/alibi.h"
#include "anatomy/model.h"
#include "anatomy/open_model.h"
#include "anatomy/synth_gguf.h"
#include "anatomy/rope_scaling.h"
#include "anatomy/session.h"
#include "anatomy/tokenizer.h"
#include "plot/positions_math.h"
#include "views/positions_view.h"
#include "plot/rope_math.h"
#include "views/rope_view.h"
#include "test_paths.h"
#include "export/view_export.h"
#include "widgets/widget_test_support.h"

using namespace anatomy;
using namespace anatomy::widgets;

namespace {

RopeScalingParams scaling(RopeScaling m, float factor) {
    RopeScalingParams p;
    p.method = m;
    p.factor = factor;
    return p;
}

struct Traced {
    std::shared_ptr<const Model> model;
    std::vector<int> ids;
};

const Traced& storiesModel() {
    static const Traced t = [] {
        Traced r;
        r.model = std::shared_ptr<const Model>(loadModel(modelPath("stories260K.bin")));
        const Tokenizer tok = Tokenizer::fromLlama2cFile(modelPath("tok512.bin"), r.model->config.vocabSize);
        r.ids = tok.encode("Once upon a time, there was a little girl named Lily. She loved to play outside.");
        return r;
    }();
    return t;
}

}  // namespace

TEST_CASE("rope overlay: with factor 1 every method gives the unscaled frequencies", "[views][rope]") {
    const std::vector<double> plain = rope::pairFrequencies(8, 10000.0);
    for (int L0 : {0, 256, 512}) {
        RopeScalingParams p = scaling(RopeScaling::None, 1.0f);
        p.originalContext = L0;
        // The view evaluates dynamic NTK at s x L0 (= L0 here). Beyond L0 it stretches even with
        // s = 1 (s' = L/L0), as in Hugging Face's dynamic NTK.
        const auto overlay = rope::scalingOverlay(p, 8, 10000.0, 512, L0 > 0 ? L0 : 512);
        REQUIRE(overlay.size() == 7);  // none, linear, ntk, dynamic ntk, by-parts, yarn, llama3
        for (const rope::ScalingCurve& c : overlay) {
            INFO("method " << ropeScalingName(c.method).toStdString() << ", L0 " << L0);
            REQUIRE(c.theta.size() == plain.size());
            double worst = 0;
            for (size_t i = 0; i < plain.size(); ++i) worst = std::max(worst, std::abs(c.theta[i] / plain[i] - 1));
            INFO("largest relative difference " << worst);
            CHECK(worst < 1e-6);
        }
    }
    CHECK(ropeLogitScale(scaling(RopeScaling::Yarn, 1.0f)) == 1.0f);
}

TEST_CASE("rope overlay: linear scaling divides each frequency by s, the others keep the fastest pair",
          "[views][rope]") {
    const auto overlay = rope::scalingOverlay(scaling(RopeScaling::Linear, 4.0f), 8, 10000.0, 512, 2048);
    const auto byMethod = [&](RopeScaling m) {
        return *std::find_if(overlay.begin(), overlay.end(), [&](const auto& c) { return c.method == m; });
    };
    const auto none = byMethod(RopeScaling::None), linear = byMethod(RopeScaling::Linear);
    for (size_t i = 0; i < none.theta.size(); ++i) {
        CHECK(linear.theta[i] == Approx(none.theta[i] / 4).epsilon(1e-6));
        CHECK(linear.wavelength[i] == Approx(none.wavelength[i] * 4).epsilon(1e-6));
    }
    // Pair 0 turns ~81 times per 512 tokens (> beta = 32): by-parts, YaRN and Llama 3 leave it alone,
    // and every method slows the slowest pair.
    for (RopeScaling m : {RopeScaling::NtkByParts, RopeScaling::Yarn, RopeScaling::Llama3})
        CHECK(byMethod(m).theta[0] == Approx(none.theta[0]));
    for (const auto& c : overlay)
        if (c.method != RopeScaling::None) CHECK(c.theta.back() < none.theta.back());
}

TEST_CASE("rope view: under YaRN and ALiBi the score curve reproduces the trace's own score",
          "[views][rope]") {
    const Traced& m = storiesModel();
    SimSettings yarn;
    yarn.ropeScaling = scaling(RopeScaling::Yarn, 4.0f);
    SimSettings alibi;
    alibi.positions = PositionEncoding::Alibi;
    SimSettings dynamic;
    dynamic.ropeScaling = scaling(RopeScaling::DynamicNtk, 2.0f);
    dynamic.ropeScaling.originalContext = 8;  // so the short text is already "long"
    for (const SimSettings& sim : {yarn, alibi, dynamic}) {
        const auto trace = traceTokens(m.model, m.ids, CaptureSpec::everything(), sim);
        for (RopeKey key : {RopeKey::MostAttended, RopeKey::First}) {
            const RopePlotData d = ropePlotData(*trace, Selection{-1, 3, 5}, key, 16, sim);
            REQUIRE(d.valid);
            REQUIRE(d.distance() >= 0);
            INFO(describe(sim) << ": distance " << d.distance() << ", curve " << d.score[size_t(d.distance())]
                               << ", trace " << d.traceScore);
            CHECK(d.score[size_t(d.distance())] == Approx(d.traceScore).margin(2e-4));
            CHECK(d.scaled == (sim.positions == PositionEncoding::Rope));
            CHECK(d.trainedScore.size() == d.score.size());
        }
    }
    const RopePlotData a = ropePlotData(*traceTokens(m.model, m.ids, CaptureSpec::everything(), alibi),
                                        Selection{-1, 0, 5}, RopeKey::First, 16, alibi);
    CHECK(a.alibiSlope == Approx(alibiSlopes(8)[5]));
    CHECK(a.score[0] - a.score[100] == Approx(100 * a.alibiSlope).epsilon(1e-6));  // -m d, nothing else moves
    CHECK(a.alibiBias[100] == Approx(-100 * a.alibiSlope));
    const RopePlotData y = ropePlotData(*traceTokens(m.model, m.ids, CaptureSpec::everything(), yarn),
                                        Selection{-1, 0, 0}, RopeKey::First, 16, yarn);
    CHECK(y.logitScale == Approx(std::pow(0.1 * std::log(4.0) + 1.0, 2.0)));
    CHECK(y.originalContext == 512);
}

TEST_CASE("positions math: sinusoid, T5 buckets and ALiBi at hand-computed values", "[views][positions]") {
    // PE(1, 0) = sin(1 / 10000^0) = sin 1, PE(1, 1) = cos 1; PE(10, 2) = sin(10 / 10000^(2/64)).
    const auto pe1 = positions::sinusoidalEncoding(1, 64);
    CHECK(pe1[0] == Approx(std::sin(1.0)));
    CHECK(pe1[1] == Approx(std::cos(1.0)));
    CHECK(positions::sinusoidalEncoding(10, 64)[2] == Approx(std::sin(10.0 / std::pow(10000.0, 2.0 / 64))));
    CHECK(positions::sinusoidalEncoding(0, 4) == std::vector<double>{0, 1, 0, 1});
    const auto table = positions::sinusoidalTable(3, 64);
    REQUIRE(table.size() == 3 * 64);
    CHECK(table[64 + 0] == Approx(std::sin(1.0)));

    // T5, causal, 32 buckets, max distance 128: 0..15 exact; 32 -> 16 + floor(ln 2 / ln 8 * 16) = 21,
    // 64 -> 16 + floor(2/3 * 16) = 26; 128 and beyond -> 31.
    for (int n = 0; n < 16; ++n) CHECK(positions::t5Bucket(n) == n);
    CHECK(positions::t5Bucket(32) == 21);
    CHECK(positions::t5Bucket(64) == 26);
    CHECK(positions::t5Bucket(128) == 31);
    CHECK(positions::t5Bucket(200) == 31);
    CHECK(positions::t5Bucket(-5) == 0);  // causal: a later key has no bucket of its own
    for (int n = 1; n < 300; ++n) CHECK(positions::t5Bucket(n) >= positions::t5Bucket(n - 1));
    // Bidirectional: 16 per direction, 8 exact; a key 3 after the query lands in the upper half.
    CHECK(positions::t5Bucket(3, true) == 3);
    CHECK(positions::t5Bucket(-3, true) == 16 + 3);

    // ALiBi with 8 heads: m = 2^(-8h/8) for h = 1..8, i.e. 1/2 .. 1/256.
    const auto slopes = alibiSlopes(8);
    CHECK(slopes[0] == Approx(0.5));
    CHECK(slopes[7] == Approx(1.0 / 256));
    const auto bias = positions::alibiBias(0.5, 10);
    REQUIRE(bias.size() == 11);
    CHECK(bias[0] == 0.0);
    CHECK(bias[10] == Approx(-5.0));
}

TEST_CASE("rope and positions views render the overlay, no-RoPE panels and the classic schemes",
          "[views][positions]") {
    widgetTestApp();
    const ViewInput& base = widgetTestInput();
    REQUIRE(base.trace);
    ViewInput yarn = base, none = base, alibi = base;
    yarn.sim.ropeScaling = scaling(RopeScaling::Yarn, 4.0f);
    none.sim.positions = PositionEncoding::None;
    alibi.sim.positions = PositionEncoding::Alibi;
    for (const ViewInput* in : std::initializer_list<const ViewInput*>{&base, &yarn, &none, &alibi}) {
        RopeView v;
        v.setInput(*in);
        v.setSelection(Selection{-1, 2, 3});
        REQUIRE(v.plotData().valid);
        CHECK(v.plotData().overlay.size() == 7);
        const QImage img = renderWidget(&v, QSize(1400, 900));
        INFO(describe(in->sim));
        CHECK(distinctColors(img) > 8);
    }
    PositionsView p;
    CHECK(p.viewName() == "positions");
    p.setInput(base);
    p.setSelection(Selection{-1, 0, 2});
    const PositionsPlotData& d = p.plotData();
    REQUIRE(d.valid);
    CHECK(d.dim == 64);
    CHECK(d.nPositions == 2 * base.trace->config.seqLen);
    CHECK(d.alibiSlopes.size() == size_t(base.trace->config.nHeads));
    CHECK(d.t5Bucket.back() == 31);
    const QImage img = renderWidget(&p, QSize(1400, 900));
    CHECK(distinctColors(img) > 8);
    CHECK(p.toCsv().startsWith(QStringLiteral("kind,")));
}

TEST_CASE("positions view: a 4M-token context or a huge width draws a bounded table", "[positions]") {
    anatomy::ModelConfig c;
    c.dim = 8192;
    c.nHeads = 64;
    c.seqLen = 1 << 22;  // a header may claim this; the old view built a 2 x 4M x dim table
    const PositionsPlotData d = positionsPlotData(c, anatomy::SimSettings{});
    REQUIRE(d.valid);
    CHECK(d.nPositions == kMaxDrawnPositions);
    CHECK(d.dim == kMaxDrawnDims);
    CHECK(d.modelDim == 8192);
    REQUIRE(d.sinusoid.size() == size_t(kMaxDrawnPositions) * kMaxDrawnDims);
    // The drawn columns are the model's own first dimensions (frequencies use d = 8192).
    const std::vector<double> row = positions::sinusoidalEncoding(1000, 8192);
    for (int j = 0; j < kMaxDrawnDims; ++j) REQUIRE(d.sinusoid[size_t(1000) * kMaxDrawnDims + j] == row[size_t(j)]);
}

TEST_CASE("positions math: the learned-position similarity is the cosine of the table's rows", "[positions]") {
    // Rows: e0, 2 e0, e1, -e0, 0 (a zero row has no direction: 0).
    const std::vector<float> table = {1, 0, 2, 0, 0, 3, -1, 0, 0, 0};
    const positions::PositionSimilarity s = positions::learnedPositionSimilarity(table.data(), 5, 2, 8);
    REQUIRE(s.n == 5);
    REQUIRE(s.stride == 1);
    CHECK(s.cosine[0 * 5 + 1] == Approx(1.0));
    CHECK(s.cosine[0 * 5 + 2] == Approx(0.0).margin(1e-15));
    CHECK(s.cosine[0 * 5 + 3] == Approx(-1.0));
    CHECK(s.cosine[3 * 5 + 0] == Approx(-1.0));
    CHECK(s.cosine[4 * 5 + 4] == 0.0);
    // More rows than drawn: every stride-th row, at most maxDrawn a side.
    std::vector<float> big(1000 * 3);
    for (int i = 0; i < 1000; ++i) big[size_t(i) * 3] = float(i % 7) - 3.0f, big[size_t(i) * 3 + 1] = 1.0f;
    const positions::PositionSimilarity b = positions::learnedPositionSimilarity(big.data(), 1000, 3, 256);
    CHECK(b.stride == 4);
    CHECK(b.n == 250);
    CHECK(b.n <= 256);
    const double want = (double(4 % 7 - 3) * (8 % 7 - 3) + 1.0) /
                        (std::sqrt(double((4 % 7 - 3) * (4 % 7 - 3)) + 1.0) * std::sqrt(double((8 % 7 - 3) * (8 % 7 - 3)) + 1.0));
    CHECK(b.cosine[1 * 250 + 2] == Approx(want));  // rows 4 and 8
}

TEST_CASE("rope view: a Llama 3 file's frequency factors are in every theta, and the curve meets the trace",
          "[views][rope]") {
    widgetTestApp();
    // synth's llama file carries rope_freqs.weight as Llama 3's converter writes it (context 64).
    const std::string path = QDir::temp().filePath(QStringLiteral("anatomy_rope_llama3.gguf")).toStdString();
    anatomy::writeSynthGguf(anatomy::synthReferenceSpec("llama"), path);
    const anatomy::OpenedModel m = anatomy::openModelWithTokenizer(path);
    std::remove(path.c_str());
    const std::vector<float>& factors = m.model->architecture.positions.freqFactors;
    REQUIRE_FALSE(factors.empty());
    REQUIRE(*std::max_element(factors.begin(), factors.end()) > 1.5f);  // the slow pairs are scaled
    const std::vector<int> ids = m.tokenizer->encode("the cat sat on the mat and looked at the dog", true);
    const auto trace = traceTokens(m.model, ids, CaptureSpec::everything(), m.tokenizer.get());
    for (int layer : {0, 1})
        for (RopeKey key : {RopeKey::MostAttended, RopeKey::First}) {
            const RopePlotData d = ropePlotData(*trace, Selection{-1, layer, 1}, key, 16, {});
            REQUIRE(d.valid);
            const std::vector<double> plain = rope::pairFrequencies(d.headSize, d.trainedBase);
            REQUIRE(d.theta.size() == plain.size());
            for (size_t i = 0; i < plain.size(); ++i) {
                CHECK(d.theta[i] == Approx(plain[i] / factors[i]).epsilon(1e-6));
                CHECK(d.trainedTheta[i] == Approx(d.theta[i]).epsilon(1e-6));
            }
            // As trained, not a scaling the user chose; and the vectors un-rotated with the factors
            // give back the score attention computed.
            CHECK_FALSE(d.scaled);
            INFO("layer " << layer << ", distance " << d.distance());
            CHECK(d.score[size_t(d.distance())] == Approx(d.traceScore).margin(2e-4));
            CHECK(d.trainedScore[size_t(d.distance())] == Approx(d.traceScore).margin(2e-4));
            const auto none = std::find_if(d.overlay.begin(), d.overlay.end(),
                                           [](const auto& c) { return c.method == RopeScaling::None; });
            REQUIRE(none != d.overlay.end());
            CHECK(none->wavelength.back() == Approx(2 * 3.141592653589793 / d.theta.back()).epsilon(1e-9));
        }
}

TEST_CASE("rope view: the pair dials that fit the width are drawn, spread from the first pair to the last",
          "[views][rope]") {
    CHECK(spreadPairs(32, 16).size() == 16);
    CHECK(spreadPairs(32, 5) == std::vector<int>{0, 8, 16, 23, 31});
    CHECK(spreadPairs(4, 16) == std::vector<int>{0, 1, 2, 3});
    CHECK(spreadPairs(4, 1) == std::vector<int>{0});
}

TEST_CASE("positions view: a GPT-2 layout shows its own learned positions, stories260K the sinusoid", "[positions]") {
    widgetTestApp();
    const std::string path = QDir::temp().filePath(QStringLiteral("anatomy_positions_gpt2.gguf")).toStdString();
    anatomy::writeSynthGguf(anatomy::synthReferenceSpec("gpt2"), path);
    const anatomy::OpenedModel m = anatomy::openModelWithTokenizer(path);
    std::remove(path.c_str());
    REQUIRE(m.model->positionEmbedding);
    const std::vector<int> ids = m.tokenizer->encode("where a token is", true);
    ViewInput in;
    in.trace = traceTokens(m.model, ids, CaptureSpec::everything(), m.tokenizer.get());
    in.tokenizer = m.tokenizer;
    in.model = m.model;
    PositionsView v;
    v.setInput(in);
    const PositionsPlotData& d = v.plotData();
    REQUIRE(d.learnedPositions);
    const int seqLen = m.model->config.seqLen, dim = m.model->config.dim;
    CHECK(d.learnedN == std::min(seqLen, kMaxDrawnSimilarity));
    // Every cell is the cosine of the model's own rows.
    const float* P = m.model->positionEmbedding;
    const auto cosine = [&](int a, int b) {
        double ab = 0, aa = 0, bb = 0;
        for (int k = 0; k < dim; ++k) {
            const double x = P[size_t(a) * dim + k], y = P[size_t(b) * dim + k];
            ab += x * y, aa += x * x, bb += y * y;
        }
        return ab / std::sqrt(aa * bb);
    };
    const int n = d.learnedN;
    CHECK(d.learnedCosine[0] == Approx(1.0));
    CHECK(d.learnedCosine[size_t(1) * n + 3] == Approx(cosine(d.learnedStride, 3 * d.learnedStride)));
    CHECK(d.learnedCosine[size_t(n - 1) * n + 0] == Approx(cosine((n - 1) * d.learnedStride, 0)));
    const QImage img = renderWidget(&v, QSize(1400, 900));
    CHECK(distinctColors(img) > 8);
    CHECK(v.toCsv().contains(QStringLiteral("learned_position_cosine,0,0,1")));
    // Without the model (or for a model without the table) panel (a) stays the sinusoid.
    in.model = nullptr;
    PositionsView none;
    none.setInput(in);
    CHECK_FALSE(none.plotData().learnedPositions);
    PositionsView stories;
    stories.setInput(widgetTestInput());
    CHECK_FALSE(stories.plotData().learnedPositions);
}
