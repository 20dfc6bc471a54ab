// How the synth writers store a matrix that is not F32 (synth_storage.h).
#include "io/synth_storage.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "anatomy/error.h"
#include "kernels/q8_0.h"

namespace anatomy {

// v stored as t (ggml's reference conversions: ggml_fp32_to_fp16 rounds to nearest even;
// quantize_row_q8_0_ref: per 32 values d = max|x| / 127, q = roundf(x / d), d kept as f16).
std::vector<uint8_t> synthStoredAs(GgmlType t, const std::vector<float>& v) {
    auto putHalf = [](uint8_t* p, float x) {
        const uint16_t h = q8_0::floatToHalf(x);
        std::memcpy(p, &h, 2);
    };
    std::vector<uint8_t> out;
    if (t == GgmlType::F16) {
        out.resize(v.size() * 2);
        for (size_t i = 0; i < v.size(); ++i) putHalf(&out[2 * i], v[i]);
        return out;
    }
    if (t != GgmlType::Q8_0 || v.size() % 32) throw Error("synth: matrices are written as F32, F16 or Q8_0");
    out.resize(v.size() / 32 * 34);
    for (size_t b = 0; b < v.size() / 32; ++b) {
        const float* x = &v[b * 32];
        float amax = 0.0f;
        for (int j = 0; j < 32; ++j) amax = std::max(amax, std::fabs(x[j]));
        const float d = amax / 127.0f, id = d != 0.0f ? 1.0f / d : 0.0f;
        uint8_t* blk = &out[b * 34];
        putHalf(blk, d);
        for (int j = 0; j < 32; ++j) blk[2 + j] = uint8_t(int8_t(std::round(x[j] * id)));
    }
    return out;
}

}  // namespace anatomy
