// TraceCapture's per-row statistics on hand-made rows: the largest |x| and its channel (first on
// ties, NaN never wins), the attention entropy, the lens and logits top-k order.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "anatomy/kernels.h"
#include "anatomy/model_registry.h"
#include "anatomy/session.h"
#include "anatomy/sim_settings.h"
#include "test_paths.h"
#include "trace/trace_capture.h"

using namespace anatomy;

namespace {

const Model& stories() {
    static const std::shared_ptr<const Model> m = openModel(modelPath("stories260K.bin"));
    return *m;
}

// The plain scalar scan the capture must agree with: first index of the largest |x|.
int naiveMaxAbs(const std::vector<float>& x) {
    int best = 0;
    for (size_t i = 1; i < x.size(); ++i)
        if (std::fabs(x[i]) > std::fabs(x[size_t(best)])) best = int(i);
    return best;
}

}  // namespace

TEST_CASE("capture: largest |x| and its channel as the scalar scan finds them", "[trace]") {
    const Model& m = stories();
    const int dim = m.config.dim, hidden = m.config.hiddenDim;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::mt19937 rng(5);
    std::normal_distribution<float> nd;
    // Rows: random; the maximum tied at two channels; negative maximum last; a NaN inside; a
    // NaN at channel 0; all zeros; the maximum in the scalar tail.
    std::vector<std::vector<float>> rows;
    for (int kind = 0; kind < 7; ++kind) {
        std::vector<float> r(static_cast<size_t>(hidden));
        for (float& v : r) v = nd(rng);
        if (kind == 1) r[10] = 9.0f, r[40] = -9.0f;
        if (kind == 2) r[size_t(dim - 1)] = -12.0f;
        if (kind == 3) r[3] = nan, r[20] = 7.5f;
        if (kind == 4) r[0] = nan;
        if (kind == 5) std::fill(r.begin(), r.end(), 0.0f);
        if (kind == 6) r[size_t(hidden - 1)] = 30.0f;
        rows.push_back(r);
    }
    CaptureSpec spec = CaptureSpec::nothing();
    spec.residual = spec.ffn = true;
    Trace trace;
    trace.spec = spec;
    const int T = int(rows.size());
    std::vector<int> history(static_cast<size_t>(T), 5);
    TraceCapture cap(&trace, m, history, 0, T);
    std::vector<float> x(size_t(T) * dim), hb(size_t(T) * hidden);
    for (int t = 0; t < T; ++t)
        for (int i = 0; i < hidden; ++i) {
            hb[size_t(t) * hidden + i] = rows[size_t(t)][size_t(i)];
            if (i < dim) x[size_t(t) * dim + i] = rows[size_t(t)][size_t(i)];
        }
    cap.residualOut(2, x.data());
    cap.ffnActivations(3, hb.data());
    for (int t = 0; t < T; ++t) {
        const std::vector<float> head(rows[size_t(t)].begin(), rows[size_t(t)].begin() + dim);
        INFO("row kind " << t);
        CHECK(trace.residMaxChannel.at({2, t}) == naiveMaxAbs(head));
        CHECK(trace.ffnActMaxChannel.at({3, t}) == naiveMaxAbs(rows[size_t(t)]));
    }
    CHECK(trace.residMaxChannel.at({2, 1}) == 10);  // tie: the first
    CHECK(trace.residMaxChannel.at({2, 2}) == dim - 1);
    CHECK(trace.residMaxChannel.at({2, 4}) == 0);   // NaN at 0 stays, as in the scan
    CHECK(trace.ffnActMaxChannel.at({3, 6}) == hidden - 1);
    CHECK(trace.ffnActMaxAbs.at({3, 6}) == 30.0f);
}

