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

// The search order: higher cumulative first, then the lower token id, then the higher-ranked
// hypothesis.
bool better(const BeamSearch::Extension& a, const BeamSearch::Extension& b) {
    if (a.cumulative != b.cumulative) return a.cumulative > b.cumulative;
    if (a.token != b.token) return a.token < b.token;
    return a.rank < b.rank;
}

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

BeamSearch::BeamSearch(LogProbSource& source, BeamOptions options) : m_source(source), m_o(std::move(options)) {
    if (m_o.width < 1) throw Error("beam search: width must be >= 1, got " + std::to_string(m_o.width));
    if (m_o.maxNewTokens < 1)
        throw Error("beam search: max new tokens must be >= 1, got " + std::to_string(m_o.maxNewTokens));
    if (!std::isfinite(m_o.lengthPenalty)) throw Error("beam search: the length penalty must be a finite number");
    m_live.resize(1);  // the prompt alone
    m_links = {BeamLink{-1, -1}};
}

BeamSearch::~BeamSearch() = default;

bool BeamSearch::isStop(int t) const {
    return std::find(m_o.stopTokens.begin(), m_o.stopTokens.end(), t) != m_o.stopTokens.end();
}

std::vector<BeamHypothesis> BeamSearch::finishedAndLive() const {  // the live ones scored without a stop token
    std::vector<BeamHypothesis> pool = m_finished;
    for (const Live& h : m_live)
        pool.push_back({h.ids, h.cumulative, lengthPenalized(h.cumulative, int(h.ids.size()), m_o.lengthPenalty),
                        false, h.node});
    return pool;
}

void BeamSearch::finish() {
    if (m_r.done) return;
    m_r.ranked = rank(finishedAndLive(), m_o.width);
    m_r.done = true;
}

void BeamSearch::selectBest(const std::vector<std::vector<double>>& lp, size_t n) {
    // Every extension of every live hypothesis; the n best kept sorted as they are met: `better`
    // is a strict total order (no two extensions have the same token and parent), so these are
    // exactly the first n of the fully sorted list.
    const int V = m_source.vocabSize();
    m_ext.clear();
    for (size_t h = 0; h < m_live.size(); ++h) {
        const double base = m_live[h].cumulative;
        const double* row = lp[h].data();
        int t = 0;
        for (; t < V && m_ext.size() < n; ++t) {  // until the list is full
            const Extension e{base + row[t], t, int(h)};
            m_ext.insert(std::upper_bound(m_ext.begin(), m_ext.end(), e, better), e);
        }
        // Then an extension strictly below the worst kept one cannot enter: eight tokens are
        // tested with one branch (almost every block fails); a block with a tie or better goes
        // through the full order token by token.
        double worst = m_ext.empty() ? 0.0 : m_ext.back().cumulative;
        auto offer = [&](int token) {
            const double c = base + row[token];
            if (c < worst) return;
            const Extension e{c, token, int(h)};
            if (!better(e, m_ext.back())) return;
            m_ext.pop_back();
            m_ext.insert(std::upper_bound(m_ext.begin(), m_ext.end(), e, better), e);
            worst = m_ext.back().cumulative;
        };
        for (; t + 8 <= V; t += 8) {
            bool any = false;
            for (int b = 0; b < 8; ++b) any |= base + row[t + b] >= worst;
            if (!any) continue;
            for (int b = 0; b < 8; ++b) offer(t + b);
        }
        for (; t < V; ++t) offer(t);
    }
}

bool BeamSearch::step(std::stop_token stop) {
    if (m_r.done) return false;
    const int W = m_o.width;
    const size_t want = size_t(W) + size_t(std::max(0, m_o.recordPruned));
    m_generated.resize(m_live.size());
    for (size_t i = 0; i < m_live.size(); ++i) m_generated[i].assign(m_live[i].ids.begin(), m_live[i].ids.end());
    // The source first: a Cancelled from it leaves this search as it was.
    const std::vector<std::vector<double>> lp = m_source.next(m_links, m_generated, stop);
    if (lp.size() != m_live.size()) throw Error("beam search: the source returned the wrong number of rows");

    // 1. The W best extensions (and the recorded pruned), best first.
    const size_t n = std::min(want, m_live.size() * size_t(m_source.vocabSize()));
    selectBest(lp, n);
    ++m_r.steps;

    // 2. Kept extensions finish (stop token) or go on; the next few are recorded as pruned.
    std::vector<Live> nextLive;
    m_links.clear();
    m_r.live.clear();
    for (size_t k = 0; k < n; ++k) {
        const Extension& e = m_ext[k];
        const Live& parent = m_live[size_t(e.rank)];
        BeamNode node;
        node.step = m_r.steps;
        node.parent = parent.node;
        node.token = e.token;
        node.logprob = lp[size_t(e.rank)][size_t(e.token)];
        node.cumulative = e.cumulative;
        node.rank = int(k) + 1;
        const int length = int(parent.ids.size()) + 1;
        node.score = lengthPenalized(e.cumulative, length, m_o.lengthPenalty);
        if (k >= size_t(W) || !std::isfinite(e.cumulative)) {
            node.state = BeamNodeState::Pruned;
            if (k < size_t(W)) continue;  // -inf: impossible, not a hypothesis
            m_r.nodes.push_back(node);
            continue;
        }
        Live child{parent.ids, e.cumulative, int(m_r.nodes.size())};
        child.ids.push_back(e.token);
        if (isStop(e.token)) {
            node.state = BeamNodeState::Finished;
            m_finished.push_back({child.ids, e.cumulative, node.score, true, child.node});
        } else {
            node.state = BeamNodeState::Live;
            m_links.push_back({e.rank, e.token});
            m_r.live.push_back(child.node);
            nextLive.push_back(std::move(child));
        }
        m_r.nodes.push_back(node);
    }
    m_live = std::move(nextLive);

    // 3. Stop rules: W finished, none live, or the length limit (then the live count too).
    if (int(m_finished.size()) >= W || m_live.empty()) {
        m_r.ranked = rank(m_finished, W);
        m_r.done = true;
    } else if (m_r.steps >= m_o.maxNewTokens) {
        finish();
    }
    return true;
}

BeamResult beamSearch(LogProbSource& source, const BeamOptions& o, const BeamStepCallback& onStep,
                      std::stop_token stop) {
    BeamSearch search(source, o);
    while (search.step(stop))
        if (onStep && !onStep(search.result())) search.finish();
    return search.result();
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
