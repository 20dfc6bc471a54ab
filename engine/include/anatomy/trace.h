#pragma once
// What one forward pass recorded. A CaptureSpec says what to keep (so a large model records
// only what a view shows); the Trace is built by the engine and immutable afterwards: views get
// a std::shared_ptr<const Trace>.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "anatomy/architecture.h"
#include "anatomy/model_config.h"
#include "anatomy/nd_array.h"
#include "anatomy/sim_settings.h"

namespace anatomy {

struct EncoderDecoderTrace;  // encoder_decoder.h

// Summary thumbnails of the layers a trace does not keep whole are at most this many cells a side.
constexpr int kAttentionThumbSize = 64;

// Rows of the logit lens computed at a time: its scratch, [rows, vocab] floats, holds at most
// 4 Mi floats (16 MB) and at least 64 rows (all 512 of a 512-token trace on a 512-token
// vocabulary, 85 on a 49k one).
constexpr int lensRowBlock(int vocab) { return vocab > 0 && (1 << 22) / vocab > 64 ? (1 << 22) / vocab : 64; }

struct CaptureSpec {
    bool attention = true;   // scores before softmax and probabilities, every layer and head
    bool qk = true;          // q and k after RoPE, and v
    bool residual = true;    // residual-stream RMS before/after each sublayer, norm statistics
    bool ffn = true;         // FFN activation statistics (max |x| and its channel)
    enum class Logits { None, All, TopK } logits = Logits::All;
    int logitsTopK = 20;     // when logits == TopK
    bool logitLens = true;   // final norm + classifier applied to each layer's output
    int lensTopK = 5;
    // Layers whose attention maps (scores, probabilities) and q, k, v are kept whole; empty =
    // every layer. The other layers keep what the head grid and the head metrics read: per
    // query row the entropy and the first-key and previous-key mass, and each head's map
    // max-pooled to at most kAttentionThumbSize² cells. A 1B model's 512-token trace then holds
    // one layer's maps (67 MB) instead of 22 (1.48 GB).
    std::vector<int> wholeLayers;
    // With wholeLayers set, every layer is kept whole anyway when that costs at most this many
    // bytes of maps (small models then switch layers without a re-trace); 0 = never.
    int64_t wholeUnderBytes = 0;

    // Whether layer l's maps are kept whole (after resolvedFor, as a trace records it).
    bool keepsWhole(int l) const;
    // The spec a trace of nQ query rows over nKv keys with this config runs: wholeLayers sorted,
    // without duplicates or layers the model lacks, and empty when it names every layer or the
    // whole maps fit in wholeUnderBytes.
    CaptureSpec resolvedFor(const ModelConfig& config, int64_t nQ, int64_t nKv) const;

    static CaptureSpec everything() { return CaptureSpec{}; }
    static CaptureSpec nothing() {
        CaptureSpec s;
        s.attention = s.qk = s.residual = s.ffn = s.logitLens = false;
        s.logits = Logits::None;
        return s;
    }
};

struct LayerTrace {
    FloatArray attnScores;  // [nHeads, nQ, nKv]  q.k * scale before softmax; masked = -inf
    FloatArray attnProbs;   // [nHeads, nQ, nKv]  softmax of the scores; masked = 0
    FloatArray q;           // [nHeads, nQ, headSize]   after RoPE
    FloatArray k;           // [nKvHeads, nKv, headSize] after RoPE (cached positions included)
    FloatArray v;           // [nKvHeads, nKv, headSize] values (cached positions included)
};

// One layer's routing when the simulator MoEfies the FFN (see moe.h).
struct MoeLayerTrace {
    FloatArray routerLogits;     // [nQ, E]  score_e = c_e . x (+ noise)
    IntArray chosen;             // [nQ, k]  chosen experts, best first
    IntArray droppedMask;        // [nQ, k]  1 where the choice overflowed the expert's capacity
    IntArray expertLoad;         // [E]      tokens each expert processed
    float importanceCv = 0.0f;   // std / mean over experts of sum_t softmax(score)_e
    int droppedAssignments = 0;  // (token, expert) choices dropped for capacity
    int64_t activeFfnParams = 0; // per token, averaged: units of the chosen experts + router
    int64_t totalFfnParams = 0;  // all units + router
};

struct Trace {
    ModelConfig config;
    CaptureSpec spec;
    std::vector<int> tokens;              // [nKv] every token the keys cover, BOS first
    std::vector<std::string> tokenText;   // [nKv] decoded piece of each token
    int firstQueryPos = 0;                // position of query row 0
    int nQ = 0;                           // query rows traced
    int nKv = 0;                          // key positions (firstQueryPos + nQ)

