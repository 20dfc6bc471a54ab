// The trace keeps the values v (for the attention step-by-step view) and the architecture the
// forward pass ran (for the block diagram). Checked against the weights directly: layer 0's
// v_j is Wv · RMSNorm(embed(token_j)) · g in the pre-norm model as trained, and the recorded
// architecture is the session's, knobs included.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>
#include <vector>

#include "anatomy/model_registry.h"
#include "anatomy/session.h"
#include "anatomy/sim_settings.h"
#include "test_paths.h"

using namespace anatomy;

TEST_CASE("trace: v is Wv times the normed input, per KV head and key", "[trace]") {
    std::shared_ptr<const Model> m = openModel(modelPath("stories260K.bin"));
    const ModelConfig& c = m->config;
    const std::vector<int> ids{1, 403, 407, 261, 378};
    const auto t = traceTokens(m, ids, CaptureSpec::everything());
    const FloatArray& v = t->layers[0].v;
    REQUIRE(v.shape == std::vector<int64_t>{c.nKvHeads, int64_t(ids.size()), c.headSize()});
    const LayerWeights& lw = m->layers[0];
    REQUIRE(lw.wv.f32);
    double worst = 0.0;
    for (size_t j = 0; j < ids.size(); ++j) {
        // RMSNorm(x) · g with x the token's embedding row.
        const float* x = m->tokenEmbedding + size_t(ids[j]) * c.dim;
        double ss = 0.0;
        for (int i = 0; i < c.dim; ++i) ss += double(x[i]) * x[i];
        const double inv = 1.0 / std::sqrt(ss / c.dim + c.normEps);
        for (int r = 0; r < lw.wv.rows; ++r) {
            double dot = 0.0;
            for (int i = 0; i < c.dim; ++i) dot += double(lw.wv.f32[size_t(r) * c.dim + i]) * x[i] * inv * lw.rmsAtt[i];
            const int h = r / c.headSize(), d = r % c.headSize();
            worst = std::max(worst, std::abs(dot - double(v.at({h, int64_t(j), d}))));
        }
    }
    INFO("largest |v - Wv N(x)| = " << worst);
    CHECK(worst < 1e-5);
}

TEST_CASE("trace: records the architecture the session ran, knobs included", "[trace]") {
    std::shared_ptr<const Model> m = openModel(modelPath("stories260K.bin"));
    SimSettings s;
    applySetting(s, "norm.placement=post");
    applySetting(s, "kv.sharing=mqa");
    const auto t = traceTokens(m, {1, 403, 407}, CaptureSpec::everything(), s);
    Session session(m);
    session.setSettings(s);
    CHECK(t->architecture == session.architecture());
    CHECK(t->architecture.layers[0].residual.placement == NormPlacement::Post);
    CHECK(t->architecture.layers[0].attention.nKvHeads == 1);
    // v follows the KV heads that ran: one under MQA.
    CHECK(t->layers[0].v.shape == std::vector<int64_t>{1, 3, int64_t(m->config.headSize())});
}
