#pragma once
// The trainable Llama-shaped model: every parameter in one flat float vector, laid out in
// llama2.c's version-1 export order, so the file is the header plus this vector:
//   rms_att [L, dim], rms_ffn [L, dim] (the gains of the layer's two norms, RMSNorm or LayerNorm), rms_final [dim], token_embedding [vocab, dim],
//   wq [L, qDim, dim], wk [L, kvDim, dim], wv [L, kvDim, dim], wo [L, dim, qDim],
//   w1 [L, hidden, dim], w2 [L, dim, hidden], w3 [L, hidden, dim], (wcls [vocab, dim] if untied)
// Gradients use the same layout, so the optimiser walks both vectors element by element.
// Designs beyond llama2.c's layout add tensors (only when used): pos_embedding [context, dim]
// after token_embedding (pos=learned); wg [L, gateWidth, dim] (attn.gate) and router [L, E, dim]
// (MoE) after w3; MLA replaces wk and wv by wdkv [L, r, dim], wuk, wuv [L, qDim, r], wkr
// [L, d_r, dim], wqr [L, nHeads d_r, dim] (the last two when d_r > 0); with MoE, w1 [L, E hidden, dim], w2 [L, E dim, hidden], w3 [L, E hidden, dim]
// stack the experts; a plain FFN (ffn.gated=false) has no w3; BatchNorm (norm.type=batch) adds
// its running statistics last: bn_att_mean, bn_att_var, bn_ffn_mean, bn_ffn_var [L, dim],
// bn_final_mean, bn_final_var [dim] (initialised 0 and 1, never trained).
#include <cstdint>
#include <string>
#include <vector>

#include "anatomy/train.h"
#include "train/train_moe.h"

