// train_rows.inl built with AVX2 + FMA (8 float lanes); reached only through
// trainRowKernelsAvx2(), which checks the CPU first.
#include "train/train_rows.h"

#include <cmath>

#include "kernels/fast_exp.h"

namespace anatomy::training::detail {
extern const TrainRowKernels kTrainRowsAvx2;
#define TRAIN_ROWS_NAME kTrainRowsAvx2
#define TRAIN_ROWS_LABEL "avx2"
#include "train/train_rows.inl"
}  // namespace anatomy::training::detail
