#include "views/kv_cache_view.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include "plot/qcustomplot_include.h"

#include <algorithm>
#include <cmath>

#include "anatomy/kv_cache_calculator.h"
#include "views/sampling_view.h"         // lecture styling, csvField

namespace anatomy::widgets {

namespace {
const QColor kPublished(40, 90, 190);
const QColor kVariant(170, 190, 225);
}  // namespace

QString formatBytes(double b) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < 4) {
        b /= 1024;
        ++u;
    }
    return QStringLiteral("%1 %2").arg(b, 0, 'f', u == 0 || b >= 100 ? 0 : b >= 10 ? 1 : 2).arg(QLatin1String(units[u]));
}

int maxLatentRank(int kvHeads, int headDim, int dModel) {
    return std::min(2 * kvHeads * headDim, dModel);
}

namespace {

// The simulator settings that run the loaded model with a row's sharing.
QStringList simAssignmentsFor(const QString& kind, int rank) {
    if (kind == QLatin1String("MHA")) return {QStringLiteral("kv.sharing=mha")};
    if (kind == QLatin1String("GQA")) return {QStringLiteral("kv.sharing=as-loaded")};
    if (kind == QLatin1String("MQA")) return {QStringLiteral("kv.sharing=mqa")};
    if (kind == QLatin1String("MLA")) return {QStringLiteral("kv.sharing=latent"), QStringLiteral("kv.rank=%1").arg(rank)};
    return {};
}

}  // namespace

std::vector<KvCacheEntry> kvCacheEntries(const anatomy::ModelConfig* loaded, const QString& loadedName,
                                         qint64 context, int latentRank) {
    std::vector<anatomy::KvCacheConfig> models;
    if (loaded) models.push_back(anatomy::kvConfigOf(*loaded, loadedName.toStdString()));
    for (const auto& m : anatomy::publishedKvConfigs()) models.push_back(m);
    std::vector<KvCacheEntry> out;
    for (size_t mi = 0; mi < models.size(); ++mi) {
        const anatomy::KvCacheConfig& m = models[mi];
        const bool isLoaded = loaded && mi == 0;
        const int rMax = maxLatentRank(m.kvHeads, m.headDim, m.qHeads * m.headDim);
        const int r = latentRank > 0 ? std::min(latentRank, rMax) : 0;
        for (const auto& row : anatomy::kvCacheTable({m}, context, r)) {
            KvCacheEntry e;
            e.model = QString::fromStdString(row.model);
            e.variant = QString::fromStdString(row.variant);
            e.kind = e.variant.section(QLatin1Char(' '), 0, 0);
            e.bytesPerToken = row.bytesPerToken;
            e.bytesAtContext = row.bytesAtContext;
            e.published = row.published;
            if (e.kind == QLatin1String("MLA")) {
                e.latentRank = row.published ? m.mlaLatent : r;
                e.rankClamped = !row.published && r < latentRank;
                if (e.rankClamped) {
                    e.variant = QStringLiteral("MLA r = min(%1, %2) = %2").arg(latentRank).arg(rMax);
                    if (m.mlaLatent > 0) e.variant += QStringLiteral(" + rope %1").arg(m.mlaRopeDim);
                }
            }
            // A trained MLA model has no K and V for the simulator to share: nothing to measure.
            if (isLoaded && m.mlaLatent == 0) e.simAssignments = simAssignmentsFor(e.kind, e.latentRank);
            out.push_back(std::move(e));
        }
    }
    return out;
}

std::map<QString, QStringList> perplexityCostRows(const std::vector<KvCacheEntry>& entries) {
    std::map<QString, QStringList> rows;
    for (const KvCacheEntry& e : entries)
        if (!e.simAssignments.isEmpty()) rows[e.costKey()] = e.simAssignments;
    return rows;
}

