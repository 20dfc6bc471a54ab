#include "panels/knob_text.h"

#include <QCoreApplication>
#include <QHash>

namespace anatomy::widgets {

namespace {

// {source, key}: QT_TRANSLATE_NOOP3(context, source, key) expands to {source, key}.
struct Noop {
    const char* source;
    const char* key;
};

constexpr const char* kLabelContext = "anatomy::Knob";
constexpr const char* kChoiceContext = "anatomy::KnobChoice";
constexpr const char* kSpecialContext = "anatomy::KnobSpecial";
constexpr const char* kGroupContext = "anatomy::KnobGroup";
constexpr const char* kHelpContext = "anatomy::KnobHelp";
constexpr const char* kWordContext = "anatomy::KnobWord";

// The row labels, keyed by knob key (engine/src/sim/knob_table.cpp, in its order).
const Noop kLabels[] = {
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Placement", "norm.placement"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Type", "norm.type"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "ε", "norm.eps"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "DeepNorm α", "norm.alpha"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Activation", "ffn.act"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Leaky slope", "ffn.slope"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "ELU α", "ffn.alpha"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Swish β", "ffn.beta"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Encoding", "pos"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "RoPE base", "rope.base"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Scaling", "rope.scaling"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Factor s", "rope.factor"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Original context", "rope.original"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Ramp α", "rope.alpha"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Ramp β", "rope.beta"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Llama 3 low", "rope.low_freq"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Llama 3 high", "rope.high_freq"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Scale × 1/√d", "attn.scale"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Mask", "attn.mask"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Prefix length", "attn.prefix"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Sparse pattern", "attn.sparse"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Window W", "attn.window"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Sinks S", "attn.sinks"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Stride", "attn.stride"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Chunk", "attn.chunk"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "S2 group G", "attn.group"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Kernel", "attn.kernel"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Ablated", "heads.ablate"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Gated", "heads.gate"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Sharing", "kv.sharing"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "KV heads", "kv.groups"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Latent rank r", "kv.rank"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Experts E", "moe.experts"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Top-k", "moe.k"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Gate", "moe.gate"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Router noise", "moe.noise"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Seed", "moe.seed"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Capacity factor", "moe.capacity"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Switch routing", "moe.switch"),
};

// The choices' labels, keyed "key=name".
const Noop kChoices[] = {
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "pre-norm", "norm.placement=pre"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "post-norm", "norm.placement=post"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "sandwich", "norm.placement=sandwich"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "DeepNorm", "norm.placement=deepnorm"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "RMSNorm", "norm.type=rms"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "LayerNorm", "norm.type=layer"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "SiLU", "ffn.act=silu"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "GELU (tanh)", "ffn.act=gelu-tanh"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "GELU (erf)", "ffn.act=gelu-erf"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "ReLU", "ffn.act=relu"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "leaky ReLU", "ffn.act=leaky-relu"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "ELU", "ffn.act=elu"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "Swish", "ffn.act=swish"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "RoPE", "pos=rope"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "none", "pos=none"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "ALiBi", "pos=alibi"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "none (as trained)", "rope.scaling=none"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "PI (linear)", "rope.scaling=linear"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "NTK-aware", "rope.scaling=ntk"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "dynamic NTK", "rope.scaling=dynamic-ntk"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "NTK-by-parts", "rope.scaling=ntk-by-parts"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "YaRN", "rope.scaling=yarn"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "Llama 3", "rope.scaling=llama3"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "causal", "attn.mask=causal"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "bidirectional", "attn.mask=bidirectional"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "prefix-LM", "attn.mask=prefix"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "none", "attn.sparse=none"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "sliding window", "attn.sparse=window"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "sinks + window", "attn.sparse=sinks"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "strided", "attn.sparse=strided"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "dual chunk", "attn.sparse=dual-chunk"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "shifted sparse (S2)", "attn.sparse=s2"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "softmax", "attn.kernel=softmax"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "linear (elu + 1)", "attn.kernel=linear"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "as loaded (GQA)", "kv.sharing=as-loaded"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "MQA", "kv.sharing=mqa"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "MHA", "kv.sharing=mha"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "GQA groups", "kv.sharing=groups"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "latent (MLA-style)", "kv.sharing=latent"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "one (plain sum)", "moe.gate=one"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "softmax over top-k", "moe.gate=softmax"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "router probability", "moe.gate=prob"),
};

// What a spin box shows at its minimum, keyed by knob key.
const Noop kSpecials[] = {
    QT_TRANSLATE_NOOP3("anatomy::KnobSpecial", "the model's", "rope.original"),
    QT_TRANSLATE_NOOP3("anatomy::KnobSpecial", "unset", "kv.groups"),
    QT_TRANSLATE_NOOP3("anatomy::KnobSpecial", "unset", "kv.rank"),
    QT_TRANSLATE_NOOP3("anatomy::KnobSpecial", "dense, as trained", "moe.experts"),
    QT_TRANSLATE_NOOP3("anatomy::KnobSpecial", "unlimited", "moe.capacity"),
};

// The group titles (knobGroupTitle), keyed "group".
const Noop kGroups[] = {
    QT_TRANSLATE_NOOP3("anatomy::KnobGroup", "Norms", "group"),
    QT_TRANSLATE_NOOP3("anatomy::KnobGroup", "FFN activation", "group"),
    QT_TRANSLATE_NOOP3("anatomy::KnobGroup", "Positions", "group"),
    QT_TRANSLATE_NOOP3("anatomy::KnobGroup", "Attention", "group"),
    QT_TRANSLATE_NOOP3("anatomy::KnobGroup", "Heads", "group"),
    QT_TRANSLATE_NOOP3("anatomy::KnobGroup", "KV sharing", "group"),
    QT_TRANSLATE_NOOP3("anatomy::KnobGroup", "Mixture of experts", "group"),
};

// The help paragraphs (Knob::help, the text `anatomy-cli settings` prints), keyed by knob key.
// Copied literally from engine/src/sim/knob_table.cpp: an entry whose English differs is stale.
const Noop kHelps[] = {
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "Where each sublayer's norm sits. pre (as trained): the sublayer reads a normed copy and adds "
                       "to the raw residual. post (original Transformer): the sum is normed. sandwich: pre-norm plus a "
                       "norm of the sublayer output before the add (the checkpoint has no gain for it: gain 1). "
                       "deepnorm (DeepNet): post-norm with the residual scaled by alpha; DeepNet's beta only scales "
                       "weights at initialisation, so it has no effect on a trained checkpoint.",
                       "norm.placement"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "RMSNorm (as trained) rescales by the root mean square; LayerNorm also subtracts the mean. "
                       "Both use the learned gain g; LayerNorm gets no bias (the checkpoint has none).",
                       "norm.type"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "The epsilon inside the norm's square root; guards against division by zero for tiny vectors. "
                       "model: the checkpoint's own.",
                       "norm.eps"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "DeepNorm's residual scale alpha (only with norm.placement=deepnorm). auto uses the DeepNet "
                       "decoder-only value for this depth.",
                       "norm.alpha"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "The nonlinearity applied to the gate W1 x of the SwiGLU FFN (the up projection W3 x still "
                       "multiplies it). gelu-tanh is the tanh approximation, gelu-erf the exact erf form.",
                       "ffn.act"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp", "Leaky ReLU's slope for negative inputs.", "ffn.slope"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp", "ELU's saturation value for very negative inputs.", "ffn.alpha"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp", "Swish's beta; beta = 1 is SiLU, large beta approaches ReLU.", "ffn.beta"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "How positions enter attention. rope (as trained) rotates q and k; none drops position "
                       "information (the causal mask alone still leaks order); alibi adds a linear distance penalty "
                       "per head with geometric slopes instead of rotating.",
                       "pos"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "RoPE's base b: larger bases rotate slower, so distant positions stay distinguishable longer. "
                       "model: the checkpoint's own.",
                       "rope.base"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "Context extension by changing RoPE's frequencies, with factor s and original context L0. "
                       "linear (position interpolation): every frequency / s. ntk: a larger base. dynamic-ntk: ntk "
                       "with s grown from the current length once it passes L0 (keys cached by earlier calls keep "
                       "their old rotation, as in Hugging Face's implementation). ntk-by-parts: interpolate only "
                       "the low frequencies, ramping between alpha and beta rotations per L0. yarn: ntk-by-parts plus "
                       "an attention temperature on the logits. llama3: the same ramp expressed in wavelengths with "
                       "low/high frequency factors.",
                       "rope.scaling"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp", "The scaling factor s (target context / original context).", "rope.factor"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp", "The original context L0 the scaling refers to.", "rope.original"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "NTK-by-parts/YaRN: dimensions with fewer than alpha rotations over L0 are fully interpolated.",
                       "rope.alpha"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "NTK-by-parts/YaRN: dimensions with more than beta rotations over L0 are kept.",
                       "rope.beta"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp", "Llama 3 low-frequency factor.", "rope.low_freq"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp", "Llama 3 high-frequency factor.", "rope.high_freq"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "A multiplier on the 1/sqrt(d_k) score scale: above 1 sharpens every softmax (lower entropy, "
                       "recorded per head in the trace), below 1 flattens it.",
                       "attn.scale"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "causal (as trained): a token sees itself and the past. bidirectional: every token of the "
                       "prompt sees every other (the batch is attended as a whole, so this leaks the future). prefix: "
                       "the first attn.prefix tokens see each other bidirectionally, the rest causally (prefix-LM).",
                       "attn.mask"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp", "Prefix length P for attn.mask=prefix.", "attn.prefix"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "Sparse attention patterns on top of the causal mask. window: the last W tokens (Longformer/"
                       "Mistral). sinks: the first S tokens plus the window (StreamingLLM's attention sinks). strided: "
                       "the local W tokens plus every stride-th token before them (Sparse Transformer). dual-chunk: "
                       "chunks of attn.chunk tokens with positions remapped so no relative distance exceeds the trained "
                       "range (intra-chunk, successive-chunk, inter-chunk). s2: LongLoRA's shifted sparse attention, "
                       "groups of attn.group tokens, half the heads shifted by half a group.",
                       "attn.sparse"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp", "Window length W for window, sinks and strided.", "attn.window"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp", "Number S of attention-sink tokens kept at the start.", "attn.sinks"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp", "Stride of the strided pattern.", "attn.stride"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp", "Chunk size for dual-chunk attention.", "attn.chunk"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp", "Group size G of shifted sparse attention (S2).", "attn.group"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "linear replaces softmax(q.k) by the kernel phi(q).phi(k) with phi = elu + 1, so the causal "
                       "sum can be kept as running prefix sums: O(N d^2) instead of softmax's O(N^2 d).",
                       "attn.kernel"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "Removes heads: zero sets the head's output to 0; mean replaces it by its mean over the "
                       "positions of the batch (mean ablation keeps the average contribution).",
                       "heads.ablate"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "Manual counterfactual: multiplies a head's output by a sigmoid gate sigma(g) set by hand. "
                       "The checkpoint has no trained gates; this shows what a gated-attention model could do. "
                       "g = -inf closes the gate.",
                       "heads.gate"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "How many key/value heads serve the query heads. as-loaded: GQA with the model's KV heads. "
                       "mqa: one KV head, the mean of the KV heads' W_K / W_V rows. mha: one KV head per query head, "
                       "duplicated from its group. groups: kv.groups KV heads, each the mean of the original KV heads "
                       "its query heads read. latent (MLA-style): [W_K; W_V] replaced by its rank-r truncated SVD, so "
                       "every token caches one r-dimensional latent c = V_r^T x per layer.",
                       "kv.sharing"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp", "Number of KV heads for kv.sharing=groups.", "kv.groups"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp", "Latent rank r for kv.sharing=latent.", "kv.rank"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "MoEfication of the dense checkpoint: each FFN's hidden units are split into E experts by "
                       "balanced k-means on the rows [W1_u, W3_u] (seeded). The router score of an expert is its "
                       "centroid's W1 half dotted with the normed FFN input, i.e. the mean gate pre-activation of its "
                       "units. Experts are evaluated densely and masked, which gives the same numbers as sparse "
                       "execution; the trace reports the parameters a sparse kernel would touch.",
                       "moe.experts"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "Experts per token (top-k routing). k = E reproduces the dense FFN with moe.gate=one.",
                       "moe.k"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "Weight of a chosen expert: one (plain sum, exact for MoEfication), softmax (renormalised over "
                       "the top k, Mixtral), prob (softmax over all experts, Switch).",
                       "moe.gate"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "Noisy top-k gating (Shazeer 2017) with a fixed noise scale instead of a learned one; seeded.",
                       "moe.noise"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp", "Seed for k-means initialisation and router noise.", "moe.seed"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp",
                       "Expert capacity: each expert takes at most C tokens in a batch, in order; overflowing tokens "
                       "get no output from that expert (with k = 1 they pass through with zero FFN output).",
                       "moe.capacity"),
    QT_TRANSLATE_NOOP3("anatomy::KnobHelp", "Shorthand for Switch-style routing: moe.k=1 moe.gate=prob.", "moe.switch"),
};

// The OptionalFloat knobs' word for "unset" ("model": the checkpoint's own value) as the dock's
// box shows it. Display only: the value set, parsed and stored stays the English word.
const Noop kWords[] = {
    QT_TRANSLATE_NOOP3("anatomy::KnobWord", "model", "norm.eps"),
    QT_TRANSLATE_NOOP3("anatomy::KnobWord", "auto", "norm.alpha"),
    QT_TRANSLATE_NOOP3("anatomy::KnobWord", "model", "rope.base"),
};

// key -> entry; for groups the key is the English title itself.
template <size_t N>
QHash<QString, const Noop*> index(const Noop (&entries)[N], bool bySource) {
    QHash<QString, const Noop*> out;
    for (const Noop& e : entries) out.insert(QString::fromUtf8(bySource ? e.source : e.key), &e);
    return out;
}

const QHash<QString, const Noop*>& labels() {
    static const auto h = index(kLabels, false);
    return h;
}
const QHash<QString, const Noop*>& choices() {
    static const auto h = index(kChoices, false);
    return h;
}
const QHash<QString, const Noop*>& specials() {
    static const auto h = index(kSpecials, false);
    return h;
}
const QHash<QString, const Noop*>& helps() {
    static const auto h = index(kHelps, false);
    return h;
}
const QHash<QString, const Noop*>& words() {
    static const auto h = index(kWords, false);
    return h;
}
const QHash<QString, const Noop*>& groups() {
    static const auto h = index(kGroups, true);
    return h;
}

// The entry for key when it translates this English, else nullptr (a stale entry is no entry).
const Noop* find(const QHash<QString, const Noop*>& h, const QString& key, const std::string& english) {
    const Noop* e = h.value(key, nullptr);
    return e && english == e->source ? e : nullptr;
}

QString translated(const char* context, const Noop* e, const std::string& english) {
    return e ? QCoreApplication::translate(context, e->source, e->key) : QString::fromStdString(english);
}

QString choiceKey(const anatomy::Knob& k, const anatomy::KnobChoice& c) {
    return QString::fromStdString(k.key + "=" + c.name);
}

}  // namespace

