#include "lessons/lesson_overlay.h"

#include <QComboBox>
#include <QEvent>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QLabel>
#include <QLayout>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QVBoxLayout>
#include <algorithm>

#include "lessons/lesson_html.h"
#include "lessons/lesson_player.h"

namespace anatomy::widgets {

LessonOverlay::LessonOverlay(LessonPlayer* player, QWidget* area) : QFrame(area), m_player(player), m_area(area) {
    setObjectName(QStringLiteral("lessonOverlay"));
    // A light card with a coloured edge (paintEvent), readable over any view. No style sheet: a
    // widget with one stops following the window's font, which presentation mode enlarges.
    setFrameShape(QFrame::NoFrame);
    setAttribute(Qt::WA_TranslucentBackground, false);
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(12, 8, 12, 8);
    v->setSpacing(4);
    auto* head = new QHBoxLayout;
    m_section = new QLabel(this);
    m_section->setTextFormat(Qt::PlainText);
    m_section->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_jump = new QComboBox(this);
    m_jump->setObjectName(QStringLiteral("lessonOverlayJump"));
    m_jump->setFocusPolicy(Qt::NoFocus);
    m_jump->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_jump->setMinimumContentsLength(6);
    m_prev = new QPushButton(QStringLiteral("◀"), this);
    m_next = new QPushButton(QStringLiteral("▶"), this);
    for (QPushButton* b : {m_prev, m_next}) b->setFocusPolicy(Qt::NoFocus);
    m_prev->setToolTip(tr("Previous step (PageUp)"));
    m_next->setToolTip(tr("Next step (PageDown or space)"));
    m_jump->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    head->addWidget(m_jump, 1);
    head->addWidget(m_prev);
    head->addWidget(m_next);
    m_collapse = new QPushButton(QStringLiteral("▾"), this);
    m_collapse->setObjectName(QStringLiteral("lessonOverlayCollapse"));
    m_collapse->setFocusPolicy(Qt::NoFocus);
    m_collapse->setToolTip(tr("Fold the text away to see the view (click again to unfold)"));
    head->addWidget(m_collapse);
    v->addLayout(head);
    m_progress = new QProgressBar(this);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(8);
    v->addWidget(m_progress);
    m_section->setWordWrap(true);
    m_section->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    v->addWidget(m_section);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("lessonOverlayTitle"));
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::PlainText);
    QFont tf = m_title->font();
    tf.setBold(true);
    tf.setPointSizeF(tf.pointSizeF() * 1.15);
    m_title->setFont(tf);
    v->addWidget(m_title);
    m_body = new QLabel;
    m_body->setObjectName(QStringLiteral("lessonOverlayBody"));
    m_body->setWordWrap(true);
    m_body->setTextFormat(Qt::RichText);
    m_body->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidget(m_body);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scroll->viewport()->setAutoFillBackground(false);
    m_body->setAutoFillBackground(false);
    v->addWidget(m_scroll, 1);
    m_answer = new QPushButton(tr("Show answer"), this);
    m_answer->setFocusPolicy(Qt::NoFocus);
    v->addWidget(m_answer, 0, Qt::AlignLeft);

    connect(m_prev, &QPushButton::clicked, m_player, &LessonPlayer::previous);
    connect(m_next, &QPushButton::clicked, m_player, &LessonPlayer::next);
    connect(m_jump, &QComboBox::activated, m_player, [this](int i) { m_player->goTo(i); });
    connect(m_collapse, &QPushButton::clicked, this, [this] {
        m_collapsed = !m_collapsed;
        refresh();
    });
    connect(m_answer, &QPushButton::clicked, this, [this] {
        m_showAnswer = !m_showAnswer;
        refresh();
    });
    connect(m_player, &LessonPlayer::stepChanged, this, [this] {
        m_showAnswer = false;
        refresh();
    });
    connect(m_player, &LessonPlayer::lessonEdited, this, &LessonOverlay::refresh);
    connect(m_player, &LessonPlayer::languageChanged, this, &LessonOverlay::refresh);
    area->installEventFilter(this);
    hide();
}

