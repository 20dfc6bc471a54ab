#pragma once
// What a trace costs before it runs. Attention alone is [nLayers, nHeads, nQ, nKv] twice (scores
// and probabilities): 20,000 tokens of stories260K ask for 128 GB. Every trace request (the CLI's
// trace and bench --trace-tokens, the app's views) is checked against a budget first and refused
// with the estimate, instead of failing in the allocator.
#include <cstdint>
#include <string>

#include "anatomy/model_config.h"
#include "anatomy/trace.h"

namespace anatomy {

struct TraceBytes {
    int64_t attention = 0;  // scores + probabilities + entropy
    int64_t qk = 0;         // queries and keys after RoPE
    int64_t logits = 0;     // recorded logits (all or top k) and the logit lens
    int64_t other = 0;      // residual and FFN statistics, tokens
    int64_t forward = 0;    // the forward pass's own buffers: KV cache, activations, [T, vocab] logits
    int64_t total() const;  // saturates at INT64_MAX
};

// Bytes a trace of `tokens` positions (all fed in one pass from position 0) needs with `spec`,
// from the arrays TraceCapture allocates (trace.h) plus the forward pass's buffers.
TraceBytes traceBytes(const ModelConfig& config, int64_t tokens, const CaptureSpec& spec);

// The most a trace may take: ANATOMY_TRACE_BUDGET_GB when set, else half the physical memory
// (and of RLIMIT_AS when one is set), at most 8 GB.
int64_t traceBudgetBytes();

// Throws Error when traceBytes(...) exceeds budgetBytes (0 = traceBudgetBytes()):
// "this trace needs 6.1 GB (... attention ...) but the budget is 8.0 GB; capture fewer arrays or tokens".
void requireTraceBudget(const ModelConfig& config, int64_t tokens, const CaptureSpec& spec,
                        int64_t budgetBytes = 0);

// "6.1 GB", "512.0 MB", "12 KB" (powers of 1000, as the message says).
std::string formatBytes(int64_t bytes);

}  // namespace anatomy
