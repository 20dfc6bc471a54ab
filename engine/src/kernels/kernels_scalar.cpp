// Plain scalar reference twins of the SIMD kernels. They define what the kernels compute; the
// AVX2 and AVX-512 variants are tested against them. Built for baseline x86-64, so this table
// also serves CPUs without AVX2.
#include <cassert>

#include <cmath>
#include <limits>
#include <algorithm>
#include "anatomy/kernels.h"
#include "kernels/ggml_blocks.h"
#include "kernels/q8_0.h"

namespace anatomy::kernels {
namespace {

// y[r] = sum_c W[r, c] * x[c]        W: [rows, cols], x: [cols], y: [rows]
void matvecScalar(float* y, const float* W, const float* x, int rows, int cols) {
    assert(rows >= 0 && cols >= 0);
    for (int r = 0; r < rows; ++r) {
        const float* w = W + static_cast<long>(r) * cols;
        float sum = 0.0f;
        for (int c = 0; c < cols; ++c) sum += w[c] * x[c];
        y[r] = sum;
    }
}

// Y[t, r] = sum_c X[t, c] * W[r, c]  X: [nTok, cols] (stride ldx), W: [rows, cols],
//                                    Y: [nTok, rows] (stride ldy)
void gemmScalar(float* Y, int ldy, const float* X, int ldx, const float* W, int nTok, int rows,
                int cols) {
    assert(nTok >= 0 && rows >= 0 && cols >= 0 && ldx >= cols && ldy >= rows);
    for (int t = 0; t < nTok; ++t) {
        const float* x = X + static_cast<long>(t) * ldx;
        matvecScalar(Y + static_cast<long>(t) * ldy, W, x, rows, cols);
    }
}

// sum_i a[i] * b[i]
float dotScalar(const float* a, const float* b, int n) {
    assert(n >= 0);
    float sum = 0.0f;
    for (int i = 0; i < n; ++i) sum += a[i] * b[i];
    return sum;
}

// y[i] += alpha * x[i]
void axpyScalar(float* y, float alpha, const float* x, int n) {
    assert(n >= 0);
    for (int i = 0; i < n; ++i) y[i] += alpha * x[i];
}

// out[g] = sum_k a[g*GS + k] * b[g*GS + k]   (integer arithmetic: exact)
void dotI8GroupsScalar(int32_t* out, const int8_t* a, const int8_t* b, int nGroups,
                       int groupSize) {
    assert(nGroups >= 0 && groupSize > 0);
    for (int g = 0; g < nGroups; ++g) {
        const int8_t* ag = a + static_cast<long>(g) * groupSize;
        const int8_t* bg = b + static_cast<long>(g) * groupSize;
        int32_t sum = 0;
        for (int k = 0; k < groupSize; ++k) sum += int32_t(ag[k]) * int32_t(bg[k]);
        out[g] = sum;
    }
}

// y[r] = sum_b dW[r, b] * dx[b] * sum_k qW[r, b, k] * qx[b, k], blocks summed in order.
void matvecQ8_0Scalar(float* y, const uint8_t* W, const int8_t* xq, const float* xd, int rows,
                      int nBlocks) {
    assert(rows >= 0 && nBlocks >= 0);
    const long rowBytes = long(nBlocks) * kQ8_0BlockBytes;
    for (int r = 0; r < rows; ++r) {
        const uint8_t* w = W + r * rowBytes;
        float sum = 0.0f;
        for (int b = 0; b < nBlocks; ++b) {
            const uint8_t* blk = w + long(b) * kQ8_0BlockBytes;
            const int8_t* q = reinterpret_cast<const int8_t*>(blk + 2);
            const int8_t* qx = xq + long(b) * kQ8_0Block;
            int32_t isum = 0;
            for (int k = 0; k < kQ8_0Block; ++k) isum += int32_t(q[k]) * int32_t(qx[k]);
            sum += float(isum) * (q8_0::blockScale(blk) * xd[b]);
        }
        y[r] = sum;
    }
}

// Softmax and entropy references with libm's exp and log, the twins of fast_exp.h's
// polynomial versions used by the SIMD tables.
float scaleMaxScalar(float* x, int n, float divisor) {
    float mx = -std::numeric_limits<float>::infinity();
    for (int i = 0; i < n; ++i) {
        x[i] /= divisor;
        mx = std::max(mx, x[i]);
    }
    return mx;
}

void expNormalizeScalar(float* x, int n, float max) {
    float sum = 0.0f;
    for (int i = 0; i < n; ++i) sum += (x[i] = std::exp(x[i] - max));
    for (int i = 0; i < n; ++i) x[i] /= sum;
}

float expSumScalar(const float* x, int n, float max) {
    float sum = 0.0f;
    for (int i = 0; i < n; ++i) sum += std::exp(x[i] - max);
    return sum;
}

float entropyScalar(const float* p, int n) {
    double h = 0.0;
    for (int i = 0; i < n; ++i)
        if (p[i] > 0.0f) h -= double(p[i]) * std::log(double(p[i]));
    return float(h);
}

// y[r] = sum_c value(W[r, c]) * x[c]: each chunk of up to 256 values dequantized exactly
// (ggml_blocks.h), then multiplied and added one value after the other.
void matvecBlocksScalar(GgmlType type, float* y, const uint8_t* W, const float* x, int rows,
                        int cols) {
    assert(rows >= 0 && cols >= 0);
    const GgmlTypeInfo& info = ggmlTypeInfo(type);
    const size_t rowBytes = ggmlRowBytes(type, cols);
    constexpr int kChunk = ggml::kQK;  // a multiple of every block size
    float v[kChunk];
    for (int r = 0; r < rows; ++r) {
        const uint8_t* w = W + size_t(r) * rowBytes;
        float sum = 0.0f;
        for (int c0 = 0; c0 < cols; c0 += kChunk) {
            const int n = cols - c0 < kChunk ? cols - c0 : kChunk;
            ggml::dequantize(type, v, w + size_t(c0 / info.blockSize) * size_t(info.blockBytes),
                             size_t(n));
            for (int k = 0; k < n; ++k) sum += v[k] * x[c0 + k];
        }
        y[r] = sum;
    }
}

constexpr KernelTable kScalarTable = {
    "scalar", matvecScalar, gemmScalar, dotScalar, axpyScalar, dotI8GroupsScalar,
    matvecQ8_0Scalar, scaleMaxScalar, expNormalizeScalar, entropyScalar, expSumScalar,
    matvecBlocksScalar,
    ggml::dequantize,
};

}  // namespace

const KernelTable& scalarKernels() { return kScalarTable; }

}  // namespace anatomy::kernels