KvCacheView::KvCacheView(QWidget* parent) : TraceView(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* controls = new QHBoxLayout;
    QFont big = font();
    big.setPointSizeF(lecture::kLabelPt);
    auto* cl = new QLabel(tr("Context:"), this);
    m_context = new QSpinBox(this);
    m_context->setRange(1, 1 << 24);
    m_context->setValue(4096);
    m_context->setSuffix(tr(" tokens"));
    m_context->setKeyboardTracking(false);
    auto* rl = new QLabel(tr("MLA latent rank r:"), this);
    m_rank = new QSpinBox(this);
    m_rank->setRange(0, 65536);
    m_rank->setValue(512);
    m_rank->setSpecialValueText(tr("off"));
    m_rank->setKeyboardTracking(false);
    m_rank->setToolTip(tr("Every model also as MLA with this latent rank (DeepSeek-V2 ships r = 512 + a 64-dim RoPE key); "
                          "each model counts r = min(r, 2 \u00B7 kv heads \u00B7 head dim, d_model), the most a latent can hold there"));
    for (QWidget* w : {static_cast<QWidget*>(cl), static_cast<QWidget*>(m_context), static_cast<QWidget*>(rl),
                       static_cast<QWidget*>(m_rank)})
        w->setFont(big);
    // Two rows, so the view fits beside the attention map at its default width.
    auto* grid = new QGridLayout;
    grid->addWidget(cl, 0, 0);
    grid->addWidget(m_context, 0, 1);
    grid->addWidget(rl, 1, 0);
    grid->addWidget(m_rank, 1, 1);
    grid->setColumnStretch(2, 1);
    controls->addLayout(grid);
    layout->addLayout(controls);
    m_costNote = new QLabel(this);
    m_costNote->setWordWrap(true);
    m_costNote->setFont(big);
    layout->addWidget(m_costNote);

    auto* split = m_split = new QSplitter(Qt::Horizontal, this);
    m_table = new QTableWidget(split);
    m_table->setColumnCount(5);
    m_table->setHorizontalHeaderLabels({tr("Model"), tr("KV sharing"), tr("per token"), tr("at context"),
                                        tr("\u0394 ppl vs as trained")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setMinimumWidth(160);  // it scrolls; the view must fit beside the attention map
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    QFont tf = font();
    tf.setPointSizeF(lecture::kNotePt + 1);
    m_table->setFont(tf);
    m_plot = new QCustomPlot(split);
    m_plot->setAutoAddPlottableToLegend(false);
    // After each layout step (any resize of the plot): the value range that fits the labels.
    connect(m_plot, &QCustomPlot::afterLayout, this, &KvCacheView::fitValueAxis);
    m_plot->setMinimumSize(200, 180);
    split->addWidget(m_table);
    split->addWidget(m_plot);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({640, 800});
    layout->addWidget(split, 1);
    connect(split, &QSplitter::splitterMoved, this, [this] { m_userSized = true; });
    connect(m_context, &QSpinBox::valueChanged, this, [this] { rebuild(); });
    connect(m_rank, &QSpinBox::valueChanged, this, [this] { rebuild(); });
    rebuild();
}

void KvCacheView::setInput(const ViewInput& input) {
    const bool sameModel = input.trace && m_input.trace && input.trace->config.dim == m_input.trace->config.dim &&
                           input.trace->config.nLayers == m_input.trace->config.nLayers;
    m_input = input;
    if (!sameModel) rebuild();
}

void KvCacheView::setContext(int tokens) { m_context->setValue(tokens); }

void KvCacheView::setLatentRank(int r) { m_rank->setValue(r); }

void KvCacheView::setPerplexityCosts(std::map<QString, double> costs) {
    m_pplCosts = std::move(costs);
    m_pplPending = false;
    m_pplError.clear();
    fillTable();  // the rows stay the same: no rowsChanged
}

void KvCacheView::setPerplexityCostsPending(const QString& note) {
    m_pplPending = true;
    m_pplNote = note;
    m_pplError.clear();
    fillTable();
}

void KvCacheView::setPerplexityCostsFailed(const QString& message) {
    m_pplPending = false;
    m_pplCosts.clear();
    m_pplError = message;
    fillTable();
}

void KvCacheView::showCostNote() {
    // ppl(as trained + row's sharing) − ppl(as trained): each row alone, the other architecture
    // knobs left as trained, so the column does not move with the Architecture dock.
    QString what = tr("\u0394 ppl = perplexity with the row's KV sharing applied to the model as trained "
                      "(other architecture knobs as trained) \u2212 perplexity as trained");
    if (!m_pplNote.isEmpty()) what += tr(", on %1").arg(m_pplNote);
    QString state;
    if (m_pplPending) state = tr(" \u2014 computing\u2026");
    else if (!m_pplError.isEmpty()) state = tr(" \u2014 failed: %1").arg(m_pplError);
    m_costNote->setText(what + state);
    m_costNote->setVisible(!m_entries.empty() && !m_entries.front().simAssignments.isEmpty());
    if (QTableWidgetItem* h = m_table->horizontalHeaderItem(4))
        h->setToolTip(what + tr(". Only the loaded model can be measured."));
}

QString KvCacheView::perplexityCostText(const KvCacheEntry& e) const {
    if (e.simAssignments.isEmpty()) return {};
    if (m_pplPending) return tr("computing\u2026");
    const auto it = m_pplCosts.find(e.costKey());
    if (it == m_pplCosts.end() || !std::isfinite(it->second)) return tr("not measured");
    return QStringLiteral("%1%2").arg(it->second >= 0 ? QStringLiteral("+") : QString()).arg(it->second, 0, 'f', 2);
}

void KvCacheView::resizeEvent(QResizeEvent* e) {
    TraceView::resizeEvent(e);
    fitTableWidth();
    refitLater();
}

void KvCacheView::refit() { replot(); }

void KvCacheView::fitTableWidth() {
    if (m_userSized) return;
    const int total = m_split->width() - m_split->handleWidth();
    const int needed = m_table->horizontalHeader()->length() + 2 * m_table->frameWidth() +
                       m_table->verticalScrollBar()->sizeHint().width();
    // The plot keeps at least 40%, and 480 px where the view allows it (bars, names and labels).
    const int table = std::min({needed, total * 3 / 5, std::max(total * 2 / 5, total - 480)});
    if (total > 0 && table > 0) m_split->setSizes({table, total - table});
}

void KvCacheView::rebuild() {
    const anatomy::ModelConfig* c = m_input.trace ? &m_input.trace->config : nullptr;
    m_entries = kvCacheEntries(c, tr("this model (fp32)"), m_context->value(), m_rank->value());
    fillTable();
    replot();
    Q_EMIT rowsChanged();
}

void KvCacheView::fillTable() {
    // The header fits its columns to the contents once, after the last item: fitted while
    // filling, every setItem measured the whole column again (n^2 text layouts, 90 ms).
    QHeaderView* header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    m_table->setRowCount(int(m_entries.size()));
    for (int i = 0; i < int(m_entries.size()); ++i) {
        const KvCacheEntry& e = m_entries[size_t(i)];
        // The engine's row names are English ("GQA (4 kv heads)"): the words translated for display.
        const QString variant = QString(e.variant)
                                    .replace(QLatin1String("kv heads"), tr("kv heads"))
                                    .replace(QLatin1String("kv head"), tr("kv head"));
        const QString items[] = {e.model, variant + (e.published ? tr("  \u2605 shipped") : QString()),
                                 formatBytes(double(e.bytesPerToken)), formatBytes(double(e.bytesAtContext)),
                                 perplexityCostText(e)};
        for (int col = 0; col < 5; ++col) {
            auto* item = new QTableWidgetItem(items[col]);
            if (col >= 2) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (col == 4 && (m_pplPending || m_pplCosts.find(e.costKey()) == m_pplCosts.end()))
                item->setForeground(QColor(130, 130, 130));
            if (e.published) {
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
            }
            QString tip = QStringLiteral("%1 bytes per token, %2 bytes at %3 tokens")
                              .arg(e.bytesPerToken).arg(e.bytesAtContext).arg(m_context->value());
            if (e.rankClamped)
                tip += tr("\nr is capped at %1 here: a latent of higher rank would hold more than the K and V "
                          "rows it replaces (2 \u00B7 kv heads \u00B7 head dim) or than d_model").arg(e.latentRank);
            if (!e.simAssignments.isEmpty()) tip += tr("\nsimulator: --set %1").arg(e.simAssignments.join(QStringLiteral(" --set ")));
            item->setToolTip(tip);
            m_table->setItem(i, col, item);
        }
    }
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    showCostNote();
    fitTableWidth();
}

void KvCacheView::replot() {
    QCustomPlot* p = m_plot;
    p->clearPlottables();
    p->clearItems();
    p->plotLayout()->clear();
    m_rowLabels = -1;  // fitValueAxis names the rows again once the layout gives their height
    p->plotLayout()->addElement(0, 0, lecture::fittedText(
        p, tr("KV cache at %1 tokens (one sequence)").arg(m_context->value()), lecture::kPaneTitlePt, true));
    // The formulas on one line when they fit, else one per line (never cut at the edges).
    const QString mha = tr("2 \u00B7 layers \u00B7 kv heads \u00B7 head dim \u00B7 bytes");
    const QString mla = tr("MLA: layers \u00B7 (r + rope dim) \u00B7 bytes");
    const QString oneLine = mha + QStringLiteral("   |   ") + mla;
    const QFontMetrics noteMetrics(lecture::fontFor(this, lecture::kNotePt));
    const bool fits = noteMetrics.horizontalAdvance(oneLine) <= p->width() - 16;
    // A short pane (a 720-line slide) keeps its height for the bars: the formulas go to the
    // tooltip and the legend into the bars' top right corner, where the smallest caches (the
    // top rows: this model) leave room.
    const int formulaLines = fits ? 1 : 2;
    const bool compact = p->height() > 0 && p->height() < 14 * noteMetrics.height() + formulaLines * noteMetrics.height();
    p->setToolTip(compact ? mha + QLatin1Char('\n') + mla : QString());
    int row = 1;
    if (!compact)
        p->plotLayout()->addElement(row++, 0, lecture::fittedText(p, fits ? oneLine : mha + QLatin1Char('\n') + mla,
                                                                  lecture::kNotePt, false));
    auto* legend = new QCPLegend;
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setBorderPen(Qt::NoPen);
    legend->setFont(lecture::fontFor(this, lecture::kNotePt));
    if (!compact) p->plotLayout()->addElement(row++, 0, legend);  // its own row: covers no bar or label
    auto* rect = new QCPAxisRect(p);
    p->plotLayout()->addElement(row, 0, rect);
    for (int r = 0; r < row; ++r) p->plotLayout()->setRowStretchFactor(r, 0.01);
    if (compact) {
        legend->setWrap(1);  // one column: narrow, over the short top bars only
        legend->setBrush(QColor(255, 255, 255, 220));
        rect->insetLayout()->addElement(legend, Qt::AlignRight | Qt::AlignTop);
    }
    legend->setLayer(QStringLiteral("legend"));
    lecture::styleAxisRect(rect);
    QCPAxis* va = rect->axis(QCPAxis::atBottom);  // bytes (log)
    QCPAxis* ka = rect->axis(QCPAxis::atLeft);    // rows, top first
    auto* shipped = new QCPBars(ka, va);
    auto* other = new QCPBars(ka, va);
    shipped->setBrush(kPublished);
    other->setBrush(kVariant);
    for (QCPBars* b : {shipped, other}) {
        b->setPen(Qt::NoPen);
        b->setWidth(0.75);
        b->setBaseValue(1);
    }
    shipped->setName(tr("as shipped"));
    other->setName(tr("alternative"));
    const int n = int(m_entries.size());
    QSharedPointer<QCPAxisTickerText> ticks(new QCPAxisTickerText);
    double top = 1024;
    for (int i = 0; i < n; ++i) {
        const KvCacheEntry& e = m_entries[size_t(i)];
        const double y = n - 1 - i;
        (e.published ? shipped : other)->addData(y, double(e.bytesAtContext));
        ticks->addTick(y, rowName(e));
        top = std::max(top, double(e.bytesAtContext));
        auto* t = new QCPItemText(p);
        t->setClipAxisRect(rect);
        t->position->setAxes(va, ka);
        t->position->setCoords(std::max(1.0, double(e.bytesAtContext)), y);
        t->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        t->setFont(lecture::fontFor(this, lecture::kNotePt));
        t->setText(QStringLiteral(" ") + formatBytes(double(e.bytesAtContext)));
    }
    ka->setTicker(ticks);
    ka->setRange(-0.6, n - 0.4);
    ka->grid()->setVisible(false);
    ka->setTickLabelFont(lecture::fontFor(this, lecture::kNotePt));
    va->setScaleType(QCPAxis::stLogarithmic);
    va->setRange(1, top * 60);
    va->setLabel(tr("bytes (log scale)"));
    legend->addItem(new QCPPlottableLegendItem(legend, shipped));
    legend->addItem(new QCPPlottableLegendItem(legend, other));
    p->replot();  // fitValueAxis runs after the layout step, when the bars' width is known
}

QString KvCacheView::rowName(const KvCacheEntry& e) {
    const QString variant = e.kind == QLatin1String("MLA") ? QStringLiteral("MLA r=%1").arg(e.latentRank) : e.kind;
    return e.model + QStringLiteral(" \u00B7 ") + variant;
}

KvCacheView::RowLabels KvCacheView::rowLabelsFor(const std::vector<KvCacheEntry>& entries, double rowPx,
                                                 double lineH) {
    if (rowPx >= 0.95 * lineH) return RowLabels::All;
    // The shipped rows alone, when every two of them lie at least a line apart.
    int last = -1;
    int gap = int(entries.size());
    for (int i = 0; i < int(entries.size()); ++i)
        if (entries[size_t(i)].published) {
            if (last >= 0) gap = std::min(gap, i - last);
            last = i;
        }
    if (last >= 0 && gap * rowPx >= 0.95 * lineH) return RowLabels::Shipped;
    return RowLabels::None;
}

void KvCacheView::fitValueAxis() {
    QCPAxisRect* rect = m_plot->axisRect();
    if (!rect || m_entries.empty()) return;
    QCPAxis* va = rect->axis(QCPAxis::atBottom);
    QCPAxis* ka = rect->axis(QCPAxis::atLeft);
    // Rows too thin for a label each (many rows on a short slide): the labels would pile up, so
    // the chart names only the shipped rows, or none, and says the table names them all.
    const int n = int(m_entries.size());
    RowLabels rows = rowLabelsFor(m_entries, rect->height() / double(n), QFontMetricsF(ka->tickLabelFont()).height());
    auto labelled = [&](int i) { return rows == RowLabels::All || (rows == RowLabels::Shipped && m_entries[size_t(i)].published); };
    // Names that would take more than 40% of a narrow pane's width leave the bars no room: none
    // then (the table beside the chart names every row).
    const QFontMetricsF nameMetrics(ka->tickLabelFont());
    double widest = 0;
    for (int i = 0; i < n; ++i)
        if (labelled(i)) widest = std::max(widest, nameMetrics.horizontalAdvance(rowName(m_entries[size_t(i)])));
    if (widest > 0.4 * m_plot->width()) rows = RowLabels::None;
    bool rowsChanged = false;
    if (int(rows) != m_rowLabels) {
        m_rowLabels = int(rows);
        rowsChanged = true;
        QSharedPointer<QCPAxisTickerText> ticks(new QCPAxisTickerText);
        for (int i = 0; i < n; ++i) {
            ticks->addTick(n - 1 - i, labelled(i) ? rowName(m_entries[size_t(i)]) : QString());
        }
        ka->setTicker(ticks);
        // Said under the bars (a vertical label would not fit the short axis that causes this).
        va->setLabel(rows == RowLabels::All ? tr("bytes (log scale)")
                     : rows == RowLabels::Shipped ? tr("bytes (log) \u00B7 shipped rows named")
                                                  : tr("bytes (log) \u00B7 a bar per table row"));
    }
    // Room for every bar's label: with w the axis width in pixels and l a label's width, the bar
    // of v bytes ends at w·ln v / ln hi, so its label fits when ln hi >= ln v · w / (w − l).
    const double w = rect->width();
    const QFontMetrics lm(lecture::fontFor(this, lecture::kNotePt));
    double top = 1024;
    for (const KvCacheEntry& e : m_entries) top = std::max(top, double(e.bytesAtContext));
    double lnHi = std::log(top * 60);
    // A legend in the bars' corner (a short pane): every bar ends left of it.
    for (int i = 0; i < rect->insetLayout()->elementCount(); ++i)
        if (auto* legend = qobject_cast<QCPLegend*>(rect->insetLayout()->elementAt(i)); legend && legend->visible()) {
            const double room = w - legend->outerRect().width() - 8;
            if (room > 0.3 * w) lnHi = std::max(lnHi, std::log(top) * w / room);
        }
    for (const KvCacheEntry& e : m_entries) {
        const double l = lm.horizontalAdvance(QStringLiteral("  ") + formatBytes(double(e.bytesAtContext))) + 6;
        if (w > 2 * l && e.bytesAtContext > 1) lnHi = std::max(lnHi, std::log(double(e.bytesAtContext)) * w / (w - l));
    }
    va->setRange(1, std::exp(lnHi));
    // A plot too narrow for a label leaves it out (the table holds every number).
    for (int i = 0; i < m_plot->itemCount(); ++i)
        if (auto* t = qobject_cast<QCPItemText*>(m_plot->item(i))) {
            const double v = std::max(1.0, t->position->coords().x());
            const double end = rect->left() + w * std::log(v) / lnHi + lm.horizontalAdvance(t->text());
            const int row = n - 1 - int(std::lround(t->position->coords().y()));
            t->setVisible(end <= rect->right() + 1 && row >= 0 && row < n && labelled(row));
        }
    // Unit ticks (B, KiB, MiB, ...) as close as their labels allow: every k-th unit.
    const QFontMetrics tm(va->tickLabelFont());
    const double perUnit = w > 0 ? w * std::log(1024.0) / lnHi : 1;
    const int every = std::max(1, int(std::ceil((tm.horizontalAdvance(QStringLiteral("1 KiB")) + 14) / perUnit)));
    // The ticks of this replot were laid out before this step: a changed range or tick step
    // needs one more replot (which then finds nothing to change).
    const bool sameTicks = qSharedPointerDynamicCast<QCPAxisTickerText>(va->ticker()) && every == m_tickEvery;
    if (sameTicks && std::abs(lnHi - m_fittedLnHi) < 1e-9) {
        if (rowsChanged) m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    m_tickEvery = every;
    m_fittedLnHi = lnHi;
    QSharedPointer<QCPAxisTickerText> units(new QCPAxisTickerText);
    const char* names[] = {"1 B", "1 KiB", "1 MiB", "1 GiB", "1 TiB", "1 PiB"};
    for (int u = 0; u < 6; u += every) units->addTick(std::pow(1024.0, u), QString::fromLatin1(names[u]));
    va->setTicker(units);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QString KvCacheView::toCsv() const {
    QString csv = QStringLiteral("model,variant,bytes_per_token,bytes_at_context,context,shipped,latent_rank,ppl_cost\n");
    for (const KvCacheEntry& e : m_entries) {
        const auto cost = m_pplCosts.find(e.costKey());
        csv += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8\n")
                   .arg(csvField(e.model), csvField(e.variant))
                   .arg(e.bytesPerToken)
                   .arg(e.bytesAtContext)
                   .arg(m_context->value())
                   .arg(e.published ? 1 : 0)
                   .arg(e.latentRank)
                   .arg(e.simAssignments.isEmpty() || m_pplPending || cost == m_pplCosts.end() ? QString() : QString::number(cost->second, 'g', 6));
    }
    return csv;
}

void KvCacheView::changeEvent(QEvent* e) {
    TraceView::changeEvent(e);
    if (restyleOnFontChange(e)) refitLater();
}

}  // namespace anatomy::widgets
