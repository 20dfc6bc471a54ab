#pragma once
// ggml tensor types (the `type` field of a GGUF tensor info), as llama.cpp numbers them.
// A row of a block type is cols / blockSize consecutive blocks of blockBytes bytes; the byte
// layout of each block is ggml's (ggml-common.h), described next to its dequantizer in
// kernels/ggml_blocks.h.
#include <cstddef>
#include <cstdint>
#include <string>

namespace anatomy {

enum class GgmlType : uint32_t {
    F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q5_0 = 6, Q5_1 = 7, Q8_0 = 8, Q8_1 = 9,
    Q2_K = 10, Q3_K = 11, Q4_K = 12, Q5_K = 13, Q6_K = 14, Q8_K = 15,
    IQ2_XXS = 16, IQ2_XS = 17, IQ3_XXS = 18, IQ1_S = 19, IQ4_NL = 20, IQ3_S = 21, IQ2_S = 22,
    IQ4_XS = 23, I8 = 24, I16 = 25, I32 = 26, I64 = 27, F64 = 28, IQ1_M = 29, BF16 = 30,
    TQ1_0 = 34, TQ2_0 = 35,
};

struct GgmlTypeInfo {
    GgmlType type;
    const char* name;  // "Q4_K", as llama.cpp prints it
    int blockSize;     // values per block (1 for plain element types)
    int blockBytes;    // bytes per block
    bool supported;    // this engine keeps it as stored and multiplies with it
};

// The row of the table for a type id, or nullptr for an id ggml does not define.
const GgmlTypeInfo* ggmlTypeInfo(uint32_t id);
inline const GgmlTypeInfo& ggmlTypeInfo(GgmlType t) { return *ggmlTypeInfo(uint32_t(t)); }
// "Q4_K (12)", or "unknown type (99)": what an error message names.
std::string ggmlTypeName(uint32_t id);
inline std::string ggmlTypeName(GgmlType t) { return ggmlTypeName(uint32_t(t)); }
// The supported types, comma-separated ("F32, F16, BF16, Q4_0, ..."), for error messages.
std::string supportedGgmlTypes();
// Bytes of one row of `cols` values (cols a multiple of the block size).
inline size_t ggmlRowBytes(GgmlType t, long cols) {
    const GgmlTypeInfo& info = ggmlTypeInfo(t);
    return size_t(cols / info.blockSize) * size_t(info.blockBytes);
}

}  // namespace anatomy
