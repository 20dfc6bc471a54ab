#include "architecture_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <exception>

#include "knob_help.h"

namespace anatomy::widgets {

namespace {

const char* const kKeyProperty = "knobKey";

// Gate logits on the slider: tenths, -8 .. 8.
constexpr int kGateSteps = 10;

QString number(double v) { return QString::number(v, 'g', 7); }

void setComboText(QComboBox* box, const QString& text) {
    const int i = box->findText(text);
    if (i >= 0) box->setCurrentIndex(i);
    else if (box->isEditable()) box->setEditText(text);
}

}  // namespace

ArchitecturePanel::ArchitecturePanel(QWidget* parent) : QWidget(parent) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(6, 6, 6, 6);

    // Top: what is in use now, and the way back.
    m_reset = new QPushButton(tr("Reset to as trained"), this);
    m_reset->setToolTip(tr("Every knob back to the checkpoint's own architecture"));
    connect(m_reset, &QPushButton::clicked, this, [this] { setSettings(anatomy::SimSettings{}); });
    m_describe = new QLabel(this);
    m_describe->setWordWrap(true);
    m_describe->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorLabel = new QLabel(this);
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setStyleSheet(QStringLiteral("QLabel { color: #b00020; font-weight: bold; }"));
    m_errorLabel->hide();
    outer->addWidget(m_reset);
    outer->addWidget(m_describe);
    outer->addWidget(m_errorLabel);

    // Perplexity read-out, always in sight.
    auto* pplBox = new QGroupBox(tr("Perplexity on TinyStories"), this);
    auto* pplForm = new QFormLayout(pplBox);
    buildPerplexity(pplForm);
    outer->addWidget(pplBox);

    // The knobs, scrolled.
    m_body = new QWidget;
    auto* bodyLayout = new QVBoxLayout(m_body);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(m_body);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    outer->addWidget(scroll, 1);

    QFormLayout* f = addGroup(tr("Norms"));
    m_placement = addCombo(f, tr("Placement"), QStringLiteral("norm.placement"),
                           {QStringLiteral("pre"), QStringLiteral("post"), QStringLiteral("sandwich"), QStringLiteral("deepnorm")});
    m_normType = addCombo(f, tr("Type"), QStringLiteral("norm.type"), {QStringLiteral("rms"), QStringLiteral("layer")});
    m_eps = addCombo(f, tr("\u03B5"), QStringLiteral("norm.eps"),
                     {QStringLiteral("model"), QStringLiteral("1e-6"), QStringLiteral("1e-5"), QStringLiteral("1e-3"),
                      QStringLiteral("0.1"), QStringLiteral("1")}, true);
    m_deepAlpha = addCombo(f, tr("DeepNorm \u03B1"), QStringLiteral("norm.alpha"),
                           {QStringLiteral("auto"), QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("4")}, true);

    f = addGroup(tr("FFN activation"));
    m_act = addCombo(f, tr("Activation"), QStringLiteral("ffn.act"),
                     {QStringLiteral("silu"), QStringLiteral("gelu-tanh"), QStringLiteral("gelu-erf"), QStringLiteral("relu"),
                      QStringLiteral("leaky-relu"), QStringLiteral("elu"), QStringLiteral("swish")});
    m_actParam = addDouble(f, tr("Parameter"), QStringLiteral("ffn.slope"), -10, 50, 0.05, 3, 0.01);
    m_actParamLabel = qobject_cast<QLabel*>(f->labelForField(m_actParam));

