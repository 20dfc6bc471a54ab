#include "views/embedding_view.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "plot/qcustomplot_include.h"
#include "views/sampling_view.h"  // csvField, lecture styling

namespace anatomy::widgets {

namespace {

// "1  The cat sat on the…" for an axis, at most n characters of the sentence.
QString shortLabel(int i, const QString& line, int n = 22) {
    const QString s = line.size() > n ? line.left(n - 1) + QChar(0x2026) : line;
    return QString::number(i + 1) + QStringLiteral("  ") + s;
}

QCPColorGradient similarityGradient() {
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0, QColor(40, 90, 190));
    g.setColorStopAt(0.5, QColor(250, 250, 250));
    g.setColorStopAt(1, QColor(200, 50, 40));
    return g;
}

void resetPlot(QCustomPlot* p) {
    p->clearPlottables();
    p->clearItems();
    p->plotLayout()->clear();
    p->plotLayout()->simplify();
}

void showMessage(QCustomPlot* p, const QString& message) {
    resetPlot(p);
    p->plotLayout()->addElement(0, 0, lecture::fittedText(p, message, lecture::kLabelPt, false));
    p->replot();
}

// A fresh axis rect in row 1 under a title in row 0.
QCPAxisRect* titledRect(QCustomPlot* p, const QString& title) {
    resetPlot(p);
    p->plotLayout()->addElement(0, 0, lecture::fittedText(p, title, lecture::kPaneTitlePt, true));
    auto* rect = new QCPAxisRect(p);
    p->plotLayout()->addElement(1, 0, rect);
    lecture::styleAxisRect(rect);
    for (QCPAxis* a : rect->axes()) {
        a->setTickLabelFont(lecture::fontFor(p, lecture::kTickPt));
        a->setLabelFont(lecture::fontFor(p, lecture::kLabelPt));
    }
    return rect;
}

}  // namespace

EmbeddingPlotData embeddingPlotData(const anatomy::Trace& t) {
    EmbeddingPlotData d;
    const anatomy::Architecture& a = t.architecture;
    if (a.languageModel) {
        d.message = QObject::tr("The Embedding view is for encoders (bert, e.g. bge-small or all-MiniLM): %1 is a "
                                "decoder; its output is the next-token distribution (see Sampling).")
                        .arg(QString::fromStdString(a.name));
        return d;
    }
    if (t.embedding.empty()) {
        d.message = a.pooling == anatomy::Pooling::None
                        ? QObject::tr("%1 pools nothing (bert.pooling_type none): one vector per token, no sentence "
                                      "embedding.").arg(QString::fromStdString(a.name))
                        : QObject::tr("No embedding in this trace.");
        return d;
    }
    d.valid = true;
    d.pooling = QString::fromLatin1(anatomy::poolingName(a.pooling));
    d.values.assign(t.embedding.begin(), t.embedding.end());
    d.tokens = t.nKv;
    return d;
}

SimilarityPlotData similarityPlotData(const EmbeddingResult& r) {
    SimilarityPlotData d;
    if (!r.error.isEmpty()) {
        d.message = r.error;
        return d;
    }
    if (r.lines.isEmpty()) {
        d.message = QObject::tr("Type sentences in the box, one per line, to compare them.");
        return d;
    }
    d.valid = true;
    d.n = int(r.lines.size());
    d.lines = r.lines;
    for (int i = 0; i < d.n; ++i) d.labels << shortLabel(i, r.lines[i]);
    d.cells.resize(size_t(d.n) * size_t(d.n));
    for (int i = 0; i < d.n; ++i)
        for (int j = 0; j < d.n; ++j) d.cells[size_t(i) * size_t(d.n) + size_t(j)] = r.similarity[size_t(i)][size_t(j)];
    return d;
}

QStringList EmbeddingView::defaultLines() {
    return {QStringLiteral("The cat sat on the mat."), QStringLiteral("A cat was sitting on a mat."),
            QStringLiteral("The dog played with a ball in the park."),
            QStringLiteral("Stock markets fell sharply on Monday.")};
}

