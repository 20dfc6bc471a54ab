#include "lessons/language.h"

#include <QCoreApplication>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

namespace anatomy::widgets {

namespace {
QString g_language = QStringLiteral("en");
QTranslator* g_translator = nullptr;
}  // namespace

QStringList interfaceLanguages() { return {QStringLiteral("en"), QStringLiteral("zh_CN")}; }

QString chooseLanguage(const QString& requested) {
    QString want = requested;
    if (want.isEmpty()) want = QSettings().value(QStringLiteral("language")).toString();
    if (want.isEmpty()) want = QLocale::system().name();  // "zh_CN", "en_GB", ...
    // Simplified Chinese for any zh but the traditional locales' regions.
    if (want.startsWith(QLatin1String("zh"))) {
        const bool traditional = want.contains(QLatin1String("TW")) || want.contains(QLatin1String("HK")) ||
                                 want.contains(QLatin1String("Hant"));
        return traditional ? QStringLiteral("en") : QStringLiteral("zh_CN");
    }
    return QStringLiteral("en");
}

bool installTranslation(const QString& language) {
    if (g_translator) {
        QCoreApplication::removeTranslator(g_translator);
        delete g_translator;
        g_translator = nullptr;
    }
    g_language = QStringLiteral("en");
    if (language == QLatin1String("en")) return true;
    auto* t = new QTranslator;
    if (!t->load(QStringLiteral(":/i18n/anatomy_%1.qm").arg(language))) {
        delete t;
        return false;
    }
    QCoreApplication::installTranslator(t);
    g_translator = t;
    g_language = language;
    return true;
}

QString currentLanguage() { return g_language; }

}  // namespace anatomy::widgets
