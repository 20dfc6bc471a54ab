#include "views/attention_view.h"

#include <QCoreApplication>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QSplitter>
#include <QThreadPool>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <functional>
#include <mutex>
#include <optional>
#include <type_traits>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "plot/qcustomplot_include.h"

#include "anatomy/attention_visibility.h"
#include "plot/head_scores.h"
#include "views/sampling_view.h"  // lecture::fitOnLayout
#include "views/token_strip.h"

namespace anatomy::widgets {

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kLogFloor = -8.0f;  // log10 probabilities below 1e-8 are drawn as 1e-8
constexpr int kThumbMax = 128;      // small multiples are max-pooled to at most this many pixels

}  // namespace

// A perceptually uniform dark-blue -> green -> yellow ramp (the colour values of matplotlib's
// viridis at nine evenly spaced stops); dark = little attention, bright = much.
QCPColorGradient attentionGradient() {
    QCPColorGradient g;
    g.clearColorStops();
    const QColor stops[] = {QColor(0x44, 0x01, 0x54), QColor(0x47, 0x2c, 0x7a), QColor(0x3b, 0x51, 0x8b),
                            QColor(0x2c, 0x71, 0x8e), QColor(0x21, 0x90, 0x8d), QColor(0x27, 0xad, 0x81),
                            QColor(0x5c, 0xc8, 0x63), QColor(0xaa, 0xdc, 0x32), QColor(0xfd, 0xe7, 0x25)};
    for (int i = 0; i < 9; ++i) g.setColorStopAt(i / 8.0, stops[i]);
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    g.setLevelCount(256);
    g.setNanHandling(QCPColorGradient::nhTransparent);  // masked cells show the hatched background
    return g;
}

namespace {

// Blue (A larger) -> white (no change) -> red (B larger), for B - A.
QCPColorGradient differenceGradient() {
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.0, QColor(0x21, 0x66, 0xac));
    g.setColorStopAt(0.5, QColor(0xf7, 0xf7, 0xf7));
    g.setColorStopAt(1.0, QColor(0xb2, 0x18, 0x2b));
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    g.setLevelCount(256);
    g.setNanHandling(QCPColorGradient::nhTransparent);
    return g;
}

// "12" -> "¹²", for exponents on the log-probability scale.
QString superscript(int n) {
    static const QChar digits[] = {u'⁰', u'¹', u'²', u'³', u'⁴', u'⁵', u'⁶', u'⁷', u'⁸', u'⁹'};
    QString out;
    for (const QChar c : QString::number(n)) out += digits[c.digitValue()];
    return out;
}

const QColor kMaskColor(0xd4, 0xd4, 0xd4);
const QColor kMarkColor(0xe0, 0x30, 0x30);  // selection marks: red is absent from the ramp

// The score formula of the layer as the trace ran it: q·k/√d_k times attn.scale m and YaRN's
// temperature t, minus ALiBi's distance penalty (architecture.h), so the label never names a
// scale that did not run.
QString scoreFormula(const anatomy::Trace* t, int layer) {
    QString f = QStringLiteral("q·k/√d");
    if (!t || layer < 0 || size_t(layer) >= t->architecture.layers.size()) return f;
    const anatomy::AttentionSpec& a = t->architecture.layers[size_t(layer)].attention;
    const float mul = a.scale * a.temperature;
    if (mul != 1.0f) f = QStringLiteral("%1·%2").arg(double(mul), 0, 'g', 3).arg(f);
    if (a.alibi) f += QStringLiteral(" − ALiBi");
    return f;
}

QString modeLabel(AttentionMode m, const anatomy::Trace* t = nullptr, int layer = 0) {
    switch (m) {
        case AttentionMode::Probabilities: return QObject::tr("attention probability");
        case AttentionMode::Scores: return QObject::tr("score %1 (before softmax)").arg(scoreFormula(t, layer));
        case AttentionMode::LogProbabilities: return QObject::tr("probability (log scale)");
        case AttentionMode::Difference: return QObject::tr("probability B − A (pinned)");
    }
    return {};
}

}  // namespace

// ---- pure functions ----

QString attentionModeName(AttentionMode mode) {
    switch (mode) {
        case AttentionMode::Probabilities: return QStringLiteral("probabilities");
        case AttentionMode::Scores: return QStringLiteral("scores");
        case AttentionMode::LogProbabilities: return QStringLiteral("log");
        case AttentionMode::Difference: return QStringLiteral("difference");
    }
    return {};
}

std::optional<AttentionMode> attentionModeFromName(const QString& name) {
    const QString n = name.trimmed().toLower();
    for (AttentionMode m : {AttentionMode::Probabilities, AttentionMode::Scores, AttentionMode::LogProbabilities})
        if (n == attentionModeName(m)) return m;
    if (n == QLatin1String("log-probabilities")) return AttentionMode::LogProbabilities;
    return std::nullopt;
}

Selection clampSelection(const anatomy::Trace& trace, Selection sel) {
    const int nLayers = static_cast<int>(trace.layers.size());
    const int nHeads = trace.config.nHeads > 0 ? trace.config.nHeads
                       : nLayers > 0 ? static_cast<int>(trace.layers[0].attnProbs.dim(0))
                                     : 0;
    sel.layer = std::clamp(sel.layer, 0, std::max(0, nLayers - 1));
    sel.head = std::clamp(sel.head, 0, std::max(0, nHeads - 1));
    if (sel.position < 0 || sel.position >= trace.nQ) sel.position = std::max(0, trace.nQ - 1);
    return sel;
}

AttentionMapData attentionMapData(const anatomy::Trace& trace, const Selection& selIn,
                                  AttentionMode mode, const anatomy::Trace* reference) {
    AttentionMapData d;
    d.mode = mode;
    if (trace.layers.empty()) return d;
    // B - A: both traces over the same tokens, A's cells hidden where either mask hid them.
    const anatomy::FloatArray* refProbs = nullptr;
    if (mode == AttentionMode::Difference) {
        const Selection rs = clampSelection(trace, selIn);
        if (!reference || reference->tokens != trace.tokens || reference->nQ != trace.nQ ||
            reference->firstQueryPos != trace.firstQueryPos || reference->layers.size() != trace.layers.size())
            return d;
        refProbs = &reference->layers[static_cast<size_t>(rs.layer)].attnProbs;
        if (refProbs->shape != trace.layers[static_cast<size_t>(rs.layer)].attnProbs.shape) return d;
    }
    const Selection sel = clampSelection(trace, selIn);
    d.layer = sel.layer;
    d.head = sel.head;
    const anatomy::LayerTrace& lt = trace.layers[static_cast<size_t>(sel.layer)];
    const anatomy::FloatArray& src = mode == AttentionMode::Scores ? lt.attnScores : lt.attnProbs;
    if (src.empty() || src.shape.size() != 3 || sel.head >= src.dim(0)) return d;
    d.nQ = static_cast<int>(src.dim(1));  // [nHeads, nQ, nKv]
    d.nKv = static_cast<int>(src.dim(2));
    d.firstQueryPos = trace.firstQueryPos;
    d.values.assign(static_cast<size_t>(d.nQ) * d.nKv, kNaN);
    // The mask the trace ran with, cell by cell, from the engine's own rule.
    const int nHeads = trace.config.nHeads > 0 ? trace.config.nHeads : static_cast<int>(src.dim(0));
    d.hidden.assign(d.values.size(), 0);
    const anatomy::AttentionVisibility seen(anatomy::visibilitySettings(trace, sel.layer), nHeads);
    const std::optional<anatomy::AttentionVisibility> refSeen =
        refProbs ? std::optional<anatomy::AttentionVisibility>(std::in_place, anatomy::visibilitySettings(*reference, sel.layer), nHeads) : std::nullopt;
    std::vector<unsigned char> visible(static_cast<size_t>(d.nKv)), refVisible(refSeen ? visible.size() : 0);
    for (int q = 0; q < d.nQ; ++q) {
        seen.row(sel.head, d.firstQueryPos + q, d.nKv, visible.data());
        if (refSeen) refSeen->row(sel.head, d.firstQueryPos + q, d.nKv, refVisible.data());
        for (int k = 0; k < d.nKv; ++k)
            d.hidden[static_cast<size_t>(q) * d.nKv + k] = !visible[size_t(k)] || (refSeen && !refVisible[size_t(k)]);
    }
    const float* refBase = refProbs ? refProbs->data.data() + static_cast<size_t>(sel.head) * d.nQ * d.nKv : nullptr;
    const float* base = src.data.data() + static_cast<size_t>(sel.head) * d.nQ * d.nKv;
    float lo = std::numeric_limits<float>::infinity(), hi = -lo;
    for (int q = 0; q < d.nQ; ++q) {
        for (int k = 0; k < d.nKv; ++k) {
            if (d.masked(q, k)) continue;
            float v = base[static_cast<size_t>(q) * d.nKv + k];
            if (mode == AttentionMode::LogProbabilities) v = std::max(kLogFloor, std::log10(std::max(v, 0.0f)));
            if (refBase) v -= refBase[static_cast<size_t>(q) * d.nKv + k];
            d.values[static_cast<size_t>(q) * d.nKv + k] = v;
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        }
    }
    switch (mode) {
        case AttentionMode::Probabilities:
            d.minValue = 0.0f;
            d.maxValue = 1.0f;
            break;
        case AttentionMode::LogProbabilities:
            d.minValue = std::isfinite(lo) ? lo : kLogFloor;
            d.maxValue = 0.0f;
            break;
        case AttentionMode::Scores:
            d.minValue = std::isfinite(lo) ? lo : 0.0f;
            d.maxValue = std::isfinite(hi) ? hi : 1.0f;
            break;
        case AttentionMode::Difference: {
            // Symmetric about 0, so white means "no change".
            const float m = std::max({std::isfinite(lo) ? -lo : 0.0f, std::isfinite(hi) ? hi : 0.0f, 1e-3f});
            d.minValue = -m;
            d.maxValue = m;
            break;
        }
    }
    if (d.maxValue - d.minValue < 1e-6f) d.minValue = d.maxValue - 1.0f;
    return d;
}

