// Shared-prefix attention (beam search's batched step): the same bits as each row on its own.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <random>

#include "anatomy/error.h"
#include "anatomy/model_registry.h"
#include "anatomy/session.h"
#include "attention/attention.h"
#include "attention/shared_prefix_attention.h"
#include "kernels/fast_exp.h"
#include "test_paths.h"
#include "trace/trace_capture.h"

using namespace anatomy;

namespace {

std::shared_ptr<const Model> stories() {
    static const std::shared_ptr<const Model> m = openModel(modelPath("stories260K.bin"));
    return m;
}

// Random caches for n rows at the given positions, the first `prefix` positions copied from row 0.
struct Caches {
    std::vector<std::vector<float>> keys, values;  // [n][(pos + 1) kvDim]
    std::vector<float> q;                          // [n, qDim]
};

Caches randomCaches(const AttentionSpec& s, const std::vector<int>& pos, int prefix, unsigned seed) {
    const int kvDim = s.nKvHeads * s.headSize, qDim = s.nHeads * s.headSize, n = int(pos.size());
    std::mt19937 rng(seed);
    std::normal_distribution<float> nd(0.0f, 1.5f);
    Caches c;
    c.keys.resize(size_t(n));
    c.values.resize(size_t(n));
    for (int r = 0; r < n; ++r) {
        c.keys[size_t(r)].resize(size_t(pos[size_t(r)] + 1) * kvDim);
        c.values[size_t(r)].resize(c.keys[size_t(r)].size());
        for (float& x : c.keys[size_t(r)]) x = nd(rng);
        for (float& x : c.values[size_t(r)]) x = nd(rng);
        if (r > 0)
            for (int j = 0; j < prefix * kvDim; ++j) {
                c.keys[size_t(r)][size_t(j)] = c.keys[0][size_t(j)];
                c.values[size_t(r)][size_t(j)] = c.values[0][size_t(j)];
            }
    }
    c.q.resize(size_t(n) * qDim);
    for (float& x : c.q) x = nd(rng);
    return c;
}

// llama2.c's decode attention of one row at position pos, written out plainly (the reference
// both SIMD paths must equal): s_j = (sum_i q_i k_ji) / sqrt(hs), the fast exp's softmax,
// out_i = sum_j a_j v_ji, every sum in index order.
void referenceRow(const AttentionSpec& s, const float* q, const float* keys, const float* values, int pos, float* out) {
    const int hs = s.headSize, kvDim = s.nKvHeads * hs, group = s.nHeads / s.nKvHeads;
    std::vector<float> a(size_t(pos) + 1);
    for (int h = 0; h < s.nHeads; ++h) {
        const int kh = h / group;
        float maxv = -INFINITY;
        for (int j = 0; j <= pos; ++j) {
            float d = 0.0f;
            for (int i = 0; i < hs; ++i) d += q[h * hs + i] * keys[size_t(j) * kvDim + size_t(kh) * hs + i];
            a[size_t(j)] = d / std::sqrt(float(hs));
            maxv = std::max(maxv, a[size_t(j)]);
        }
        const float sum = expShiftSum(a.data(), pos + 1, maxv);
        for (float& x : a) x /= sum;
        for (int i = 0; i < hs; ++i) {
            float o = 0.0f;
            for (int j = 0; j <= pos; ++j) o += a[size_t(j)] * values[size_t(j) * kvDim + size_t(kh) * hs + i];
            out[h * hs + i] = o;
        }
    }
}

}  // namespace

