#include "views/train_view.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>

#include "controller/train_controller.h"
#include "plot/qcustomplot_include.h"
#include "views/sampling_view.h"

#ifndef ANATOMY_TRAIN_PRESETS_DIR
#define ANATOMY_TRAIN_PRESETS_DIR ""
#endif

namespace anatomy::widgets {

TrainCurves trainCurves(const std::vector<anatomy::TrainLogLine>& log, int layer) {
    TrainCurves c;
    for (const anatomy::TrainLogLine& l : log) {
        c.step << l.step;
        c.trainLoss << l.trainLoss;
        if (l.valLoss) {
            c.valStep << l.step;
            c.valLoss << *l.valLoss;
        }
        c.lr << l.lr;
        c.maxActivation << l.maxActivation;
        if (c.layerGradNorm.size() < l.gradNormPerLayer.size()) c.layerGradNorm.resize(l.gradNormPerLayer.size());
        for (size_t i = 0; i < l.gradNormPerLayer.size(); ++i) c.layerGradNorm[i] << l.gradNormPerLayer[i];
        if (layer >= 0 && size_t(layer) < l.firstTokenMass.size()) {
            const auto& heads = l.firstTokenMass[size_t(layer)];
            if (c.headMass.size() < heads.size()) c.headMass.resize(heads.size());
            for (size_t h = 0; h < heads.size(); ++h) c.headMass[h] << heads[h];
        }
        if (layer >= 0 && size_t(layer) < l.expertLoad.size()) {
            const auto& load = l.expertLoad[size_t(layer)];
            if (c.expertLoad.size() < load.size()) c.expertLoad.resize(load.size());
            for (size_t e = 0; e < load.size(); ++e) c.expertLoad[e] << load[e];
            c.dropped << l.droppedFraction;
        }
    }
    return c;
}

QString trainPresetsDir() {
    if (const QByteArray env = qgetenv("ANATOMY_TRAIN_PRESETS"); !env.isEmpty()) return QString::fromLocal8Bit(env);
    return QString::fromUtf8(ANATOMY_TRAIN_PRESETS_DIR);
}

QStringList trainPresetNames() {
    QStringList out;
    const QDir root(trainPresetsDir());
    if (trainPresetsDir().isEmpty() || !root.exists()) return out;
    for (const QString& folder : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        for (const QString& f : QDir(root.filePath(folder)).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
            out << folder + QLatin1Char('/') + QFileInfo(f).completeBaseName();
    return out;
}

QString trainPresetPath(const QString& name) {
    return QDir(trainPresetsDir()).filePath(name + QStringLiteral(".json"));
}

namespace {

const QColor kPalette[] = {QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44), QColor(214, 39, 40),
                           QColor(148, 103, 189), QColor(140, 86, 75), QColor(227, 119, 194), QColor(127, 127, 127),
                           QColor(188, 189, 34), QColor(23, 190, 207)};

QCustomPlot* makePlot(QWidget* parent, const QString& title, const QString& yLabel,
                      QCPTextElement** titleOut = nullptr) {
    auto* p = new QCustomPlot(parent);
    p->setMinimumSize(140, 100);
    // A fixed-size title (not lecture::addTitle's fitted one): the six panes read alike.
    p->plotLayout()->insertRow(0);
    auto* t = new QCPTextElement(p, title, lecture::fontFor(p, lecture::kNotePt + 1, true));
    p->plotLayout()->addElement(0, 0, t);
    if (titleOut) *titleOut = t;
    lecture::styleAxisRect(p->axisRect());
    p->xAxis->setLabel(QObject::tr("step"));
    p->yAxis->setLabel(yLabel);
    const QFont tick = lecture::fontFor(p, lecture::kNotePt - 1), label = lecture::fontFor(p, lecture::kNotePt);
    p->xAxis->setTickLabelFont(tick);
    p->yAxis->setTickLabelFont(tick);
    p->xAxis->setLabelFont(label);
    p->yAxis->setLabelFont(label);
    p->legend->setFont(lecture::fontFor(p, lecture::kNotePt - 2));
    p->legend->setBrush(QColor(255, 255, 255, 200));
    return p;
}

// Replaces the plot's graphs with the series (x shared or per series), names in the legend when
// there are few enough to read.
void setSeries(QCustomPlot* p, const std::vector<std::pair<QString, std::pair<QVector<double>, QVector<double>>>>& series,
               const QString& empty) {
    p->clearGraphs();
    p->clearItems();
    int i = 0;
    for (const auto& [name, xy] : series) {
        QCPGraph* g = p->addGraph();
        g->setName(name);
        g->setPen(QPen(kPalette[i++ % 10], 2));
        g->setData(xy.first, xy.second, true);
    }
    bool any = false;
    for (const auto& s : series) any = any || !s.second.first.isEmpty();
    p->legend->setVisible(any && series.size() <= 8);
    if (!any) {
        auto* text = new QCPItemText(p);
        text->position->setType(QCPItemPosition::ptAxisRectRatio);
        text->position->setCoords(0.5, 0.5);
        text->setText(empty);
        text->setFont(lecture::fontFor(p, lecture::kNotePt));
        text->setColor(Qt::darkGray);
    }
    p->rescaleAxes();
    if (any) {
        // A little air above the curves; the x axis starts at step 0.
        const QCPRange y = p->yAxis->range();
        const double pad = std::max(1e-9, y.size() * 0.08);
        p->yAxis->setRange(std::min(0.0, y.lower) < 0 ? y.lower - pad : std::max(0.0, y.lower - pad), y.upper + pad);
        p->xAxis->setRange(0, std::max(1.0, p->xAxis->range().upper));
    }
    p->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace

TrainView::TrainView(QWidget* parent) : TraceView(parent), m_controller(new TrainController(this)) {
    auto* top = new QHBoxLayout;
    m_preset = new QComboBox(this);
    // The combo shrinks to fit the pane (the window fits a 1024x640 screen); names are short anyway.
    m_preset->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_preset->setMinimumContentsLength(12);
    m_preset->setToolTip(tr("A preset of the course's comparisons (samples/train_presets), or a config file"));
    for (const QString& name : trainPresetNames()) m_preset->addItem(name, trainPresetPath(name));
    m_browse = new QPushButton(tr("Config…"), this);
    m_start = new QPushButton(tr("Start training"), this);
    m_stop = new QPushButton(tr("Stop training"), this);
    m_resume = new QPushButton(tr("Resume"), this);
    m_open = new QPushButton(tr("Open in views"), this);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    top->addWidget(m_preset, 1);
    top->addWidget(m_browse);
    top->addWidget(m_start);
    top->addWidget(m_stop);
    top->addWidget(m_resume);
    top->addWidget(m_open);

    m_loss = makePlot(this, tr("Loss (nats/token)"), tr("loss"));
    m_lr = makePlot(this, tr("Learning rate"), tr("lr"));
    m_grad = makePlot(this, tr("Gradient norm per layer"), tr("‖g‖"));
    m_mass = makePlot(this, tr("First-token attention mass"), tr("mass"), &m_massTitle);
    m_experts = makePlot(this, tr("Expert load"), tr("share"), &m_expertsTitle);
    m_activation = makePlot(this, tr("Largest activation |x|"), tr("|x|"));
    m_grad->yAxis->setScaleType(QCPAxis::stLogarithmic);
    m_grad->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    auto* grid = new QGridLayout;
    grid->addWidget(m_loss, 0, 0);
    grid->addWidget(m_lr, 0, 1);
    grid->addWidget(m_grad, 0, 2);
    grid->addWidget(m_mass, 1, 0);
    grid->addWidget(m_experts, 1, 1);
    grid->addWidget(m_activation, 1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addLayout(grid, 1);

    connect(m_preset, &QComboBox::currentIndexChanged, this, [this] {
        m_configPath.clear();
        updateButtons();
    });
    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Training config"), trainPresetsDir(),
                                                          tr("Training config (*.json)"));
        if (path.isEmpty()) return;
        m_configPath = path;
        m_preset->setCurrentIndex(-1);
        updateButtons();
    });
    connect(m_start, &QPushButton::clicked, this, [this] { startConfig(chosenConfig(), false); });
    connect(m_resume, &QPushButton::clicked, this, [this] { startConfig(chosenConfig(), true); });
    connect(m_stop, &QPushButton::clicked, m_controller, &TrainController::stop);
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (m_controller->canOpen()) Q_EMIT openModelRequested(m_controller->modelPath(), m_controller->openSettings());
    });
    connect(m_controller, &TrainController::started, this, [this] {
        m_message.clear();
        refresh();
    });
    connect(m_controller, &TrainController::lineLogged, this, [this] { refresh(); });
    connect(m_controller, &TrainController::finished, this, [this] { refresh(); });
    connect(m_controller, &TrainController::stopped, this, [this] { refresh(); });
    connect(m_controller, &TrainController::failed, this, [this](const QString& m) {
        m_message = m;
        refresh();
    });
    refresh();
}

