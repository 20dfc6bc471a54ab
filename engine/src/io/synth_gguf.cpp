#include "anatomy/synth_gguf.h"

#include <cmath>
#include <random>
#include <set>

#include "anatomy/error.h"
#include "anatomy/gguf_writer.h"
#include "io/gguf_architectures.h"
#include "io/gguf_t5.h"
#include "io/synth_bert.h"

namespace anatomy {

namespace {

constexpr int kVocab = 512;

// A SentencePiece vocabulary of 512 pieces: <unk> <s> </s>, the 256 byte pieces (byte
// fallback: any text encodes), then single characters, common English pieces and words (with
// U+2581 for a leading space), scored by rank so that longer, earlier pieces win merges.
struct Vocabulary {
    std::vector<std::string> pieces;
    std::vector<float> scores;
    std::vector<int32_t> types;  // 1 normal, 2 unknown, 3 control, 6 byte
};

Vocabulary synthVocabulary() {
    Vocabulary v;
    auto add = [&](const std::string& p, int type) {
        v.pieces.push_back(p);
        v.types.push_back(type);
        v.scores.push_back(type == 1 ? -float(v.pieces.size()) : 0.0f);
    };
    add("<unk>", 2);
    add("<s>", 3);
    add("</s>", 3);
    static const char hex[] = "0123456789ABCDEF";
    for (int b = 0; b < 256; ++b) add(std::string("<0x") + hex[b >> 4] + hex[b & 15] + ">", 6);
    const std::string sp = "\xe2\x96\x81";  // U+2581, SentencePiece's space
    std::set<std::string> seen;
    std::vector<std::string> normal;
    auto piece = [&](const std::string& p) {
        if (seen.insert(p).second) normal.push_back(p);
    };
    for (const char* w : {"the", "and", "was", "to", "a", "he", "she", "it", "they", "Once", "upon", "time",
                          "there", "little", "girl", "boy", "day", "big", "happy", "said", "play", "with",
                          "her", "his", "in", "of", "on", "saw", "went", "had", "Lily", "Tim", "mom", "dog",
                          "cat", "tree", "sun", "friend", "very", "not", "so", "but", "one", "ball", "park"})
        piece(sp + w);
    for (const char* p : {"er", "in", "th", "he", "an", "on", "re", "ed", "ing", "ou", "at", "en", "nd", "st",
                          "es", "or", "ll", "ay", "ir", "ar", "om", "it", "ow", "le", "ly"})
        piece(p);
    piece(sp);
    for (char ch = 'a'; ch <= 'z'; ++ch) piece(sp + ch);
    for (char ch = 'a'; ch <= 'z'; ++ch) piece(std::string(1, ch));
    for (char ch = 'A'; ch <= 'Z'; ++ch) piece(std::string(1, ch));
    for (char ch = '0'; ch <= '9'; ++ch) piece(std::string(1, ch));
    for (const char* p : {".", ",", "!", "?", "'", "\"", "-", ":", ";", "(", ")"}) piece(p);
    // Fill up with two-letter pieces after a space: "▁ab", "▁ac", ...
    for (char a = 'a'; a <= 'z' && int(normal.size()) + 259 < kVocab; ++a)
        for (char b = 'a'; b <= 'z' && int(normal.size()) + 259 < kVocab; ++b) piece(sp + a + b);
    for (const std::string& p : normal) add(p, 1);
    return v;
}

// Draws the weights in the order the tensors are written (see synth_gguf.h).
class Draw {
public:
    explicit Draw(uint32_t seed) : m_rng(seed) {}
    std::vector<float> normal(size_t n, float mean, float std) {
        std::normal_distribution<float> d(mean, std);
        std::vector<float> v(n);
        for (float& x : v) x = d(m_rng);
        return v;
    }

private:
    std::mt19937 m_rng;
};

}  // namespace

std::vector<std::string> synthArchitectures() {
    return {"llama", "qwen2", "qwen3", "gpt2", "gptneox", "phi3", "gemma2"};
}

std::vector<std::string> synthReferenceCases() {
    std::vector<std::string> c = synthArchitectures();
    c.push_back("llama-linear");
    return c;
}

std::vector<std::string> synthEncoderDecoderCases() { return {"t5", "t5-gated"}; }
std::vector<std::string> synthQuantizedEncoderDecoderCases() { return {"t5-f16", "t5-q8_0"}; }
std::vector<std::string> synthEncoderCases() { return {"bert", "bert-cls", "bert-fused"}; }
std::vector<std::string> synthQuantizedEncoderCases() { return {"bert-f16", "bert-q8_0"}; }

SynthGgufSpec synthReferenceSpec(const std::string& arch, uint32_t seed) {
    SynthGgufSpec s;
    if (arch == "bert-f16" || arch == "bert-q8_0") {  // the bert file's draws, its matrices stored quantized
        s = synthReferenceSpec("bert", seed);
        s.matrixType = arch == "bert-f16" ? GgmlType::F16 : GgmlType::Q8_0;
        return s;
    }
    if (arch.rfind("bert", 0) == 0) {  // BERT is multi-head; its context is the position table
        s.arch = "bert";
        s.seed = seed;
        s.nKvHeads = s.nHeads;
        s.poolingType = arch == "bert-cls" ? 2 : 1;
        s.fusedQkv = arch == "bert-fused";
        return s;
    }
    if (arch == "llama-linear") {  // Llama 2 long-context fine-tunes: rope.scaling.type linear
        s = synthReferenceSpec("llama", seed);
        s.llama3Context = 0;
        s.ropeLinear = 4.0f;
        return s;
    }
    if (arch == "t5-f16" || arch == "t5-q8_0") {  // the t5 file's draws, its matrices stored quantized
        s = synthReferenceSpec("t5", seed);
        s.matrixType = arch == "t5-f16" ? GgmlType::F16 : GgmlType::Q8_0;
        return s;
    }
    if (arch == "t5-gated") {  // flan-t5: gated GELU, heads x d_kv wider than d_model, untied output
        s = synthReferenceSpec("t5", seed);
        s.gatedFfn = true;
        s.headDim = 24;
        s.untiedOutput = true;
        return s;
    }
    s.arch = arch;
    s.seed = seed;
    if (arch == "t5") s.nKvHeads = s.nHeads;  // T5 is multi-head
    if (arch == "gpt2" || arch == "gptneox") s.nKvHeads = s.nHeads;  // both are multi-head
    if (arch == "gptneox") s.rotaryDims = 8;                          // Pythia rotates a quarter; here half
    if (arch == "llama") {
        s.untiedOutput = true;  // TinyLlama, Llama 2 and 3
        s.llama3Context = 64;   // Llama 3.x's rope_freqs, for a context short enough to matter here
    }
    if (arch == "phi3") s.window = 6;
    if (arch == "qwen3") s.headDim = 32;  // Qwen 3's heads are wider than dim / heads (0.6B: 128 vs 64)
    if (arch == "gemma2") {
        s.headDim = 32;  // as Gemma 2 2B's 256 vs 2304 / 8
        s.nLayers = 26;  // llama.cpp runs Gemma 2 only at its published depths (26, 42, 46)
        s.window = 4;
        s.attnSoftCap = 2.0f;
        s.finalSoftCap = 3.0f;
    }
    return s;
}

GgufWriter synthGguf(const SynthGgufSpec& s) {
    if (s.arch == "bert") return synthBertGguf(s);
    const GgufArchitecture* a = findGgufArchitecture(s.arch);
    if (!a || a->trainerLayout)
        throw Error("synth: --arch: expected one of " + ggufArchitectureNames() + " but anatomy-train (which " +
                    "anatomy-cli train writes), got '" + s.arch + "'");
    if (a->encoderDecoder) return synthT5Gguf(s);
    if (s.dim <= 0 || s.nHeads <= 0 || s.nKvHeads <= 0 || s.dim % s.nHeads != 0 || s.nHeads % s.nKvHeads != 0 ||
        s.nLayers <= 0 || s.hiddenDim <= 0 || s.seqLen <= 0)
        throw Error("synth: the shape does not divide (dim, heads, kv heads, layers, hidden, context)");
    const uint64_t D = uint64_t(s.dim), H = uint64_t(s.hiddenDim);
    const uint64_t hs = s.headDim > 0 ? uint64_t(s.headDim) : D / uint64_t(s.nHeads);
    const uint64_t qDim = hs * uint64_t(s.nHeads), kvDim = hs * uint64_t(s.nKvHeads), V = kVocab;
    if (s.headDim > 0 && (a->fusedQkv || a->learnedPositions || s.headDim % 2))
        throw Error("synth: a head size other than dim / heads is for separate q, k, v projections with RoPE");
    if (s.rotaryDims && (s.rotaryDims > int(hs) || s.rotaryDims % 2 || !a->partialRotary))
        throw Error("synth: rotary dims " + std::to_string(s.rotaryDims) + " do not fit " + s.arch);

    GgufWriter w;
    w.addString("general.architecture", s.arch);
    // Not naming the architecture: llama.cpp sets token attributes by model name ("phi3" wants
    // an <|endoftext|> piece this vocabulary lacks).
    w.addString("general.name", "anatomy synthetic model, seed " + std::to_string(s.seed));
    w.addU32(a->key("context_length"), uint32_t(s.seqLen));
    w.addU32(a->key("embedding_length"), uint32_t(s.dim));
    w.addU32(a->key("feed_forward_length"), uint32_t(s.hiddenDim));
    w.addU32(a->key("block_count"), uint32_t(s.nLayers));
    w.addU32(a->key("attention.head_count"), uint32_t(s.nHeads));
    w.addU32(a->key("attention.head_count_kv"), uint32_t(s.nKvHeads));
    w.addF32(a->epsKey(), 1e-5f);
    if (!a->learnedPositions) {
        w.addF32(a->key("rope.freq_base"), 10000.0f);
        w.addU32(a->key("rope.dimension_count"), uint32_t(s.rotaryDims ? s.rotaryDims : int(hs)));
    }
    if (s.ropeLinear > 0.0f) {
        w.addString(a->key("rope.scaling.type"), "linear");
        w.addF32(a->key("rope.scaling.factor"), s.ropeLinear);
    }
    if (a->parallelResidualKey) w.addBool(a->key("use_parallel_residual"), true);
    if (a->window != GgufArchitecture::Window::None)
        w.addU32(a->key("attention.sliding_window"), uint32_t(s.window ? s.window : a->defaultWindow ? a->defaultWindow : 2047));
    if (a->softCaps) {
        w.addF32(a->key("attn_logit_softcapping"), s.attnSoftCap > 0 ? s.attnSoftCap : 50.0f);
        w.addF32(a->key("final_logit_softcapping"), s.finalSoftCap > 0 ? s.finalSoftCap : 30.0f);
    }
    if (a->softCaps || s.headDim > 0) {
        w.addU32(a->key("attention.key_length"), uint32_t(hs));
        w.addU32(a->key("attention.value_length"), uint32_t(hs));
    }
    const Vocabulary vocab = synthVocabulary();
    w.addString("tokenizer.ggml.model", "llama");
    w.addStringArray("tokenizer.ggml.tokens", vocab.pieces);
    w.addF32Array("tokenizer.ggml.scores", vocab.scores);
    w.addI32Array("tokenizer.ggml.token_type", vocab.types);
    w.addU32("tokenizer.ggml.unknown_token_id", 0);
    w.addU32("tokenizer.ggml.bos_token_id", 1);
    w.addU32("tokenizer.ggml.eos_token_id", 2);
    w.addBool("tokenizer.ggml.add_bos_token", true);
    w.addBool("tokenizer.ggml.add_eos_token", false);

    Draw draw(s.seed);
    auto matrix = [&](const std::string& name, uint64_t rows, uint64_t cols) {
        w.addTensorF32(name, {cols, rows}, draw.normal(rows * cols, 0.0f, 1.0f / std::sqrt(float(cols))));
    };
    auto gain = [&](const std::string& name, uint64_t n) { w.addTensorF32(name, {n}, draw.normal(n, 1.0f, 0.1f)); };
    auto bias = [&](const std::string& name, uint64_t n) { w.addTensorF32(name, {n}, draw.normal(n, 0.0f, 0.1f)); };

    w.addTensorF32("token_embd.weight", {D, V}, draw.normal(D * V, 0.0f, 0.5f));
    if (a->learnedPositions)
        w.addTensorF32("position_embd.weight", {D, uint64_t(s.seqLen)}, draw.normal(D * uint64_t(s.seqLen), 0.0f, 0.5f));
    for (int l = 0; l < s.nLayers; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        gain(p + "attn_norm.weight", D);
        if (a->normBias) bias(p + "attn_norm.bias", D);
        if (a->fusedQkv) {
            matrix(p + "attn_qkv.weight", qDim + 2 * kvDim, D);
            if (a->qkvBias) bias(p + "attn_qkv.bias", qDim + 2 * kvDim);
        } else {
            matrix(p + "attn_q.weight", qDim, D);
            matrix(p + "attn_k.weight", kvDim, D);
            matrix(p + "attn_v.weight", kvDim, D);
            if (a->qkvBias) {
                bias(p + "attn_q.bias", qDim);
                bias(p + "attn_k.bias", kvDim);
                bias(p + "attn_v.bias", kvDim);
            }
        }
        if (a->qkNorm) {
            gain(p + "attn_q_norm.weight", hs);
            gain(p + "attn_k_norm.weight", hs);
        }
        matrix(p + "attn_output.weight", D, qDim);
        if (a->outputBias) bias(p + "attn_output.bias", D);
        if (a->postNorms) gain(p + "post_attention_norm.weight", D);
        gain(p + "ffn_norm.weight", D);
        if (a->normBias) bias(p + "ffn_norm.bias", D);
        if (a->fusedGateUp) {
            matrix(p + "ffn_up.weight", 2 * H, D);
        } else {
            if (a->gated) matrix(p + "ffn_gate.weight", H, D);
            matrix(p + "ffn_up.weight", H, D);
        }
        if (a->ffnBias) bias(p + "ffn_up.bias", H);
        matrix(p + "ffn_down.weight", D, H);
        if (a->ffnBias) bias(p + "ffn_down.bias", D);
        if (a->postNorms) gain(p + "post_ffw_norm.weight", D);
    }
    if (s.llama3Context > 0) {
        // Llama 3's frequency factors (its HF converter): wavelength 2 pi / theta_i below
        // L0 / high keeps its frequency (1), above L0 / low is divided by 8, smooth in between.
        const int d = s.rotaryDims ? s.rotaryDims : int(hs);
        const float factor = 8.0f, low = 1.0f, high = 4.0f, L0 = float(s.llama3Context);
        std::vector<float> c(size_t(d / 2));
        for (int i = 0; i < d / 2; ++i) {
            const float freq = 1.0f / std::pow(10000.0f, float(2 * i) / float(d));
            const float wavelen = 2.0f * 3.14159265358979f / freq;
            if (wavelen < L0 / high) c[size_t(i)] = 1.0f;
            else if (wavelen > L0 / low) c[size_t(i)] = factor;
            else {
                const float smooth = (L0 / wavelen - low) / (high - low);
                c[size_t(i)] = 1.0f / ((1.0f - smooth) / factor + smooth);
            }
        }
        w.addTensorF32("rope_freqs.weight", {uint64_t(d / 2)}, c);
    }
    gain("output_norm.weight", D);
    if (a->normBias) bias("output_norm.bias", D);
    const bool untied = a->output == GgufArchitecture::Output::Required ||
                        (a->output == GgufArchitecture::Output::Optional && s.untiedOutput);
    if (untied) matrix("output.weight", V, D);
    return w;
}

void writeSynthGguf(const SynthGgufSpec& spec, const std::string& path) { synthGguf(spec).write(path); }

}  // namespace anatomy
