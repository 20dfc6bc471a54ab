#include "trace/trace_capture.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "norm/norm.h"
#include "anatomy/error.h"
#include "anatomy/kernels.h"
#include "kernels/fast_exp.h"
#include "kernels/simd4.h"
#include "trace/attention_buffer_pool.h"
#include "kernels/matmul.h"

namespace anatomy {

namespace {

using namespace simd4;

// The first index of the largest f(x_i), as the scalar scan `if (f(x[j]) > f(x[best])) best = j`
// from best = 0 finds it (NaNs never win; a NaN at 0 stays), but vectorised: the maximum by
// eight partial maxima (a max is exact in any order), then the first position holding it.
template <class F>
int firstMaxIndex(const float* x, int n, F f) {
    if (n <= 0 || f(x[0]) != f(x[0])) return 0;
    const float first = f(x[0]);
    F4 m0 = {first, first, first, first}, m1 = m0;
    int j = 0;
    for (; j + 8 <= n; j += 8) {
        const F4 a = f(load4(x + j)), b = f(load4(x + j + 4));
        m0 = a > m0 ? a : m0;
        m1 = b > m1 ? b : m1;
    }
    float best = first;
    for (int l = 0; l < 4; ++l) {
        best = m0[l] > best ? m0[l] : best;
        best = m1[l] > best ? m1[l] : best;
    }
    for (; j < n; ++j) best = f(x[j]) > best ? f(x[j]) : best;
    const F4 b4 = {best, best, best, best};
    int i = 0;
    for (; i + 4 <= n; i += 4)
        if (anyLane(f(load4(x + i)) == b4)) break;
    for (; i < n; ++i)
        if (f(x[i]) == best) return i;
    return 0;
}

// Attention entropy of one row from its probabilities p and scores s (the softmax of s):
// with p_j = exp(s_j - m) / Z,  H = -sum p_j ln p_j = m + ln Z - p.s, and the largest
// probability is exp(0) / Z = 1 / Z, so H = max s - ln(max p) - p.s. One fused pass over the
// visible keys (the dot and both maxima), one log per row.
float rowEntropy(const float* p, const float* s, int n) {
    const float ninf = -std::numeric_limits<float>::infinity();
    // Two four-lane accumulators of each (SSE2 registers: x86-64's baseline).
    F4 dot0 = {}, dot1 = {}, mp0 = {ninf, ninf, ninf, ninf}, mp1 = mp0, ms0 = mp0, ms1 = mp0;
    int j = 0;
    for (; j + 8 <= n; j += 8) {
        const F4 p0 = load4(p + j), p1 = load4(p + j + 4), s0 = load4(s + j), s1 = load4(s + j + 4);
        dot0 += p0 * s0;
        dot1 += p1 * s1;
        mp0 = p0 > mp0 ? p0 : mp0;
        mp1 = p1 > mp1 ? p1 : mp1;
        ms0 = s0 > ms0 ? s0 : ms0;
        ms1 = s1 > ms1 ? s1 : ms1;
    }
    float d = 0.0f, maxP = ninf, maxS = ninf;
    for (int l = 0; l < 4; ++l) {
        d += dot0[l] + dot1[l];
        maxP = std::max({maxP, mp0[l], mp1[l]});
        maxS = std::max({maxS, ms0[l], ms1[l]});
    }
    for (; j < n; ++j) {
        d += p[j] * s[j];
        maxP = p[j] > maxP ? p[j] : maxP;
        maxS = s[j] > maxS ? s[j] : maxS;
    }
    // Rounding can dip a one-hot row a hair below zero.
    return std::max(maxS - std::log(maxP) - d, 0.0f);
}

struct Absolute {  // |v|: the sign bit cleared, lane-wise
    float operator()(float v) const { return std::fabs(v); }
    F4 operator()(F4 v) const {
        I4 bits;
        std::memcpy(&bits, &v, sizeof v);
        bits &= 0x7fffffff;
        std::memcpy(&v, &bits, sizeof v);
        return v;
    }
};

// sum x² and sum x of one row in double, in four independent lanes (one dependent chain of
// double adds per row was most of the residual statistics' time).
struct RowSums {
    double ss, sum;
};
RowSums rowSums(const float* r, int width) {
    double ss[4] = {}, sum[4] = {};
    int i = 0;
#if defined(__SSE2__)
    // The same four lanes, two doubles a register (lanes 0-1 and 2-3): the same products and
    // sums in the same order, in a third of the instructions GCC made of the loop below.
    __m128d ss01 = _mm_setzero_pd(), ss23 = ss01, sum01 = ss01, sum23 = ss01;
    for (; i + 4 <= width; i += 4) {
        const __m128 v = _mm_loadu_ps(r + i);
        const __m128d lo = _mm_cvtps_pd(v), hi = _mm_cvtps_pd(_mm_movehl_ps(v, v));
        ss01 = _mm_add_pd(ss01, _mm_mul_pd(lo, lo));
        ss23 = _mm_add_pd(ss23, _mm_mul_pd(hi, hi));
        sum01 = _mm_add_pd(sum01, lo);
        sum23 = _mm_add_pd(sum23, hi);
    }
    _mm_storeu_pd(ss, ss01);
    _mm_storeu_pd(ss + 2, ss23);
    _mm_storeu_pd(sum, sum01);
    _mm_storeu_pd(sum + 2, sum23);
#endif
    for (; i + 4 <= width; i += 4)
        for (int k = 0; k < 4; ++k) {
            ss[k] += double(r[i + k]) * r[i + k];
            sum[k] += r[i + k];
        }
    for (; i < width; ++i) {
        ss[0] += double(r[i]) * r[i];
        sum[0] += r[i];
    }
    return {(ss[0] + ss[1]) + (ss[2] + ss[3]), (sum[0] + sum[1]) + (sum[2] + sum[3])};
}

}  // namespace

void topKIndices(const float* x, int n, int k, int32_t* ids, float* vals) {
    kernels::activeKernels().topK(x, n, std::min(k, n), ids, vals);
}

TraceCapture::TraceCapture(Trace* trace, const Model& model, std::span<const int> history,
                           int start, int T, const ModelConfig* config)
    : m_trace(trace), m_model(model), m_config(config ? *config : model.config),
      m_normEps(model.config.normEps), m_T(T), m_start(start) {
    if (!m_trace) return;
    const ModelConfig& c = m_config;
    const int64_t L = c.nLayers, nQ = T, nKv = start + T, hs = c.headSize();
    m_trace->spec = m_trace->spec.resolvedFor(c, nQ, nKv);  // the trace says what it kept
    const CaptureSpec& spec = m_trace->spec;
    Trace& tr = *m_trace;
    tr.config = c;
    tr.tokens.assign(history.begin(), history.end());
    tr.firstQueryPos = start;
    tr.nQ = T;
    tr.nKv = int(nKv);
    tr.layers.assign(size_t(L), LayerTrace{});
    const bool recycle = spec.attention && AttentionRecycling::active();
    if (recycle) {
        m_scoresFilled.resize(size_t(L));
        m_probsFilled.resize(size_t(L));
    }
    for (size_t l = 0; l < tr.layers.size(); ++l) {
        LayerTrace& lt = tr.layers[l];
        if (!spec.keepsWhole(int(l))) continue;  // summaries only (below)
        if (recycle) {
            // Arrays of the previous trace of this shape, with each row's masked tail known.
            auto& pool = AttentionBufferPool::instance();
            PooledAttention s = pool.take(c.nHeads, nQ, nKv, -std::numeric_limits<float>::infinity());
            PooledAttention p = pool.take(c.nHeads, nQ, nKv, 0.0f);
            lt.attnScores = std::move(s.values);
            lt.attnProbs = std::move(p.values);
            m_scoresFilled[l] = std::move(s.filledFrom);
            m_probsFilled[l] = std::move(p.filledFrom);
        } else if (spec.attention) {
            // Every row is written whole by scoresRow / probsRow (masked tails included).
            lt.attnScores = FloatArray::uninitialized({c.nHeads, nQ, nKv});
            lt.attnProbs = FloatArray::uninitialized({c.nHeads, nQ, nKv});
        }
        if (spec.qk && c.mlaRank == 0) {  // MLA's keys are expanded inside attention, never stored
            lt.q = FloatArray({c.nHeads, nQ, hs});
            lt.k = FloatArray({c.nKvHeads, nKv, hs});
            lt.v = FloatArray({c.nKvHeads, nKv, hs});
        }
    }
    if (spec.attention) {
        tr.attnEntropy = FloatArray({L, c.nHeads, nQ});
        tr.attnFirstKey = FloatArray({L, c.nHeads, nQ});
        tr.attnPrevKey = FloatArray({L, c.nHeads, nQ});
        if (!spec.wholeLayers.empty()) {
            // Pooling blocks as the head grid draws them: row y of th covers [y nQ / th, ...).
            const int th = int(std::min<int64_t>(nQ, kAttentionThumbSize));
            const int tw = int(std::min<int64_t>(nKv, kAttentionThumbSize));
            m_thumbRow.resize(size_t(nQ));
            for (int y = 0; y < th; ++y)
                for (int64_t q = y * nQ / th; q < std::max<int64_t>(y * nQ / th + 1, (y + 1) * nQ / th); ++q)
                    m_thumbRow[size_t(q)] = y;
            m_thumbKey.resize(size_t(tw) + 1);
            for (int x = 0; x <= tw; ++x) m_thumbKey[size_t(x)] = int(x * nKv / tw);
            const float ninf = -std::numeric_limits<float>::infinity();
            tr.attnThumbProbs = FloatArray({L, c.nHeads, th, tw});
            std::fill(tr.attnThumbProbs.data.begin(), tr.attnThumbProbs.data.end(), ninf);
            tr.attnThumbScores = tr.attnThumbProbs;
        }
    }
    if (spec.residual) {
        for (FloatArray* a : {&tr.residRmsIn, &tr.residRmsMid, &tr.residRmsOut, &tr.attnNormOutRms,
                              &tr.ffnNormOutRms, &tr.attnOutRms, &tr.ffnOutRms, &tr.residMaxAbs,
                              &tr.residMeanIn, &tr.residMeanMid})
            *a = FloatArray({L, nQ});
        tr.residMaxChannel = IntArray({L, nQ});
    }
    if (spec.ffn) {
        tr.ffnActMaxAbs = FloatArray({L, nQ});
        tr.ffnActMaxChannel = IntArray({L, nQ});
    }
    if (spec.logitLens) {
        const int64_t k = std::clamp(spec.lensTopK, 1, c.vocabSize);
        tr.lensTopIds = IntArray({L, nQ, k});
        tr.lensTopProbs = FloatArray({L, nQ, k});
    }
}

TraceCapture::~TraceCapture() {
    if (!m_trace) return;
    auto& pool = AttentionBufferPool::instance();
    for (size_t l = 0; l < m_scoresFilled.size(); ++l) {
        const LayerTrace& lt = m_trace->layers[l];
        if (lt.attnScores.empty()) continue;  // a layer kept as summaries
        pool.lend(lt.attnScores.data.data(), std::move(m_scoresFilled[l]), -std::numeric_limits<float>::infinity());
        pool.lend(lt.attnProbs.data.data(), std::move(m_probsFilled[l]), 0.0f);
    }
}

// RMS of each row: sqrt(mean(x²)).
void TraceCapture::rmsRows(FloatArray& dst, int l, const float* x, int width) {
    for (int t = 0; t < m_T; ++t)
        dst.data[size_t(l) * m_T + t] = float(std::sqrt(rowSums(x + size_t(t) * width, width).ss / width));
}

// RMS and mean of each row in one pass.
void TraceCapture::rmsMeanRows(FloatArray& rms, FloatArray& mean, int l, const float* x, int width) {
    for (int t = 0; t < m_T; ++t) {
        const RowSums s = rowSums(x + size_t(t) * width, width);
        rms.data[size_t(l) * m_T + t] = float(std::sqrt(s.ss / width));
        mean.data[size_t(l) * m_T + t] = float(s.sum / width);
    }
}

void TraceCapture::residualIn(int l, const float* x) {
    if (m_trace && m_trace->spec.residual)
        rmsMeanRows(m_trace->residRmsIn, m_trace->residMeanIn, l, x, m_model.config.dim);
}
void TraceCapture::attnNormOut(int l, const float* xb) {
    if (m_trace && m_trace->spec.residual) rmsRows(m_trace->attnNormOutRms, l, xb, m_model.config.dim);
}
void TraceCapture::attnOut(int l, const float* o) {
    if (m_trace && m_trace->spec.residual) rmsRows(m_trace->attnOutRms, l, o, m_model.config.dim);
}
void TraceCapture::residualMid(int l, const float* x) {
    if (m_trace && m_trace->spec.residual)
        rmsMeanRows(m_trace->residRmsMid, m_trace->residMeanMid, l, x, m_model.config.dim);
}
void TraceCapture::ffnNormOut(int l, const float* xb) {
    if (m_trace && m_trace->spec.residual) rmsRows(m_trace->ffnNormOutRms, l, xb, m_model.config.dim);
}
void TraceCapture::ffnOut(int l, const float* o) {
    if (m_trace && m_trace->spec.residual) rmsRows(m_trace->ffnOutRms, l, o, m_model.config.dim);
}

void TraceCapture::queriesKeys(int l, const float* q, const float* keys, const float* values) {
    if (!m_trace || !m_trace->spec.qk || m_config.mlaRank > 0) return;
    const ModelConfig& c = m_config;
    const int hs = c.headSize(), qDim = c.nHeads * hs, kvDim = c.kvDim();
    const int nKv = m_start + m_T;
    LayerTrace& lt = m_trace->layers[size_t(l)];
    if (lt.q.empty()) return;  // a layer kept as summaries
    for (int h = 0; h < c.nHeads; ++h)  // [T, nHeads, hs] -> [nHeads, T, hs]
        for (int t = 0; t < m_T; ++t)
            std::memcpy(&lt.q.data[(size_t(h) * m_T + t) * hs], q + size_t(t) * qDim + size_t(h) * hs,
                        sizeof(float) * size_t(hs));
    for (int h = 0; h < c.nKvHeads; ++h)  // [nKv, nKvHeads, hs] -> [nKvHeads, nKv, hs]
        for (int j = 0; j < nKv; ++j) {
            const size_t src = size_t(j) * kvDim + size_t(h) * hs, dst = (size_t(h) * nKv + j) * hs;
            std::memcpy(&lt.k.data[dst], keys + src, sizeof(float) * size_t(hs));
            std::memcpy(&lt.v.data[dst], values + src, sizeof(float) * size_t(hs));
        }
}

// dst[0, n) = src[0, n), or = v where src is null. A trace's attention arrays (42 MB of visible
// rows at 512 tokens on stories260K) are written once and not read back while the trace is made,
// so the kernel streams their whole lines past the cache (kernels.h): that saves reading each
// line in before overwriting it. The caller fences once its rows are done
// (TraceCapture::streamedRowsDone).
static void streamRow(float* dst, const float* src, float v, int n) { kernels::activeKernels().streamRow(dst, src, v, n); }

void TraceCapture::streamedRowsDone() {
#if defined(__SSE2__)
    _mm_sfence();  // streamed stores are weakly ordered: before whatever publishes the rows
#endif
}

// Row r of an attention array gets its n visible entries and the mask's fill after them; a
// recycled array's row already holds the fill from filled[r] on, so only [n, filled[r]) is
// filled. On a row that starts on a cache line, the line holding the last visible entries goes
// out whole, the fill that its masked rest holds anyway included: every store of the row is
// then a whole streamed line, none a partial one that memory must first read in.
static void writeRow(float* row, const float* x, int n, int nKv, float fill, std::vector<int>* filled, size_t r) {
    constexpr int kLine = 64 / sizeof(float);
    const int from = filled ? (*filled)[r] : nKv;
    int done = n;
    if (x && n % kLine != 0 && (reinterpret_cast<uintptr_t>(row) & 63) == 0 && (n / kLine + 1) * kLine <= nKv) {
        const int n0 = n / kLine * kLine;
        streamRow(row, x, 0.0f, n0);
        alignas(64) float line[kLine];
        for (int i = 0; i < kLine; ++i) line[i] = n0 + i < n ? x[n0 + i] : fill;
        streamRow(row + n0, line, 0.0f, kLine);
        done = n0 + kLine;
    } else if (n > 0) {
        streamRow(row, x, 0.0f, n);
    }
    if (from > done) streamRow(row + done, nullptr, fill, from - done);
    if (filled) (*filled)[r] = n;
}

namespace {
// The scores row this thread recorded last, kept in L1 for probsRow (the trace's copy was
// streamed past the cache, and a layer kept as summaries has none). Keyed by the capture and
// the row: any other row reads the trace.
struct LastScores {
    const TraceCapture* owner = nullptr;
    int l = -1, h = -1, t = -1, n = 0;
    std::vector<float> values;
    bool holds(const TraceCapture* c, int l_, int h_, int t_, int n_) const {
        return owner == c && l == l_ && h == h_ && t == t_ && n == n_;
    }
};
thread_local LastScores t_lastScores;

// *p = max(*p, v) when other threads may update *p too (rows of one thumbnail row).
inline void atomicMax(float* p, float v) {
    std::atomic_ref<float> a(*p);
    float cur = a.load(std::memory_order_relaxed);
    while (v > cur && !a.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
    }
}
}  // namespace

void TraceCapture::scoresRow(int l, int h, int t, const float* s, int n, bool entropyFollows) {
    if (!m_trace || !m_trace->spec.attention) return;
    const size_t nKv = size_t(m_start + m_T), r = size_t(h) * m_T + t;
    LayerTrace& lt = m_trace->layers[size_t(l)];
    const bool whole = !lt.attnScores.empty();
    if (whole)
        writeRow(&lt.attnScores.data[r * nKv], s, n, int(nKv), -std::numeric_limits<float>::infinity(),  // masked keys
                 m_scoresFilled.empty() ? nullptr : &m_scoresFilled[size_t(l)], r);
    LastScores& last = t_lastScores;
    // The copy serves probsRow's entropy and a summary layer's pooling; a whole layer whose
    // entropy comes with the probabilities needs neither.
    if (s && n > 0 && !(entropyFollows && whole)) {
        if (last.values.size() < size_t(n)) last.values.resize(size_t(n));
        std::memcpy(last.values.data(), s, sizeof(float) * size_t(n));
        last.owner = this;
        last.l = l;
        last.h = h;
        last.t = t;
        last.n = n;
    } else {
        last.owner = nullptr;
    }
}

// A row of a layer kept as summaries, max-pooled into its head's thumbnail row. A cell is
// visible where its score is finite (the forward pass masks with -inf); without scores (linear
// attention) where its weight is positive.
void TraceCapture::poolRow(int l, int h, int t, const float* p, const float* s, int n) {
    Trace& tr = *m_trace;
    const int th = int(tr.attnThumbProbs.dim(2)), tw = int(tr.attnThumbProbs.dim(3));
    const size_t at = ((size_t(l) * m_config.nHeads + h) * th + m_thumbRow[size_t(t)]) * tw;
    float* tp = &tr.attnThumbProbs.data[at];
    float* ts = &tr.attnThumbScores.data[at];
    constexpr float ninf = -std::numeric_limits<float>::infinity();
    for (int x = 0; x < tw; ++x) {
        const int k0 = m_thumbKey[size_t(x)], k1 = std::min(m_thumbKey[size_t(x) + 1], n);
        if (k0 >= n) break;
        float mp = ninf, ms = ninf;
        if (s) {
            for (int k = k0; k < k1; ++k)
                if (s[k] > ninf) {
                    mp = std::max(mp, p[k]);
                    ms = std::max(ms, s[k]);
                }
        } else {
            for (int k = k0; k < k1; ++k)
                if (p[k] > 0.0f) mp = std::max(mp, p[k]);
        }
        if (mp > ninf) atomicMax(tp + x, mp);
        if (ms > ninf) atomicMax(ts + x, ms);
    }
}

void TraceCapture::probsRow(int l, int h, int t, const float* p, int n, bool scoresCaptured, float entropy) {
    if (!m_trace || !m_trace->spec.attention) return;
    const size_t nKv = size_t(m_start + m_T), r = size_t(h) * m_T + t;
    LayerTrace& lt = m_trace->layers[size_t(l)];
    const bool whole = !lt.attnProbs.empty();
    if (whole)
        writeRow(&lt.attnProbs.data[r * nKv], p, n, int(nKv), 0.0f,  // masked: no attention
                 m_probsFilled.empty() ? nullptr : &m_probsFilled[size_t(l)], r);
    // This row's scores: this thread's copy in L1 when scoresRow just recorded them, else the
    // trace's (whole layers only).
    LastScores& last = t_lastScores;
    const float* scores = last.holds(this, l, h, t, n) ? last.values.data()
                          : whole && !lt.attnScores.empty() && scoresCaptured ? &lt.attnScores.data[r * nKv]
                                                                              : nullptr;
    last.owner = nullptr;  // used once: a later trace reusing this array never reads a stale copy
    // Entropy H = -sum p ln p: ln(n) for a uniform row, 0 for a row on one key. From the
    // scores when the row has them, else from p alone.
    const float H = !std::isnan(entropy)                      ? entropy
                    : scoresCaptured && n > 0 && scores ? rowEntropy(p, scores, n)
                                                        : kernels::activeKernels().entropy(p, n);
    const size_t at = (size_t(l) * m_model.config.nHeads + h) * m_T + t;
    m_trace->attnEntropy.data[at] = H;
    const int i = m_start + t;  // the query's position
    m_trace->attnFirstKey.data[at] = n > 0 ? p[0] : 0.0f;
    m_trace->attnPrevKey.data[at] = i >= 1 && i - 1 < n ? p[i - 1] : 0.0f;
    if (!whole && !m_thumbRow.empty()) poolRow(l, h, t, p, scores, n);
}

void TraceCapture::ffnActivations(int l, const float* hb) {
    if (!m_trace || !m_trace->spec.ffn) return;
    const int H = m_model.config.hiddenDim;
    for (int t = 0; t < m_T; ++t) {
        const float* r = hb + size_t(t) * H;
        const int best = firstMaxIndex(r, H, Absolute{});
        m_trace->ffnActMaxAbs.data[size_t(l) * m_T + t] = std::fabs(r[best]);
        m_trace->ffnActMaxChannel.data[size_t(l) * m_T + t] = best;
    }
}

void TraceCapture::residualOut(int l, const float* x) {
    if (!m_trace) return;
    const ModelConfig& c = m_model.config;
    const int dim = c.dim;
    if (m_trace->spec.residual) {
        rmsRows(m_trace->residRmsOut, l, x, dim);
        for (int t = 0; t < m_T; ++t) {
            const float* r = x + size_t(t) * dim;
            const int best = firstMaxIndex(r, dim, Absolute{});
            m_trace->residMaxAbs.data[size_t(l) * m_T + t] = std::fabs(r[best]);
            m_trace->residMaxChannel.data[size_t(l) * m_T + t] = best;
        }
    }
    if (!m_trace->spec.logitLens) return;
    // The last layer's lens is the model's own output, Wcls · N_final(x): when every row's logits
    // are captured, forward() computes exactly that next (the same norm, bias, product and cap,
    // bit for bit), so logits() takes the lens from them instead of computing it twice.
    if (l == c.nLayers - 1 && m_trace->spec.logits == CaptureSpec::Logits::All) {
        m_lensDeferred = x;
        return;
    }
    lensRows(l, x);
}

// The lens of layer l over every row of x [T, dim], lensRowBlock() rows at a time, so its
// scratch is [block, vocab] rather than [T, vocab] (805 MB for 4,096 tokens of a 49k
// vocabulary; 16 MB a block). Each row's product is the same whatever the block (gemm's
// outputs do not depend on which tokens share a call).
namespace {
thread_local int t_lensRowBlock = 0;  // LensRowBlockOverride's rows; 0 = lensRowBlock(vocab)
}  // namespace

TraceCapture::LensRowBlockOverride::LensRowBlockOverride(int rows) : previous(t_lensRowBlock) {
    t_lensRowBlock = std::max(rows, 0);
}
TraceCapture::LensRowBlockOverride::~LensRowBlockOverride() { t_lensRowBlock = previous; }

void TraceCapture::lensRows(int l, const float* x) {
    const int block = t_lensRowBlock > 0 ? t_lensRowBlock : lensRowBlock(m_model.config.vocabSize);
    for (int t0 = 0; t0 < m_T; t0 += block) {
        const int n = std::min(block, m_T - t0);
        lensLogits(x + size_t(t0) * m_model.config.dim, n);
        lensTopK(l, m_lensLogits.data(), t0, n);
    }
}

// Logit lens (nostalgebraist, 2020): decode the residual stream after layer l as if it were
// the last one: softmax(Wcls · rms_final(x_l)).
void TraceCapture::lensLogits(const float* x, int rows) {
    const ModelConfig& c = m_model.config;
    const int dim = c.dim, V = c.vocabSize;
    m_lensNormed.resize(size_t(rows) * dim);  // [rows, dim]
    m_lensLogits.resize(size_t(rows) * V);    // [rows, vocab]
    for (int t = 0; t < rows; ++t) {
        float* row = &m_lensNormed[size_t(t) * dim];
        applyNorm(m_normType, row, x + size_t(t) * dim, m_model.rmsFinal, dim, m_normEps,
                  {m_model.finalNormMean, m_model.finalNormVar});
        if (const float* b = m_model.finalNormBias)  // GPT-2, Pythia: the final LayerNorm's bias
            for (int i = 0; i < dim; ++i) row[i] += b[i];
    }
    ops::matmul(m_lensLogits.data(), m_lensNormed.data(), m_model.classifier, rows);
    if (m_finalSoftCap > 0.0f)  // Gemma 2: the final head caps its logits, c tanh(z / c)
        for (float& z : m_lensLogits) z = m_finalSoftCap * std::tanh(z / m_finalSoftCap);
}

// The lens's softmax and top k of logits [rows, vocab] into layer l's rows t0 .. t0 + rows.
void TraceCapture::lensTopK(int l, const float* logits, int t0, int rows) {
    const int V = m_model.config.vocabSize;
    // Softmax and top k per row: independent rows, split across workers for a long prompt.
    const int k = int(m_trace->lensTopIds.dim(2));
    const auto& kern = kernels::activeKernels();
    auto range = [&](int r0, int r1) {
        for (int r = r0; r < r1; ++r) {
            // The top k of the logits are the top k of their softmax (exp is increasing), and
            // the first is the max the softmax shifts by: p_i = exp(z_i - z_max) / sum_j
            // exp(z_j - z_max) for the k kept, the row itself read twice and never rewritten.
            const float* row = logits + size_t(r) * V;
            const size_t off = (size_t(l) * m_T + t0 + r) * k;
            float* top = &m_trace->lensTopProbs.data[off];
            kern.topK(row, V, k, &m_trace->lensTopIds.data[off], top);
            const float mx = top[0];
            const float inv = 1.0f / kern.expSum(row, V, mx);
            for (int i = 0; i < k; ++i) top[i] = fastExpf(top[i] - mx) * inv;
        }
    };
    if (double(rows) * V < ops::kMinParallelWork) range(0, rows);
    else
        tbb::parallel_for(tbb::blocked_range<int>(0, rows, 16),
                          [&](const tbb::blocked_range<int>& r) { range(r.begin(), r.end()); });
}

void TraceCapture::logits(const float* logits, int firstRow) {
    if (!m_trace) return;
    const CaptureSpec& spec = m_trace->spec;
    const int V = m_model.config.vocabSize;
    const int rows = m_T - firstRow;
    if (m_lensDeferred) {  // the last layer's lens (residualOut): these logits, or computed
        if (firstRow == 0) lensTopK(m_model.config.nLayers - 1, logits, 0, m_T);
        else lensRows(m_model.config.nLayers - 1, m_lensDeferred);
        m_lensDeferred = nullptr;
    }
    if (spec.logits == CaptureSpec::Logits::All) {
        m_trace->logits = FloatArray::uninitialized({rows, V});  // every entry copied next
        std::memcpy(m_trace->logits.data.data(), logits, sizeof(float) * size_t(rows) * V);
    } else if (spec.logits == CaptureSpec::Logits::TopK) {
        const int k = std::clamp(spec.logitsTopK, 1, V);
        m_trace->logitsTopIds = IntArray({rows, k});
        m_trace->logitsTopValues = FloatArray({rows, k});
        for (int t = 0; t < rows; ++t)
            topKIndices(logits + size_t(t) * V, V, k, &m_trace->logitsTopIds.data[size_t(t) * k],
                 &m_trace->logitsTopValues.data[size_t(t) * k]);
    }
}

bool CaptureSpec::keepsWhole(int l) const {
    return wholeLayers.empty() || std::binary_search(wholeLayers.begin(), wholeLayers.end(), l);
}

CaptureSpec CaptureSpec::resolvedFor(const ModelConfig& c, int64_t nQ, int64_t nKv) const {
    CaptureSpec r = *this;
    std::vector<int>& w = r.wholeLayers;
    if (w.empty()) return r;
    for (int l : w)
        if (l < 0 || l >= c.nLayers)
            throw Error("capture: layer " + std::to_string(l) + " is not a layer of this model (it has " +
                        std::to_string(c.nLayers) + ": 0-" + std::to_string(c.nLayers - 1) + ")");
    std::sort(w.begin(), w.end());
    w.erase(std::unique(w.begin(), w.end()), w.end());
    const double mapBytes = 8.0 * c.nLayers * c.nHeads * double(nQ) * double(nKv);  // scores + probabilities
    if (int(w.size()) == c.nLayers || (r.wholeUnderBytes > 0 && mapBytes <= double(r.wholeUnderBytes))) w.clear();
    return r;
}

bool Trace::hasWholeAttention(int l) const {
    return l >= 0 && l < int(layers.size()) && !layers[size_t(l)].attnProbs.empty();
}

std::vector<float> Trace::logitsRow(int q) const {
    if (logits.empty() || q < 0 || q >= logits.dim(0)) return {};
    const size_t V = size_t(logits.dim(1));
    return std::vector<float>(logits.data.begin() + long(q * V), logits.data.begin() + long((q + 1) * V));
}

}  // namespace anatomy
