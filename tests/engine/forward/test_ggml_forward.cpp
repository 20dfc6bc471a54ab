// The forward pass on weights kept in each ggml type equals the forward pass on the same weights
// dequantized to float32 (issue 11: within 1e-3 in the logits), for prefill (dequantize + gemm)
// and for decode (the type's row kernels). A synthetic llama model whose every width is a
// multiple of 256, so the k-quants apply; its weights are seeded random blocks of the type.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "anatomy/architecture.h"
#include "anatomy/gguf_writer.h"
#include "anatomy/model.h"
#include "anatomy/session.h"
#include "engine/kernels/ggml_test_blocks.h"
#include "kernels/matmul.h"

using anatomy::GgmlType;
using anatomy::Matrix;
using anatomy::Model;

namespace {

struct QuantizedPair {
    std::vector<std::vector<uint8_t>> blocks;  // storage of the quantized model's matrices
    std::shared_ptr<Model> quantized, dense;
};

anatomy::ModelConfig config() {
    anatomy::ModelConfig c;
    c.dim = 256;
    c.hiddenDim = 512;
    c.nLayers = 2;
    c.nHeads = 4;
    c.nKvHeads = 2;
    c.vocabSize = 96;
    c.seqLen = 64;
    c.sharedClassifier = false;
    return c;
}

// Both models from one set of random blocks of type t: one keeps them, one holds their floats.
QuantizedPair makePair(GgmlType t, std::mt19937& rng) {
    QuantizedPair p;
    p.quantized = std::make_shared<Model>();
    p.dense = std::make_shared<Model>();
    for (Model* m : {p.quantized.get(), p.dense.get()}) {
        m->config = config();
        m->architecture = anatomy::llamaArchitecture(m->config);
        m->format = anatomy::ModelFormat::Gguf;
        m->path = "synthetic";
    }
    const anatomy::ModelConfig c = config();
    auto matrix = [&](int rows, int cols, float rms, Matrix& q, Matrix& d) {
        p.blocks.push_back(ggmltest::randomMatrix(t, rows, cols, rms, rng));
        q = Matrix{};
        q.rows = d.rows = rows;
        q.cols = d.cols = cols;
        q.type = t;
        q.blocks = p.blocks.back().data();
        std::vector<float> v(size_t(rows) * size_t(cols));
        anatomy::ops::dequantizeRows(v.data(), q, 0, rows);
        d = Matrix{};
        d.rows = rows;
        d.cols = cols;
        d.f32 = p.dense->own(std::move(v));
    };
    std::normal_distribution<float> gain(1.0f, 0.1f);
    auto norm = [&](int n) {
        std::vector<float> g(static_cast<size_t>(n));
        for (float& x : g) x = gain(rng);
        const float* a = p.quantized->own(g);
        const float* b = p.dense->own(std::move(g));
        return std::pair{a, b};
    };
    const int dim = c.dim, hidden = c.hiddenDim, kvDim = c.kvDim();
    const float wr = 1.0f / std::sqrt(float(dim)), hr = 1.0f / std::sqrt(float(hidden));
    matrix(c.vocabSize, dim, 1.0f, p.quantized->tokenEmbeddings, p.dense->tokenEmbeddings);
    p.dense->tokenEmbedding = p.dense->tokenEmbeddings.f32;
    p.quantized->layers.resize(size_t(c.nLayers));
    p.dense->layers.resize(size_t(c.nLayers));
    for (int l = 0; l < c.nLayers; ++l) {
        anatomy::LayerWeights& Q = p.quantized->layers[size_t(l)];
        anatomy::LayerWeights& D = p.dense->layers[size_t(l)];
        std::tie(Q.rmsAtt, D.rmsAtt) = norm(dim);
        std::tie(Q.rmsFfn, D.rmsFfn) = norm(dim);
        matrix(dim, dim, wr, Q.wq, D.wq);
        matrix(kvDim, dim, wr, Q.wk, D.wk);
        matrix(kvDim, dim, wr, Q.wv, D.wv);
        matrix(dim, dim, wr, Q.wo, D.wo);
        matrix(hidden, dim, wr, Q.w1, D.w1);
        matrix(dim, hidden, hr, Q.w2, D.w2);
        matrix(hidden, dim, wr, Q.w3, D.w3);
    }
    std::tie(p.quantized->rmsFinal, p.dense->rmsFinal) = norm(dim);
    matrix(c.vocabSize, dim, wr, p.quantized->classifier, p.dense->classifier);
    return p;
}

float maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
    REQUIRE(a.size() == b.size());
    float m = 0;
    for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(a[i] - b[i]));
    return m;
}

// Mean KL(p || q) in nats over rows of V logits.
double meanKl(const std::vector<float>& p, const std::vector<float>& q, int V) {
    double kl = 0;
    const size_t n = p.size() / size_t(V);
    for (size_t r = 0; r < n; ++r) {
        const float* a = &p[r * size_t(V)];
        const float* b = &q[r * size_t(V)];
        const float ma = *std::max_element(a, a + V), mb = *std::max_element(b, b + V);
        double za = 0, zb = 0;
        for (int i = 0; i < V; ++i) za += std::exp(double(a[i] - ma)), zb += std::exp(double(b[i] - mb));
        for (int i = 0; i < V; ++i) {
            const double pa = std::exp(double(a[i] - ma)) / za, pb = std::exp(double(b[i] - mb)) / zb;
            kl += pa * std::log(pa / pb);
        }
    }
    return kl / double(n);
}

