#include "anatomy/relative_position.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace anatomy {

int relativePositionBucket(int keyPos, int queryPos, int nBuckets, bool bidirectional, int maxDistance) {
    if (bidirectional) nBuckets >>= 1;
    const int maxExact = nBuckets >> 1;
    int n = keyPos - queryPos;
    int bucket = 0;
    if (bidirectional) {
        bucket += n > 0 ? nBuckets : 0;  // keys after the query: the upper half
        n = std::abs(n);
    } else {
        n = -std::min(n, 0);  // keys before the query count; a later one is bucket 0
    }
    if (n < maxExact) return bucket + n;
    // llama.cpp's arithmetic, float and double where it has them, so the buckets agree exactly.
    const float lnRatio = std::log(float(1.0 * n / maxExact));
    const int large = int(std::floor(float(double(maxExact) + double(lnRatio * float(nBuckets - maxExact)) /
                                           std::log(1.0 * maxDistance / maxExact))));
    return bucket + std::min(large, nBuckets - 1);
}

}  // namespace anatomy