QImage mapThumbnail(const AttentionMapData& d, QCPColorGradient& gradient) {
    if (d.nQ == 0 || d.nKv == 0) return {};
    const int w = std::min(d.nKv, kThumbMax), h = std::min(d.nQ, kThumbMax);
    QImage img(w, h, QImage::Format_RGB32);
    const QCPRange range(d.minValue, d.maxValue);
    for (int y = 0; y < h; ++y) {
        const int q0 = y * d.nQ / h, q1 = std::max(q0 + 1, (y + 1) * d.nQ / h);
        auto* line = reinterpret_cast<QRgb*>(img.scanLine(y));
        for (int x = 0; x < w; ++x) {
            const int k0 = x * d.nKv / w, k1 = std::max(k0 + 1, (x + 1) * d.nKv / w);
            float best = -std::numeric_limits<float>::infinity();
            bool any = false;
            for (int q = q0; q < q1; ++q)
                for (int k = k0; k < k1; ++k) {
                    const float v = d.at(q, k);
                    if (std::isnan(v)) continue;
                    any = true;
                    best = std::max(best, v);
                }
            line[x] = any ? gradient.color(std::isfinite(best) ? best : d.minValue, range) : kMaskColor.rgb();
        }
    }
    return img;
}

// A layer the trace kept as summaries: its pooled thumbnail (trace.h: attnThumbProbs), each
// cell the largest value of its block's visible cells, as headThumbnail pools a whole map (at
// most kAttentionThumbSize a side). Scores and log-probabilities take their range from the
// pooled cells; B − A has no summary to subtract.
QImage summaryThumbnail(const anatomy::Trace& trace, int layer, int head, AttentionMode mode, QCPColorGradient& gradient) {
    const anatomy::FloatArray& src = mode == AttentionMode::Scores ? trace.attnThumbScores : trace.attnThumbProbs;
    if (mode == AttentionMode::Difference || src.shape.size() != 4 || layer < 0 || layer >= src.dim(0) ||
        head < 0 || head >= src.dim(1))
        return {};
    const int h = static_cast<int>(src.dim(2)), w = static_cast<int>(src.dim(3));
    const float* cells = src.data.data() + (static_cast<size_t>(layer) * src.dim(1) + head) * h * w;
    const bool logMode = mode == AttentionMode::LogProbabilities;
    auto value = [&](float v) { return logMode ? std::max(kLogFloor, std::log10(std::max(v, 0.0f))) : v; };
    float lo = std::numeric_limits<float>::infinity(), hi = -lo;
    for (int i = 0; i < w * h; ++i)
        if (std::isfinite(cells[i])) {
            lo = std::min(lo, value(cells[i]));
            hi = std::max(hi, value(cells[i]));
        }
    float minValue = 0.0f, maxValue = 1.0f;
    if (logMode) {
        minValue = std::isfinite(lo) ? lo : kLogFloor;
        maxValue = 0.0f;
    } else if (mode == AttentionMode::Scores) {
        minValue = std::isfinite(lo) ? lo : 0.0f;
        maxValue = std::isfinite(hi) ? hi : 1.0f;
    }
    if (maxValue - minValue < 1e-6f) minValue = maxValue - 1.0f;
    const QCPRange range(minValue, maxValue);
    QImage img(w, h, QImage::Format_RGB32);
    for (int y = 0; y < h; ++y) {
        auto* line = reinterpret_cast<QRgb*>(img.scanLine(y));
        for (int x = 0; x < w; ++x) {
            const float v = cells[static_cast<size_t>(y) * w + x];  // -inf: every cell masked
            line[x] = v == -std::numeric_limits<float>::infinity() ? kMaskColor.rgb() : gradient.color(value(v), range);
        }
    }
    return img;
}

QImage headThumbnail(const anatomy::Trace& trace, int layer, int head, AttentionMode mode, QCPColorGradient& gradient) {
    if (!trace.hasWholeAttention(layer) && !trace.attnThumbProbs.empty())
        return summaryThumbnail(trace, layer, head, mode, gradient);
    if (mode == AttentionMode::Difference || trace.layers.empty())
        return mapThumbnail(attentionMapData(trace, Selection{0, layer, head}, mode), gradient);
    const Selection sel = clampSelection(trace, Selection{0, layer, head});
    const anatomy::LayerTrace& lt = trace.layers[static_cast<size_t>(sel.layer)];
    const anatomy::FloatArray& src = mode == AttentionMode::Scores ? lt.attnScores : lt.attnProbs;
    if (src.empty() || src.shape.size() != 3 || sel.head >= src.dim(0)) return {};
    const int nQ = static_cast<int>(src.dim(1)), nKv = static_cast<int>(src.dim(2));
    if (nQ == 0 || nKv == 0) return {};
    const int nHeads = trace.config.nHeads > 0 ? trace.config.nHeads : static_cast<int>(src.dim(0));
    const anatomy::AttentionVisibility seen(anatomy::visibilitySettings(trace, sel.layer), nHeads);
    const float* base = src.data.data() + static_cast<size_t>(sel.head) * nQ * nKv;
    // The value attentionMapData gives a visible cell. It never decreases as v grows, so the
    // largest value of a block is value(largest raw entry) and the colour range's ends are the
    // values of the smallest and largest raw entries whose value is finite: one pass over the
    // map, one log10 per pixel instead of one per cell.
    const bool logMode = mode == AttentionMode::LogProbabilities;
    auto value = [&](float v) { return logMode ? std::max(kLogFloor, std::log10(std::max(v, 0.0f))) : v; };
    constexpr float inf = std::numeric_limits<float>::infinity();
    const int w = std::min(nKv, kThumbMax), h = std::min(nQ, kThumbMax);
    std::vector<int> kBlock(static_cast<size_t>(w) + 1);  // pixel x pools keys [kBlock[x], kBlock[x+1])
    for (int x = 0; x < w; ++x) kBlock[size_t(x)] = x * nKv / w;  // w <= nKv: no block is empty
    kBlock[size_t(w)] = nKv;
    // Per pixel: the largest raw entry over the visible, non-NaN cells, and whether there was one.
    // First down the block's query rows per key (four keys a vector with SSE2, a scalar loop for
    // the rest and other targets), then across each pixel's keys.
    std::vector<float> best(static_cast<size_t>(w) * h, -inf);
    std::vector<unsigned char> any(static_cast<size_t>(w) * h, 0);
    std::vector<unsigned char> visible(static_cast<size_t>(nKv));
    std::vector<float> colMax(static_cast<size_t>(nKv));
    std::vector<unsigned char> colAny(static_cast<size_t>(nKv));
    // Per key, over visible cells whose value is finite: the smallest and largest raw entry.
    std::vector<float> colLo(static_cast<size_t>(nKv), inf), colHi(static_cast<size_t>(nKv), -inf);
    // One query row into the per-key columns, over keys [first, last]. kLog: log-probability mode
    // (a NaN reads as 0); kRange: keep colLo/colHi (the probability colour range is fixed).
    auto down = [&](auto isLog, auto keepRange, const float* r, int first, int last) {
        constexpr bool kLog = decltype(isLog)::value, kRange = decltype(keepRange)::value;
        const unsigned char* vis = visible.data();
        float* cm = colMax.data();
        unsigned char* ca = colAny.data();
        float* cl = colLo.data();
        float* ch = colHi.data();
        int k = first;
#if defined(__SSE2__)
        const __m128 ninf = _mm_set1_ps(-inf), pinf = _mm_set1_ps(inf);
        auto pick = [](__m128 m, __m128 a, __m128 b) { return _mm_or_ps(_mm_and_ps(m, a), _mm_andnot_ps(m, b)); };
        for (; k + 4 <= last + 1; k += 4) {
            __m128 v = _mm_loadu_ps(r + k);
            __m128 ok = _mm_cmpord_ps(v, v);  // not NaN
            if constexpr (kLog) {
                v = _mm_and_ps(v, ok);  // NaN -> 0
                ok = _mm_castsi128_ps(_mm_set1_epi32(-1));
            }
            std::uint32_t vb;
            std::memcpy(&vb, vis + k, 4);
            __m128i vi = _mm_unpacklo_epi8(_mm_cvtsi32_si128(static_cast<int>(vb)), _mm_setzero_si128());
            vi = _mm_unpacklo_epi16(vi, _mm_setzero_si128());
            ok = _mm_andnot_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(vi, _mm_setzero_si128())), ok);
            _mm_storeu_ps(cm + k, _mm_max_ps(_mm_loadu_ps(cm + k), pick(ok, v, ninf)));
            const int bits = _mm_movemask_ps(ok);
            for (int i = 0; i < 4; ++i) ca[k + i] |= static_cast<unsigned char>((bits >> i) & 1);
            if constexpr (kRange) {
                __m128 fin = _mm_and_ps(ok, _mm_cmplt_ps(v, pinf));
                if constexpr (!kLog) fin = _mm_and_ps(fin, _mm_cmpgt_ps(v, ninf));
                _mm_storeu_ps(cl + k, _mm_min_ps(_mm_loadu_ps(cl + k), pick(fin, v, pinf)));
                _mm_storeu_ps(ch + k, _mm_max_ps(_mm_loadu_ps(ch + k), pick(fin, v, ninf)));
            }
        }
