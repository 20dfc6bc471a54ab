#include "kernels/matmul.h"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "anatomy/session.h"
#include "kernels/ggml_blocks.h"
#include "kernels/q8_0.h"
#include "kernels/q8_k.h"
#include "kernels/rounded.h"

namespace anatomy::ops {
namespace {

// A block must carry at least this many multiply-adds to be worth a task.
constexpr double kMinBlockWork = 32768;
// Blocks per worker: enough to even out a worker that starts late.
constexpr int kBlocksPerWorker = 8;
// Row blocks of gemm are multiples of every kernel's register tile (4 and 6 rows), token
// blocks of every token tile (3 and 4 tokens), so only the last block has edge tiles.
constexpr int kGemmRowAlign = 12;
constexpr int kGemmTokAlign = 12;

int roundUp(int n, int align) { return (n + align - 1) / align * align; }

// Rows per block: about kBlocksPerWorker blocks per worker, a multiple of align, and at least
// kMinBlockWork multiply-adds each.
int rowsPerBlock(int rows, double workPerRow, int align) {
    const int workers = threads();
    int n = (rows + kBlocksPerWorker * workers - 1) / (kBlocksPerWorker * workers);
    n = std::max(n, int(std::ceil(kMinBlockWork / std::max(workPerRow, 1.0))));
    return std::min(roundUp(n, align), roundUp(rows, align));
}

// Runs body(r0, r1) over [0, rows) in blocks of `block` rows, on workers when worth it (one
// worker: the whole range at once, without the pool's task overhead).
template <class Body>
void forRowBlocks(int rows, int block, double work, const Body& body) {
    const int nBlocks = (rows + block - 1) / block;
    if (work < kMinParallelWork || nBlocks < 2 || threads() == 1) {
        body(0, rows);
        return;
    }
    tbb::parallel_for(0, nBlocks, [&](int b) {
        const int r0 = b * block;
        body(r0, std::min(rows, r0 + block));
    });
}

// ---- float weights -------------------------------------------------------------------------
void matvecF32(const kernels::KernelTable& k, float* y, const float* x, const Matrix& W) {
    const int rows = W.rows, cols = W.cols;
    const int block = rowsPerBlock(rows, cols, 4);
    forRowBlocks(rows, block, double(rows) * cols, [&](int r0, int r1) {
        k.matvec(y + r0, W.f32 + long(r0) * cols, x, r1 - r0, cols);
    });
}

void gemmF32(const kernels::KernelTable& k, float* Y, const float* X, const Matrix& W, int nTok) {
    const int rows = W.rows, cols = W.cols;
    const double work = double(nTok) * rows * cols;
    const int rowBlock = rowsPerBlock(rows, double(nTok) * cols, kGemmRowAlign);
    const int nRowBlocks = (rows + rowBlock - 1) / rowBlock;
    // Too few row blocks to keep every worker busy: split the tokens as well.
    int tokBlock = nTok;
    const int wanted = kBlocksPerWorker * threads();
    if (nRowBlocks < wanted && nTok >= 2 * kGemmTokAlign) {
        const int nTokBlocks =
            std::min((wanted + nRowBlocks - 1) / nRowBlocks, nTok / kGemmTokAlign);
        tokBlock = roundUp((nTok + nTokBlocks - 1) / nTokBlocks, kGemmTokAlign);
    }
    const int nTokBlocks = (nTok + tokBlock - 1) / tokBlock;
    auto run = [&](int b) {
        const int t0 = (b / nRowBlocks) * tokBlock, r0 = (b % nRowBlocks) * rowBlock;
        const int tn = std::min(tokBlock, nTok - t0), rn = std::min(rowBlock, rows - r0);
        k.gemm(Y + long(t0) * rows + r0, rows, X + long(t0) * cols, cols, W.f32 + long(r0) * cols,
               tn, rn, cols);
    };
    if (work < kMinParallelWork || nTokBlocks * nRowBlocks < 2 || threads() == 1) {
        k.gemm(Y, rows, X, cols, W.f32, nTok, rows, cols);
        return;
    }
    tbb::parallel_for(0, nTokBlocks * nRowBlocks, run);
}

// ---- int8 weights (llama2.c runq.c) --------------------------------------------------------
// runq.c quantize(): per group, scale = max|x| / 127 and q = (int8) round(x / scale).
// xq: [cols], xs: [cols / groupSize]. An all-zero group gets scale 0 and q = 0
// (runq.c would divide 0 by 0 there).
void quantizeRow(int8_t* xq, float* xs, const float* x, int cols, int groupSize) {
    constexpr float kQMax = 127.0f;
    for (int g = 0; g < cols / groupSize; ++g) {
        const float* xg = x + long(g) * groupSize;
        float wmax = 0.0f;
        for (int i = 0; i < groupSize; ++i) wmax = std::max(wmax, std::fabs(xg[i]));
        const float scale = wmax / kQMax;
        xs[g] = scale;
        for (int i = 0; i < groupSize; ++i)
            xq[long(g) * groupSize + i] =
                scale == 0.0f ? int8_t(0) : static_cast<int8_t>(std::round(xg[i] / scale));
    }
}

void matmulQ8(const kernels::KernelTable& k, float* Y, const float* X, const Matrix& W, int nTok) {
    const int rows = W.rows, cols = W.cols, gs = W.groupSize;
    if (gs <= 0 || cols % gs != 0)
        throw std::invalid_argument("int8 matmul: cols " + std::to_string(cols) +
                                    " must be a multiple of the group size " +
                                    std::to_string(gs));
    const int nGroups = cols / gs;
    // Activations quantised once per call: xq [nTok, cols], xs [nTok, nGroups].
    // Reused per thread: decode calls this seven times a layer and must not allocate each time.
    thread_local std::vector<int8_t> xq;
    thread_local std::vector<float> xs;
    xq.resize(size_t(nTok) * cols);
    xs.resize(size_t(nTok) * nGroups);
    for (int t = 0; t < nTok; ++t)
        quantizeRow(xq.data() + long(t) * cols, xs.data() + long(t) * nGroups, X + long(t) * cols,
                    cols, gs);

    // Workers read the caller's buffers through plain pointers: a thread_local named inside the
    // lambda would be the worker's own (empty) copy.
    const int8_t* xqData = xq.data();
    const float* xsData = xs.data();
    const int block = rowsPerBlock(rows, double(nTok) * cols, 4);
    forRowBlocks(rows, block, double(nTok) * rows * cols, [&](int r0, int r1) {
        thread_local std::vector<int32_t> ival;  // [nGroups] exact group dot products
        ival.resize(size_t(nGroups));
        for (int r = r0; r < r1; ++r) {
            const int8_t* wq = W.q8 + long(r) * cols;
            const float* ws = W.scales + long(r) * nGroups;  // = scales[(r * cols + j) / GS]
            for (int t = 0; t < nTok; ++t) {
                const float* xst = xsData + long(t) * nGroups;
                k.dotI8Groups(ival.data(), xqData + long(t) * cols, wq, nGroups, gs);
                float val = 0.0f;
                for (int g = 0; g < nGroups; ++g)
                    val += rounded(rounded(float(ival[g]) * ws[g]) * xst[g]);
                Y[long(t) * rows + r] = val;
            }
        }
    });
}

// ---- GGUF Q8_0 weights (llama.cpp's q8_0 x q8_0 dot) ---------------------------------------
// Activations are quantized once per call to Q8_0 blocks, xq [nTok, cols], xd [nTok, cols/32];
// each row block of W then meets every token while it is in cache.
void matmulQ8_0(const kernels::KernelTable& k, float* Y, const float* X, const Matrix& W,
                int nTok) {
    const int rows = W.rows, cols = W.cols;
    if (cols % kQ8_0Block != 0)
        throw std::invalid_argument("Q8_0 matmul: cols " + std::to_string(cols) +
                                    " must be a multiple of 32");
    const int nBlocks = cols / kQ8_0Block;
    thread_local std::vector<int8_t> xq;
    thread_local std::vector<float> xd;
    xq.resize(size_t(nTok) * cols);
    xd.resize(size_t(nTok) * nBlocks);
    for (int t = 0; t < nTok; ++t)
        q8_0::quantizeActivations(xq.data() + long(t) * cols, xd.data() + long(t) * nBlocks,
                                  X + long(t) * cols, cols);
    const int8_t* xqData = xq.data();
    const float* xdData = xd.data();
    const long rowBytes = long(nBlocks) * kQ8_0BlockBytes;
    const int block = rowsPerBlock(rows, double(nTok) * cols, 4);
    forRowBlocks(rows, block, double(nTok) * rows * cols, [&](int r0, int r1) {
        for (int t = 0; t < nTok; ++t)
            k.matvecQ8_0(Y + long(t) * rows + r0, W.blocks + r0 * rowBytes, xqData + long(t) * cols,
                         xdData + long(t) * nBlocks, r1 - r0, nBlocks);
    });
}

// ---- ggml weights ---------------------------------------------------------------------------
constexpr int kDequantRows = 24;  // a multiple of the gemm row tiles (4 and 6)
constexpr int kMinGemmTokens = 4;  // below this, one row kernel pass per token

// Throws unless W's rows are whole blocks of its type.
void requireWholeBlocks(const Matrix& W) {
    const int bs = ggmlTypeInfo(W.type).blockSize;
    if (bs <= 0 || W.cols % bs != 0)
        throw std::invalid_argument(std::string(ggmlTypeInfo(W.type).name) + " matmul: cols " +
                                    std::to_string(W.cols) + " must be a multiple of the block size " +
                                    std::to_string(bs));
}

// ---- GGUF Q4_K and Q6_K weights at decode (llama.cpp's k-quant x q8_K dots) -----------------
// The types of a Q4_K_M file. A few tokens: activations quantized once per call to Q8_K
// super-blocks (q8_k.h), xq [nTok, cols], xd [nTok, cols / 256], xs [nTok, cols / 16], and
// integer dots per sub-block. Prefill stays on the dequantize + float gemm path below, where each
// row's dequantization serves every token.
bool decodesOnQ8_K(const Matrix& W, int nTok) {
    return W.ggml() && (W.type == GgmlType::Q4_K || W.type == GgmlType::Q6_K) &&
           nTok < kMinGemmTokens && quantizedActivations();
}

void matmulQ8_K(const kernels::KernelTable& k, float* Y, const float* X, const Matrix& W,
                int nTok) {
    requireWholeBlocks(W);
    const int rows = W.rows, cols = W.cols, nBlocks = cols / q8_k::kBlock;
    thread_local std::vector<int8_t> xq;
    thread_local std::vector<float> xd;
    thread_local std::vector<int16_t> xs;
    xq.resize(size_t(nTok) * cols);
    xd.resize(size_t(nTok) * nBlocks);
    xs.resize(size_t(nTok) * nBlocks * q8_k::kSums);
    for (int t = 0; t < nTok; ++t)
        k.quantizeQ8_K(xq.data() + long(t) * cols, xd.data() + long(t) * nBlocks,
                       xs.data() + long(t) * nBlocks * q8_k::kSums, X + long(t) * cols, cols);
    const int8_t* xqData = xq.data();
    const float* xdData = xd.data();
    const int16_t* xsData = xs.data();
    const size_t rowBytes = W.rowBytes();
    const int block = rowsPerBlock(rows, double(nTok) * cols, 4);
    forRowBlocks(rows, block, double(nTok) * rows * cols, [&](int r0, int r1) {
        for (int t = 0; t < nTok; ++t)
            k.matvecQ8_K(W.type, Y + long(t) * rows + r0, W.blocks + size_t(r0) * rowBytes,
                         xqData + long(t) * cols, xdData + long(t) * nBlocks,
                         xsData + long(t) * nBlocks * q8_k::kSums, r1 - r0, nBlocks);
    });
}

// ---- ggml weights with float activations ---------------------------------------------------
// One token: the type's row kernel, rows split across workers like the float matvec.
// Several tokens: each row block is dequantized (exactly) into per-thread scratch a few rows at
// a time and goes through the float gemm with every token, so the dequantization is paid once
// per row and prefill runs at the float kernel's speed.
void matmulGgml(const kernels::KernelTable& k, float* Y, const float* X, const Matrix& W,
                int nTok) {
    requireWholeBlocks(W);
    const int rows = W.rows, cols = W.cols;
    const size_t rowBytes = W.rowBytes();
    if (nTok < kMinGemmTokens) {
        const int block = rowsPerBlock(rows, double(nTok) * cols, 4);
        forRowBlocks(rows, block, double(nTok) * rows * cols, [&](int r0, int r1) {
            for (int t = 0; t < nTok; ++t)
                k.matvecBlocks(W.type, Y + long(t) * rows + r0, W.blocks + size_t(r0) * rowBytes,
                               X + long(t) * cols, r1 - r0, cols);
        });
        return;
    }
    const int block = rowsPerBlock(rows, double(nTok) * cols, kDequantRows);
    forRowBlocks(rows, block, double(nTok) * rows * cols, [&](int r0, int r1) {
        thread_local std::vector<float> dense;  // [kDequantRows, cols]
        dense.resize(size_t(kDequantRows) * cols);
        for (int a = r0; a < r1; a += kDequantRows) {
            const int n = std::min(kDequantRows, r1 - a);
            k.dequantize(W.type, dense.data(), W.blocks + size_t(a) * rowBytes, size_t(n) * cols);
            k.gemm(Y + a, rows, X, cols, dense.data(), nTok, n, cols);
        }
    });
}

// ---- thread count --------------------------------------------------------------------------
std::mutex g_threadsMutex;
// Deliberately never destroyed at exit: oneTBB may already be shutting down by then.
tbb::global_control* g_threadsControl = nullptr;

}  // namespace

void matmul(const kernels::KernelTable& k, float* Y, const float* X, const Matrix& W, int nTok) {
    assert(nTok >= 0 && W.rows >= 0 && W.cols >= 0);
    if (nTok == 0 || W.rows == 0) return;
    // Q8_0 x q8_0 is decode's fast path; several tokens (prefill, a trace) go through the
    // dequantized float gemm like every other type, 1.5-2.5x faster than a q8_0 dot per token
    // and row (135M shape, 125 tokens, 2 threads: 203-339 -> 515-526 tok/s).
    if (W.blockQ8_0() && quantizedActivations() && nTok < kMinGemmTokens) {
        matmulQ8_0(k, Y, X, W, nTok);
    } else if (decodesOnQ8_K(W, nTok)) {
        matmulQ8_K(k, Y, X, W, nTok);
    } else if (W.ggml()) {
        matmulGgml(k, Y, X, W, nTok);
    } else if (W.quantized()) {
        matmulQ8(k, Y, X, W, nTok);
    } else {
        assert(W.f32 != nullptr);
        if (nTok == 1) matvecF32(k, Y, X, W);
        else gemmF32(k, Y, X, W, nTok);
    }
}

namespace {
// ANATOMY_ACTIVATIONS=float (or its older name ANATOMY_Q8_0_ACTIVATIONS=float) starts the
// process with float activations for Q8_0, Q4_K and Q6_K.
bool quantizedActivationsAtStart() {
    for (const char* name : {"ANATOMY_ACTIVATIONS", "ANATOMY_Q8_0_ACTIVATIONS"}) {
        const char* env = std::getenv(name);
        if (env && std::strcmp(env, "float") == 0) return false;
    }
    return true;
}
std::atomic<bool> g_quantizedActivations{quantizedActivationsAtStart()};
}  // namespace

void setQuantizedActivations(bool on) { g_quantizedActivations = on; }
bool quantizedActivations() { return g_quantizedActivations; }

void dequantizeRows(float* out, const Matrix& W, int r0, int r1) {
    assert(0 <= r0 && r0 <= r1 && r1 <= W.rows);
    const size_t cols = size_t(W.cols);
    if (W.ggml()) {
        ggml::dequantize(W.type, out, W.blocks + size_t(r0) * W.rowBytes(), size_t(r1 - r0) * cols);
    } else if (W.quantized()) {
        for (size_t i = size_t(r0) * cols; i < size_t(r1) * cols; ++i)
            *out++ = float(W.q8[i]) * W.scales[i / size_t(W.groupSize)];
    } else {
        std::copy(W.f32 + size_t(r0) * cols, W.f32 + size_t(r1) * cols, out);
    }
}

void matmul(float* Y, const float* X, const Matrix& W, int nTok) {
    matmul(kernels::activeKernels(), Y, X, W, nTok);
}

void matmulSameInput(std::span<const SameInputProduct> outs, const float* X, int nTok) {
    const kernels::KernelTable& k = kernels::activeKernels();
    bool fused = nTok == 1 && outs.size() > 1;
    double work = 0.0;
    for (const SameInputProduct& o : outs) {
        const Matrix& W = *o.w;
        fused = fused && W.f32 && !W.ggml() && !W.quantized() && W.cols == outs[0].w->cols && W.rows > 0;
        work += double(W.rows) * W.cols;
    }
    if (!fused || work < kMinParallelWork || threads() == 1) {
        for (const SameInputProduct& o : outs) matmul(k, o.y, X, *o.w, nTok);
        return;
    }
    // Each matrix in the row blocks matvecF32 gives it (a multiple of 4 rows: a row's sum does
    // not depend on the split), all of them in one loop. Blocks sized for the rows of all the
    // matrices together were larger and left a worker idle at the end: 3.6% slower decode of
    // a 768-wide model at 2 threads. Task t maps to its matrix and block by the running block
    // counts (no list of tasks: this runs for every layer of every decoded token).
    const int cols = outs[0].w->cols;
    constexpr size_t kMaxProducts = 8;
    if (outs.size() > kMaxProducts) {
        for (const SameInputProduct& o : outs) matmul(k, o.y, X, *o.w, nTok);
        return;
    }
    std::array<int, kMaxProducts> block{}, firstTask{};
    int nTasks = 0;
    for (size_t i = 0; i < outs.size(); ++i) {
        const int rows = outs[i].w->rows;
        block[i] = rowsPerBlock(rows, cols, 4);
        firstTask[i] = nTasks;
        nTasks += (rows + block[i] - 1) / block[i];
    }
    tbb::parallel_for(0, nTasks, [&](int t) {
        size_t i = outs.size() - 1;
        while (t < firstTask[i]) --i;
        const SameInputProduct& o = outs[i];
        const int r0 = (t - firstTask[i]) * block[i], r1 = std::min(o.w->rows, r0 + block[i]);
        k.matvec(o.y + r0, o.w->f32 + long(r0) * cols, X, r1 - r0, cols);
    });
}

void setThreads(int n) {
    std::lock_guard lock(g_threadsMutex);
    delete g_threadsControl;
    g_threadsControl = nullptr;
    if (n > 0)
        g_threadsControl =
            new tbb::global_control(tbb::global_control::max_allowed_parallelism, size_t(n));
}

int threads() {
    const auto allowed =
        tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
    // Inside a job's own arena (thread_limit.h) the arena's size is the limit.
    return int(std::min<size_t>(allowed, size_t(tbb::this_task_arena::max_concurrency())));
}

}  // namespace anatomy::ops

namespace anatomy {

void setThreadCount(int n) { ops::setThreads(n); }
int threadCount() { return ops::threads(); }

}  // namespace anatomy
