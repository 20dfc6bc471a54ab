// The model's log-probabilities at temperature 1, the quantity every decoding score sums:
//     lp_i = (x_i - m) - ln sum_j exp(x_j - m),   m = max_j x_j
// in double, so that sums over hundreds of tokens and ties between hypotheses do not depend on
// float rounding.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "anatomy/decoding.h"
#include "anatomy/error.h"

namespace anatomy {

namespace {

// max_j x_j and whether some x_j is NaN, two four-float vectors a step (GCC/Clang vector
// extensions in the baseline ISA's registers). The max of floats is exact in any order; NaNs
// are reported, not compared.
float maxOf(std::span<const float> x, bool* nan) {
    using F4 = float __attribute__((vector_size(16)));
    using I4 = int __attribute__((vector_size(16)));
    const float inf = std::numeric_limits<float>::infinity();
    F4 m0 = {-inf, -inf, -inf, -inf}, m1 = m0;
    I4 bad = {};
    size_t i = 0;
    for (; i + 8 <= x.size(); i += 8) {
        F4 a, b;
        std::memcpy(&a, x.data() + i, sizeof a);
        std::memcpy(&b, x.data() + i + 4, sizeof b);
        bad |= (a != a) | (b != b);
        m0 = m0 < a ? a : m0;
        m1 = m1 < b ? b : m1;
    }
    float m = -inf;
    bool anyNan = false;
    for (int l = 0; l < 4; ++l) {
        m = std::max(m, std::max(m0[l], m1[l]));
        anyNan = anyNan || bad[l] != 0;
    }
    for (; i < x.size(); ++i) {
        anyNan = anyNan || std::isnan(x[i]);
        m = std::max(m, x[i]);
    }
    *nan = anyNan;
    return m;
}

}  // namespace

std::vector<double> logSoftmax(std::span<const float> logits) {
    if (logits.empty()) throw Error("log-softmax: no logits (vocabulary size 0)");
    bool nan = false;
    const double m = maxOf(logits, &nan);
    if (nan) throw Error("log-softmax: a logit is NaN");
    if (!std::isfinite(m)) throw Error("log-softmax: the largest logit is " + std::to_string(m));
    double sum = 0.0;  // in order: the sum's rounding is part of every score
    for (float x : logits) sum += std::exp(double(x) - m);
    const double lse = std::log(sum);
    std::vector<double> lp(logits.size());  // [vocab]
    for (size_t i = 0; i < logits.size(); ++i) lp[i] = (double(logits[i]) - m) - lse;
    return lp;
}

}  // namespace anatomy