#endif
        for (; k <= last; ++k) {
            float v = r[k];
            // value() sends a NaN probability to the log floor, as it does 0: read it as 0.
            if constexpr (kLog) v = v == v ? v : 0.0f;
            const bool ok = vis[k] != 0 && v == v;  // visible and not NaN
            if (!ok) continue;
            cm[k] = std::max(cm[k], v);
            ca[k] = 1;
            // log10 of +inf is not finite (of -inf it is the floor); a score is finite only when v is.
            if (kRange && v < inf && (kLog || v > -inf)) {
                cl[k] = std::min(cl[k], v);
                ch[k] = std::max(ch[k], v);
            }
        }
    };
    for (int y = 0; y < h; ++y) {
        const int q0 = y * nQ / h, q1 = std::max(q0 + 1, (y + 1) * nQ / h);
        int lo = nKv, hi = -1;  // the keys any row of the block sees
        for (int q = q0; q < q1; ++q) {
            seen.row(sel.head, trace.firstQueryPos + q, nKv, visible.data());
            // Keys outside [first, last] are hidden: a causal row reads only its past.
            int first = 0, last = nKv - 1;
            while (first <= last && !visible[size_t(first)]) ++first;
            for (std::uint64_t word = 0; last - 7 >= first; last -= 8) {  // 8 hidden keys at a time
                std::memcpy(&word, visible.data() + last - 7, 8);
                if (word) break;
            }
            while (last >= first && !visible[size_t(last)]) --last;
            if (first > last) continue;
            if (lo > hi) {
                std::fill(colMax.begin() + first, colMax.begin() + last + 1, -inf);
                std::fill(colAny.begin() + first, colAny.begin() + last + 1, 0);
                lo = first;
                hi = last;
            } else {
                if (first < lo) {
                    std::fill(colMax.begin() + first, colMax.begin() + lo, -inf);
                    std::fill(colAny.begin() + first, colAny.begin() + lo, 0);
                    lo = first;
                }
                if (last > hi) {
                    std::fill(colMax.begin() + hi + 1, colMax.begin() + last + 1, -inf);
                    std::fill(colAny.begin() + hi + 1, colAny.begin() + last + 1, 0);
                    hi = last;
                }
            }
            const float* r = base + static_cast<size_t>(q) * nKv;
            if (logMode)
                down(std::true_type{}, std::true_type{}, r, first, last);
            else if (mode == AttentionMode::Scores)
                down(std::false_type{}, std::true_type{}, r, first, last);
            else
                down(std::false_type{}, std::false_type{}, r, first, last);
        }
        if (lo > hi) continue;
        float* bestRow = best.data() + static_cast<size_t>(y) * w;
        unsigned char* anyRow = any.data() + static_cast<size_t>(y) * w;
        for (int x = 0; x < w; ++x) {
            const int k0 = std::max(kBlock[size_t(x)], lo), k1 = std::min(kBlock[size_t(x) + 1], hi + 1);
            float m = -inf;
            unsigned char a = 0;
            for (int k = k0; k < k1; ++k) {
                m = std::max(m, colMax[size_t(k)]);
                a |= colAny[size_t(k)];
            }
            bestRow[x] = m;
            anyRow[x] = a;
        }
    }
    float rawLo = inf, rawHi = -inf;
    for (int k = 0; k < nKv; ++k) {
        rawLo = std::min(rawLo, colLo[size_t(k)]);
        rawHi = std::max(rawHi, colHi[size_t(k)]);
    }
    // The colour range, as attentionMapData sets it.
    float minValue = 0.0f, maxValue = 1.0f;
    if (mode != AttentionMode::Probabilities) {
        const bool found = rawLo <= rawHi;
        if (logMode) {
            minValue = found ? value(rawLo) : kLogFloor;
            maxValue = 0.0f;
        } else {
            minValue = found ? rawLo : 0.0f;
            maxValue = found ? rawHi : 1.0f;
        }
    }
    if (maxValue - minValue < 1e-6f) minValue = maxValue - 1.0f;
    // Max-pooled pixels over the visible cells of each block (mapThumbnail's rule).
    QImage img(w, h, QImage::Format_RGB32);
    const QCPRange range(minValue, maxValue);
    for (int y = 0; y < h; ++y) {
        auto* line = reinterpret_cast<QRgb*>(img.scanLine(y));
        for (int x = 0; x < w; ++x) {
            const size_t i = static_cast<size_t>(y) * w + x;
            const float b = value(best[i]);
            line[x] = any[i] ? gradient.color(std::isfinite(b) ? b : minValue, range) : kMaskColor.rgb();
        }
    }
    return img;
}

// A layer the trace kept as summaries: the same statistics from its per-row entropies (nats)
// and first-key mass.
HeadStats summaryHeadStats(const anatomy::Trace& trace, int layer, int head, int row, bool withMeans) {
    HeadStats s;
    const std::vector<int64_t> shape{static_cast<int64_t>(trace.layers.size()), tracedHeads(trace),
                                     static_cast<int64_t>(trace.nQ)};
    if (trace.attnEntropy.shape != shape || trace.attnFirstKey.shape != shape || head < 0 || head >= shape[1] ||
        trace.nQ == 0)
        return s;
    if (row < 0 || row >= trace.nQ) row = trace.nQ - 1;
    const size_t at = (static_cast<size_t>(layer) * shape[1] + head) * trace.nQ;
    const double bits = 1.0 / std::log(2.0);
    s.entropyBits = static_cast<float>(trace.attnEntropy.data[at + row] * bits);
    s.sinkMass = trace.attnFirstKey.data[at + row];
    if (!withMeans) return s;
    double hSum = 0.0, sSum = 0.0;
    int n = 0;
    for (int q = std::min(1, trace.nQ - 1); q < trace.nQ; ++q, ++n) {
        hSum += trace.attnEntropy.data[at + q] * bits;
        sSum += trace.attnFirstKey.data[at + q];
    }
    s.meanEntropyBits = n ? static_cast<float>(hSum / n) : 0.0f;
    s.meanSinkMass = n ? static_cast<float>(sSum / n) : 0.0f;
    return s;
}

HeadStats headStats(const anatomy::Trace& trace, int layer, int head, int row, bool withMeans) {
    HeadStats s;
    if (layer < 0 || layer >= static_cast<int>(trace.layers.size())) return s;
    if (!trace.hasWholeAttention(layer)) return summaryHeadStats(trace, layer, head, row, withMeans);
    const anatomy::FloatArray& p = trace.layers[static_cast<size_t>(layer)].attnProbs;
    if (p.shape.size() != 3 || head < 0 || head >= p.dim(0)) return s;
    const int nQ = static_cast<int>(p.dim(1)), nKv = static_cast<int>(p.dim(2));
    if (nQ == 0 || nKv == 0) return s;
    if (row < 0 || row >= nQ) row = nQ - 1;
    const float* base = p.data.data() + static_cast<size_t>(head) * nQ * nKv;
    auto rowStats = [&](int q, float& entropy, float& sink) {
        const float* r = base + static_cast<size_t>(q) * nKv;
        double h = 0.0;
        for (int k = 0; k < nKv; ++k)
            if (r[k] > 0.0f) h -= r[k] * std::log2(static_cast<double>(r[k]));
        entropy = static_cast<float>(h);
        sink = r[0];
    };
    rowStats(row, s.entropyBits, s.sinkMass);
    if (!withMeans) return s;
    double hSum = 0.0, sSum = 0.0;
    int n = 0;
    for (int q = std::min(1, nQ - 1); q < nQ; ++q) {
        float h = 0.0f, sk = 0.0f;
        rowStats(q, h, sk);
        hSum += h;
        sSum += sk;
        ++n;
    }
    s.meanEntropyBits = n ? static_cast<float>(hSum / n) : 0.0f;
    s.meanSinkMass = n ? static_cast<float>(sSum / n) : 0.0f;
    return s;
}

// ---- small multiples ----

// Every layer x head as a thumbnail, layers down, heads across. Painted directly (one widget,
// one paint) rather than as 100+ plot widgets, so a new trace repaints in a few milliseconds.
class HeadGrid : public QWidget {
    // tr() in the context lupdate gives this class (it has no Q_OBJECT, so tr() was QWidget's and
    // its strings stayed English under a translation).
    Q_DECLARE_TR_FUNCTIONS(anatomy::widgets::HeadGrid)

public:
    explicit HeadGrid(QWidget* parent) : QWidget(parent) {
        setMouseTracking(true);
        setMinimumSize(160, 160);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    }

