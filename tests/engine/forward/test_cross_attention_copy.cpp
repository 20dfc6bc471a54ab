// A hand-built encoder-decoder (no file, no training) in which cross-attention alone must copy
// the one content token of the input into the decoder's output, wherever it stands:
//   vocabulary and width 8, embeddings one-hot (E = I), one layer, one head of size 8;
//   every sublayer but cross-attention writes nothing (W_o = 0, W_down = 0), bias tables 0;
//   cross-attention: the query of the start token 0 is 4 e_0, keys k_j = sum of e_0 over content
//   tokens 3..7 (filler tokens 1, 2 have k = 0), values and W_o the identity;
//   classifier = I, so logits = RMSNorm(e_start + o) and o = sum_j p_j v_j.
// The encoder output e_j = RMSNorm(e_token) = sqrt(8) e_token, so the content key scores
// q.k = 4 sqrt(8) (times sqrt(8) from the query's own norm) against 0 for fillers: p_c ~ 1.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "anatomy/encoder_decoder.h"
#include "anatomy/model.h"

using namespace anatomy;

namespace {

constexpr int kN = 8;  // vocabulary = dim = head size

Matrix matrixOf(Model& m, std::vector<float> v, int rows, int cols) {
    Matrix w;
    w.rows = rows;
    w.cols = cols;
    w.f32 = m.own(std::move(v));
    return w;
}

std::vector<float> identity() {
    std::vector<float> v(kN * kN, 0.0f);
    for (int i = 0; i < kN; ++i) v[size_t(i * kN + i)] = 1.0f;
    return v;
}

std::shared_ptr<const Model> copyModel() {
    auto m = std::make_shared<Model>();
    ModelConfig& c = m->config;
    c.dim = c.vocabSize = kN;
    c.hiddenDim = kN;
    c.nLayers = 1;
    c.nHeads = c.nKvHeads = 1;
    c.seqLen = 64;
    c.normEps = 1e-6f;
    m->architecture = llamaArchitecture(c);
    m->architecture.name = "t5";
    m->architecture.positions.kind = PositionEncoding::None;
    for (LayerSpec& L : m->architecture.layers) {
        L.attention.scale = std::sqrt(float(kN));  // T5: no 1/sqrt(d_k)
        L.ffn.gated = false;
        L.ffn.activation = Activation::Relu;
    }
    EncoderDecoderSpec& e = m->architecture.encoderDecoder;
    e.enabled = true;
    e.encoderLayers = m->architecture.layers;
    e.encoderFinalNorm = m->architecture.finalNorm;
    e.relativeBuckets = 32;
    e.decoderStartToken = 0;

    const std::vector<float> zero(kN * kN, 0.0f), ones(kN, 1.0f), zeroBias(32, 0.0f);
    m->tokenEmbeddings = matrixOf(*m, identity(), kN, kN);
    m->tokenEmbedding = m->tokenEmbeddings.f32;
    m->classifier = m->tokenEmbeddings;
    m->rmsFinal = m->own(ones);
    auto silent = [&](LayerWeights& L) {  // a block that adds nothing to the residual stream
        L.rmsAtt = L.rmsFfn = m->own(ones);
        L.wq = L.wk = L.wv = matrixOf(*m, identity(), kN, kN);
        L.wo = matrixOf(*m, zero, kN, kN);
        L.w1 = matrixOf(*m, identity(), kN, kN);
        L.w2 = matrixOf(*m, zero, kN, kN);
    };
    m->layers.resize(1);
    silent(m->layers[0]);
    auto ed = std::make_shared<EncoderDecoderWeights>();
    ed->encoder.resize(1);
    silent(ed->encoder[0]);
    ed->encoderFinalNorm = m->own(ones);
    ed->encoderRelativeBias = {m->own(zeroBias)};
    ed->decoderRelativeBias = {m->own(zeroBias)};
    CrossAttentionWeights x;
    x.norm = m->own(ones);
    std::vector<float> wq(kN * kN, 0.0f), wk(kN * kN, 0.0f);
    wq[0] = 4.0f;                                      // q = 4 h_0: only the start token asks
    for (int t = 3; t < kN; ++t) wk[size_t(t)] = 1.0f;  // k_0 = sum of the content one-hots
    x.wq = matrixOf(*m, wq, kN, kN);
    x.wk = matrixOf(*m, wk, kN, kN);
    x.wv = matrixOf(*m, identity(), kN, kN);
    x.wo = matrixOf(*m, identity(), kN, kN);
    ed->cross = {x};
    m->encoderDecoder = std::move(ed);
    return m;
}

int argmax(const std::vector<float>& v) {
    int best = 0;
    for (int j = 1; j < int(v.size()); ++j)
        if (v[size_t(j)] > v[size_t(best)]) best = j;
    return best;
}

}  // namespace

TEST_CASE("cross-attention copies the input's content token into the decoder's output", "[t5][cross]") {
    auto model = copyModel();
    struct Case {
        std::vector<int> input;
        int content, at;
    };
    const Case cases[] = {{{5, 1, 2, 1, 2}, 5, 0}, {{1, 2, 1, 7, 2}, 7, 3}, {{2, 2, 2, 2, 1, 2, 3}, 3, 6}};
    for (const Case& k : cases) {
        INFO("content " << k.content << " at " << k.at);
        auto tr = traceEncoderDecoder(model, k.input, {0}, CaptureSpec::everything());
        const EncoderDecoderTrace& e = *tr->encoderDecoder;
        // The start token's query puts almost all its attention on the content token's key:
        // score 4 sqrt(8) * sqrt(8) = 32 against 0, p = 1 / (1 + (n - 1) e^-32).
        const float p = e.crossLayers[0].attnProbs.at({0, 0, k.at});
        CHECK(p > 0.999999f);
        CHECK(e.crossLayers[0].attnScores.at({0, 0, k.at}) == Approx(32.0f).epsilon(1e-5));
        // o = v_content = sqrt(8) e_content, x = e_0 + o; logits = RMSNorm(x) = x / sqrt(9 / 8).
        const std::vector<float> logits = tr->logitsRow(0);
        REQUIRE(logits.size() == size_t(kN));
        CHECK(argmax(logits) == k.content);
        CHECK(logits[size_t(k.content)] == Approx(std::sqrt(8.0) / std::sqrt(9.0 / 8.0)).epsilon(1e-4));
        CHECK(logits[0] == Approx(1.0 / std::sqrt(9.0 / 8.0)).epsilon(1e-4));
        // The same through a session: the decoder's first token is the copy.
        EncoderDecoderSession s(model);
        s.encode(k.input);
        CHECK(argmax(s.decode(std::vector<int>{0})) == k.content);
    }
}
