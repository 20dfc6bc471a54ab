#include "plot/attention_steps.h"

#include <QtGlobal>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>

#include "views/trace_view.h"

namespace anatomy::widgets {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double dot(const float* a, const float* b, int n) {
    double s = 0.0;
    for (int i = 0; i < n; ++i) s += double(a[i]) * b[i];
    return s;
}

// p = softmax(x) over the finite entries (the others get 0).
std::vector<double> softmaxOf(const std::vector<double>& x) {
    double m = -kInf;
    for (double v : x) m = std::max(m, v);
    std::vector<double> p(x.size(), 0.0);
    if (!std::isfinite(m)) return p;
    double sum = 0.0;
    for (size_t i = 0; i < x.size(); ++i) sum += p[i] = std::isfinite(x[i]) ? std::exp(x[i] - m) : 0.0;
    for (double& v : p) v /= sum;
    return p;
}

// Streaming mean and variance (Welford), so a long trace's millions of pairs stay exact.
struct Moments {
    int64_t n = 0;
    double mean = 0.0, m2 = 0.0;
    void add(double x) {
        ++n;
        const double d = x - mean;
        mean += d / double(n);
        m2 += d * (x - mean);
    }
    double variance() const { return n > 1 ? m2 / double(n - 1) : 0.0; }
};

// SplitMix64 and Box–Muller: the same standard normals on every platform (std::normal_distribution
// is not specified bit for bit).
class Normal {
public:
    explicit Normal(uint64_t seed) : m_state(seed) {}
    double next() {
        if (m_hasSpare) {
            m_hasSpare = false;
            return m_spare;
        }
        const double u1 = (double(bits() >> 11) + 0.5) * 0x1.0p-53, u2 = double(bits() >> 11) * 0x1.0p-53;
        const double r = std::sqrt(-2.0 * std::log(u1)), a = 2.0 * 3.14159265358979323846 * u2;
        m_spare = r * std::sin(a);
        m_hasSpare = true;
        return r * std::cos(a);
    }

private:
    uint64_t bits() {
        uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    uint64_t m_state;
    double m_spare = 0.0;
    bool m_hasSpare = false;
};

}  // namespace

double entropyBitsOf(const std::vector<double>& p) {
    double h = 0.0;
    for (double v : p)
        if (v > 0.0) h -= v * std::log2(v);
    return h;
}

std::vector<float> AttentionSteps::keyVector(const anatomy::Trace& t, int j) const {
    if (!valid || layer >= int(t.layers.size())) return {};
    const anatomy::FloatArray& k = t.layers[size_t(layer)].k;  // [nKvHeads, nKv, hs]
    if (k.shape.size() != 3 || j < 0 || j >= k.dim(1)) return {};
    const float* p = k.data.data() + (size_t(kvHead) * size_t(k.dim(1)) + size_t(j)) * size_t(headSize);
    return {p, p + headSize};
}

std::vector<float> AttentionSteps::valueVector(const anatomy::Trace& t, int j) const {
    if (!valid || layer >= int(t.layers.size())) return {};
    const anatomy::FloatArray& v = t.layers[size_t(layer)].v;  // [nKvHeads, nKv, hs]
    if (v.shape.size() != 3 || j < 0 || j >= v.dim(1)) return {};
    const float* p = v.data.data() + (size_t(kvHead) * size_t(v.dim(1)) + size_t(j)) * size_t(headSize);
    return {p, p + headSize};
}

AttentionSteps attentionSteps(const anatomy::Trace& t, const Selection& selIn) {
    AttentionSteps s;
    if (t.layers.empty() || t.nQ <= 0) {
        s.message = QT_TRANSLATE_NOOP("anatomy::widgets::AttentionStepsView", "No trace yet: run the model on some text.");
        return s;
    }
    const int nLayers = int(t.layers.size());
    const int nHeads = t.config.nHeads, nKvHeads = std::max(1, t.config.nKvHeads);
    s.layer = std::clamp(selIn.layer, 0, nLayers - 1);
    s.head = std::clamp(selIn.head, 0, std::max(0, nHeads - 1));
    s.row = selIn.position < 0 || selIn.position >= t.nQ ? t.nQ - 1 : selIn.position;
    s.queryPos = t.firstQueryPos + s.row;
    s.headSize = t.config.headSize();
    s.kvHead = s.head / std::max(1, nHeads / nKvHeads);  // GQA: heads share KV heads in groups
    const anatomy::LayerTrace& lt = t.layers[size_t(s.layer)];
    const int hs = s.headSize, nKv = t.nKv, nQ = t.nQ;
    if (lt.q.shape.size() != 3 || lt.k.shape.size() != 3 || lt.v.shape.size() != 3 || lt.q.dim(2) != hs ||
        lt.k.dim(1) != nKv || lt.v.dim(1) != nKv || lt.q.dim(0) != nHeads || lt.k.dim(0) != nKvHeads) {
        s.message = t.config.mlaRank > 0
                        ? QT_TRANSLATE_NOOP("anatomy::widgets::AttentionStepsView",
                                            "This model uses MLA: its keys and values are expanded from the cached latent inside "
                                            "attention and never stored, so there are no q, k and v to show (the attention view shows p).")
                    : t.spec.qk && !t.spec.keepsWhole(s.layer)
                        // A large model's trace keeps the selected layer's; this one's is on its way.
                        ? QT_TRANSLATE_NOOP("anatomy::widgets::AttentionStepsView",
                                            "Tracing this layer's q, k and v… (this model's trace keeps them for the selected layer only)")
                        : QT_TRANSLATE_NOOP("anatomy::widgets::AttentionStepsView",
                                            "This trace kept no q, k and v (they are recorded while this view is shown).");
        return s;
    }
    if (lt.attnProbs.shape.size() != 3 || lt.attnScores.shape.size() != 3) {
        s.message = QT_TRANSLATE_NOOP("anatomy::widgets::AttentionStepsView", "This trace kept no attention probabilities.");
        return s;
    }
    s.valid = true;
    s.sqrtDk = std::sqrt(double(hs));
    if (size_t(s.layer) < t.architecture.layers.size()) {
        const anatomy::AttentionSpec& a = t.architecture.layers[size_t(s.layer)].attention;
        s.multiplier = double(a.scale) * double(a.temperature);
        s.alibi = a.alibi;
        s.softmaxKernel = a.kernel == anatomy::AttentionKernel::Softmax;
    }

    const float* qRow = lt.q.data.data() + (size_t(s.head) * nQ + size_t(s.row)) * hs;
    s.q.assign(qRow, qRow + hs);
    const float* kHead = lt.k.data.data() + size_t(s.kvHead) * nKv * hs;
    const float* vHead = lt.v.data.data() + size_t(s.kvHead) * nKv * hs;
    const size_t rowOff = (size_t(s.head) * nQ + size_t(s.row)) * nKv;
    const float* scores = lt.attnScores.data.data() + rowOff;
    const float* probs = lt.attnProbs.data.data() + rowOff;

    // Steps 1–3 per key, with the trace's mask.
    const anatomy::SimSettings ran = anatomy::visibilitySettings(t, s.layer);
    s.keys.resize(size_t(nKv));
    std::vector<double> sc(size_t(nKv), -kInf), unscaled(size_t(nKv), -kInf);
    for (int j = 0; j < nKv; ++j) {
        AttentionStepKey& k = s.keys[size_t(j)];
        k.position = j;
        k.reason = anatomy::attentionMaskReason(ran, nHeads, s.head, s.queryPos, j, nKv);
        k.visible = k.reason == anatomy::MaskReason::Visible;
        k.dot = dot(qRow, kHead + size_t(j) * hs, hs);
        k.scaled = k.dot / s.sqrtDk;
        k.traceProb = probs[j];
        k.score = k.visible ? (s.softmaxKernel ? double(scores[j]) : s.multiplier * k.scaled) : -kInf;
        if (!k.visible) continue;
        ++s.nVisible;
        sc[size_t(j)] = k.score;
        // Without the division: the same score with q·k in place of q·k/√d_k (any bias kept).
        unscaled[size_t(j)] = k.score + s.multiplier * (k.dot - k.scaled);
        s.maxScoreGap = std::max(s.maxScoreGap, std::abs(k.score - s.multiplier * k.scaled));
    }

    // Step 4: softmax, recomputed from the trace's scores.
    s.maxScore = -kInf;
    for (double v : sc) s.maxScore = std::max(s.maxScore, v);
    const std::vector<double> p = softmaxOf(sc);
    s.sumExp = 0.0;
    for (int j = 0; j < nKv; ++j) {
        AttentionStepKey& k = s.keys[size_t(j)];
        k.expShifted = k.visible && std::isfinite(s.maxScore) ? std::exp(k.score - s.maxScore) : 0.0;
        s.sumExp += k.expShifted;
        // Linear attention has no softmax: its weights are the trace's, φ(q)·φ(k_j) / Σ.
        k.prob = s.softmaxKernel ? p[size_t(j)] : k.traceProb;
        if (k.visible) s.maxProbGap = std::max(s.maxProbGap, std::abs(k.prob - k.traceProb));
        if (s.topKey < 0 || k.traceProb > s.keys[size_t(s.topKey)].traceProb) s.topKey = j;
    }
    std::vector<double> traceP(static_cast<size_t>(nKv));
    for (int j = 0; j < nKv; ++j) traceP[size_t(j)] = s.keys[size_t(j)].traceProb;
    s.entropyBits = entropyBitsOf(traceP);
    s.topProb = s.topKey >= 0 ? traceP[size_t(s.topKey)] : 0.0;
    const std::vector<double> pu = softmaxOf(unscaled);
    s.entropyUnscaledBits = entropyBitsOf(pu);
    s.topProbUnscaled = pu.empty() ? 0.0 : *std::max_element(pu.begin(), pu.end());

    // Step 5: o = Σ_j p_j v_j with the trace's probabilities (what the model passed on).
    s.out.assign(size_t(hs), 0.0f);
    std::vector<double> o(size_t(hs), 0.0);
    for (int j = 0; j < nKv; ++j) {
        const double pj = s.keys[size_t(j)].traceProb;
        if (pj == 0.0) continue;
        for (int x = 0; x < hs; ++x) o[size_t(x)] += pj * vHead[size_t(j) * hs + size_t(x)];
    }
    for (int x = 0; x < hs; ++x) s.out[size_t(x)] = float(o[size_t(x)]);

    // The head's q·k over all its query rows and the keys each saw.
    Moments md, mu;
    for (int r = 0; r < nQ; ++r) {
        const float* qr = lt.q.data.data() + (size_t(s.head) * nQ + size_t(r)) * hs;
        for (int j = 0; j < nKv; ++j) {
            if (!anatomy::attentionKeyVisible(ran, nHeads, s.head, t.firstQueryPos + r, j, nKv)) continue;
            const double d = dot(qr, kHead + size_t(j) * hs, hs);
            md.add(d);
            mu.add(d / s.sqrtDk);
        }
    }
    s.headVarDot = md.variance();
    s.headVarScaled = mu.variance();
    s.headPairs = md.n;
    return s;
}

namespace {

// Var(q·k) and Var(q·k/√d_k) for random q, k ~ N(0, I): the same for every query, so it is
// computed once per seed (about 2·10⁶ normals) and kept.
struct VarianceDemo {
    std::vector<int> dk;
    std::vector<double> varDot, varScaled;
};

VarianceDemo varianceDemo(uint64_t seed) {
    VarianceDemo v;
    Normal rng(seed);
    constexpr int kPairs = 2000;
    for (int dk = 1; dk <= 256; dk *= 2) {
        Moments md, mu;
        std::vector<double> q(static_cast<size_t>(dk)), k(static_cast<size_t>(dk));
        for (int i = 0; i < kPairs; ++i) {
            for (auto& x : q) x = rng.next();
            for (auto& x : k) x = rng.next();
            double s = 0.0;
            for (int x = 0; x < dk; ++x) s += q[size_t(x)] * k[size_t(x)];
            md.add(s);
            mu.add(s / std::sqrt(double(dk)));
        }
        v.dk.push_back(dk);
        v.varDot.push_back(md.variance());
        v.varScaled.push_back(mu.variance());
    }
    return v;
}

const VarianceDemo& cachedVarianceDemo(uint64_t seed) {
    // Views live on the GUI thread; the mutex keeps tests and any other caller safe.
    static std::mutex mutex;
    static std::map<uint64_t, VarianceDemo> cache;
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(seed);
    if (it == cache.end()) it = cache.emplace(seed, varianceDemo(seed)).first;
    return it->second;
}

}  // namespace

ScalingDemo scalingDemo(int nKeys, uint64_t seed) {
    ScalingDemo d;
    d.nKeys = std::max(2, nKeys);
    d.maxEntropyBits = std::log2(double(d.nKeys));
    const VarianceDemo& v = cachedVarianceDemo(seed);
    d.dk = v.dk;
    d.varDot = v.varDot;
    d.varScaled = v.varScaled;
    // Entropy of softmax over nKeys keys for one random query: given q, each q·k_j with
    // k_j ~ N(0, I) is exactly N(0, |q|²), so s_j = |q|·z_j draws the same scores with one normal
    // per key instead of d_k (the view recomputes this whenever the query position changes).
    Normal rng(seed ^ 0x5ca1ab1e5ca1ab1eULL);
    const int trials = std::clamp(4000 / d.nKeys, 8, 64);
    std::vector<double> raw(static_cast<size_t>(d.nKeys)), scaled(static_cast<size_t>(d.nKeys));
    for (int dk : d.dk) {
        double hScaled = 0.0, hRaw = 0.0;
        for (int tr = 0; tr < trials; ++tr) {
            double q2 = 0.0;
            for (int x = 0; x < dk; ++x) {
                const double g = rng.next();
                q2 += g * g;
            }
            const double qNorm = std::sqrt(q2);
            for (int j = 0; j < d.nKeys; ++j) {
                raw[size_t(j)] = qNorm * rng.next();
                scaled[size_t(j)] = raw[size_t(j)] / std::sqrt(double(dk));
            }
            hRaw += entropyBitsOf(softmaxOf(raw));
            hScaled += entropyBitsOf(softmaxOf(scaled));
        }
        d.entropyBits.push_back(hScaled / trials);
        d.entropyUnscaledBits.push_back(hRaw / trials);
    }
    return d;
}

}  // namespace anatomy::widgets