    std::function<void(int layer, int head)> onPicked;

    ~HeadGrid() override {
        // A thumbnail batch still running posts nothing once the grid is gone, and starts no
        // more thumbnails; the ones being drawn are waited for (one head each, milliseconds):
        // a pooled thread still painting when the application's GUI is torn down after the
        // last window crashed in QPainter (seen in the widget tests under load).
        std::unique_lock<std::mutex> lock(m_shared->mutex);
        m_shared->owner = nullptr;
        m_shared->latest = 0;
        m_shared->idle.wait(lock, [this] { return m_shared->busy == 0; });
    }

    // The thumbnails are pooled off the GUI thread (a 1,700-token prompt on 40 heads took
    // a third of the GUI thread's time after each prompt edit): the pool's threads pool one
    // head at a time and the finished set replaces the drawn one in a single repaint. Until
    // then the previous trace's thumbnails stay up when the grid's shape is unchanged, else
    // the cells are blank. A newer trace makes an older batch stop early and drop its work.
    void setData(std::shared_ptr<const anatomy::Trace> trace, AttentionMode mode, QCPColorGradient gradient) {
        m_trace = trace;
        const int oldLayers = m_nLayers, oldHeads = m_nHeads;
        m_nLayers = m_nHeads = 0;
        m_thumbMode = mode;
        m_gradient = gradient;
        const quint64 generation = ++m_shared->latest;
        m_pendingGeneration = 0;
        if (trace && !trace->layers.empty()) {
            m_nLayers = static_cast<int>(trace->layers.size());
            m_nHeads = tracedHeads(*trace);  // layer 0 may be kept as summaries only
            const size_t n = static_cast<size_t>(m_nLayers) * m_nHeads;
            if (m_nLayers != oldLayers || m_nHeads != oldHeads || m_thumbs.size() != n) m_thumbs.assign(n, QImage());
            if (n > 0) startThumbnails(generation, n);
        } else {
            m_thumbs.clear();
        }
        m_scores = trace ? headScores(*trace) : HeadScores{};
        if (m_induction.size() == m_scores.firstToken.size()) m_scores.induction = m_induction;
        m_nKvHeads = trace && trace->config.nKvHeads > 0 ? trace->config.nKvHeads : m_nHeads;
        m_maxEntropy = trace ? std::log2(std::max(2, trace->nKv)) : 1.0;
        recomputeStats();
        update();
    }

    // The current trace's thumbnails are still being pooled.
    bool thumbnailsPending() const { return m_pendingGeneration != 0; }
    // Pools the current trace's thumbnails now, on this thread, if the batch has not delivered
    // them yet (an export or a screenshot never shows the previous trace's or blank cells).
    void finishThumbnails() {
        if (!thumbnailsPending() || !m_trace) return;
        ++m_shared->latest;  // the running batch stops and posts nothing
        m_pendingGeneration = 0;
        QCPColorGradient g = m_gradient;
        for (int l = 0; l < m_nLayers; ++l)
            for (int h = 0; h < m_nHeads; ++h)
                m_thumbs[static_cast<size_t>(l * m_nHeads + h)] = headThumbnail(*m_trace, l, h, m_thumbMode, g);
        update();
    }

    // Thumbnails (nullopt) or one behaviour score per head, drawn as a coloured cell.
    void setMetric(std::optional<HeadMetric> m) {
        m_metric = m;
        update();
    }
    void setInduction(const std::vector<float>& scores) {
        m_induction = scores;
        m_scores.induction = scores.size() == m_scores.firstToken.size() ? scores : std::vector<float>{};
        update();
    }
    const HeadScores& scores() const { return m_scores; }

    void setSelection(const Selection& sel) {
        const bool rowChanged = sel.position != m_sel.position;
        m_sel = sel;
        if (rowChanged) recomputeStats();
        update();
    }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        if (m_thumbs.empty()) return;
        const Geometry g = geometry_();
        const QFont small = captionFont();
        const QFontMetrics fm(font()), sfm(small);
        p.setPen(palette().color(QPalette::Text));
        // Head names that fit their column: "h7", else "7", else every k-th (small cells in a
        // pane beside another overprinted their neighbours).
        const int colW = cellRect(g, 0, 0).width() + g.gap;
        const bool longNames = fm.horizontalAdvance(QStringLiteral("h%1").arg(m_nHeads - 1)) + 2 <= colW;
        const int nameW = fm.horizontalAdvance(QString::number(m_nHeads - 1)) + 4;
        const int every = longNames ? 1 : std::max(1, (nameW + colW - 1) / std::max(1, colW));
        for (int h = 0; h < m_nHeads; h += every) {
            const QRect c = cellRect(g, 0, h);
            p.drawText(QRect(c.left() - g.gap / 2, g.top - fm.height() - 2, colW, fm.height()), Qt::AlignCenter,
                       longNames ? QStringLiteral("h%1").arg(h) : QString::number(h));
        }
        // GQA: the query heads that share one KV head, bracketed under "kv j".
        if (grouped()) {
            const int per = m_nHeads / m_nKvHeads;
            for (int j = 0; j < m_nKvHeads; ++j) {
                const QRect a = cellRect(g, 0, j * per), b = cellRect(g, 0, j * per + per - 1);
                const int y = g.top - 2 * fm.height() - 4;
                p.setPen(palette().color(QPalette::Text));
                const int groupW = b.right() - a.left();
                const QString kvName = fm.horizontalAdvance(QStringLiteral("kv %1").arg(j)) + 2 <= groupW
                                           ? QStringLiteral("kv %1").arg(j)
                                           : (fm.horizontalAdvance(QString::number(j)) + 2 <= groupW + g.gap ? QString::number(j) : QString());
                p.drawText(QRect(a.left(), y, groupW, fm.height()), Qt::AlignCenter, kvName);
                p.setPen(QPen(palette().color(QPalette::Mid), 1));
                p.drawLine(a.left() + 2, y + fm.height(), b.right() - 2, y + fm.height());
                if (j > 0) {
                    const int x = a.left() - g.gap / 2;
                    p.drawLine(x, g.top - fm.height(), x, cellRect(g, m_nLayers - 1, 0).bottom());
                }
            }
        }
        for (int l = 0; l < m_nLayers; ++l) {
            const QRect c = cellRect(g, l, 0);
            p.drawText(QRect(g.left - g.headerW - 4, c.top(), g.headerW, g.side), Qt::AlignRight | Qt::AlignVCenter,
                       QStringLiteral("L%1").arg(l));
        }
        p.setFont(small);
        const int nRows = m_trace ? m_trace->nQ : 1;
        for (int l = 0; l < m_nLayers; ++l) {
            for (int h = 0; h < m_nHeads; ++h) {
                const QRect c = cellRect(g, l, h);
                const QRect img(c.left(), c.top(), g.side, g.side);
                const size_t at = static_cast<size_t>(l * m_nHeads + h);
                if (m_metric) {
                    // One colour per head: the score on the map's ramp (entropy against log2 n).
                    const std::vector<float>& v = m_scores.of(*m_metric);
                    const bool known = at < v.size();
                    const double value = known ? v[at] : 0.0;
                    const double t = *m_metric == HeadMetric::Entropy ? value / m_maxEntropy : value;
                    const QColor bg = known ? QColor(m_gradient.color(std::clamp(t, 0.0, 1.0), QCPRange(0, 1)))
                                            : palette().color(QPalette::Window);
                    p.fillRect(img, bg);
                    p.setPen(bg.lightness() < 140 ? Qt::white : Qt::black);
                    p.setFont(small);
                    const QString text = !known ? QStringLiteral("…")
                                         : *m_metric == HeadMetric::Entropy ? QString::number(value, 'f', 1)
                                                                             : QString::number(value, 'f', 2);
                    if (g.side >= sfm.horizontalAdvance(text) + 2) p.drawText(img, Qt::AlignCenter, text);
                } else if (!m_thumbs[at].isNull()) {
                    p.drawImage(img.topLeft(), fittedThumb(at, g.side));
                } else {
                    p.fillRect(img, palette().color(QPalette::Midlight));  // still being pooled
                }
                // The selected query row, as a thin line across every thumbnail.
                if (nRows > 1 && !m_metric) {
                    const double y = img.top() + (m_sel.position + 0.5) * img.height() / nRows;
                    p.setPen(QPen(QColor(255, 255, 255, 150), 1));
                    p.drawLine(QPointF(img.left(), y), QPointF(img.right(), y));
                }
                if (l == m_sel.layer && h == m_sel.head) {
                    p.setPen(QPen(kMarkColor, 3));
                    p.setBrush(Qt::NoBrush);
                    p.drawRect(img.adjusted(-2, -2, 2, 2));
                }
                if (g.captionH > 0) {
                    const HeadStats& s = m_stats[static_cast<size_t>(l * m_nHeads + h)];
                    p.setPen(palette().color(QPalette::Text));
                    p.drawText(QRect(c.left() - g.gap / 2, img.bottom() + 2, g.side + g.gap, g.captionH),
                               Qt::AlignHCenter | Qt::AlignTop,
                               QStringLiteral("%1b %2%").arg(s.entropyBits, 0, 'f', 1).arg(qRound(100 * s.sinkMass)));
                }
            }
        }
        if (g.captionH > 0 || m_metric) {
            p.setPen(palette().color(QPalette::PlaceholderText));
            p.drawText(QRect(0, height() - sfm.height() - 2, width(), sfm.height()), Qt::AlignCenter,
                       metricNote());
        }
    }

    void mousePressEvent(QMouseEvent* e) override {
        int l = -1, h = -1;
        if (hit(e->position().toPoint(), l, h) && onPicked) onPicked(l, h);
    }

    bool event(QEvent* e) override {
        if (e->type() == QEvent::ToolTip) {
            auto* he = static_cast<QHelpEvent*>(e);
            int l = -1, h = -1;
            if (hit(he->pos(), l, h)) {
                const HeadStats s = headStats(*m_trace, l, h, m_sel.position);
                QToolTip::showText(he->globalPos(),
                                   tr("<b>layer %1, head %2</b><br>selected row: entropy %3 bits, sink %4%"
                                      "<br>mean over rows: entropy %5 bits, sink %6%<br>click to select")
                                       .arg(l).arg(h)
                                       .arg(s.entropyBits, 0, 'f', 2).arg(100 * s.sinkMass, 0, 'f', 1)
                                       .arg(s.meanEntropyBits, 0, 'f', 2).arg(100 * s.meanSinkMass, 0, 'f', 1),
                                   this);
            } else {
                QToolTip::hideText();
            }
            return true;
        }
        return QWidget::event(e);
    }

