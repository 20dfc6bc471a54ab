#include "lessons/retranslate.h"

#include <QAbstractButton>
#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QGroupBox>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTableWidget>
#include <QVariant>
#include <QXmlStreamReader>
#include <algorithm>
#include <optional>
#include <vector>

namespace anatomy::widgets {

namespace {

// A message with placeholders, as a regular expression over the text in one language:
// "trace %1 ms" -> ^trace (?<a1>.+?) ms$ (a placeholder seen twice is a back reference).
struct Pattern {
    QRegularExpression re;
    QStringList args;  // the placeholders in order of appearance: "1", "2", ...
    QString source;
    qsizetype literal = 0;  // characters outside placeholders: the more, the more specific
};

struct Table {
    QHash<QString, QString> toZh;  // source -> Chinese
    QHash<QString, QString> toEn;  // Chinese -> source (the first; "位置" is "Positions" and "position")
    // The same per context (the class whose tr() it is): a widget's own classes decide first.
    QHash<QString, QHash<QString, QString>> toZhIn, toEnIn;
    std::vector<Pattern> enPatterns, zhPatterns;
    QHash<QString, QString> zhOfSource;  // for patterns: source -> Chinese pattern
};

const QRegularExpression& placeholder() {
    static const QRegularExpression re(QStringLiteral("%(n|[1-9][0-9]?)"));
    return re;
}

// Patterns whose literal part is this short would match almost any text ("%1", "%1°").
constexpr int kMinLiteral = 3;

std::optional<Pattern> compile(const QString& pattern, const QString& source) {
    QString re = QStringLiteral("^");
    QStringList args;
    qsizetype last = 0, literal = 0;
    auto it = placeholder().globalMatch(pattern);
    while (it.hasNext()) {
        const auto m = it.next();
        const QString lit = pattern.mid(last, m.capturedStart() - last);
        literal += lit.trimmed().size();
        re += QRegularExpression::escape(lit);
        const QString n = m.captured(1) == QLatin1String("n") ? QStringLiteral("0") : m.captured(1);
        if (args.contains(n)) re += QStringLiteral("\\k<a%1>").arg(n);
        else {
            re += QStringLiteral("(?<a%1>.+?)").arg(n);
            args << n;
        }
        last = m.capturedEnd();
    }
    if (args.isEmpty()) return std::nullopt;
    const QString tail = pattern.mid(last);
    literal += tail.trimmed().size();
    if (literal < kMinLiteral) return std::nullopt;
    re += QRegularExpression::escape(tail) + QStringLiteral("$");
    QRegularExpression compiled(re, QRegularExpression::DotMatchesEverythingOption);
    if (!compiled.isValid()) return std::nullopt;
    return Pattern{compiled, args, source, literal};
}

const Table& table() {
    static const Table t = [] {
        Table out;
        QFile f(QStringLiteral(":/i18n/anatomy_zh_CN.ts"));
        if (!f.open(QIODevice::ReadOnly)) return out;
        QXmlStreamReader xml(&f);
        QString context, source, translation;
        bool unfinished = false;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement()) {
                if (xml.name() == QLatin1String("name")) context = xml.readElementText();
                else if (xml.name() == QLatin1String("message")) {
                    source.clear();
                    translation.clear();
                    unfinished = false;
                } else if (xml.name() == QLatin1String("source")) source = xml.readElementText();
                else if (xml.name() == QLatin1String("translation")) {
                    unfinished = xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished");
                    // A plain translation is its text; a %n message holds <numerusform> children.
                    QString text;
                    while (!xml.atEnd()) {
                        xml.readNext();
                        if (xml.isCharacters()) text += xml.text();
                        else if (xml.isEndElement() && xml.name() == QLatin1String("translation")) break;
                        else if (xml.isStartElement() && xml.name() == QLatin1String("numerusform") && translation.isEmpty())
                            translation = xml.readElementText();
                    }
                    if (translation.isEmpty()) translation = text;
                }
            } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
                if (unfinished || source.isEmpty() || translation.trimmed().isEmpty()) continue;
                if (!out.toZh.contains(source)) out.toZh.insert(source, translation);
                if (!out.toEn.contains(translation)) out.toEn.insert(translation, source);
                out.toZhIn[context].insert(source, translation);
                out.toEnIn[context].insert(translation, source);
                if (source.contains(QLatin1Char('%')) && !out.zhOfSource.contains(source)) {
                    out.zhOfSource.insert(source, translation);
                    if (auto p = compile(source, source)) out.enPatterns.push_back(*p);
                    if (auto p = compile(translation, source)) out.zhPatterns.push_back(*p);
                }
            }
        }
        // "Step 3 of 7" is "Step %1 of %2", not "Step %1" with "3 of 7": most specific first.
        for (auto* list : {&out.enPatterns, &out.zhPatterns})
            std::stable_sort(list->begin(), list->end(), [](const Pattern& a, const Pattern& b) { return a.literal > b.literal; });
        return out;
    }();
    return t;
}