    std::vector<LayerTrace> layers;       // [nLayers]

    // Residual stream and norms, [nLayers, nQ] each.
    FloatArray residRmsIn;        // RMS of x entering the layer (before attention)
    FloatArray residRmsMid;       // RMS of x after the attention residual add
    // Mean over channels of the same two residuals: what a LayerNorm subtracts (its variance is
    // RMS² − mean²; RMSNorm keeps the mean in).
    FloatArray residMeanIn;
    FloatArray residMeanMid;
    FloatArray residRmsOut;       // RMS of x after the FFN residual add
    FloatArray attnNormOutRms;    // RMS of RMSNorm(x) * g feeding attention
    FloatArray ffnNormOutRms;     // RMS of the norm output feeding the FFN
    FloatArray attnOutRms;        // RMS of the attention sublayer's output (before the add)
    FloatArray ffnOutRms;         // RMS of the FFN sublayer's output (before the add)
    FloatArray residMaxAbs;       // max |x| of the layer's output residual
    IntArray residMaxChannel;     // channel of that max
    FloatArray ffnActMaxAbs;      // max |silu(W1 x) * W3 x| over hidden units
    IntArray ffnActMaxChannel;    // hidden unit of that max

    // Logits, per traced position: all [nQ, vocab], or the top k ids and values [nQ, k].
    FloatArray logits;
    IntArray logitsTopIds;
    FloatArray logitsTopValues;

    // Logit lens: final norm + classifier on each layer's output residual, top k. [nLayers, nQ, k]
    IntArray lensTopIds;
    FloatArray lensTopProbs;

    // Encoders (Architecture::languageModel false) traced from position 0: the last hidden states
    // pooled as the model says and L2-normalised (pooling.h), [dim]; empty otherwise.
    std::vector<float> embedding;

    // Attention entropy per head, -sum p ln p (nats) of each query row. [nLayers, nHeads, nQ]
    FloatArray attnEntropy;
    // Per head and query row, every layer (whole or not): p(query -> key 0), the attention sink,
    // and p(query -> the key before it), 0 at position 0. [nLayers, nHeads, nQ]
    FloatArray attnFirstKey;
    FloatArray attnPrevKey;
    // When spec.wholeLayers is set: the maps of the layers not kept whole, max-pooled. Cell
    // (y, x) of [th, tw] (th = min(nQ, kAttentionThumbSize), tw = min(nKv, kAttentionThumbSize))
    // covers query rows [y nQ / th, (y + 1) nQ / th) and keys [x nKv / tw, (x + 1) nKv / tw), as
    // the head grid's thumbnails pool, and holds the largest probability (score) of its visible
    // cells, -inf where the mask hid them all. [nLayers, nHeads, th, tw]; whole layers' cells -inf.
    FloatArray attnThumbProbs;
    FloatArray attnThumbScores;

    // Layer l's attention maps are here whole (attnProbs, and attnScores where recorded).
    bool hasWholeAttention(int l) const;

    // Architecture simulator: the settings that ran (compare with ==; describe() for text) and,
    // with MoE on, the routing per layer ([nLayers], empty for the dense FFN).
    SimSettings settings;
    Architecture architecture;            // what the forward pass ran: the model's, edited by settings
    std::vector<MoeLayerTrace> moe;
    // Encoder-decoder models (T5): the encoder's attention and output and the cross-attention;
    // null for decoder-only models.
    std::shared_ptr<const EncoderDecoderTrace> encoderDecoder;

    double elapsedMs = 0.0;  // wall time of the forward pass that built it

    // Logits row of query position q (from `logits`), or empty when not recorded.
    std::vector<float> logitsRow(int q) const;
};

}  // namespace anatomy
