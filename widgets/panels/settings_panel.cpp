#include "panels/settings_panel.h"
#include "panels/wheel_guard.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <exception>
#include <map>

namespace anatomy::widgets {

namespace {

const char* kPresetGroup = "samplerPresets";

// Built-in presets: what the course compares.
std::map<QString, anatomy::SamplerSettings> builtinPresets() {
    std::map<QString, anatomy::SamplerSettings> m;
    anatomy::SamplerSettings s;
    s.temperature = 0.0f;
    s.topP = 1.0f;
    m[QObject::tr("Greedy (argmax)")] = s;
    s = {};
    s.temperature = 1.0f;
    s.topP = 0.9f;
    m[QObject::tr("llama2.c default (T 1, top-p 0.9)")] = s;
    s = {};
    s.temperature = 1.0f;
    s.topP = 1.0f;
    m[QObject::tr("Pure sampling (T 1)")] = s;
    s = {};
    s.temperature = 0.7f;
    s.topK = 40;
    s.topP = 0.95f;
    s.repetitionPenalty = 1.1f;
    m[QObject::tr("Careful (T 0.7, top-k 40, penalty 1.1)")] = s;
    s = {};
    s.temperature = 1.5f;
    s.topP = 1.0f;
    s.minP = 0.05f;
    m[QObject::tr("Hot with min-p (T 1.5, min-p 0.05)")] = s;
    s = {};
    s.temperature = 1.5f;
    s.topP = 1.0f;
    s.minP = 0.1f;
    s.order = anatomy::parseSamplerOrder("penalty,top-k,top-p,min-p,temperature");
    m[QObject::tr("Temperature last (min-p 0.1, then T 1.5)")] = s;
    return m;
}

void store(QSettings& q, const anatomy::SamplerSettings& s) {
    q.setValue("temperature", s.temperature);
    q.setValue("topK", s.topK);
    q.setValue("topP", s.topP);
    q.setValue("minP", s.minP);
    q.setValue("typicalP", s.typicalP);
    q.setValue("repetitionPenalty", s.repetitionPenalty);
    q.setValue("repetitionWindow", s.repetitionWindow);
    q.setValue("seed", QString::number(s.seed));
    q.setValue("order", QString::fromStdString(anatomy::formatSamplerOrder(s.order)));
}

anatomy::SamplerSettings restore(QSettings& q) {
    anatomy::SamplerSettings s;
    s.temperature = q.value("temperature", s.temperature).toFloat();
    s.topK = q.value("topK", s.topK).toInt();
    s.topP = q.value("topP", s.topP).toFloat();
    s.minP = q.value("minP", s.minP).toFloat();
    s.typicalP = q.value("typicalP", s.typicalP).toFloat();
    s.repetitionPenalty = q.value("repetitionPenalty", s.repetitionPenalty).toFloat();
    s.repetitionWindow = q.value("repetitionWindow", s.repetitionWindow).toInt();
    s.seed = q.value("seed", QString::number(s.seed)).toString().toULongLong();
    try {  // a preset saved before orders existed, or edited by hand, keeps the default
        if (q.contains("order"))
            s.order = anatomy::parseSamplerOrder(q.value("order").toString().toStdString());
    } catch (const std::exception&) {
    }
    return s;
}

}  // namespace

SettingsPanel::SettingsPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_temperature = addRow(form, tr("Temperature"),
                           tr("Divides the logits before the softmax: p ∝ exp(z / T). "
                              "Below 1 sharpens, above 1 flattens; 0 = greedy (argmax)."),
                           0.0, 2.0, 0.05, 2, 200);
    m_topK = addRow(form, tr("Top-k"), tr("Keep only the k most probable tokens (0 = off)."), 0, 200, 1,
                    0, 200);
    m_topP = addRow(form, tr("Top-p"),
                    tr("Keep the smallest set of most probable tokens whose mass exceeds p (1 = off)."),
                    0.0, 1.0, 0.01, 2, 100);
    m_minP = addRow(form, tr("Min-p"),
                    tr("Keep tokens with p ≥ min-p × p(most probable token) (0 = off)."), 0.0, 0.5,
                    0.01, 2, 100);
    m_typicalP = addRow(form, tr("Typical-p"),
                        tr("Locally typical sampling: keep the tokens whose surprise −ln p is closest "
                           "to the entropy H until their mass exceeds p (1 = off)."),
                        0.0, 1.0, 0.01, 2, 100);
    m_penalty = addRow(form, tr("Repetition penalty"),
                       tr("Divides positive logits (multiplies negative ones) of recently seen "
                          "tokens by this factor (1 = off)."),
                       1.0, 2.0, 0.01, 2, 100);
    m_window = new QSpinBox(this);
    m_window->setRange(1, 4096);
    m_window->setToolTip(tr("How many recent tokens the repetition penalty looks at."));
    form->addRow(tr("Penalty window"), m_window);
    QWidget* orderEditor = makeOrderEditor();
    auto* orderLabel = new QLabel(tr("Stage order"), this);
    orderLabel->setToolTip(m_order->toolTip());
    form->addRow(orderLabel, orderEditor);
    m_seed = new QSpinBox(this);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setToolTip(tr("Seed of the random number generator: the same seed draws the same tokens."));
    form->addRow(tr("Seed"), m_seed);
    m_threads = new QSpinBox(this);
    m_threads->setRange(0, std::max(1, QThread::idealThreadCount()));
    m_threads->setSpecialValueText(tr("all cores"));
    m_threads->setToolTip(tr("Worker threads of the engine (0 = all cores)."));
    form->addRow(tr("Threads"), m_threads);
    layout->addLayout(form);

