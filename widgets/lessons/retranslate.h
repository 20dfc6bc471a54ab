#pragma once
// Switching the interface language while the app runs. Qt's own way is retranslateUi(): every
// widget sets its texts again from tr(). The window and the views set most of theirs once, in
// their constructors, so instead the texts on screen are mapped through the translation table
// (resources/i18n/anatomy_<lang>.ts, compiled in as :/i18n/anatomy_<lang>.ts):
//   text shown in `from` -> its source (English) -> its translation in `to`.
// A text built from a pattern with arguments ("trace %1 ms") is matched against the pattern
// shown in `from`, and its arguments are carried into the pattern of `to`.
#include <QString>

class QWidget;

namespace anatomy::widgets {

// The counterpart of one text in language `to` ("en" or "zh_CN"), or the text itself when the
// table does not know it.
QString retranslatedText(const QString& text, const QString& from, const QString& to);

// Retranslates the texts of root and every widget and action under it: menu titles and actions,
// window and dock titles, buttons, labels, group boxes, tab titles and tool tips, placeholders,
// table headers. Combo box items are left alone (their text is the value they stand for).
// Returns how many texts changed.
int retranslateWidgets(QWidget* root, const QString& from, const QString& to);

}  // namespace anatomy::widgets