namespace anatomy::training {

struct LayerTensors {
    float* rmsAtt = nullptr;  // [dim]
    float* rmsFfn = nullptr;  // [dim]
    float* wq = nullptr;      // [qDim, dim]
    float* wk = nullptr;      // [kvDim, dim]
    float* wv = nullptr;      // [kvDim, dim]
    float* wo = nullptr;      // [dim, qDim]
    float* w1 = nullptr;      // [hidden, dim]  gate
    float* w2 = nullptr;      // [dim, hidden]  down
    float* w3 = nullptr;      // [hidden, dim]  up (gated FFN only)
    float* wg = nullptr;      // [gateWidth, dim]  attention gate (attn.gate)
    float* router = nullptr;  // [E, dim]  MoE router
    // MLA (train_mla.h): wq is W_q; wk and wv are absent
    float* wdkv = nullptr;    // [r, dim]
    float* wuk = nullptr;     // [qDim, r]
    float* wuv = nullptr;     // [qDim, r]
    float* wkr = nullptr;     // [d_r, dim]
    float* wqr = nullptr;     // [nHeads d_r, dim]
    // BatchNorm's running statistics (not trained: their gradients are 0, AdamW leaves them)
    float* bnAttMean = nullptr;  // [dim]
    float* bnAttVar = nullptr;   // [dim]
    float* bnFfnMean = nullptr;  // [dim]
    float* bnFfnVar = nullptr;   // [dim]
};

// Pointers into one flat vector (parameters or gradients).
struct Tensors {
    std::vector<LayerTensors> layers;  // [nLayers]
    float* rmsFinal = nullptr;         // [dim]
    float* embedding = nullptr;        // [vocab, dim]
    float* posEmbedding = nullptr;     // [context, dim] learned positions, or null
    float* bnFinalMean = nullptr;      // [dim] BatchNorm running statistics of the final norm
    float* bnFinalVar = nullptr;       // [dim]
    float* classifier = nullptr;       // [vocab, dim]; == embedding when tied
};

// One named tensor of the layout (for dumps, tests and decay masks).
struct TensorInfo {
    std::string name;          // "wq.0", "rms_final", "token_embedding", ...
    size_t offset = 0;         // into the flat vector
    std::vector<int> shape;    // [rows, cols] or [n]
    bool decayed = false;      // AdamW weight decay applies (matrices, not norm gains)
};

size_t parameterCount(const TrainShape& s);
std::vector<TensorInfo> tensorList(const TrainShape& s);
Tensors bind(const TrainShape& s, float* base);

// Seeded initialisation (GPT-2 / llama2.c training): norm gains 1; matrices and the embedding
// N(0, 0.02); the projections into the residual stream (wo, w2) N(0, 0.02 / sqrt(2 L)); with
// DeepNorm, wv, wo, w1, w2, w3 also times β = (8 L)^(-1/4) (DeepNet's decoder-only initialisation).
// Normal deviates from SplitMix64 + Box-Muller, so the weights do not depend on the C++ library.
void initialise(const TrainShape& s, std::vector<float>& params, uint64_t seed);
// n standard normal deviates from SplitMix64 + Box-Muller (the noisy top-k router's ε).
std::vector<float> normalNoise(size_t n, uint64_t seed);
// The noise tensor [L, N, E] of training step `step` (empty without moe.noise).
std::vector<float> routerNoise(const TrainShape& s, int N, int step);

// Activations of one forward pass over B sequences of T tokens (N = B T rows), kept for backward.
struct Activations {
    int B = 0, T = 0;
    // A norm's saved statistics: r = 1 / rms (RMSNorm) or 1 / std (LayerNorm), and the mean.
    // BatchNorm: mean and r are per feature [dim], of the batch (training) or running statistics.
    struct Norm {
        std::vector<float> mean;   // [N]  LayerNorm only; [dim] BatchNorm
        std::vector<float> r;      // [N]; [dim] BatchNorm
        float* runMean = nullptr;  // BatchNorm: the running statistics (in the parameters)
        float* runVar = nullptr;
        bool batchStats = true;    // BatchNorm: normalise with the batch's statistics (else the running ones)
        bool update = true;        // BatchNorm: and update the running ones
    };
    // BatchNorm's statistics in this forward: the batch's, updating the running ones (training),
    // the running ones (evaluation, as a deployed model), or the batch's without an update.
    enum class NormStats { Train, Running, BatchOnly };
    NormStats normStats = NormStats::Train;
    struct Layer {
        std::vector<float> xIn;    // [N, dim]     residual stream entering the layer
        Norm nAtt;                 //              pre: of xIn; post: of yAtt
        std::vector<float> yAtt;   // [N, dim]     post, deepnorm: α xIn + Wo att (the norm's input);
                                   //              sandwich: Wo att (the input of its unit-gain norm)
        Norm nAttOut;              //              sandwich: that norm's statistics
        std::vector<float> hAtt;   // [N, dim]     attention input: N(xIn) (pre) or xIn (post)
        std::vector<float> q;      // [N, qDim]    after RoPE (MLA: [N, nHeads (hs + d_r)], train_mla.h)
        std::vector<float> k;      // [N, kvDim]   after RoPE (MLA: as q)
        std::vector<float> v;      // [N, kvDim]   (MLA: as q, zeros in the RoPE columns)
        std::vector<float> latent; // [N, r]       MLA's c
        std::vector<float> attWide;  // [N, nHeads (hs + d_r)] MLA: attention's output before narrowing
        std::vector<float> prob;   // [B, nHeads, T, T] causal softmax (row t: columns 0..t)
        std::vector<float> att;    // [N, qDim]    heads' outputs (before the gate)
        std::vector<float> gate;   // [N, gateWidth] σ(h Wg) (attn.gate)
        std::vector<float> attGated;  // [N, qDim] att ⊙ gate, the input of Wo (attn.gate)
        std::vector<float> xMid;   // [N, dim]     after the attention sublayer
        Norm nFfn;
        std::vector<float> yFfn;   // [N, dim]     as yAtt, for the FFN
        Norm nFfnOut;
        std::vector<float> hFfn;   // [N, dim]     FFN input
        std::vector<float> a;      // [N, hidden]  W1 h
        std::vector<float> b;      // [N, hidden]  W3 h
        std::vector<float> g;      // [N, hidden]  silu(a) ⊙ b
        MoeActivations moe;        //              MoE: routing and each expert's rows
    };
    std::vector<Layer> layers;
    std::vector<float> xOut;       // [N, dim]  the last layer's output
    Norm nFinal;
    std::vector<float> hFinal;     // [N, dim]
    std::vector<float> logits;     // [N, vocab]; after backward: dLoss/dlogits
    std::vector<float> routerNoise;  // [L, N, E] noisy top-k's ε (set by the caller), or empty
    double auxWeight = 0;          // MoE load-balancing loss weight α (set by the caller)
    double auxLoss = 0;            // Σ over layers of α E Σ f_e P_e, after forward
    // Work buffers of forward and backward, kept between steps so a step allocates nothing once
    // warm (their contents are scratch: every use writes before it reads).
    struct Buffers {
        std::vector<float> tmp;                    // [N, dim]  forward's sublayer output
        std::vector<float> dx, dh, dy;             // [N, dim]  residual, sublayer input, post-norm
        std::vector<float> dHidA, dHidB, dHidG;    // [N, hidden]
        std::vector<float> dAtt, dAttGated;        // [N, qDim]
        std::vector<float> dGate;                  // [N, gateWidth]
        std::vector<float> dq, dk, dv;             // [N, qDim], [N, kvDim], [N, kvDim]
        std::vector<float> dWide, dqW, dkW, dvW;   // [N, nHeads (hs + d_r)]  MLA
    };
    Buffers buffers;
};

// Embedding scale: sqrt(dim) with sinusoidal positions (Vaswani et al.), else 1.
float embeddingScale(const TrainShape& s);
// The sinusoidal table PE[t, 2i] = sin(t / 10000^(2i/d)), PE[t, 2i+1] = cos(...): [T, dim].
std::vector<float> sinusoidalTable(int T, int dim);

// Forward over tokens [B, T]; returns the mean cross-entropy against targets [B, T] (the MoE
// auxiliary loss, with act.auxWeight, is in act.auxLoss and is part of what backward differentiates)
// (targets may be null: then only the logits are computed and 0 is returned).
double forward(const TrainShape& s, const Tensors& w, const int* tokens, const int* targets, int B, int T,
               Activations& act);

// Backward of the mean cross-entropy of the last forward (which must have had targets):
// overwrites every gradient in grads (a flat vector of parameterCount floats).
void backward(const TrainShape& s, const Tensors& w, const Tensors& grads, const int* tokens, const int* targets,
              Activations& act);

}  // namespace anatomy::training
