#pragma once
// The interface language: Qt Linguist translations (resources/i18n/anatomy_<lang>.ts, built with
// lrelease into :/i18n/anatomy_<lang>.qm) chosen from --language, View > Language (saved in the
// settings as "language") or the system locale. Lessons show the matching text of each field.
#include <QString>
#include <QStringList>

namespace anatomy::widgets {

// The languages the interface has: "en" and those with a translation ("zh_CN").
QStringList interfaceLanguages();
// requested ("en", "zh_CN", "zh", or empty for the saved choice, else the system locale) ->
// one of interfaceLanguages().
QString chooseLanguage(const QString& requested = {});
// Installs the translation of language into the application (replacing an earlier one) and
// remembers it as currentLanguage(); "en" removes it. False when the translation is missing.
bool installTranslation(const QString& language);
QString currentLanguage();

}  // namespace anatomy::widgets