    f = addGroup(tr("Positions"));
    m_pos = addCombo(f, tr("Encoding"), QStringLiteral("pos"), {QStringLiteral("rope"), QStringLiteral("none"), QStringLiteral("alibi")});
    m_ropeBase = addCombo(f, tr("RoPE base"), QStringLiteral("rope.base"),
                          {QStringLiteral("model"), QStringLiteral("100"), QStringLiteral("1000"), QStringLiteral("10000"),
                           QStringLiteral("100000"), QStringLiteral("500000")}, true);
    m_scaling = addCombo(f, tr("Scaling"), QStringLiteral("rope.scaling"),
                         {QStringLiteral("none"), QStringLiteral("linear"), QStringLiteral("ntk"), QStringLiteral("dynamic-ntk"),
                          QStringLiteral("ntk-by-parts"), QStringLiteral("yarn"), QStringLiteral("llama3")});
    m_factor = addDouble(f, tr("Factor s"), QStringLiteral("rope.factor"), 1, 64, 0.5, 2, 1);
    m_original = addSpin(f, tr("Original context"), QStringLiteral("rope.original"), 0, 1 << 20, 0);
    m_original->setSpecialValueText(tr("model's"));
    m_rampAlpha = addDouble(f, tr("Ramp \u03B1"), QStringLiteral("rope.alpha"), 0, 1000, 0.5, 2, 1);
    m_rampBeta = addDouble(f, tr("Ramp \u03B2"), QStringLiteral("rope.beta"), 0, 1000, 1, 2, 32);
    m_lowFreq = addDouble(f, tr("Llama 3 low"), QStringLiteral("rope.low_freq"), 0.01, 100, 0.5, 2, 1);
    m_highFreq = addDouble(f, tr("Llama 3 high"), QStringLiteral("rope.high_freq"), 0.01, 100, 0.5, 2, 4);

    f = addGroup(tr("Attention"));
    m_attnScale = addDouble(f, tr("Scale \u00D7 1/\u221Ad"), QStringLiteral("attn.scale"), 0, 16, 0.1, 2, 1);
    m_mask = addCombo(f, tr("Mask"), QStringLiteral("attn.mask"),
                      {QStringLiteral("causal"), QStringLiteral("bidirectional"), QStringLiteral("prefix")});
    m_prefix = addSpin(f, tr("Prefix length"), QStringLiteral("attn.prefix"), 0, 100000, 0);
    m_sparse = addCombo(f, tr("Sparse pattern"), QStringLiteral("attn.sparse"),
                        {QStringLiteral("none"), QStringLiteral("window"), QStringLiteral("sinks"), QStringLiteral("strided"),
                         QStringLiteral("dual-chunk"), QStringLiteral("s2")});
    m_window = addSpin(f, tr("Window W"), QStringLiteral("attn.window"), 1, 100000, 64);
    m_sinks = addSpin(f, tr("Sinks S"), QStringLiteral("attn.sinks"), 0, 100000, 4);
    m_stride = addSpin(f, tr("Stride"), QStringLiteral("attn.stride"), 1, 100000, 16);
    m_chunk = addSpin(f, tr("Chunk"), QStringLiteral("attn.chunk"), 1, 100000, 128);
    m_group = addSpin(f, tr("S2 group G"), QStringLiteral("attn.group"), 2, 100000, 64);
    m_group->setSingleStep(2);
    m_kernel = addCombo(f, tr("Kernel"), QStringLiteral("attn.kernel"), {QStringLiteral("softmax"), QStringLiteral("linear")});

    f = addGroup(tr("Heads"));
    buildHeads(f);

    f = addGroup(tr("KV sharing"));
    m_kvSharing = addCombo(f, tr("Sharing"), QStringLiteral("kv.sharing"),
                           {QStringLiteral("as-loaded"), QStringLiteral("mqa"), QStringLiteral("mha"), QStringLiteral("groups"),
                            QStringLiteral("latent")});
    m_kvGroups = addSpin(f, tr("KV heads"), QStringLiteral("kv.groups"), 1, 1024, 2);
    m_kvRank = addSpin(f, tr("Latent rank r"), QStringLiteral("kv.rank"), 1, 65536, 16);

    f = addGroup(tr("Mixture of experts"));
    m_experts = addSpin(f, tr("Experts E"), QStringLiteral("moe.experts"), 0, 4096, 0);
    m_experts->setSpecialValueText(tr("0 (dense, as trained)"));
    m_topK = addSpin(f, tr("Top-k"), QStringLiteral("moe.k"), 1, 4096, 2);
    m_moeGate = addCombo(f, tr("Gate"), QStringLiteral("moe.gate"), {QStringLiteral("one"), QStringLiteral("softmax"), QStringLiteral("prob")});
    m_noise = addDouble(f, tr("Router noise"), QStringLiteral("moe.noise"), 0, 10, 0.1, 2, 0);
    m_capacity = addDouble(f, tr("Capacity factor"), QStringLiteral("moe.capacity"), 0, 16, 0.25, 2, 0);
    m_capacity->setSpecialValueText(tr("unlimited"));
    m_moeSeed = addSpin(f, tr("Seed"), QStringLiteral("moe.seed"), 0, 1 << 30, 1);
    bodyLayout->addStretch(1);