private:
    struct Geometry {
        int left = 0, top = 0, side = 0, gap = 0, captionH = 0, headerW = 0;
    };

    bool grouped() const { return m_nKvHeads > 0 && m_nKvHeads < m_nHeads && m_nHeads % m_nKvHeads == 0; }

    QString metricNote() const {
        if (!m_metric) return tr("under each head: entropy (bits) and mass on the first token, at the selected row");
        switch (*m_metric) {
            case HeadMetric::FirstToken: return tr("mean p(q → first token) over queries q ≥ 1");
            case HeadMetric::Entropy: return tr("mean attention entropy (bits) over queries q ≥ 1");
            case HeadMetric::PreviousToken: return tr("mean p(q → q − 1) over queries q ≥ 1");
            case HeadMetric::Induction:
                return m_scores.induction.empty() ? tr("induction score: measuring…")
                                                  : tr("induction: p(repeat → token after its first copy), random tokens ×2");
        }
        return {};
    }

    QFont captionFont() const {
        QFont f = font();
        f.setPointSizeF(std::max(7.0, f.pointSizeF() * 0.85));
        return f;
    }

    Geometry geometry_() const {
        Geometry g;
        const QFontMetrics fm(font()), sfm(captionFont());
        g.headerW = fm.horizontalAdvance(QStringLiteral("L00")) + 2;
        const int top = fm.height() * (grouped() ? 2 : 1) + 4 * (grouped() ? 2 : 1), left = g.headerW + 8,
                  bottomNote = sfm.height() + 4;
        g.gap = std::max(4, fm.height() / 3);
        const int availW = width() - left - 4, availH = height() - top - 4 - bottomNote;
        g.captionH = m_metric ? 0 : sfm.height() + 2;
        int side = std::min(availW / std::max(1, m_nHeads) - g.gap,
                            availH / std::max(1, m_nLayers) - g.gap - g.captionH);
        // Captions need room: drop them on a crowded grid (the tooltip still has the numbers).
        if (side < sfm.horizontalAdvance(QStringLiteral("0.0b 00%")) - g.gap) {
            g.captionH = 0;
            side = std::min(availW / std::max(1, m_nHeads) - g.gap, availH / std::max(1, m_nLayers) - g.gap);
        }
        g.side = std::max(8, side);
        const int gridW = m_nHeads * (g.side + g.gap);
        g.left = left + std::max(0, (availW - gridW) / 2);
        g.top = top;
        return g;
    }

    QRect cellRect(const Geometry& g, int l, int h) const {
        return {g.left + h * (g.side + g.gap), g.top + l * (g.side + g.gap + g.captionH), g.side,
                g.side + g.captionH};
    }

    bool hit(const QPoint& pt, int& l, int& h) const {
        if (m_thumbs.empty()) return false;
        const Geometry g = geometry_();
        for (int li = 0; li < m_nLayers; ++li)
            for (int hi = 0; hi < m_nHeads; ++hi)
                if (cellRect(g, li, hi).adjusted(-g.gap / 2, -g.gap / 2, g.gap / 2, g.gap / 2).contains(pt)) {
                    l = li;
                    h = hi;
                    return true;
                }
        return false;
    }

    // What the grid and its running batches share: the newest batch's number (an older batch
    // stops when it changes), the grid to post to, cleared when the grid is destroyed, and how
    // many thumbnails are being drawn right now (the destructor waits for none).
    struct ThumbShared {
        std::atomic<quint64> latest{0};
        std::mutex mutex;
        std::condition_variable idle;
        int busy = 0;  // under mutex
        HeadGrid* owner = nullptr;
    };
    struct ThumbBatch {
        std::vector<QImage> images;
        std::vector<QImage> fitted;  // images scaled to the side the grid had when it started
        std::atomic<size_t> next{0};
        std::atomic<int> running{0};
    };

    void startThumbnails(quint64 generation, size_t n) {
        m_pendingGeneration = generation;
        auto batch = std::make_shared<ThumbBatch>();
        batch->images.resize(n);
        batch->fitted.resize(n);
        const int side = geometry_().side;
        QThreadPool* pool = QThreadPool::globalInstance();
        const int workers = static_cast<int>(std::clamp<size_t>(n, 1, static_cast<size_t>(std::max(1, pool->maxThreadCount()))));
        batch->running = workers;
        for (int w = 0; w < workers; ++w) {
            // Each task has its own gradient: QCPColorGradient fills its colour table lazily.
            pool->start([shared = m_shared, batch, trace = m_trace, mode = m_thumbMode, gradient = m_gradient,
                         heads = m_nHeads, generation, n, side]() mutable {
                for (;;) {
                    size_t i = 0;
                    {
                        const std::lock_guard<std::mutex> lock(shared->mutex);
                        if (shared->latest.load() != generation) break;
                        i = batch->next++;
                        if (i >= n) break;
                        ++shared->busy;
                    }
                    batch->images[i] = headThumbnail(*trace, static_cast<int>(i) / heads, static_cast<int>(i) % heads, mode, gradient);
                    batch->fitted[i] = fitThumb(batch->images[i], side);
                    {
                        const std::lock_guard<std::mutex> lock(shared->mutex);
                        --shared->busy;
                    }
                    shared->idle.notify_all();
                }
                if (--batch->running != 0) return;
                const std::lock_guard<std::mutex> lock(shared->mutex);
                if (!shared->owner || shared->latest.load() != generation) return;
                HeadGrid* owner = shared->owner;
                QMetaObject::invokeMethod(owner, [owner, batch, generation, side] {
                    if (owner->m_pendingGeneration != generation) return;  // finished here, or superseded
                    owner->m_pendingGeneration = 0;
                    owner->m_thumbs = std::move(batch->images);
                    owner->m_fitted.assign(owner->m_thumbs.size(), Fitted{});
                    for (size_t i = 0; i < owner->m_thumbs.size(); ++i)
                        owner->m_fitted[i] = Fitted{owner->m_thumbs[i].cacheKey(), side, std::move(batch->fitted[i])};
                    owner->update();
                }, Qt::QueuedConnection);
            });
        }
    }

    // A thumbnail scaled to the cell's side as drawImage(rect) would (nearest pixel), made once
    // per thumbnail and side instead of at every paint: on the pool with the thumbnail, or here
    // when the grid's side changed since.
    static QImage fitThumb(const QImage& thumb, int side) {
        return thumb.isNull() || thumb.size() == QSize(side, side)
                   ? thumb
                   : thumb.scaled(side, side, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    }
    const QImage& fittedThumb(size_t at, int side) {
        if (m_fitted.size() != m_thumbs.size()) m_fitted.assign(m_thumbs.size(), Fitted{});
        Fitted& f = m_fitted[at];
        if (f.key != m_thumbs[at].cacheKey() || f.side != side) f = Fitted{m_thumbs[at].cacheKey(), side, fitThumb(m_thumbs[at], side)};
        return f.image;
    }

    void recomputeStats() {
        m_stats.clear();
        if (!m_trace) return;
        for (int l = 0; l < m_nLayers; ++l)
            for (int h = 0; h < m_nHeads; ++h) m_stats.push_back(headStats(*m_trace, l, h, m_sel.position, false));
    }

    std::shared_ptr<const anatomy::Trace> m_trace;  // shared with the running thumbnail batch
    std::shared_ptr<ThumbShared> m_shared = [this] {
        auto s = std::make_shared<ThumbShared>();
        s->owner = this;
        return s;
    }();
    quint64 m_pendingGeneration = 0;  // the batch whose thumbnails are awaited; 0: none
    AttentionMode m_thumbMode = AttentionMode::Probabilities;
    std::optional<HeadMetric> m_metric;
    HeadScores m_scores;
    std::vector<float> m_induction;  // the latest measured, kept across traces
    int m_nKvHeads = 0;
    double m_maxEntropy = 1.0;
    QCPColorGradient m_gradient;
    // [nLayers * nHeads], max-pooled to at most kThumbMax pixels a side so peaks survive the
    // shrink; masked blocks (all keys in the future) are light grey; null: still being pooled.
    std::vector<QImage> m_thumbs;
    struct Fitted {
        qint64 key = 0;  // cacheKey() of the thumbnail it was scaled from
        int side = 0;
        QImage image;
    };
    std::vector<Fitted> m_fitted;  // [nLayers * nHeads]: m_thumbs at the cells' side
    std::vector<HeadStats> m_stats;  // [nLayers * nHeads]
    int m_nLayers = 0;
    int m_nHeads = 0;
    Selection m_sel;
};

