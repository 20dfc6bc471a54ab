#include "anatomy/sim_settings.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <utility>

#include "anatomy/error.h"

namespace anatomy {

namespace {

template <class E>
using Names = std::vector<std::pair<const char*, E>>;

const Names<NormPlacement> kPlacements = {{"pre", NormPlacement::Pre},
                                          {"post", NormPlacement::Post},
                                          {"sandwich", NormPlacement::Sandwich},
                                          {"deepnorm", NormPlacement::DeepNorm}};
const Names<NormType> kNormTypes = {{"rms", NormType::Rms}, {"layer", NormType::Layer}};
const Names<Activation> kActivations = {{"silu", Activation::Silu},
                                        {"gelu-tanh", Activation::GeluTanh},
                                        {"gelu-erf", Activation::GeluErf},
                                        {"relu", Activation::Relu},
                                        {"leaky-relu", Activation::LeakyRelu},
                                        {"elu", Activation::Elu},
                                        {"swish", Activation::Swish}};
const Names<PositionEncoding> kPositions = {{"rope", PositionEncoding::Rope},
                                            {"none", PositionEncoding::None},
                                            {"alibi", PositionEncoding::Alibi}};
const Names<RopeScaling> kScalings = {{"none", RopeScaling::None},
                                      {"linear", RopeScaling::Linear},
                                      {"ntk", RopeScaling::Ntk},
                                      {"dynamic-ntk", RopeScaling::DynamicNtk},
                                      {"ntk-by-parts", RopeScaling::NtkByParts},
                                      {"yarn", RopeScaling::Yarn},
                                      {"llama3", RopeScaling::Llama3}};
const Names<AttentionMask> kMasks = {{"causal", AttentionMask::Causal},
                                     {"bidirectional", AttentionMask::Bidirectional},
                                     {"prefix", AttentionMask::PrefixLm}};
const Names<SparsePattern> kSparse = {{"none", SparsePattern::None},
                                      {"window", SparsePattern::SlidingWindow},
                                      {"sinks", SparsePattern::SinksWindow},
                                      {"strided", SparsePattern::BlockStrided},
                                      {"dual-chunk", SparsePattern::DualChunk},
                                      {"s2", SparsePattern::ShiftedSparse}};
const Names<AttentionKernel> kKernels = {{"softmax", AttentionKernel::Softmax},
                                         {"linear", AttentionKernel::Linear}};
const Names<KvSharing> kSharing = {{"as-loaded", KvSharing::AsLoaded},
                                   {"mqa", KvSharing::Mqa},
                                   {"mha", KvSharing::Mha},
                                   {"groups", KvSharing::Groups},
                                   {"latent", KvSharing::LatentSvd}};
const Names<MoeGate> kGates = {{"one", MoeGate::One}, {"softmax", MoeGate::Softmax}, {"prob", MoeGate::Prob}};

template <class E>
std::string allowed(const Names<E>& names) {
    std::string s;
    for (const auto& [n, e] : names) {
        if (!s.empty()) s += '|';
        s += n;
    }
    return s;
}

template <class E>
E parseEnum(std::string_view key, std::string_view v, const Names<E>& names) {
    for (const auto& [n, e] : names)
        if (v == n) return e;
    throw Error("setting " + std::string(key) + ": expected one of " + allowed(names) + ", got '" +
                std::string(v) + "'");
}

template <class E>
const char* nameOf(E e, const Names<E>& names) {
    for (const auto& [n, x] : names)
        if (x == e) return n;
    return "?";
}

float parseFloat(std::string_view key, std::string_view v, const char* what) {
    const std::string s(v);
    char* end = nullptr;
    errno = 0;
    const float f = std::strtof(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE || std::isnan(f))
        throw Error("setting " + std::string(key) + ": expected " + what + ", got '" + s + "'");
    return f;
}

long parseInt(std::string_view key, std::string_view v, const char* what) {
    const std::string s(v);
    char* end = nullptr;
    errno = 0;
    const long i = std::strtol(s.c_str(), &end, 10);
    if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE)
        throw Error("setting " + std::string(key) + ": expected " + what + ", got '" + s + "'");
    return i;
}

int parseCount(std::string_view key, std::string_view v, long lo, const char* what) {
    const long i = parseInt(key, v, what);
    if (i < lo || i > 1'000'000)
        throw Error("setting " + std::string(key) + ": expected " + what + ", got '" + std::string(v) + "'");
    return int(i);
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    size_t b = 0;
    while (true) {
        const size_t e = s.find(sep, b);
        out.push_back(s.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b));
        if (e == std::string_view::npos) break;
        b = e + 1;
    }
    return out;
}

