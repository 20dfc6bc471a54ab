#pragma once
// Seeded random ggml blocks for the type tests: random bytes (so every code, scale and sign
// pattern occurs) with each f16 field (scales d, mins) replaced by a finite value, then rescaled
// so the matrix's values have a chosen RMS.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "anatomy/ggml_type.h"
#include "anatomy/model.h"
#include "kernels/ggml_blocks.h"

namespace ggmltest {

using anatomy::GgmlType;

// Every type the engine reads as blocks (F32 is plain float).
inline const std::vector<GgmlType>& blockTypes() {
    static const std::vector<GgmlType> types = {
        GgmlType::F16,  GgmlType::BF16, GgmlType::Q4_0, GgmlType::Q4_1, GgmlType::Q5_0,
        GgmlType::Q5_1, GgmlType::Q8_0, GgmlType::Q2_K, GgmlType::Q3_K, GgmlType::Q4_K,
        GgmlType::Q5_K, GgmlType::Q6_K};
    return types;
}

// Byte offsets of the f16 fields in one block (ggml-common.h).
inline std::vector<int> halfFields(GgmlType t) {
    switch (t) {
        case GgmlType::Q4_0: case GgmlType::Q5_0: case GgmlType::Q8_0: return {0};
        case GgmlType::Q4_1: case GgmlType::Q5_1: case GgmlType::Q4_K: case GgmlType::Q5_K:
            return {0, 2};
        case GgmlType::Q2_K: return {80, 82};
        case GgmlType::Q3_K: return {108};
        case GgmlType::Q6_K: return {208};
        default: return {};
    }
}

// Code bytes (everything but the f16 fields and the scale bytes) of the types with a min term,
// as [first, last): zeroing them leaves the value each element has at code 0, its min.
inline bool minRange(GgmlType t, int& first, int& last) {
    switch (t) {
        case GgmlType::Q4_1: first = 4, last = 20; return true;
        case GgmlType::Q5_1: first = 4, last = 24; return true;
        case GgmlType::Q2_K: first = 16, last = 80; return true;
        case GgmlType::Q4_K: first = 16, last = 144; return true;
        case GgmlType::Q5_K: first = 16, last = 176; return true;
        default: return false;
    }
}

inline void putHalf(uint8_t* p, float v) {
    const uint16_t h = anatomy::q8_0::floatToHalf(v);
    std::memcpy(p, &h, 2);
}

// [rows, cols] of type t, values with an RMS of about `rms`.
inline std::vector<uint8_t> randomMatrix(GgmlType t, int rows, int cols, float rms,
                                         std::mt19937& rng) {
    const anatomy::GgmlTypeInfo& info = anatomy::ggmlTypeInfo(t);
    const size_t nBlocks = size_t(rows) * size_t(cols / info.blockSize);
    std::vector<uint8_t> w(nBlocks * size_t(info.blockBytes));
    std::uniform_int_distribution<int> byte(0, 255);
    std::normal_distribution<float> normal(0.0f, rms);
    if (t == GgmlType::F16 || t == GgmlType::BF16) {
        for (size_t i = 0; i < size_t(rows) * size_t(cols); ++i) {
            const float v = normal(rng);
            if (t == GgmlType::F16) {
                putHalf(&w[2 * i], v);
            } else {
                uint32_t bits;
                std::memcpy(&bits, &v, 4);
                const uint16_t h = uint16_t(bits >> 16);
                std::memcpy(&w[2 * i], &h, 2);
            }
        }
        return w;
    }
    for (uint8_t& b : w) b = uint8_t(byte(rng));
    std::uniform_real_distribution<float> mag(0.5f, 1.0f);
    std::bernoulli_distribution negative(0.5);
    std::vector<float> raw;  // the f16 fields before rescaling
    for (size_t b = 0; b < nBlocks; ++b)
        for (int off : halfFields(t)) {
            raw.push_back(negative(rng) ? -mag(rng) : mag(rng));
            putHalf(&w[b * size_t(info.blockBytes) + size_t(off)], raw.back());
        }
    std::vector<float> v(size_t(rows) * size_t(cols));
    anatomy::ggml::dequantize(t, v.data(), w.data(), v.size());
    double ss = 0;
    for (float x : v) ss += double(x) * x;
    const float scale = rms / float(std::sqrt(ss / double(v.size())) + 1e-30);
    size_t k = 0;
    for (size_t b = 0; b < nBlocks; ++b)
        for (int off : halfFields(t)) putHalf(&w[b * size_t(info.blockBytes) + size_t(off)], raw[k++] * scale);
    return w;
}

// S = sum_c (|v_c| + 2 |min_c|) |x_c|: the size of the terms a dot of the row's values v with
// activations x adds, where min_c is the value element c has at code 0 (a factored-out min term
// may cancel against the scaled codes): what a rounding bound scales with.
inline double termScale(GgmlType t, const uint8_t* row, const float* v, const float* x, int cols) {
    std::vector<float> mins(size_t(cols), 0.0f);
    int first = 0, last = 0;
    if (minRange(t, first, last)) {
        const anatomy::GgmlTypeInfo& info = anatomy::ggmlTypeInfo(t);
        std::vector<uint8_t> zeroed(row, row + anatomy::ggmlRowBytes(t, cols));
        for (int b = 0; b < cols / info.blockSize; ++b)
            std::fill(zeroed.begin() + b * info.blockBytes + first, zeroed.begin() + b * info.blockBytes + last, 0);
        anatomy::ggml::dequantize(t, mins.data(), zeroed.data(), size_t(cols));
    }
    double s = 0;
    for (int c = 0; c < cols; ++c) s += (std::fabs(double(v[c])) + 2.0 * std::fabs(double(mins[size_t(c)]))) * std::fabs(double(x[c]));
    return s;
}

// A rows x cols matrix of type t over blocks (which must outlive it), as the loader makes one.
inline anatomy::Matrix blockMatrix(GgmlType t, int rows, int cols, const std::vector<uint8_t>& blocks) {
    anatomy::Matrix W;
    W.rows = rows;
    W.cols = cols;
    W.type = t;
    W.blocks = blocks.data();
    return W;
}

}  // namespace ggmltest