// ---- the view ----

AttentionView::AttentionView(QWidget* parent) : TraceView(parent) {
    m_title = new QLabel(tr("No trace yet"), this);
    m_title->setTextFormat(Qt::RichText);
    m_title->setWordWrap(true);
    m_modeBox = new QComboBox(this);
    m_modeBox->addItem(tr("Probabilities"), int(AttentionMode::Probabilities));
    m_modeBox->addItem(tr("Scores (before softmax)"), int(AttentionMode::Scores));
    m_modeBox->addItem(tr("Log probabilities"), int(AttentionMode::LogProbabilities));
    m_modeBox->addItem(tr("B − A (pinned trace)"), int(AttentionMode::Difference));
    m_modeBox->setToolTip(tr("What the colours show"));
    connect(m_modeBox, &QComboBox::currentIndexChanged, this,
            [this](int i) { setMode(static_cast<AttentionMode>(m_modeBox->itemData(i).toInt())); });

    m_gridMetric = new QComboBox(this);
    m_gridMetric->addItem(tr("Heads: maps"), -1);
    m_gridMetric->addItem(tr("Heads: first-token mass"), int(HeadMetric::FirstToken));
    m_gridMetric->addItem(tr("Heads: entropy"), int(HeadMetric::Entropy));
    m_gridMetric->addItem(tr("Heads: previous-token"), int(HeadMetric::PreviousToken));
    m_gridMetric->addItem(tr("Heads: induction"), int(HeadMetric::Induction));
    m_gridMetric->setToolTip(tr("Find heads by behaviour: one score per layer and head; click a head to select it"));

    m_grid = new HeadGrid(this);
    m_grid->setObjectName(QStringLiteral("headGrid"));  // a lesson highlight's element
    connect(m_gridMetric, &QComboBox::currentIndexChanged, this, [this](int i) {
        const int m = m_gridMetric->itemData(i).toInt();
        m_grid->setMetric(m < 0 ? std::nullopt : std::optional<HeadMetric>(static_cast<HeadMetric>(m)));
    });
    m_grid->onPicked = [this](int l, int h) {
        Selection s = m_sel;
        s.layer = l;
        s.head = h;
        Q_EMIT selectionRequested(s);
    };

    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("attentionMap"));
    m_plot->setMinimumSize(240, 240);
    m_plot->setAttribute(Qt::WA_OpaquePaintEvent);
    m_colorMap = new QCPColorMap(m_plot->xAxis, m_plot->yAxis);
    m_colorMap->setInterpolate(false);
    m_colorMap->setTightBoundary(false);
    m_colorScale = new QCPColorScale(m_plot);
    m_plot->plotLayout()->addElement(0, 1, m_colorScale);
    m_colorScale->setType(QCPAxis::atRight);
    m_colorScale->setBarWidth(14);
    m_colorMap->setColorScale(m_colorScale);
    m_colorScale->setGradient(attentionGradient());  // after linking: the scale's gradient wins
    auto* margins = new QCPMarginGroup(m_plot);
    m_plot->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_colorScale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    // The causal mask: future keys are NaN (transparent) over a hatched background.
    m_plot->axisRect()->setBackground(QBrush(QColor(0x9a, 0x9a, 0x9a), Qt::BDiagPattern));
    for (QCPAxis* a : {m_plot->xAxis, m_plot->yAxis}) {
        a->grid()->setVisible(false);
        a->setSubTicks(false);
        a->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
    }
    m_plot->yAxis->setRangeReversed(true);  // query 0 at the top, like a matrix
    m_plot->xAxis->setTickLabelRotation(90);
    m_plot->xAxis->setLabel(tr("key: the token read"));
    m_plot->yAxis->setLabel(tr("query: the token reading"));
    // On a short pane (a 1280x720 slide) the axis titles longer than their axis and the colour
    // bar's title go, and the tick labels shrink, instead of being cut at the plot's edges.
    lecture::fitOnLayout(m_plot);
    m_rowMark = new QCPItemRect(m_plot);
    m_rowMark->setPen(QPen(kMarkColor, 2));
    m_rowMark->setBrush(Qt::NoBrush);
    m_rowMark->setClipToAxisRect(true);
    m_rowMark->setVisible(false);
    connect(m_plot, &QCustomPlot::mouseMove, this, &AttentionView::onPlotHover);
    connect(m_plot, &QCustomPlot::mousePress, this, &AttentionView::onPlotClick);
    // Zoom with the wheel, pan by dragging; the range stays on the map (onRangeChanged) and
    // the tick labels follow what is visible.
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal | Qt::Vertical);
    m_plot->axisRect()->setRangeZoomFactor(0.8);
    m_plot->setFocusPolicy(Qt::ClickFocus);
    m_plot->installEventFilter(this);
    connect(m_plot->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] { onRangeChanged(); });
    connect(m_plot->yAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] { onRangeChanged(); });

    m_readout = new QLabel(this);
    m_readout->setTextFormat(Qt::RichText);
    m_readout->setText(readoutHint());
    m_readout->setWordWrap(true);
    // Long hover texts wrap; they never widen the view.
    m_readout->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->addWidget(m_grid);
    m_split->addWidget(m_plot);
    m_split->setStretchFactor(0, 4);
    m_split->setStretchFactor(1, 5);
    m_split->setSizes({400, 500});
    m_split->setChildrenCollapsible(false);

    // The title beside the boxes, or above them when the view is narrow (resizeEvent): beside
    // them in a pane half a slide wide it was squeezed to a sliver many lines tall.
    m_top = new QBoxLayout(QBoxLayout::LeftToRight);
    auto* boxes = new QHBoxLayout;
    boxes->addStretch(1);
    boxes->addWidget(m_gridMetric, 0, Qt::AlignTop);
    boxes->addWidget(m_modeBox, 0, Qt::AlignTop);
    m_top->addWidget(m_title, 1);
    m_top->addLayout(boxes);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(m_top);
    layout->addWidget(m_split, 1);
    layout->addWidget(m_readout);
    updateFonts();
}

AttentionView::~AttentionView() = default;

void AttentionView::setInput(const ViewInput& input) {
    if (input.trace == m_input.trace) {  // sampler-only change: attention does not depend on it
        m_input = input;
        return;
    }
    m_input = input;
    // A tooltip open over the head grid describes the old trace.
    if (underMouse() && QToolTip::isVisible()) QToolTip::hideText();
    m_labels.clear();
    if (const anatomy::Trace* t = m_input.trace.get()) {
        for (int i = 0; i < t->nKv && i < static_cast<int>(t->tokens.size()); ++i) {
            const int id = t->tokens[static_cast<size_t>(i)];
            std::string raw = m_input.tokenizer && id >= 0 && id < m_input.tokenizer->vocabSize()
                                  ? m_input.tokenizer->piece(id)
                                  : (i < static_cast<int>(t->tokenText.size()) ? t->tokenText[static_cast<size_t>(i)]
                                                                               : std::to_string(id));
            // A decoder's BOS reads "<s>"; an encoder's [CLS] keeps its own name.
            if (i == 0 && m_input.tokenizer && id == m_input.tokenizer->bosId() && t->architecture.languageModel) raw = "<s>";
            QString label = displayPiece(raw);
            if (label.size() > 12) label = label.left(11) + QStringLiteral("…");
            m_labels.push_back(label);
        }
        m_clamped = clampSelection(*t, m_sel);
    }
    rebuildGrid();
    rebuildMap();
}

