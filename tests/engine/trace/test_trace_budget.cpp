// A trace's memory is estimated from the arrays it will hold and refused, with the estimate,
// before anything is allocated.
#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include "anatomy/error.h"
#include "anatomy/model_registry.h"
#include "anatomy/session.h"
#include "anatomy/trace_budget.h"
#include "test_paths.h"

using Catch::Matchers::Contains;

namespace {

anatomy::ModelConfig stories260K() {
    anatomy::ModelConfig c;
    c.dim = 64;
    c.hiddenDim = 172;
    c.nLayers = 5;
    c.nHeads = 8;
    c.nKvHeads = 4;
    c.vocabSize = 512;
    c.seqLen = 512;
    return c;
}

}  // namespace

TEST_CASE("traceBytes counts the attention arrays quadratically", "[trace][budget][hardening]") {
    const anatomy::ModelConfig c = stories260K();
    const anatomy::CaptureSpec all = anatomy::CaptureSpec::everything();
    // 2 arrays x 5 layers x 8 heads x 20000^2 positions x 4 bytes = 128 GB
    const anatomy::TraceBytes big = anatomy::traceBytes(c, 20000, all);
    CHECK(big.attention >= 128'000'000'000LL);
    CHECK(big.total() > big.attention);
    anatomy::CaptureSpec noAttention = all;
    noAttention.attention = false;
    CHECK(anatomy::traceBytes(c, 20000, noAttention).total() < 2'000'000'000LL);
    CHECK(anatomy::traceBytes(c, 20000, anatomy::CaptureSpec::nothing()).attention == 0);
    // Saturates instead of wrapping.
    CHECK(anatomy::traceBytes(c, int64_t(1) << 40, all).total() > 0);
    CHECK(anatomy::formatBytes(6'100'000'000LL) == "6.1 GB");
}

TEST_CASE("a trace over the budget is refused with the estimate", "[trace][budget][hardening]") {
    const anatomy::ModelConfig c = stories260K();
    const anatomy::CaptureSpec all = anatomy::CaptureSpec::everything();
    CHECK_NOTHROW(anatomy::requireTraceBudget(c, 256, all, 8'000'000'000LL));
    try {
        anatomy::requireTraceBudget(c, 20000, all, 8'000'000'000LL);
        FAIL("expected the trace to be refused");
    } catch (const anatomy::Error& e) {
        CHECK_THAT(e.what(), Contains("this trace needs 1") && Contains(" GB") &&
                                 Contains("budget is 8.0 GB") && Contains("capture fewer arrays or tokens"));
    }
    CHECK(anatomy::traceBudgetBytes() > 0);
    CHECK(anatomy::traceBudgetBytes() <= 8'000'000'000LL);
}

TEST_CASE("traceTokens refuses a trace over the budget before allocating it", "[trace][budget][hardening]") {
    std::shared_ptr<const anatomy::Model> m = anatomy::openModel(modelPath("stories260K.bin"));
    std::vector<int> ids(20000, 5);  // 128 GB of attention: never allocated
    ids[0] = 1;
    try {
        (void)anatomy::traceTokens(m, ids, anatomy::CaptureSpec::everything());
        FAIL("expected the trace to be refused");
    } catch (const anatomy::Error& e) {
        CHECK_THAT(e.what(), Contains("this trace needs") && Contains("capture fewer arrays or tokens"));
    }
    // A small trace still runs.
    CHECK(anatomy::traceTokens(m, {1, 5, 6}, anatomy::CaptureSpec::everything())->nQ == 3);
}