struct ActivationsGuard {
    ~ActivationsGuard() { anatomy::ops::setQuantizedActivations(true); }
};

}  // namespace

TEST_CASE("Forward on each ggml type equals the forward on its dequantized float32 weights",
          "[forward][ggml]") {
    ActivationsGuard guard;
    anatomy::ops::setQuantizedActivations(false);  // Q8_0 with float activations, like the rest
    std::mt19937 rng(1103);
    const std::vector<int> prompt = {1, 17, 42, 5, 88, 63, 2, 30, 71, 9, 54, 12};
    const std::vector<int> next = {33, 7, 90, 41};
    for (GgmlType t : ggmltest::blockTypes()) {
        const QuantizedPair p = makePair(t, rng);
        anatomy::Session sq(p.quantized), sd(p.dense);
        // Prefill: every row of logits.
        const std::vector<float> lq = sq.forward(prompt, true), ld = sd.forward(prompt, true);
        float worst = maxAbsDiff(lq, ld), scale = 0;
        for (float v : ld) scale = std::max(scale, std::fabs(v));
        // Decode: one token at a time.
        float worstDecode = 0;
        for (int tok : next) {
            const std::vector<int> one = {tok};
            const std::vector<float> a = sq.forward(one), b = sd.forward(one);
            worstDecode = std::max(worstDecode, maxAbsDiff(a, b));
        }
        std::printf("[ggml] %-4s forward vs dequantized f32: prefill (12 tokens) max |dlogit| %.3g, "
                    "decode (4 tokens) %.3g (tolerance 1e-3; max |logit| %.3g)\n",
                    anatomy::ggmlTypeInfo(t).name, worst, worstDecode, scale);
        INFO(anatomy::ggmlTypeInfo(t).name);
        CHECK(scale > 0.5f);  // the logits are not vanishingly small, so 1e-3 means something
        CHECK(worst <= 1e-3f);
        CHECK(worstDecode <= 1e-3f);
    }
}

TEST_CASE("Q8_0 with quantized activations stays close to its float-activation forward",
          "[forward][ggml]") {
    ActivationsGuard guard;
    std::mt19937 rng(1104);
    const QuantizedPair p = makePair(GgmlType::Q8_0, rng);
    const std::vector<int> prompt = {1, 17, 42, 5, 88, 63, 2, 30};
    anatomy::ops::setQuantizedActivations(true);
    // Decode's path: one token at a time (several tokens go through the dequantized gemm).
    std::vector<float> fast;
    {
        anatomy::Session s(p.quantized);
        for (int id : prompt) {
            const std::vector<float>& row = s.forward(std::vector<int>{id});
            fast.insert(fast.end(), row.begin(), row.end());
        }
    }
    // A prefill with quantized activations on is the float-activation gemm.
    const std::vector<float> prefill = anatomy::Session(p.quantized).forward(prompt, true);
    anatomy::ops::setQuantizedActivations(false);
    const std::vector<float> exact = anatomy::Session(p.quantized).forward(prompt, true);
    const std::vector<float> dense = anatomy::Session(p.dense).forward(prompt, true);
    // Mean KL(exact || fast) over the positions, in nats.
    const double kl = meanKl(exact, fast, p.dense->config.vocabSize);
    const float dFast = maxAbsDiff(fast, dense), dExact = maxAbsDiff(exact, dense);
    std::printf("[ggml] Q8_0 quantized activations vs dequantized f32: max |dlogit| %.3g, mean KL "
                "%.3g nats; float activations %.3g\n", dFast, kl, dExact);
    CHECK(dExact <= 1e-3f);
    CHECK(maxAbsDiff(prefill, exact) <= 1e-4f);
    CHECK(dFast > dExact);  // the fast path really quantized the activations
    CHECK(kl < 0.05);
}

