#pragma once
// NaN and infinity checks of loaded weights (model.cpp's checkFiniteWeights runs them over a
// decoder; the t5 and bert loaders run them on each tensor as they read it, under its own name).
// Each throws Error "<file>: tensor <name> holds nan at element <i>; the weights are damaged
// (expected finite numbers)".
#include <cstdint>
#include <string>

#include "anatomy/model.h"

namespace anatomy {

// x [n] (nothing when x is null); part is added after the name (" (its scales)").
void requireFinite(const Model& m, const float* x, int64_t n, const std::string& name, const char* part = "");
// A matrix in any stored form: float, llama2.c int8 (its scales), or ggml blocks row by row as dequantized.
void requireFiniteMatrix(const Model& m, const Matrix& w, const std::string& name);

}  // namespace anatomy
