#pragma once
// Kernel benchmark (not a test): matvec and gemm throughput per instruction set and thread
// count, as ratios to this machine's single-core peaks measured in the same run
// (measureMachinePeak). Prints a table on stdout; `anatomy-cli bench --kernels` calls it.

namespace anatomy {

// Returns 0 (a process exit code).
int runKernelBench();
// Each ggml weight type's matvec and matmul against float32 on the same shape, interleaved
// (`anatomy-cli bench --types`). Returns 0.
int runTypeBench();

}  // namespace anatomy
