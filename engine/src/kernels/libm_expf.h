#pragma once
// expf as glibc 2.27+ computes it on an FMA machine (__expf_fma, the one llama2.c's SiLU calls
// here): x N / ln 2 = k + r with N = 32, exp(x) = 2^(k/N) 2^(r/N), 2^(k/N) from a 32-entry table
// of doubles with k's high bits added to the exponent, 2^(r/N) by a cubic in r, all in double,
// rounded once to float. The SIMD tables' SwiGLU evaluates that in vectors of doubles, step for
// step (the fused steps where the library fuses them), so it gives libm's bits: the house
// reference logits, bit for bit from llama2.c, depend on every SiLU of the FFN. |x| >= 88, inf
// and NaN are the library's own special cases: the kernels call std::exp for those lanes.
#include <cstdint>

namespace anatomy::kernels::libm_expf {

// The constants of glibc's expf (its published cubic and scaled 1/ln 2): facts of the
// algorithm whose results the kernels reproduce, checked against std::exp by the tests.
constexpr double kInvLn2N = 0x1.71547652b82fep+0 * 32;
constexpr double kShift = 0x1.8p+52;
constexpr double kC0 = 0x1.c6af84b912394p-5 / 32 / 32 / 32;
constexpr double kC1 = 0x1.ebfce50fac4f3p-3 / 32 / 32;
constexpr double kC2 = 0x1.62e42ff0c52d6p-1 / 32;
// Lanes whose |x| bits reach this (|x| >= 88, inf, NaN) take std::exp.
constexpr uint32_t kSpecialAbsBits = 0x42b00000u;

// table()[i] = bits(2^(i/32)) - (i << 47), so that bits(table()[k % 32] + (k << 47)) = 2^(k/32).
// 32 entries, 64-byte aligned, computed once (2^(i/32) in long double, rounded to double).
const uint64_t* table();

}  // namespace anatomy::kernels::libm_expf