    // Help for the knob under the mouse or in focus.
    m_help = new QTextBrowser(this);
    m_help->setMinimumHeight(120);
    m_help->setMaximumHeight(210);
    m_help->setOpenLinks(false);
    outer->addWidget(m_help);

    // The FFN parameter box follows the activation.
    connect(m_act, &QComboBox::currentIndexChanged, this, [this] {
        const QString a = m_act->currentText();
        const QSignalBlocker block(m_actParam);
        if (a == QLatin1String("leaky-relu")) {
            m_actParamLabel->setText(tr("Slope"));
            m_actParam->setProperty(kKeyProperty, QStringLiteral("ffn.slope"));
            m_actParam->setValue(m_leakySlope);
        } else if (a == QLatin1String("elu")) {
            m_actParamLabel->setText(tr("ELU \u03B1"));
            m_actParam->setProperty(kKeyProperty, QStringLiteral("ffn.alpha"));
            m_actParam->setValue(m_eluAlpha);
        } else {
            m_actParamLabel->setText(tr("Swish \u03B2"));
            m_actParam->setProperty(kKeyProperty, QStringLiteral("ffn.beta"));
            m_actParam->setValue(m_swishBeta);
        }
    });
    connect(m_actParam, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        const QString key = m_actParam->property(kKeyProperty).toString();
        if (key == QLatin1String("ffn.slope")) m_leakySlope = v;
        else if (key == QLatin1String("ffn.alpha")) m_eluAlpha = v;
        else m_swishBeta = v;
    });
    m_act->setCurrentIndex(1);  // runs the handler once, then back to silu
    m_act->setCurrentIndex(0);

    loadControls(m_settings);
    rebuild();
    showHelp(QStringLiteral("norm.placement"));
}

// ---- construction helpers ----

QFormLayout* ArchitecturePanel::addGroup(const QString& title) {
    auto* box = new QGroupBox(title, m_body);
    auto* form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    static_cast<QVBoxLayout*>(m_body->layout())->addWidget(box);
    return form;
}

void ArchitecturePanel::tag(QWidget* w, const QString& key) {
    w->setProperty(kKeyProperty, key);
    w->installEventFilter(this);
    if (auto* box = qobject_cast<QComboBox*>(w); box && box->lineEdit()) box->lineEdit()->installEventFilter(this);
    if (auto* spin = qobject_cast<QAbstractSpinBox*>(w)) spin->installEventFilter(this);
    if (const anatomy::SettingInfo* i = findSettingInfo(key))
        w->setToolTip(QStringLiteral("%1 = %2").arg(QString::fromStdString(i->key), QString::fromStdString(i->values)));
    m_controls.emplace_back(key, w);
}

QComboBox* ArchitecturePanel::addCombo(QFormLayout* form, const QString& label, const QString& key,
                                       const QStringList& values, bool editable) {
    auto* box = new QComboBox;
    box->addItems(values);
    box->setEditable(editable);
    if (editable) {
        box->setInsertPolicy(QComboBox::NoInsert);
        connect(box->lineEdit(), &QLineEdit::editingFinished, this, &ArchitecturePanel::rebuild);
    }
    connect(box, &QComboBox::currentIndexChanged, this, &ArchitecturePanel::rebuild);
    form->addRow(label, box);
    tag(box, key);
    return box;
}

QSpinBox* ArchitecturePanel::addSpin(QFormLayout* form, const QString& label, const QString& key, int lo, int hi,
                                     int value) {
    auto* spin = new QSpinBox;
    spin->setRange(lo, hi);
    spin->setValue(value);
    spin->setKeyboardTracking(false);
    connect(spin, &QSpinBox::valueChanged, this, &ArchitecturePanel::rebuild);
    form->addRow(label, spin);
    tag(spin, key);
    return spin;
}

