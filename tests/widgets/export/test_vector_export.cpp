// Exports a teacher puts on a slide: a PDF page is a vector drawing (text stays text, plot lines
// stay lines) rather than one screenshot wrapped in a PDF, and a PNG has the pixel size asked for.
#include <catch2/catch.hpp>

#include <QComboBox>
#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QFile>
#include <QImage>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <algorithm>
#include <memory>
#include <vector>

#include "views/attention_view.h"
#include "export/view_export.h"
#include "widgets/widget_test_support.h"

using namespace anatomy::widgets;

namespace {

struct PdfSummary {
    bool wellFormed = false;   // %PDF- header and %%EOF trailer
    int fonts = 0;             // font dictionaries: text drawn as text
    int textShows = 0;         // Tj/TJ operators in the page's content streams
    int pathOps = 0;           // moveto/lineto/curveto/rectangle operators
    int largestImageWidth = 0; // widest image XObject, in image pixels
    int largestImageHeight = 0;
    int images = 0;
    std::vector<QSize> imageSizes;
};

// Enough PDF reading for the checks: object dictionaries are plain text in Qt's output, page
// content streams are zlib (FlateDecode), which qUncompress reads after a 4-byte size hint.
PdfSummary summarize(const QString& path) {
    PdfSummary s;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return s;
    const QByteArray pdf = f.readAll();
    s.wellFormed = pdf.startsWith("%PDF-") && pdf.trimmed().endsWith("%%EOF");
    s.fonts = static_cast<int>(pdf.count("/Type /Font"));
    static const QRegularExpression image(QStringLiteral("/Subtype /Image\\s*/Width (\\d+)\\s*/Height (\\d+)"));
    for (auto it = image.globalMatch(QString::fromLatin1(pdf)); it.hasNext();) {
        const auto m = it.next();
        ++s.images;
        s.imageSizes.emplace_back(m.captured(1).toInt(), m.captured(2).toInt());
        s.largestImageWidth = std::max(s.largestImageWidth, m.captured(1).toInt());
        s.largestImageHeight = std::max(s.largestImageHeight, m.captured(2).toInt());
    }
    static const QRegularExpression ops(QStringLiteral("(?:^|\\s)(Tj|TJ|m|l|c|re)(?=\\s)"));
    for (qsizetype at = pdf.indexOf("stream\n"); at >= 0; at = pdf.indexOf("stream\n", at + 1)) {
        if (at >= 3 && pdf.mid(at - 3, 3) == "end") continue;
        const qsizetype begin = at + 7;
        const qsizetype end = pdf.indexOf("endstream", begin);
        if (end < 0) break;
        const qsizetype dictStart = pdf.lastIndexOf("obj", at);
        const QByteArray dict = pdf.mid(dictStart, at - dictStart);
        if (dict.contains("/Image") || dict.contains("/FontFile") || dict.contains("/Length1")) continue;
        QByteArray data = pdf.mid(begin, end - begin);
        if (dict.contains("/FlateDecode")) {
            data.prepend(QByteArray("\x00\x10\x00\x00", 4));  // a size hint; qUncompress grows past it
            data = qUncompress(data);
        }
        for (auto it = ops.globalMatch(QString::fromLatin1(data)); it.hasNext();) {
            const QString op = it.next().captured(1);
            if (op == QLatin1String("Tj") || op == QLatin1String("TJ")) ++s.textShows;
            else ++s.pathOps;
        }
    }
    return s;
}

QString describe(const PdfSummary& s) {
    return QStringLiteral("well-formed %1, fonts %2, text shows %3, path ops %4, images %5 (largest %6x%7)")
        .arg(s.wellFormed)
        .arg(s.fonts)
        .arg(s.textShows)
        .arg(s.pathOps)
        .arg(s.images)
        .arg(s.largestImageWidth)
        .arg(s.largestImageHeight);
}

}  // namespace

