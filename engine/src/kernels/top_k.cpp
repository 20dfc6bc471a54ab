#include "kernels/top_k.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "kernels/simd4.h"

namespace anatomy::kernels {

using namespace simd4;

namespace {

// Above this k a partial sort beats keeping a sorted list of the best k.
constexpr int kInsertionTopK = 32;
// Rows up to this long take topKByBlocks (measured below).
constexpr int kBlockTopKMaxRow = 2048;

// The k largest of x[0..n) by blocks of 16, for a small k over a short row (the lens's 5 of
// stories260K's 512 logits, 2,560 rows a 512-token trace): the k-th largest block maximum tau
// is at most the k-th largest value (k blocks each hold a value >= tau), so every value below
// tau is beaten strictly by k others, and only the blocks whose maximum reaches tau are read
// again, by a vector compare, their values >= tau inserted one by one. The same ids as the
// scan in topK: without NaNs, "larger, or equal at a lower index" is a total order, and the top
// k under it is unique. Measured against that scan on Gaussian rows (k = 5, this EPYC): 430 vs
// 820 ns at 512 values, even at 2,048, slower above (the max pass costs more than the scan's
// skipped compares once the k-th best has settled). False, nothing written, for a NaN, a long
// row or too few blocks.
bool topKByBlocks(const float* x, int n, int k, int32_t* ids, float* vals) {
    constexpr int kBlock = 16;
    const int nb = n / kBlock, tail = nb * kBlock;
    if (k < 1 || k > kInsertionTopK || nb < 2 * k || n > kBlockTopKMaxRow) return false;
    float blockMax[kBlockTopKMaxRow / kBlock];  // [nb]
    I4 nan = {};
    for (int b = 0; b < nb; ++b) {
        const float* p = x + b * kBlock;
        const F4 a0 = load4(p), a1 = load4(p + 4), a2 = load4(p + 8), a3 = load4(p + 12);
        nan |= (a0 != a0) | (a1 != a1) | (a2 != a2) | (a3 != a3);
        const F4 m01 = a0 > a1 ? a0 : a1, m23 = a2 > a3 ? a2 : a3, m = m01 > m23 ? m01 : m23;
        blockMax[b] = std::max(std::max(m[0], m[1]), std::max(m[2], m[3]));
    }
    for (int i = tail; i < n; ++i)
        if (x[i] != x[i]) return false;
    if (anyLane(nan)) return false;
    // tau: the k-th largest block maximum (the tail's values count as blocks of one).
    float best[kInsertionTopK];
    int have = 0;
    auto offer = [&](float v) {
        if (have == k && !(v > best[k - 1])) return;
        int pos = have < k ? have++ : k - 1;
        for (; pos > 0 && v > best[pos - 1]; --pos) best[pos] = best[pos - 1];
        best[pos] = v;
    };
    int b = 0;
    for (; b < k; ++b) offer(blockMax[b]);
    for (; b + 4 <= nb; b += 4) {  // four maxima skipped together when none beats the k-th
        const F4 kth = {best[k - 1], best[k - 1], best[k - 1], best[k - 1]};
        if (anyLane(load4(&blockMax[b]) > kth))
            for (int j = b; j < b + 4; ++j) offer(blockMax[j]);
    }
    for (; b < nb; ++b) offer(blockMax[b]);
    for (int i = tail; i < n; ++i) offer(x[i]);
    const float tau = best[k - 1];
    // The values >= tau (at least k) in index order, the best k kept sorted in ids.
    auto better = [&](int a, int c) { return x[a] > x[c] || (x[a] == x[c] && a < c); };
    int found = 0;
    auto consider = [&](int i) {
        if (found == k && !better(i, ids[k - 1])) return;
        int pos = found < k ? found++ : k - 1;
        for (; pos > 0 && better(i, ids[pos - 1]); --pos) ids[pos] = ids[pos - 1];
        ids[pos] = i;
    };
    const F4 t4 = {tau, tau, tau, tau};
    for (int c = 0; c < nb; ++c) {
        if (!(blockMax[c] >= tau)) continue;
        const float* p = x + c * kBlock;
        unsigned bits = unsigned(laneBits(load4(p) >= t4) | laneBits(load4(p + 4) >= t4) << 4 |
                                 laneBits(load4(p + 8) >= t4) << 8 | laneBits(load4(p + 12) >= t4) << 12);
        for (; bits; bits &= bits - 1) consider(c * kBlock + __builtin_ctz(bits));
    }
    for (int i = tail; i < n; ++i)
        if (x[i] >= tau) consider(i);
    for (int i = 0; i < k; ++i) vals[i] = x[ids[i]];
    return true;
}

}  // namespace

// Indices of the k largest values of x[0..n), largest first; ties go to the lower index.
void topKScalar(const float* x, int n, int k, int32_t* ids, float* vals) {
    k = std::min(k, n);
    if (topKByBlocks(x, n, k, ids, vals)) return;
    auto better = [&](int a, int b) { return x[a] > x[b] || (x[a] == x[b] && a < b); };
    if (k > kInsertionTopK) {
        std::vector<int> idx(static_cast<size_t>(n));
        std::iota(idx.begin(), idx.end(), 0);
        std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), better);
        for (int i = 0; i < k; ++i) {
            ids[i] = idx[size_t(i)];
            vals[i] = x[idx[size_t(i)]];
        }
        return;
    }
    // Small k (the lens keeps 5 of a vocabulary): one pass keeping ids[0..k) sorted. Once k are
    // found, a candidate must beat the k-th best value strictly (on a tie the earlier index
    // wins), so most elements cost one comparison against a register.
    int found = 0;
    for (int i = 0; i < n && found < k; ++i) {
        int pos = found++;
        for (; pos > 0 && better(i, ids[pos - 1]); --pos) ids[pos] = ids[pos - 1];
        ids[pos] = i;
    }
    float kth = k > 0 ? x[ids[k - 1]] : 0.0f;
    auto consider = [&](int i) {
        if (!(x[i] > kth)) return;
        int pos = k - 1;
        for (; pos > 0 && better(i, ids[pos - 1]); --pos) ids[pos] = ids[pos - 1];
        ids[pos] = i;
        kth = x[ids[k - 1]];
    };
    int i = found;
    // Eight at a time, skipped together when none beats the k-th (vectorised compare).
    for (; i + 8 <= n; i += 8) {
        const F4 k4 = {kth, kth, kth, kth};
        if (anyLane((load4(x + i) > k4) | (load4(x + i + 4) > k4)))
            for (int b = 0; b < 8; ++b) consider(i + b);
    }
    for (; i < n; ++i) consider(i);
    for (int i = 0; i < k; ++i) vals[i] = x[ids[i]];
}

}  // namespace anatomy::kernels