    auto* presetRow = new QHBoxLayout;
    m_presets = new QComboBox(this);
    m_presets->setToolTip(tr("Saved sampler settings"));
    auto* save = new QPushButton(tr("Save…"), this);
    auto* del = new QPushButton(tr("Delete"), this);
    presetRow->addWidget(new QLabel(tr("Preset"), this));
    presetRow->addWidget(m_presets, 1);
    presetRow->addWidget(save);
    presetRow->addWidget(del);
    layout->addLayout(presetRow);
    layout->addStretch(1);

    connect(m_window, &QSpinBox::valueChanged, this, [this] { emitChanged(); });
    connect(m_seed, &QSpinBox::valueChanged, this, [this] { emitChanged(); });
    connect(m_threads, &QSpinBox::valueChanged, this, [this](int n) { Q_EMIT threadCountChanged(n); });
    connect(m_presets, &QComboBox::activated, this, [this](int i) {
        if (i > 0) applyPreset(m_presets->itemText(i));
    });
    connect(save, &QPushButton::clicked, this, &SettingsPanel::onSavePreset);
    connect(del, &QPushButton::clicked, this, &SettingsPanel::onDeletePreset);

    m_applying = true;
    setSettings(anatomy::SamplerSettings{});
    m_applying = false;
    refreshPresets();
    // Scrolling the dock over a slider or spin box must not change the sampler (issue 9).
    ignoreWheelUnlessFocused(this);
}

SettingsPanel::Row SettingsPanel::addRow(QFormLayout* form, const QString& label, const QString& tip,
                                         double lo, double hi, double step, int decimals, int steps) {
    Row r;
    r.lo = lo;
    r.hi = hi;
    r.steps = steps;
    r.slider = new QSlider(Qt::Horizontal, this);
    r.slider->setRange(0, steps);
    r.spin = new QDoubleSpinBox(this);
    r.spin->setRange(lo, hi);
    r.spin->setSingleStep(step);
    r.spin->setDecimals(decimals);
    r.spin->setKeyboardTracking(false);
    r.slider->setToolTip(tip);
    r.spin->setToolTip(tip);
    auto* row = new QHBoxLayout;
    row->addWidget(r.slider, 1);
    row->addWidget(r.spin);
    auto* name = new QLabel(label, this);
    name->setToolTip(tip);
    form->addRow(name, row);
    QSlider* slider = r.slider;
    QDoubleSpinBox* spin = r.spin;
    connect(slider, &QSlider::valueChanged, this, [this, slider, spin, lo, hi, steps](int v) {
        const QSignalBlocker block(spin);
        spin->setValue(lo + (hi - lo) * v / steps);
        emitChanged();
    });
    connect(spin, &QDoubleSpinBox::valueChanged, this, [this, slider, lo, hi, steps](double v) {
        const QSignalBlocker block(slider);
        slider->setValue(static_cast<int>(std::lround((v - lo) / (hi - lo) * steps)));
        emitChanged();
    });
    return r;
}

