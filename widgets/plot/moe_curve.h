#pragma once
// Perplexity against k for the simulator's mixture of experts: for the current number of experts
// E (and gate, capacity, noise, seed), the model's perplexity with top-k routing for every
// k = 1..E, next to the model as trained. With moe.gate=one, k = E runs every expert with weight 1
// and so reproduces the dense FFN: the curve ends on the as-trained line. A token touches a
// fraction k/E of the FFN's parameters.
#include <QString>
#include <QStringList>
#include <map>
#include <vector>

#include "anatomy/sim_settings.h"

namespace anatomy::widgets {

struct PerplexityCosts;

// The controller channel the curve's batches travel on (the KV cache view's costs use another).
inline const QString kMoeCurveChannel = QStringLiteral("moe");

// One batch row per k = 1..E, keyed "moe.k=<k>": the current MoE settings with that k, applied to
// the model as trained (so the rest of the simulator's settings do not enter the curve).
// Empty when MoE is off (experts == 0).
std::map<QString, QStringList> moeCurveRows(const anatomy::MoeParams& moe);

// The k of a row key ("moe.k=3" -> 3); 0 for any other key.
int moeCurveK(const QString& key);

struct MoeCurve {
    int experts = 0;               // E the curve was measured for
    QString settings;              // the rest of the MoE settings: "gate one, capacity 1.25"
    QString window;                // describeWindow() of the perplexity window
    double densePpl = 0;           // as trained
    std::vector<int> k;            // measured k, ascending
    std::vector<double> ppl;       // [k.size()] perplexity with top-k routing
    std::map<int, QString> errors; // k -> why it was not measured
    bool empty() const { return k.empty(); }
    // ppl at k, or 0 when not measured.
    double pplAt(int kk) const;
};

// The curve out of a batch of moeCurveRows(moe) results.
MoeCurve moeCurveFromCosts(const PerplexityCosts& costs, const anatomy::MoeParams& moe);

}  // namespace anatomy::widgets
