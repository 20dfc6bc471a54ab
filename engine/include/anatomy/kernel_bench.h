#pragma once
// Kernel benchmark (not a test): matvec and gemm throughput per instruction set and thread
// count, as ratios to this machine's single-core peaks measured in the same run
// (measureMachinePeak). Prints a table on stdout; `anatomy-cli bench --kernels` calls it.

namespace anatomy {

// Returns 0 (a process exit code).
int runKernelBench();

}  // namespace anatomy
