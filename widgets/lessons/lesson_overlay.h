#pragma once
// The lesson in presentation mode (F5): a box over a corner of the view area with the step's
// title and text, the progress bar, a step chooser and previous / next buttons. It follows the
// area's size; its text scrolls when it is longer than the box may be tall.
// While a second pane is visible (a view beside, the pinned trace A) no corner is free: the box
// then docks as a column the area's full height on its side, and the area's layout leaves that
// column to it, so both panes stay whole beside the text.
#include <QFrame>
#include <QMargins>
#include <QPointer>

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
    // Where it sits: "bottom-right" (default), "bottom-left", "top-right", "top-left".
    void place();
    // The pane whose being shown makes the box dock (MainWindow::sidePane()).
    void dockWhileShown(QWidget* pane);
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
    // Docking: the pane that asks for it, whether docked now, the area's own layout margins.
    QPointer<QWidget> m_dockPane;
    bool m_docked = false;
    QMargins m_areaMargins;
    void setAreaReserve(int left, int right);
};

}  // namespace anatomy::widgets
