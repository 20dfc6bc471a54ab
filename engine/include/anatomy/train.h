#pragma once
// Training a model of the course's designs on the CPU (issue 13): the configuration
// `anatomy-cli train` reads, and the training loop both faces call. What trains: token embedding
// (+ learned or sinusoidal positions), RMSNorm, LayerNorm or BatchNorm, pre-, post- or sandwich
// norm or DeepNorm (with its β initialisation), causal softmax attention with RoPE (adjacent
// pairs, as inference), ALiBi or no positions, MHA/GQA/MQA or MLA, gated attention (head-wise or
// element-wise), the gated FFN W2 (act(W1 x) ⊙ W3 x) with any of the knob table's activations
// (SwiGLU by default) or the plain W2 act(W1 x), a mixture of experts (top-k router, noisy top-k,
// capacity, Switch's auxiliary loss), tied or untied classifier, cross-entropy; AdamW with warmup
// + cosine and global gradient-norm clipping. Every other architecture choice is rejected by name.
#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "anatomy/sim_settings.h"

namespace anatomy {

// Absolute positions added to the token embedding (the trainer's pos=learned and pos=sinusoidal).
enum class AbsolutePositions { None, Learned, Sinusoidal };
// Gated attention (Qiu et al., 2025): o_h ← o_h ⊙ σ(h W_g) per head (HeadWise: one scalar a head)
// or per element (ElementWise), h the attention sublayer's input, before W_o.
enum class AttentionGate { None, HeadWise, ElementWise };

// The model's shape (config section "shape").
struct TrainShape {
    int dim = 128;       // d_model
    int nLayers = 4;
    int nHeads = 4;      // query heads
    int nKvHeads = 4;    // key/value heads: nHeads (MHA), a divisor (GQA) or 1 (MQA)
    int hidden = 344;    // SwiGLU inner width
    int vocab = 512;     // must equal the tokenizer's
    int context = 256;   // the trained context written into the model file
    bool tiedClassifier = true;  // classifier = token embedding
    NormPlacement placement = NormPlacement::Pre;  // architecture key norm.placement (every value)
    float deepNormAlpha = 0.0f;                    // norm.alpha; 0 = DeepNet's (2 L)^(1/4)
    NormType normType = NormType::Rms;             // architecture key norm.type (all norms, final too)
    PositionEncoding positions = PositionEncoding::Rope;  // architecture key pos: rope, none or alibi
    Activation activation = Activation::Silu;  // architecture key ffn.act: the gate's nonlinearity
    ActivationParams activationParams;         // ffn.slope, ffn.alpha, ffn.beta
    float normEps = 1e-5f;       // architecture key norm.eps
    float ropeTheta = 10000.0f;  // architecture key rope.base
    // Designs beyond the Llama shape (train_model.h has each formula):
    AbsolutePositions absolute = AbsolutePositions::None;  // pos=learned or pos=sinusoidal (with positions None)
    bool gatedFfn = true;        // ffn.gated: W2 (act(W1 h) ⊙ W3 h); false: W2 act(W1 h)
    AttentionGate attentionGate = AttentionGate::None;  // attn.gate: σ(h Wg) on each head's output
    MoeParams moe;               // moe.experts > 0: each FFN is E experts of width hidden and a router
    bool batchNorm = false;      // norm.type=batch (trainer only): BatchNorm over the batch's tokens
    int mlaRank = 0;             // kv.sharing=latent, kv.rank=r: trained MLA with latent rank r (0: off)
    int mlaRopeDim = 0;          // mla.rope_dim: the decoupled RoPE key's width d_r (even; 0 without RoPE)

