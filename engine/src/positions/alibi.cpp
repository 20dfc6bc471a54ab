#include "anatomy/alibi.h"

#include <cmath>

namespace anatomy {

namespace {
std::vector<float> powerOfTwoSlopes(int n) {
    std::vector<float> m;
    for (int h = 1; h <= n; ++h) m.push_back(std::pow(2.0f, -8.0f * float(h) / float(n)));
    return m;
}
}  // namespace

std::vector<float> alibiSlopes(int nHeads) {
    int n = 1;
    while (n * 2 <= nHeads) n *= 2;
    std::vector<float> m = powerOfTwoSlopes(n);
    if (n < nHeads) {
        const std::vector<float> extra = powerOfTwoSlopes(2 * n);
        for (size_t i = 0; int(m.size()) < nHeads; i += 2) m.push_back(extra[i]);
    }
    return m;
}

}  // namespace anatomy
