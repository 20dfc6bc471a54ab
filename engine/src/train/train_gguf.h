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

// "" when a model of this shape can be written as GGUF, else the reason (the first key whose
// value a plain Llama file cannot express).
std::string ggufRefusal(const TrainShape& s);
void writeTrainedGguf(const std::string& path, const TrainShape& s, const std::vector<float>& params,
                      const Tokenizer& tok, const std::string& configJson);

}  // namespace anatomy::training
