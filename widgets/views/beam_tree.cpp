#include "views/beam_tree.h"

#include <QEvent>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <map>

#include "anatomy/tokenizer.h"

namespace anatomy::widgets {

namespace {
// The least sizes (the window's default font fits them); a larger font grows them.
constexpr double kBoxW = 104, kBoxH = 34, kGapX = 26, kGapY = 8, kMargin = 8, kPromptW = 70;
constexpr double kTokenMaxW = 220;  // a longer piece is elided rather than widening every column

QFont smallFont(const QFont& f) {
    QFont small = f;
    small.setPointSizeF(f.pointSizeF() * 0.85);
    return small;
}

QString pieceOf(const anatomy::Tokenizer* tok, int id) {
    if (!tok || id < 0 || id >= tok->vocabSize()) return QString::number(id);
    if (id == tok->bosId() || id == tok->eosId()) return QStringLiteral("⏹ end");
    QString p = QString::fromStdString(tok->piece(id));
    p.replace(QLatin1Char('\n'), QStringLiteral("↵"));
    return QStringLiteral("“%1”").arg(p);
}

QColor fillOf(anatomy::BeamNodeState s) {
    switch (s) {
        case anatomy::BeamNodeState::Live: return QColor(0xdb, 0xe9, 0xfb);
        case anatomy::BeamNodeState::Finished: return QColor(0xd9, 0xf2, 0xdc);
        case anatomy::BeamNodeState::Pruned: return QColor(0xf2, 0xf2, 0xf2);
    }
    return Qt::white;
}
}  // namespace

BeamTreeLayout beamTreeLayout(const anatomy::BeamResult& r, const anatomy::Tokenizer* tok, int maxStep, const QFont& font) {
    BeamTreeLayout L;
    const int steps = maxStep < 0 ? r.steps : std::min(maxStep, r.steps);
    L.steps = steps;
    std::map<int, int> boxOf;  // node -> box
    std::vector<int> rowsPerStep(size_t(steps) + 1, 0);
    // The rank-1 hypothesis's path, when the search is done.
    std::vector<char> onBest(r.nodes.size(), 0);
    if (r.done && !r.ranked.empty())
        for (int n = r.ranked.front().node; n >= 0; n = r.nodes[size_t(n)].parent) onBest[size_t(n)] = 1;
    for (size_t i = 0; i < r.nodes.size(); ++i) {
        const anatomy::BeamNode& n = r.nodes[i];
        if (n.step > steps) continue;
        BeamTreeBox b;
        b.node = int(i);
        b.step = n.step;
        b.row = rowsPerStep[size_t(n.step)]++;
        b.token = pieceOf(tok, n.token);
        b.numbers = QStringLiteral("lp %1  Σ %2").arg(n.logprob, 0, 'f', 2).arg(n.cumulative, 0, 'f', 2);
        b.state = n.state;
        b.best = onBest[i] != 0;
        auto it = boxOf.find(n.parent);
        b.parentBox = it == boxOf.end() ? -1 : it->second;
        boxOf[int(i)] = int(L.boxes.size());
        L.boxes.push_back(b);
    }
    placeBeamTree(L, font);
    return L;
}

void placeBeamTree(BeamTreeLayout& L, const QFont& font) {
    const QFontMetricsF fm(font), sfm(smallFont(font));
    // Every box as wide as the widest numbers line (and its piece, up to kTokenMaxW), as tall
    // as the two lines; gaps grow with the text.
    double w = kBoxW;
    for (const BeamTreeBox& b : L.boxes)
        w = std::max({w, sfm.horizontalAdvance(b.numbers) + 12, std::min(kTokenMaxW, fm.horizontalAdvance(b.token) + 12)});
    const double h = std::max(kBoxH, fm.height() + sfm.height() + 6);
    const double gapX = std::max(kGapX, fm.height() * 1.2), gapY = std::max(kGapY, fm.height() * 0.3);
    const double promptW = std::max(kPromptW, fm.horizontalAdvance(BeamTreeWidget::tr("prompt")) + 16);
    int maxRows = 1;
    for (BeamTreeBox& b : L.boxes) {
        b.rect = QRectF(kMargin + promptW + gapX + (b.step - 1) * (w + gapX), kMargin + b.row * (h + gapY), w, h);
        maxRows = std::max(maxRows, b.row + 1);
    }
    L.promptRect = QRectF(kMargin, kMargin, promptW, h);
    L.size = QSizeF(kMargin * 2 + promptW + L.steps * (w + gapX), kMargin * 2 + maxRows * (h + gapY));
}

BeamTreeWidget::BeamTreeWidget(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("beamTree"));
    setAutoFillBackground(true);
    QPalette p = palette();
    p.setColor(QPalette::Window, Qt::white);
    setPalette(p);
}

