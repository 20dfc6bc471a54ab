#pragma once
// The random-weight `bert` GGUF of synth_gguf.h: an encoder with a WordPiece vocabulary.
#include "anatomy/gguf_writer.h"
#include "anatomy/synth_gguf.h"

namespace anatomy {

GgufWriter synthBertGguf(const SynthGgufSpec& spec);

}  // namespace anatomy
