// A seeded random-weight BERT in llama.cpp's GGUF layout (gguf_bert.cpp), with a 512-piece
// WordPiece vocabulary as llama.cpp's converter stores one: word starts with U+2581 ("▁play"),
// continuations bare ("ing", Hugging Face's "##ing"), [PAD] [UNK] [CLS] [SEP] [MASK] first.
// Weights as synth_gguf.h says (same draws, same order as the tensors are written).
#include "io/synth_bert.h"

#include <cmath>
#include <random>
#include <set>

#include "anatomy/error.h"
#include "io/synth_storage.h"

namespace anatomy {

namespace {

constexpr int kVocab = 512;
constexpr int kTokenTypes = 2;  // BERT's sentence A / B

struct WordPieceVocabulary {
    std::vector<std::string> pieces;
    std::vector<int32_t> types;  // 1 normal, 2 unknown, 3 control
};

WordPieceVocabulary synthWordPieces() {
    WordPieceVocabulary v;
    for (const char* s : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) {
        v.pieces.push_back(s);
        v.types.push_back(std::string(s) == "[UNK]" ? 2 : 3);
    }
    const std::string sp = "\xe2\x96\x81";  // U+2581: a word start
    std::set<std::string> seen(v.pieces.begin(), v.pieces.end());
    auto piece = [&](const std::string& p) {
        if (int(v.pieces.size()) < kVocab && seen.insert(p).second) {
            v.pieces.push_back(p);
            v.types.push_back(1);
        }
    };
    for (const char* w : {"the", "and", "was", "to", "a", "he", "she", "it", "they", "once", "upon", "time",
                          "there", "little", "girl", "boy", "day", "big", "happy", "said", "play", "with",
                          "her", "his", "in", "of", "on", "saw", "went", "had", "lily", "tim", "mom", "dog",
                          "cat", "sat", "mat", "tree", "sun", "friend", "very", "not", "so", "but", "one",
                          "ball", "park", "is", "are", "hello", "world", "good", "bad", "red", "blue"})
        piece(sp + w);
    for (const char* p : {"s", "ing", "ed", "er", "ly", "es", "en", "est", "y", "n", "t", "ness"}) piece(p);
    for (const char* p : {".", ",", "!", "?", "'", "\"", "-", ":", ";", "(", ")"}) piece(sp + p);
    for (char ch = 'a'; ch <= 'z'; ++ch) piece(sp + ch);
    for (char ch = '0'; ch <= '9'; ++ch) piece(sp + ch);
    for (char ch = 'a'; ch <= 'z'; ++ch) piece(std::string(1, ch));
    for (char ch = '0'; ch <= '9'; ++ch) piece(std::string(1, ch));
    // Fill up with two-letter word starts and continuations: "▁ab", ..., "ab", ...
    for (char a = 'a'; a <= 'z'; ++a)
        for (char b = 'a'; b <= 'z'; ++b) piece(sp + a + b);
    for (char a = 'a'; a <= 'z'; ++a)
        for (char b = 'a'; b <= 'z'; ++b) piece(std::string{a, b});
    return v;
}

}  // namespace

GgufWriter synthBertGguf(const SynthGgufSpec& s) {
    if (s.dim <= 0 || s.nHeads <= 0 || s.dim % s.nHeads != 0 || s.nKvHeads != s.nHeads || s.nLayers <= 0 ||
        s.hiddenDim <= 0 || s.seqLen <= 0 || s.headDim != 0)
        throw Error("synth: a bert shape has dim divisible by its heads, as many KV heads as heads, layers, hidden "
                    "and context above 0");
    if (s.poolingType < 0 || s.poolingType > 3)
        throw Error("synth: bert.pooling_type: expected 0 to 3, got " + std::to_string(s.poolingType));
    const uint64_t D = uint64_t(s.dim), H = uint64_t(s.hiddenDim), V = kVocab, C = uint64_t(s.seqLen);

    GgufWriter w;
    w.addString("general.architecture", "bert");
    w.addString("general.name", "anatomy synthetic encoder, seed " + std::to_string(s.seed));
    w.addU32("bert.context_length", uint32_t(s.seqLen));
    w.addU32("bert.embedding_length", uint32_t(s.dim));
    w.addU32("bert.feed_forward_length", uint32_t(s.hiddenDim));
    w.addU32("bert.block_count", uint32_t(s.nLayers));
    w.addU32("bert.attention.head_count", uint32_t(s.nHeads));
    w.addF32("bert.attention.layer_norm_epsilon", 1e-12f);  // BERT's
    w.addBool("bert.attention.causal", false);
    w.addU32("bert.pooling_type", uint32_t(s.poolingType));

    const WordPieceVocabulary vocab = synthWordPieces();
    if (vocab.pieces.size() != V) throw Error("synth: the WordPiece vocabulary is not 512 pieces");
    w.addString("tokenizer.ggml.model", "bert");
    w.addStringArray("tokenizer.ggml.tokens", vocab.pieces);
    w.addI32Array("tokenizer.ggml.token_type", vocab.types);
    w.addU32("tokenizer.ggml.token_type_count", uint32_t(kTokenTypes));
    w.addU32("tokenizer.ggml.padding_token_id", 0);
    w.addU32("tokenizer.ggml.unknown_token_id", 1);
    w.addU32("tokenizer.ggml.bos_token_id", 2);  // llama.cpp puts BOS first; for BERT that is [CLS]
    w.addU32("tokenizer.ggml.cls_token_id", 2);
    w.addU32("tokenizer.ggml.seperator_token_id", 3);
    w.addU32("tokenizer.ggml.mask_token_id", 4);
    w.addBool("tokenizer.ggml.add_bos_token", true);
    w.addBool("tokenizer.ggml.add_eos_token", true);

    std::mt19937 rng(s.seed);
    auto normal = [&](size_t n, float mean, float std) {
        std::normal_distribution<float> d(mean, std);
        std::vector<float> v(n);
        for (float& x : v) x = d(rng);
        return v;
    };
    auto matrix = [&](uint64_t rows, uint64_t cols) { return normal(rows * cols, 0.0f, 1.0f / std::sqrt(float(cols))); };
    auto put = [&](const std::string& name, std::vector<uint64_t> ne, const std::vector<float>& v) {
        w.addTensorF32(name, std::move(ne), v);
    };
    // The matrices llama-quantize converts (token embeddings, attention and FFN weights) in the
    // spec's type; positions, token types, norms and biases stay F32 as it leaves them.
    auto putMatrix = [&](const std::string& name, std::vector<uint64_t> ne, const std::vector<float>& v) {
        if (s.matrixType == GgmlType::F32) w.addTensorF32(name, std::move(ne), v);
        else w.addTensor(name, std::move(ne), uint32_t(s.matrixType), synthStoredAs(s.matrixType, v));
    };
    auto gain = [&](const std::string& name) { put(name, {D}, normal(D, 1.0f, 0.1f)); };
    auto bias = [&](const std::string& name, uint64_t n) { put(name, {n}, normal(n, 0.0f, 0.1f)); };

    putMatrix("token_embd.weight", {D, V}, normal(D * V, 0.0f, 0.5f));
    put("token_types.weight", {D, uint64_t(kTokenTypes)}, normal(D * kTokenTypes, 0.0f, 0.5f));
    put("position_embd.weight", {D, C}, normal(D * C, 0.0f, 0.5f));
    gain("token_embd_norm.weight");
    bias("token_embd_norm.bias", D);
    for (int l = 0; l < s.nLayers; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        // q, k, v drawn alike whether written apart or fused (rows q | k | v): the same network.
        std::vector<float> qkvW, qkvB;
        for (const char* part : {"attn_q", "attn_k", "attn_v"}) {
            const std::vector<float> m = matrix(D, D), b = normal(D, 0.0f, 0.1f);
            if (s.fusedQkv) {
                qkvW.insert(qkvW.end(), m.begin(), m.end());
                qkvB.insert(qkvB.end(), b.begin(), b.end());
            } else {
                putMatrix(p + part + ".weight", {D, D}, m);
                put(p + part + ".bias", {D}, b);
            }
        }
        if (s.fusedQkv) {
            putMatrix(p + "attn_qkv.weight", {D, 3 * D}, qkvW);
            put(p + "attn_qkv.bias", {3 * D}, qkvB);
        }
        putMatrix(p + "attn_output.weight", {D, D}, matrix(D, D));
        bias(p + "attn_output.bias", D);
        gain(p + "attn_output_norm.weight");
        bias(p + "attn_output_norm.bias", D);
        putMatrix(p + "ffn_up.weight", {D, H}, matrix(H, D));
        bias(p + "ffn_up.bias", H);
        putMatrix(p + "ffn_down.weight", {H, D}, matrix(D, H));
        bias(p + "ffn_down.bias", D);
        gain(p + "layer_output_norm.weight");
        bias(p + "layer_output_norm.bias", D);
    }
    return w;
}

}  // namespace anatomy
