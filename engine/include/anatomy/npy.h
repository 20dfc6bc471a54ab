#pragma once
// NumPy .npy (format version 1.0) writer and reader for float32 and int32 arrays, so every
// trace array opens with numpy.load().
#include <string>

#include "anatomy/nd_array.h"

namespace anatomy {

void writeNpy(const std::string& path, const FloatArray& a);
void writeNpy(const std::string& path, const IntArray& a);
// Reads a little-endian float32 .npy (C order). Throws Error on anything else.
FloatArray readNpyFloat(const std::string& path);

}  // namespace anatomy