QDoubleSpinBox* ArchitecturePanel::addDouble(QFormLayout* form, const QString& label, const QString& key, double lo,
                                             double hi, double step, int decimals, double value) {
    auto* spin = new QDoubleSpinBox;
    spin->setRange(lo, hi);
    spin->setSingleStep(step);
    spin->setDecimals(decimals);
    spin->setValue(value);
    spin->setKeyboardTracking(false);
    connect(spin, &QDoubleSpinBox::valueChanged, this, &ArchitecturePanel::rebuild);
    form->addRow(label, spin);
    tag(spin, key);
    return spin;
}

void ArchitecturePanel::buildHeads(QFormLayout* form) {
    auto* pick = new QWidget;
    auto* row = new QHBoxLayout(pick);
    row->setContentsMargins(0, 0, 0, 0);
    m_headLayer = new QSpinBox;
    m_headIndex = new QSpinBox;
    m_headLayer->setPrefix(tr("layer "));
    m_headIndex->setPrefix(tr("head "));
    m_headLayer->setRange(0, 0);
    m_headIndex->setRange(0, 0);
    row->addWidget(m_headLayer);
    row->addWidget(m_headIndex);
    form->addRow(tr("Pick"), pick);
    tag(m_headLayer, QStringLiteral("heads.pick"));
    tag(m_headIndex, QStringLiteral("heads.pick"));

    auto* buttons = new QWidget;
    auto* brow = new QHBoxLayout(buttons);
    brow->setContentsMargins(0, 0, 0, 0);
    auto* zero = new QPushButton(tr("Ablate (zero)"));
    auto* mean = new QPushButton(tr("Ablate (mean)"));
    brow->addWidget(zero);
    brow->addWidget(mean);
    form->addRow(QString(), buttons);
    tag(zero, QStringLiteral("heads.ablate"));
    tag(mean, QStringLiteral("heads.ablate"));
    connect(zero, &QPushButton::clicked, this, [this] { addIntervention(anatomy::HeadIntervention::Kind::Zero); });
    connect(mean, &QPushButton::clicked, this, [this] { addIntervention(anatomy::HeadIntervention::Kind::Mean); });

    auto* gateRow = new QWidget;
    auto* grow = new QHBoxLayout(gateRow);
    grow->setContentsMargins(0, 0, 0, 0);
    m_gateSlider = new QSlider(Qt::Horizontal);
    m_gateSlider->setRange(-8 * kGateSteps, 8 * kGateSteps);
    m_gateSlider->setValue(-2 * kGateSteps);
    m_gateLabel = new QLabel;
    auto* gate = new QPushButton(tr("Gate"));
    grow->addWidget(m_gateSlider, 1);
    grow->addWidget(m_gateLabel);
    grow->addWidget(gate);
    form->addRow(tr("Gate logit"), gateRow);
    tag(m_gateSlider, QStringLiteral("heads.gate"));
    tag(gate, QStringLiteral("heads.gate"));
    auto showGate = [this] {
        const double g = double(m_gateSlider->value()) / kGateSteps;
        m_gateLabel->setText(tr("g %1 \u2192 \u03C3 %2").arg(g, 0, 'f', 1).arg(1.0 / (1.0 + std::exp(-g)), 0, 'f', 2));
    };
    connect(m_gateSlider, &QSlider::valueChanged, this, showGate);
    showGate();
    connect(gate, &QPushButton::clicked, this, [this] { addIntervention(anatomy::HeadIntervention::Kind::Gate); });

    m_headList = new QListWidget;
    m_headList->setMaximumHeight(110);
    form->addRow(tr("Active"), m_headList);
    tag(m_headList, QStringLiteral("heads.pick"));
    auto* remove = new QPushButton(tr("Remove selected"));
    auto* clear = new QPushButton(tr("Remove all"));
    auto* rrow = new QWidget;
    auto* rl = new QHBoxLayout(rrow);
    rl->setContentsMargins(0, 0, 0, 0);
    rl->addWidget(remove);
    rl->addWidget(clear);
    form->addRow(QString(), rrow);
    connect(remove, &QPushButton::clicked, this, [this] {
        const int i = m_headList->currentRow();
        if (i < 0 || i >= int(m_heads.size())) return;
        m_heads.erase(m_heads.begin() + i);
        refreshHeadList();
        rebuild();
    });
    connect(clear, &QPushButton::clicked, this, [this] {
        m_heads.clear();
        refreshHeadList();
        rebuild();
    });
}