QString TrainView::chosenConfig() const {
    if (!m_configPath.isEmpty()) return m_configPath;
    return m_preset->currentData().toString();
}

void TrainView::startConfig(const QString& configPath, bool resume, const QString& out) {
    if (configPath.isEmpty()) {
        m_message = tr("No config: pick a preset or a config file (Config…)");
        refresh();
        return;
    }
    m_controller->start(configPath, resume, out);
    updateButtons();
}

void TrainView::setInput(const ViewInput&) {}

void TrainView::setSelection(const Selection& sel) {
    if (sel.layer == m_selection.layer) return;
    m_selection = sel;
    refresh();
}

QString TrainView::statusText() const {
    const auto& log = m_controller->history();
    if (!m_message.isEmpty()) return tr("Failed: %1").arg(m_message);
    if (log.empty())
        return m_controller->running() ? tr("Training: reading the corpus…")
                                       : tr("Pick a preset (one design of a comparison) and press Start training. Models go to "
                                            "%1.").arg(QDir::toNativeSeparators(QStringLiteral("~/.local/share/transformer-anatomy/models")));
    const anatomy::TrainLogLine& l = log.back();
    const int steps = m_controller->config() ? m_controller->config()->opt.steps : l.step;
    QString val;
    for (auto it = log.rbegin(); it != log.rend(); ++it)
        if (it->valLoss) {
            val = tr(", validation %1 at step %2").arg(*it->valLoss, 0, 'f', 3).arg(it->step);
            break;
        }
    const QString state = m_controller->running() ? tr("Training") : l.step >= steps ? tr("Done") : tr("Stopped");
    QString out = tr("%1: step %2 of %3, train loss %4%5, %6 tokens/s")
                      .arg(state)
                      .arg(l.step)
                      .arg(steps)
                      .arg(l.trainLoss, 0, 'f', 3)
                      .arg(val)
                      .arg(l.tokensPerS, 0, 'f', 0);
    if (!m_controller->running() && !m_controller->modelPath().isEmpty() && l.step >= steps)
        out += tr(" — %1%2")
                   .arg(QDir::toNativeSeparators(m_controller->modelPath()),
                        m_controller->canOpen() ? QString()
                                                : tr(" (this design runs in the trainer only; the views cannot open it yet)"));
    return out;
}

