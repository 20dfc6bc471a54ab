#include "attention/output_gate.h"

#include <cmath>

#include "anatomy/error.h"
#include "kernels/matmul.h"

namespace anatomy {

void applyOutputGate(OutputGate gate, const Matrix& wg, const float* h, float* att, float* scratch, int T,
                     int nHeads, int headSize) {
    if (gate == OutputGate::None) return;
    const int qDim = nHeads * headSize, width = gate == OutputGate::HeadWise ? nHeads : qDim;
    if (wg.rows != width) throw Error("attention gate: W_g has " + std::to_string(wg.rows) + " rows, expected " +
                                      std::to_string(width));
    ops::matmul(scratch, h, wg, T);  // [T, width] = W_g h
    const int per = qDim / width;    // headSize (head-wise) or 1 (element-wise)
    for (long i = 0; i < long(T) * width; ++i) scratch[i] = 1.0f / (1.0f + std::exp(-scratch[i]));
    for (int t = 0; t < T; ++t)
        for (int i = 0; i < qDim; ++i) att[size_t(t) * qDim + i] *= scratch[size_t(t) * width + i / per];
}

}  // namespace anatomy