void ArchitecturePanel::buildPerplexity(QFormLayout* form) {
    m_pplLabel = new QLabel(tr("no model yet"));
    QFont big = m_pplLabel->font();
    big.setPointSizeF(big.pointSizeF() * 1.35);
    big.setBold(true);
    m_pplLabel->setFont(big);
    m_pplLabel->setWordWrap(true);
    form->addRow(m_pplLabel);
    m_pplDetail = new QLabel;
    m_pplDetail->setWordWrap(true);
    form->addRow(m_pplDetail);

    auto* window = new QWidget;
    auto* row = new QHBoxLayout(window);
    row->setContentsMargins(0, 0, 0, 0);
    m_pplStart = new QSpinBox;
    m_pplStart->setRange(0, 1 << 28);
    m_pplStart->setPrefix(tr("from "));
    m_pplLength = new QSpinBox;
    m_pplLength->setRange(2, 1 << 28);
    m_pplLength->setValue(4096);
    m_pplLength->setPrefix(tr("length "));
    m_pplUnit = new QComboBox;
    m_pplUnit->addItems({tr("tokens"), tr("characters")});
    for (QAbstractSpinBox* s : {static_cast<QAbstractSpinBox*>(m_pplStart), static_cast<QAbstractSpinBox*>(m_pplLength)})
        s->setKeyboardTracking(false);
    row->addWidget(m_pplStart, 1);
    row->addWidget(m_pplLength, 1);
    row->addWidget(m_pplUnit);
    form->addRow(tr("Window"), window);
    m_pplContext = new QSpinBox;
    m_pplContext->setRange(16, 8192);
    m_pplContext->setValue(512);
    m_pplContext->setSuffix(tr(" tokens"));
    m_pplContext->setKeyboardTracking(false);
    form->addRow(tr("Context"), m_pplContext);
    for (QWidget* w : {static_cast<QWidget*>(m_pplStart), static_cast<QWidget*>(m_pplLength),
                       static_cast<QWidget*>(m_pplUnit)}) {
        w->setProperty(kKeyProperty, QStringLiteral("ppl.window"));
        w->installEventFilter(this);
    }
    m_pplContext->setProperty(kKeyProperty, QStringLiteral("ppl.context"));
    m_pplContext->installEventFilter(this);
    auto changed = [this] { Q_EMIT perplexityWindowChanged(perplexityWindow()); };
    connect(m_pplStart, &QSpinBox::valueChanged, this, changed);
    connect(m_pplLength, &QSpinBox::valueChanged, this, changed);
    connect(m_pplContext, &QSpinBox::valueChanged, this, changed);
    connect(m_pplUnit, &QComboBox::currentIndexChanged, this, [this, changed] {
        // Characters are about four per token in TinyStories: keep the window's size.
        const QSignalBlocker b1(m_pplStart), b2(m_pplLength);
        const bool chars = m_pplUnit->currentIndex() == 1;
        m_pplStart->setValue(chars ? m_pplStart->value() * 4 : m_pplStart->value() / 4);
        m_pplLength->setValue(chars ? m_pplLength->value() * 4 : std::max(2, m_pplLength->value() / 4));
        changed();
    });
}

// ---- heads ----

void ArchitecturePanel::addIntervention(anatomy::HeadIntervention::Kind kind) {
    anatomy::HeadIntervention h;
    h.kind = kind;
    h.layer = m_headLayer->value();
    h.head = m_headIndex->value();
    h.gateLogit = float(double(m_gateSlider->value()) / kGateSteps);
    // One intervention per head: a new one replaces the old.
    std::erase_if(m_heads, [&](const anatomy::HeadIntervention& o) { return o.layer == h.layer && o.head == h.head; });
    m_heads.push_back(h);
    refreshHeadList();
    rebuild();
}

