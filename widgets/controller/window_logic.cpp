#include "controller/window_logic.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <algorithm>

#include "anatomy/model_registry.h"
#include "views/token_strip.h"

namespace anatomy::widgets {

bool traceServes(const anatomy::Trace& t, const QString& view) {
    if (view == QLatin1String("lens")) return t.spec.logitLens;
    if (view == QLatin1String("rope") || view == QLatin1String("steps")) return t.spec.qk && t.spec.attention;
    // The cross-attention view draws the decoder's own self-attention beside the cross maps.
    if (view == QLatin1String("attention") || view == QLatin1String("cross")) return t.spec.attention;
    return true;
}

Selection clampSelection(const Selection& sel, const anatomy::Trace& t) {
    Selection s = sel;
    // Following the last token (-1) stays so until a position is picked.
    if (s.position >= t.nQ) s.position = t.nQ - 1;
    s.layer = std::clamp(s.layer, 0, std::max(0, int(t.layers.size()) - 1));
    s.head = std::clamp(s.head, 0, std::max(0, t.config.nHeads - 1));
    return s;
}

Selection moveSelection(const Selection& sel, const anatomy::Trace& t, int dPos, int dLayer, int dHead) {
    Selection s = sel;
    if (dPos != 0) {
        const int cur = s.position < 0 ? t.nQ - 1 : s.position;
        s.position = std::clamp(cur + dPos, 0, std::max(0, t.nQ - 1));
    }
    s.layer = std::max(0, s.layer + dLayer);
    s.head = std::max(0, s.head + dHead);
    return clampSelection(s, t);
}

QString selectionSummary(const ViewInput& input, const Selection& sel) {
    if (!input.trace) return {};
    const anatomy::Trace& t = *input.trace;
    const int row = sel.position < 0 ? t.nQ - 1 : sel.position;
    const int pos = t.firstQueryPos + row;
    QString piece;
    if (pos >= 0 && pos < int(t.tokens.size()) && input.tokenizer)
        piece = displayPiece(input.tokenizer->piece(t.tokens[size_t(pos)]));
    return QCoreApplication::translate("MainWindow", "position %1 “%2” · layer %3 · head %4 · %5 tokens")
        .arg(pos)
        .arg(piece)
        .arg(sel.layer)
        .arg(sel.head)
        .arg(t.tokens.size());
}

anatomy::CaptureSpec captureSpecFor(const QStringList& shown, int selectedLayer) {
    anatomy::CaptureSpec spec = anatomy::CaptureSpec::everything();
    spec.logitLens = shown.contains(QStringLiteral("lens"));
    spec.qk = shown.contains(QStringLiteral("rope")) || shown.contains(QStringLiteral("steps"));
    spec.attention = shown.contains(QStringLiteral("attention")) || shown.contains(QStringLiteral("cross")) || spec.qk;
    spec.wholeLayers = {std::max(0, selectedLayer)};
    spec.wholeUnderBytes = kWholeAttentionBytes;
    return spec;
}

QString locateSessionModel(const QString& savedPath, QString* error) {
    if (QFileInfo::exists(savedPath)) return savedPath;
    // Moved folders: find the same file name on the search path.
    const std::string r = anatomy::resolveModelPath(QFileInfo(savedPath).fileName().toStdString());
    if (r.empty()) {
        if (error) *error = QCoreApplication::translate("MainWindow", "the session's model %1 was not found").arg(savedPath);
        return {};
    }
    return QString::fromStdString(r);
}

}  // namespace anatomy::widgets
