#pragma once
// One inference state over a loaded model: the KV cache and scratch buffers. forward() feeds a
// batch of tokens at the next positions: a prompt goes through matrix-matrix products (prefill),
// a single token through matrix-vector products (decode), both reading and extending the cache.
#include <memory>
#include <span>
#include <stop_token>
#include <vector>

#include "anatomy/architecture.h"
#include "anatomy/model.h"
#include "anatomy/sim_settings.h"
#include "anatomy/trace.h"

namespace anatomy {

class Session {
public:
    explicit Session(std::shared_ptr<const Model> model);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    const Model& model() const { return *m_model; }
    const std::shared_ptr<const Model>& sharedModel() const { return m_model; }
    const ModelConfig& config() const { return m_model->config; }

    // Forgets the KV cache: the next token goes to position 0.
    void reset();
    // Drops cached positions >= pos (to re-run from there).
    void truncate(int pos);
    int position() const { return m_pos; }
    // Forks: makes this session's cache hold src's positions [0, to), copying only [from, to)
    // (the caller vouches that this session's positions [0, from) already equal src's, e.g. a
    // shared prompt and prefix in beam search). Both must run the same model and settings
    // (throws Error otherwise); to <= src.position(); from is clamped to position().
    void copyCacheFrom(const Session& src, int from, int to);
    // The tokens the cache holds, [position()].
    std::span<const int> cachedTokens() const;

    // Feeds tokens at positions [position(), position() + n) and returns the logits:
    // [n, vocab] when allLogits, else [vocab] of the last token. The cache grows as needed,
    // also past the trained context. When trace is non-null it is filled per its spec.
    // Throws Cancelled (between layers) when stop is requested.
    const std::vector<float>& forward(std::span<const int> tokens, bool allLogits = false,
                                      Trace* trace = nullptr, std::stop_token stop = {});

    // The residual stream after the last layer of the last forward(), [n, dim] for its n tokens:
    // an encoder's output (Architecture::languageModel false), before any final norm. Valid until
    // the next call.
    std::span<const float> hiddenStates() const;

    // One token for each of several sessions (same model and settings) in one pass, each at
    // its own position: beam search's live hypotheses (batch_forward.cpp). Returns [n, vocab].
    // sharedPrefix: the first positions every session's cache holds bit for bit alike (the
    // caller vouches: copies of one computation, e.g. forks of one beam); attention reads them
    // once for all rows, with the same result as row by row. Throws Error when the sessions'
    // cached tokens differ there or it exceeds a session's position.
    static std::vector<float> forwardEach(std::span<Session* const> sessions, std::span<const int> tokens,
                                          std::stop_token stop = {}, int sharedPrefix = 0);

    // Architecture simulator: changes the architecture the forward pass runs (see sim_settings.h).
    // Validates against the model (throws anatomy::Error naming the key), rebuilds the derived
    // weights (KV sharing, MoE experts) and forgets the KV cache, so the next token goes to
    // position 0. Default settings compute bit-identical logits to a fresh session.
    void setSettings(const SimSettings& settings);
    const SimSettings& settings() const;
    // The architecture the forward pass runs: the model's, edited by the settings.
    const Architecture& architecture() const;
    // The KV heads the simulated architecture caches per layer (the model's unless KV sharing).
    int kvHeads() const;

    struct Impl;

private:
    std::shared_ptr<const Model> m_model;
    std::unique_ptr<Impl> m_impl;
    int m_pos = 0;
};

// Runs a fresh session over tokens with capture and returns the immutable trace.
std::shared_ptr<const Trace> traceTokens(std::shared_ptr<const Model> model,
                                         const std::vector<int>& tokens, const CaptureSpec& spec,
                                         const Tokenizer* tokenizer = nullptr,
                                         std::stop_token stop = {});

// The same with the architecture simulator's settings applied; the trace records them (Trace::settings).
std::shared_ptr<const Trace> traceTokens(std::shared_ptr<const Model> model,
                                         const std::vector<int>& tokens, const CaptureSpec& spec,
                                         const SimSettings& settings,
                                         const Tokenizer* tokenizer = nullptr,
                                         std::stop_token stop = {});

// Worker threads for the engine's parallel loops (0 = all cores). Process-wide.
void setThreadCount(int n);
int threadCount();

}  // namespace anatomy