TEST_CASE("shared-prefix attention equals causal rows bit for bit", "[attention][beam]") {
    const Model& model = *stories();
    TraceCapture none(nullptr, model, {}, 0, 1);
    struct Case {
        int nHeads, nKvHeads, headSize;
        std::vector<int> pos;
        int prefix;
    };
    // Head sizes 8 (stories260K) and 12 (a partial value block); 1 to 6 rows (more than one
    // group of lanes); prefixes from none to every position; rows at different positions.
    const std::vector<Case> cases = {
        {8, 4, 8, {40, 40, 40, 40}, 33},  {8, 4, 8, {40, 40, 40, 40}, 0},  {8, 4, 8, {9, 9, 9, 9}, 10},
        {4, 2, 12, {17, 17, 17, 17, 17, 17}, 11}, {4, 4, 12, {5}, 3}, {6, 2, 16, {30, 31, 35}, 29},
        {8, 4, 8, {7, 7}, 7}, {4, 2, 64, {70, 70, 75, 70}, 66}, {2, 1, 48, {20, 20, 20, 20, 20}, 19},
        // One row (decode): whole blocks of 32 keys and of 32 value dimensions, and their tails.
        {8, 4, 64, {100}, 0}, {6, 6, 48, {77}, 50}, {4, 2, 40, {31}, 0}, {4, 2, 64, {64, 65, 70, 66, 95}, 63},
    };
    for (const Case& k : cases) {
        AttentionSpec spec;
        spec.nHeads = k.nHeads;
        spec.nKvHeads = k.nKvHeads;
        spec.headSize = k.headSize;
        REQUIRE(sharedPrefixApplies(spec, false));
        const int n = int(k.pos.size()), qDim = k.nHeads * k.headSize;
        const Caches c = randomCaches(spec, k.pos, k.prefix, unsigned(n * 31 + k.prefix));
        std::vector<float> byRow(size_t(n) * qDim), shared(size_t(n) * qDim, -1.0f), reference(byRow.size());
        for (int r = 0; r < n; ++r) {
            referenceRow(spec, &c.q[size_t(r) * qDim], c.keys[size_t(r)].data(), c.values[size_t(r)].data(),
                         k.pos[size_t(r)], &reference[size_t(r) * qDim]);
            AttentionInput in;
            in.spec = &spec;
            in.start = k.pos[size_t(r)];
            in.T = 1;
            in.q = &c.q[size_t(r) * qDim];
            in.keys = c.keys[size_t(r)].data();
            in.values = c.values[size_t(r)].data();
            in.out = &byRow[size_t(r) * qDim];
            in.cap = &none;
            attend(chooseAttention(spec, 1, false), in);
        }
        std::vector<const float*> keys, values;
        for (int r = 0; r < n; ++r) {
            keys.push_back(c.keys[size_t(r)].data());
            values.push_back(c.values[size_t(r)].data());
        }
        SharedPrefixRows in;
        in.spec = &spec;
        in.n = n;
        in.prefix = k.prefix;
        in.q = c.q.data();
        in.keys = keys.data();
        in.values = values.data();
        in.pos = k.pos.data();
        in.out = shared.data();
        attendSharedPrefix(in);
        INFO("heads " << k.nHeads << "/" << k.nKvHeads << " x " << k.headSize << ", rows " << n << ", prefix "
                      << k.prefix << ", " << (sharedPrefixAvx2() ? "AVX2" : "baseline") << " build");
        CHECK(std::memcmp(reference.data(), byRow.data(), sizeof(float) * byRow.size()) == 0);
        CHECK(std::memcmp(byRow.data(), shared.data(), sizeof(float) * byRow.size()) == 0);
        // The baseline build too, whichever one runs here.
        std::vector<float> baseline(byRow.size(), -1.0f);
        in.out = baseline.data();
        attendSharedPrefixBaseline(in);
        CHECK(std::memcmp(byRow.data(), baseline.data(), sizeof(float) * byRow.size()) == 0);
    }
    // Not for the exact (libm) softmax of int8 models, nor for the simulator's general attention.
    AttentionSpec plain;
    plain.nHeads = plain.nKvHeads = 1;
    plain.headSize = 8;
    CHECK_FALSE(sharedPrefixApplies(plain, true));
    AttentionSpec alibi = plain;
    alibi.alibi = true;
    CHECK_FALSE(sharedPrefixApplies(alibi, false));
}

TEST_CASE("key scores: the SIMD build equals llama2.c's scalar dot products bit for bit", "[attention][beam][kernel]") {
    // Head sizes 8, 16, 48, 64 (eight keys as lanes) and 12 (the scalar chains); 1 to 6 queries;
    // ranges shorter than a block, unaligned starts and ragged ends; several heads per cache row.
    std::mt19937 rng(7);
    std::normal_distribution<float> nd(0.0f, 2.0f);
    struct Range {
        int from, to;
    };
    const std::vector<Range> ranges = {{0, 0}, {0, 6}, {0, 7}, {0, 8}, {3, 40}, {5, 12}, {9, 8}, {0, 100}};
    float worst = 0.0f;
    for (int hs : {8, 12, 16, 48, 64})
        for (int m : {1, 2, 3, 4, 6})
            for (const Range& r : ranges) {
                const int kvDim = 3 * hs, keys = 101;
                std::vector<float> cache(size_t(keys) * kvDim), q(size_t(m) * hs);
                for (float& x : cache) x = nd(rng);
                for (float& x : q) x = nd(rng);
                std::vector<std::vector<float>> simd(size_t(m), std::vector<float>(keys, -7.0f)),
                    scalar = simd, naive = simd;
                std::vector<const float*> qs;
                std::vector<float*> outSimd, outScalar;
                for (int l = 0; l < m; ++l) {
                    qs.push_back(&q[size_t(l) * hs]);
                    outSimd.push_back(simd[size_t(l)].data());
                    outScalar.push_back(scalar[size_t(l)].data());
                    // llama2.c's loop: score += q[i] * k[i], then / sqrt(head_size).
                    for (int j = r.from; j <= r.to; ++j) {
                        float d = 0.0f;
                        for (int i = 0; i < hs; ++i) d += q[size_t(l) * hs + i] * cache[size_t(j) * kvDim + hs + i];
                        naive[size_t(l)][size_t(j)] = d / std::sqrt(float(hs));
                    }
                }
                KeyScores k;
                k.q = qs.data();
                k.m = m;
                k.keys = cache.data() + hs;  // the second head's slice
                k.kvDim = kvDim;
                k.headSize = hs;
                k.from = r.from;
                k.to = r.to;
                k.out = outSimd.data();
                scoreKeys(k);
                k.out = outScalar.data();
                scoreKeysBaseline(k);
                INFO("head size " << hs << ", " << m << " queries, keys " << r.from << ".." << r.to << ", "
                                  << (sharedPrefixAvx2() ? "AVX2" : "baseline") << " build");
                for (int l = 0; l < m; ++l)
                    for (int j = 0; j < keys; ++j)
                        worst = std::max(worst, std::fabs(simd[size_t(l)][size_t(j)] - naive[size_t(l)][size_t(j)]));
                CHECK(simd == naive);  // untouched keys stay -7 in all three
                CHECK(scalar == naive);
            }
    INFO("largest difference from llama2.c's loop: " << worst);
    CHECK(worst == 0.0f);
}