void ArchitecturePanel::refreshHeadList() {
    m_headList->clear();
    for (const auto& h : m_heads) {
        QString what;
        switch (h.kind) {
            case anatomy::HeadIntervention::Kind::Zero: what = tr("zero-ablated"); break;
            case anatomy::HeadIntervention::Kind::Mean: what = tr("mean-ablated"); break;
            case anatomy::HeadIntervention::Kind::Gate:
                what = tr("gated, g = %1 (\u00D7%2)").arg(double(h.gateLogit), 0, 'f', 1)
                           .arg(1.0 / (1.0 + std::exp(-double(h.gateLogit))), 0, 'f', 2);
                break;
        }
        m_headList->addItem(tr("L%1 H%2 %3").arg(h.layer).arg(h.head).arg(what));
    }
    if (m_heads.empty()) m_headList->addItem(tr("(none)"));
}

// ---- settings ----

void ArchitecturePanel::setModelConfig(const anatomy::ModelConfig& c) {
    m_config = c;
    m_headLayer->setRange(0, std::max(0, c.nLayers - 1));
    m_headIndex->setRange(0, std::max(0, c.nHeads - 1));
    m_kvGroups->setRange(1, std::max(1, c.nHeads));
    m_kvRank->setRange(1, std::max(1, std::min(2 * c.kvDim(), c.dim)));
    m_experts->setMaximum(std::max(2, c.hiddenDim));
    rebuild();
}

QStringList ArchitecturePanel::assignments() const {
    QStringList o;
    auto add = [&o](const char* key, const QString& v) { o << QString::fromLatin1(key) + QLatin1Char('=') + v.trimmed(); };
    add("norm.placement", m_placement->currentText());
    add("norm.type", m_normType->currentText());
    add("norm.eps", m_eps->currentText());
    add("norm.alpha", m_deepAlpha->currentText());
    add("ffn.act", m_act->currentText());
    add("ffn.slope", number(m_leakySlope));
    add("ffn.alpha", number(m_eluAlpha));
    add("ffn.beta", number(m_swishBeta));
    add("pos", m_pos->currentText());
    add("rope.base", m_ropeBase->currentText());
    add("rope.scaling", m_scaling->currentText());
    add("rope.factor", number(m_factor->value()));
    add("rope.original", QString::number(m_original->value()));
    add("rope.alpha", number(m_rampAlpha->value()));
    add("rope.beta", number(m_rampBeta->value()));
    add("rope.low_freq", number(m_lowFreq->value()));
    add("rope.high_freq", number(m_highFreq->value()));
    add("attn.scale", number(m_attnScale->value()));
    add("attn.mask", m_mask->currentText());
    add("attn.prefix", QString::number(m_prefix->value()));
    add("attn.sparse", m_sparse->currentText());
    add("attn.window", QString::number(m_window->value()));
    add("attn.sinks", QString::number(m_sinks->value()));
    add("attn.stride", QString::number(m_stride->value()));
    add("attn.chunk", QString::number(m_chunk->value()));
    add("attn.group", QString::number(m_group->value()));
    add("attn.kernel", m_kernel->currentText());
    anatomy::SimSettings heads;
    heads.heads = m_heads;
    for (const QString& line : fullAssignments(heads))
        if (line.startsWith(QLatin1String("heads."))) o << line;
    add("kv.sharing", m_kvSharing->currentText());
    // Only with their mode: the defaults leave them unset (0), which no control can show.
    if (m_kvSharing->currentText() == QLatin1String("groups")) add("kv.groups", QString::number(m_kvGroups->value()));
    if (m_kvSharing->currentText() == QLatin1String("latent")) add("kv.rank", QString::number(m_kvRank->value()));
    add("moe.experts", QString::number(m_experts->value()));
    add("moe.k", QString::number(m_topK->value()));
    add("moe.gate", m_moeGate->currentText());
    add("moe.noise", number(m_noise->value()));
    add("moe.seed", QString::number(m_moeSeed->value()));
    add("moe.capacity", number(m_capacity->value()));
    return o;
}

