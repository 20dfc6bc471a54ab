// What `compare` reports per output, over its token ids y_1..y_n:
//   mean log-probability  (1/n) sum_i lp(y_i | prompt, y_<i)         under the model at T = 1
//   distinct-n            |{ (y_i..y_i+n-1) }| / (n_tokens - n + 1)   (Li et al. 2016)
//   repeated n-grams      #{ i : (y_i..y_i+n-1) = (y_j..y_j+n-1) for some j < i }
// Greedy and beam outputs loop ("Lily was happy. Lily was happy."): low distinct-n, many
// repeated 4-grams, high mean log-probability; sampling trades the last for the first two.
#include <algorithm>
#include <set>

#include "anatomy/decoding.h"
#include "anatomy/error.h"

namespace anatomy {

namespace {

std::vector<int> gramAt(std::span<const int> ids, size_t i, int n) {
    return {ids.begin() + std::ptrdiff_t(i), ids.begin() + std::ptrdiff_t(i) + n};
}

}  // namespace

double distinctN(std::span<const int> ids, int n) {
    if (n < 1) throw Error("distinct-n: n must be >= 1, got " + std::to_string(n));
    if (ids.size() < size_t(n)) return 0.0;
    const size_t total = ids.size() - size_t(n) + 1;
    std::set<std::vector<int>> seen;
    for (size_t i = 0; i < total; ++i) seen.insert(gramAt(ids, i, n));
    return double(seen.size()) / double(total);
}

int repeatedNgrams(std::span<const int> ids, int n) {
    if (n < 1) throw Error("repeated n-grams: n must be >= 1, got " + std::to_string(n));
    if (ids.size() < size_t(n)) return 0;
    std::set<std::vector<int>> seen;
    int repeated = 0;
    for (size_t i = 0; i + size_t(n) <= ids.size(); ++i)
        if (!seen.insert(gramAt(ids, i, n)).second) ++repeated;
    return repeated;
}

OutputMetrics outputMetrics(std::span<const int> ids, std::span<const double> logprobs) {
    if (ids.size() != logprobs.size())
        throw Error("output metrics: " + std::to_string(ids.size()) + " tokens but " +
                    std::to_string(logprobs.size()) + " log-probabilities");
    OutputMetrics m;
    m.length = int(ids.size());
    double sum = 0.0;
    for (double lp : logprobs) sum += lp;
    m.meanLogprob = ids.empty() ? 0.0 : sum / double(ids.size());
    m.distinct1 = distinctN(ids, 1);
    m.distinct2 = distinctN(ids, 2);
    m.repeated4 = repeatedNgrams(ids, 4);
    return m;
}

}  // namespace anatomy
