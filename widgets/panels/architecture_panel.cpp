#include "panels/architecture_panel.h"

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
#include <QLocale>
#include <QRegularExpression>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <exception>

#include "lessons/language.h"
#include "panels/knob_help.h"
#include "panels/knob_text.h"

namespace anatomy::widgets {

namespace {

const char* const kKeyProperty = "knobKey";
const char* const kGroupProperty = "knobGroup";

// Gate logits on the slider: tenths, -8 .. 8.
constexpr int kGateSteps = 10;

// A control that the mouse wheel changes only when it has the focus: scrolling the dock over an
// unfocused spin box passes the wheel on to the scroll area (it once changed the RoPE base).
template <class W>
class WheelWhenFocused : public W {
public:
    explicit WheelWhenFocused(QWidget* parent = nullptr) : W(parent) { this->setFocusPolicy(Qt::StrongFocus); }

protected:
    void wheelEvent(QWheelEvent* e) override {
        if (!this->hasFocus()) {
            e->ignore();
            return;
        }
        W::wheelEvent(e);
    }
};

using KnobComboBox = WheelWhenFocused<QComboBox>;
using KnobSpinBox = WheelWhenFocused<QSpinBox>;

// A float knob's spin box. Text as `--set` writes it (C locale, shortest form: 0.01, 1e-05), and
// enough decimals that a float value set from a session or the CLI stays the same float.
class KnobDoubleSpinBox : public WheelWhenFocused<QDoubleSpinBox> {
public:
    explicit KnobDoubleSpinBox(QWidget* parent = nullptr) : WheelWhenFocused<QDoubleSpinBox>(parent) {
        setDecimals(9);
    }
    QString textFromValue(double v) const override {
        return QString::fromStdString(anatomy::formatKnobFloat(static_cast<float>(v)));
    }
    double valueFromText(const QString& text) const override {
        const QString t = text.trimmed();
        if (!specialValueText().isEmpty() && t == specialValueText()) return minimum();
        return QLocale::c().toDouble(t);
    }
    QValidator::State validate(QString& text, int&) const override {
        const QString t = text.trimmed();
        if (!specialValueText().isEmpty() && t == specialValueText()) return QValidator::Acceptable;
        bool ok = false;
        const double v = QLocale::c().toDouble(t, &ok);
        if (ok) return v >= minimum() && v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
        // Half-typed numbers: "", "-", "1.", "1e", "1e-".
        static const QRegularExpression partial(QStringLiteral("^[-+]?[0-9]*\\.?[0-9]*([eE][-+]?)?$"));
        return partial.match(t).hasMatch() ? QValidator::Intermediate : QValidator::Invalid;
    }
};

// A choice box holds each choice's `--set` name as its item data; an editable box (a number or
// the model's word) its text, except the word's item, which shows the word in the interface
// language ("模型") and holds the `--set` word ("model") as its data.
void setComboText(QComboBox* box, const QString& text) {
    int i = box->findData(text);
    if (i < 0) i = box->findText(text);
    if (i >= 0) box->setCurrentIndex(i);
    else if (box->isEditable()) box->setEditText(text);
}

QString qs(const std::string& s) { return QString::fromStdString(s); }

// A choice as its box shows it: the `--set` name in English ("linear"), the translated label in
// another language ("线性插值 (PI)"), whose tooltip then gives the name.
QString choiceText(const anatomy::Knob& k, const anatomy::KnobChoice& c) {
    return currentLanguage() == QLatin1String("en") ? qs(c.name) : knobChoiceLabel(k, c);
}
QString choiceTip(const anatomy::Knob& k, const anatomy::KnobChoice& c) {
    return currentLanguage() == QLatin1String("en") ? knobChoiceLabel(k, c) : qs(k.key + "=" + c.name);
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

    // One group box per table group, one row per knob, in table order.
    QFormLayout* form = nullptr;
    std::optional<anatomy::KnobGroup> group;
    for (const anatomy::Knob& k : anatomy::knobTable()) {
        if (!k.stored()) continue;  // shorthands (moe.switch) set other knobs' controls
        if (group != k.group) {
            if (group == anatomy::KnobGroup::Heads) buildHeads(form);
            group = k.group;
            form = addGroup(knobGroupName(k.group));
            form->parentWidget()->setProperty(kGroupProperty, int(k.group));
        }
        addKnob(form, k);
    }
    if (group == anatomy::KnobGroup::Heads) buildHeads(form);
    bodyLayout->addStretch(1);

    // Help for the knob under the mouse or in focus.
    m_help = new QTextBrowser(this);
    m_help->setMinimumHeight(120);
    m_help->setMaximumHeight(210);
    m_help->setOpenLinks(false);
    outer->addWidget(m_help);

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
}

void ArchitecturePanel::addKnob(QFormLayout* form, const anatomy::Knob& k) {
    const QString key = qs(k.key);
    const QString deflt = qs(k.defaultValue());
    QWidget* w = nullptr;
    switch (k.type) {
        case anatomy::KnobType::Choice:
        case anatomy::KnobType::OptionalFloat: {
            auto* box = new KnobComboBox;
            if (k.type == anatomy::KnobType::Choice) {
                for (const anatomy::KnobChoice& c : k.choices) {
                    box->addItem(choiceText(k, c), qs(c.name));
                    box->setItemData(box->count() - 1, choiceTip(k, c), Qt::ToolTipRole);
                }
            } else {
                // The word for the model's own value, then the suggestions; any number can be typed.
                box->addItem(knobWordText(k), qs(k.word));
                for (const std::string& p : k.presets) box->addItem(qs(p));
                box->setEditable(true);
                box->setInsertPolicy(QComboBox::NoInsert);
                connect(box->lineEdit(), &QLineEdit::editingFinished, this, &ArchitecturePanel::rebuild);
            }
            setComboText(box, deflt);
            connect(box, &QComboBox::currentIndexChanged, this, &ArchitecturePanel::rebuild);
            w = box;
            break;
        }
        case anatomy::KnobType::Float: {
            auto* spin = new KnobDoubleSpinBox;
            // (min, max]: the first value above min at the spin box's precision.
            spin->setRange(k.minExclusive ? k.min + std::pow(10.0, -spin->decimals()) : k.min, k.max);
            spin->setSingleStep(k.step);
            if (!k.special.empty()) spin->setSpecialValueText(knobSpecialText(k));
            spin->setValue(deflt.toDouble());
            spin->setKeyboardTracking(false);
            connect(spin, &QDoubleSpinBox::valueChanged, this, &ArchitecturePanel::rebuild);
            w = spin;
            break;
        }
        case anatomy::KnobType::Int: {
            auto* spin = new KnobSpinBox;
            spin->setRange(int(k.min), int(k.max));
            spin->setSingleStep(int(k.step));
            if (!k.special.empty()) spin->setSpecialValueText(knobSpecialText(k));
            spin->setValue(deflt.toInt());
            spin->setKeyboardTracking(false);
            connect(spin, &QSpinBox::valueChanged, this, &ArchitecturePanel::rebuild);
            w = spin;
            break;
        }
        case anatomy::KnobType::HeadList: {
            auto* edit = new QLineEdit(deflt);
            edit->setPlaceholderText(QStringLiteral("none"));
            connect(edit, &QLineEdit::editingFinished, this, &ArchitecturePanel::rebuild);
            w = edit;
            break;
        }
        case anatomy::KnobType::Shorthand: return;
    }
    w->setObjectName(key);
    w->setToolTip(knobHelpHtml(key));
    form->addRow(knobLabel(k), w);
    if (QWidget* label = form->labelForField(w)) {
        label->setProperty(kKeyProperty, key);
        label->installEventFilter(this);
    }
    tag(w, key);
    m_knobs.push_back({&k, w});
}

QString ArchitecturePanel::controlText(const KnobControl& c) {
    if (auto* box = qobject_cast<QComboBox*>(c.widget)) {
        if (!box->isEditable()) return box->currentData().toString();
        const QString t = box->currentText().trimmed();
        // The word as shown ("模型") is the word's `--set` value ("model").
        if (box->count() > 0 && box->itemData(0).isValid() && t == box->itemText(0)) return box->itemData(0).toString();
        return t;
    }
    if (auto* spin = qobject_cast<QSpinBox*>(c.widget)) return QString::number(spin->value());
    if (auto* d = qobject_cast<QDoubleSpinBox*>(c.widget))
        return QString::fromStdString(anatomy::formatKnobFloat(static_cast<float>(d->value())));
    if (auto* edit = qobject_cast<QLineEdit*>(c.widget)) {
        const QString t = edit->text().trimmed();
        return t.isEmpty() ? QStringLiteral("none") : t;
    }
    return {};
}

void ArchitecturePanel::setControlText(const KnobControl& c, const QString& v) {
    const QSignalBlocker block(c.widget);
    if (auto* box = qobject_cast<QComboBox*>(c.widget)) setComboText(box, v);
    else if (auto* spin = qobject_cast<QSpinBox*>(c.widget)) spin->setValue(v.toInt());
    else if (auto* d = qobject_cast<QDoubleSpinBox*>(c.widget)) d->setValue(v.toDouble());
    else if (auto* edit = qobject_cast<QLineEdit*>(c.widget)) edit->setText(v);
}

// The picker edits the heads.ablate and heads.gate lines: choose a layer and a head, then ablate
// or gate it; the list shows what the lines say, and entries can be removed one by one.
void ArchitecturePanel::buildHeads(QFormLayout* form) {
    auto* pick = new QWidget;
    auto* row = new QHBoxLayout(pick);
    row->setContentsMargins(0, 0, 0, 0);
    m_headLayer = new KnobSpinBox;
    m_headIndex = new KnobSpinBox;
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
    m_gateSlider = new WheelWhenFocused<QSlider>;
    m_gateSlider->setOrientation(Qt::Horizontal);
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
    m_headList->setUniformItemSizes(true);  // one line each: no size hint per row
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
        std::vector<anatomy::HeadIntervention> heads = m_heads;
        heads.erase(heads.begin() + i);
        writeHeads(heads);
        rebuild();
    });
    connect(clear, &QPushButton::clicked, this, [this] {
        writeHeads({});
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
    // Explicit minimum widths (their hints follow the 2^28 range): the dock fits beside the
    // views on a 1024-pixel screen; the label moves above the row when narrow.
    m_pplStart->setMinimumWidth(80);
    m_pplLength->setMinimumWidth(90);
    m_pplUnit->setMinimumWidth(70);
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
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
    std::vector<anatomy::HeadIntervention> heads = controlSettings(nullptr).heads;
    // One intervention per head: a new one replaces the old.
    std::erase_if(heads, [&](const anatomy::HeadIntervention& o) { return o.layer == h.layer && o.head == h.head; });
    heads.push_back(h);
    writeHeads(heads);
    rebuild();
}

void ArchitecturePanel::writeHeads(const std::vector<anatomy::HeadIntervention>& heads) {
    anatomy::SimSettings s;
    s.heads = heads;
    for (const KnobControl& c : m_knobs)
        if (c.knob->type == anatomy::KnobType::HeadList) setControlText(c, qs(c.knob->format(s)));
}

void ArchitecturePanel::refreshHeadList(const std::vector<anatomy::HeadIntervention>& heads) {
    m_heads = heads;
    // One addItems() call over uniform rows: an addItem() a head laid the list out again each
    // time (about 80 ms of GUI thread for a session with a few thousand ablations).
    QStringList rows;
    rows.reserve(qsizetype(m_heads.size()));
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
        rows << tr("L%1 H%2 %3").arg(h.layer).arg(h.head).arg(what);
    }
    if (m_heads.empty()) rows << tr("(none)");
    m_headList->clear();
    m_headList->addItems(rows);
}

// ---- settings ----

void ArchitecturePanel::setModelConfig(const anatomy::ModelConfig& c) {
    m_config = c;
    m_headLayer->setRange(0, std::max(0, c.nLayers - 1));
    m_headIndex->setRange(0, std::max(0, c.nHeads - 1));
    // The table's model-dependent maxima (kv.groups <= nHeads, moe.experts <= hidden, ...).
    for (const KnobControl& k : m_knobs)
        if (auto* spin = qobject_cast<QSpinBox*>(k.widget); spin && k.knob->modelMaxFn)
            spin->setMaximum(std::max(int(k.knob->min), int(k.knob->maxFor(c))));
    rebuild();
}

QStringList ArchitecturePanel::assignments() const {
    QStringList o;
    for (const KnobControl& c : m_knobs) o << qs(c.knob->key) + QLatin1Char('=') + controlText(c);
    return o;
}

anatomy::SimSettings ArchitecturePanel::controlSettings(QString* error) const {
    anatomy::SimSettings s;
    for (const QString& line : assignments()) {
        try {
            anatomy::applySetting(s, line.toStdString());
        } catch (const std::exception& e) {
            if (error && error->isEmpty()) *error = QString::fromUtf8(e.what());
        }
    }
    return s;
}

void ArchitecturePanel::loadControls(const anatomy::SimSettings& s) {
    m_loading = true;
    for (const KnobControl& c : m_knobs) setControlText(c, qs(c.knob->format(s)));
    m_loading = false;
    updateEnabled(s);
    refreshHeadList(s.heads);
}

void ArchitecturePanel::setSettings(const anatomy::SimSettings& s) {
    loadControls(s);
    rebuild();
}

void ArchitecturePanel::setArchitecture(const anatomy::Architecture& trained) {
    m_trained = trained;
    for (const KnobControl& c : m_knobs) {
        const std::string why = anatomy::knobRefusal(trained, c.knob->key);
        if (!why.empty()) {
            // Back to the default (as trained), so the settings never hold a refused value.
            m_loading = true;
            setControlText(c, qs(c.knob->format(anatomy::SimSettings{})));
            m_loading = false;
        }
        const QString help = knobHelpHtml(qs(c.knob->key));
        c.widget->setToolTip(why.empty() ? help
                                         : tr("<p><b>Not for this model:</b> %1</p>").arg(qs(why).toHtmlEscaped()) + help);
    }
    rebuild();
}

void ArchitecturePanel::updateEnabled(const anatomy::SimSettings& s) {
    for (const KnobControl& c : m_knobs)
        c.widget->setEnabled(c.knob->appliesTo(s) && (!m_trained || anatomy::knobRefusal(*m_trained, c.knob->key).empty()));
}

void ArchitecturePanel::rebuild() {
    if (m_loading) return;
    QString err;
    anatomy::SimSettings s = controlSettings(&err);
    // Picking a RoPE scaling method with the factor still at 1 changes nothing (every method
    // gives back θ_i at s = 1, rope_scaling.h), so the choice looked broken: start it at
    // s = kFirstRopeFactor, a 4x longer context. Dynamic NTK already acts at s = 1 beyond L0.
    const anatomy::RopeScaling method = s.ropeScaling.method;
    if (err.isEmpty() && m_settings.ropeScaling.method == anatomy::RopeScaling::None &&
        method != anatomy::RopeScaling::None && method != anatomy::RopeScaling::DynamicNtk &&
        s.ropeScaling.factor == 1.0f) {
        if (auto* factor = qobject_cast<QDoubleSpinBox*>(control(QStringLiteral("rope.factor")))) {
            const QSignalBlocker block(factor);
            factor->setValue(kFirstRopeFactor);
            s = controlSettings(&err);
        }
    }
    updateEnabled(s);
    if (s.heads != m_heads) refreshHeadList(s.heads);  // keeps the list's selection otherwise
    if (err.isEmpty() && m_config) {
        try {
            anatomy::validateSettings(s, *m_config);
        } catch (const std::exception& e) {
            err = QString::fromUtf8(e.what());
        }
    }
    if (!err.isEmpty()) {
        setError(err);
        return;
    }
    setError({});
    const QString d = QString::fromStdString(anatomy::describe(s));
    // The engine's description is English; the common case reads in the interface's language.
    m_describe->setText(tr("<b>In use:</b> %1").arg(d == QLatin1String("as trained") ? tr("as trained") : d.toHtmlEscaped()));
    if (s == m_settings) return;
    m_settings = s;
    Q_EMIT settingsChanged(m_settings);
}

void ArchitecturePanel::setError(const QString& message) {
    m_error = message;
    m_errorLabel->setText(message.isEmpty() ? QString()
                                            : tr("Not applied: %1 (the views keep the last valid settings)").arg(message));
    m_errorLabel->setVisible(!message.isEmpty());
}

QWidget* ArchitecturePanel::control(const QString& key) const {
    for (const KnobControl& c : m_knobs)
        if (c.widget->objectName() == key) return c.widget;
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

// The knob table's words come from knob_text (the rest of the dock's texts are mapped on screen
// by the window, lessons/retranslate.h): labels, choices, minimum texts, the model's word, group
// titles and the help (tooltips and pane) again in the language now installed. Values,
// selections and enabled states stay as they are.
void ArchitecturePanel::retranslateKnobs() {
    for (const KnobControl& c : m_knobs) {
        const anatomy::Knob& k = *c.knob;
        if (auto* form = qobject_cast<QFormLayout*>(c.widget->parentWidget() ? c.widget->parentWidget()->layout() : nullptr))
            if (auto* label = qobject_cast<QLabel*>(form->labelForField(c.widget))) label->setText(knobLabel(k));
        if (auto* box = qobject_cast<QComboBox*>(c.widget); box && !box->isEditable())
            for (int i = 0; i < box->count() && i < int(k.choices.size()); ++i) {
                box->setItemText(i, choiceText(k, k.choices[size_t(i)]));
                box->setItemData(i, choiceTip(k, k.choices[size_t(i)]), Qt::ToolTipRole);
            }
        if (auto* box = qobject_cast<QComboBox*>(c.widget); box && box->isEditable() && box->count() > 0) {
            // The word's item; a typed number stays in the edit field.
            const QSignalBlocker block(box);
            const QString shown = box->currentText();
            const bool word = shown.trimmed() == box->itemText(0);
            box->setItemText(0, knobWordText(k));
            box->setEditText(word ? box->itemText(0) : shown);
        }
        // The help as a tooltip, with the refusal for the trained model in front as setArchitecture
        // puts it.
        const std::string why = m_trained ? anatomy::knobRefusal(*m_trained, k.key) : std::string();
        const QString help = knobHelpHtml(qs(k.key));
        c.widget->setToolTip(why.empty() ? help
                                         : tr("<p><b>Not for this model:</b> %1</p>").arg(qs(why).toHtmlEscaped()) + help);
        if (auto* spin = qobject_cast<QAbstractSpinBox*>(c.widget); spin && !k.special.empty())
            spin->setSpecialValueText(knobSpecialText(k));
    }
    for (QGroupBox* box : m_body->findChildren<QGroupBox*>())
        if (const QVariant g = box->property(kGroupProperty); g.isValid())
            box->setTitle(knobGroupName(static_cast<anatomy::KnobGroup>(g.toInt())));
    // The help pane: the same knob's help in the new language.
    if (!m_helpKey.isEmpty()) m_help->setHtml(knobHelpHtml(m_helpKey));
}

void ArchitecturePanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslateKnobs();
    QWidget::changeEvent(event);
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
