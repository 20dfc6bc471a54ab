#pragma once
// The GGUF `bert` architecture (BERT, bge, all-MiniLM) as llama.cpp c392e5094 writes and reads it
// (llama-model.cpp load_tensors, llama.cpp build_bert): an encoder.
#include "io/gguf_architectures.h"

namespace anatomy {

// Its row of the architecture table (gguf_architectures.cpp).
GgufArchitecture bertGgufArchitecture();

}  // namespace anatomy