QString knobLabel(const anatomy::Knob& k) {
    return translated(kLabelContext, find(labels(), QString::fromStdString(k.key), k.label), k.label);
}

QString knobChoiceLabel(const anatomy::Knob& k, const anatomy::KnobChoice& c) {
    return translated(kChoiceContext, find(choices(), choiceKey(k, c), c.label), c.label);
}

QString knobSpecialText(const anatomy::Knob& k) {
    if (k.special.empty()) return {};
    return translated(kSpecialContext, find(specials(), QString::fromStdString(k.key), k.special), k.special);
}

QString knobGroupName(anatomy::KnobGroup g) {
    const std::string english = anatomy::knobGroupTitle(g);
    return translated(kGroupContext, find(groups(), QString::fromStdString(english), english), english);
}

QString knobHelpText(const anatomy::Knob& k) {
    return translated(kHelpContext, find(helps(), QString::fromStdString(k.key), k.help), k.help);
}

QString knobWordText(const anatomy::Knob& k) {
    if (k.word.empty()) return {};
    return translated(kWordContext, find(words(), QString::fromStdString(k.key), k.word), k.word);
}

QStringList knobTextGaps() {
    QStringList out;
    for (const anatomy::Knob& k : anatomy::knobTable()) {
        const QString key = QString::fromStdString(k.key);
        if (!find(labels(), key, k.label)) out << key + QStringLiteral(": ") + QString::fromStdString(k.label);
        for (const anatomy::KnobChoice& c : k.choices)
            if (!find(choices(), choiceKey(k, c), c.label))
                out << choiceKey(k, c) + QStringLiteral(": ") + QString::fromStdString(c.label);
        if (!k.special.empty() && !find(specials(), key, k.special))
            out << key + QStringLiteral(" (at its minimum): ") + QString::fromStdString(k.special);
        if (!k.help.empty() && !find(helps(), key, k.help))
            out << key + QStringLiteral(" (help): ") + QString::fromStdString(k.help);
        if (!k.word.empty() && !find(words(), key, k.word))
            out << key + QStringLiteral(" (word): ") + QString::fromStdString(k.word);
    }
    // The groups the table uses (a group without knobs is never shown).
    for (const anatomy::Knob& k : anatomy::knobTable()) {
        const std::string english = anatomy::knobGroupTitle(k.group);
        const QString line = QStringLiteral("group: ") + QString::fromStdString(english);
        if (!find(groups(), QString::fromStdString(english), english) && !out.contains(line)) out << line;
    }
    return out;
}

QList<KnobTextEntry> knobTextEntries() {
    QList<KnobTextEntry> out;
    for (const Noop& e : kLabels) out.push_back({kLabelContext, e.source, e.key});
    for (const Noop& e : kChoices) out.push_back({kChoiceContext, e.source, e.key});
    for (const Noop& e : kSpecials) out.push_back({kSpecialContext, e.source, e.key});
    for (const Noop& e : kGroups) out.push_back({kGroupContext, e.source, e.key});
    for (const Noop& e : kHelps) out.push_back({kHelpContext, e.source, e.key});
    for (const Noop& e : kWords) out.push_back({kWordContext, e.source, e.key});
    return out;
}

}  // namespace anatomy::widgets