void AttentionView::setSelection(const Selection& sel) {
    const Selection before = m_clamped;
    m_sel = sel;
    if (!m_input.trace) return;
    m_clamped = clampSelection(*m_input.trace, m_sel);
    if (m_clamped == before) return;
    m_grid->setSelection(m_clamped);
    if (m_clamped.layer != before.layer || m_clamped.head != before.head) {
        rebuildMap();
    } else {
        m_rowMark->topLeft->setCoords(-0.5, m_clamped.position - 0.5);
        m_rowMark->bottomRight->setCoords(m_map.nKv - 0.5, m_clamped.position + 0.5);
        updateTitle();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void AttentionView::setInductionScores(const std::vector<float>& scores) { m_grid->setInduction(scores); }

void AttentionView::setHeadMetric(std::optional<HeadMetric> metric) {
    const int i = m_gridMetric->findData(metric ? int(*metric) : -1);
    if (i >= 0) m_gridMetric->setCurrentIndex(i);
}

const HeadScores& AttentionView::headScores() const { return m_grid->scores(); }

bool AttentionView::drawingPending() const { return m_grid->thumbnailsPending(); }

void AttentionView::finishDrawing() { m_grid->finishThumbnails(); }

void AttentionView::setMode(AttentionMode mode) {
    if (mode == m_mode) return;
    m_mode = mode;
    const int i = m_modeBox->findData(int(mode));
    if (i >= 0 && i != m_modeBox->currentIndex()) m_modeBox->setCurrentIndex(i);
    rebuildGrid();
    rebuildMap();
}

void AttentionView::setReference(std::shared_ptr<const anatomy::Trace> reference) {
    m_reference = std::move(reference);
    if (m_mode == AttentionMode::Difference) rebuildMap();
}

void AttentionView::rebuildGrid() {
    // The thumbnails show this trace's own probabilities in the B - A mode.
    m_grid->setData(m_input.trace, m_mode == AttentionMode::Difference ? AttentionMode::Probabilities : m_mode,
                    attentionGradient());
    m_grid->setSelection(m_clamped);
}

void AttentionView::rebuildMap() {
    if (!m_input.trace) {
        m_map = {};
        m_colorMap->data()->clear();
        m_rowMark->setVisible(false);
        updateTitle();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    m_map = attentionMapData(*m_input.trace, m_clamped, m_mode, m_reference.get());
    m_colorScale->setGradient(m_mode == AttentionMode::Difference ? differenceGradient() : attentionGradient());
    QCPColorMapData* data = m_colorMap->data();
    data->setSize(m_map.nKv, m_map.nQ);
    data->setRange(QCPRange(0, std::max(1, m_map.nKv - 1)), QCPRange(0, std::max(1, m_map.nQ - 1)));
    for (int q = 0; q < m_map.nQ; ++q)
        for (int k = 0; k < m_map.nKv; ++k) data->setCell(k, q, m_map.at(q, k));
    m_colorMap->setDataRange(QCPRange(m_map.minValue, m_map.maxValue));
    m_colorScale->axis()->setLabel(modeLabel(m_mode, m_input.trace.get(), m_map.layer));
    if (m_mode == AttentionMode::LogProbabilities) {
        // Ticks read as probabilities (1, 0.1, 0.01, 10⁻³, …); the floor says it is a floor.
        auto ticker = QSharedPointer<QCPAxisTickerText>::create();
        const int lowest = static_cast<int>(std::ceil(m_map.minValue - 1e-4f));
        const int step = lowest < -6 ? 2 : 1;
        for (int e = 0; e >= lowest; e -= step) {
            QString text = e == 0 ? QStringLiteral("1") : e == -1 ? QStringLiteral("0.1") : e == -2 ? QStringLiteral("0.01")
                                                                                                  : QStringLiteral("10⁻%1").arg(superscript(-e));
            if (e <= kLogFloor) text = QStringLiteral("≤ ") + text;
            ticker->addTick(e, text);
        }
        m_colorScale->axis()->setTicker(ticker);
    } else if (qSharedPointerDynamicCast<QCPAxisTickerText>(m_colorScale->axis()->ticker())) {
        m_colorScale->axis()->setTicker(QSharedPointer<QCPAxisTicker>::create());
    }
    // A new shape (another prompt) shows the whole map; the same shape keeps the zoom.
    if (m_map.nKv != m_shownKv || m_map.nQ != m_shownQ) {
        m_shownKv = m_map.nKv;
        m_shownQ = m_map.nQ;
        zoomToFit();
    }
    m_rowMark->topLeft->setCoords(-0.5, m_clamped.position - 0.5);
    m_rowMark->bottomRight->setCoords(m_map.nKv - 0.5, m_clamped.position + 0.5);
    m_rowMark->setVisible(m_map.nQ > 0);
    updateTicks();
    updateTitle();
    updateReadout();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void AttentionView::updateTicks() {
    const QFontMetrics fm(m_plot->xAxis->tickLabelFont());
    // Pixels per cell from the last layout, or the widget's size before the first one.
    const int w = m_plot->axisRect()->width() > 10 ? m_plot->axisRect()->width() : m_plot->width() - 120;
    const int h = m_plot->axisRect()->height() > 10 ? m_plot->axisRect()->height() : m_plot->height() - 120;
    const QCPRange xr = m_plot->xAxis->range(), yr = m_plot->yAxis->range();
    // One label per line of text: the step is the number of visible cells a label needs,
    // rounded up to 1, 2, 5, 10, 20, 50, ... so the labelled positions are easy to read.
    auto stepFor = [&](int px, double cells) {
        const double perCell = std::max(1, px) / std::max(1.0, cells);
        const int raw = std::max(1, int(std::ceil(fm.height() * 1.1 / perCell)));
        for (int decade = 1;; decade *= 10)
            for (int m : {1, 2, 5})
                if (m * decade >= raw) return m * decade;
    };
    m_tickStepX = stepFor(w, xr.size());
    m_tickStepY = stepFor(h, yr.size());
    // "12 Lily": the position, then the token, so a long map stays readable.
    auto fill = [&](QCPAxis* axis, int n, int step, int offset, const QCPRange& r) {
        auto ticker = axis->ticker().dynamicCast<QCPAxisTickerText>();
        ticker->clear();
        const int lo = std::max(0, int(std::ceil(r.lower))), hi = std::min(n - 1, int(std::floor(r.upper)));
        for (int i = (lo + step - 1) / step * step; i <= hi; i += step) {
            const int pos = i + offset;
            ticker->addTick(i, QStringLiteral("%1 %2").arg(pos).arg(tokenLabel(pos)));
        }
    };
    fill(m_plot->xAxis, m_map.nKv, m_tickStepX, 0, xr);
    fill(m_plot->yAxis, m_map.nQ, m_tickStepY, m_map.firstQueryPos, yr);
}

void AttentionView::zoomTo(double k0, double k1, double q0, double q1) {
    m_plot->xAxis->setRange(k0 - 0.5, k1 + 0.5);
    m_plot->yAxis->setRange(q0 - 0.5, q1 + 0.5);  // onRangeChanged clamps both
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void AttentionView::zoomToFit() { zoomTo(0, std::max(0, m_map.nKv - 1), 0, std::max(0, m_map.nQ - 1)); }

std::pair<double, double> AttentionView::visibleKeys() const {
    const QCPRange r = m_plot->xAxis->range();
    return {r.lower + 0.5, r.upper - 0.5};
}

void AttentionView::onRangeChanged() {
    if (m_clamping) return;
    m_clamping = true;
    // Keep the range on the map, at least 4 cells (or the whole map) wide.
    auto clamp = [](QCPAxis* a, int n) {
        const double lo = -0.5, hi = std::max(1, n) - 0.5;
        QCPRange r = a->range();
        const double span = std::clamp(r.size(), std::min(4.0, hi - lo), hi - lo);
        double start = std::clamp(r.center() - span / 2, lo, hi - span);
        a->setRange(start, start + span);
    };
    clamp(m_plot->xAxis, m_map.nKv);
    clamp(m_plot->yAxis, m_map.nQ);
    m_clamping = false;
    updateTicks();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void AttentionView::zoomBy(double factor) {
    m_plot->xAxis->scaleRange(factor, m_plot->xAxis->range().center());
    m_plot->yAxis->scaleRange(factor, m_plot->yAxis->range().center());
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void AttentionView::panBy(double dKeys, double dQueries) {
    m_plot->xAxis->moveRange(dKeys * std::max(1.0, m_plot->xAxis->range().size() / 4));
    m_plot->yAxis->moveRange(dQueries * std::max(1.0, m_plot->yAxis->range().size() / 4));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

bool AttentionView::eventFilter(QObject* watched, QEvent* e) {
    if (watched == m_plot && e->type() == QEvent::Leave) {
        m_hovering = false;
        updateReadout();
    }
    if (watched == m_plot && e->type() == QEvent::KeyPress) {
        const auto* k = static_cast<QKeyEvent*>(e);
        const bool shift = k->modifiers() & Qt::ShiftModifier;
        switch (k->key()) {
            case Qt::Key_Plus:
            case Qt::Key_Equal: zoomBy(0.7); return true;
            case Qt::Key_Minus: zoomBy(1 / 0.7); return true;
            case Qt::Key_0: zoomToFit(); return true;
            case Qt::Key_Left: if (shift) { panBy(-1, 0); return true; } break;
            case Qt::Key_Right: if (shift) { panBy(1, 0); return true; } break;
            case Qt::Key_Up: if (shift) { panBy(0, -1); return true; } break;
            case Qt::Key_Down: if (shift) { panBy(0, 1); return true; } break;
            default: break;
        }
    }
    return TraceView::eventFilter(watched, e);
}

QString AttentionView::tokenLabel(int pos) const {
    return pos >= 0 && pos < static_cast<int>(m_labels.size()) ? m_labels[static_cast<size_t>(pos)]
                                                               : QString::number(pos);
}

void AttentionView::updateTitle() {
    if (m_input.trace && m_map.nQ == 0 && m_mode == AttentionMode::Difference) {
        if (m_reference && m_reference->tokens == m_input.trace->tokens &&
            !m_reference->hasWholeAttention(m_clamped.layer) && m_reference->spec.attention) {
            // A large model's pinned trace kept another layer's maps whole.
            m_title->setText(tr("<b>B − A</b> — the pinned trace A kept layer %1 as thumbnails only: pin again "
                                "with this layer selected (View > Pin trace as A)")
                                 .arg(m_clamped.layer));
            return;
        }
        m_title->setText(m_reference ? tr("<b>B − A</b> — the pinned trace A covers other tokens: pin this text again "
                                          "(View > Pin trace as A)")
                                     : tr("<b>B − A</b> — no trace pinned yet: View > Pin trace as A"));
        return;
    }
    if (m_input.trace && m_map.nQ == 0 && m_input.trace->spec.attention &&
        !m_input.trace->hasWholeAttention(m_clamped.layer)) {
        // A large model's trace keeps the selected layer's maps only; another layer's come
        // with the next trace, which the selection asked for.
        m_title->setText(tr("<b>Layer %1 · head %2</b> — tracing this layer's attention maps… "
                            "<span style='color:gray'>(this model's trace keeps the selected layer's maps "
                            "whole and the other layers' as thumbnails)</span>")
                             .arg(m_clamped.layer)
                             .arg(m_clamped.head));
        return;
    }
    if (!m_input.trace || m_map.nQ == 0) {
        m_title->setText(tr("<b>Attention</b> — no trace yet"));
        return;
    }
    const HeadStats s = headStats(*m_input.trace, m_clamped.layer, m_clamped.head, m_clamped.position);
    const int qPos = m_map.firstQueryPos + m_clamped.position;
    m_title->setText(tr("<b>Layer %1 · head %2</b> &nbsp; query “%3” (pos %4): entropy %5 bits, "
                        "first-token sink %6% &nbsp;<span style='color:gray'>(mean over rows %7 bits, %8%)</span>")
                         .arg(m_clamped.layer)
                         .arg(m_clamped.head)
                         .arg(tokenLabel(qPos).toHtmlEscaped())
                         .arg(qPos)
                         .arg(s.entropyBits, 0, 'f', 2)
                         .arg(100 * s.sinkMass, 0, 'f', 0)
                         .arg(s.meanEntropyBits, 0, 'f', 2)
                         .arg(100 * s.meanSinkMass, 0, 'f', 0));
}

void AttentionView::onPlotHover(QMouseEvent* e) {
    m_hoverPixel = e->position();
    m_hovering = true;
    updateReadout();
}

// anatomy::maskReasonText in the interface language (the engine's is English, for the CLI).
QString AttentionView::maskReasonLabel(anatomy::MaskReason r, const anatomy::SimSettings& s) {
    using R = anatomy::MaskReason;
    switch (r) {
        case R::Visible: return tr("visible");
        case R::Future: return tr("in the future of the query (causal mask)");
        case R::OutsidePrefix: return tr("a later key outside the %1-token prefix (prefix-LM mask)").arg(s.prefixLength);
        case R::Window: return tr("outside the sliding window of %1 keys").arg(s.window);
        case R::SinksWindow:
            return tr("neither one of the %1 sink tokens nor inside the window of %2 keys").arg(s.sinks).arg(s.window);
        case R::Strided:
            return tr("outside the local window of %1 and off the stride of %2 (strided pattern)").arg(s.window).arg(s.stride);
        case R::ShiftedGroup: return tr("in another group of %1 tokens (shifted sparse attention)").arg(s.s2Group);
        case R::OutOfRange: return tr("no such key");
    }
    return {};
}

QString AttentionView::readoutText() const { return m_readout->text(); }

QString AttentionView::readoutHint() {
    return tr("Hover a cell to read it; click a row to select that query. "
              "Wheel: zoom, drag: pan, 0: whole map.");
}

void AttentionView::updateReadout() {
    // Read from the map now shown: after a re-trace the numbers under a still pointer are the
    // new trace's, never the last hover's.
    if (!m_hovering || m_map.nQ == 0 || !m_input.trace) {
        m_readout->setText(readoutHint());
        return;
    }
    const double x = m_plot->xAxis->pixelToCoord(m_hoverPixel.x());
    const double y = m_plot->yAxis->pixelToCoord(m_hoverPixel.y());
    const int k = static_cast<int>(std::lround(x)), q = static_cast<int>(std::lround(y));
    if (k < 0 || k >= m_map.nKv || q < 0 || q >= m_map.nQ) {
        m_readout->setText(readoutHint());
        return;
    }
    const int qPos = m_map.firstQueryPos + q;
    const QString who = tr("query “<b>%1</b>” (pos %2) → key “<b>%3</b>” (pos %4)")
                            .arg(tokenLabel(qPos).toHtmlEscaped())
                            .arg(qPos)
                            .arg(tokenLabel(k).toHtmlEscaped())
                            .arg(k);
    if (m_map.masked(q, k)) {
        const anatomy::Trace& t = *m_input.trace;
        const int nHeads = t.config.nHeads > 0 ? t.config.nHeads : 1;
        const anatomy::SimSettings ran = anatomy::visibilitySettings(t, m_map.layer);
        const anatomy::MaskReason why = anatomy::attentionMaskReason(ran, nHeads, m_map.head, qPos, k, m_map.nKv);
        m_readout->setText(who + tr(": not seen: %1").arg(maskReasonLabel(why, ran)));
        return;
    }
    const anatomy::LayerTrace& lt = m_input.trace->layers[static_cast<size_t>(m_map.layer)];
    QString text = who;
    if (!lt.attnProbs.empty())
        text += tr(": probability <b>%1</b>").arg(lt.attnProbs.at({m_map.head, q, k}), 0, 'f', 4);
    if (!lt.attnScores.empty())
        text += tr(", score %1 = %2").arg(scoreFormula(m_input.trace.get(), m_map.layer))
                    .arg(lt.attnScores.at({m_map.head, q, k}), 0, 'f', 3);
    if (m_mode == AttentionMode::Difference && std::isfinite(m_map.at(q, k)))
        text += tr(" · B − A <b>%1</b>").arg(m_map.at(q, k), 0, 'f', 4);
    m_readout->setText(text);
}

void AttentionView::onPlotClick(QMouseEvent* e) {
    if (m_map.nQ == 0) return;
    const int q = static_cast<int>(std::lround(m_plot->yAxis->pixelToCoord(e->position().y())));
    if (q < 0 || q >= m_map.nQ) return;
    Selection s = m_clamped;
    s.position = q;
    Q_EMIT selectionRequested(s);
}

void AttentionView::updateFonts() {
    const QFont base = font();
    QFont label = base;
    label.setPointSizeF(base.pointSizeF() * 1.05);
    for (QCPAxis* a : {m_plot->xAxis, m_plot->yAxis, m_colorScale->axis()}) {
        a->setTickLabelFont(base);
        a->setLabelFont(label);
        a->setProperty("_fitTickPt", base.pointSizeF());  // lecture::fitAxes shrinks from this size
    }
    QFont title = base;
    title.setPointSizeF(base.pointSizeF() * 1.15);
    m_title->setFont(title);
    updateTicks();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void AttentionView::changeEvent(QEvent* e) {
    if (restyleOnFontChange(e)) updateFonts();
    TraceView::changeEvent(e);
}

void AttentionView::resizeEvent(QResizeEvent* e) {
    TraceView::resizeEvent(e);
    // The title needs room for about 24 characters beside the boxes.
    const int boxes = m_gridMetric->sizeHint().width() + m_modeBox->sizeHint().width();
    const bool stack = width() < boxes + 24 * fontMetrics().averageCharWidth();
    m_top->setDirection(stack ? QBoxLayout::TopToBottom : QBoxLayout::LeftToRight);
    updateTicks();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QString AttentionView::toCsv() const {
    // One row per cell of the selected head; probability and score are empty only where the
    // trace's mask hid the key (masked = 1).
    QString out = QStringLiteral("layer,head,query_pos,key_pos,query_token,key_token,probability,score,masked\n");
    if (!m_input.trace || m_map.nQ == 0) return out;
    const anatomy::LayerTrace& lt = m_input.trace->layers[static_cast<size_t>(m_map.layer)];
    auto quoted = [](QString s) { return QLatin1Char('"') + s.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"'); };
    auto number = [](float v) { return std::isfinite(v) ? QString::number(v, 'g', 7) : QString(); };
    for (int q = 0; q < m_map.nQ; ++q) {
        const int qPos = m_map.firstQueryPos + q;
        for (int k = 0; k < m_map.nKv; ++k) {
            const bool masked = m_map.masked(q, k);
            const float score = lt.attnScores.empty() ? kNaN : lt.attnScores.at({m_map.head, q, k});
            const float prob = lt.attnProbs.empty() ? kNaN : lt.attnProbs.at({m_map.head, q, k});
            out += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9\n")
                       .arg(m_map.layer)
                       .arg(m_map.head)
                       .arg(qPos)
                       .arg(k)
                       .arg(quoted(tokenLabel(qPos)), quoted(tokenLabel(k)))
                       .arg(masked ? QString() : number(prob), masked ? QString() : number(score))
                       .arg(masked ? 1 : 0);
        }
    }
    return out;
}

}  // namespace anatomy::widgets
