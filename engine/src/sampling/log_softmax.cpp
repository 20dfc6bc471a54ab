// The model's log-probabilities at temperature 1, the quantity every decoding score sums:
//     lp_i = (x_i - m) - ln sum_j exp(x_j - m),   m = max_j x_j
// in double, so that sums over hundreds of tokens and ties between hypotheses do not depend on
// float rounding.
#include <cmath>
#include <limits>

#include "anatomy/decoding.h"
#include "anatomy/error.h"

namespace anatomy {

std::vector<double> logSoftmax(std::span<const float> logits) {
    if (logits.empty()) throw Error("log-softmax: no logits (vocabulary size 0)");
    double m = -std::numeric_limits<double>::infinity();
    for (float x : logits) {
        if (std::isnan(x)) throw Error("log-softmax: a logit is NaN");
        m = std::max(m, double(x));
    }
    if (!std::isfinite(m)) throw Error("log-softmax: the largest logit is " + std::to_string(m));
    double sum = 0.0;
    for (float x : logits) sum += std::exp(double(x) - m);
    const double lse = std::log(sum);
    std::vector<double> lp(logits.size());  // [vocab]
    for (size_t i = 0; i < logits.size(); ++i) lp[i] = (double(logits[i]) - m) - lse;
    return lp;
}

}  // namespace anatomy