anatomy::SamplerSettings SettingsPanel::settings() const {
    anatomy::SamplerSettings s;
    s.temperature = static_cast<float>(m_temperature.spin->value());
    s.topK = static_cast<int>(std::lround(m_topK.spin->value()));
    s.topP = static_cast<float>(m_topP.spin->value());
    s.minP = static_cast<float>(m_minP.spin->value());
    s.typicalP = static_cast<float>(m_typicalP.spin->value());
    s.repetitionPenalty = static_cast<float>(m_penalty.spin->value());
    s.repetitionWindow = m_window->value();
    s.seed = static_cast<uint64_t>(m_seed->value());
    s.order.clear();
    for (int i = 0; i < m_order->count(); ++i)
        if (m_order->item(i)->checkState() == Qt::Checked)
            s.order.push_back(
                static_cast<anatomy::SamplerStageKind>(m_order->item(i)->data(Qt::UserRole).toInt()));
    return s;
}

void SettingsPanel::setSettings(const anatomy::SamplerSettings& s) {
    const bool outer = !m_applying;
    m_applying = true;
    auto set = [](Row& r, double v) {
        r.spin->setValue(v);  // moves the slider through the connection
    };
    set(m_temperature, s.temperature);
    set(m_topK, s.topK);
    set(m_topP, s.topP <= 0.0f ? 1.0 : s.topP);
    set(m_minP, s.minP);
    set(m_typicalP, s.typicalP <= 0.0f ? 1.0 : s.typicalP);
    set(m_penalty, s.repetitionPenalty);
    m_window->setValue(s.repetitionWindow);
    m_seed->setValue(static_cast<int>(std::min<uint64_t>(s.seed, std::numeric_limits<int>::max())));
    showOrder(s.order);
    if (outer) {
        m_applying = false;
        Q_EMIT settingsChanged(settings());
    }
}

void SettingsPanel::emitChanged() {
    if (m_applying) return;
    Q_EMIT settingsChanged(settings());
}

QWidget* SettingsPanel::makeOrderEditor() {
    auto* box = new QWidget(this);
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    m_order = new QListWidget(box);
    m_order->setObjectName(QStringLiteral("samplerOrder"));
    m_order->setToolTip(tr("The sampler's stages run top to bottom; unchecked stages do not run.\n"
                           "The default (penalty, temperature, top-k, top-p, min-p) reproduces llama2.c.\n"
                           "Temperature below a filter reshapes only the tokens that filter kept;\n"
                           "top-p and min-p above temperature cut the model's own distribution."));
    m_order->setSelectionMode(QAbstractItemView::SingleSelection);
    auto* buttons = new QVBoxLayout;
    auto* up = new QPushButton(tr("Up"), box);
    up->setObjectName(QStringLiteral("samplerOrderUp"));
    up->setToolTip(tr("Run the selected stage earlier"));
    auto* down = new QPushButton(tr("Down"), box);
    down->setObjectName(QStringLiteral("samplerOrderDown"));
    down->setToolTip(tr("Run the selected stage later"));
    auto* reset = new QPushButton(tr("Default"), box);
    reset->setObjectName(QStringLiteral("samplerOrderDefault"));
    reset->setToolTip(tr("penalty, temperature, top-k, top-p, min-p (llama2.c's order), then typical"));
    buttons->addWidget(up);
    buttons->addWidget(down);
    buttons->addWidget(reset);
    buttons->addStretch(1);
    row->addWidget(m_order, 1);
    row->addLayout(buttons);

    showOrder({anatomy::kDefaultSamplerOrder.begin(), anatomy::kDefaultSamplerOrder.end()});
    // One row per stage with some air between them, no scrolling.
    m_order->setSpacing(2);
    m_order->setFixedHeight((m_order->sizeHintForRow(0) + 2 * m_order->spacing()) * m_order->count() +
                            2 * m_order->frameWidth() + 2);

    connect(up, &QPushButton::clicked, this, [this] { moveCurrentStage(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveCurrentStage(+1); });
    connect(reset, &QPushButton::clicked, this, [this] {
        showOrder({anatomy::kDefaultSamplerOrder.begin(), anatomy::kDefaultSamplerOrder.end()});
        emitChanged();
    });
    connect(m_order, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
        if (settings().order.empty()) {  // the chain needs a stage: the last one stays on
            const QSignalBlocker block(m_order);
            item->setCheckState(Qt::Checked);
            return;
        }
        emitChanged();
    });
    return box;
}