EmbeddingView::EmbeddingView(QWidget* parent) : TraceView(parent) {
    auto* top = new QVBoxLayout(this);
    top->setContentsMargins(4, 4, 4, 4);
    m_embPlot = new QCustomPlot(this);
    m_embPlot->setMinimumHeight(160);
    top->addWidget(m_embPlot, 2);
    auto* row = new QHBoxLayout;
    auto* left = new QVBoxLayout;
    m_hint = new QLabel(tr("Sentences, one per line (compared by cosine similarity):"), this);
    m_hint->setWordWrap(true);
    m_edit = new QPlainTextEdit(this);
    m_edit->setObjectName(QStringLiteral("embeddingLines"));
    m_edit->setPlainText(defaultLines().join(QLatin1Char('\n')));
    left->addWidget(m_hint);
    left->addWidget(m_edit, 1);
    row->addLayout(left, 2);
    m_simPlot = new QCustomPlot(this);
    row->addWidget(m_simPlot, 3);
    top->addLayout(row, 3);

    m_typing.setSingleShot(true);
    m_typing.setInterval(300);
    connect(&m_typing, &QTimer::timeout, this, &EmbeddingView::requestLines);
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] { m_typing.start(); });
    m_edit->setFont(lecture::fontFor(this, lecture::kNotePt));
    m_sim.message = tr("Load an encoder (bert) to compare sentences.");
    plotEmbedding();
    plotSimilarity();
}

void EmbeddingView::setController(EmbeddingController* c) {
    if (m_controller) disconnect(m_controller, nullptr, this, nullptr);
    m_controller = c;
    if (!c) return;
    connect(c, &EmbeddingController::ready, this, &EmbeddingView::setResult);
    requestLines();
}

void EmbeddingView::setLines(const QStringList& lines) {
    m_edit->setPlainText(lines.join(QLatin1Char('\n')));
    m_typing.stop();
    requestLines();
}

QStringList EmbeddingView::lines() const { return m_edit->toPlainText().split(QLatin1Char('\n')); }

void EmbeddingView::requestLines() {
    if (m_controller) m_controller->request(lines());
}

void EmbeddingView::setResult(const EmbeddingResult& r) {
    m_sim = similarityPlotData(r);
    plotSimilarity();
}

void EmbeddingView::setInput(const ViewInput& input) {
    m_input = input;
    if (input.trace) m_data = embeddingPlotData(*input.trace);
    else m_data = EmbeddingPlotData{false, tr("No trace yet."), {}, {}, 0};
    plotEmbedding();
    requestLines();
}

void EmbeddingView::setSelection(const Selection&) {}  // the embedding is the whole prompt's

void EmbeddingView::plotEmbedding() {
    QCustomPlot* p = m_embPlot;
    if (!m_data.valid) {
        showMessage(p, m_data.message);
        return;
    }
    const int dim = int(m_data.values.size());
    QCPAxisRect* rect = titledRect(
        p, tr("Pooled embedding of the prompt: %1 pooling over %2 tokens, L2-normalised (‖e‖ = 1), dim %3")
               .arg(m_data.pooling)
               .arg(m_data.tokens)
               .arg(dim));
    auto* bars = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    QVector<double> keys(dim), values(dim);
    double top = 0;
    for (int i = 0; i < dim; ++i) {
        keys[i] = i;
        values[i] = m_data.values[size_t(i)];
        top = std::max(top, std::fabs(values[i]));
    }
    bars->setData(keys, values, true);
    bars->setWidth(0.8);
    bars->setPen(Qt::NoPen);
    bars->setBrush(QColor(60, 110, 190));
    rect->axis(QCPAxis::atBottom)->setRange(-0.5, dim - 0.5);
    rect->axis(QCPAxis::atBottom)->setLabel(tr("dimension"));
    rect->axis(QCPAxis::atLeft)->setRange(-top * 1.1 - 1e-6, top * 1.1 + 1e-6);
    rect->axis(QCPAxis::atLeft)->setLabel(tr("e[i]"));
    p->replot();
}

