// The body of train_rows.h's kernels, included by train_rows.cpp (baseline x86-64) and
// train_rows_avx2.cpp (AVX2 + FMA) inside their own namespace; TRAIN_ROWS_NAME names the table.
// Both are built with -fno-trapping-math: the fast exp's clamps are selects GCC only vectorises
// when it may assume float operations do not trap (the values are the same bits). The including
// file includes <cmath> and kernels/fast_exp.h first.

namespace {

// max of x[0, n), eight partial maxima (vectorisable).
inline float rowMax(const float* x, int n) {
    float m[8];
    for (float& v : m) v = -INFINITY;
    int i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; ++k) m[k] = x[i + k] > m[k] ? x[i + k] : m[k];
    float r = -INFINITY;
    for (; i < n; ++i) r = x[i] > r ? x[i] : r;
    for (float v : m) r = v > r ? v : r;
    return r;
}

void causalSoftmax(float* row, int n, int T, float sqrtD, float slope) {
    const int t = n - 1;
    for (int j = 0; j < n; ++j) row[j] = row[j] / sqrtD - slope * float(t - j);
    const float maxv = rowMax(row, n);
    float sum[8] = {};
    int j = 0;
    for (; j + 8 <= n; j += 8)
        for (int k = 0; k < 8; ++k) {
            row[j + k] = anatomy::fastExpf(row[j + k] - maxv);
            sum[k] += row[j + k];
        }
    float s = 0.0f;
    for (; j < n; ++j) {
        row[j] = anatomy::fastExpf(row[j] - maxv);
        s += row[j];
    }
    for (float v : sum) s += v;
    const float inv = 1.0f / s;
    for (j = 0; j < n; ++j) row[j] *= inv;
    for (j = n; j < T; ++j) row[j] = 0.0f;
}

void softmaxBackward(float* ds, const float* p, int n, int T, float invSqrtD) {
    float acc[8] = {};
    int j = 0;
    for (; j + 8 <= n; j += 8)
        for (int k = 0; k < 8; ++k) acc[k] += p[j + k] * ds[j + k];
    float dsum = 0.0f;
    for (; j < n; ++j) dsum += p[j] * ds[j];
    for (float v : acc) dsum += v;
    for (j = 0; j < n; ++j) ds[j] = p[j] * (ds[j] - dsum) * invSqrtD;
    for (j = n; j < T; ++j) ds[j] = 0.0f;
}

void swigluForward(float* G, const float* A, const float* B, long n) {
    for (long i = 0; i < n; ++i) G[i] = A[i] * (1.0f / (1.0f + anatomy::fastExpf(-A[i]))) * B[i];
}

void swigluBackward(float* dA, float* dB, const float* dG, const float* A, const float* B, long n) {
    for (long i = 0; i < n; ++i) {
        const float s = 1.0f / (1.0f + anatomy::fastExpf(-A[i]));
        dA[i] = dG[i] * B[i] * s * (1.0f + A[i] * (1.0f - s));
        dB[i] = dG[i] * A[i] * s;
    }
}

inline float tanhViaExp(float u) { return 1.0f - 2.0f / (anatomy::fastExpf(2.0f * u) + 1.0f); }

constexpr float kGeluK = 0.7978845608f;  // sqrt(2 / π)

void geluTanhForward(float* G, const float* A, long n) {
    for (long i = 0; i < n; ++i) {
        const float x = A[i];
        G[i] = 0.5f * x * (1.0f + tanhViaExp(kGeluK * (x + 0.044715f * x * x * x)));
    }
}

void geluTanhBackward(float* dA, const float* dG, const float* A, long n) {
    for (long i = 0; i < n; ++i) {
        const float x = A[i];
        const float th = tanhViaExp(kGeluK * (x + 0.044715f * x * x * x));
        dA[i] = dG[i] * (0.5f * (1.0f + th) + 0.5f * x * (1.0f - th * th) * kGeluK * (1.0f + 3.0f * 0.044715f * x * x));
    }
}

// Σ exp(z_i - maxv) in double, eight partial sums.
inline double expSum(const float* z, int n, float maxv) {
    double acc[8] = {};
    int i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; ++k) acc[k] += double(anatomy::fastExpf(z[i + k] - maxv));
    double s = 0.0;
    for (; i < n; ++i) s += double(anatomy::fastExpf(z[i] - maxv));
    for (double v : acc) s += v;
    return s;
}

double crossEntropyRow(const float* z, int y, int vocab) {
    const float maxv = rowMax(z, vocab);
    return std::log(expSum(z, vocab, maxv)) + maxv - double(z[y]);
}

double crossEntropyGradRow(float* z, int y, int vocab, float scale) {
    const float maxv = rowMax(z, vocab);
    const double zy = z[y];
    double acc[8] = {};
    int i = 0;
    for (; i + 8 <= vocab; i += 8)
        for (int k = 0; k < 8; ++k) {
            z[i + k] = anatomy::fastExpf(z[i + k] - maxv);
            acc[k] += double(z[i + k]);
        }
    double sum = 0.0;
    for (; i < vocab; ++i) {
        z[i] = anatomy::fastExpf(z[i] - maxv);
        sum += double(z[i]);
    }
    for (double v : acc) sum += v;
    const float norm = float(double(scale) / sum);
    for (i = 0; i < vocab; ++i) z[i] *= norm;
    z[y] -= scale;
    return std::log(sum) + maxv - zy;
}

}  // namespace

const anatomy::training::TrainRowKernels TRAIN_ROWS_NAME = {
    TRAIN_ROWS_LABEL, causalSoftmax, softmaxBackward, swigluForward, swigluBackward, geluTanhForward, geluTanhBackward,
    crossEntropyRow,
    crossEntropyGradRow,
};
