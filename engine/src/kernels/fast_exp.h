#pragma once
// exp(x - shift) for a whole row, written so the compiler vectorises it (no libm call inside
// the loop). Range reduction x = n ln2 + r with |r| <= ln2/2 (ln2 split in two for precision),
// exp(r) by its degree-6 Taylor polynomial (relative error < 2e-7 on that interval), and 2^n by
// building the float's exponent bits. Used where llama2.c-exact rounding is not required
// (batched prefill attention, the logit lens, float-model decode); int8 decode keeps std::exp.
#include <cstdint>
#include <algorithm>
#include <cmath>
#include <cstring>

namespace anatomy {

// exp(x) by range reduction (x = n ln2 + r) and a degree-6 polynomial in r; inputs below -87
// give 0, a NaN stays NaN. Inline and branch-free, so loops around it vectorise (expShiftSum,
// training's SwiGLU and cross-entropy).
static inline float fastExpf(float x) {
    // Clamped for the exponent bits; a NaN takes -87 there (casting NaN to int is undefined)
    // and stays NaN through r, so NaN in gives NaN out.
    const float clamped = x >= -87.0f ? (x > 88.0f ? 88.0f : x) : -87.0f;
    const float v = x != x ? x : clamped;
    const float kLog2e = 1.44269504f, kLn2Hi = 0.693359375f, kLn2Lo = -2.12194440e-4f;
    // Round to nearest by adding and subtracting 1.5 * 2^23 (vectorises without SSE4.1).
    const float nf = (clamped * kLog2e + 12582912.0f) - 12582912.0f;
    const float r = (v - nf * kLn2Hi) - nf * kLn2Lo;
    float p = 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    const int32_t bits = (static_cast<int32_t>(nf) + 127) << 23;
    float scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return x < -87.0f ? 0.0f : p * scale;
}

// x[i] = exp(x[i] - shift); returns the sum of the results. Inputs below -87 give 0.
// The sum in eight independent partial sums (a float reduction is not vectorised without
// fast-math), then the tail, then the partials: the order every softmax here adds in. Taken in
// the exp's own loop: the exp loop and a separate sum loop took 3-4x the time (2,000 rows of
// 1-512 values, AVX-512 and AVX2 builds, an AMD EPYC), for the same bits.
static inline float expShiftSum(float* x, int n, float shift) {
    float acc[8] = {};
    int i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; ++k) acc[k] += (x[i + k] = fastExpf(x[i + k] - shift));
    float sum = 0.0f;
    for (; i < n; ++i) sum += (x[i] = fastExpf(x[i] - shift));
    for (float a : acc) sum += a;
    return sum;
}

}  // namespace anatomy

namespace anatomy {

// Entropy -sum p ln p of a probability row, in nats, vectorisable: ln p from the float's
// exponent plus ln(m) = 2 atanh(s), s = (m-1)/(m+1), for the mantissa m in [1, 2), series to
// s^13 (absolute error < 1e-7). Zeros contribute nothing.
static inline float entropyNats(const float* p, int n) {
    constexpr int kChunk = 256;
    float terms[kChunk];  // p ln p, computed elementwise (vectorised), then summed
    float acc[8] = {};
    for (int i0 = 0; i0 < n; i0 += kChunk) {
        const int m = n - i0 < kChunk ? n - i0 : kChunk;
        const float* pc = p + i0;
        for (int i = 0; i < m; ++i) {
            const float x = pc[i] + 1e-30f;  // p = 0 then adds 0 * ln(1e-30) = 0
            int32_t bits;
            std::memcpy(&bits, &x, sizeof bits);
            const int32_t mb = (bits & 0x7fffff) | 0x3f800000;
            float mant;  // [1, 2)
            std::memcpy(&mant, &mb, sizeof mant);
            const float e = float(((bits >> 23) & 0xff) - 127);
            const float s = (mant - 1.0f) / (mant + 1.0f), s2 = s * s;  // s in [0, 1/3)
            const float lnm = 2.0f * s * (1.0f + s2 * (1.0f / 3 + s2 * (1.0f / 5 + s2 * (1.0f / 7 +
                              s2 * (1.0f / 9 + s2 * (1.0f / 11 + s2 * (1.0f / 13)))))));
            terms[i] = pc[i] * (e * 0.693147181f + lnm);
        }
        int i = 0;
        for (; i + 8 <= m; i += 8)
            for (int k = 0; k < 8; ++k) acc[k] += terms[i + k];
        for (; i < m; ++i) acc[0] += terms[i];
    }
    float h = 0.0f;
    for (float a : acc) h -= a;
    return h;
}

}  // namespace anatomy

namespace anatomy {

// Softmax row step 1: x[i] /= divisor (the sqrt(d_k) of scaled dot-product attention); returns
// max x[i] for the numerically stable shift.
static inline float scaleMaxRow(float* x, int n, float divisor) {
    for (int i = 0; i < n; ++i) x[i] /= divisor;
    float m[8] = {-3.4e38f, -3.4e38f, -3.4e38f, -3.4e38f, -3.4e38f, -3.4e38f, -3.4e38f, -3.4e38f};
    int i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; ++k) m[k] = x[i + k] > m[k] ? x[i + k] : m[k];
    float mx = -3.4e38f;
    for (; i < n; ++i) mx = x[i] > mx ? x[i] : mx;
    for (float v : m) mx = v > mx ? v : mx;
    return mx;
}

// sum_i exp(x[i] - max) with expShiftSum's polynomial and its eight partial sums, leaving x as
// it is (one read pass: the logit lens needs the normaliser, not the whole row).
static inline float expSumRow(const float* x, int n, float max);

// Softmax row step 2: x[i] = exp(x[i] - max) / sum_j exp(x[j] - max).
static inline void expNormalizeRow(float* x, int n, float max) {
    const float sum = expShiftSum(x, n, max);
    const float inv = 1.0f / sum;
    for (int i = 0; i < n; ++i) x[i] *= inv;
}

// expNormalizeRow, and the row's entropy H = ln Z - sum_i e_i (x_i - max) / Z (KernelTable::
// expNormalizeEntropy). The exps, their sum and the scaling are expShiftSum's and
// expNormalizeRow's, in the same order, so the probabilities are the same bits.
static inline float expNormalizeEntropyRow(float* x, int n, float max) {
    float dacc[8] = {}, acc[8] = {};  // the dot's and sumRow8's partial sums, in one loop
    int i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; ++k) {
            const float d = x[i + k] - max;  // <= 0
            const float e = fastExpf(d);
            dacc[k] += e * d;
            acc[k] += (x[i + k] = e);
        }
    float dot = 0.0f, sum = 0.0f;
    for (; i < n; ++i) {
        const float d = x[i] - max;
        const float e = fastExpf(d);
        dot += e * d;
        sum += (x[i] = e);
    }
    for (float a : dacc) dot += a;
    for (float a : acc) sum += a;
    const float inv = 1.0f / sum;
    for (int j = 0; j < n; ++j) x[j] *= inv;
    return std::max(std::log(sum) - dot * inv, 0.0f);
}

}  // namespace anatomy

namespace anatomy {

static inline float expSumRow(const float* x, int n, float max) {
    float acc[8] = {};
    int i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; ++k) acc[k] += fastExpf(x[i + k] - max);
    float sum = 0.0f;
    for (; i < n; ++i) sum += fastExpf(x[i] - max);
    for (float a : acc) sum += a;
    return sum;
}

}  // namespace anatomy