// "L:H[:zero|mean],..." or "none"
std::vector<HeadIntervention> parseAblations(std::string_view key, std::string_view v) {
    std::vector<HeadIntervention> out;
    if (v == "none") return out;
    const char* what = "a list of layer:head[:zero|mean] (e.g. 2:5,0:1:mean) or none";
    for (std::string_view item : split(v, ',')) {
        const auto parts = split(item, ':');
        if (parts.size() < 2 || parts.size() > 3)
            throw Error("setting " + std::string(key) + ": expected " + what + ", got '" + std::string(item) + "'");
        HeadIntervention h;
        h.layer = parseCount(key, parts[0], 0, what);
        h.head = parseCount(key, parts[1], 0, what);
        if (parts.size() == 3) {
            if (parts[2] == "zero") h.kind = HeadIntervention::Kind::Zero;
            else if (parts[2] == "mean") h.kind = HeadIntervention::Kind::Mean;
            else throw Error("setting " + std::string(key) + ": expected " + what + ", got '" + std::string(item) + "'");
        }
        out.push_back(h);
    }
    return out;
}

// "L:H:g,..." or "none"
std::vector<HeadIntervention> parseGates(std::string_view key, std::string_view v) {
    std::vector<HeadIntervention> out;
    if (v == "none") return out;
    const char* what = "a list of layer:head:gate_logit (e.g. 1:3:-2) or none";
    for (std::string_view item : split(v, ',')) {
        const auto parts = split(item, ':');
        if (parts.size() != 3)
            throw Error("setting " + std::string(key) + ": expected " + what + ", got '" + std::string(item) + "'");
        HeadIntervention h;
        h.kind = HeadIntervention::Kind::Gate;
        h.layer = parseCount(key, parts[0], 0, what);
        h.head = parseCount(key, parts[1], 0, what);
        h.gateLogit = parseFloat(key, parts[2], what);
        out.push_back(h);
    }
    return out;
}

std::string fmt(float f) {
    std::ostringstream o;
    o << f;
    return o.str();
}

}  // namespace

bool SimSettings::plainAttention() const {
    const bool yarnTemperature = ropeScaling.method == RopeScaling::Yarn && ropeScaling.factor != 1.0f;
    return positions != PositionEncoding::Alibi && attnScale == 1.0f && mask == AttentionMask::Causal &&
           sparse == SparsePattern::None && kernel == AttentionKernel::Softmax && !yarnTemperature;
}