namespace {

// A llama GGUF laid out as llama-quantize writes Q4_K_M: Q4_K token embeddings and matrices,
// Q6_K for V, the FFN's down projection and the classifier; seeded random blocks.
std::string writeQ4_K_MFile(std::mt19937& rng) {
    const anatomy::ModelConfig c = config();
    const uint64_t D = uint64_t(c.dim), H = uint64_t(c.hiddenDim), KV = uint64_t(c.kvDim()),
                   V = uint64_t(c.vocabSize);
    anatomy::GgufWriter w;
    w.addString("general.architecture", "llama");
    w.addU32("llama.context_length", uint32_t(c.seqLen));
    w.addU32("llama.embedding_length", uint32_t(D));
    w.addU32("llama.feed_forward_length", uint32_t(H));
    w.addU32("llama.block_count", uint32_t(c.nLayers));
    w.addU32("llama.attention.head_count", uint32_t(c.nHeads));
    w.addU32("llama.attention.head_count_kv", uint32_t(c.nKvHeads));
    w.addF32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    std::vector<std::string> pieces = {"<unk>", "<s>", "</s>"};
    while (pieces.size() < V) pieces.push_back(std::to_string(pieces.size()));
    w.addString("tokenizer.ggml.model", "llama");
    w.addStringArray("tokenizer.ggml.tokens", pieces);
    w.addF32Array("tokenizer.ggml.scores", std::vector<float>(V, 0.0f));
    w.addI32Array("tokenizer.ggml.token_type", std::vector<int32_t>(V, 1));
    auto matrix = [&](const std::string& name, GgmlType t, uint64_t rows, uint64_t cols, float rms) {
        w.addTensor(name, {cols, rows}, uint32_t(t), ggmltest::randomMatrix(t, int(rows), int(cols), rms, rng));
    };
    std::normal_distribution<float> gain(1.0f, 0.1f);
    auto norm = [&](const std::string& name) {
        std::vector<float> g(D);
        for (float& x : g) x = gain(rng);
        w.addTensorF32(name, {D}, g);
    };
    const float wr = 1.0f / std::sqrt(float(D)), hr = 1.0f / std::sqrt(float(H));
    matrix("token_embd.weight", GgmlType::Q4_K, V, D, 1.0f);
    for (int l = 0; l < c.nLayers; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        norm(p + "attn_norm.weight");
        matrix(p + "attn_q.weight", GgmlType::Q4_K, D, D, wr);
        matrix(p + "attn_k.weight", GgmlType::Q4_K, KV, D, wr);
        matrix(p + "attn_v.weight", GgmlType::Q6_K, KV, D, wr);
        matrix(p + "attn_output.weight", GgmlType::Q4_K, D, D, wr);
        norm(p + "ffn_norm.weight");
        matrix(p + "ffn_gate.weight", GgmlType::Q4_K, H, D, wr);
        matrix(p + "ffn_up.weight", GgmlType::Q4_K, H, D, wr);
        matrix(p + "ffn_down.weight", GgmlType::Q6_K, D, H, hr);
    }
    norm("output_norm.weight");
    matrix("output.weight", GgmlType::Q6_K, V, D, wr);
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("anatomy_q4_k_m_" + std::to_string(::getpid()) + ".gguf")).string();
    w.write(path);
    return path;
}


}  // namespace

TEST_CASE("Q4_K_M GGUF: decode with Q8_K activations stays close to float-activation decode",
          "[forward][ggml]") {
    ActivationsGuard guard;
    std::mt19937 rng(1105);
    const std::string path = writeQ4_K_MFile(rng);
    const std::shared_ptr<Model> m = anatomy::loadGguf(path);
    std::filesystem::remove(path);
    REQUIRE(m->layers[0].wq.type == GgmlType::Q4_K);
    REQUIRE(m->layers[0].w2.type == GgmlType::Q6_K);
    REQUIRE(m->classifier.type == GgmlType::Q6_K);
    const int V = m->config.vocabSize;
    const std::vector<int> prompt = {1, 17, 42, 5, 88, 63, 2, 30};
    const std::vector<int> next = {33, 7, 90, 41, 12, 64, 3, 77};
    anatomy::Session fastSession(m), exactSession(m);
    // Prefill takes the float path either way (dequantize + gemm; every position's logits, so
    // the classifier too): the same logits.
    anatomy::ops::setQuantizedActivations(true);
    const std::vector<float> pf = fastSession.forward(prompt, true);
    anatomy::ops::setQuantizedActivations(false);
    const std::vector<float> pe = exactSession.forward(prompt, true);
    CHECK(pf == pe);
    // Decode, token by token, both sessions fed the same tokens.
    std::vector<float> fast, exact;
    for (int tok : next) {
        const std::vector<int> one = {tok};
        anatomy::ops::setQuantizedActivations(true);
        const std::vector<float>& a = fastSession.forward(one);
        fast.insert(fast.end(), a.begin(), a.end());
        anatomy::ops::setQuantizedActivations(false);
        const std::vector<float>& b = exactSession.forward(one);
        exact.insert(exact.end(), b.begin(), b.end());
    }
    float scale = 0;
    int sameTop = 0;
    for (float v : exact) scale = std::max(scale, std::fabs(v));
    for (size_t r = 0; r < next.size(); ++r) {
        const auto* a = &fast[r * size_t(V)];
        const auto* b = &exact[r * size_t(V)];
        sameTop += std::max_element(a, a + V) - a == std::max_element(b, b + V) - b;
    }
    const float d = maxAbsDiff(fast, exact);
    const double kl = meanKl(exact, fast, V);
    std::printf("[ggml] Q4_K_M file, %zu decoded tokens: Q8_K activations vs float: max |dlogit| %.3g "
                "(max |logit| %.3g), mean KL %.3g nats, top-1 %d/%zu\n", next.size(), d, scale, kl,
                sameTop, next.size());
    CHECK(d > 0.0f);             // the decode really quantized the activations
    CHECK(d <= 0.05f * scale);
    CHECK(kl < 1e-3);
    CHECK(sameTop >= int(next.size()) - 1);
}