void ArchitecturePanel::loadControls(const anatomy::SimSettings& s) {
    m_loading = true;
    // Every line of fullAssignments(s) sets its control.
    for (const QString& line : fullAssignments(s)) {
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        const QString key = line.left(eq), v = line.mid(eq + 1);
        if (key == QLatin1String("ffn.slope")) m_leakySlope = v.toDouble();
        else if (key == QLatin1String("ffn.alpha")) m_eluAlpha = v.toDouble();
        else if (key == QLatin1String("ffn.beta")) m_swishBeta = v.toDouble();
        for (const auto& [k, w] : m_controls) {
            if (k != key) continue;
            const QSignalBlocker block(w);
            if (auto* box = qobject_cast<QComboBox*>(w)) setComboText(box, v);
            else if (auto* spin = qobject_cast<QSpinBox*>(w)) spin->setValue(v.toInt());
            else if (auto* d = qobject_cast<QDoubleSpinBox*>(w)) d->setValue(v.toDouble());
        }
    }
    if (!s.ropeBase) setComboText(m_ropeBase, QStringLiteral("model"));
    m_heads = s.heads;
    refreshHeadList();
    m_act->currentIndexChanged(m_act->currentIndex());  // the parameter box follows
    m_loading = false;
    updateEnabled();
}

void ArchitecturePanel::setSettings(const anatomy::SimSettings& s) {
    loadControls(s);
    rebuild();
}

void ArchitecturePanel::updateEnabled() {
    const QString act = m_act->currentText();
    m_actParam->setEnabled(act == QLatin1String("leaky-relu") || act == QLatin1String("elu") ||
                           act == QLatin1String("swish"));
    m_deepAlpha->setEnabled(m_placement->currentText() == QLatin1String("deepnorm"));
    const bool rope = m_pos->currentText() == QLatin1String("rope");
    const QString sc = m_scaling->currentText();
    const bool scaled = rope && sc != QLatin1String("none");
    m_ropeBase->setEnabled(rope);
    m_scaling->setEnabled(rope);
    m_factor->setEnabled(scaled);
    m_original->setEnabled(scaled);
    const bool ramp = rope && (sc == QLatin1String("ntk-by-parts") || sc == QLatin1String("yarn"));
    m_rampAlpha->setEnabled(ramp);
    m_rampBeta->setEnabled(ramp);
    const bool l3 = rope && sc == QLatin1String("llama3");
    m_lowFreq->setEnabled(l3);
    m_highFreq->setEnabled(l3);
    m_prefix->setEnabled(m_mask->currentText() == QLatin1String("prefix"));
    const QString sp = m_sparse->currentText();
    m_window->setEnabled(sp == QLatin1String("window") || sp == QLatin1String("sinks") || sp == QLatin1String("strided"));
    m_sinks->setEnabled(sp == QLatin1String("sinks"));
    m_stride->setEnabled(sp == QLatin1String("strided"));
    m_chunk->setEnabled(sp == QLatin1String("dual-chunk"));
    m_group->setEnabled(sp == QLatin1String("s2"));
    m_kvGroups->setEnabled(m_kvSharing->currentText() == QLatin1String("groups"));
    m_kvRank->setEnabled(m_kvSharing->currentText() == QLatin1String("latent"));
    const bool moe = m_experts->value() > 0;
    for (QWidget* w : {static_cast<QWidget*>(m_topK), static_cast<QWidget*>(m_moeGate), static_cast<QWidget*>(m_noise),
                       static_cast<QWidget*>(m_capacity), static_cast<QWidget*>(m_moeSeed)})
        w->setEnabled(moe);
}

void ArchitecturePanel::rebuild() {
    if (m_loading) return;
    updateEnabled();
    QString err;
    std::optional<anatomy::SimSettings> s = settingsFromAssignments(assignments(), &err);
    if (s && m_config) {
        try {
            anatomy::validateSettings(*s, *m_config);
        } catch (const std::exception& e) {
            err = QString::fromUtf8(e.what());
            s.reset();
        }
    }
    if (!s) {
        setError(err);
        return;
    }
    setError({});
    const QString d = QString::fromStdString(anatomy::describe(*s));
    m_describe->setText(tr("<b>In use:</b> %1").arg(d.toHtmlEscaped()));
    if (sameSettings(*s, m_settings)) return;
    m_settings = *s;
    Q_EMIT settingsChanged(m_settings);
}

