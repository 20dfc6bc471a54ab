// A Session: the architecture it runs (the model's, edited by the simulator's settings), the
// KV cache and the scratch the forward pass (forward.cpp) reads and writes.
#include "anatomy/session.h"

#include <algorithm>

#include "anatomy/alibi.h"
#include "anatomy/encoder_decoder.h"
#include "anatomy/error.h"
#include "anatomy/rope_scaling.h"
#include "anatomy/trace_budget.h"
#include "forward/forward_state.h"
#include "trace/attention_buffer_pool.h"

namespace anatomy {

namespace {
constexpr int kDualChunkRopeRows = 8192;
}  // namespace

void Session::Impl::buildRope(const ModelConfig& c, int currentLength) {
    // Partial rotary (Pythia): the frequencies of the d rotated dims, θ_i = base^(-2i/d).
    const int d = arch.positions.rotaryDims > 0 ? arch.positions.rotaryDims : c.headSize();
    std::vector<float> freq =
        ropeScaledFrequencies(arch.positions.ropeScaling, d, arch.positions.ropeBase, c.seqLen, currentLength);
    // Llama 3's frequency factors from the file (rope_freqs.weight): theta_i / c_i, as ggml_rope_ext.
    const std::vector<float>& factors = arch.positions.freqFactors;
    for (size_t i = 0; i < freq.size() && i < factors.size(); ++i) freq[i] /= factors[i];
    rope = RopeTable(std::move(freq));
    if (c.mlaRopeDim > 0) latentRope = RopeTable(c.mlaRopeDim, arch.positions.ropeBase);
}

void Session::Impl::ensureCapacity(const ModelConfig& c, int needed) {
    if (needed <= capacity) return;
    const int newCap = std::max(needed, std::max(capacity * 2, std::min(c.seqLen, 1024)));
    for (int l = 0; l < c.nLayers; ++l) {
        keyCache[size_t(l)].resize(size_t(newCap) * keyWidth(c));
        valueCache[size_t(l)].resize(size_t(newCap) * valueWidth(c));
    }
    capacity = newCap;
}

void Session::Impl::prepare(const ModelConfig& c, std::span<const int> tokens, int start) {
    const int T = int(tokens.size()), nKv = start + T;
    const int qDim = c.nHeads * c.headSize();
    const bool rope = arch.positions.kind == PositionEncoding::Rope;
    const bool dualChunk = !arch.layers.empty() && arch.layers[0].attention.dualChunkRope;
    ensureCapacity(c, nKv);
    // Dynamic NTK: the frequencies follow the current length (cached keys keep their rotation).
    if (rope && arch.positions.ropeScaling.method == RopeScaling::DynamicNtk) buildRope(c, nKv);
    // Dual chunk attention rotates queries up to L - 1 past a key; the table covers a bounded
    // stretch of that (rows past it are computed on the spot, rope.h), not the file's whole claim.
    this->rope.ensure(dualChunk ? nKv + std::min(c.seqLen, kDualChunkRopeRows) : nKv);
    if (c.mlaRank > 0) {
        latentRope.ensure(nKv);
        growTo(qWide, size_t(T) * c.nHeads * (c.headSize() + c.mlaRopeDim));
        growTo(qRope, size_t(T) * c.nHeads * c.mlaRopeDim);
    }
    growTo(x, size_t(T) * c.dim);
    growTo(xb, size_t(T) * c.dim);
    growTo(xb2, size_t(T) * c.dim);
    if (!arch.layers.empty() && arch.layers[0].residual.parallel) growTo(attnOut, size_t(T) * c.dim);
    growTo(q, size_t(T) * qDim);
    growTo(att, size_t(T) * qDim);
    growTo(hb, size_t(T) * c.hiddenDim);
    growTo(hb2, size_t(T) * c.hiddenDim);
    if (dualChunk) growTo(qRaw, size_t(T) * qDim);
    if (!arch.layers.empty() && arch.layers[0].attention.outputGate != OutputGate::None) growTo(gate, size_t(T) * qDim);
    history.resize(size_t(start));
    history.insert(history.end(), tokens.begin(), tokens.end());
}

Session::Session(std::shared_ptr<const Model> model) : m_model(std::move(model)), m_impl(new Impl) {
    if (!m_model) throw Error("Session: no model");
    requireDecoderOnly(*m_model, "forward");  // T5 runs in EncoderDecoderSession (encoder_decoder.h)
    const auto& c = m_model->config;
    Impl& s = *m_impl;
    s.keyCache.resize(size_t(c.nLayers));
    s.valueCache.resize(size_t(c.nLayers));
    s.kvHeads = c.nKvHeads;
    s.arch = simulate(m_model->architecture, s.settings, c, s.kvHeads);
    s.moe = trainedMoe(*m_model);  // empty unless the model was trained with experts
    s.alibi = alibiSlopes(c.nHeads);
    s.headHistory.assign(size_t(c.nLayers), {});
    s.buildRope(c, 0);
}

void Session::setSettings(const SimSettings& settings) {
    const ModelConfig& c = m_model->config;
    validateSettings(settings, c);
    checkKnobsApply(m_model->architecture, settings);
    Impl& s = *m_impl;
    // Derived weights are rebuilt only when their own knobs change (k-means and SVD are not free).
    const bool kvChanged = settings.kvSharing != s.settings.kvSharing || settings.kvGroups != s.settings.kvGroups ||
                           settings.kvRank != s.settings.kvRank || (!s.kv && settings.kvSharing != KvSharing::AsLoaded);
    const MoeParams& a = settings.moe;
    const MoeParams& b = s.settings.moe;
    const bool moeChanged = a.experts != b.experts || a.seed != b.seed || (a.experts && s.moe.empty());
    std::unique_ptr<KvWeights> kv = kvChanged ? buildKvWeights(*m_model, settings) : std::move(s.kv);
    std::vector<MoeLayer> moe = moeChanged ? sessionMoe(*m_model, settings.moe) : std::move(s.moe);
    s.settings = settings;
    s.kv = std::move(kv);
    s.moe = std::move(moe);
    s.kvHeads = s.kv ? s.kv->nKvHeads : c.nKvHeads;
    s.arch = simulate(m_model->architecture, settings, c, s.kvHeads);
    s.buildRope(c, 0);
    s.headHistory.assign(size_t(c.nLayers), {});
    // The cached keys belong to the old architecture.
    for (auto& v : s.keyCache) v.clear();
    for (auto& v : s.valueCache) v.clear();
    s.capacity = 0;
    m_pos = 0;
}

const SimSettings& Session::settings() const { return m_impl->settings; }
const Architecture& Session::architecture() const { return m_impl->arch; }

int Session::kvHeads() const { return m_impl->kvHeads; }

Session::~Session() = default;

void Session::reset() { m_pos = 0; }

void Session::truncate(int pos) { m_pos = std::clamp(pos, 0, m_pos); }

std::span<const float> Session::hiddenStates() const {
    const Impl& s = *m_impl;
    return std::span<const float>(s.x.data(), size_t(s.hiddenRows) * size_t(m_model->config.dim));
}

std::span<const int> Session::cachedTokens() const {
    const auto& h = m_impl->history;
    return std::span<const int>(h.data(), std::min(h.size(), size_t(m_pos)));
}

// Copies rows [from, to) of every layer's K and V, [position, kvDim] each (MLA: latent and RoPE key), and of the head
// history (mean ablation reads it), then the token history; the rest is already shared.
void Session::copyCacheFrom(const Session& src, int from, int to) {
    if (src.m_model != m_model) throw Error("Session::copyCacheFrom: the sessions run different models");
    const Impl& a = *src.m_impl;
    Impl& s = *m_impl;
    if (!(a.settings == s.settings))
        throw Error("Session::copyCacheFrom: the sessions run different architecture settings");
    if (to < 0 || to > src.m_pos)
        throw Error("Session::copyCacheFrom: position " + std::to_string(to) + " is past the source's " +
                    std::to_string(src.m_pos));
    from = std::clamp(from, 0, std::min(m_pos, to));
    const ModelConfig& c = m_model->config;
    s.ensureCapacity(c, to);
    const size_t kw = s.keyWidth(c), vw = s.valueWidth(c);
    const size_t qDim = size_t(c.nHeads) * c.headSize();
    for (int l = 0; l < c.nLayers; ++l) {
        std::copy(a.keyCache[size_t(l)].begin() + std::ptrdiff_t(from * kw),
                  a.keyCache[size_t(l)].begin() + std::ptrdiff_t(to * kw),
                  s.keyCache[size_t(l)].begin() + std::ptrdiff_t(from * kw));
        std::copy(a.valueCache[size_t(l)].begin() + std::ptrdiff_t(from * vw),
                  a.valueCache[size_t(l)].begin() + std::ptrdiff_t(to * vw),
                  s.valueCache[size_t(l)].begin() + std::ptrdiff_t(from * vw));
        const auto& ha = a.headHistory[size_t(l)];
        auto& hs = s.headHistory[size_t(l)];
        if (ha.size() >= size_t(to) * qDim) {
            hs.resize(size_t(to) * qDim);
            std::copy(ha.begin() + std::ptrdiff_t(size_t(from) * qDim), ha.begin() + std::ptrdiff_t(size_t(to) * qDim),
                      hs.begin() + std::ptrdiff_t(size_t(from) * qDim));
        }
    }
    s.history.resize(size_t(from));
    s.history.insert(s.history.end(), a.history.begin() + from, a.history.begin() + to);
    m_pos = to;
}

std::shared_ptr<const Trace> traceTokens(std::shared_ptr<const Model> model,
                                         const std::vector<int>& tokens, const CaptureSpec& spec,
                                         const Tokenizer* tokenizer, std::stop_token stop) {
    return traceTokens(std::move(model), tokens, spec, SimSettings{}, tokenizer, stop);
}

std::shared_ptr<const Trace> traceTokens(std::shared_ptr<const Model> model,
                                         const std::vector<int>& tokens, const CaptureSpec& spec,
                                         const SimSettings& settings, const Tokenizer* tokenizer,
                                         std::stop_token stop) {
    if (!model) throw Error("trace: no model");
    if (isEncoderDecoder(*model)) {  // tokens = the encoder input; the decoder generates greedily
        if (!(settings == SimSettings{}))
            throw Error("trace: the architecture simulator's settings apply to decoder-only models, not " +
                        model->architecture.name);
        // T5's tokenizer ends the input with </s> (add_eos); a caller's plain encode() may not.
        std::vector<int> input = tokens;
        if (tokenizer && tokenizer->eosId() >= 0 && (input.empty() || input.back() != tokenizer->eosId()))
            input.push_back(tokenizer->eosId());
        return traceEncoderDecoder(std::move(model), input, {}, spec, tokenizer, 16, stop);
    }
    // Refused with the estimate before anything is allocated (trace_budget.h).
    requireTraceBudget(model->config, int64_t(tokens.size()), spec);
    // Its attention arrays go back to a pool when it dies, for the next trace of this shape.
    auto trace = makeRecyclingTrace();
    trace->spec = spec;
    Session session(model);
    session.setSettings(settings);
    {
        const AttentionRecycling recycling;
        session.forward(tokens, spec.logits != CaptureSpec::Logits::None, trace.get(), stop);
    }
    if (tokenizer) {
        trace->tokenText.reserve(tokens.size());
        for (size_t i = 0; i < tokens.size(); ++i)
            trace->tokenText.push_back(tokenizer->piece(tokens[i]));
    }
    return trace;
}

}  // namespace anatomy
