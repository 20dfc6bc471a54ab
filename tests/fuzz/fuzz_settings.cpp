// libFuzzer: `--set KEY=VALUE` parsing and the knob table, one assignment per input line (the
// form session files store the architecture in), then validation against stories260K's shape,
// the text forms (describe, assignments) read back, and, when all of it is valid, a forward pass
// of a tiny model with those settings.
#include <memory>
#include <string>
#include <string_view>

#include "anatomy/error.h"
#include "anatomy/knob_table.h"
#include "anatomy/sim_settings.h"
#include "fuzz_input.h"

namespace {

// A tiny model in memory with stories260K's head layout (8 heads, 4 KV heads, 5 layers, 64 dims).
std::shared_ptr<const anatomy::Model> tinyModel() {
    static const std::shared_ptr<const anatomy::Model> model = [] {
        auto m = std::make_shared<anatomy::Model>();
        anatomy::ModelConfig& c = m->config;
        c.dim = 64;
        c.hiddenDim = 96;
        c.nLayers = 5;
        c.nHeads = 8;
        c.nKvHeads = 4;
        c.vocabSize = 32;
        c.seqLen = 64;
        m->architecture = anatomy::llamaArchitecture(c);
        uint32_t state = 12345;
        auto values = [&](size_t n, float scale) {
            std::vector<float> v(n);
            for (float& x : v) {
                state = state * 1664525u + 1013904223u;
                x = scale * (float(state >> 8) / float(1 << 24) - 0.5f);
            }
            return m->own(std::move(v));
        };
        auto matrix = [&](int rows, int cols) {
            return anatomy::Matrix{rows, cols, values(size_t(rows) * cols, 0.2f), nullptr, nullptr, 0};
        };
        m->tokenEmbedding = values(size_t(c.vocabSize) * c.dim, 1.0f);
        m->layers.resize(size_t(c.nLayers));
        for (auto& l : m->layers) {
            l.rmsAtt = m->own(std::vector<float>(size_t(c.dim), 1.0f));
            l.rmsFfn = m->own(std::vector<float>(size_t(c.dim), 1.0f));
            l.wq = matrix(c.dim, c.dim);
            l.wk = matrix(c.kvDim(), c.dim);
            l.wv = matrix(c.kvDim(), c.dim);
            l.wo = matrix(c.dim, c.dim);
            l.w1 = matrix(c.hiddenDim, c.dim);
            l.w2 = matrix(c.dim, c.hiddenDim);
            l.w3 = matrix(c.hiddenDim, c.dim);
        }
        m->rmsFinal = m->own(std::vector<float>(size_t(c.dim), 1.0f));
        m->classifier = anatomy::Matrix{c.vocabSize, c.dim, m->tokenEmbedding, nullptr, nullptr, 0};
        c.sharedClassifier = true;
        return std::shared_ptr<const anatomy::Model>(std::move(m));
    }();
    return model;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    anatomy::SimSettings s;
    bool parsed = true;
    for (size_t at = 0; at <= text.size();) {
        const size_t end = std::min(text.find('\n', at), text.size());
        const std::string_view line = text.substr(at, end - at);
        at = end + 1;
        if (line.empty()) continue;
        try {
            anatomy::applySetting(s, line);
        } catch (const anatomy::Error&) {
            parsed = false;
        }
    }
    (void)anatomy::describe(s);
    // What a session file stores reads back to the same settings.
    anatomy::SimSettings again;
    for (const std::string& kv : anatomy::assignments(s)) anatomy::applySetting(again, kv);
    if (!(again == s)) std::abort();
    const std::shared_ptr<const anatomy::Model> m = tinyModel();
    try {
        anatomy::validateSettings(s, m->config);
    } catch (const anatomy::Error&) {
        return 0;
    }
    if (!parsed) return 0;
    static const bool oneThread = (anatomy::setThreadCount(1), true);  // see fuzz_input.h
    (void)oneThread;
    try {
        anatomy::Session session(m);
        session.setSettings(s);
        const int ids[5] = {1, 7, 3, 30, 2};
        (void)session.forward(ids, true);
    } catch (const anatomy::Error&) {
    }
    return 0;
}