TEST_CASE("export: a PDF of the attention and sampling views is vector, not one embedded screenshot", "[export]") {
    widgetTestApp();
    const ViewInput& input = widgetTestInput();
    REQUIRE(input.trace);
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QSize size(1200, 800);
    for (const QString& name : {QStringLiteral("attention"), QStringLiteral("sampling")}) {
        std::unique_ptr<TraceView> like(createView(name));
        REQUIRE(like);
        const QString vectorPath = dir.filePath(name + QStringLiteral(".pdf"));
        const QString rasterPath = dir.filePath(name + QStringLiteral("-raster.pdf"));
        REQUIRE(saveViewCopy(*like, input, Selection{-1, 2, 3}, size, vectorPath).isEmpty());
        REQUIRE(saveImage(renderViewCopy(*like, input, Selection{-1, 2, 3}, size), rasterPath).isEmpty());

        const PdfSummary vec = summarize(vectorPath), raster = summarize(rasterPath);
        INFO(name.toStdString() << " vector: " << describe(vec).toStdString());
        INFO(name.toStdString() << " raster: " << describe(raster).toStdString());
        CHECK(vec.wellFormed);
        // The raster page is one image of the whole view and nothing else: the test's baseline.
        CHECK(raster.images == 1);
        CHECK(std::count(raster.imageSizes.begin(), raster.imageSizes.end(), size) == 1);
        CHECK(raster.textShows == 0);
        // The vector page: labels and tick numbers are text, axes and grid are paths, not a
        // single page-sized screenshot (heat maps and thumbnails stay images, QCustomPlot
        // upscales a colour map so viewers do not blur its cells).
        CHECK(vec.fonts >= 1);
        CHECK(vec.textShows >= 20);
        CHECK(vec.pathOps >= 20);
        CHECK(std::count(vec.imageSizes.begin(), vec.imageSizes.end(), size) == 0);
    }
}

TEST_CASE("export: the PDF page has the size asked for and --screenshot's PDF path draws vectors", "[export]") {
    widgetTestApp();
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    std::unique_ptr<TraceView> view(createView(QStringLiteral("attention")));
    view->setInput(widgetTestInput());
    view->setSelection(Selection{-1, 1, 0});
    const QString path = dir.filePath(QStringLiteral("attention.pdf"));
    REQUIRE(saveWidget(view.get(), QSize(960, 640), path).isEmpty());
    QFile f(path);
    REQUIRE(f.open(QIODevice::ReadOnly));
    // 960x640 pixels at 96 dpi = 720x480 points.
    static const QRegularExpression box(QStringLiteral("/MediaBox \\[0 0 ([0-9.]+) ([0-9.]+)\\]"));
    const auto m = box.match(QString::fromLatin1(f.readAll()));
    REQUIRE(m.hasMatch());
    CHECK(m.captured(1).toDouble() == Approx(720.0).margin(1.0));
    CHECK(m.captured(2).toDouble() == Approx(480.0).margin(1.0));
    CHECK(summarize(path).textShows >= 20);
}

TEST_CASE("export: a PNG has the pixel size asked for and shows the view", "[export]") {
    widgetTestApp();
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    for (const QSize size : {QSize(900, 600), QSize(1600, 1000)}) {
        std::unique_ptr<TraceView> like(createView(QStringLiteral("sampling")));
        const QString path = dir.filePath(QStringLiteral("sampling-%1.png").arg(size.width()));
        REQUIRE(saveViewCopy(*like, widgetTestInput(), Selection{-1, 2, 3}, size, path).isEmpty());
        const QImage png(path);
        INFO("asked " << size.width() << "x" << size.height() << ", got " << png.width() << "x" << png.height());
        CHECK(png.size() == size);
        CHECK(distinctColors(png) > 8);
    }
    const std::unique_ptr<TraceView> tokens(createView(QStringLiteral("tokens")));
    CHECK(saveWidget(tokens.get(), QSize(300, 200), dir.filePath(QStringLiteral("x.gif"))).contains(QStringLiteral("unsupported")));
}

TEST_CASE("slide-clean export hides each control together with its caption", "[export]") {
    widgetTestApp();
    QWidget view;
    auto* row = new QHBoxLayout(&view);
    auto* caption = new QLabel(QStringLiteral("Width W"), &view);
    auto* spin = new QSpinBox(&view);
    auto* title = new QLabel(QStringLiteral("a plot title"), &view);
    row->addWidget(caption);
    row->addWidget(spin);
    row->addWidget(title);
    auto* formHost = new QWidget(&view);
    auto* form = new QFormLayout(formHost);
    auto* combo = new QComboBox(formHost);
    form->addRow(QStringLiteral("Context:"), combo);
    row->addWidget(formHost);
    view.show();
    hideControlsForExport(&view);
    CHECK(spin->isHidden());
    CHECK(caption->isHidden());
    CHECK(combo->isHidden());
    CHECK(form->labelForField(combo)->isHidden());
    CHECK_FALSE(title->isHidden());  // a label that captions no control stays
}