void ArchitecturePanel::setError(const QString& message) {
    m_error = message;
    m_errorLabel->setText(message.isEmpty() ? QString()
                                            : tr("Not applied: %1 (the views keep the last valid settings)").arg(message));
    m_errorLabel->setVisible(!message.isEmpty());
}

QWidget* ArchitecturePanel::control(const QString& key) const {
    for (const auto& [k, w] : m_controls)
        if (k == key) return w;
    if (key == QLatin1String("ppl.context")) return m_pplContext;
    return nullptr;
}

// ---- perplexity ----

PerplexityWindow ArchitecturePanel::perplexityWindow() const {
    PerplexityWindow w;
    w.textPath = defaultCorpusPath();
    w.unit = m_pplUnit->currentIndex() == 1 ? PerplexityWindow::Unit::Characters : PerplexityWindow::Unit::Tokens;
    w.start = m_pplStart->value();
    w.length = m_pplLength->value();
    w.context = m_pplContext->value();
    return w;
}

void ArchitecturePanel::setPerplexityWindow(const PerplexityWindow& w) {
    {
        const QSignalBlocker b0(m_pplUnit), b1(m_pplStart), b2(m_pplLength), b3(m_pplContext);
        m_pplUnit->setCurrentIndex(w.unit == PerplexityWindow::Unit::Characters ? 1 : 0);
        m_pplStart->setValue(int(std::min<qint64>(w.start, m_pplStart->maximum())));
        m_pplLength->setValue(int(std::min<qint64>(w.length, m_pplLength->maximum())));
        m_pplContext->setValue(w.context);
    }
    Q_EMIT perplexityWindowChanged(perplexityWindow());
}

void ArchitecturePanel::showPerplexityPending() {
    const QString old = m_pplLabel->text();
    if (!old.startsWith(tr("computing"))) m_pplLabel->setText(tr("computing\u2026"));
    m_pplLabel->setStyleSheet(QStringLiteral("QLabel { color: #888; }"));
}

void ArchitecturePanel::showPerplexity(const PerplexityReport& r) {
    m_pplLabel->setStyleSheet({});
    m_pplLabel->setText(r.summary());
    const QString unit = r.window.unit == PerplexityWindow::Unit::Tokens ? tr("tokens") : tr("characters");
    QString detail = tr("%1 predictions in %2 windows of %3 tokens (%4 %5\u2013%6 of %7). "
                        "Text: TinyStories, CDLA-Sharing-1.0.")
                         .arg(r.result.predictions)
                         .arg(r.result.windows)
                         .arg(r.result.context)
                         .arg(unit)
                         .arg(r.window.start)
                         .arg(r.window.start + r.window.length)
                         .arg(QFileInfo(r.window.textPath).fileName());
    if (r.result.pplBeyondContext)
        detail += tr(" In context %1, beyond the trained %2 tokens %3.")
                      .arg(r.result.pplInContext, 0, 'f', 2)
                      .arg(r.result.trainedContext)
                      .arg(*r.result.pplBeyondContext, 0, 'f', 2);
    m_pplDetail->setText(detail);
}

void ArchitecturePanel::showPerplexityError(const QString& message) {
    m_pplLabel->setStyleSheet(QStringLiteral("QLabel { color: #b00020; }"));
    m_pplLabel->setText(tr("ppl: %1").arg(message));
    m_pplDetail->clear();
}

QString ArchitecturePanel::perplexityText() const { return m_pplLabel->text(); }

// ---- help ----

void ArchitecturePanel::showHelp(const QString& key) {
    if (key.isEmpty() || key == m_helpKey) return;
    const QString html = knobHelpHtml(key);
    if (html.isEmpty()) return;
    m_helpKey = key;
    m_help->setHtml(html);
}

bool ArchitecturePanel::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::Enter || event->type() == QEvent::FocusIn) {
        for (QObject* o = watched; o && o != this; o = o->parent()) {
            const QString key = o->property(kKeyProperty).toString();
            if (!key.isEmpty()) {
                showHelp(key);
                break;
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}

}  // namespace anatomy::widgets