void LessonOverlay::refresh() {
    // The title is set a size above the window's font (presentation mode enlarges that).
    QFont tf = m_area->window()->font();
    tf.setBold(true);
    tf.setPointSizeF(tf.pointSizeF() * 1.15);
    m_title->setFont(tf);
    // The body a little smaller than the title and the views' text: more of it fits the box.
    QFont bf = m_area->window()->font();
    bf.setPointSizeF(bf.pointSizeF() * 0.85);
    m_body->setFont(bf);
    // The arrows need little room; the step chooser beside them gets the rest of the column.
    const int arrow = QFontMetrics(m_area->window()->font()).height() * 2 + 8;
    for (QPushButton* b : {m_prev, m_next, m_collapse}) b->setMaximumWidth(arrow);
    const LessonStep* st = m_player->currentStep();
    const QString lang = m_player->language();
    const Lesson& l = m_player->lesson();
    {
        const QSignalBlocker block(m_jump);
        m_jump->clear();
        for (int i = 0; i < m_player->count(); ++i)
            m_jump->addItem(QStringLiteral("%1. %2").arg(i + 1).arg(l.steps[size_t(i)].title.in(lang)));
        m_jump->setCurrentIndex(m_player->current());
    }
    const QString section = l.section.in(lang);
    m_section->setText((section.isEmpty() ? QString() : section + QStringLiteral(" · ")) + l.title.in(lang) +
                       QStringLiteral(" · ") + lessonProgressText(m_player->current(), m_player->count()));
    m_progress->setRange(0, std::max(1, m_player->count()));
    m_progress->setValue(m_player->current() + 1);
    m_prev->setEnabled(m_player->current() > 0);
    m_next->setEnabled(m_player->current() + 1 < m_player->count());
    m_title->setText(st ? st->title.in(lang) : QString());
    m_body->setText(st ? lessonStepHtml(*st, lang, m_player->fallbackNote(), m_showAnswer, m_player->bestModelNote()) : QString());
    m_answer->setVisible(!m_collapsed && st && !st->answer.isEmpty());
    m_answer->setText(m_showAnswer ? tr("Hide answer") : tr("Show answer"));
    m_scroll->setVisible(!m_collapsed);
    m_section->setVisible(!m_collapsed);
    m_collapse->setText(m_collapsed ? QStringLiteral("▸") : QStringLiteral("▾"));
    place();
}

// The area's layout keeps `left`/`right` pixels free beside its own margins (0, 0: as it was).
void LessonOverlay::setAreaReserve(int left, int right) {
    QLayout* l = m_area ? m_area->layout() : nullptr;
    if (!l) return;
    const bool reserving = left > 0 || right > 0;
    if (!reserving && !m_docked) return;  // nothing reserved: the area's margins are its own
    if (reserving && !m_docked) m_areaMargins = l->contentsMargins();
    m_docked = reserving;
    const QMargins m = m_areaMargins + QMargins(left, 0, right, 0);
    if (l->contentsMargins() != m) l->setContentsMargins(m);
}

void LessonOverlay::hideEvent(QHideEvent* e) {
    setAreaReserve(0, 0);
    QFrame::hideEvent(e);
}

void LessonOverlay::place() {
    if (!m_area) return;
    const QSize a = m_area->size();
    const QString where = m_player->currentStep() ? m_player->currentStep()->overlay : QString();
    const bool left = where.endsWith(QLatin1String("left"));
    if (!m_collapsed) {
        // A column the area's height, about 28% of its width, on the step's side; the prompt and
        // the panes reflow beside it, so no part of a view is ever under the text (a box over a
        // corner hid the ALiBi heads, the KV-cache chart and the sampling bars on 1280x720 slides).
        const int w = std::clamp(int(a.width() * 0.28), std::min(a.width() / 2, 340), 520);
        setAreaReserve(left ? w + 8 : 0, left ? 0 : w + 8);
        setGeometry(left ? 4 : a.width() - w - 4, 4, w, a.height() - 8);
        raise();
        return;
    }
    // Folded: the step chooser, the buttons and the progress bar in the step's corner.
    setAreaReserve(0, 0);
    const int w = std::clamp(int(a.width() * 0.3), std::min(a.width() - 16, 340), 480);
    const int h = layout()->sizeHint().height();
    const int x = left ? 8 : a.width() - w - 8;
    const int y = where.startsWith(QLatin1String("top")) ? 8 : a.height() - h - 8;
    setGeometry(x, y, w, h);
    raise();
}

void LessonOverlay::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(QColor(255, 140, 0), 2));
    p.setBrush(QColor(255, 255, 255));  // opaque: a plot behind showed through the text
    p.drawRoundedRect(QRectF(rect()).adjusted(1, 1, -1, -1), 8, 8);
}

bool LessonOverlay::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_area && event->type() == QEvent::Resize && isVisible()) place();
    return QFrame::eventFilter(watched, event);
}

}  // namespace anatomy::widgets
