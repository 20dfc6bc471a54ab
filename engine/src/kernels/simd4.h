#pragma once
// Four floats as one SIMD value, for code built for x86-64's baseline (SSE2) that scans rows:
// the trace's statistics and the scalar table's top k.
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace anatomy::simd4 {

// Four floats as one SIMD value (GCC/Clang vector extensions: lane-wise, exact comparisons).
using F4 = float __attribute__((vector_size(16)));
using I4 = int32_t __attribute__((vector_size(16)));
inline F4 load4(const float* p) {
    F4 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
// Whether any lane of a comparison mask (all ones or zero per lane) is set: one movemask
// where SSE2 has it (extracting four lanes was most of an argmax scan).
inline bool anyLane(I4 m) {
#if defined(__SSE2__)
    __m128 v;
    std::memcpy(&v, &m, sizeof v);
    return _mm_movemask_ps(v) != 0;
#else
    return (m[0] | m[1] | m[2] | m[3]) != 0;
#endif
}
// Bit l set where lane l of a comparison mask is.
inline unsigned laneBits(I4 m) {
#if defined(__SSE2__)
    __m128 v;
    std::memcpy(&v, &m, sizeof v);
    return unsigned(_mm_movemask_ps(v));
#else
    return unsigned(m[0] & 1) | unsigned(m[1] & 1) << 1 | unsigned(m[2] & 1) << 2 | unsigned(m[3] & 1) << 3;
#endif
}

}  // namespace anatomy::simd4