void BeamTreeWidget::setTree(const anatomy::BeamResult& result, const anatomy::Tokenizer* tokenizer, int maxStep) {
    m_layout = beamTreeLayout(result, tokenizer, maxStep, font());
    setMinimumSize(m_layout.size.toSize());
    updateGeometry();
    update();
}

void BeamTreeWidget::changeEvent(QEvent* e) {
    QWidget::changeEvent(e);
    if (e->type() != QEvent::FontChange) return;
    placeBeamTree(m_layout, font());  // presentation mode: the boxes grow with the text
    setMinimumSize(m_layout.size.toSize());
    updateGeometry();
    update();
}

QSize BeamTreeWidget::sizeHint() const { return m_layout.size.toSize().expandedTo(QSize(200, 120)); }

void BeamTreeWidget::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFont small = smallFont(font());
    // The prompt, the root.
    p.setPen(QPen(QColor(0x55, 0x55, 0x55), 1));
    p.setBrush(QColor(0xfff3d6));
    p.drawRoundedRect(m_layout.promptRect, 5, 5);
    p.drawText(m_layout.promptRect, Qt::AlignCenter, tr("prompt"));
    // Edges first, under the boxes.
    for (const BeamTreeBox& b : m_layout.boxes) {
        const QRectF from = b.parentBox < 0 ? m_layout.promptRect : m_layout.boxes[size_t(b.parentBox)].rect;
        QPainterPath path(QPointF(from.right(), from.center().y()));
        const QPointF to(b.rect.left(), b.rect.center().y());
        const double mid = (from.right() + to.x()) / 2;
        path.cubicTo(QPointF(mid, from.center().y()), QPointF(mid, to.y()), to);
        QPen pen(b.best ? QColor(0x1a, 0x7f, 0x37) : (b.state == anatomy::BeamNodeState::Pruned ? QColor(0xc8, 0xc8, 0xc8)
                                                                                              : QColor(0x6a, 0x8c, 0xc7)),
                 b.best ? 2.5 : 1.2);
        if (b.state == anatomy::BeamNodeState::Pruned) pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
    }
    for (const BeamTreeBox& b : m_layout.boxes) {
        QPen pen(b.state == anatomy::BeamNodeState::Finished ? QColor(0x1a, 0x7f, 0x37)
                 : b.state == anatomy::BeamNodeState::Pruned ? QColor(0xb0, 0xb0, 0xb0)
                                                             : QColor(0x2f, 0x5d, 0xa8),
                 b.state == anatomy::BeamNodeState::Finished || b.best ? 2.2 : 1.0);
        if (b.state == anatomy::BeamNodeState::Pruned) pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.setBrush(fillOf(b.state));
        p.drawRoundedRect(b.rect, 5, 5);
        p.setPen(b.state == anatomy::BeamNodeState::Pruned ? QColor(0x90, 0x90, 0x90) : QColor(0x20, 0x20, 0x20));
        p.setFont(font());
        p.drawText(b.rect.adjusted(4, 1, -4, -b.rect.height() / 2), Qt::AlignLeft | Qt::AlignVCenter,
                   p.fontMetrics().elidedText(b.token, Qt::ElideRight, int(b.rect.width() - 8)));
        p.setFont(small);
        p.drawText(b.rect.adjusted(4, b.rect.height() / 2 - 1, -4, -1), Qt::AlignLeft | Qt::AlignVCenter, b.numbers);
    }
}

}  // namespace anatomy::widgets
