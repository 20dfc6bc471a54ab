#pragma once
// Shared helpers for the architecture simulator tests.
#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "anatomy/model.h"
#include "anatomy/session.h"
#include "anatomy/sim_settings.h"
#include "test_paths.h"

namespace simtest {

inline std::shared_ptr<const anatomy::Model> model260K() {
    static std::shared_ptr<const anatomy::Model> m = anatomy::loadModel(modelPath("stories260K.bin"));
    return m;
}

// A fixed, story-like token sequence of length n (BOS first).
inline std::vector<int> tokens(int n) {
    std::vector<int> ids = {1};
    for (int i = 1; i < n; ++i) ids.push_back(3 + (i * 37 + i * i * 11) % 500);
    return ids;
}

// All logits [n, vocab] of one prefill under the given settings.
inline std::vector<float> logits(const anatomy::SimSettings& s, const std::vector<int>& ids) {
    anatomy::Session session(model260K());
    session.setSettings(s);
    return session.forward(ids, true);
}

inline anatomy::SimSettings settings(std::initializer_list<const char*> kvs) {
    anatomy::SimSettings s;
    for (const char* kv : kvs) anatomy::applySetting(s, kv);
    return s;
}

inline float maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
    float m = a.size() == b.size() ? 0.0f : INFINITY;
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) m = std::max(m, std::fabs(a[i] - b[i]));
    return m;
}

}  // namespace simtest
