#pragma once
// Measures this machine's single-core ceilings in-process, so benchmarks can report how close
// a kernel comes to them (a ratio against a baseline measured in the same run).

#include <string>
#include <string_view>

namespace anatomy {

struct MachinePeak {
    double fmaGflopsPerCore = 0;  // FP32 FMA throughput, widest ISA available (2 flops per FMA)
    double readGBsPerCore = 0;    // sequential read bandwidth from memory (256 MB buffer)
    const char* fmaIsa = "";      // "avx512", "avx2" or "scalar"
};

// Spends about `seconds` on each of the two measurements (best of several passes).
MachinePeak measureMachinePeak(double seconds = 0.3);

// "AMD EPYC (AuthenticAMD, family 25, model 17: Zen 4)": the model name with the vendor, family
// and model numbers from /proc/cpuinfo's first processor (a KVM guest's model name may say no
// more than "AMD EPYC", so two different generations read the same), and the AMD core
// generation where the family and model tell it. "unknown CPU" where the text has none.
std::string describeCpu(std::string_view cpuinfo);
// describeCpu of this machine's /proc/cpuinfo ("unknown CPU" where it cannot be read).
std::string cpuDescription();

}  // namespace anatomy
