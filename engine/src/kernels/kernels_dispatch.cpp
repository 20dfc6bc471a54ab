// Chooses the kernel table once, from what the CPU reports. This file is built for baseline
// x86-64: the checks must run before any AVX instruction can.
#include <cpuid.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

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

int preferredAvx512MatvecRows(bool amd, int family) { return amd && family >= 26 ? 4 : 1; }
bool preferredMatvecPrefetch(bool amd, int /*family*/) { return !amd; }

int parseMatvecRows(const char* text) {
    if (text == nullptr) return 0;
    if (std::strcmp(text, "1") == 0) return 1;
    if (std::strcmp(text, "4") == 0) return 4;
    return 0;
}

int parseMatvecPrefetch(const char* text) {
    if (text == nullptr) return -1;
    if (std::strcmp(text, "0") == 0) return 0;
    if (std::strcmp(text, "1") == 0) return 1;
    return -1;
}

namespace {

// This CPU's vendor and family as cpuid gives them (family with its extended part).
bool cpuVendorFamily(bool& amd, int& family) {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return false;
    amd = b == 0x68747541 && d == 0x69746e65 && c == 0x444d4163;  // "AuthenticAMD"
    if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
    family = int((a >> 8) & 0xf);
    if (family == 0xf) family += int((a >> 20) & 0xff);
    return true;
}

std::atomic<int> matvecRowsSetting{0};       // 0: not chosen yet
std::atomic<int> matvecPrefetchSetting{-1};  // -1: not chosen yet, else 0 or 1

int chooseMatvecRows() {
    if (const char* env = std::getenv("ANATOMY_MATVEC_ROWS")) {
        if (const int rows = parseMatvecRows(env)) return rows;
        std::fprintf(stderr, "ANATOMY_MATVEC_ROWS=%s ignored: expected 1 or 4\n", env);
    }
    bool amd = false;
    int family = 0;
    return cpuVendorFamily(amd, family) ? preferredAvx512MatvecRows(amd, family) : 1;
}

int chooseMatvecPrefetch() {
    if (const char* env = std::getenv("ANATOMY_MATVEC_PREFETCH")) {
        const int on = parseMatvecPrefetch(env);
        if (on >= 0) return on;
        std::fprintf(stderr, "ANATOMY_MATVEC_PREFETCH=%s ignored: expected 0 or 1\n", env);
    }
    bool amd = false;
    int family = 0;
    return cpuVendorFamily(amd, family) && preferredMatvecPrefetch(amd, family) ? 1 : 0;
}

}  // namespace

int avx512MatvecRows() {
    int rows = matvecRowsSetting.load(std::memory_order_relaxed);
    if (rows == 0) {
        static const int chosen = chooseMatvecRows();  // once: one warning for a bad value
        int expected = 0;
        matvecRowsSetting.compare_exchange_strong(expected, chosen);
        rows = matvecRowsSetting.load(std::memory_order_relaxed);
    }
    return rows;
}

void setAvx512MatvecRows(int rows) {
    if (rows != 1 && rows != 4)
        throw std::invalid_argument("AVX-512 matvec rows must be 1 or 4, not " + std::to_string(rows));
    matvecRowsSetting.store(rows, std::memory_order_relaxed);
}

bool matvecPrefetch() {
    int on = matvecPrefetchSetting.load(std::memory_order_relaxed);
    if (on < 0) {
        static const int chosen = chooseMatvecPrefetch();  // once: one warning for a bad value
        int expected = -1;
        matvecPrefetchSetting.compare_exchange_strong(expected, chosen);
        on = matvecPrefetchSetting.load(std::memory_order_relaxed);
    }
    return on == 1;
}

void setMatvecPrefetch(bool on) { matvecPrefetchSetting.store(on ? 1 : 0, std::memory_order_relaxed); }

const KernelTable& activeKernels() {
    static const KernelTable& table = chooseKernels();
    return table;
}

}  // namespace anatomy::kernels