TEST_CASE("decode softmax: the SIMD build equals the scalar fast exp bit for bit, clamps and NaN included",
          "[attention][beam][kernel]") {
    std::mt19937 rng(11);
    std::normal_distribution<float> nd(0.0f, 30.0f);
    for (int n : {1, 5, 8, 9, 16, 23, 64, 200}) {
        // Scores far below the max (exp underflows to 0 below -87), at the clamps, and a NaN.
        std::vector<float> row(static_cast<size_t>(n));
        for (float& x : row) x = nd(rng);
        if (n > 3) {
            row[1] = row[0] - 87.0f;
            row[2] = row[0] - 87.5f;
            row[3] = -1e30f;
        }
        for (bool withNan : {false, true}) {
            std::vector<float> in = row;
            if (withNan) in[size_t(n) / 2] = std::nanf("");
            std::vector<float> simd = in, scalar = in, reference = in;
            softmaxDecodeRow(simd.data(), n);
            softmaxDecodeRowBaseline(scalar.data(), n);
            float maxv = -INFINITY;
            for (float x : reference) maxv = std::max(maxv, x);
            const float sum = expShiftSum(reference.data(), n, maxv);
            for (float& x : reference) x /= sum;
            INFO(n << " scores" << (withNan ? ", one NaN" : "") << ", " << (sharedPrefixAvx2() ? "AVX2" : "baseline")
                   << " build");
            CHECK(std::memcmp(simd.data(), reference.data(), sizeof(float) * size_t(n)) == 0);
            CHECK(std::memcmp(scalar.data(), reference.data(), sizeof(float) * size_t(n)) == 0);
            if (!withNan) {
                double total = 0.0;
                for (float p : simd) total += p;
                CHECK(total == Approx(1.0).epsilon(1e-5));
            }
        }
    }
}

TEST_CASE("forwardEach over forked sessions: the shared prefix gives the same logits bit for bit",
          "[attention][beam][model]") {
    const auto model = stories();
    const std::vector<int> prompt{1, 403, 407, 261, 378, 300, 260, 429, 270};
    // Two sets of five forks of one prefill, one row a token ahead.
    auto forks = [&](std::vector<std::unique_ptr<Session>>& s) {
        s.push_back(std::make_unique<Session>(model));
        s[0]->forward(prompt);
        for (int i = 1; i < 5; ++i) {
            s.push_back(std::make_unique<Session>(model));
            s[size_t(i)]->copyCacheFrom(*s[0], 0, s[0]->position());
        }
        const int extra[1] = {300};
        s[4]->forward(extra);
    };
    std::vector<std::unique_ptr<Session>> a, b;
    forks(a);
    forks(b);
    const int P = int(prompt.size());
    for (int step = 0; step < 4; ++step) {
        std::vector<Session*> sa, sb;
        std::vector<int> tokens;
        for (int i = 0; i < 5; ++i) {
            sa.push_back(a[size_t(i)].get());
            sb.push_back(b[size_t(i)].get());
            tokens.push_back(280 + 7 * i + step);
        }
        const std::vector<float> shared = Session::forwardEach(sa, tokens, {}, P);
        const std::vector<float> alone = Session::forwardEach(sb, tokens, {}, 0);
        INFO("step " << step);
        CHECK(shared == alone);
    }
    // The promise is checked as far as it can be: tokens and positions.
    std::vector<Session*> s2{a[0].get(), a[1].get()};
    CHECK_THROWS_WITH(Session::forwardEach(s2, std::vector<int>{5, 6}, {}, 1000),
                      Catch::Contains("shared prefix 1000 outside a cache"));
    Session other(model);
    other.forward(std::vector<int>{1, 5, 6, 7, 8, 9, 10, 11, 12});
    std::vector<Session*> s3{a[0].get(), &other};
    CHECK_THROWS_WITH(Session::forwardEach(s3, std::vector<int>{5, 6}, {}, 3),
                      Catch::Contains("differ within the shared prefix"));
    CHECK_NOTHROW(Session::forwardEach(s3, std::vector<int>{5, 6}, {}, 1));  // BOS alone is shared
}