void applySetting(SimSettings& s, std::string_view kv) {
    const size_t eq = kv.find('=');
    if (eq == std::string_view::npos)
        throw Error("setting '" + std::string(kv) + "': expected key=value (keys: see --help-sim)");
    const std::string_view key = kv.substr(0, eq), v = kv.substr(eq + 1);
    const char* pos = "a positive number";
    if (key == "norm.placement") s.normPlacement = parseEnum(key, v, kPlacements);
    else if (key == "norm.type") s.normType = parseEnum(key, v, kNormTypes);
    else if (key == "norm.eps") {
        if (v == "model") s.normEps.reset();
        else {
            const float e = parseFloat(key, v, "a positive number or model");
            if (!(e > 0)) throw Error("setting norm.eps: expected a positive number or model, got '" + std::string(v) + "'");
            s.normEps = e;
        }
    } else if (key == "norm.alpha") {
        if (v == "auto") s.deepNormAlpha.reset();
        else s.deepNormAlpha = parseFloat(key, v, "a number or auto");
    } else if (key == "ffn.act") s.activation = parseEnum(key, v, kActivations);
    else if (key == "ffn.slope") s.activationParams.leakySlope = parseFloat(key, v, "a number");
    else if (key == "ffn.alpha") s.activationParams.eluAlpha = parseFloat(key, v, "a number");
    else if (key == "ffn.beta") s.activationParams.swishBeta = parseFloat(key, v, "a number");
    else if (key == "pos") s.positions = parseEnum(key, v, kPositions);
    else if (key == "rope.base") {
        if (v == "model") s.ropeBase.reset();
        else {
            const float b = parseFloat(key, v, "a number > 1 or model");
            if (!(b > 1)) throw Error("setting rope.base: expected a number > 1 or model, got '" + std::string(v) + "'");
            s.ropeBase = b;
        }
    } else if (key == "rope.scaling") s.ropeScaling.method = parseEnum(key, v, kScalings);
    else if (key == "rope.factor") {
        const float f = parseFloat(key, v, "a number >= 1");
        if (!(f >= 1)) throw Error("setting rope.factor: expected a number >= 1, got '" + std::string(v) + "'");
        s.ropeScaling.factor = f;
    } else if (key == "rope.original") s.ropeScaling.originalContext = parseCount(key, v, 0, "a context length (0 = the model's)");
    else if (key == "rope.alpha") s.ropeScaling.rampAlpha = parseFloat(key, v, "a number");
    else if (key == "rope.beta") s.ropeScaling.rampBeta = parseFloat(key, v, "a number");
    else if (key == "rope.low_freq") s.ropeScaling.lowFreqFactor = parseFloat(key, v, pos);
    else if (key == "rope.high_freq") s.ropeScaling.highFreqFactor = parseFloat(key, v, pos);
    else if (key == "attn.scale") {
        const float f = parseFloat(key, v, "a number");
        if (!std::isfinite(f)) throw Error("setting attn.scale: expected a finite number, got '" + std::string(v) + "'");
        s.attnScale = f;
    } else if (key == "attn.mask") s.mask = parseEnum(key, v, kMasks);
    else if (key == "attn.prefix") s.prefixLength = parseCount(key, v, 0, "a token count >= 0");
    else if (key == "attn.sparse") s.sparse = parseEnum(key, v, kSparse);
    else if (key == "attn.window") s.window = parseCount(key, v, 1, "a token count >= 1");
    else if (key == "attn.sinks") s.sinks = parseCount(key, v, 0, "a token count >= 0");
    else if (key == "attn.stride") s.stride = parseCount(key, v, 1, "a token count >= 1");
    else if (key == "attn.chunk") s.chunk = parseCount(key, v, 1, "a token count >= 1");
    else if (key == "attn.group") s.s2Group = parseCount(key, v, 2, "a token count >= 2");
    else if (key == "attn.kernel") s.kernel = parseEnum(key, v, kKernels);
    else if (key == "heads.ablate") {
        std::erase_if(s.heads, [](const HeadIntervention& h) { return h.kind != HeadIntervention::Kind::Gate; });
        auto add = parseAblations(key, v);
        s.heads.insert(s.heads.end(), add.begin(), add.end());
    } else if (key == "heads.gate") {
        auto add = parseGates(key, v);
        std::erase_if(s.heads, [](const HeadIntervention& h) { return h.kind == HeadIntervention::Kind::Gate; });
        s.heads.insert(s.heads.end(), add.begin(), add.end());
    } else if (key == "kv.sharing") s.kvSharing = parseEnum(key, v, kSharing);
    else if (key == "kv.groups") s.kvGroups = parseCount(key, v, 1, "a number of KV heads >= 1");
    else if (key == "kv.rank") s.kvRank = parseCount(key, v, 1, "a rank >= 1");
    else if (key == "moe.experts") s.moe.experts = parseCount(key, v, 0, "a number of experts (0 = dense)");
    else if (key == "moe.k") s.moe.topK = parseCount(key, v, 1, "a number of experts per token >= 1");
    else if (key == "moe.gate") s.moe.gate = parseEnum(key, v, kGates);
    else if (key == "moe.noise") {
        const float f = parseFloat(key, v, "a standard deviation >= 0");
        if (!(f >= 0)) throw Error("setting moe.noise: expected a standard deviation >= 0, got '" + std::string(v) + "'");
        s.moe.noiseStd = f;
    } else if (key == "moe.seed") s.moe.seed = uint64_t(parseCount(key, v, 0, "a seed >= 0"));
    else if (key == "moe.capacity") {
        const float f = parseFloat(key, v, "a capacity factor >= 0 (0 = unlimited)");
        if (!(f >= 0)) throw Error("setting moe.capacity: expected a capacity factor >= 0 (0 = unlimited), got '" + std::string(v) + "'");
        s.moe.capacityFactor = f;
    } else if (key == "moe.switch") {
        // Switch Transformer: top-1 routing, the expert's output scaled by its router probability.
        if (v == "on") { s.moe.topK = 1; s.moe.gate = MoeGate::Prob; }
        else if (v != "off") throw Error("setting moe.switch: expected on|off, got '" + std::string(v) + "'");
    } else {
        std::string keys;
        for (const auto& i : settingInfo()) {
            if (!keys.empty()) keys += ", ";
            keys += i.key;
        }
        throw Error("unknown setting '" + std::string(key) + "'; known keys: " + keys);
    }
}

