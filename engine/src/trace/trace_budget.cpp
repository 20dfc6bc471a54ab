#include "anatomy/trace_budget.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "anatomy/error.h"

namespace anatomy {

namespace {

constexpr int64_t kGB = 1000LL * 1000 * 1000;
constexpr int64_t kMaxDefaultBudget = 8 * kGB;

// Saturating arithmetic: a request for 2^40 tokens must give a huge number, not a wrapped one.
int64_t mul(int64_t a, int64_t b) {
    if (a <= 0 || b <= 0) return 0;
    return a > INT64_MAX / b ? INT64_MAX : a * b;
}
int64_t add(int64_t a, int64_t b) { return a > INT64_MAX - b ? INT64_MAX : a + b; }

}  // namespace

int64_t TraceBytes::total() const { return add(add(add(add(attention, qk), logits), other), forward); }

TraceBytes traceBytes(const ModelConfig& c, int64_t tokens, const CaptureSpec& spec) {
    TraceBytes b;
    const int64_t T = std::max<int64_t>(tokens, 0), L = c.nLayers, H = c.nHeads, hs = c.headSize();
    const int64_t V = c.vocabSize, f = 4;  // float32 / int32
    // Layers kept whole: all, or the ones the spec names (resolved as the capture resolves them).
    const CaptureSpec r = spec.resolvedFor(c, T, T);
    const int64_t W = r.wholeLayers.empty() ? L : int64_t(r.wholeLayers.size());
    if (spec.attention) {
        // [nHeads, nQ, nKv] scores and probabilities per whole layer; entropy, first-key and
        // previous-key mass [nLayers, nHeads, nQ]; the other layers' thumbnails, two arrays of
        // [nLayers, nHeads, th, tw].
        b.attention = add(mul(mul(2 * W * H, mul(T, T)), f), mul(3 * L * H, mul(T, f)));
        if (!r.wholeLayers.empty()) {
            const int64_t th = std::min<int64_t>(T, kAttentionThumbSize);
            b.attention = add(b.attention, mul(mul(2 * L * H, th * th), f));
        }
    }
    if (spec.qk && c.mlaRank == 0) b.qk = mul(mul(W * (H + 2 * c.nKvHeads) * hs, T), f);  // q [H, T, hs], k and v [Hkv, T, hs]
    if (spec.logits == CaptureSpec::Logits::All) b.logits = mul(mul(T, V), f);
    else if (spec.logits == CaptureSpec::Logits::TopK)
        b.logits = mul(mul(T, 2 * std::clamp<int64_t>(spec.logitsTopK, 1, V)), f);
    if (spec.logitLens) {
        const int64_t k = std::clamp<int64_t>(spec.lensTopK, 1, V);
        // ids and probabilities [nLayers, nQ, k], scratch [block, dim] and [block, vocab]
        const int64_t block = std::min<int64_t>(T, lensRowBlock(int(std::min<int64_t>(V, INT32_MAX))));
        b.logits = add(b.logits, add(mul(mul(T, 2 * L * k), f), mul(mul(block, c.dim + V), f)));
    }
    if (spec.residual) b.other = mul(mul(11 * L, T), f);
    if (spec.ffn) b.other = add(b.other, mul(mul(2 * L, T), f));
    b.other = add(b.other, mul(T, 4 + 16));  // token ids and their text
    // Forward: K and V caches [nLayers, T, kvDim] each, the activations [T, 4 dim + 3 qDim +
    // 2 hidden] and the logits of every row [T, vocab] when any logits are recorded.
    const int64_t rowFloats = 2 * L * c.kvDim() + 4 * c.dim + 3 * H * hs + 2 * c.hiddenDim +
                              (spec.logits != CaptureSpec::Logits::None ? V : 0);
    b.forward = mul(mul(T, rowFloats), f);
    return b;
}

int64_t traceBudgetBytes() {
    if (const char* e = std::getenv("ANATOMY_TRACE_BUDGET_GB"); e && *e) {
        char* end = nullptr;
        const double gb = std::strtod(e, &end);
        if (end != e && *end == '\0' && gb > 0 && gb < 1e6) return int64_t(gb * double(kGB));
    }
    int64_t budget = kMaxDefaultBudget;
    const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0) budget = std::min(budget, mul(pages, page) / 2);
    struct rlimit rl {};
    if (::getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        budget = std::min(budget, int64_t(rl.rlim_cur / 2));
    return budget;
}

std::string formatBytes(int64_t bytes) {
    char buf[64];
    if (bytes >= kGB) std::snprintf(buf, sizeof buf, "%.1f GB", double(bytes) / double(kGB));
    else if (bytes >= 1000 * 1000) std::snprintf(buf, sizeof buf, "%.1f MB", double(bytes) / 1e6);
    else std::snprintf(buf, sizeof buf, "%lld KB", (long long)((bytes + 999) / 1000));
    return buf;
}

void requireTraceBudget(const ModelConfig& config, int64_t tokens, const CaptureSpec& spec, int64_t budgetBytes) {
    const int64_t budget = budgetBytes > 0 ? budgetBytes : traceBudgetBytes();
    const TraceBytes b = traceBytes(config, tokens, spec);
    if (b.total() <= budget) return;
    throw Error("this trace needs " + formatBytes(b.total()) + " (" + std::to_string(tokens) + " tokens: attention " +
                formatBytes(b.attention) + ", q/k/v " + formatBytes(b.qk) + ", logits and lens " +
                formatBytes(b.logits) + ", forward pass " + formatBytes(b.forward) + ") but the budget is " +
                formatBytes(budget) + "; capture fewer arrays or tokens");
}

}  // namespace anatomy
