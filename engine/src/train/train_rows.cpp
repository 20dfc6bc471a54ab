// train_rows.inl built for baseline x86-64 (the reference twin), and the choice of table.
#include "train/train_rows.h"

#include <cmath>

#include "kernels/fast_exp.h"

#include <cstdlib>
#include <cstring>

namespace anatomy::training {
namespace detail {
extern const TrainRowKernels kTrainRowsAvx2;  // train_rows_avx2.cpp
namespace baseline {
extern const TrainRowKernels kTrainRowsBaseline;
#define TRAIN_ROWS_NAME kTrainRowsBaseline
#define TRAIN_ROWS_LABEL "baseline"
#include "train/train_rows.inl"
}  // namespace baseline
}  // namespace detail

const TrainRowKernels& trainRowKernelsBaseline() { return detail::baseline::kTrainRowsBaseline; }

const TrainRowKernels* trainRowKernelsAvx2() {
    static const bool ok = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return ok ? &detail::kTrainRowsAvx2 : nullptr;
}

const TrainRowKernels& trainRowKernels() {
    static const TrainRowKernels& chosen = [&]() -> const TrainRowKernels& {
        const char* env = std::getenv("ANATOMY_KERNELS");
        if ((env && std::strcmp(env, "scalar") == 0) || !trainRowKernelsAvx2()) return trainRowKernelsBaseline();
        return *trainRowKernelsAvx2();
    }();
    return chosen;
}

}  // namespace anatomy::training