bool isZh(const QString& language) { return language.startsWith(QLatin1String("zh")); }

// text in `from`'s pattern p -> the same arguments in `target` (a pattern of the other language).
QString substitute(const QRegularExpressionMatch& m, const Pattern& p, QString target) {
    // One pass over the target so an argument that itself contains "%2" is not substituted again.
    QString out;
    qsizetype last = 0;
    auto it = placeholder().globalMatch(target);
    while (it.hasNext()) {
        const auto ph = it.next();
        const QString n = ph.captured(1) == QLatin1String("n") ? QStringLiteral("0") : ph.captured(1);
        out += target.mid(last, ph.capturedStart() - last);
        out += p.args.contains(n) ? m.captured(QStringLiteral("a") + n) : ph.captured(0);
        last = ph.capturedEnd();
    }
    return out + target.mid(last);
}

// The classes of o and of its parents, nearest first: the contexts its texts most likely
// came from ("anatomy::widgets::TrainView", ...).
QStringList contextsOf(const QObject* o) {
    QStringList out;
    for (; o; o = o->parent())
        for (const QMetaObject* m = o->metaObject(); m; m = m->superClass()) {
            const QString name = QString::fromLatin1(m->className());
            if (name.startsWith(QLatin1String("anatomy::")) && !out.contains(name)) out << name;
        }
    return out;
}

QString lookup(const QString& text, const QString& from, const QString& to, const QStringList& contexts) {
    if (text.isEmpty() || isZh(from) == isZh(to)) return text;
    const Table& t = table();
    const auto& byContext = isZh(to) ? t.toZhIn : t.toEnIn;
    for (const QString& c : contexts)
        if (const auto ctx = byContext.constFind(c); ctx != byContext.constEnd())
            if (const auto it = ctx->constFind(text); it != ctx->constEnd()) return *it;
    const QHash<QString, QString>& exact = isZh(to) ? t.toZh : t.toEn;
    if (const auto it = exact.constFind(text); it != exact.constEnd()) return *it;
    if (text.size() > 600) return text;
    for (const Pattern& p : isZh(from) ? t.zhPatterns : t.enPatterns) {
        const QRegularExpressionMatch m = p.re.match(text);
        if (!m.hasMatch()) continue;
        return substitute(m, p, isZh(to) ? t.zhOfSource.value(p.source) : p.source);
    }
    return text;
}

}  // namespace

QString retranslatedText(const QString& text, const QString& from, const QString& to) { return lookup(text, from, to, {}); }

