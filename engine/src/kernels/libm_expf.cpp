#include "kernels/libm_expf.h"

#include <cmath>
#include <cstring>

namespace anatomy::kernels::libm_expf {

namespace {
struct Table {
    alignas(64) uint64_t entries[32];
    Table() {
        for (int i = 0; i < 32; ++i) {
            const double v = double(std::exp2l(static_cast<long double>(i) / 32.0L));
            uint64_t bits;
            std::memcpy(&bits, &v, sizeof bits);
            entries[i] = bits - (uint64_t(i) << 47);
        }
    }
};
}  // namespace

const uint64_t* table() {
    static const Table t;
    return t.entries;
}

}  // namespace anatomy::kernels::libm_expf
