#include "views/decoding_view.h"

#include <QCoreApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <cmath>

#include "views/beam_tree.h"

namespace anatomy::widgets {

// The vote: one bar per answer, most frequent first, the winner in green.
class VoteHistogram : public QWidget {
    // tr() in the context lupdate gives this class (it has no Q_OBJECT, so tr() was QWidget's and
    // its strings stayed English under a translation).
    Q_DECLARE_TR_FUNCTIONS(anatomy::widgets::VoteHistogram)

public:
    explicit VoteHistogram(QWidget* parent = nullptr) : QWidget(parent) {
        setObjectName(QStringLiteral("voteHistogram"));
        setMinimumHeight(90);
    }
    void setVote(const anatomy::VoteResult& v) {
        m_vote = v;
        update();
    }
    QSize sizeHint() const override { return {260, 140}; }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.fillRect(rect(), Qt::white);
        if (m_vote.counts.empty()) {
            p.setPen(Qt::gray);
            // Wrapped inside the histogram: one line ran out under the sample table beside it.
            p.drawText(rect().adjusted(4, 4, -4, -4), Qt::AlignCenter | Qt::TextWordWrap,
                       tr("no answers (the regex matched nothing)"));
            return;
        }
        const int n = std::min<int>(int(m_vote.counts.size()), 12);
        const int maxCount = m_vote.counts.front().count;
        const int labelW = 90, rowH = std::max(14, std::min(24, (height() - 8) / n));
        const QFontMetrics fm(font());
        for (int i = 0; i < n; ++i) {
            const auto& c = m_vote.counts[size_t(i)];
            const int y = 4 + i * rowH;
            p.setPen(Qt::black);
            p.drawText(QRect(4, y, labelW - 8, rowH), Qt::AlignRight | Qt::AlignVCenter,
                       fm.elidedText(QString::fromStdString(c.answer), Qt::ElideRight, labelW - 8));
            const double w = double(width() - labelW - 40) * c.count / std::max(1, maxCount);
            p.fillRect(QRectF(labelW, y + 2, w, rowH - 4), i == 0 ? QColor(0x3a, 0xa0, 0x5a) : QColor(0x9a, 0xb4, 0xd8));
            p.drawText(QRectF(labelW + w + 4, y, 36, rowH), Qt::AlignLeft | Qt::AlignVCenter, QString::number(c.count));
        }
    }

private:
    anatomy::VoteResult m_vote;
};

