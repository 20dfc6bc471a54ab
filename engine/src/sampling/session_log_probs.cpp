// Beam search on the model: one Session (KV cache) per live hypothesis, forked on divergence.
// After a step, hypothesis i = parent p + token t:
//   - the first child of p keeps p's session: nothing is copied, t is fed;
//   - a further child of p takes a session no child claimed this step (one whose hypothesis
//     was pruned), keeps the prefix it already shares with p's sequence (the prompt at least)
//     and copies only p's cached positions after it (Session::copyCacheFrom), then feeds t.
// Then all hypotheses are fed their tokens in one batched pass (Session::forwardEach: the
// weights are read once for the W rows, and the cached positions all hypotheses share once). A step costs one pass plus the copies of diverged
// suffixes; no session's cache is copied whole per step.
#include <algorithm>

#include "anatomy/decoding.h"
#include "anatomy/error.h"
#include "anatomy/session.h"

namespace anatomy {

namespace {

size_t commonPrefix(std::span<const int> a, std::span<const int> b) {
    const size_t n = std::min(a.size(), b.size());
    size_t i = 0;
    while (i < n && a[i] == b[i]) ++i;
    return i;
}

}  // namespace

SessionLogProbs::SessionLogProbs(std::shared_ptr<const Model> model, const SimSettings& settings,
                                 std::vector<int> prompt)
    : m_model(std::move(model)), m_settings(settings), m_prompt(std::move(prompt)) {
    if (!m_model) throw Error("beam search: no model");
    requireLanguageModel(m_model->architecture, "beam search");
    if (m_prompt.empty()) throw Error("beam search: the prompt has no tokens (expected at least BOS)");
}

SessionLogProbs::~SessionLogProbs() = default;

int SessionLogProbs::vocabSize() const { return m_model->config.vocabSize; }

std::vector<std::vector<double>> SessionLogProbs::next(std::span<const BeamLink> beam,
                                                       std::span<const std::vector<int>>,
                                                       std::stop_token stop) {
    auto newSession = [&]() {
        auto s = std::make_unique<Session>(m_model);
        s->setSettings(m_settings);
        m_sessions.push_back(std::move(s));
        m_held.emplace_back();
        ++m_stats.sessions;
        return int(m_sessions.size()) - 1;
    };
    std::vector<std::vector<double>> out;
    out.reserve(beam.size());
    // The first call: prefill the prompt.
    if (beam.size() == 1 && beam[0].parent < 0) {
        if (m_sessions.empty()) newSession();
        Session& s = *m_sessions[0];
        s.reset();
        out.push_back(logSoftmax(s.forward(m_prompt, false, nullptr, stop)));
        m_held[0] = m_prompt;
        // Other sessions' caches came from an earlier search: trust none of their positions.
        for (size_t i = 1; i < m_held.size(); ++i) m_held[i].clear();
        m_sessionOf = {0};
        m_stats.forwardTokens += long(m_prompt.size());
        return out;
    }

    // 1. Assign sessions: the first child of each parent keeps its parent's.
    std::vector<int> sessionOf(beam.size(), -1);
    std::vector<char> claimed(m_sessions.size(), 0);
    for (size_t i = 0; i < beam.size(); ++i) {
        const int p = beam[i].parent;
        if (p < 0 || size_t(p) >= m_sessionOf.size()) throw Error("beam search: a hypothesis has no parent");
        const int s = m_sessionOf[size_t(p)];
        if (!claimed[size_t(s)]) {
            claimed[size_t(s)] = 1;
            sessionOf[i] = s;
        }
    }
    // 2. Fork the others from their parent's session into a free one sharing the longest prefix.
    for (size_t i = 0; i < beam.size(); ++i) {
        if (sessionOf[i] >= 0) continue;
        const int from = m_sessionOf[size_t(beam[i].parent)];
        int best = -1;
        size_t bestShared = 0;
        for (size_t s = 0; s < m_sessions.size(); ++s) {
            if (claimed[s]) continue;
            const size_t shared = commonPrefix(m_held[s], m_held[size_t(from)]);
            if (best < 0 || shared > bestShared) {
                best = int(s);
                bestShared = shared;
            }
        }
        if (best < 0) {
            best = newSession();
            claimed.push_back(0);
            bestShared = 0;
        }
        claimed[size_t(best)] = 1;
        const int to = int(m_held[size_t(from)].size());
        m_sessions[size_t(best)]->truncate(int(bestShared));
        m_sessions[size_t(best)]->copyCacheFrom(*m_sessions[size_t(from)], int(bestShared), to);
        m_held[size_t(best)] = m_held[size_t(from)];
        m_stats.copiedPositions += to - long(bestShared);
        sessionOf[i] = best;
    }
    // 3. Feed every hypothesis its new token in one batched pass (Session::forwardEach). The
    // positions all of them hold alike are bit for bit one computation (each prefix of the
    // search is computed once, by the prefill or as one row of a step, and reaches other
    // sessions only by copy), so attention reads that shared prefix once for all rows.
    std::vector<Session*> batch;
    std::vector<int> tokens;
    size_t shared = m_held[size_t(sessionOf[0])].size();
    for (size_t i = 0; i < beam.size(); ++i) {
        batch.push_back(m_sessions[size_t(sessionOf[i])].get());
        tokens.push_back(beam[i].token);
        shared = std::min(shared, commonPrefix(m_held[size_t(sessionOf[i])], m_held[size_t(sessionOf[0])]));
    }
    const std::vector<float> logits = Session::forwardEach(batch, tokens, stop, int(shared));
    const size_t V = size_t(vocabSize());
    for (size_t i = 0; i < beam.size(); ++i) {
        out.push_back(logSoftmax(std::span<const float>(logits.data() + i * V, V)));
        m_held[size_t(sessionOf[i])].push_back(beam[i].token);
        ++m_stats.forwardTokens;
    }
    m_sessionOf = std::move(sessionOf);
    return out;
}

}  // namespace anatomy