TEST_CASE("capture: attention entropy of a row, from its scores and probabilities", "[trace]") {
    const Model& m = stories();
    CaptureSpec spec = CaptureSpec::nothing();
    spec.attention = true;
    Trace trace;
    trace.spec = spec;
    const int n = 37;  // one query at position 36 of a 37-token history
    std::vector<int> history(static_cast<size_t>(n), 5);
    TraceCapture cap(&trace, m, history, n - 1, 1);
    std::mt19937 rng(9);
    std::normal_distribution<float> nd(0.0f, 2.0f);
    std::vector<float> s(static_cast<size_t>(n)), p(s.size());
    for (float& v : s) v = nd(rng);
    s[30] = s[12] = 8.0f;  // the largest probability twice
    double z = 0.0, mx = *std::max_element(s.begin(), s.end());
    for (int j = 0; j < n; ++j) z += std::exp(double(s[size_t(j)]) - mx);
    double H = 0.0;
    for (int j = 0; j < n; ++j) {
        const double pj = std::exp(double(s[size_t(j)]) - mx) / z;
        p[size_t(j)] = float(pj);
        H -= pj * std::log(pj);
    }
    cap.scoresRow(1, 4, 0, s.data(), n);
    cap.probsRow(1, 4, 0, p.data(), n, true);
    const float got = trace.attnEntropy.at({1, 4, 0});
    INFO("entropy " << got << " vs " << H);
    CHECK(got == Approx(H).margin(1e-5));
}

TEST_CASE("capture: a long trace's attention rows equal a short trace's", "[trace]") {
    // 321 tokens (2 x 5 layers x 8 heads x 321² floats = 33 MB of attention rows, more than the
    // caches) against 47: causal rows t < 47 must agree bit for bit, and the entropies with
    // them; every masked key is -inf in the scores and 0 in the probabilities.
    const std::shared_ptr<const Model> model = openModel(modelPath("stories260K.bin"));
    std::mt19937 rng(3);
    std::uniform_int_distribution<int> pick(3, model->config.vocabSize - 1);
    std::vector<int> tokens(321);
    tokens[0] = 1;
    for (size_t i = 1; i < tokens.size(); ++i) tokens[i] = pick(rng);
    const std::vector<int> head(tokens.begin(), tokens.begin() + 47);
    CaptureSpec spec = CaptureSpec::nothing();
    spec.attention = true;
    const auto longTrace = traceTokens(model, tokens, spec);
    const auto shortTrace = traceTokens(model, head, spec);
    const int nH = model->config.nHeads, L = model->config.nLayers, n = 321, m = 47;
    int mismatches = 0, badMasks = 0;
    for (int l = 0; l < L; ++l)
        for (int h = 0; h < nH; ++h)
            for (int t = 0; t < n; ++t) {
                const float* s = &longTrace->layers[size_t(l)].attnScores.data[(size_t(h) * n + t) * n];
                const float* p = &longTrace->layers[size_t(l)].attnProbs.data[(size_t(h) * n + t) * n];
                for (int j = t + 1; j < n; ++j)
                    if (!(std::isinf(s[j]) && s[j] < 0) || p[j] != 0.0f) ++badMasks;
                if (t >= m) continue;
                const float* s0 = &shortTrace->layers[size_t(l)].attnScores.data[(size_t(h) * m + t) * m];
                const float* p0 = &shortTrace->layers[size_t(l)].attnProbs.data[(size_t(h) * m + t) * m];
                for (int j = 0; j < m; ++j)
                    if (std::memcmp(&s[j], &s0[j], sizeof(float)) != 0 || p[j] != p0[j]) ++mismatches;
                if (longTrace->attnEntropy.at({l, h, t}) != shortTrace->attnEntropy.at({l, h, t})) ++mismatches;
            }
    INFO(mismatches << " differing entries in the first " << m << " rows, " << badMasks << " bad masked entries");
    CHECK(mismatches == 0);
    CHECK(badMasks == 0);
}

TEST_CASE("capture: the last layer's lens taken from the captured logits equals the lens computed",
          "[trace]") {
    // With every row's logits captured the last layer's lens reuses them (residualOut defers it
    // to logits()); without logits it is computed from the residual stream. Both must agree bit
    // for bit, in the plain model and with the simulator's LayerNorm as the final norm.
    const std::shared_ptr<const Model> model = openModel(modelPath("stories260K.bin"));
    const std::vector<int> tokens{1, 403, 407, 261, 378, 300, 260, 429, 270, 500, 3, 77};
    const int last = model->config.nLayers - 1;
    for (bool layerNorm : {false, true}) {
        SimSettings settings;
        if (layerNorm) settings.normType = NormType::Layer;
        CaptureSpec withLogits = CaptureSpec::nothing();
        withLogits.logitLens = true;
        withLogits.logits = CaptureSpec::Logits::All;
        CaptureSpec lensOnly = withLogits;
        lensOnly.logits = CaptureSpec::Logits::None;
        const auto a = traceTokens(model, tokens, withLogits, settings);
        const auto b = traceTokens(model, tokens, lensOnly, settings);
        INFO((layerNorm ? "LayerNorm" : "RMSNorm") << " final norm");
        REQUIRE(a->lensTopIds.data.size() == b->lensTopIds.data.size());
        CHECK(a->lensTopIds.data == b->lensTopIds.data);
        CHECK(a->lensTopProbs.data == b->lensTopProbs.data);
        const int64_t k = a->lensTopIds.dim(2);
        CHECK(a->lensTopIds.at({last, 0, 0}) >= 0);
        CHECK(a->lensTopProbs.at({last, int64_t(tokens.size()) - 1, k - 1}) > 0.0f);
    }
}

