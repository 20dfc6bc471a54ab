#pragma once
// The k largest values of a row, largest first, ties to the lower index (KernelTable::topK).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace anatomy::kernels {

// The scalar table's topK and the SIMD tables' fallback (a NaN in the row, k above their
// lanes): any n >= k >= 0.
void topKScalar(const float* x, int n, int k, int32_t* ids, float* vals);

// For the SIMD variants: their candidates' selection and scratch.
// The best k of a short list of candidates (values cv, ids ci, in index order) into ids and
// vals, largest first: a value enters only when strictly larger, so of equal values the
// earlier id stays ahead. The same total order as topKScalar, so the same top k.
inline void selectTopK(const float* cv, const int32_t* ci, int count, int k, int32_t* ids, float* vals) {
    int found = 0;
    for (int j = 0; j < count; ++j) {
        const float v = cv[j];
        if (found == k && !(v > vals[k - 1])) continue;
        int pos = found < k ? found++ : k - 1;
        for (; pos > 0 && v > vals[pos - 1]; --pos) {
            vals[pos] = vals[pos - 1];
            ids[pos] = ids[pos - 1];
        }
        vals[pos] = v;
        ids[pos] = ci[j];
    }
}

// This thread's room for a row's candidates, at least n + 16 of each (a full vector is stored
// past the last).
struct TopKScratch {
    std::vector<float> values;
    std::vector<int32_t> ids;
};
inline TopKScratch& topKScratch(int n) {
    thread_local TopKScratch scratch;
    if (scratch.values.size() < size_t(n) + 16) {
        scratch.values.resize(size_t(n) + 16);
        scratch.ids.resize(size_t(n) + 16);
    }
    return scratch;
}

}  // namespace anatomy::kernels