void validateSettings(const SimSettings& s, const ModelConfig& c) {
    auto fail = [](const std::string& key, const std::string& expected, const std::string& got) {
        throw Error("setting " + key + ": expected " + expected + ", got " + got);
    };
    for (const auto& h : s.heads) {
        if (h.layer >= c.nLayers) fail("heads", "layer < " + std::to_string(c.nLayers), std::to_string(h.layer));
        if (h.head >= c.nHeads) fail("heads", "head < " + std::to_string(c.nHeads), std::to_string(h.head));
    }
    if (s.kvSharing == KvSharing::Groups &&
        (s.kvGroups < 1 || s.kvGroups > c.nHeads || c.nHeads % s.kvGroups != 0))
        fail("kv.groups", "a divisor of the " + std::to_string(c.nHeads) + " query heads", std::to_string(s.kvGroups));
    const int maxRank = std::min(2 * c.kvDim(), c.dim);
    if (s.kvSharing == KvSharing::LatentSvd && (s.kvRank < 1 || s.kvRank > maxRank))
        fail("kv.rank", "1.." + std::to_string(maxRank) + " (rank of [W_K; W_V])", std::to_string(s.kvRank));
    if (s.moe.experts != 0) {
        if (s.moe.experts < 2 || s.moe.experts > c.hiddenDim)
            fail("moe.experts", "0 (dense) or 2.." + std::to_string(c.hiddenDim), std::to_string(s.moe.experts));
        if (s.moe.topK > s.moe.experts)
            fail("moe.k", "1..moe.experts (" + std::to_string(s.moe.experts) + ")", std::to_string(s.moe.topK));
    }
    if (s.positions == PositionEncoding::Rope && s.ropeScaling.method == RopeScaling::Llama3 &&
        !(s.ropeScaling.highFreqFactor > s.ropeScaling.lowFreqFactor))
        fail("rope.high_freq", "greater than rope.low_freq (" + fmt(s.ropeScaling.lowFreqFactor) + ")",
             fmt(s.ropeScaling.highFreqFactor));
    if ((s.ropeScaling.method == RopeScaling::NtkByParts || s.ropeScaling.method == RopeScaling::Yarn) &&
        !(s.ropeScaling.rampBeta > s.ropeScaling.rampAlpha))
        fail("rope.beta", "greater than rope.alpha (" + fmt(s.ropeScaling.rampAlpha) + ")", fmt(s.ropeScaling.rampBeta));
    if (s.sparse == SparsePattern::ShiftedSparse && s.s2Group % 2 != 0)
        fail("attn.group", "an even group size", std::to_string(s.s2Group));
    if (s.kernel == AttentionKernel::Linear && (s.sparse != SparsePattern::None || s.mask != AttentionMask::Causal))
        fail("attn.kernel", "linear attention with attn.mask=causal and attn.sparse=none", "other mask settings");
}