TEST_CASE("capture: the logit lens by blocks of rows equals the lens of every row at once", "[trace]") {
    // The lens is computed lensRowBlock(vocab) rows at a time (at most 16 MB of scratch: a
    // 4,096-token trace of a 49k vocabulary held 805 MB at once). stories260K's 512-token
    // vocabulary takes one block; blocks of 7 and 16 rows over 40 tokens (the last block short)
    // must give every layer's ids and probabilities bit for bit, with and without the last
    // layer's lens taken from the captured logits.
    const std::shared_ptr<const Model> model = openModel(modelPath("stories260K.bin"));
    CHECK(lensRowBlock(model->config.vocabSize) >= 512);
    CHECK(lensRowBlock(49152) == 85);
    CHECK(lensRowBlock(262144) == 64);
    std::mt19937 rng(5);
    std::vector<int> tokens{1};
    for (int i = 1; i < 40; ++i) tokens.push_back(3 + int(rng() % 509));
    for (CaptureSpec::Logits logits : {CaptureSpec::Logits::None, CaptureSpec::Logits::All}) {
        CaptureSpec spec = CaptureSpec::nothing();
        spec.logitLens = true;
        spec.logits = logits;
        const auto whole = traceTokens(model, tokens, spec);
        for (int rows : {7, 16}) {
            std::shared_ptr<const Trace> blocked;
            {
                const TraceCapture::LensRowBlockOverride override(rows);
                blocked = traceTokens(model, tokens, spec);
            }
            INFO("blocks of " << rows << " rows, logits " << (logits == CaptureSpec::Logits::All ? "all" : "none"));
            REQUIRE(blocked->lensTopIds.data.size() == whole->lensTopIds.data.size());
            CHECK(blocked->lensTopIds.data == whole->lensTopIds.data);
            CHECK(blocked->lensTopProbs.data == whole->lensTopProbs.data);
        }
    }
}

TEST_CASE("capture: a trace on recycled attention arrays equals a trace on new ones", "[trace]") {
    // traceTokens hands a dying trace's attention arrays to the next trace of the same shape,
    // which fills only the part of each masked tail the previous trace used for keys. In
    // between, traces that wrote other row patterns released them: a bidirectional mask (every
    // key visible: no tail at all), linear attention (no scores: whole -inf rows) and a window
    // (general rows, masks written inside the row). The causal trace after them must equal the
    // one before bit for bit, masked entries included.
    const std::shared_ptr<const Model> model = openModel(modelPath("stories260K.bin"));
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> pick(3, model->config.vocabSize - 1);
    std::vector<int> tokens(97);
    tokens[0] = 1;
    for (size_t i = 1; i < tokens.size(); ++i) tokens[i] = pick(rng);
    CaptureSpec spec = CaptureSpec::nothing();
    spec.attention = true;
    const auto first = traceTokens(model, tokens, spec);  // held: its arrays stay its own
    SimSettings bidirectional, linear, window;
    bidirectional.mask = AttentionMask::Bidirectional;
    linear.kernel = AttentionKernel::Linear;
    window.sparse = SparsePattern::SlidingWindow;
    window.window = 16;
    for (const SimSettings* other : {&bidirectional, &linear, &window, &bidirectional}) {
        traceTokens(model, tokens, spec, *other);  // released at once: its arrays go to the pool
        const auto again = traceTokens(model, tokens, spec);
        size_t differing = 0;
        for (size_t l = 0; l < first->layers.size(); ++l) {
            const LayerTrace &a = first->layers[l], &b = again->layers[l];
            REQUIRE(a.attnScores.data.size() == b.attnScores.data.size());
            for (size_t i = 0; i < a.attnScores.data.size(); ++i)
                if (std::memcmp(&a.attnScores.data[i], &b.attnScores.data[i], sizeof(float)) != 0 ||
                    std::memcmp(&a.attnProbs.data[i], &b.attnProbs.data[i], sizeof(float)) != 0)
                    ++differing;
        }
        INFO(differing << " entries differ after a trace with mask "
                       << int(other->mask) << ", kernel " << int(other->kernel) << ", sparse " << int(other->sparse));
        CHECK(differing == 0);
        CHECK(first->attnEntropy.data == again->attnEntropy.data);
    }
}