void TrainView::updateButtons() {
    const bool running = m_controller->running();
    const bool have = !chosenConfig().isEmpty();
    m_start->setEnabled(!running && have);
    m_resume->setEnabled(!running && have);
    m_stop->setEnabled(running);
    m_preset->setEnabled(!running);
    m_browse->setEnabled(!running);
    m_open->setEnabled(!running && m_controller->canOpen());
    m_open->setToolTip(m_controller->canOpen() ? tr("Load the trained model into every view")
                                               : tr("Train a model first (gated attention, a plain FFN, absolute positions, MoE, "
                                                    "BatchNorm or MLA open from a .gguf output)"));
}

void TrainView::refresh() {
    // The selected layer, within the trained model's layers (the selection follows the loaded model).
    const auto& log = m_controller->history();
    const int layers = log.empty() ? 1 : std::max<int>(1, int(log.back().gradNormPerLayer.size()));
    const int layer = std::clamp(m_selection.layer, 0, layers - 1);
    m_curves = trainCurves(log, layer);
    const TrainCurves& c = m_curves;
    using Series = std::vector<std::pair<QString, std::pair<QVector<double>, QVector<double>>>>;
    setSeries(m_loss, Series{{tr("train"), {c.step, c.trainLoss}}, {tr("validation"), {c.valStep, c.valLoss}}},
              tr("no steps yet"));
    setSeries(m_lr, Series{{tr("lr"), {c.step, c.lr}}}, tr("no steps yet"));
    Series grad, mass, experts;
    for (size_t l = 0; l < c.layerGradNorm.size(); ++l) grad.push_back({tr("layer %1").arg(l), {c.step, c.layerGradNorm[l]}});
    for (size_t h = 0; h < c.headMass.size(); ++h) mass.push_back({tr("head %1").arg(h), {c.step, c.headMass[h]}});
    for (size_t e = 0; e < c.expertLoad.size(); ++e) experts.push_back({tr("expert %1").arg(e), {c.step, c.expertLoad[e]}});
    if (!c.dropped.isEmpty()) experts.push_back({tr("dropped"), {c.step, c.dropped}});
    setSeries(m_grad, grad, tr("no steps yet"));
    setSeries(m_mass, mass, tr("no steps yet"));
    setSeries(m_experts, experts, c.empty() ? tr("no steps yet") : tr("dense FFN: no experts"));
    setSeries(m_activation, Series{{tr("max |x|"), {c.step, c.maxActivation}}}, tr("no steps yet"));
    m_massTitle->setText(tr("First-token attention mass, layer %1").arg(layer));
    m_expertsTitle->setText(tr("Expert load, layer %1").arg(layer));
    m_status->setText(statusText());
    updateButtons();
}

QString TrainView::toCsv() const {
    QString out = QStringLiteral("step,train_loss,val_loss,lr,max_activation\n");
    const auto& log = m_controller->history();
    for (const anatomy::TrainLogLine& l : log)
        out += QStringLiteral("%1,%2,%3,%4,%5\n")
                   .arg(l.step)
                   .arg(l.trainLoss, 0, 'g', 8)
                   .arg(l.valLoss ? QString::number(*l.valLoss, 'g', 8) : QString())
                   .arg(l.lr, 0, 'g', 8)
                   .arg(l.maxActivation, 0, 'g', 8);
    return out;
}

}  // namespace anatomy::widgets
