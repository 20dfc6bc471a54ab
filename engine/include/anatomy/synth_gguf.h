#pragma once
// Seeded random-weight GGUF files of every architecture the engine reads, with exactly the
// metadata keys and tensor names llama.cpp (c392e5094) reads for it, and a 512-token
// SentencePiece vocabulary, so llama.cpp loads the same file. The reference tests
// (tests/engine/reference/zoo) compare this engine's logits on them with llama.cpp's.
//
// Weights, drawn in the order the tensors are written from std::mt19937(seed) through
// std::normal_distribution<float>: embeddings N(0, 0.5^2), matrices [rows, cols] N(0, 1/cols),
// norm gains 1 + N(0, 0.1^2), biases N(0, 0.1^2).
#include <cstdint>
#include <string>
#include <vector>

#include "anatomy/gguf_writer.h"

namespace anatomy {

struct SynthGgufSpec {
    std::string arch = "llama";  // general.architecture
    int dim = 64;
    int hiddenDim = 128;
    int nLayers = 2;
    int nHeads = 4;
    int nKvHeads = 2;
    int headDim = 0;             // attention.key_length where it differs from dim / heads; 0 = dim / heads
    int seqLen = 64;             // context_length (GPT-2: rows of the position table)
    int rotaryDims = 0;          // rope.dimension_count where the architecture allows less; 0 = head size
    int window = 0;              // attention.sliding_window (Phi-3, Gemma 2); 0 = the architecture's default
    float attnSoftCap = 0.0f;    // Gemma 2's caps; 0 = llama.cpp's defaults (50, 30)
    float finalSoftCap = 0.0f;
    bool untiedOutput = false;   // output.weight where the architecture makes it optional
    float ropeLinear = 0.0f;     // rope.scaling.type linear with this factor; 0 = none
    int llama3Context = 0;       // rope_freqs.weight as Llama 3's converter writes it (factor 8, low 1,
                                 // high 4) for this original context; 0 = none
    bool gatedFfn = false;       // t5: flan-t5's gated-GELU FFN (ffn_gate); else T5 v1.0's ReLU
    int relativeBuckets = 32;    // t5: attention.relative_buckets_count
    int poolingType = 1;         // bert: bert.pooling_type (1 mean, 2 cls)
    bool fusedQkv = false;       // bert: one attn_qkv tensor (rows q | k | v) instead of three
    // t5: the type of the weight matrices (token_embd, the projections, the FFN, output): F32,
    // or F16 / Q8_0 of the same draws, converted as ggml's reference code does (round to
    // nearest even; Q8_0: d = max|x| / 127 per 32, q = round(x / d)). Norms and biases stay F32.
    GgmlType matrixType = GgmlType::F32;
    uint32_t seed = 1;
};

// The architectures synth writes: "llama", "qwen2", "qwen3", "gpt2", "gptneox", "phi3", "gemma2".
std::vector<std::string> synthArchitectures();
// The reference cases: synthArchitectures(), then "llama-linear" (a llama file with
// rope.scaling.type linear, factor 4).
std::vector<std::string> synthReferenceCases();
// The encoder-decoder cases (tests/engine/reference/t5): "t5" (T5 v1.0's ReLU FFN, tied output)
// and "t5-gated" (flan-t5's gated-GELU FFN, heads x d_kv wider than d_model, untied output).
std::vector<std::string> synthEncoderDecoderCases();
// "t5-f16" and "t5-q8_0": the "t5" file of the same seed with its matrices stored as F16 or Q8_0.
std::vector<std::string> synthQuantizedEncoderDecoderCases();
// The encoders synth writes besides: "bert" (mean pooling), "bert-cls" (CLS pooling), "bert-fused"
// (mean pooling, q, k, v in one tensor: the same network as "bert" of the same seed).
std::vector<std::string> synthEncoderCases();
// "bert-f16" and "bert-q8_0": the "bert" file of the same seed with its token embeddings,
// attention and FFN matrices stored as F16 or Q8_0.
std::vector<std::string> synthQuantizedEncoderCases();
// The small shape the reference tests use for a case (dim 64, 2 layers, vocabulary 512; Gemma 2 has
// the 26 layers llama.cpp insists on; windows and soft caps small enough to matter in 16 tokens).
SynthGgufSpec synthReferenceSpec(const std::string& arch, uint32_t seed = 1);
// The file as a writer (tests take keys or tensors out of it); throws Error for an unknown
// architecture or a shape that does not divide.
GgufWriter synthGguf(const SynthGgufSpec& spec);
// synthGguf(spec).write(path).
void writeSynthGguf(const SynthGgufSpec& spec, const std::string& path);

}  // namespace anatomy