    int headSize() const { return dim / nHeads; }
    int qDim() const { return nHeads * headSize(); }
    int kvDim() const { return nKvHeads * headSize(); }
    float residualAlpha() const;  // DeepNorm's α (the given or (2 L)^(1/4)); 1 otherwise
    int experts() const { return moe.experts; }
    bool mla() const { return mlaRank > 0; }
    // Width of one attention head as attention computes it: hs, or hs + d_r with MLA.
    int attentionHead() const { return headSize() + (mla() ? mlaRopeDim : 0); }
    // Heads of K and V as attention computes them: nKvHeads, or nHeads with MLA.
    int attentionKvHeads() const { return mla() ? nHeads : nKvHeads; }
    // Width of the attention gate's output: nHeads (head-wise), qDim (element-wise), 0 (none).
    int gateWidth() const;
    // Whether the model is a plain llama2.c file (no tensor beyond its layout, nothing left out).
    bool llama2cLayout() const;
};


// Section "optimisation". lr(s) for step s = 0..steps-1:
//   s < warmup:  lr · (s + 1) / warmup
//   else:        min_lr + (lr - min_lr) · (1 + cos(π (s - warmup) / max(1, steps - warmup))) / 2
struct TrainOptimisation {
    int steps = 1000;
    int batch = 8;          // sequences per step
    int sequence = 256;     // tokens per sequence (<= shape.context)
    double lr = 1e-3;
    double minLr = 1e-4;
    int warmup = 100;
    double weightDecay = 0.1;  // AdamW, decoupled; matrices and embedding only, not norm gains
    double clip = 1.0;         // global gradient-norm clip; 0 = off
    double beta1 = 0.9;
    double beta2 = 0.95;
    double eps = 1e-8;
    uint64_t seed = 1;         // initialisation and data order
    double auxLossWeight = 0.0;  // MoE: Switch load-balancing loss α E Σ_e f_e P_e added to the loss
};

// Section "data".
struct TrainData {
    std::string corpus;     // text file; default: the 4M lowercase TinyStories file (shared folder)
    std::string tokenizer;  // llama2.c tokenizer file; default: tok512.bin (shared folder)
    double trainFraction = 0.95;  // first part of the text trains, the rest validates
    std::string validationText;   // a second validation text (e.g. the 197K cased TinyStories file), or none
    int evalEvery = 100;    // steps between validation losses (and at the last step)
    int evalBatches = 4;    // validation batches (of optimisation.batch sequences) per estimate
    int logEvery = 10;      // steps between JSON lines (and at the first and last step)
};

struct TrainConfig {
    TrainShape shape;
    TrainOptimisation opt;
    TrainData data;
    std::string canonical;  // the configuration as one JSON line, every key with its value
};

// Parses the JSON text of a config. Throws Error with one line naming the key:
// "config: optimisation.batch: expected a positive integer, got -3".
TrainConfig parseTrainConfig(std::string_view json);
// Reads and parses a config file (the file's name prefixes a JSON syntax error).
TrainConfig loadTrainConfig(const std::string& path);
// `anatomy-cli train --help-config`: every key, its type, default and meaning.
std::string trainConfigHelp();
// The `--set KEY=VALUE` assignments that make the app run a trained shape as trained: a llama2.c
// file says nothing of the norm choices ({"norm.placement=post", "norm.type=layer"}; empty for
// the Llama default).
std::vector<std::string> trainOpenSettings(const TrainShape& s);
// The parameter count of a shape.
int64_t trainParameterCount(const TrainShape& s);

// One line of the training log.
struct TrainLogLine {
    int step = 0;                    // 1-based: steps done
    double trainLoss = 0;            // mean cross-entropy (nats/token) of this step's batch
    std::optional<double> valLoss;   // on the validation split, every evalEvery steps
    std::optional<double> val2Loss;  // on data.validationText, with valLoss, when given
    std::optional<double> valLossBatchStats;  // BatchNorm: the validation loss with batch statistics
                                              // (valLoss uses the running ones, as inference would)
    double lr = 0;                   // the rate this step used
    double gradNorm = 0;             // global L2 norm before clipping
    double tokensPerS = 0;           // training tokens per second since the previous line
    // What each design shows (from this step's forward pass):
    std::vector<double> gradNormPerLayer;               // [layers] L2 norm of each block's gradients
    std::vector<std::vector<double>> firstTokenMass;    // [layers][heads] mean over queries t >= 1 of P[t, 0]
    double maxActivation = 0;                           // largest |x| in the residual stream
    std::vector<std::vector<double>> expertLoad;        // MoE: [layers][experts] fraction of assignments
    double droppedFraction = 0;                         // MoE: assignments dropped at capacity
    double auxLoss = 0;                                 // MoE: the load-balancing term (not in trainLoss)
};

struct TrainRunOptions {
    std::string out;         // the model file (llama2.c v1 .bin); empty = default folder
    std::string checkpoint;  // optimiser state for resume; empty = out + ".ckpt"
    std::string resume;      // a checkpoint to continue from (same config)
    int checkpointEvery = 0; // steps between checkpoints and model files (0 = only at the end)
    int threads = 0;         // 0 = all cores
    // After training: the validation loss at these sequence lengths (length extrapolation; the
    // same number of windows, fewer per batch when longer). Learned positions end at shape.context.
    std::vector<int> evalLengths;
};

struct TrainResult {
    std::string modelPath;
    std::string checkpointPath;
    int steps = 0;
    std::optional<double> finalValLoss;
    struct LengthLoss {
        int length = 0;
        std::optional<double> valLoss;  // none: learned positions have no embedding this far
    };
    std::vector<LengthLoss> lengthLosses;  // for run.evalLengths, in order
};

// The default model folder: $XDG_DATA_HOME/transformer-anatomy/models or
// ~/.local/share/transformer-anatomy/models (created when missing).
std::string defaultTrainOutputDir();

// Trains, printing nothing: each log line goes to onLog. Throws Error (bad corpus, tokenizer
// vocabulary not the shape's, unwritable output, checkpoint of another config); Cancelled when
// stop fires (between steps; the checkpoint is then written).
TrainResult train(const TrainConfig& config, const TrainRunOptions& run,
                  const std::function<void(const TrainLogLine&)>& onLog, std::stop_token stop = {});

// Writes the reference the PyTorch check (tests/train/torch_reference.py) reads into dir:
// the initial weights (one .npy per tensor, llama2.c names), one batch (inputs.npy,
// targets.npy), loss and gradients of that batch (grad_NAME.npy, loss in losses.npy[0]) and the
// losses of `steps` AdamW steps on the same batch (losses.npy), plus config.json.
void writeTrainReference(const TrainConfig& config, const std::string& dir, int steps);

}  // namespace anatomy
