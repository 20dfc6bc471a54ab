// Chooses the kernel table once, from what the CPU reports. This file is built for baseline
// x86-64: the checks must run before any AVX instruction can.
#include <cstdlib>
#include <cstring>

#include "anatomy/kernels.h"

namespace anatomy::kernels {
namespace detail {
// Defined in kernels_avx2.cpp / kernels_avx512.cpp (constant-initialised: no code runs).
extern const KernelTable kAvx2Table;
extern const KernelTable kAvx512Table;
extern const KernelTable kAvx512VnniTable;
}  // namespace detail

const KernelTable* avx2Kernels() {
    // The file is also built with -mf16c; every AVX2 CPU has F16C (and clang cannot query it).
    static const bool ok = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return ok ? &detail::kAvx2Table : nullptr;
}

const KernelTable* avx512Kernels() {
    // kernels_avx512.cpp is compiled with F, BW, VL and DQ: the compiler may use any of them.
    static const bool ok = avx2Kernels() != nullptr && __builtin_cpu_supports("avx512f") &&
                           __builtin_cpu_supports("avx512bw") &&
                           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
    return ok ? &detail::kAvx512Table : nullptr;
}

const KernelTable* avx512VnniKernels() {
    // kernels_kquant_avx512.cpp is compiled with VNNI as well (vpdpbusd); AMD Zen 4 and Intel
    // since Cascade Lake have it, Skylake-X does not.
    static const bool ok = avx512Kernels() != nullptr && __builtin_cpu_supports("avx512vnni");
    return ok ? &detail::kAvx512VnniTable : nullptr;
}

namespace {

// The best table not above the one requested: 0 = scalar, 1 = avx2, 2 = avx512,
// 3 = avx512vnni.
const KernelTable& bestUpTo(int level) {
    if (level >= 3 && avx512VnniKernels()) return *avx512VnniKernels();
    if (level >= 2 && avx512Kernels()) return *avx512Kernels();
    if (level >= 1 && avx2Kernels()) return *avx2Kernels();
    return scalarKernels();
}

const KernelTable& chooseKernels() {
    int level = 3;
    if (const char* env = std::getenv("ANATOMY_KERNELS")) {
        if (std::strcmp(env, "scalar") == 0) level = 0;
        else if (std::strcmp(env, "avx2") == 0) level = 1;
        else if (std::strcmp(env, "avx512") == 0) level = 2;
    }
    return bestUpTo(level);
}

}  // namespace

const KernelTable& activeKernels() {
    static const KernelTable& table = chooseKernels();
    return table;
}

}  // namespace anatomy::kernels