// The order's stages checked, in order, then the ones left out, unchecked, in default order.
void SettingsPanel::showOrder(const std::vector<anatomy::SamplerStageKind>& order) {
    const QSignalBlocker block(m_order);
    const int current = m_order->currentRow();
    m_order->clear();
    std::vector<anatomy::SamplerStageKind> rows = order;
    for (anatomy::SamplerStageKind k : anatomy::kDefaultSamplerOrder)
        if (std::find(rows.begin(), rows.end(), k) == rows.end()) rows.push_back(k);
    for (anatomy::SamplerStageKind k : rows) {
        auto* item = new QListWidgetItem(QString::fromUtf8(anatomy::samplerStageName(k)), m_order);
        item->setData(Qt::UserRole, static_cast<int>(k));
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        const bool on = std::find(order.begin(), order.end(), k) != order.end();
        item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    }
    m_order->setCurrentRow(std::clamp(current, 0, m_order->count() - 1));
}

void SettingsPanel::moveCurrentStage(int delta) {
    const int from = m_order->currentRow();
    const int to = from + delta;
    if (from < 0 || to < 0 || to >= m_order->count()) return;
    {
        const QSignalBlocker block(m_order);
        QListWidgetItem* item = m_order->takeItem(from);
        m_order->insertItem(to, item);
        m_order->setCurrentRow(to);
    }
    emitChanged();
}

int SettingsPanel::threadCount() const { return m_threads->value(); }
void SettingsPanel::setThreadCount(int n) { m_threads->setValue(n); }

QStringList SettingsPanel::presetNames() const {
    QStringList names;
    for (const auto& [name, s] : builtinPresets()) names << name;
    QSettings q;
    q.beginGroup(kPresetGroup);
    names << q.childGroups();
    return names;
}

bool SettingsPanel::applyPreset(const QString& name) {
    const auto builtins = builtinPresets();
    if (auto it = builtins.find(name); it != builtins.end()) {
        anatomy::SamplerSettings s = it->second;
        s.seed = settings().seed;  // presets shape the distribution; the seed stays
        setSettings(s);
        return true;
    }
    QSettings q;
    q.beginGroup(kPresetGroup);
    if (!q.childGroups().contains(name)) return false;
    q.beginGroup(name);
    setSettings(restore(q));
    return true;
}

void SettingsPanel::savePreset(const QString& name) {
    QSettings q;
    q.beginGroup(kPresetGroup);
    q.beginGroup(name);
    store(q, settings());
    q.endGroup();
    q.endGroup();
    refreshPresets();
}

void SettingsPanel::deletePreset(const QString& name) {
    QSettings q;
    q.beginGroup(kPresetGroup);
    q.remove(name);
    q.endGroup();
    refreshPresets();
}

void SettingsPanel::refreshPresets() {
    const QSignalBlocker block(m_presets);
    m_presets->clear();
    m_presets->addItem(tr("Choose…"));
    m_presets->addItems(presetNames());
}

void SettingsPanel::onSavePreset() {
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save preset"), tr("Preset name:"), QLineEdit::Normal,
                                               QString(), &ok)
                             .trimmed();
    if (!ok || name.isEmpty() || name.contains(QLatin1Char('/'))) return;
    savePreset(name);
    m_presets->setCurrentText(name);
}

void SettingsPanel::onDeletePreset() {
    const QString name = m_presets->currentText();
    if (m_presets->currentIndex() <= 0 || builtinPresets().count(name)) return;  // built-ins stay
    deletePreset(name);
}

}  // namespace anatomy::widgets
