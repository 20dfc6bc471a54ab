#pragma once
// The t5 GGUF layout as llama.cpp c392e5094 reads it (llama-model.cpp LLM_ARCH_T5, llama.cpp
// build_t5_enc / build_t5_dec): token_embd shared by both stacks; per layer
//   enc.blk.N.{attn_norm, attn_q, attn_k, attn_v, attn_o, attn_rel_b (layer 0), ffn_norm,
//              ffn_gate (flan-t5), ffn_up, ffn_down}
//   dec.blk.N.{the same, cross_attn_norm, cross_attn_q, cross_attn_k, cross_attn_v, cross_attn_o}
// then enc.output_norm, dec.output_norm and an optional output (absent: tied to token_embd,
// which llama.cpp does not rescale by d_model^-0.5 as Hugging Face's tied T5 does).
// attn_rel_b is [heads, buckets] (ggml ne), i.e. [buckets, heads] row-major.
#include "anatomy/architecture.h"
#include "anatomy/gguf_writer.h"
#include "anatomy/model.h"
#include "anatomy/synth_gguf.h"
#include "io/gguf_source.h"

namespace anatomy {

struct GgufArchitecture;

// T5's keys: attention.relative_buckets_count, decoder_start_token_id; the FFN kind from the
// tensors (ffn_gate present: gated GELU, flan-t5; else ReLU, T5 v1.0).
Architecture t5Architecture(const GgufSource& f, const GgufArchitecture& a, const ModelConfig& c);
void loadT5Weights(const GgufSource& f, const GgufArchitecture& a, Model& m);
// A seeded random-weight t5 file (synth_gguf.h's conventions) with a 512-piece unigram vocabulary
// (tokenizer.ggml.model t5: <pad> 0, </s> 1, <unk> 2); spec.gatedFfn writes flan-t5's FFN.
GgufWriter synthT5Gguf(const SynthGgufSpec& spec);

}  // namespace anatomy
