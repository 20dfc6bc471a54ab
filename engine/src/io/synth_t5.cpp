// Seeded random-weight t5 files (gguf_t5.h): the tensors llama.cpp reads, in its order
// (token_embd, then per layer the encoder's and the decoder's blocks, then the output norms).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <set>

#include "anatomy/error.h"
#include "io/gguf_architectures.h"
#include "io/gguf_t5.h"
#include "io/synth_storage.h"
#include "kernels/q8_0.h"

namespace anatomy {

namespace {

constexpr int kVocab = 512;

// T5's special pieces first (<pad> 0, </s> 1, <unk> 2), then single characters, common English
// pieces and words with U+2581 for a leading space. No byte pieces: T5's unigram models have no
// byte fallback. Scores are log-probability-like, -1 - rank / 100, so fewer pieces win.
void addVocabulary(GgufWriter& w) {
    std::vector<std::string> pieces = {"<pad>", "</s>", "<unk>"};
    std::vector<int32_t> types = {3, 3, 2};  // control, control, unknown
    std::vector<float> scores = {0.0f, 0.0f, 0.0f};
    const std::string sp = "\xe2\x96\x81";
    std::set<std::string> seen(pieces.begin(), pieces.end());
    auto piece = [&](const std::string& p) {
        if (int(pieces.size()) >= kVocab || !seen.insert(p).second) return;
        pieces.push_back(p);
        types.push_back(1);
        scores.push_back(-1.0f - float(pieces.size()) / 100.0f);
    };
    for (const char* word : {"the", "and", "was", "to", "a", "he", "she", "it", "they", "Once", "upon", "time",
                             "there", "little", "girl", "boy", "day", "big", "happy", "said", "play", "with",
                             "translate", "English", "German", "summarize", "cat", "dog", "sat", "on", "mat"})
        piece(sp + word);
    for (const char* p : {"er", "in", "th", "he", "an", "on", "re", "ed", "ing", "ou", "at", "en", "nd", "st"})
        piece(p);
    piece(sp);
    for (char ch = 'a'; ch <= 'z'; ++ch) piece(sp + ch);
    for (char ch = 'a'; ch <= 'z'; ++ch) piece(std::string(1, ch));
    for (char ch = 'A'; ch <= 'Z'; ++ch) piece(std::string(1, ch));
    for (char ch = '0'; ch <= '9'; ++ch) piece(std::string(1, ch));
    for (const char* p : {".", ",", "!", "?", "'", "\"", "-", ":", ";", "(", ")"}) piece(p);
    for (char a = 'a'; a <= 'z'; ++a)
        for (char b = 'a'; b <= 'z'; ++b) piece(sp + a + b);
    w.addString("tokenizer.ggml.model", "t5");
    w.addString("tokenizer.ggml.pre", "default");
    w.addStringArray("tokenizer.ggml.tokens", pieces);
    w.addF32Array("tokenizer.ggml.scores", scores);
    w.addI32Array("tokenizer.ggml.token_type", types);
    w.addBool("tokenizer.ggml.add_space_prefix", true);
    w.addBool("tokenizer.ggml.remove_extra_whitespaces", true);
    w.addU32("tokenizer.ggml.eos_token_id", 1);
    w.addU32("tokenizer.ggml.unknown_token_id", 2);
    w.addU32("tokenizer.ggml.padding_token_id", 0);
    w.addBool("tokenizer.ggml.add_bos_token", false);
    w.addBool("tokenizer.ggml.add_eos_token", true);
}

}  // namespace

GgufWriter synthT5Gguf(const SynthGgufSpec& s) {
    if (s.dim <= 0 || s.nHeads <= 0 || s.nLayers <= 0 || s.hiddenDim <= 0 || s.seqLen <= 0 ||
        (s.headDim <= 0 && s.dim % s.nHeads != 0) || s.relativeBuckets < 4 || s.relativeBuckets % 4 != 0)
        throw Error("synth: the t5 shape does not divide (dim, heads, layers, hidden, context, buckets)");
    const uint64_t D = uint64_t(s.dim), H = uint64_t(s.hiddenDim), V = kVocab;
    const uint64_t hs = s.headDim > 0 ? uint64_t(s.headDim) : D / uint64_t(s.nHeads);
    const uint64_t inner = hs * uint64_t(s.nHeads);  // T5: heads x d_kv, not necessarily d_model
    GgufWriter w;
    w.addString("general.architecture", "t5");
    w.addString("general.name", "anatomy synthetic model, seed " + std::to_string(s.seed));
    w.addU32("t5.context_length", uint32_t(s.seqLen));
    w.addU32("t5.embedding_length", uint32_t(s.dim));
    w.addU32("t5.feed_forward_length", uint32_t(s.hiddenDim));
    w.addU32("t5.block_count", uint32_t(s.nLayers));
    w.addU32("t5.attention.head_count", uint32_t(s.nHeads));
    w.addU32("t5.attention.key_length", uint32_t(hs));
    w.addU32("t5.attention.value_length", uint32_t(hs));
    w.addF32("t5.attention.layer_norm_epsilon", 1e-6f);
    w.addU32("t5.attention.relative_buckets_count", uint32_t(s.relativeBuckets));
    w.addF32("t5.attention.layer_norm_rms_epsilon", 1e-6f);
    w.addU32("t5.decoder_start_token_id", 0);
    addVocabulary(w);

    std::mt19937 rng(s.seed);
    auto normal = [&](size_t n, float mean, float stddev) {
        std::normal_distribution<float> d(mean, stddev);
        std::vector<float> v(n);
        for (float& x : v) x = d(rng);
        return v;
    };
    // [rows, cols] N(0, 1/cols); queries also times d_kv^-1/2, as T5 initialises them (its
    // attention does not divide by sqrt(d_k)).
    auto store = [&](const std::string& name, uint64_t rows, uint64_t cols, const std::vector<float>& v) {
        if (s.matrixType == GgmlType::F32) w.addTensorF32(name, {cols, rows}, v);
        else w.addTensor(name, {cols, rows}, uint32_t(s.matrixType), synthStoredAs(s.matrixType, v));
    };
    auto matrix = [&](const std::string& name, uint64_t rows, uint64_t cols, float extra = 1.0f) {
        store(name, rows, cols, normal(rows * cols, 0.0f, extra / std::sqrt(float(cols))));
    };
    auto gain = [&](const std::string& name) { w.addTensorF32(name, {D}, normal(D, 1.0f, 0.1f)); };
    const float qScale = 1.0f / std::sqrt(float(hs));
    auto block = [&](const std::string& p, int layer, bool cross) {
        gain(p + "attn_norm.weight");
        if (layer == 0)  // [heads, buckets] ne: one bias per bucket and head, N(0, 0.5^2)
            w.addTensorF32(p + "attn_rel_b.weight", {uint64_t(s.nHeads), uint64_t(s.relativeBuckets)},
                           normal(uint64_t(s.nHeads) * uint64_t(s.relativeBuckets), 0.0f, 0.5f));
        matrix(p + "attn_q.weight", inner, D, qScale);
        matrix(p + "attn_k.weight", inner, D);
        matrix(p + "attn_v.weight", inner, D);
        matrix(p + "attn_o.weight", D, inner);
        if (cross) {
            gain(p + "cross_attn_norm.weight");
            matrix(p + "cross_attn_q.weight", inner, D, qScale);
            matrix(p + "cross_attn_k.weight", inner, D);
            matrix(p + "cross_attn_v.weight", inner, D);
            matrix(p + "cross_attn_o.weight", D, inner);
        }
        gain(p + "ffn_norm.weight");
        if (s.gatedFfn) matrix(p + "ffn_gate.weight", H, D);
        matrix(p + "ffn_up.weight", H, D);
        matrix(p + "ffn_down.weight", D, H);
    };
    store("token_embd.weight", V, D, normal(D * V, 0.0f, 0.5f));
    for (int l = 0; l < s.nLayers; ++l) block("enc.blk." + std::to_string(l) + ".", l, false);
    for (int l = 0; l < s.nLayers; ++l) block("dec.blk." + std::to_string(l) + ".", l, true);
    gain("enc.output_norm.weight");
    gain("dec.output_norm.weight");
    if (s.untiedOutput) matrix("output.weight", V, D);
    return w;
}

}  // namespace anatomy