const std::vector<SettingInfo>& settingInfo() {
    static const std::vector<SettingInfo> info = {
        {"norm.placement", allowed(kPlacements), "pre",
         "Where each sublayer's norm sits. pre (as trained): the sublayer reads a normed copy and adds "
         "to the raw residual. post (original Transformer): the sum is normed. sandwich: pre-norm plus a "
         "norm of the sublayer output before the add (the checkpoint has no gain for it: gain 1). "
         "deepnorm (DeepNet): post-norm with the residual scaled by alpha; DeepNet's beta only scales "
         "weights at initialisation, so it has no effect on a trained checkpoint.",
         "pre: x += F(N(x)); post: x = N(x + F(x)); sandwich: x += N1(F(N(x))); deepnorm: x = N(alpha x + F(x))"},
        {"norm.type", allowed(kNormTypes), "rms",
         "RMSNorm (as trained) rescales by the root mean square; LayerNorm also subtracts the mean. "
         "Both use the learned gain g; LayerNorm gets no bias (the checkpoint has none).",
         "rms: g * x / sqrt(mean(x^2) + eps); layer: g * (x - mean(x)) / sqrt(var(x) + eps)"},
        {"norm.eps", "number > 0 | model", "model",
         "The epsilon inside the norm's square root; guards against division by zero for tiny vectors.",
         "1 / sqrt(mean(x^2) + eps)"},
        {"norm.alpha", "number | auto", "auto",
         "DeepNorm's residual scale alpha (only with norm.placement=deepnorm). auto uses the DeepNet "
         "decoder-only value for this depth.",
         "alpha = (2N)^(1/4), N = number of layers"},
        {"ffn.act", allowed(kActivations), "silu",
         "The nonlinearity applied to the gate W1 x of the SwiGLU FFN (the up projection W3 x still "
         "multiplies it). gelu-tanh is the tanh approximation, gelu-erf the exact erf form.",
         "FFN(x) = W2 (act(W1 x) * W3 x); silu = x sigma(x); gelu-erf = x Phi(x) = x/2 (1 + erf(x/sqrt 2)); "
         "gelu-tanh = x/2 (1 + tanh(sqrt(2/pi)(x + 0.044715 x^3))); relu = max(0,x); "
         "leaky-relu = x or slope x; elu = x or alpha(e^x - 1); swish = x sigma(beta x)"},
        {"ffn.slope", "number", "0.01", "Leaky ReLU's slope for negative inputs.", "x < 0: slope * x"},
        {"ffn.alpha", "number", "1", "ELU's saturation value for very negative inputs.", "x < 0: alpha (e^x - 1)"},
        {"ffn.beta", "number", "1", "Swish's beta; beta = 1 is SiLU, large beta approaches ReLU.",
         "swish(x) = x sigma(beta x)"},
        {"pos", allowed(kPositions), "rope",
         "How positions enter attention. rope (as trained) rotates q and k; none drops position "
         "information (the causal mask alone still leaks order); alibi adds a linear distance penalty "
         "per head with geometric slopes instead of rotating.",
         "alibi: score(i,j) -= m_h (i - j), m_h = 2^(-8h/H), h = 1..H"},
        {"rope.base", "number > 1 | model", "model",
         "RoPE's base b: larger bases rotate slower, so distant positions stay distinguishable longer.",
         "theta_i = b^(-2i/d), angle = pos * theta_i"},
        {"rope.scaling", allowed(kScalings), "none",
         "Context extension by changing RoPE's frequencies, with factor s and original context L0. "
         "linear (position interpolation): every frequency / s. ntk: a larger base. dynamic-ntk: ntk "
         "with s grown from the current length once it passes L0 (keys cached by earlier calls keep "
         "their old rotation, as in Hugging Face's implementation). ntk-by-parts: interpolate only "
         "the low frequencies, ramping between alpha and beta rotations per L0. yarn: ntk-by-parts plus "
         "an attention temperature on the logits. llama3: the same ramp expressed in wavelengths with "
         "low/high frequency factors.",
         "linear: theta/s; ntk: b' = b s^(d/(d-2)); dynamic: s' = max(1, s L/L0 - (s-1)); "
         "by-parts: r = L0/lambda, g = clamp((r-alpha)/(beta-alpha),0,1), theta' = theta/s + g(theta - theta/s); "
         "yarn: + logits * (0.1 ln s + 1)^2 (sqrt(1/t) = 0.1 ln s + 1 on q and k); "
         "llama3: lambda < L0/high: theta; lambda > L0/low: theta/s; else smooth = (L0/lambda - low)/(high - low)"},
        {"rope.factor", "number >= 1", "1", "The scaling factor s (target context / original context).",
         "s = L_target / L0"},
        {"rope.original", "tokens (0 = model's)", "0", "The original context L0 the scaling refers to.", "L0"},
        {"rope.alpha", "number", "1", "NTK-by-parts/YaRN: dimensions with fewer than alpha rotations over L0 are fully interpolated.", "r < alpha: theta/s"},
        {"rope.beta", "number", "32", "NTK-by-parts/YaRN: dimensions with more than beta rotations over L0 are kept.", "r > beta: theta"},
        {"rope.low_freq", "number", "1", "Llama 3 low-frequency factor.", "lambda > L0/low_freq: theta/s"},
        {"rope.high_freq", "number", "4", "Llama 3 high-frequency factor.", "lambda < L0/high_freq: theta"},
        {"attn.scale", "number", "1",
         "A multiplier on the 1/sqrt(d_k) score scale: above 1 sharpens every softmax (lower entropy, "
         "recorded per head in the trace), below 1 flattens it.",
         "score = m * q.k / sqrt(d_k)"},
        {"attn.mask", allowed(kMasks), "causal",
         "causal (as trained): a token sees itself and the past. bidirectional: every token of the "
         "prompt sees every other (the batch is attended as a whole, so this leaks the future). prefix: "
         "the first attn.prefix tokens see each other bidirectionally, the rest causally (prefix-LM).",
         "causal: j <= i; bidirectional: all j; prefix: j <= i or j < P"},
        {"attn.prefix", "tokens", "0", "Prefix length P for attn.mask=prefix.", "j < P visible to i < P"},
        {"attn.sparse", allowed(kSparse), "none",
         "Sparse attention patterns on top of the causal mask. window: the last W tokens (Longformer/"
         "Mistral). sinks: the first S tokens plus the window (StreamingLLM's attention sinks). strided: "
         "the local W tokens plus every stride-th token before them (Sparse Transformer). dual-chunk: "
         "chunks of attn.chunk tokens with positions remapped so no relative distance exceeds the trained "
         "range (intra-chunk, successive-chunk, inter-chunk). s2: LongLoRA's shifted sparse attention, "
         "groups of attn.group tokens, half the heads shifted by half a group.",
         "window: i-W < j <= i; sinks: j < S or i-W < j <= i; strided: i-j < W or (i-j) mod stride = 0; "
         "s2: floor((i + o_h)/G) = floor((j + o_h)/G), o_h = 0 or G/2"},
        {"attn.window", "tokens >= 1", "64", "Window length W for window, sinks and strided.", "i - W < j"},
        {"attn.sinks", "tokens", "4", "Number S of attention-sink tokens kept at the start.", "j < S"},
        {"attn.stride", "tokens >= 1", "16", "Stride of the strided pattern.", "(i - j) mod stride = 0"},
        {"attn.chunk", "tokens >= 1", "128", "Chunk size for dual-chunk attention.", "chunk(i) = floor(i/c)"},
        {"attn.group", "even tokens >= 2", "64", "Group size G of shifted sparse attention (S2).", "groups of G, shift G/2"},
        {"attn.kernel", allowed(kKernels), "softmax",
         "linear replaces softmax(q.k) by the kernel phi(q).phi(k) with phi = elu + 1, so the causal "
         "sum can be kept as running prefix sums: O(N d^2) instead of softmax's O(N^2 d).",
         "out_i = phi(q_i)^T S_i / phi(q_i)^T z_i, S_i = sum_{j<=i} phi(k_j) v_j^T, z_i = sum_{j<=i} phi(k_j)"},
        {"heads.ablate", "L:H[:zero|mean],... | none", "none",
         "Removes heads: zero sets the head's output to 0; mean replaces it by its mean over the "
         "positions of the batch (mean ablation keeps the average contribution).",
         "o_{l,h}(t) = 0 or mean_t o_{l,h}(t)"},
        {"heads.gate", "L:H:g,... | none", "none",
         "Manual counterfactual: multiplies a head's output by a sigmoid gate sigma(g) set by hand. "
         "The checkpoint has no trained gates; this shows what a gated-attention model could do.",
         "o_{l,h} *= sigma(g)"},
        {"kv.sharing", allowed(kSharing), "as-loaded",
         "How many key/value heads serve the query heads. as-loaded: GQA with the model's KV heads. "
         "mqa: one KV head, the mean of the KV heads' W_K / W_V rows. mha: one KV head per query head, "
         "duplicated from its group. groups: kv.groups KV heads, each the mean of the original KV heads "
         "its query heads read. latent (MLA-style): [W_K; W_V] replaced by its rank-r truncated SVD, so "
         "every token caches one r-dimensional latent c = V_r^T x per layer.",
         "pool: W_K^g = mean_{kv heads in g} W_K^h; latent: [W_K; W_V] = U S V^T ~ U_r S_r V_r^T"},
        {"kv.groups", "divisor of the query heads", "0", "Number of KV heads for kv.sharing=groups.", "G | nHeads"},
        {"kv.rank", "1..min(2 kvDim, dim)", "0", "Latent rank r for kv.sharing=latent.", "r"},
        {"moe.experts", "0 | 2..hidden", "0",
         "MoEfication of the dense checkpoint: each FFN's hidden units are split into E experts by "
         "balanced k-means on the rows [W1_u, W3_u] (seeded). The router score of an expert is its "
         "centroid's W1 half dotted with the normed FFN input, i.e. the mean gate pre-activation of its "
         "units. Experts are evaluated densely and masked, which gives the same numbers as sparse "
         "execution; the trace reports the parameters a sparse kernel would touch.",
         "score_e = c_e . x; FFN(x) = sum_{e in topk} g_e W2[:, U_e] (act(W1[U_e] x) * W3[U_e] x)"},
        {"moe.k", "1..E", "2", "Experts per token (top-k routing). k = E reproduces the dense FFN with moe.gate=one.", "top-k of score"},
        {"moe.gate", allowed(kGates), "one",
         "Weight of a chosen expert: one (plain sum, exact for MoEfication), softmax (renormalised over "
         "the top k, Mixtral), prob (softmax over all experts, Switch).",
         "one: g = 1; softmax: g = exp(s_e)/sum_{topk} exp(s); prob: g = exp(s_e)/sum_all exp(s)"},
        {"moe.noise", "std >= 0", "0",
         "Noisy top-k gating (Shazeer 2017) with a fixed noise scale instead of a learned one; seeded.",
         "s_e + N(0, std^2)"},
        {"moe.seed", "integer", "1", "Seed for k-means initialisation and router noise.", ""},
        {"moe.capacity", "factor >= 0 (0 = unlimited)", "0",
         "Expert capacity: each expert takes at most C tokens in a batch, in order; overflowing tokens "
         "get no output from that expert (with k = 1 they pass through with zero FFN output).",
         "C = ceil(cf * T * k / E)"},
        {"moe.switch", "on | off", "off", "Shorthand for Switch-style routing: moe.k=1 moe.gate=prob.", "y = p_e E_e(x)"},
    };
    return info;
}

