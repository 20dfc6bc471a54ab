#pragma once
// Measures this machine's single-core ceilings in-process, so benchmarks can report how close
// a kernel comes to them (a ratio against a baseline measured in the same run).

namespace anatomy {

struct MachinePeak {
    double fmaGflopsPerCore = 0;  // FP32 FMA throughput, widest ISA available (2 flops per FMA)
    double readGBsPerCore = 0;    // sequential read bandwidth from memory (256 MB buffer)
    const char* fmaIsa = "";      // "avx512", "avx2" or "scalar"
};

// Spends about `seconds` on each of the two measurements (best of several passes).
MachinePeak measureMachinePeak(double seconds = 0.3);

}  // namespace anatomy
