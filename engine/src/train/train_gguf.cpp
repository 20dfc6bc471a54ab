#include "train/train_gguf.h"

#include <filesystem>
#include <system_error>

#include "anatomy/error.h"
#include "anatomy/gguf_writer.h"
#include "train/train_model.h"

namespace anatomy::training {

namespace fs = std::filesystem;

bool plainLlama(const TrainShape& s) {
    return s.llama2cLayout() && s.placement == NormPlacement::Pre && s.normType == NormType::Rms &&
           s.positions == PositionEncoding::Rope && s.activation == Activation::Silu;
}

std::string ggufDesignName(const TrainShape& s) {
    std::string out;
    auto add = [&](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
    if (s.experts() > 0) add("MoE with " + std::to_string(s.experts()) + " experts");
    if (s.attentionGate != AttentionGate::None) add("gated attention");
    if (!s.gatedFfn) add("plain FFN");
    if (s.absolute == AbsolutePositions::Learned) add("learned positions");
    if (s.absolute == AbsolutePositions::Sinusoidal) add("sinusoidal positions");
    if (s.batchNorm) add("BatchNorm");
    if (s.mla()) add("MLA rank " + std::to_string(s.mlaRank));
    if (out.empty()) add("llama2.c layout");
    return out;
}

namespace {

// The vocabulary as llama.cpp's converter writes a llama2.c one: U+2581 for spaces, token types
// 2 unknown, 3 control, 6 byte, 1 normal.
void addVocabulary(GgufWriter& w, const Tokenizer& tok) {
    std::vector<std::string> pieces;
    std::vector<float> scores;
    std::vector<int32_t> types;
    for (int i = 0; i < tok.vocabSize(); ++i) {
        std::string p;
        for (char c : tok.piece(i)) p += c == ' ' ? std::string("\xE2\x96\x81") : std::string(1, c);
        const std::string& raw = tok.piece(i);
        const bool byte = raw.size() == 6 && raw.rfind("<0x", 0) == 0 && raw.back() == '>';
        types.push_back(i == Tokenizer::kUnk ? 2 : (i == tok.bosId() || i == tok.eosId()) ? 3 : byte ? 6 : 1);
        pieces.push_back(std::move(p));
        scores.push_back(tok.score(i));
    }
    w.addString("tokenizer.ggml.model", "llama");
    w.addStringArray("tokenizer.ggml.tokens", pieces);
    w.addF32Array("tokenizer.ggml.scores", scores);
    w.addI32Array("tokenizer.ggml.token_type", types);
    w.addU32("tokenizer.ggml.bos_token_id", uint32_t(tok.bosId()));
    w.addU32("tokenizer.ggml.eos_token_id", uint32_t(tok.eosId()));
    w.addU32("tokenizer.ggml.unknown_token_id", uint32_t(Tokenizer::kUnk));
}

void writeAtomically(GgufWriter& w, const std::string& path) {
    const std::string tmp = path + ".tmp";
    w.write(tmp);
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) throw Error(path + ": cannot write the model: " + ec.message());
}

// Architecture "anatomy-train": the trainer's own tensors and shape.
void writeDesignGguf(const std::string& path, const TrainShape& s, const std::vector<float>& params,
                     const Tokenizer& tok, const std::string& configJson) {
    GgufWriter w;
    w.addString("general.architecture", "anatomy-train");
    w.addString("general.name", "anatomy-trained-" + std::to_string(s.dim) + "x" + std::to_string(s.nLayers));
    w.addU32("anatomy-train.context_length", uint32_t(s.context));
    w.addU32("anatomy-train.embedding_length", uint32_t(s.dim));
    w.addU32("anatomy-train.block_count", uint32_t(s.nLayers));
    w.addU32("anatomy-train.feed_forward_length", uint32_t(s.hidden));
    w.addU32("anatomy-train.attention.head_count", uint32_t(s.nHeads));
    w.addU32("anatomy-train.attention.head_count_kv", uint32_t(s.nKvHeads));
    w.addU32("anatomy-train.expert_count", uint32_t(s.experts()));
    w.addU32("anatomy-train.expert_used_count", uint32_t(s.experts() > 0 ? s.moe.topK : 0));
    w.addString("anatomy-train.design", ggufDesignName(s));
    w.addString("anatomy.train.config", configJson);
    addVocabulary(w, tok);
    for (const TensorInfo& t : tensorList(s)) {
        std::vector<uint64_t> ne(t.shape.rbegin(), t.shape.rend());
        size_t n = 1;
        for (int d : t.shape) n *= size_t(d);
        w.addTensorF32(t.name, ne, std::vector<float>(params.begin() + long(t.offset), params.begin() + long(t.offset + n)));
    }
    writeAtomically(w, path);
}

}  // namespace

void writeTrainedGguf(const std::string& path, const TrainShape& s, const std::vector<float>& params,
                      const Tokenizer& tok, const std::string& configJson) {
    if (!plainLlama(s)) return writeDesignGguf(path, s, params, tok, configJson);
    std::vector<float> copy = params;  // bind() wants a mutable base
    const Tensors t = bind(s, copy.data());
    const uint64_t D = uint64_t(s.dim), H = uint64_t(s.hidden), V = uint64_t(s.vocab);
    const uint64_t Q = uint64_t(s.qDim()), KV = uint64_t(s.kvDim());
    auto values = [](const float* p, uint64_t n) { return std::vector<float>(p, p + n); };

    GgufWriter w;
    w.addString("general.architecture", "llama");
    w.addString("general.name", "anatomy-trained-llama-" + std::to_string(s.dim) + "x" + std::to_string(s.nLayers));
    w.addU32("llama.context_length", uint32_t(s.context));
    w.addU32("llama.embedding_length", uint32_t(s.dim));
    w.addU32("llama.block_count", uint32_t(s.nLayers));
    w.addU32("llama.feed_forward_length", uint32_t(s.hidden));
    w.addU32("llama.attention.head_count", uint32_t(s.nHeads));
    w.addU32("llama.attention.head_count_kv", uint32_t(s.nKvHeads));
    w.addU32("llama.rope.dimension_count", uint32_t(s.headSize()));
    w.addF32("llama.attention.layer_norm_rms_epsilon", s.normEps);
    w.addF32("llama.rope.freq_base", s.ropeTheta);
    w.addString("anatomy.train.config", configJson);

    addVocabulary(w, tok);

    // A row-major [rows, cols] weight is ne = {cols, rows}.
    w.addTensorF32("token_embd.weight", {D, V}, values(t.embedding, D * V));
    for (int l = 0; l < s.nLayers; ++l) {
        const LayerTensors& L = t.layers[size_t(l)];
        const std::string p = "blk." + std::to_string(l) + ".";
        w.addTensorF32(p + "attn_norm.weight", {D}, values(L.rmsAtt, D));
        w.addTensorF32(p + "attn_q.weight", {D, Q}, values(L.wq, Q * D));
        w.addTensorF32(p + "attn_k.weight", {D, KV}, values(L.wk, KV * D));
        w.addTensorF32(p + "attn_v.weight", {D, KV}, values(L.wv, KV * D));
        w.addTensorF32(p + "attn_output.weight", {Q, D}, values(L.wo, D * Q));
        w.addTensorF32(p + "ffn_norm.weight", {D}, values(L.rmsFfn, D));
        w.addTensorF32(p + "ffn_gate.weight", {D, H}, values(L.w1, H * D));
        w.addTensorF32(p + "ffn_down.weight", {H, D}, values(L.w2, D * H));
        w.addTensorF32(p + "ffn_up.weight", {D, H}, values(L.w3, H * D));
    }
    w.addTensorF32("output_norm.weight", {D}, values(t.rmsFinal, D));
    if (!s.tiedClassifier) w.addTensorF32("output.weight", {D, V}, values(t.classifier, D * V));

    writeAtomically(w, path);
}

}  // namespace anatomy::training
