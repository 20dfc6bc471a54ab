#pragma once
// Dense CPU kernels. Each instruction-set variant (scalar, AVX2+FMA, AVX-512) fills one
// KernelTable; the table is chosen once at start-up (see activeKernels()). Kernels are
// single-threaded over the rows they are given: matmul.h splits work across oneTBB workers.
// They may be called from several threads at once (gemm keeps its scratch per thread).
#include <cstddef>
#include <cstdint>

#include "anatomy/ggml_type.h"

namespace anatomy::kernels {

struct KernelTable {
    const char* name;
    // y[r] = sum_c W[r, c] * x[c]
    // W: [rows, cols] row-major, x: [cols], y: [rows]
    void (*matvec)(float* y, const float* W, const float* x, int rows, int cols);
    // Y[t, r] = sum_c X[t, c] * W[r, c]
    // X: [nTok, cols] (row stride ldx), W: [rows, cols], Y: [nTok, rows] (row stride ldy)
    void (*gemm)(float* Y, int ldy, const float* X, int ldx, const float* W, int nTok, int rows,
                 int cols);
    // sum_i a[i] * b[i]
    float (*dot)(const float* a, const float* b, int n);
    // y[i] += alpha * x[i]
    void (*axpy)(float* y, float alpha, const float* x, int n);
    // Integer dot products of consecutive groups (llama2.c int8 matmul, exact in every variant):
    // out[g] = sum_k a[g * groupSize + k] * b[g * groupSize + k]
    // a, b: [nGroups * groupSize], out: [nGroups]
    void (*dotI8Groups)(int32_t* out, const int8_t* a, const int8_t* b, int nGroups,
                        int groupSize);
    // GGUF Q8_0 weights against activations quantized to Q8_0 blocks (llama.cpp's
    // ggml_vec_dot_q8_0_q8_0, with the activation scale kept in float):
    //   y[r] = sum_b dW[r, b] * dx[b] * sum_k qW[r, b, k] * qx[b, k]   (k over one block of 32)
    // W: [rows, nBlocks] blocks of 34 bytes {f16 dW; int8 qW[32]}, xq: [nBlocks * 32],
    // xd: [nBlocks], y: [rows]. Block sums are exact integers; variants differ in the order the
    // float terms are added (tested within a tolerance).
    void (*matvecQ8_0)(float* y, const uint8_t* W, const int8_t* xq, const float* xd, int rows,
                       int nBlocks);
    // Softmax of one attention row in two steps, so the scaled scores can be recorded between:
    // scaleMax: x[i] /= divisor, returns max x; expNormalize: x[i] = exp(x[i] - max) / sum.
    // Polynomial exp (relative error < 2e-7): the batched prefill path, not llama2.c-exact decode.
    float (*scaleMax)(float* x, int n, float divisor);
    void (*expNormalize)(float* x, int n, float max);
    // Entropy -sum p ln p (nats) of a probability row.
    float (*entropy)(const float* p, int n);
    // sum_i exp(x[i] - max), nothing written: a softmax's normaliser when only a few of its
    // probabilities are kept (the logit lens's top k: p = exp(x - max) / expSum).
    float (*expSum)(const float* x, int n, float max);
    // Rows of a ggml weight type (ggml_type.h, any supported type but F32) against float
    // activations: y[r] = sum_c value(W[r, c]) * x[c], values as dequantization gives them.
    // W: [rows] rows of cols / blockSize blocks, x: [cols], y: [rows]. The scalar twin sums
    // value by value in order; SIMD variants factor each block's scale out of its sum.
    void (*matvecBlocks)(GgmlType type, float* y, const uint8_t* W, const float* x, int rows,
                         int cols);
    // out[0, n) = the values of n / blockSize consecutive blocks, bit for bit what the scalar
    // dequantization (kernels/ggml_blocks.h) gives; SIMD variants convert F16 with F16C.
    void (*dequantize)(GgmlType type, float* out, const uint8_t* blocks, size_t n);
    // Q4_K or Q6_K weights against activations quantized to Q8_K super-blocks of 256
    // (kernels/q8_k.h; llama.cpp's ggml_vec_dot_q4_K_q8_K and _q6_K_q8_K): per super-block b
    //   Q4_K: y[r] += (dx_b dW) sum_s sc_s sum_k q_k qx_k - (dx_b dminW) sum_s m_s bsum_s
    //   Q6_K: y[r] += (dx_b dW) sum_s sc_s sum_k (q_k - 32) qx_k
    // W: [rows] rows of nBlocks super-blocks, xq: [nBlocks * 256], xd: [nBlocks],
    // xsums: [nBlocks * 16] (sums of 16 xq each), y: [rows]. The sums over s and k are exact
    // integers and the float terms are added in block order in every variant: bit for bit the
    // scalar twin.
    void (*matvecQ8_K)(GgmlType type, float* y, const uint8_t* W, const int8_t* xq,
                       const float* xd, const int16_t* xsums, int rows, int nBlocks);
    // x[0, n) to Q8_K (kernels/q8_k.h), bit for bit the scalar rule; n a multiple of 256.
    // xq: [n], xd: [n / 256], xsums: [n / 16].
    void (*quantizeQ8_K)(int8_t* xq, float* xd, int16_t* xsums, const float* x, int n);
    // dst[i] = src[i], or = fill where src is null, for i in [0, n): a row written once and not
    // read back soon (a trace's attention maps, 42 MB at 512 tokens on stories260K). SIMD
    // variants store the whole 64-byte lines of dst non-temporally, past the cache, one line
    // an instruction where they can (fewer store-buffer entries waiting on memory), and the
    // partial lines at either end normally; the caller fences (_mm_sfence) before the rows are
    // read on another thread. The scalar twin stores plainly.
    void (*streamRow)(float* dst, const float* src, float fill, int n);
    // expNormalize's softmax step, bit for bit, that also returns the row's entropy in nats:
    // with e_i = exp(x_i - max) and Z = sum_i e_i,
    //   H = -sum_i p_i ln p_i = ln Z - sum_i e_i (x_i - max) / Z,
    // the dot taken in the exp's own pass, while x_i is still the score (a trace's attention
    // rows: no copy of the scores kept for the entropy, no second pass over both rows). Every
    // term of the dot is <= 0, so H is a sum of two non-negative parts. x: finite scores.
    float (*expNormalizeEntropy)(float* x, int n, float max);
    // One query's causal attention scores against its head's keys stored transposed, kT: [hs,
    // ldk] (dimension i of key j at kT[i * ldk + j]):
    //   row[j] = (sum_i q[i] kT[i, j]) / divisor   for j < n,
    // each sum over i in order from 0 (one fused multiply-add a step in the SIMD variants: the
    // bits of hs axpys into a zeroed row followed by scaleMax); returns the row's max as
    // scaleMax does. One pass over the keys with the sums in registers, where the axpys read and
    // wrote the whole row once per dimension.
    float (*scoreRowT)(float* row, const float* q, const float* kT, int ldk, int hs, int n,
                       float divisor);
    // One query's attention output against its head's values stored transposed, vT: [hs, ldv]:
    //   out[i] = sum_{j < n} p[j] vT[i * ldv + j]   for i < hs,
    // each sum dot's own (its accumulators and order: the bits of hs dot products), with the
    // sums of 4 dimensions (2 with AVX2) in registers at once, so each block of p is loaded once
    // for them, where one dot product per dimension read p hs times.
    void (*valueRowT)(float* out, const float* p, const float* vT, int ldv, int hs, int n);
    // The k largest of x[0..n) (0 <= k <= n), largest first, a tie to the lower index: ids and
    // values (the logit lens's 5 of each row of logits, 2,560 rows a 512-token trace of
    // stories260K). The SIMD variants bound the k-th largest from below by the k-th largest of
    // their lanes' maxima, compress the values reaching it into a short list in one pass and
    // select from that; a row with a NaN, or k above their lanes, goes to the scalar twin. Every
    // table gives the same ids and values.
    void (*topK)(const float* x, int n, int k, int32_t* ids, float* vals);
    // SwiGLU's gate in place: gate[i] = gate[i] * (1 / (1 + expf(-gate[i]))) * up[i], with
    // libm's expf bit for bit (llama2.c's SiLU; the house reference logits depend on it). The
    // SIMD variants evaluate glibc's expf algorithm in vectors of doubles (kernels/libm_expf.h)
    // and call std::exp for |gate| >= 88 or NaN; every table gives the same bits.
    void (*swiglu)(float* gate, const float* up, long n);
};

const KernelTable& scalarKernels();
const KernelTable* avx2Kernels();    // nullptr when the CPU lacks AVX2+FMA
const KernelTable* avx512Kernels();  // nullptr when the CPU lacks AVX-512F
// The AVX-512 table with VNNI kernels for Q4_K and Q6_K x Q8_K (vpdpbusd), everything else as
// avx512Kernels(); nullptr when the CPU lacks AVX-512 VNNI.
const KernelTable* avx512VnniKernels();

// Rows a pass of the AVX-512 float matvec (the same sums per row either way, so the same bits):
// 1 streams one row after the other, 4 streams four rows at once. Four measured faster on AMD
// Zen 5 (random-weight stories110M decode 75 -> 89-91 tok/s at 1 thread) and half as fast on Zen
// 4 (42M: 62-69 against 115-149 tok/s), so 4 is chosen on AMD family 26 and later only, 1 on
// every other CPU (on an Intel Xeon, family 6 model 167, 4 rows beat 1 without software
// prefetch, 15M 217 -> 299 tok/s, but 1 row with the prefetch below beat both: 352). ANATOMY_MATVEC_ROWS=1|4 overrides it (another value is reported on stderr
// and ignored). Chosen on first call.
int avx512MatvecRows();
// Sets it for this process (benchmarks, tests); std::invalid_argument unless rows is 1 or 4.
void setAvx512MatvecRows(int rows);
// The rule: 4 for AMD family >= 26, 1 otherwise.
int preferredAvx512MatvecRows(bool amd, int family);
// ANATOMY_MATVEC_ROWS's value as rows: 1 or 4, 0 for anything else (nullptr, "", "2", "4x").
int parseMatvecRows(const char* text);

// Whether the AVX2 and AVX-512 float and quantized (Q8_0, Q4_K, Q6_K x Q8 activations) matvecs prefetch
// their weight rows in software (_mm_prefetch), each at the distance measured best for it: float
// rows kFloatPrefetchBytes ahead into L1, quantized rows kQuantPrefetchBytes ahead into L2. The
// same sums either way, so the same bits. On an Intel Xeon (family 6, model 167; 8 December
// 2026, a KVM guest) the hardware prefetcher alone left a single row stream latency-bound:
// random-weight stories42M decoded (1 thread, off against on in the same rounds, medians) at 77.3
// against 106.1 tok/s in float, its Q8_0 file at 312.8 against 433.8, 110M Q8_0 at 2 threads 98.8
// against 177.9 (the AVX2 table there: 42M float 87-89 -> 96-100, Q8_0 270-290 -> 421-431); on
// AMD EPYCs (Zen 4, Zen 5) software prefetch measured no better. So on every CPU but AMD's, off
// on AMD. ANATOMY_MATVEC_PREFETCH=0|1 overrides it (another value is reported on stderr and
// ignored). Chosen on first call.
inline constexpr int kFloatPrefetchBytes = 2048;
inline constexpr int kQuantPrefetchBytes = 16384;
bool matvecPrefetch();
// Sets it for this process (benchmarks, tests).
void setMatvecPrefetch(bool on);
// The rule: off on AMD, on for every other vendor.
bool preferredMatvecPrefetch(bool amd, int family);
// ANATOMY_MATVEC_PREFETCH's value: 1 (on), 0 (off), or -1 for anything else.
int parseMatvecPrefetch(const char* text);

// The best table for this CPU, chosen on first call. ANATOMY_KERNELS=scalar|avx2|avx512|avx512vnni
// overrides the choice (for benchmarks and for testing every path on one machine); a request
// the CPU cannot run falls back to the best table below it.
const KernelTable& activeKernels();

}  // namespace anatomy::kernels
