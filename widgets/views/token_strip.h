#pragma once
// Every token of the text as a chip coloured by how expected it was: p(token_t | tokens_<t),
// read from the logits of the previous position, or its surprisal -log2 p in bits. Hovering a
// chip shows the id, the piece, the probability, the surprisal and the model's top
// alternatives; clicking it selects that position for every view.
#include <QFont>
#include <QHash>
#include <QRect>
#include <QStaticText>
#include <QString>
#include <limits>
#include <vector>

#include "views/trace_view.h"

namespace anatomy::widgets {

// A token piece as a readable label: BOS as <s>, newline as ↵, other control bytes as <0xNN>,
// the leading word space dropped (the strip shows word starts as wider gaps).
QString displayPiece(const std::string& piece);

struct TokenAlternative {
    int id = -1;
    QString label;
    float prob = 0.0f;
};

struct TokenCell {
    int position = 0;  // index into Trace::tokens
    int row = -1;      // query row of that position (position - firstQueryPos), -1 if not traced
    int id = 0;
    QString label;
    bool wordStart = false;  // the piece begins with a space
    bool newline = false;
    // p(token | prefix) and -log2 of it; NaN for the first token or when logits were not kept.
    float prob = std::numeric_limits<float>::quiet_NaN();
    float surprisalBits = std::numeric_limits<float>::quiet_NaN();
    int rank = -1;  // 0 = the model's top choice
    std::vector<TokenAlternative> alternatives;  // most probable next tokens at position-1
};

// Pure: the chips the strip draws for a trace.
std::vector<TokenCell> tokenStripData(const anatomy::Trace& trace,
                                      const anatomy::Tokenizer* tokenizer, int nAlternatives = 5);

class TokenStrip : public TraceView {
    Q_OBJECT
public:
    enum class ColorMode { Probability, Surprisal };

    explicit TokenStrip(QWidget* parent = nullptr);

    QString viewName() const override { return QStringLiteral("tokens"); }
    QString title() const override { return tr("Tokens"); }
    void setInput(const ViewInput& input) override;
    void setSelection(const Selection& sel) override;
    QString toCsv() const override;

    void setColorMode(ColorMode m);
    // Tokens at positions >= first were generated (Generate, Step): they get a dashed outline
    // and the legend says so. -1: none.
    void setGeneratedFrom(int first);
    int generatedFrom() const { return m_generatedFrom; }
    ColorMode colorMode() const { return m_mode; }
    const std::vector<TokenCell>& cells() const { return m_cells; }
    // Background colour of a chip (public so tests and the legend agree).
    QColor cellColor(const TokenCell& c) const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int w) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    bool event(QEvent*) override;

private:
    QFont chipFont() const;
    // Each label's width and laid-out text in the chip font, kept across traces (most pieces
    // recur) and dropped when the font changes: shaping every chip's text at every layout
    // and paint was a third of the strip's time on the GUI thread.
    void useLabelFont(const QFont& f) const;
    int labelWidth(const QFontMetrics& fm, const QString& label) const;
    const QStaticText& labelText(const QString& label) const;
    // Chip rectangles for a width; returns the total height.
    int layoutChips(int width, std::vector<QRect>* rects) const;
    int cellAt(const QPoint& p) const;
    QString tooltipFor(const TokenCell& c) const;
    // Inside a QScrollArea (the main window's strip under the prompt), caps the area's height at
    // the chips' height, up to kMaxVisibleLines lines of chips (then it scrolls), so the area is
    // no taller than its content and the views below get the rest.
    void fitScrollArea();

    std::vector<TokenCell> m_cells;
    std::vector<QRect> m_rects;
    std::shared_ptr<const anatomy::Trace> m_trace;
    Selection m_sel;
    int m_generatedFrom = -1;
    ColorMode m_mode = ColorMode::Surprisal;
    mutable QFont m_labelFont;
    mutable QHash<QString, int> m_labelWidth;
    mutable QHash<QString, QStaticText> m_labelText;
};

}  // namespace anatomy::widgets
