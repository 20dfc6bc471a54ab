#include "io/gguf_architectures.h"

#include <cmath>
#include <limits>
#include <unordered_map>

#include "anatomy/error.h"
#include "io/gguf_t5.h"
#include "io/gguf_bert.h"

namespace anatomy {

namespace {

using A = GgufArchitecture;

// One row per architecture, read off llama.cpp c392e5094's llama-model.cpp (load_hparams,
// load_tensors) and llama.cpp's graph builders (src/llama.cpp build_*), and llama_rope_type.
const std::vector<GgufArchitecture>& table() {
    static const std::vector<GgufArchitecture> rows = [] {
        std::vector<GgufArchitecture> r;
        A llama{.name = "llama"};
        r.push_back(llama);

        A qwen2 = llama;  // Qwen 2 / 2.5: biases on q, k, v; NEOX rope
        qwen2.name = "qwen2";
        qwen2.qkvBias = true;
        qwen2.rope = RopeLayout::HalfSplit;
        r.push_back(qwen2);

        A qwen3 = llama;  // Qwen 3: QK-norm instead of the biases
        qwen3.name = "qwen3";
        qwen3.qkNorm = true;
        qwen3.rope = RopeLayout::HalfSplit;
        r.push_back(qwen3);

        A gpt2{.name = "gpt2"};
        gpt2.norm = NormType::Layer;
        gpt2.normBias = true;
        gpt2.fusedQkv = true;
        gpt2.qkvBias = true;
        gpt2.outputBias = true;
        gpt2.gated = false;
        gpt2.activation = Activation::GeluTanh;  // ggml_gelu: the tanh approximation
        gpt2.ffnBias = true;
        gpt2.learnedPositions = true;
        gpt2.output = A::Output::Required;
        r.push_back(gpt2);

        A neox = gpt2;  // GPT-NeoX / Pythia: RoPE (NEOX, partial) instead of learned positions
        neox.name = "gptneox";
        neox.learnedPositions = false;
        neox.rope = RopeLayout::HalfSplit;
        neox.partialRotary = true;
        neox.parallelResidualKey = true;
        r.push_back(neox);

        A phi3{.name = "phi3"};
        phi3.fusedQkv = true;
        phi3.fusedGateUp = true;
        phi3.rope = RopeLayout::HalfSplit;
        phi3.partialRotary = true;
        phi3.window = A::Window::AllLayers;
        phi3.output = A::Output::Required;
        r.push_back(phi3);

        A gemma2{.name = "gemma2"};
        gemma2.activation = Activation::GeluTanh;  // GEGLU: gelu(W_gate h) * W_up h
        gemma2.rope = RopeLayout::HalfSplit;
        gemma2.postNorms = true;
        gemma2.embeddingScale = true;
        gemma2.softCaps = true;
        gemma2.window = A::Window::EvenLayers;  // layers 0, 2, 4, ... slide
        gemma2.defaultWindow = 4096;
        gemma2.output = A::Output::Tied;
        r.push_back(gemma2);

        A t5{.name = "t5"};  // encoder-decoder: its own keys and tensor names (gguf_t5.cpp)
        t5.encoderDecoder = true;
        r.push_back(t5);
        r.push_back(bertGgufArchitecture());
        A train{.name = "anatomy-train"};  // the trainer's designs (gguf_anatomy_train.cpp)
        train.trainerLayout = true;
        r.push_back(train);
        return r;
    }();
    return rows;
}

// validateConfig() names fields as llama2.c does; a GGUF user needs the metadata key too.
std::string keyForField(const GgufArchitecture& a, const std::string& field) {
    static const std::unordered_map<std::string, const char*> keys = {
        {"dim", "embedding_length"},
        {"hidden_dim", "feed_forward_length"},
        {"n_layers", "block_count"},
        {"n_heads", "attention.head_count"},
        {"n_kv_heads", "attention.head_count_kv"},
        {"seq_len", "context_length"},
        {"rope_theta", "rope.freq_base"},
    };
    if (field == "vocab_size") return "token_embd.weight ne[1]";
    if (field == "head_size") return a.key("attention.key_length") + " or " + a.key("embedding_length") + " / " +
                                     a.key("attention.head_count");
    if (field == "norm_eps") return a.epsKey();
    auto it = keys.find(field);
    return it == keys.end() ? std::string() : a.key(it->second);
}

std::string shapeText(const std::vector<uint64_t>& ne) {
    std::string s = "[";
    for (size_t i = 0; i < ne.size(); ++i) s += (i ? ", " : "") + std::to_string(ne[i]);
    return s + "]";
}

}  // namespace

Matrix rowSlice(const Matrix& w, int first, int n) {
    Matrix r = w;
    r.rows = n;
    if (w.f32) r.f32 = w.f32 + size_t(first) * size_t(w.cols);
    if (w.blocks) r.blocks = w.blocks + size_t(first) * w.rowBytes();
    return r;
}

std::string GgufArchitecture::epsKey() const {
    return key(norm == NormType::Layer ? "attention.layer_norm_epsilon" : "attention.layer_norm_rms_epsilon");
}

const GgufArchitecture* findGgufArchitecture(const std::string& name) {
    for (const GgufArchitecture& a : table())
        if (name == a.name) return &a;
    return nullptr;
}

std::string ggufArchitectureNames() {
    std::string s;
    for (const GgufArchitecture& a : table()) s += (s.empty() ? "" : ", ") + std::string(a.name);
    return s;
}

ModelConfig readGgufConfig(const GgufSource& f, const GgufArchitecture& a) {
    if (a.trainerLayout) return readAnatomyTrainConfig(f);
    if (f.hasKey(a.key("expert_count")) && f.getInteger(a.key("expert_count")) != 0)
        f.fail(a.key("expert_count"), "0 (mixture-of-experts GGUF files are not supported)",
               std::to_string(f.getInteger(a.key("expert_count"))));
    ModelConfig c;
    c.dim = f.getInt(a.key("embedding_length"));
    c.hiddenDim = f.getInt(a.key("feed_forward_length"));
    c.nLayers = f.getInt(a.key("block_count"));
    c.nHeads = f.getInt(a.key("attention.head_count"));
    c.nKvHeads = f.getIntOr(a.key("attention.head_count_kv"), c.nHeads);
    // The context the metadata declares. For stories260K.gguf this is 2048, although the model
    // was trained with 512 (the llama2.c .bin says 512); the metadata is taken as is.
    c.seqLen = f.getInt(a.key("context_length"));
    // llama.cpp requires the LayerNorm epsilon and defaults the RMSNorm one.
    if (a.norm == NormType::Layer && !f.hasKey(a.epsKey())) f.fail(a.epsKey(), "a required metadata key", "missing");
    c.normEps = float(f.getFloatOr(a.epsKey(), 1e-5));
    c.ropeTheta = float(f.getFloatOr(a.key("rope.freq_base"), 10000.0));

    // The vocabulary size is the number of rows of the token embedding.
    const std::vector<uint64_t>* emb = f.tensorShape("token_embd.weight");
    if (!emb) f.fail("token_embd.weight", "a tensor", "missing");
    if (emb->size() != 2 || (*emb)[1] > uint64_t(std::numeric_limits<int>::max()))
        f.fail("token_embd.weight shape", std::string("[") + a.name + ".embedding_length, vocab size]", shapeText(*emb));
    c.vocabSize = int((*emb)[1]);
    c.sharedClassifier = a.output == GgufArchitecture::Output::Tied || !f.tensorShape("output.weight");
    // Heads wider or narrower than dim / heads (Gemma 2 2B: 256 x 8 heads for dim 2304; Qwen 3):
    // attention.key_length, which value_length must equal.
    if (f.hasKey(a.key("attention.key_length")) && c.nHeads > 0) {
        const int k = f.getInt(a.key("attention.key_length"));
        const int v = f.getIntOr(a.key("attention.value_length"), k);
        if (v != k)
            f.fail(a.key("attention.value_length"), "the key length " + std::to_string(k) +
                                                        " (keys and values of different widths are not supported)",
                   std::to_string(v));
        if (c.dim % c.nHeads != 0 || k != c.dim / c.nHeads) c.headDim = k;
    }

    try {
        validateConfig(c, f.fileName());
    } catch (const FormatError& e) {
        // Re-raise with the GGUF key beside the field: "<file>: <field>: expected <e>, got <a>".
        const std::string key = keyForField(a, e.field());
        const std::string msg = e.what();
        const std::string prefix = f.fileName() + ": " + e.field() + ": expected ";
        const size_t got = msg.rfind(", got ");
        if (key.empty() || msg.compare(0, prefix.size(), prefix) != 0 || got == std::string::npos ||
            got < prefix.size())
            throw;
        f.fail(e.field() + " (" + key + ")", msg.substr(prefix.size(), got - prefix.size()), msg.substr(got + 6));
    }

    if (f.hasKey(a.key("rope.dimension_count"))) {
        const int ropeDims = f.getInt(a.key("rope.dimension_count"));
        if (!a.partialRotary && ropeDims != c.headSize())
            f.fail(a.key("rope.dimension_count"),
                   "the head size " + std::to_string(c.headSize()) + " (partial rotary embeddings are not part of " +
                       a.name + ")",
                   std::to_string(ropeDims));
        if (ropeDims <= 0 || ropeDims > c.headSize() || ropeDims % 2 != 0)
            f.fail(a.key("rope.dimension_count"), "an even number of dims from 2 to the head size " +
                                                      std::to_string(c.headSize()),
                   std::to_string(ropeDims));
    }
    return c;
}

Architecture ggufArchitecture(const GgufSource& f, const GgufArchitecture& g, const ModelConfig& c) {
    if (g.encoderDecoder) return t5Architecture(f, g, c);
    if (g.trainerLayout) return anatomyTrainArchitecture(f, c);
    Architecture a = llamaArchitecture(c);
    a.name = g.name;
    a.embeddings.tiedClassifier = c.sharedClassifier;
    a.embeddings.scale = g.embeddingScale ? std::sqrt(float(c.dim)) : 1.0f;
    a.embeddings.learnedPositions = g.learnedPositions;
    a.positions.kind = g.learnedPositions ? PositionEncoding::None : PositionEncoding::Rope;
    a.positions.layout = g.rope;
    const int rotary = f.getIntOr(g.key("rope.dimension_count"), c.headSize());
    a.positions.rotaryDims = rotary == c.headSize() ? 0 : rotary;
    // Rope scaling as llama.cpp reads it: linear (positions divided by the factor); Llama 3's is
    // rope_freqs.weight (loadGgufWeights). YaRN and LongRoPE files are refused, not approximated.
    if (f.hasKey(g.key("rope.scaling.type"))) {
        const std::string type = f.getString(g.key("rope.scaling.type"));
        if (type == "linear") {
            const std::string factorKey = f.hasKey(g.key("rope.scaling.factor")) ? g.key("rope.scaling.factor")
                                                                                  : g.key("rope.scale_linear");
            const double factor = f.getFloatOr(factorKey, 0.0);
            if (!(factor >= 1.0 && factor <= 1024.0))
                f.fail(factorKey, "a linear rope scaling factor from 1 to 1024", std::to_string(factor));
            a.positions.ropeScaling.method = RopeScaling::Linear;
            a.positions.ropeScaling.factor = float(factor);
        } else if (type != "none") {
            f.fail(g.key("rope.scaling.type"), "\"none\" or \"linear\" (yarn and longrope are not supported)",
                   "\"" + type + "\"");
        }
    }
    a.finalNorm = NormSpec{g.norm, c.normEps, g.normBias};
    // Gemma 2 27B (46 layers in llama.cpp's reckoning) scales queries by 1/sqrt(dim / heads), not
    // by 1/sqrt(head size) as 2B and 9B do; that scale is not modelled here, so it is refused.
    if (g.softCaps && c.nLayers == 46 && c.headSize() * c.nHeads != c.dim)
        f.fail(g.key("block_count"), "a Gemma 2 other than 27B (its query scale 1/sqrt(dim / heads) is not supported)",
               "46");
    float attnCap = 0.0f;
    if (g.softCaps) {
        // llama.cpp's defaults when the keys are absent (llama-hparams.h).
        attnCap = float(f.getFloatOr(g.key("attn_logit_softcapping"), 50.0));
        a.finalSoftCap = float(f.getFloatOr(g.key("final_logit_softcapping"), 30.0));
        if (!(attnCap > 0.0f)) f.fail(g.key("attn_logit_softcapping"), "a positive cap", std::to_string(attnCap));
        if (!(a.finalSoftCap > 0.0f))
            f.fail(g.key("final_logit_softcapping"), "a positive cap", std::to_string(a.finalSoftCap));
    }
    int window = 0;
    if (g.window != GgufArchitecture::Window::None) {
        window = f.getIntOr(g.key("attention.sliding_window"), g.defaultWindow);
        if (window < 0) f.fail(g.key("attention.sliding_window"), "a window of 0 (none) or more tokens",
                               std::to_string(window));
    }
    const bool parallel = g.parallelResidualKey && f.getBoolOr(g.key("use_parallel_residual"), true);
    for (size_t l = 0; l < a.layers.size(); ++l) {
        LayerSpec& L = a.layers[l];
        L.norm = NormSpec{g.norm, c.normEps, g.normBias};
        if (g.postNorms) L.residual.placement = NormPlacement::Sandwich;
        L.residual.parallel = parallel;
        L.attention.bias = g.qkvBias;
        L.attention.qkNorm = g.qkNorm;
        L.attention.softCap = attnCap;
        const bool slides = g.window == GgufArchitecture::Window::AllLayers ||
                            (g.window == GgufArchitecture::Window::EvenLayers && l % 2 == 0);
        // A key at distance i - j >= W is masked (llama.cpp's SWA mask): the window i - W < j <= i.
        if (slides && window > 0) {
            L.attention.sparse = SparsePattern::SlidingWindow;
            L.attention.window = window;
        }
        L.ffn.gated = g.gated;
        L.ffn.activation = g.activation;
        L.ffn.bias = g.ffnBias;
    }
    if (g.editArchitecture) g.editArchitecture(f, c, a);
    return a;
}

void loadGgufWeights(const GgufSource& f, const GgufArchitecture& g, Model& m) {
    if (g.encoderDecoder) return loadT5Weights(f, g, m);
    if (g.loadWeights) return g.loadWeights(f, g, m);
    if (g.trainerLayout) return loadAnatomyTrainWeights(f, m);
    const ModelConfig& c = m.config;
    const uint64_t dim = uint64_t(c.dim), hidden = uint64_t(c.hiddenDim);
    const uint64_t qDim = uint64_t(c.nHeads) * c.headSize(), kvDim = uint64_t(c.kvDim()), hs = uint64_t(c.headSize());
    auto vec = [&](const std::string& name, uint64_t n) { return f.floatTensor(m, name, {n}); };

    // [vocab, dim] as stored: the forward copies or dequantizes one row per token (Model::embed).
    m.tokenEmbeddings = f.matrix(m, "token_embd.weight", c.vocabSize, c.dim);
    m.tokenEmbedding = m.tokenEmbeddings.f32;
    if (g.learnedPositions) m.positionEmbedding = f.floatTensor(m, "position_embd.weight", {dim, uint64_t(c.seqLen)});
    m.layers.resize(size_t(c.nLayers));
    for (int l = 0; l < c.nLayers; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        LayerWeights& L = m.layers[size_t(l)];
        L.rmsAtt = vec(p + "attn_norm.weight", dim);
        if (g.normBias) L.attNormBias = vec(p + "attn_norm.bias", dim);
        if (g.fusedQkv) {
            // [qDim + 2 kvDim, dim] rows q | k | v, as llama.cpp's views of the product split them.
            const Matrix qkv = f.matrix(m, p + "attn_qkv.weight", int(qDim + 2 * kvDim), c.dim);
            L.wq = rowSlice(qkv, 0, int(qDim));
            L.wk = rowSlice(qkv, int(qDim), int(kvDim));
            L.wv = rowSlice(qkv, int(qDim + kvDim), int(kvDim));
            if (g.qkvBias) {
                const float* b = vec(p + "attn_qkv.bias", qDim + 2 * kvDim);
                L.bq = b;
                L.bk = b + qDim;
                L.bv = b + qDim + kvDim;
            }
        } else {
            L.wq = f.matrix(m, p + "attn_q.weight", int(qDim), c.dim);
            L.wk = f.matrix(m, p + "attn_k.weight", int(kvDim), c.dim);
            L.wv = f.matrix(m, p + "attn_v.weight", int(kvDim), c.dim);
            if (g.qkvBias) {
                L.bq = vec(p + "attn_q.bias", qDim);
                L.bk = vec(p + "attn_k.bias", kvDim);
                L.bv = vec(p + "attn_v.bias", kvDim);
            }
        }
        if (g.qkNorm) {
            L.qNorm = vec(p + "attn_q_norm.weight", hs);
            L.kNorm = vec(p + "attn_k_norm.weight", hs);
        }
        L.wo = f.matrix(m, p + "attn_output.weight", c.dim, int(qDim));
        if (g.outputBias) L.bo = vec(p + "attn_output.bias", dim);
        if (g.postNorms) L.postAttNorm = vec(p + "post_attention_norm.weight", dim);
        L.rmsFfn = vec(p + "ffn_norm.weight", dim);
        if (g.normBias) L.ffnNormBias = vec(p + "ffn_norm.bias", dim);
        if (g.fusedGateUp) {
            // [2 hidden, dim] rows gate | up (llama.cpp's LLM_FFN_SWIGLU: silu of the first half).
            const Matrix gu = f.matrix(m, p + "ffn_up.weight", int(2 * hidden), c.dim);
            L.w1 = rowSlice(gu, 0, c.hiddenDim);
            L.w3 = rowSlice(gu, c.hiddenDim, c.hiddenDim);
        } else if (g.gated) {
            L.w1 = f.matrix(m, p + "ffn_gate.weight", c.hiddenDim, c.dim);
            L.w3 = f.matrix(m, p + "ffn_up.weight", c.hiddenDim, c.dim);
        } else {
            L.w1 = f.matrix(m, p + "ffn_up.weight", c.hiddenDim, c.dim);  // W2 act(W1 h + b1) + b2
        }
        L.w2 = f.matrix(m, p + "ffn_down.weight", c.dim, c.hiddenDim);
        if (g.ffnBias) {
            L.b1 = vec(p + "ffn_up.bias", hidden);
            L.b2 = vec(p + "ffn_down.bias", dim);
        }
        if (g.postNorms) L.postFfnNorm = vec(p + "post_ffw_norm.weight", dim);
    }
    if (!g.learnedPositions && f.tensorShape("rope_freqs.weight")) {
        // [d/2] factors c_i, shared by every layer: theta_i / c_i (Llama 3.x).
        const int d = m.architecture.positions.rotaryDims > 0 ? m.architecture.positions.rotaryDims : c.headSize();
        const float* ff = vec("rope_freqs.weight", uint64_t(d / 2));
        for (int i = 0; i < d / 2; ++i)
            if (!(ff[i] > 0.0f && std::isfinite(ff[i])))
                f.fail("rope_freqs.weight", "positive finite factors", std::to_string(ff[i]) + " at " + std::to_string(i));
        m.architecture.positions.freqFactors.assign(ff, ff + d / 2);
    }
    m.rmsFinal = vec("output_norm.weight", dim);
    if (g.normBias) m.finalNormBias = vec("output_norm.bias", dim);
    if (g.output == GgufArchitecture::Output::Required && !f.tensorShape("output.weight"))
        f.fail("output.weight", std::string("a tensor (") + g.name + " has an untied classifier)", "missing");
    if (c.sharedClassifier) m.classifier = m.tokenEmbeddings;
    else m.classifier = f.matrix(m, "output.weight", c.vocabSize, c.dim);
}

}  // namespace anatomy
