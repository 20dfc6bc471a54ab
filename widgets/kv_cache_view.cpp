#include "kv_cache_view.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
// qcustomplot.h spells the Qt keywords `signals` and `foreach`, which QT_NO_KEYWORDS hides.
#define signals Q_SIGNALS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef foreach
#undef signals

#include <algorithm>
#include <cmath>

#include "anatomy/kv_cache_calculator.h"
#include "sampling_view.h"         // lecture styling, csvField

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

std::vector<KvCacheEntry> kvCacheEntries(const anatomy::ModelConfig* loaded, const QString& loadedName,
                                         qint64 context, int latentRank) {
    std::vector<anatomy::KvCacheConfig> models;
    if (loaded) models.push_back(anatomy::kvConfigOf(*loaded, loadedName.toStdString()));
    for (const auto& m : anatomy::publishedKvConfigs()) models.push_back(m);
    std::vector<KvCacheEntry> out;
    for (const auto& r : anatomy::kvCacheTable(models, context, latentRank))
        out.push_back({QString::fromStdString(r.model), QString::fromStdString(r.variant), r.bytesPerToken,
                       r.bytesAtContext, r.published});
    return out;
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
    m_rank->setToolTip(tr("Every model also as MLA with this latent rank (DeepSeek-V2 ships r = 512 + a 64-dim RoPE key)"));
    for (QWidget* w : {static_cast<QWidget*>(cl), static_cast<QWidget*>(m_context), static_cast<QWidget*>(rl),
                       static_cast<QWidget*>(m_rank)})
        w->setFont(big);
    controls->addWidget(cl);
    controls->addWidget(m_context);
    controls->addSpacing(24);
    controls->addWidget(rl);
    controls->addWidget(m_rank);
    controls->addStretch(1);
    layout->addLayout(controls);

    auto* split = new QSplitter(Qt::Horizontal, this);
    m_table = new QTableWidget(split);
    m_table->setColumnCount(4);
    m_table->setHorizontalHeaderLabels({tr("Model"), tr("KV sharing"), tr("per token"), tr("at context")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    QFont tf = font();
    tf.setPointSizeF(lecture::kNotePt + 1);
    m_table->setFont(tf);
    m_plot = new QCustomPlot(split);
    m_plot->setAutoAddPlottableToLegend(false);
    m_plot->setMinimumSize(300, 200);
    split->addWidget(m_table);
    split->addWidget(m_plot);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({640, 800});
    layout->addWidget(split, 1);
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

void KvCacheView::resizeEvent(QResizeEvent* e) {
    TraceView::resizeEvent(e);
    replot();
}

void KvCacheView::rebuild() {
    const anatomy::ModelConfig* c = m_input.trace ? &m_input.trace->config : nullptr;
    m_entries = kvCacheEntries(c, tr("this model (fp32)"), m_context->value(), m_rank->value());
    m_table->setRowCount(int(m_entries.size()));
    for (int i = 0; i < int(m_entries.size()); ++i) {
        const KvCacheEntry& e = m_entries[size_t(i)];
        const QString items[] = {e.model, e.variant + (e.published ? tr("  \u2605 shipped") : QString()),
                                 formatBytes(double(e.bytesPerToken)), formatBytes(double(e.bytesAtContext))};
        for (int col = 0; col < 4; ++col) {
            auto* item = new QTableWidgetItem(items[col]);
            if (col >= 2) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (e.published) {
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
            }
            item->setToolTip(QStringLiteral("%1 bytes per token, %2 bytes at %3 tokens")
                                 .arg(e.bytesPerToken).arg(e.bytesAtContext).arg(m_context->value()));
            m_table->setItem(i, col, item);
        }
    }
    replot();
}

void KvCacheView::replot() {
    QCustomPlot* p = m_plot;
    p->clearPlottables();
    p->clearItems();
    p->plotLayout()->clear();
    p->plotLayout()->addElement(0, 0, lecture::fittedText(
        p, tr("KV cache at %1 tokens (one sequence)").arg(m_context->value()), lecture::kPaneTitlePt, true));
    p->plotLayout()->addElement(1, 0, lecture::fittedText(
        p, tr("2 \u00B7 layers \u00B7 kv heads \u00B7 head dim \u00B7 bytes   |   MLA: layers \u00B7 (r + rope dim) \u00B7 bytes"),
        lecture::kNotePt, false));
    auto* rect = new QCPAxisRect(p);
    p->plotLayout()->addElement(2, 0, rect);
    p->plotLayout()->setRowStretchFactor(0, 0.01);
    p->plotLayout()->setRowStretchFactor(1, 0.01);
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
        const QString shortVariant = e.variant.startsWith(QLatin1String("MLA")) ? e.variant.section(QLatin1Char(' '), 0, 1)
                                                                                : e.variant.section(QLatin1Char(' '), 0, 0);
        ticks->addTick(y, e.model + QStringLiteral(" \u00B7 ") + shortVariant);
        top = std::max(top, double(e.bytesAtContext));
        auto* t = new QCPItemText(p);
        t->setClipAxisRect(rect);
        t->position->setAxes(va, ka);
        t->position->setCoords(std::max(1.0, double(e.bytesAtContext)), y);
        t->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        t->setFont(QFont(font().family(), int(lecture::kNotePt)));
        t->setText(QStringLiteral(" ") + formatBytes(double(e.bytesAtContext)));
    }
    ka->setTicker(ticks);
    ka->setRange(-0.6, n - 0.4);
    ka->grid()->setVisible(false);
    ka->setTickLabelFont(QFont(font().family(), int(lecture::kNotePt)));
    va->setScaleType(QCPAxis::stLogarithmic);
    QSharedPointer<QCPAxisTickerText> units(new QCPAxisTickerText);
    const char* names[] = {"1 B", "1 KiB", "1 MiB", "1 GiB", "1 TiB"};
    for (int u = 0; u < 5; ++u) units->addTick(std::pow(1024.0, u), QString::fromLatin1(names[u]));
    va->setTicker(units);
    va->setRange(1, top * 60);
    va->setLabel(tr("bytes (log scale)"));
    auto* legend = new QCPLegend;
    rect->insetLayout()->addElement(legend, Qt::AlignBottom | Qt::AlignRight);
    legend->setLayer(QStringLiteral("legend"));
    legend->setFont(QFont(font().family(), int(lecture::kNotePt)));
    legend->addItem(new QCPPlottableLegendItem(legend, shipped));
    legend->addItem(new QCPPlottableLegendItem(legend, other));
    p->replot();
}

QString KvCacheView::toCsv() const {
    QString csv = QStringLiteral("model,variant,bytes_per_token,bytes_at_context,context,shipped\n");
    for (const KvCacheEntry& e : m_entries)
        csv += QStringLiteral("%1,%2,%3,%4,%5,%6\n")
                   .arg(csvField(e.model), csvField(e.variant))
                   .arg(e.bytesPerToken)
                   .arg(e.bytesAtContext)
                   .arg(m_context->value())
                   .arg(e.published ? 1 : 0);
    return csv;
}

}  // namespace anatomy::widgets