TEST_CASE("trace capture: the top k of a row, ties to the lower index, as a full sort orders them", "[trace]") {
    // Every kernel table's topK (the SIMD ones select from the values reaching the k-th largest
    // lane maximum; a NaN row or a k above their lanes goes to the scalar twin) and the active
    // one through topKIndices.
    std::vector<const kernels::KernelTable*> tables = {&kernels::scalarKernels()};
    if (auto* t = kernels::avx2Kernels()) tables.push_back(t);
    if (auto* t = kernels::avx512Kernels()) tables.push_back(t);
    std::mt19937 rng(5);
    for (int round = 0; round < 1100; ++round) {
        // Both sides of the block scan's row limit (2,048) and of its block count (2 k blocks of
        // 16), rows shorter than a vector, the SIMD tables' lane counts as k.
        const int n = std::vector<int>{7, 15, 64, 100, 512, 513, 1000, 2048, 2049, 32000, 17}[size_t(round % 11)];
        const int k = std::vector<int>{1, 3, 5, 8, 9, 16, 17, 40, 2, 4}[size_t(round / 11 % 10)];
        std::vector<float> x(static_cast<size_t>(n));
        // Few distinct values (many ties), a continuous spread, or a one-hot row; some with a NaN.
        const int kind = round % 4;
        std::uniform_int_distribution<int> small(0, 6);
        std::normal_distribution<float> gauss(0.0f, 3.0f);
        for (float& v : x) v = kind == 0 ? float(small(rng)) : kind == 3 ? -1.0f : gauss(rng);
        if (kind == 3) x[size_t(rng() % unsigned(n))] = 5.0f;
        // Masked (-inf) and signed-zero entries: -0 and +0 tie, the lower index first.
        if (round % 5 == 1) x[size_t(rng() % unsigned(n))] = -std::numeric_limits<float>::infinity();
        if (round % 7 == 3)  // mostly masked: fewer finite values than k in some rows
            for (size_t i = 0; i < x.size(); ++i)
                if (i % 9 != 0) x[i] = -std::numeric_limits<float>::infinity();
        if (round % 3 == 2)
            for (int z = 0; z < 4; ++z) x[size_t(rng() % unsigned(n))] = z % 2 ? 0.0f : -0.0f;
        const bool withNan = round % 11 == 0 || round % 13 == 5;
        if (withNan) x[size_t(rng() % unsigned(n))] = std::numeric_limits<float>::quiet_NaN();
        const int kk = std::min(k, n);
        std::vector<int> order(static_cast<size_t>(n));
        for (int i = 0; i < n; ++i) order[size_t(i)] = i;
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return x[size_t(a)] > x[size_t(b)]; });
        std::vector<int32_t> scalarIds(static_cast<size_t>(kk));
        std::vector<float> scalarVals(static_cast<size_t>(kk));
        kernels::scalarKernels().topK(x.data(), n, kk, scalarIds.data(), scalarVals.data());
        for (const auto* table : tables) {
            std::vector<int32_t> ids(static_cast<size_t>(kk));
            std::vector<float> vals(static_cast<size_t>(kk));
            table->topK(x.data(), n, kk, ids.data(), vals.data());
            INFO(table->name << ": n " << n << ", k " << kk << ", kind " << kind << (withNan ? ", a NaN" : ""));
            if (withNan) {  // the NaN's place is not specified: every table as the scalar one
                CHECK(ids == scalarIds);
                continue;
            }
            for (int i = 0; i < kk; ++i) {
                CHECK(ids[size_t(i)] == order[size_t(i)]);
                CHECK(vals[size_t(i)] == x[size_t(order[size_t(i)])]);
            }
        }
        std::vector<int32_t> ids(static_cast<size_t>(kk));
        std::vector<float> vals(static_cast<size_t>(kk));
        topKIndices(x.data(), n, kk, ids.data(), vals.data());
        if (!withNan)
            for (int i = 0; i < kk; ++i) CHECK(ids[size_t(i)] == order[size_t(i)]);
    }
}
