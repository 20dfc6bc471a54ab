// Single-core ceilings: FP32 FMA throughput and sequential read bandwidth, measured here and
// now so benchmark ratios hold on whatever machine runs them. The probes use GCC target
// attributes (not per-file flags) and are only called after the CPU check.
#include "anatomy/machine_probe.h"

#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

namespace anatomy {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// acc = acc * a + b on kChains independent chains: enough chains to cover FMA latency times
// the number of FMA pipes (4 cycles x 2 pipes on current cores), so throughput, not latency,
// is what is measured. a < 1 keeps the values bounded and away from denormals.
constexpr int kChains512 = 24;
constexpr int kChains256 = 12;

__attribute__((target("avx512f"))) float fmaBurnAvx512(long iters) {
    __m512 acc[kChains512];
    for (int k = 0; k < kChains512; ++k) acc[k] = _mm512_set1_ps(1.0f + 0.01f * k);
    const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-6f);
    for (long i = 0; i < iters; ++i) {
#pragma GCC unroll 24
        for (int k = 0; k < kChains512; ++k) acc[k] = _mm512_fmadd_ps(acc[k], a, b);
    }
    alignas(64) float lanes[16];
    __m512 s = acc[0];
    for (int k = 1; k < kChains512; ++k) s = _mm512_add_ps(s, acc[k]);
    _mm512_store_ps(lanes, s);
    return lanes[0];
}

__attribute__((target("avx2,fma"))) float fmaBurnAvx2(long iters) {
    __m256 acc[kChains256];
    for (int k = 0; k < kChains256; ++k) acc[k] = _mm256_set1_ps(1.0f + 0.01f * k);
    const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-6f);
    for (long i = 0; i < iters; ++i) {
#pragma GCC unroll 12
        for (int k = 0; k < kChains256; ++k) acc[k] = _mm256_fmadd_ps(acc[k], a, b);
    }
    alignas(32) float lanes[8];
    __m256 s = acc[0];
    for (int k = 1; k < kChains256; ++k) s = _mm256_add_ps(s, acc[k]);
    _mm256_store_ps(lanes, s);
    return lanes[0];
}

// Without FMA: a multiply and an add per "FMA", counted as two flops like the others.
float fmaBurnScalar(long iters) {
    float acc[8];
    for (int k = 0; k < 8; ++k) acc[k] = 1.0f + 0.01f * k;
    for (long i = 0; i < iters; ++i)
        for (int k = 0; k < 8; ++k) acc[k] = acc[k] * 0.999999f + 1e-6f;
    float s = 0;
    for (float v : acc) s += v;
    return s;
}

// Sums n floats with independent accumulators (reads only, one pass).
__attribute__((target("avx512f"))) float sumAvx512(const float* p, std::size_t n) {
    __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    for (std::size_t i = 0; i + 64 <= n; i += 64) {
        s0 = _mm512_add_ps(s0, _mm512_load_ps(p + i));
        s1 = _mm512_add_ps(s1, _mm512_load_ps(p + i + 16));
        s2 = _mm512_add_ps(s2, _mm512_load_ps(p + i + 32));
        s3 = _mm512_add_ps(s3, _mm512_load_ps(p + i + 48));
    }
    alignas(64) float lanes[16];
    _mm512_store_ps(lanes, _mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
    return lanes[0];
}

__attribute__((target("avx2"))) float sumAvx2(const float* p, std::size_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    for (std::size_t i = 0; i + 32 <= n; i += 32) {
        s0 = _mm256_add_ps(s0, _mm256_load_ps(p + i));
        s1 = _mm256_add_ps(s1, _mm256_load_ps(p + i + 8));
        s2 = _mm256_add_ps(s2, _mm256_load_ps(p + i + 16));
        s3 = _mm256_add_ps(s3, _mm256_load_ps(p + i + 24));
    }
    alignas(32) float lanes[8];
    _mm256_store_ps(lanes, _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    return lanes[0];
}

float sumScalar(const float* p, std::size_t n) {
    float s[8] = {};
    for (std::size_t i = 0; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; ++k) s[k] += p[i + k];
    return s[0] + s[1] + s[2] + s[3] + s[4] + s[5] + s[6] + s[7];
}

// Keeps results alive so the measured loops cannot be removed.
volatile float g_sink;

double measureFma(double seconds, const char*& isa) {
    float (*burn)(long) = fmaBurnScalar;
    int lanes = 1, chains = 8;
    isa = "scalar";
    if (__builtin_cpu_supports("avx512f")) {
        burn = fmaBurnAvx512, lanes = 16, chains = kChains512, isa = "avx512";
    } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        burn = fmaBurnAvx2, lanes = 8, chains = kChains256, isa = "avx2";
    }
    // Calibrate a pass to ~10 ms, then keep the best pass.
    long iters = 1 << 14;
    for (;;) {
        const auto t0 = Clock::now();
        g_sink = burn(iters);
        if (secondsSince(t0) > 0.01 || iters > (1L << 40)) break;
        iters *= 2;
    }
    double best = 0;
    const auto start = Clock::now();
    do {
        const auto t0 = Clock::now();
        g_sink = burn(iters);
        const double dt = secondsSince(t0);
        best = std::max(best, 2.0 * lanes * chains * double(iters) / dt * 1e-9);
    } while (secondsSince(start) < seconds);
    return best;
}

double measureRead(double seconds) {
    constexpr std::size_t kBytes = std::size_t(256) << 20;
    constexpr std::size_t n = kBytes / sizeof(float);
    std::unique_ptr<float[], void (*)(void*)> buf(
        static_cast<float*>(std::aligned_alloc(64, kBytes)), std::free);
    if (!buf) return 0;
    std::fill_n(buf.get(), n, 1.0f);  // touch every page before timing
    float (*sum)(const float*, std::size_t) = sumScalar;
    if (__builtin_cpu_supports("avx512f")) sum = sumAvx512;
    else if (__builtin_cpu_supports("avx2")) sum = sumAvx2;
    double best = 0;
    const auto start = Clock::now();
    int passes = 0;
    do {
        const auto t0 = Clock::now();
        g_sink = sum(buf.get(), n);
        best = std::max(best, double(kBytes) / secondsSince(t0) * 1e-9);
    } while (++passes < 3 || secondsSince(start) < seconds);
    return best;
}

}  // namespace

