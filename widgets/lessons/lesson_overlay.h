#pragma once
// The lesson in presentation mode (F5): a column the view area's full height on the step's side
// ("...-left" or "...-right") with the step's title and text, the progress bar, a step chooser
// and previous / next buttons. The area's layout leaves that column to it, so the prompt and the
// panes (one, or two with a view beside or the pinned trace A) stay whole beside the text; the
// text scrolls when it is longer than the column. Folded, it is a small box in the step's corner.
#include <QFrame>
#include <QMargins>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QScrollArea;

namespace anatomy::widgets {

class LessonPlayer;

class LessonOverlay : public QFrame {
    Q_OBJECT
public:
    LessonOverlay(LessonPlayer* player, QWidget* area);
    // Shown while presenting a lesson; refreshes from the player.
    void refresh();
    // Folded: only the step chooser, the buttons and the progress bar.
    bool collapsed() const { return m_collapsed; }
    // Where it sits: "bottom-right" (default), "bottom-left", "top-right", "top-left": the side
    // of the column, and the corner of the folded box.
    void place();
    // Whether the area's layout leaves the column to it now (shown and not folded).
    bool docked() const { return m_docked; }
    QLabel* body() const { return m_body; }
    QLabel* titleLabel() const { return m_title; }
    QProgressBar* progress() const { return m_progress; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void paintEvent(QPaintEvent* e) override;
    void hideEvent(QHideEvent* e) override;

private:
    LessonPlayer* m_player;
    QWidget* m_area;
    QLabel* m_section = nullptr;
    QComboBox* m_jump = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_title = nullptr;
    QScrollArea* m_scroll = nullptr;
    QLabel* m_body = nullptr;
    QPushButton* m_prev = nullptr;
    QPushButton* m_next = nullptr;
    QPushButton* m_answer = nullptr;
    QPushButton* m_collapse = nullptr;
    bool m_showAnswer = false;
    bool m_collapsed = false;
    // Docking: whether docked now, the area's own layout margins.
    bool m_docked = false;
    QMargins m_areaMargins;
    void setAreaReserve(int left, int right);
};

}  // namespace anatomy::widgets
