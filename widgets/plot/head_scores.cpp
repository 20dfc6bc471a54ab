#include "plot/head_scores.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace anatomy::widgets {

const std::vector<float>& HeadScores::of(HeadMetric m) const {
    switch (m) {
        case HeadMetric::FirstToken: return firstToken;
        case HeadMetric::Entropy: return entropyBits;
        case HeadMetric::PreviousToken: return previousToken;
        case HeadMetric::Induction: return induction;
    }
    return firstToken;
}

int tracedHeads(const anatomy::Trace& t) {
    if (t.attnEntropy.shape.size() == 3) return static_cast<int>(t.attnEntropy.dim(1));
    for (const anatomy::LayerTrace& lt : t.layers)
        if (lt.attnProbs.shape.size() == 3) return static_cast<int>(lt.attnProbs.dim(0));
    return 0;
}

HeadScores headScores(const anatomy::Trace& t) {
    HeadScores s;
    s.nLayers = static_cast<int>(t.layers.size());
    s.nHeads = tracedHeads(t);
    if (s.nLayers == 0 || s.nHeads == 0) return s;
    const size_t n = static_cast<size_t>(s.nLayers) * s.nHeads;
    s.firstToken.assign(n, 0.0f);
    s.entropyBits.assign(n, 0.0f);
    s.previousToken.assign(n, 0.0f);
    const std::vector<int64_t> rowsShape{s.nLayers, s.nHeads, static_cast<int64_t>(t.nQ)};
    // The trace's own row entropies (nats) when it has them: one read per row instead of a log
    // per key; its first-key and previous-key mass likewise.
    const bool haveEntropy = t.attnEntropy.shape == rowsShape;
    const bool haveKeys = t.attnFirstKey.shape == rowsShape && t.attnPrevKey.shape == rowsShape;
    for (int l = 0; l < s.nLayers; ++l) {
        const anatomy::FloatArray& p = t.layers[static_cast<size_t>(l)].attnProbs;  // [nHeads, nQ, nKv]
        const bool whole = p.shape.size() == 3;
        if (!whole && !(haveKeys && haveEntropy)) continue;
        const int nQ = whole ? static_cast<int>(p.dim(1)) : t.nQ, nKv = whole ? static_cast<int>(p.dim(2)) : t.nKv;
        for (int h = 0; h < s.nHeads; ++h) {
            double m0 = 0, hb = 0, prev = 0;
            int rows = 0;
            const size_t row0 = (static_cast<size_t>(l) * s.nHeads + h) * nQ;
            for (int q = 0; q < nQ; ++q) {
                const int i = t.firstQueryPos + q;  // absolute query position
                if (i < 1) continue;                // position 0 can only read itself
                const float* r = whole ? p.data.data() + (static_cast<size_t>(h) * nQ + q) * nKv : nullptr;
                m0 += haveKeys ? t.attnFirstKey.data[row0 + q] : r[0];
                prev += haveKeys ? t.attnPrevKey.data[row0 + q] : r[i - 1];
                if (haveEntropy)
                    hb += t.attnEntropy.data[row0 + q] / std::log(2.0);
                else
                    for (int k = 0; k < nKv; ++k)
                        if (r[k] > 0.0f) hb -= r[k] * std::log2(static_cast<double>(r[k]));
                ++rows;
            }
            const size_t at = static_cast<size_t>(l) * s.nHeads + h;
            if (rows > 0) {
                s.firstToken[at] = static_cast<float>(m0 / rows);
                s.entropyBits[at] = static_cast<float>(hb / rows);
                s.previousToken[at] = static_cast<float>(prev / rows);
            }
        }
    }
    return s;
}

std::vector<float> inductionScores(const anatomy::Trace& t, int n) {
    const int nLayers = static_cast<int>(t.layers.size());
    const int nHeads = tracedHeads(t);
    if (nLayers == 0 || n < 1 || nHeads == 0) return {};
    std::vector<float> out(static_cast<size_t>(nLayers) * nHeads, 0.0f);
    for (int l = 0; l < nLayers; ++l) {
        const anatomy::FloatArray& p = t.layers[static_cast<size_t>(l)].attnProbs;
        if (p.shape.size() != 3) continue;  // the induction trace keeps every layer whole
        const int nQ = static_cast<int>(p.dim(1)), nKv = static_cast<int>(p.dim(2));
        for (int h = 0; h < nHeads; ++h) {
            double sum = 0;
            int count = 0;
            // The second copy: positions n+1 .. 2n; the earlier occurrence of position i's token
            // is at i - n, and the token after it at i - n + 1.
            for (int i = n + 1; i <= 2 * n; ++i) {
                const int q = i - t.firstQueryPos;
                if (q < 0 || q >= nQ || i - n + 1 >= nKv) continue;
                sum += p.at({h, q, i - n + 1});
                ++count;
            }
            out[static_cast<size_t>(l) * nHeads + h] = count ? static_cast<float>(sum / count) : 0.0f;
        }
    }
    return out;
}

std::vector<int> inductionTokens(int bosId, int vocabSize, int n, uint64_t seed, int firstId) {
    std::mt19937_64 rng(seed);
    const int lo = std::clamp(firstId, 0, std::max(0, vocabSize - 1));
    std::uniform_int_distribution<int> pick(lo, std::max(lo, vocabSize - 1));
    std::vector<int> r(static_cast<size_t>(std::max(0, n)));
    for (int& id : r) id = pick(rng);
    std::vector<int> ids{bosId};
    ids.insert(ids.end(), r.begin(), r.end());
    ids.insert(ids.end(), r.begin(), r.end());
    return ids;
}

}  // namespace anatomy::widgets