MachinePeak measureMachinePeak(double seconds) {
    MachinePeak peak;
    peak.fmaGflopsPerCore = measureFma(seconds, peak.fmaIsa);
    peak.readGBsPerCore = measureRead(seconds);
    return peak;
}

namespace {

// The value of "key : value" in the first processor's block ("" where absent).
std::string cpuinfoField(std::string_view text, std::string_view key) {
    size_t at = 0;
    while (at < text.size()) {
        size_t end = text.find('\n', at);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = text.substr(at, end - at);
        if (line.empty()) break;  // the first processor's block ends at its blank line
        const size_t colon = line.find(':');
        if (colon != std::string_view::npos) {
            std::string_view k = line.substr(0, colon);
            while (!k.empty() && (k.back() == ' ' || k.back() == '\t')) k.remove_suffix(1);
            if (k == key) {
                std::string_view v = line.substr(colon + 1);
                while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
                while (!v.empty() && (v.back() == ' ' || v.back() == '\r')) v.remove_suffix(1);
                return std::string(v);
            }
        }
        at = end + 1;
    }
    return {};
}

// AMD's core generation from family and model (public processor programming references).
const char* amdGeneration(long family, long model) {
    if (family == 23) return model >= 0x30 ? "Zen 2" : "Zen or Zen+";
    if (family == 25) {
        if ((model >= 0x10 && model <= 0x1f) || (model >= 0x60 && model <= 0x7f) || (model >= 0xa0 && model <= 0xaf))
            return "Zen 4";
        return "Zen 3";
    }
    if (family == 26) return "Zen 5";
    return nullptr;
}

}  // namespace

std::string describeCpu(std::string_view cpuinfo) {
    const std::string name = cpuinfoField(cpuinfo, "model name"), vendor = cpuinfoField(cpuinfo, "vendor_id");
    const std::string family = cpuinfoField(cpuinfo, "cpu family"), model = cpuinfoField(cpuinfo, "model");
    if (name.empty() && vendor.empty()) return "unknown CPU";
    std::string out = name.empty() ? vendor : name;
    if (family.empty() || model.empty()) return out;
    out += " (" + (vendor.empty() ? std::string() : vendor + ", ") + "family " + family + ", model " + model;
    char* endF = nullptr;
    char* endM = nullptr;
    const long f = std::strtol(family.c_str(), &endF, 10), m = std::strtol(model.c_str(), &endM, 10);
    if (vendor == "AuthenticAMD" && *endF == 0 && *endM == 0)
        if (const char* gen = amdGeneration(f, m)) out += std::string(": ") + gen;
    return out + ")";
}

std::string cpuDescription() {
    std::ifstream in("/proc/cpuinfo");
    if (!in) return "unknown CPU";
    std::ostringstream text;
    text << in.rdbuf();
    return describeCpu(text.str());
}

}  // namespace anatomy
