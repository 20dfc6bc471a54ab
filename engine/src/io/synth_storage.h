#pragma once
// The synth writers' F16 and Q8_0 matrices (synth_t5.cpp, synth_bert.cpp): float draws stored as
// ggml's reference conversions store them, so a quantized file is the float file's network rounded.
#include <cstdint>
#include <vector>

#include "anatomy/ggml_type.h"

namespace anatomy {

// v as t: F16 rounds to nearest even (ggml_fp32_to_fp16); Q8_0 per 32 values d = max|x| / 127,
// q = round(x / d), d kept as F16 (quantize_row_q8_0_ref). Anything else, or Q8_0 of a length not
// a multiple of 32, is an error.
std::vector<uint8_t> synthStoredAs(GgmlType t, const std::vector<float>& v);

}  // namespace anatomy