int retranslateWidgets(QWidget* root, const QString& from, const QString& to) {
    if (!root || isZh(from) == isZh(to)) return 0;
    int changed = 0;
    // Sets one text of an object (slot: which one, "text", "tab3", ...) through its setter when the
    // table gives another. The object remembers the English it showed and what it was set to,
    // so a round trip comes back to the same words even where the Chinese is ambiguous.
    auto map = [&](QObject* o, const char* slot, int index, const QString& text, auto&& set) {
        if (text.isEmpty()) return;
        const QByteArray key = QByteArray("_anatomyText_") + slot + QByteArray::number(index);
        const QStringList memory = o->property(key.constData()).toStringList();  // {english, shown}
        QString next;
        if (memory.size() == 2 && memory[1] == text)
            next = isZh(to) ? lookup(memory[0], QStringLiteral("en"), to, contextsOf(o)) : memory[0];
        else
            next = lookup(text, from, to, contextsOf(o));
        if (next == text) return;
        const QString english = isZh(to) ? (memory.size() == 2 && memory[1] == text ? memory[0] : text) : next;
        set(next);
        o->setProperty(key.constData(), QStringList{english, next});
        ++changed;
    };
    QList<QWidget*> widgets = root->findChildren<QWidget*>();
    widgets.prepend(root);
    for (QWidget* w : widgets) {
        map(w, "tip", 0, w->toolTip(), [w](const QString& s) { w->setToolTip(s); });
        map(w, "status", 0, w->statusTip(), [w](const QString& s) { w->setStatusTip(s); });
        if (w->isWindow() || qobject_cast<QDockWidget*>(w))
            map(w, "window", 0, w->windowTitle(), [w](const QString& s) { w->setWindowTitle(s); });
        if (auto* b = qobject_cast<QAbstractButton*>(w)) map(w, "text", 0, b->text(), [b](const QString& s) { b->setText(s); });
        else if (auto* l = qobject_cast<QLabel*>(w)) map(w, "text", 0, l->text(), [l](const QString& s) { l->setText(s); });
        else if (auto* g = qobject_cast<QGroupBox*>(w)) map(w, "text", 0, g->title(), [g](const QString& s) { g->setTitle(s); });
        else if (auto* e = qobject_cast<QLineEdit*>(w))
            map(w, "placeholder", 0, e->placeholderText(), [e](const QString& s) { e->setPlaceholderText(s); });
        else if (auto* e = qobject_cast<QPlainTextEdit*>(w))
            map(w, "placeholder", 0, e->placeholderText(), [e](const QString& s) { e->setPlaceholderText(s); });
        else if (auto* m = qobject_cast<QMenu*>(w)) map(w, "text", 0, m->title(), [m](const QString& s) { m->setTitle(s); });
        if (auto* tabs = qobject_cast<QTabWidget*>(w))
            for (int i = 0; i < tabs->count(); ++i) {
                map(w, "tab", i, tabs->tabText(i), [tabs, i](const QString& s) { tabs->setTabText(i, s); });
                map(w, "tabtip", i, tabs->tabToolTip(i), [tabs, i](const QString& s) { tabs->setTabToolTip(i, s); });
            }
        if (auto* table = qobject_cast<QTableWidget*>(w)) {
            for (int c = 0; c < table->columnCount(); ++c)
                if (QTableWidgetItem* h = table->horizontalHeaderItem(c))
                    map(w, "column", c, h->text(), [h](const QString& s) { h->setText(s); });
            for (int r = 0; r < table->rowCount(); ++r)
                if (QTableWidgetItem* h = table->verticalHeaderItem(r))
                    map(w, "row", r, h->text(), [h](const QString& s) { h->setText(s); });
        }
    }
    for (QAction* a : root->findChildren<QAction*>()) {
        if (a->menu()) continue;  // a menu's action follows its title
        const QString before = a->text();
        map(a, "text", 0, a->text(), [a](const QString& s) { a->setText(s); });
        // An explicit tool tip differs from the text; one derived from the text follows it.
        if (a->toolTip() != before && a->toolTip() != a->text())
            map(a, "tip", 0, a->toolTip(), [a](const QString& s) { a->setToolTip(s); });
        map(a, "status", 0, a->statusTip(), [a](const QString& s) { a->setStatusTip(s); });
    }
    return changed;
}

}  // namespace anatomy::widgets