std::vector<std::string> settingKeys() {
    std::vector<std::string> out;
    for (const auto& i : settingInfo())
        out.push_back(i.key + "=" + i.values + " (default " + i.defaultValue + "): " + i.explanation +
                      (i.formula.empty() ? "" : "  Formula: " + i.formula));
    return out;
}

std::string describe(const SimSettings& s) {
    const SimSettings d;
    std::vector<std::string> p;
    if (s.normPlacement != d.normPlacement) p.push_back(std::string("norm.placement=") + nameOf(s.normPlacement, kPlacements));
    if (s.normType != d.normType) p.push_back(std::string("norm.type=") + nameOf(s.normType, kNormTypes));
    if (s.normEps) p.push_back("norm.eps=" + fmt(*s.normEps));
    if (s.deepNormAlpha) p.push_back("norm.alpha=" + fmt(*s.deepNormAlpha));
    if (s.activation != d.activation) p.push_back(std::string("ffn.act=") + nameOf(s.activation, kActivations));
    if (s.activation == Activation::LeakyRelu) p.push_back("ffn.slope=" + fmt(s.activationParams.leakySlope));
    if (s.activation == Activation::Elu) p.push_back("ffn.alpha=" + fmt(s.activationParams.eluAlpha));
    if (s.activation == Activation::Swish) p.push_back("ffn.beta=" + fmt(s.activationParams.swishBeta));
    if (s.positions != d.positions) p.push_back(std::string("pos=") + nameOf(s.positions, kPositions));
    if (s.ropeBase) p.push_back("rope.base=" + fmt(*s.ropeBase));
    if (s.ropeScaling.method != RopeScaling::None) {
        p.push_back(std::string("rope.scaling=") + nameOf(s.ropeScaling.method, kScalings));
        p.push_back("rope.factor=" + fmt(s.ropeScaling.factor));
        if (s.ropeScaling.originalContext) p.push_back("rope.original=" + std::to_string(s.ropeScaling.originalContext));
    }
    if (s.attnScale != d.attnScale) p.push_back("attn.scale=" + fmt(s.attnScale));
    if (s.mask != d.mask) p.push_back(std::string("attn.mask=") + nameOf(s.mask, kMasks));
    if (s.mask == AttentionMask::PrefixLm) p.push_back("attn.prefix=" + std::to_string(s.prefixLength));
    if (s.sparse != d.sparse) {
        p.push_back(std::string("attn.sparse=") + nameOf(s.sparse, kSparse));
        switch (s.sparse) {
            case SparsePattern::SlidingWindow: p.push_back("attn.window=" + std::to_string(s.window)); break;
            case SparsePattern::SinksWindow:
                p.push_back("attn.sinks=" + std::to_string(s.sinks));
                p.push_back("attn.window=" + std::to_string(s.window));
                break;
            case SparsePattern::BlockStrided:
                p.push_back("attn.window=" + std::to_string(s.window));
                p.push_back("attn.stride=" + std::to_string(s.stride));
                break;
            case SparsePattern::DualChunk: p.push_back("attn.chunk=" + std::to_string(s.chunk)); break;
            case SparsePattern::ShiftedSparse: p.push_back("attn.group=" + std::to_string(s.s2Group)); break;
            case SparsePattern::None: break;
        }
    }
    if (s.kernel != d.kernel) p.push_back(std::string("attn.kernel=") + nameOf(s.kernel, kKernels));
    std::string ablate, gate;
    for (const auto& h : s.heads) {
        const std::string lh = std::to_string(h.layer) + ":" + std::to_string(h.head);
        std::string& list = h.kind == HeadIntervention::Kind::Gate ? gate : ablate;
        if (!list.empty()) list += ',';
        list += lh;
        if (h.kind == HeadIntervention::Kind::Gate) list += ":" + fmt(h.gateLogit);
        if (h.kind == HeadIntervention::Kind::Mean) list += ":mean";
    }
    if (!ablate.empty()) p.push_back("heads.ablate=" + ablate);
    if (!gate.empty()) p.push_back("heads.gate=" + gate);
    if (s.kvSharing != d.kvSharing) p.push_back(std::string("kv.sharing=") + nameOf(s.kvSharing, kSharing));
    if (s.kvSharing == KvSharing::Groups) p.push_back("kv.groups=" + std::to_string(s.kvGroups));
    if (s.kvSharing == KvSharing::LatentSvd) p.push_back("kv.rank=" + std::to_string(s.kvRank));
    if (s.moe.experts) {
        p.push_back("moe.experts=" + std::to_string(s.moe.experts));
        p.push_back("moe.k=" + std::to_string(s.moe.topK));
        p.push_back(std::string("moe.gate=") + nameOf(s.moe.gate, kGates));
        if (s.moe.noiseStd > 0) p.push_back("moe.noise=" + fmt(s.moe.noiseStd));
        if (s.moe.capacityFactor > 0) p.push_back("moe.capacity=" + fmt(s.moe.capacityFactor));
        if (s.moe.seed != d.moe.seed) p.push_back("moe.seed=" + std::to_string(s.moe.seed));
    }
    if (p.empty()) return "as trained";
    std::string out;
    for (const auto& x : p) {
        if (!out.empty()) out += ", ";
        out += x;
    }
    return out;
}

}  // namespace anatomy
