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
#include "kernels/q8_k.h"
#include "kernels/top_k.h"

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

// expNormalizeScalar's probabilities, bit for bit, and H = ln Z - sum_i e_i (x_i - max) / Z
// with the dot in double.
float expNormalizeEntropyScalar(float* x, int n, float max) {
    float sum = 0.0f;
    double dot = 0.0;
    for (int i = 0; i < n; ++i) {
        const float d = x[i] - max;
        sum += (x[i] = std::exp(d));
        dot += double(x[i]) * d;
    }
    for (int i = 0; i < n; ++i) x[i] /= sum;
    return float(std::max(std::log(double(sum)) - dot / sum, 0.0));
}

float expSumScalar(const float* x, int n, float max) {
    float sum = 0.0f;
    for (int i = 0; i < n; ++i) sum += std::exp(x[i] - max);
    return sum;
}

// row[j] = (sum_i q[i] kT[i * ldk + j]) / divisor for j < n; returns the max, as scaleMax.
float scoreRowTScalar(float* row, const float* q, const float* kT, int ldk, int hs, int n,
                      float divisor) {
    assert(n >= 0 && hs >= 0 && ldk >= n);
    float mx = -std::numeric_limits<float>::infinity();
    for (int j = 0; j < n; ++j) {
        float s = 0.0f;
        for (int i = 0; i < hs; ++i) s += q[i] * kT[static_cast<long>(i) * ldk + j];
        row[j] = s / divisor;
        mx = std::max(mx, row[j]);
    }
    return mx;
}

// out[i] = sum_{j < n} p[j] vT[i * ldv + j] for i < hs
void valueRowTScalar(float* out, const float* p, const float* vT, int ldv, int hs, int n) {
    assert(n >= 0 && hs >= 0 && ldv >= n);
    for (int i = 0; i < hs; ++i) out[i] = dotScalar(p, vT + static_cast<long>(i) * ldv, n);
}

void streamRowScalar(float* dst, const float* src, float fill, int n) {
    for (int i = 0; i < n; ++i) dst[i] = src ? src[i] : fill;
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

// Q4_K and Q6_K rows against Q8_K activations (q8_k.h): each super-block's integer sums value
// by value, from the block layouts of ggml_blocks.h, then its float term, blocks in order.
int32_t isumQ4_K(const uint8_t* blk, const int8_t* qx, const int16_t* bsums, int32_t& imin) {
    const uint8_t* qs = blk + 16;
    int32_t isum = 0;
    imin = 0;
    for (int s = 0; s < 8; ++s) {
        uint8_t sc, m;
        ggml::scaleMinK4(s, blk + 4, sc, m);
        // sub-block s = 2 c + h: nibble h of qs[c * 32 + l]
        const int c = s / 2, h = s % 2;
        int32_t dot = 0;
        for (int l = 0; l < 32; ++l) dot += ((qs[c * 32 + l] >> (4 * h)) & 0xF) * qx[s * 32 + l];
        isum += int32_t(sc) * dot;
        imin += int32_t(m) * (bsums[2 * s] + bsums[2 * s + 1]);
    }
    return isum;
}

int32_t isumQ6_K(const uint8_t* blk, const int8_t* qx, const int16_t* bsums) {
    const int8_t* scales = reinterpret_cast<const int8_t*>(blk + 192);
    int32_t isum = 0;
    for (int i = 0; i < q8_k::kBlock; ++i) {
        // element hf * 128 + j * 32 + l: nibble (j / 2) of ql[hf * 64 + (j % 2) * 32 + l], bits
        // 2 j of qh[hf * 32 + l]; sub-block i / 16
        const int hf = i / 128, j = (i % 128) / 32, l = i % 32;
        const int lo = (blk[64 * hf + 32 * (j % 2) + l] >> (4 * (j / 2))) & 0xF;
        const int hi = (blk[128 + 32 * hf + l] >> (2 * j)) & 3;
        isum += int32_t(scales[i / 16]) * ((lo | hi << 4) * qx[i]);
    }
    for (int s = 0; s < 16; ++s) isum -= 32 * int32_t(scales[s]) * bsums[s];
    return isum;
}

void matvecQ8_KScalar(GgmlType type, float* y, const uint8_t* W, const int8_t* xq,
                      const float* xd, const int16_t* xsums, int rows, int nBlocks) {
    assert(rows >= 0 && nBlocks >= 0 && (type == GgmlType::Q4_K || type == GgmlType::Q6_K));
    const bool q4 = type == GgmlType::Q4_K;
    const size_t blockBytes = q4 ? q8_k::kQ4_KBytes : q8_k::kQ6_KBytes;
    for (int r = 0; r < rows; ++r) {
        const uint8_t* w = W + size_t(r) * size_t(nBlocks) * blockBytes;
        float sum = 0.0f;
        for (int b = 0; b < nBlocks; ++b) {
            const uint8_t* blk = w + size_t(b) * blockBytes;
            const int8_t* qx = xq + size_t(b) * q8_k::kBlock;
            const int16_t* bs = xsums + size_t(b) * q8_k::kSums;
            if (q4) {
                int32_t imin = 0;
                const int32_t isum = isumQ4_K(blk, qx, bs, imin);
                sum += q8_k::termQ4_K(xd[b], ggml::half(blk), ggml::half(blk + 2), isum, imin);
            } else {
                sum += q8_k::termQ6_K(xd[b], ggml::half(blk + 208), isumQ6_K(blk, qx, bs));
            }
        }
        y[r] = sum;
    }
}

void swigluScalar(float* gate, const float* up, long n) {
    for (long i = 0; i < n; ++i) gate[i] = gate[i] * (1.0f / (1.0f + std::exp(-gate[i]))) * up[i];
}

constexpr KernelTable kScalarTable = {
    "scalar", matvecScalar, gemmScalar, dotScalar, axpyScalar, dotI8GroupsScalar,
    matvecQ8_0Scalar, scaleMaxScalar, expNormalizeScalar, entropyScalar, expSumScalar,
    matvecBlocksScalar,
    ggml::dequantize,
    matvecQ8_KScalar,
    q8_k::quantize,
    streamRowScalar,
    expNormalizeEntropyScalar,
    scoreRowTScalar,
    valueRowTScalar,
    topKScalar,
    swigluScalar,
};

}  // namespace

const KernelTable& scalarKernels() { return kScalarTable; }

}  // namespace anatomy::kernels
