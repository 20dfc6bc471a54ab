#include "plot/moe_curve.h"

#include <QLocale>

#include "controller/trace_controller.h"

namespace anatomy::widgets {

namespace {
const QString kKeyPrefix = QStringLiteral("moe.k=");

QString gateName(anatomy::MoeGate g) {
    switch (g) {
        case anatomy::MoeGate::One: return QStringLiteral("one");
        case anatomy::MoeGate::Softmax: return QStringLiteral("softmax");
        case anatomy::MoeGate::Prob: return QStringLiteral("prob");
    }
    return QStringLiteral("one");
}

QString number(double v) { return QString::number(v, 'g', 9); }
}  // namespace

std::map<QString, QStringList> moeCurveRows(const anatomy::MoeParams& moe) {
    std::map<QString, QStringList> rows;
    if (moe.experts <= 0) return rows;
    QStringList common{QStringLiteral("moe.experts=%1").arg(moe.experts),
                       QStringLiteral("moe.gate=%1").arg(gateName(moe.gate)),
                       QStringLiteral("moe.seed=%1").arg(moe.seed)};
    if (moe.noiseStd > 0) common << QStringLiteral("moe.noise=%1").arg(number(moe.noiseStd));
    if (moe.capacityFactor > 0) common << QStringLiteral("moe.capacity=%1").arg(number(moe.capacityFactor));
    for (int k = 1; k <= moe.experts; ++k) rows[kKeyPrefix + QString::number(k)] = common + QStringList{kKeyPrefix + QString::number(k)};
    return rows;
}

int moeCurveK(const QString& key) {
    if (!key.startsWith(kKeyPrefix)) return 0;
    bool ok = false;
    const int k = key.mid(kKeyPrefix.size()).toInt(&ok);
    return ok ? k : 0;
}

double MoeCurve::pplAt(int kk) const {
    for (size_t i = 0; i < k.size(); ++i)
        if (k[i] == kk) return ppl[i];
    return 0.0;
}

MoeCurve moeCurveFromCosts(const PerplexityCosts& costs, const anatomy::MoeParams& moe) {
    MoeCurve c;
    c.experts = moe.experts;
    c.settings = QStringLiteral("gate %1").arg(gateName(moe.gate));
    if (moe.capacityFactor > 0) c.settings += QStringLiteral(", capacity %1").arg(number(moe.capacityFactor));
    if (moe.noiseStd > 0) c.settings += QStringLiteral(", noise %1").arg(number(moe.noiseStd));
    c.window = describeWindow(costs.window);
    c.densePpl = costs.baselinePpl;
    std::map<int, double> byK;  // the keys sort as text ("moe.k=10" < "moe.k=2"): order by k
    for (const auto& [key, p] : costs.ppl)
        if (const int k = moeCurveK(key); k > 0) byK[k] = p;
    for (const auto& [k, p] : byK) {
        c.k.push_back(k);
        c.ppl.push_back(p);
    }
    for (const auto& [key, why] : costs.errors)
        if (const int k = moeCurveK(key); k > 0) c.errors[k] = why;
    return c;
}

}  // namespace anatomy::widgets
