#include "trace/attention_buffer_pool.h"

#include <algorithm>
#include <mutex>

#include "anatomy/trace_budget.h"

namespace anatomy {

namespace {

std::mutex& poolMutex() {
    static std::mutex* m = new std::mutex;  // never destroyed, as the pool
    return *m;
}
thread_local int t_recycling = 0;

size_t bytesOf(const FloatArray& a) { return a.data.size() * sizeof(float); }

}  // namespace

size_t AttentionBufferPool::maxPooledBytes() {
    static const size_t bytes = size_t(std::min<int64_t>(traceBudgetBytes() / 4, int64_t(2) << 30));
    return bytes;
}

AttentionBufferPool& AttentionBufferPool::instance() {
    // Never destroyed: a trace may die after the static destructors ran (the last owner a
    // thread-pool task still drawing thumbnails at exit), and then recycles into it ("double
    // free or corruption" at the exit of a widget test that had passed).
    static AttentionBufferPool* pool = new AttentionBufferPool;
    return *pool;
}

PooledAttention AttentionBufferPool::take(int64_t nHeads, int64_t nQ, int64_t nKv, float fill) {
    {
        std::lock_guard lock(poolMutex());
        const std::vector<int64_t> shape{nHeads, nQ, nKv};
        for (size_t i = 0; i < m_free.size(); ++i) {
            Entry& e = m_free[i];
            if (e.values.shape != shape || e.fill != fill) continue;
            PooledAttention out{std::move(e.values), std::move(e.filledFrom)};
            m_free.erase(m_free.begin() + std::ptrdiff_t(i));
            return out;
        }
    }
    return {FloatArray::uninitialized({nHeads, nQ, nKv}), std::vector<int>(size_t(nHeads * nQ), int(nKv))};
}

void AttentionBufferPool::lend(const float* data, std::vector<int> filledFrom, float fill) {
    std::lock_guard lock(poolMutex());
    m_lent.push_back({data, std::move(filledFrom), fill});
}

void AttentionBufferPool::recycle(Trace& trace) {
    std::lock_guard lock(poolMutex());
    for (LayerTrace& lt : trace.layers)
        for (FloatArray* a : {&lt.attnScores, &lt.attnProbs}) {
            if (a->data.empty()) continue;
            const auto it = std::find_if(m_lent.begin(), m_lent.end(),
                                         [&](const Lent& l) { return l.data == a->data.data(); });
            if (it == m_lent.end()) continue;
            m_free.push_back({std::move(*a), std::move(it->filledFrom), it->fill});
            m_lent.erase(it);
        }
    // Oldest first out, to the limit.
    size_t total = 0;
    for (const Entry& e : m_free) total += bytesOf(e.values);
    while (total > maxPooledBytes() && !m_free.empty()) {
        total -= bytesOf(m_free.front().values);
        m_free.erase(m_free.begin());
    }
}

AttentionRecycling::AttentionRecycling() { ++t_recycling; }
AttentionRecycling::~AttentionRecycling() { --t_recycling; }
bool AttentionRecycling::active() { return t_recycling > 0; }

std::shared_ptr<Trace> makeRecyclingTrace() {
    return std::shared_ptr<Trace>(new Trace, [](Trace* t) {
        AttentionBufferPool::instance().recycle(*t);
        delete t;
    });
}

}  // namespace anatomy
