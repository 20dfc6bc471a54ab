#pragma once
// A trained plain Llama model (pre-norm RMSNorm, RoPE, SwiGLU; any MHA/GQA/MQA, tied or untied
// classifier) as a GGUF file of architecture "llama", with llama.cpp's keys and tensor names, the
// training vocabulary embedded (tokenizer.ggml.model "llama") and the training config as JSON in
// anatomy.train.config. The engine opens it like any checkpoint. Written atomically.
#include <string>
#include <vector>

#include "anatomy/tokenizer.h"
#include "anatomy/train.h"

namespace anatomy::training {

// Every other design is written under architecture "anatomy-train": the trainer's tensors under
// their train_model.h names ("wq.0", "router.1", ...; ne = the shape reversed, float32), the
// shape's numbers as anatomy-train.* keys, the vocabulary as for llama, and the training config
// (anatomy.train.config), which names every design choice.

// Whether the shape is a plain Llama model (architecture "llama").
bool plainLlama(const TrainShape& s);
// The choices that make a shape more than llama2.c's layout, in words ("MoE 4 experts, gated
// attention"), for messages.
std::string ggufDesignName(const TrainShape& s);
void writeTrainedGguf(const std::string& path, const TrainShape& s, const std::vector<float>& params,
                      const Tokenizer& tok, const std::string& configJson);

}  // namespace anatomy::training
