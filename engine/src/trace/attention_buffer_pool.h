#pragma once
// Attention arrays recycled from one trace to the next. A trace's score and probability arrays,
// [nHeads, nQ, nKv] per layer, are nearly all of its memory (80 MB for 512 tokens on
// stories260K), and half of every causal row is its masked tail: -inf in the scores, 0 in the
// probabilities. A trace made by traceTokens hands its arrays back here when its last owner lets
// go; the next trace of the same shape takes them with a note of each row's tail already holding
// the fill value (filledFrom[h * nQ + t] = n: entries [n, nKv) hold it), so a row writes its
// visible keys and only the part of its tail that the previous trace used for keys.
// Thread-safe; holds at most maxPooledBytes().
#include <memory>
#include <vector>

#include "anatomy/trace.h"

namespace anatomy {

struct PooledAttention {
    FloatArray values;            // [nHeads, nQ, nKv]
    std::vector<int> filledFrom;  // [nHeads * nQ] per row: entries from here on hold the fill
};

class AttentionBufferPool {
public:
    // A quarter of the trace budget (trace_budget.h), at most 2 GiB: one long trace's arrays
    // (1,708 tokens on stories260K: 933 MB) come back for the next instead of being unmapped
    // and faulted in again, zero-filled, page by page.
    static size_t maxPooledBytes();
    static AttentionBufferPool& instance();
    // An array of this shape: a recycled one with its rows' fill state, or a new one whose
    // every row must be written whole (filledFrom = nKv: no tail known to hold the fill).
    PooledAttention take(int64_t nHeads, int64_t nQ, int64_t nKv, float fill);
    // Records the fill state of an array a trace now holds (moved into it by take's caller).
    void lend(const float* data, std::vector<int> filledFrom, float fill);
    // Takes back a dying trace's attention arrays that this pool lent.
    void recycle(Trace& trace);

private:
    struct Entry {
        FloatArray values;
        std::vector<int> filledFrom;
        float fill;
    };
    struct Lent {
        const float* data;
        std::vector<int> filledFrom;
        float fill;
    };
    std::vector<Entry> m_free;
    std::vector<Lent> m_lent;
};

// While one is alive on a thread, the traces TraceCapture fills there take their attention
// arrays from the pool (traceTokens: the trace it returns gives them back when it dies).
class AttentionRecycling {
public:
    AttentionRecycling();
    ~AttentionRecycling();
    AttentionRecycling(const AttentionRecycling&) = delete;
    AttentionRecycling& operator=(const AttentionRecycling&) = delete;
    static bool active();
};

// A trace whose attention arrays go back to the pool when its last owner lets go.
std::shared_ptr<Trace> makeRecyclingTrace();

}  // namespace anatomy
