// Beam search (decoding.h has the rules). One step, with live beam h_1..h_n (n <= W, best first):
//     candidates = { (h_r, t) : r = 1..n, t in vocab },  cum(h_r, t) = cum(h_r) + lp(t | h_r)
//     keep the W best by cum; ties: lower t, then lower r
//     a kept (h_r, t) with t a stop token is finished:  score = cum / length^alpha
//     the other kept ones, in that order, are the next live beam
// until W have finished, none is live, or maxNewTokens tokens were generated.
#include <algorithm>
#include <cmath>

#include "anatomy/decoding.h"
#include "anatomy/error.h"
#include "anatomy/tokenizer.h"

namespace anatomy {

namespace {

struct Extension {
    double cumulative;
    int token;
    int rank;  // 0-based in the current live beam
};

// The search order: higher cumulative first, then the lower token id, then the higher-ranked
// hypothesis.
bool better(const Extension& a, const Extension& b) {
    if (a.cumulative != b.cumulative) return a.cumulative > b.cumulative;
    if (a.token != b.token) return a.token < b.token;
    return a.rank < b.rank;
}

struct Live {
    std::vector<int> ids;
    double cumulative = 0.0;
    int node = -1;
};

// The best W by score of the finished and (at the end) the live, rank 1 first. Finished ones
// come first in the candidate list, so a stable sort gives them the tie.
std::vector<BeamHypothesis> rank(std::vector<BeamHypothesis> pool, int width) {
    std::stable_sort(pool.begin(), pool.end(),
                     [](const BeamHypothesis& a, const BeamHypothesis& b) { return a.score > b.score; });
    if (pool.size() > size_t(width)) pool.resize(size_t(width));
    return pool;
}

}  // namespace

double lengthPenalized(double sumLogprob, int length, double alpha) {
    if (length <= 0) return 0.0;
    return sumLogprob / std::pow(double(length), alpha);
}

std::vector<std::vector<double>> FunctionLogProbs::next(std::span<const BeamLink> beam,
                                                        std::span<const std::vector<int>> generated,
                                                        std::stop_token stop) {
    if (stop.stop_requested()) throw Cancelled();
    std::vector<std::vector<double>> out;
    out.reserve(beam.size());
    for (size_t i = 0; i < beam.size(); ++i) {
        out.push_back(m_f(generated[i]));
        if (out.back().size() != size_t(m_vocab))
            throw Error("log-prob source: " + std::to_string(out.back().size()) +
                        " values for a vocabulary of " + std::to_string(m_vocab));
    }
    return out;
}

BeamResult beamSearch(LogProbSource& source, const BeamOptions& o, const BeamStepCallback& onStep,
                      std::stop_token stop) {
    if (o.width < 1) throw Error("beam search: width must be >= 1, got " + std::to_string(o.width));
    if (o.maxNewTokens < 1)
        throw Error("beam search: max new tokens must be >= 1, got " + std::to_string(o.maxNewTokens));
    if (!std::isfinite(o.lengthPenalty))
        throw Error("beam search: the length penalty must be a finite number");
    const int V = source.vocabSize();
    const int W = o.width;
    auto isStop = [&](int t) { return std::find(o.stopTokens.begin(), o.stopTokens.end(), t) != o.stopTokens.end(); };

    BeamResult r;
    std::vector<BeamHypothesis> finished;  // in the order they finished
    std::vector<Live> live(1);             // the prompt alone
    std::vector<BeamLink> links{BeamLink{-1, -1}};
    std::vector<Extension> ext;            // the best extensions of a step, best first
    const size_t want = size_t(W) + size_t(std::max(0, o.recordPruned));

    auto rankLive = [&]() {  // the live ones as hypotheses, scored without a stop token
        std::vector<BeamHypothesis> pool = finished;
        for (const Live& h : live)
            pool.push_back({h.ids, h.cumulative, lengthPenalized(h.cumulative, int(h.ids.size()), o.lengthPenalty),
                            false, h.node});
        return pool;
    };

    bool keepGoing = true;
    while (keepGoing) {
        std::vector<std::vector<int>> generated;
        generated.reserve(live.size());
        for (const Live& h : live) generated.push_back(h.ids);
        const std::vector<std::vector<double>> lp = source.next(links, generated, stop);
        if (lp.size() != live.size()) throw Error("beam search: the source returned the wrong number of rows");

        // 1. Every extension of every live hypothesis; the W best (and the recorded pruned),
        // kept sorted as they are met: `better` is a strict total order (no two extensions have
        // the same token and parent), so these are exactly the first n of the fully sorted list.
        ext.clear();
        const size_t n = std::min(want, live.size() * size_t(V));
        for (size_t h = 0; h < live.size(); ++h) {
            const double base = live[h].cumulative;
            const double* row = lp[h].data();
            int t = 0;
            for (; t < V && ext.size() < n; ++t) {  // until the list is full
                const Extension e{base + row[t], t, int(h)};
                ext.insert(std::upper_bound(ext.begin(), ext.end(), e, better), e);
            }
            // Then an extension strictly below the worst kept one cannot enter (one add and one
            // compare for almost every token); a tie or better goes through the full order.
            double worst = ext.empty() ? 0.0 : ext.back().cumulative;
            for (; t < V; ++t) {
                const double c = base + row[t];
                if (c < worst) continue;
                const Extension e{c, t, int(h)};
                if (!better(e, ext.back())) continue;
                ext.pop_back();
                ext.insert(std::upper_bound(ext.begin(), ext.end(), e, better), e);
                worst = ext.back().cumulative;
            }
        }
        ++r.steps;

        // 2. Kept extensions finish (stop token) or go on; the next few are recorded as pruned.
        std::vector<Live> nextLive;
        links.clear();
        r.live.clear();
        for (size_t k = 0; k < n; ++k) {
            const Extension& e = ext[k];
            const Live& parent = live[size_t(e.rank)];
            BeamNode node;
            node.step = r.steps;
            node.parent = parent.node;
            node.token = e.token;
            node.logprob = lp[size_t(e.rank)][size_t(e.token)];
            node.cumulative = e.cumulative;
            node.rank = int(k) + 1;
            const int length = int(parent.ids.size()) + 1;
            node.score = lengthPenalized(e.cumulative, length, o.lengthPenalty);
            if (k >= size_t(W) || !std::isfinite(e.cumulative)) {
                node.state = BeamNodeState::Pruned;
                if (k < size_t(W)) continue;  // -inf: impossible, not a hypothesis
                r.nodes.push_back(node);
                continue;
            }
            Live child{parent.ids, e.cumulative, int(r.nodes.size())};
            child.ids.push_back(e.token);
            if (isStop(e.token)) {
                node.state = BeamNodeState::Finished;
                finished.push_back({child.ids, e.cumulative, node.score, true, child.node});
            } else {
                node.state = BeamNodeState::Live;
                links.push_back({e.rank, e.token});
                r.live.push_back(child.node);
                nextLive.push_back(std::move(child));
            }
            r.nodes.push_back(node);
        }
        live = std::move(nextLive);

        // 3. Stop rules: W finished, none live, or the length limit (then the live count too).
        const bool atLimit = r.steps >= o.maxNewTokens;
        if (int(finished.size()) >= W || live.empty()) {
            r.ranked = rank(finished, W);
            r.done = true;
        } else if (atLimit) {
            r.ranked = rank(rankLive(), W);
            r.done = true;
        }
        if (onStep && !onStep(r) && !r.done) {
            r.ranked = rank(rankLive(), W);
            r.done = true;
        }
        keepGoing = !r.done;
    }
    return r;
}

std::vector<int> stopTokensOf(const Tokenizer& tokenizer) {
    std::vector<int> ids{tokenizer.bosId()};
    if (tokenizer.eosId() != tokenizer.bosId()) ids.push_back(tokenizer.eosId());
    return ids;
}

std::string generatedText(const Tokenizer& tokenizer, int lastPromptToken, std::span<const int> ids) {
    std::string text;
    int prev = lastPromptToken;
    for (int id : ids) {
        if (id == tokenizer.bosId() || id == tokenizer.eosId()) break;
        text += tokenizer.decode(prev, id);
        prev = id;
    }
    return text;
}

}  // namespace anatomy