void EmbeddingView::plotSimilarity() {
    QCustomPlot* p = m_simPlot;
    if (!m_sim.valid) {
        showMessage(p, m_sim.message);
        return;
    }
    const int n = m_sim.n;
    QCPAxisRect* rect = titledRect(p, tr("Sentence similarity cos(eᵢ, eⱼ)"));
    QCPAxis* xa = rect->axis(QCPAxis::atBottom);
    QCPAxis* ya = rect->axis(QCPAxis::atLeft);
    auto* map = new QCPColorMap(xa, ya);
    map->data()->setSize(n, n);
    map->data()->setRange(QCPRange(0, n - 1), QCPRange(0, n - 1));
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) map->data()->setCell(j, i, m_sim.at(i, j));  // row i down the y axis
    const QCPColorGradient g = similarityGradient();
    map->setGradient(g);
    map->setDataRange(QCPRange(-1, 1));
    map->setInterpolate(false);
    auto* scale = new QCPColorScale(p);
    p->plotLayout()->addElement(1, 1, scale);
    scale->setType(QCPAxis::atRight);
    scale->setGradient(g);
    scale->setDataRange(QCPRange(-1, 1));
    scale->setBarWidth(14);
    scale->axis()->setTickLabelFont(lecture::fontFor(p, lecture::kTickPt));
    map->setColorScale(scale);
    auto* group = new QCPMarginGroup(p);
    rect->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    scale->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    // The value in each cell while it can be read.
    if (n <= 12) {
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j) {
                auto* t = new QCPItemText(p);
                t->setClipAxisRect(rect);
                t->position->setAxes(xa, ya);
                t->position->setCoords(j, i);
                t->setText(QString::number(m_sim.at(i, j), 'f', 2));
                t->setFont(lecture::fontFor(p, n <= 6 ? lecture::kLabelPt : lecture::kNotePt));
                t->setColor(std::fabs(m_sim.at(i, j)) > 0.6 ? Qt::white : Qt::black);
            }
    }
    auto xt = QSharedPointer<QCPAxisTickerText>::create();
    auto yt = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < n; ++i) {
        xt->addTick(i, QString::number(i + 1));
        yt->addTick(i, m_sim.labels[i]);
    }
    xa->setTicker(xt);
    ya->setTicker(yt);
    xa->setRange(-0.5, n - 0.5);
    ya->setRange(-0.5, n - 0.5);
    ya->setRangeReversed(true);  // sentence 1 on top, as the box lists them
    xa->setLabel(tr("sentence"));
    p->replot();
}

QString EmbeddingView::toCsv() const {
    QString csv = QStringLiteral("kind,row,column,text_row,text_column,value\n");
    for (size_t i = 0; i < m_data.values.size(); ++i)
        csv += QStringLiteral("embedding,0,%1,prompt,,%2\n").arg(i).arg(m_data.values[i], 0, 'g', 7);
    for (int i = 0; i < m_sim.n; ++i)
        for (int j = 0; j < m_sim.n; ++j)
            csv += QStringLiteral("similarity,%1,%2,%3,%4,%5\n")
                       .arg(i)
                       .arg(j)
                       .arg(csvField(m_sim.lines[i]), csvField(m_sim.lines[j]))
                       .arg(m_sim.at(i, j), 0, 'g', 7);
    return csv;
}

void EmbeddingView::changeEvent(QEvent* e) {
    TraceView::changeEvent(e);
    if (restyleOnFontChange(e)) {
        m_edit->setFont(lecture::fontFor(this, lecture::kNotePt));
        refitLater();
    }
}

void EmbeddingView::refit() {
    plotEmbedding();
    plotSimilarity();
}

}  // namespace anatomy::widgets