namespace {

QTableWidgetItem* cell(const QString& text) {
    auto* it = new QTableWidgetItem(text);
    it->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return it;
}

QString textOf(const anatomy::Tokenizer* tok, int lastPromptToken, const std::vector<int>& ids) {
    if (!tok) return {};
    return QString::fromStdString(anatomy::generatedText(*tok, lastPromptToken, ids)).replace(QLatin1Char('\n'), QLatin1Char(' '));
}

QTableWidget* makeTable(const QStringList& headers, QWidget* parent) {
    auto* t = new QTableWidget(0, int(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->setVisible(false);
    t->horizontalHeader()->setStretchLastSection(true);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setWordWrap(false);
    return t;
}

}  // namespace

QString probabilityHtml(const anatomy::Tokenizer* tok, int lastPromptToken, const std::vector<int>& ids,
                        const std::vector<double>& logprobs) {
    QString html;
    int prev = lastPromptToken;
    for (size_t i = 0; i < ids.size(); ++i) {
        const int id = ids[i];
        const double p = i < logprobs.size() ? std::exp(logprobs[i]) : 1.0;
        // White at p = 1 to orange at p -> 0.
        const QColor c = QColor::fromRgbF(1.0f, float(0.55 + 0.45 * p), float(0.25 + 0.75 * p));
        QString piece;
        if (tok && (id == tok->bosId() || id == tok->eosId())) piece = QStringLiteral("⏹");
        else if (tok) piece = QString::fromStdString(tok->decode(prev, id));
        prev = id;
        html += QStringLiteral("<span style=\"background-color:%1\" title=\"p = %2\">%3</span>")
                    .arg(c.name(), QString::number(p, 'f', 3), piece.toHtmlEscaped());
    }
    return html;
}

DecodingView::DecodingView(QWidget* parent) : TraceView(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* top = new QHBoxLayout;
    m_maxNew = new QSpinBox(this);
    m_maxNew->setObjectName(QStringLiteral("decodingMaxNew"));
    m_maxNew->setRange(1, 512);
    m_maxNew->setValue(32);
    m_maxNew->setToolTip(tr("New tokens per hypothesis, sample and strategy"));
    auto* stop = new QPushButton(tr("Stop"), this);
    stop->setObjectName(QStringLiteral("decodingStop"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("decodingStatus"));
    top->addWidget(new QLabel(tr("Max new tokens"), this));
    top->addWidget(m_maxNew);
    top->addWidget(stop);
    top->addWidget(m_status, 1);
    layout->addLayout(top);

    m_tabs = new QTabWidget(this);
    m_tabs->addTab(buildBeamTab(), tr("Beam search"));
    m_tabs->addTab(buildSamplesTab(), tr("Best-of-N && vote"));
    m_tabs->addTab(buildCompareTab(), tr("Side by side"));
    layout->addWidget(m_tabs, 1);

    // Play: one step computed per tick, the next asked for once the last one has arrived.
    m_player.setInterval(350);
    connect(&m_player, &QTimer::timeout, this, [this] {
        if (m_beam.result.done) {
            pause();
            return;
        }
        if (m_controller && !m_controller->beamBusy()) step();
    });
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(150);
    connect(&m_coalesce, &QTimer::timeout, this, &DecodingView::runCurrent);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] { runCurrent(); });
    connect(m_maxNew, &QSpinBox::valueChanged, this, [this] {
        m_stale[0] = m_stale[1] = m_stale[2] = true;
        m_coalesce.start();
    });
    connect(stop, &QPushButton::clicked, this, [this] {
        pause();
        if (m_controller) m_controller->stop();
    });
}

QWidget* DecodingView::buildBeamTab() {
    auto* w = new QWidget(this);
    auto* v = new QVBoxLayout(w);
    auto* bar = new QHBoxLayout;
    m_width = new QSpinBox(w);
    m_width->setObjectName(QStringLiteral("beamWidth"));
    m_width->setRange(1, 16);
    m_width->setValue(3);
    m_alpha = new QDoubleSpinBox(w);
    m_alpha->setObjectName(QStringLiteral("lengthPenalty"));
    m_alpha->setRange(-1.0, 3.0);
    m_alpha->setSingleStep(0.1);
    m_alpha->setValue(1.0);
    m_alpha->setToolTip(tr("score = Σ log p / length^α (α 0: the sum, 1: the mean per token)"));
    m_play = new QPushButton(tr("▶ Play"), w);
    m_play->setObjectName(QStringLiteral("beamPlay"));
    m_pause = new QPushButton(tr("Pause"), w);
    m_pause->setObjectName(QStringLiteral("beamPause"));
    m_step = new QPushButton(tr("Step"), w);
    m_step->setObjectName(QStringLiteral("beamStep"));
    m_stepLabel = new QLabel(w);
    bar->addWidget(new QLabel(tr("Width W"), w));
    bar->addWidget(m_width);
    bar->addWidget(new QLabel(tr("Length penalty α"), w));
    bar->addWidget(m_alpha);
    bar->addSpacing(12);
    bar->addWidget(m_play);
    bar->addWidget(m_pause);
    bar->addWidget(m_step);
    bar->addWidget(m_stepLabel, 1);
    auto* legend = new QLabel(tr("<span style='background:#dbe9fb;border:1px solid #2f5da8'>&nbsp;kept&nbsp;</span> "
                                 "<span style='background:#d9f2dc;border:2px solid #1a7f37'>&nbsp;finished&nbsp;</span> "
                                 "<span style='background:#f2f2f2;color:#909090'>&nbsp;pruned&nbsp;</span> "
                                 "<span style='color:#1a7f37'><b>━ rank 1</b></span>"),
                              w);
    v->addLayout(bar);
    v->addWidget(legend);  // its own row: the controls alone must fit a 1024x640 window

    auto* split = new QSplitter(Qt::Horizontal, w);
    m_tree = new BeamTreeWidget(split);
    m_treeScroll = new QScrollArea(split);
    m_treeScroll->setWidget(m_tree);
    m_treeScroll->setWidgetResizable(false);
    m_treeScroll->setBackgroundRole(QPalette::Base);
    m_ranking = makeTable({tr("#"), tr("score"), tr("Σ log p"), tr("len"), tr("text")}, split);
    m_ranking->setObjectName(QStringLiteral("beamRanking"));
    split->addWidget(m_treeScroll);
    split->addWidget(m_ranking);
    split->setStretchFactor(0, 5);
    split->setStretchFactor(1, 3);
    v->addWidget(split, 1);
    // Follow the growing edge once the tree's new width has reached the scroll bar.
    connect(m_treeScroll->horizontalScrollBar(), &QScrollBar::rangeChanged, this, [this](int, int max) {
        if (m_followEdge) m_treeScroll->horizontalScrollBar()->setValue(max);
    });

    connect(m_play, &QPushButton::clicked, this, &DecodingView::play);
    connect(m_pause, &QPushButton::clicked, this, &DecodingView::pause);
    connect(m_step, &QPushButton::clicked, this, &DecodingView::step);
    auto live = [this] {
        m_stale[0] = true;
        m_coalesce.start();
    };
    connect(m_width, &QSpinBox::valueChanged, this, live);
    connect(m_alpha, &QDoubleSpinBox::valueChanged, this, live);
    return w;
}

QWidget* DecodingView::buildSamplesTab() {
    auto* w = new QWidget(this);
    auto* v = new QVBoxLayout(w);
    auto* bar = new QHBoxLayout;
    m_n = new QSpinBox(w);
    m_n->setObjectName(QStringLiteral("sampleCount"));
    m_n->setRange(1, 64);
    m_n->setValue(10);
    m_scorer = new QComboBox(w);
    m_scorer->setObjectName(QStringLiteral("sampleScorer"));
    m_scorer->addItem(QStringLiteral("mean-logprob"));
    m_scorer->addItem(QStringLiteral("sum-logprob"));
    m_regex = new QLineEdit(QStringLiteral("named (\\w+)"), w);
    m_regex->setObjectName(QStringLiteral("answerRegex"));
    m_regex->setToolTip(tr("ECMAScript regex searched in prompt + sample; its first capture group is the answer"));
    bar->addWidget(new QLabel(tr("N"), w));
    bar->addWidget(m_n);
    bar->addWidget(new QLabel(tr("Scorer"), w));
    bar->addWidget(m_scorer);
    bar->addWidget(new QLabel(tr("Answer regex"), w));
    bar->addWidget(m_regex, 1);
    v->addLayout(bar);
    m_regexError = new QLabel(w);
    m_regexError->setObjectName(QStringLiteral("regexError"));
    m_regexError->setStyleSheet(QStringLiteral("color: #b00020"));
    m_regexError->hide();
    v->addWidget(m_regexError);

    auto* split = new QSplitter(Qt::Horizontal, w);
    m_sampleTable = makeTable({tr("#"), tr("seed"), tr("score"), tr("answer"), tr("text")}, split);
    m_sampleTable->setObjectName(QStringLiteral("sampleTable"));
    auto* right = new QWidget(split);
    auto* rv = new QVBoxLayout(right);
    rv->setContentsMargins(0, 0, 0, 0);
    m_voteLabel = new QLabel(right);
    m_voteLabel->setObjectName(QStringLiteral("voteLabel"));
    m_voteLabel->setWordWrap(true);
    m_histogram = new VoteHistogram(right);
    rv->addWidget(m_voteLabel);
    rv->addWidget(m_histogram, 1);
    split->addWidget(m_sampleTable);
    split->addWidget(right);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    v->addWidget(split, 1);

    auto rerun = [this] {
        m_stale[1] = true;
        m_coalesce.start();
    };
    connect(m_n, &QSpinBox::valueChanged, this, rerun);
    connect(m_scorer, &QComboBox::currentIndexChanged, this, [this] {
        m_samples.scorer = m_scorer->currentIndex() == 0 ? anatomy::SampleScorer::MeanLogprob : anatomy::SampleScorer::SumLogprob;
        m_samples = DecodingController::withAnswers(m_samples, m_regex->text());
        showSamples();
    });
    // A new regex re-reads the same samples: no resampling.
    connect(m_regex, &QLineEdit::textChanged, this, [this](const QString& re) {
        m_samples = DecodingController::withAnswers(m_samples, re);
        showSamples();
    });
    return w;
}

QWidget* DecodingView::buildCompareTab() {
    auto* w = new QWidget(this);
    auto* v = new QVBoxLayout(w);
    auto* bar = new QHBoxLayout;
    m_variants = new QLineEdit(QStringLiteral("greedy; beam:4; temperature=1; temperature=0.7; top-p=0.5; typical-p=0.5"), w);
    m_variants->setObjectName(QStringLiteral("compareVariants"));
    m_variants->setToolTip(tr("Strategies separated by ';': greedy, beam:W[:α], or sampler settings over the Settings "
                              "dock's (temperature=0.8,top-p=0.9,seed=3). The seed is the dock's unless given, so "
                              "each column changes one setting."));
    auto* run = new QPushButton(tr("Run"), w);
    run->setObjectName(QStringLiteral("compareRun"));
    bar->addWidget(new QLabel(tr("Strategies"), w));
    bar->addWidget(m_variants, 1);
    bar->addWidget(run);
    v->addLayout(bar);
    m_variantError = new QLabel(w);
    m_variantError->setStyleSheet(QStringLiteral("color: #b00020"));
    m_variantError->hide();
    v->addWidget(m_variantError);
    // What the text's colours mean (probabilityHtml's scale), p = exp(lp) under the model at T = 1.
    auto* scale = new QLabel(tr("each token's background: its probability under the model  "
                                "<span style='background:#ffffff;border:1px solid #ccc'>&nbsp;p = 1&nbsp;</span> "
                                "<span style='background:%1'>&nbsp;0.5&nbsp;</span> "
                                "<span style='background:%2'>&nbsp;p → 0&nbsp;</span>")
                                 .arg(QColor::fromRgbF(1.0f, 0.775f, 0.625f).name(), QColor::fromRgbF(1.0f, 0.55f, 0.25f).name()),
                             w);
    scale->setObjectName(QStringLiteral("probabilityScale"));
    v->addWidget(scale);
    auto* scroll = new QScrollArea(w);
    scroll->setWidgetResizable(true);
    m_columnsHost = new QWidget(scroll);
    m_columns = new QHBoxLayout(m_columnsHost);
    m_columns->setContentsMargins(0, 0, 0, 0);
    scroll->setWidget(m_columnsHost);
    v->addWidget(scroll, 1);
    connect(run, &QPushButton::clicked, this, [this] {
        m_stale[2] = true;
        runCompare();
    });
    connect(m_variants, &QLineEdit::returnPressed, this, [this] {
        m_stale[2] = true;
        runCompare();
    });
    return w;
}

void DecodingView::setController(DecodingController* controller) {
    m_controller = controller;
    connect(controller, &DecodingController::beamStepped, this, [this](const BeamRun& r) {
        m_beam = r;
        if (r.result.done) pause();
        m_followEdge = true;
        showBeam();
    });
    connect(controller, &DecodingController::samplesUpdated, this, [this](const SampleRun& r) {
        m_samples = r;
        showSamples();
    });
    connect(controller, &DecodingController::compareUpdated, this, [this](const CompareRun& r) {
        m_compare = r;
        showCompare();
    });
    connect(controller, &DecodingController::failed, this,
            [this](const QString& what, const QString& m) { m_status->setText(tr("%1 failed: %2").arg(what, m)); });
    connect(controller, &DecodingController::busyChanged, this, [this](bool busy) {
        if (busy) m_status->setText(tr("decoding…"));
        else if (m_status->text() == tr("decoding…")) m_status->clear();
    });
}

void DecodingView::setInput(const ViewInput& input) {
    const bool sameText = m_input.trace && input.trace && m_input.trace->tokens == input.trace->tokens &&
                          m_input.sim == input.sim;
    const bool sameSampler = m_input.sampler == input.sampler;
    m_input = input;
    if (!sameText) m_stale[0] = m_stale[1] = m_stale[2] = true;
    if (!sameSampler) m_stale[1] = m_stale[2] = true;
    if (isVisible()) m_coalesce.start();
}

void DecodingView::showEvent(QShowEvent* e) {
    TraceView::showEvent(e);
    m_coalesce.start();
}

std::vector<int> DecodingView::promptIds() const {
    if (!m_input.trace) return {};
    return m_input.trace->tokens;
}

QString DecodingView::promptText() const {
    const std::vector<int> ids = promptIds();
    if (!m_input.tokenizer || ids.size() < 2) return {};
    return QString::fromStdString(m_input.tokenizer->decodeAll(std::vector<int>(ids.begin() + 1, ids.end())));
}

void DecodingView::runCurrent() {
    switch (m_tabs->currentIndex()) {
        case 0: runBeam(); break;
        case 1: runSamples(); break;
        default: runCompare(); break;
    }
}

void DecodingView::runAll() {
    m_stale[0] = m_stale[1] = m_stale[2] = true;
    if (m_controller && !promptIds().empty()) {  // the whole beam search, no player
        pause();
        m_stale[0] = false;
        resetBeam();
        m_controller->runBeam(promptIds(), m_width->value(), m_alpha->value(), m_maxNew->value());
    }
    runSamples();
    runCompare();
}

void DecodingView::resetBeam() {
    m_beam = {};
    m_beam.width = m_width->value();
    m_beam.lengthPenalty = m_alpha->value();
    m_beam.maxNewTokens = m_maxNew->value();
    m_beam.prompt = promptIds();
    m_requested = 0;
    showBeam();
}

void DecodingView::runBeam() {
    if (!m_controller || !m_stale[0] || promptIds().empty()) return;
    m_stale[0] = false;
    resetBeam();
    m_controller->startBeam(promptIds(), m_width->value(), m_alpha->value(), m_maxNew->value());
    play();
}

void DecodingView::runSamples() {
    if (!m_controller || !m_stale[1] || promptIds().empty()) return;
    m_stale[1] = false;
    const auto scorer = m_scorer->currentIndex() == 0 ? anatomy::SampleScorer::MeanLogprob : anatomy::SampleScorer::SumLogprob;
    m_samples = {};
    m_controller->runSamples(promptIds(), promptText(), m_input.sampler, m_n->value(), m_maxNew->value(),
                             m_regex->text(), scorer);
}

void DecodingView::runCompare() {
    if (!m_controller || !m_stale[2] || promptIds().empty()) return;
    QString error;
    const auto variants = DecodingController::parseVariants(m_variants->text(), m_input.sampler, &error);
    m_variantError->setVisible(!error.isEmpty());
    m_variantError->setText(error);
    if (variants.empty()) return;
    m_stale[2] = false;
    m_compare = {};
    m_controller->runCompare(promptIds(), variants, m_maxNew->value());
}

void DecodingView::play() {
    if (m_beam.result.done) {  // from the start again
        m_stale[0] = true;
        runBeam();
        return;
    }
    m_player.start();
    m_play->setEnabled(false);
    m_pause->setEnabled(true);
    if (m_beam.result.steps == 0) step();  // the first step now, not a tick later
}

void DecodingView::pause() {
    m_player.stop();
    m_play->setEnabled(true);
    m_pause->setEnabled(false);
}

void DecodingView::step() {
    if (!m_controller || m_beam.result.done) return;
    if (m_stale[0]) {  // settings changed since: a new search, its first step
        m_stale[0] = false;
        resetBeam();
        m_controller->startBeam(promptIds(), m_width->value(), m_alpha->value(), m_maxNew->value());
    }
    // Presses while a step is computing queue one more step each.
    m_requested = std::max(m_requested, m_beam.result.steps) + 1;
    m_controller->advanceBeam(m_requested);
}

void DecodingView::revealAll() {
    pause();
    m_followEdge = false;  // the whole tree read from the prompt (screenshots, slides)
    showBeam();
    m_treeScroll->horizontalScrollBar()->setValue(0);
}

void DecodingView::showTab(Tab tab) { m_tabs->setCurrentIndex(int(tab)); }

void DecodingView::copyResultsFrom(const DecodingView& other) {
    m_beam = other.m_beam;
    m_samples = other.m_samples;
    m_compare = other.m_compare;
    m_requested = other.m_requested;
    m_followEdge = false;  // a copy (an export) shows the tree from the prompt
    m_stale[0] = m_stale[1] = m_stale[2] = false;
    {
        const QSignalBlocker b1(m_width), b2(m_alpha), b3(m_n), b4(m_regex), b5(m_variants), b6(m_maxNew), b7(m_tabs);
        m_width->setValue(other.m_width->value());
        m_alpha->setValue(other.m_alpha->value());
        m_n->setValue(other.m_n->value());
        m_regex->setText(other.m_regex->text());
        m_variants->setText(other.m_variants->text());
        m_maxNew->setValue(other.m_maxNew->value());
        m_tabs->setCurrentIndex(other.m_tabs->currentIndex());
    }
    showBeam();
    showSamples();
    showCompare();
}

void DecodingView::showBeam() {
    const anatomy::BeamResult& r = m_beam.result;
    const anatomy::Tokenizer* tok = m_input.tokenizer.get();
    m_tree->setTree(r, tok, r.steps);
    m_stepLabel->setText(r.done ? tr("step %1 (done)").arg(r.steps)
                                : tr("step %1 of at most %2").arg(r.steps).arg(m_beam.maxNewTokens));
    if (m_followEdge) m_treeScroll->horizontalScrollBar()->setValue(m_treeScroll->horizontalScrollBar()->maximum());
    const int last = m_beam.prompt.empty() ? -1 : m_beam.prompt.back();
    const bool final = r.done;
    m_ranking->setRowCount(final ? int(r.ranked.size()) : 0);
    if (!final) return;
    for (int i = 0; i < int(r.ranked.size()); ++i) {
        const anatomy::BeamHypothesis& h = r.ranked[size_t(i)];
        m_ranking->setItem(i, 0, cell(QString::number(i + 1)));
        m_ranking->setItem(i, 1, cell(QString::number(h.score, 'f', 3)));
        m_ranking->setItem(i, 2, cell(QString::number(h.sumLogprob, 'f', 2)));
        m_ranking->setItem(i, 3, cell(QString::number(h.ids.size()) + (h.finished ? QStringLiteral(" ⏹") : QString())));
        m_ranking->setItem(i, 4, cell(textOf(tok, last, h.ids)));
        if (i == 0)
            for (int c = 0; c < 5; ++c) m_ranking->item(i, c)->setBackground(QColor(0xd9, 0xf2, 0xdc));
    }
    m_ranking->resizeColumnsToContents();
}

void DecodingView::showSamples() {
    const SampleRun& r = m_samples;
    m_regexError->setVisible(!r.regexError.isEmpty());
    m_regexError->setText(r.regexError);
    m_sampleTable->setRowCount(int(r.samples.size()));
    const int last = promptIds().empty() ? -1 : promptIds().back();
    for (int i = 0; i < int(r.samples.size()); ++i) {
        const anatomy::DecodedSample& d = r.samples[size_t(i)];
        m_sampleTable->setItem(i, 0, cell(QString::number(i + 1)));
        m_sampleTable->setItem(i, 1, cell(QString::number(d.seed)));
        m_sampleTable->setItem(i, 2, cell(QString::number(anatomy::sampleScore(d, r.scorer), 'f', 3)));
        m_sampleTable->setItem(i, 3, cell(d.answer ? QString::fromStdString(*d.answer) : QStringLiteral("—")));
        m_sampleTable->setItem(i, 4, cell(textOf(m_input.tokenizer.get(), last, d.ids)));
        const bool winner = i == r.best;
        for (int c = 0; c < 5; ++c) {
            QTableWidgetItem* it = m_sampleTable->item(i, c);
            if (winner) {
                it->setBackground(QColor(0xd9, 0xf2, 0xdc));
                QFont f = it->font();
                f.setBold(true);
                it->setFont(f);
            }
        }
    }
    m_sampleTable->resizeColumnsToContents();
    m_histogram->setVote(r.vote);
    QString label = r.samples.empty() ? QString()
                                      : tr("Best-of-%1 by %2: sample %3 (seed %4).")
                                            .arg(r.samples.size())
                                            .arg(QString::fromUtf8(anatomy::sampleScorerName(r.scorer)))
                                            .arg(r.best + 1)
                                            .arg(r.best >= 0 ? r.samples[size_t(r.best)].seed : 0);
    if (r.vote.winner)
        label += tr("  Vote: <b>%1</b> (%2 of %3 answered)")
                     .arg(QString::fromStdString(*r.vote.winner).toHtmlEscaped())
                     .arg(r.vote.counts.front().count)
                     .arg(r.vote.answered);
    if (!r.done && !r.samples.empty()) label += tr("  (%1 of %2 drawn)").arg(r.samples.size()).arg(r.requested);
    m_voteLabel->setText(label);
}

void DecodingView::showCompare() {
    while (QLayoutItem* item = m_columns->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const int last = promptIds().empty() ? -1 : promptIds().back();
    for (const anatomy::VariantOutput& o : m_compare.outputs) {
        auto* col = new QFrame(m_columnsHost);
        col->setFrameShape(QFrame::StyledPanel);
        col->setMinimumWidth(180);
        auto* cv = new QVBoxLayout(col);
        // One metric a row (a narrow column clipped "distinct-1 0.88 · distinct-2 0.97").
        auto* head = new QLabel(col);
        head->setObjectName(QStringLiteral("compareMetrics"));
        head->setTextFormat(Qt::RichText);
        head->setText(tr("<b>%1</b><table cellspacing=0 cellpadding=0>"
                         "<tr><td>mean log p&nbsp;</td><td align=right>%2</td></tr>"
                         "<tr><td>distinct-1</td><td align=right>%3</td></tr>"
                         "<tr><td>distinct-2</td><td align=right>%4</td></tr>"
                         "<tr><td>repeated 4-grams&nbsp;</td><td align=right>%5</td></tr>"
                         "<tr><td>tokens</td><td align=right>%6</td></tr></table>")
                          .arg(QString::fromStdString(o.variant.label).toHtmlEscaped())
                          .arg(o.metrics.meanLogprob, 0, 'f', 3)
                          .arg(o.metrics.distinct1, 0, 'f', 2)
                          .arg(o.metrics.distinct2, 0, 'f', 2)
                          .arg(o.metrics.repeated4)
                          .arg(o.metrics.length));
        auto* text = new QTextBrowser(col);
        text->setHtml(probabilityHtml(m_input.tokenizer.get(), last, o.ids, o.logprobs));
        cv->addWidget(head);
        cv->addWidget(text, 1);
        m_columns->addWidget(col, 1);
    }
}

QString DecodingView::toCsv() const {
    QString csv = QStringLiteral("kind,rank,score,sum_logprob,answer,text\n");
    auto quoted = [](QString s) { return QLatin1Char('"') + s.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"'); };
    const int last = m_beam.prompt.empty() ? -1 : m_beam.prompt.back();
    for (size_t i = 0; i < m_beam.result.ranked.size(); ++i) {
        const auto& h = m_beam.result.ranked[i];
        csv += QStringLiteral("beam,%1,%2,%3,,%4\n").arg(i + 1).arg(h.score).arg(h.sumLogprob)
                   .arg(quoted(textOf(m_input.tokenizer.get(), last, h.ids)));
    }
    for (size_t i = 0; i < m_samples.samples.size(); ++i) {
        const auto& d = m_samples.samples[i];
        csv += QStringLiteral("sample,%1,%2,%3,%4,%5\n").arg(i + 1).arg(anatomy::sampleScore(d, m_samples.scorer))
                   .arg(d.sumLogprob).arg(quoted(d.answer ? QString::fromStdString(*d.answer) : QString()))
                   .arg(quoted(QString::fromStdString(d.text)));
    }
    for (size_t i = 0; i < m_compare.outputs.size(); ++i) {
        const auto& o = m_compare.outputs[i];
        csv += QStringLiteral("%1,%2,%3,,,%4\n").arg(quoted(QString::fromStdString(o.variant.label))).arg(i + 1)
                   .arg(o.metrics.meanLogprob).arg(quoted(QString::fromStdString(o.text)));
    }
    return csv;
}

}  // namespace anatomy::widgets
