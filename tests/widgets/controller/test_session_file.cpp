// Session files reopen to the same state, and broken ones give a clear error.
#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <sys/stat.h>

#include "anatomy/knob_table.h"
#include "engine/knob_examples.h"
#include "controller/session_file.h"
#include "widgets/widget_test_support.h"

using anatomy::gui::SessionState;

namespace {

// Writes s to a file in dir and reads it back; fails the test on any error.
SessionState roundTrip(const QTemporaryDir& dir, const SessionState& s) {
    const QString path = dir.filePath(QStringLiteral("rt.json"));
    const QString werr = anatomy::gui::writeSessionFile(path, s);
    INFO(werr.toStdString());
    REQUIRE(werr.isEmpty());
    SessionState r;
    const QString rerr = anatomy::gui::readSessionFile(path, r);
    INFO(rerr.toStdString());
    REQUIRE(rerr.isEmpty());
    return r;
}

}  // namespace

TEST_CASE("a session file round-trips every field", "[widgets]") {
    widgetTestApp();
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    SessionState s;
    s.modelPath = QStringLiteral("/models/stories260K.bin");
    s.modelSha256 = QStringLiteral("b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696");
    s.prompt = QStringLiteral("Once upon a time, \"quoted\" and ünïcode");
    s.tokens = {1, 403, 407, 261, 378};
    s.sampler.temperature = 0.7f;
    s.sampler.topK = 12;
    s.sampler.topP = 0.85f;
    s.sampler.minP = 0.05f;
    s.sampler.repetitionPenalty = 1.2f;
    s.sampler.seed = 1234567;
    s.sampler.order = anatomy::parseSamplerOrder("top-k,penalty,top-p,temperature");
    s.threads = 2;
    s.selection = {7, 3, 5};
    s.attentionMode = QStringLiteral("scores");
    anatomy::applySetting(s.architecture, "norm.placement=post");
    anatomy::applySetting(s.architecture, "moe.experts=4");
    const QString path = dir.filePath(QStringLiteral("s.json"));
    REQUIRE(anatomy::gui::writeSessionFile(path, s).isEmpty());

    SessionState r;
    REQUIRE(anatomy::gui::readSessionFile(path, r).isEmpty());
    CHECK(r.modelPath == s.modelPath);
    CHECK(r.modelSha256 == s.modelSha256);
    CHECK(r.prompt == s.prompt);
    CHECK(r.tokens == s.tokens);
    CHECK(r.sampler.temperature == Approx(0.7f));
    CHECK(r.sampler.topK == 12);
    CHECK(r.sampler.topP == Approx(0.85f));
    CHECK(r.sampler.minP == Approx(0.05f));
    CHECK(r.sampler.repetitionPenalty == Approx(1.2f));
    CHECK(r.sampler.seed == 1234567u);
    CHECK(anatomy::formatSamplerOrder(r.sampler.order) == "top-k,penalty,top-p,temperature");
    CHECK(r.threads == 2);
    CHECK(r.selection == s.selection);
    CHECK(r.attentionMode == s.attentionMode);
    CHECK(r.architecture == s.architecture);
}

// Iterates the engine's knob table: each knob alone, then all together, survive a session file.
TEST_CASE("a session file keeps every simulator knob", "[widgets][knobs]") {
    widgetTestApp();
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    SessionState all;
    all.modelPath = QStringLiteral("/models/stories260K.bin");
    for (const anatomy::Knob& k : anatomy::knobTable()) {
        if (!k.stored()) continue;
        INFO(k.key);
        SessionState s;
        s.modelPath = all.modelPath;
        const std::string v = knobtest::nonDefaultValue(k);
        anatomy::applySetting(s.architecture, k.key + "=" + v);
        anatomy::applySetting(all.architecture, k.key + "=" + v);
        REQUIRE_FALSE(s.architecture == anatomy::SimSettings{});
        CHECK(roundTrip(dir, s).architecture == s.architecture);
    }
    CHECK(roundTrip(dir, all).architecture == all.architecture);
    // A file without the key reads as trained; a bad knob in a file names the file and the key.
    SessionState plain;
    plain.modelPath = all.modelPath;
    CHECK(roundTrip(dir, plain).architecture == anatomy::SimSettings{});
    const QString path = dir.filePath(QStringLiteral("bad_knob.json"));
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write(R"({"format": "transformer-anatomy-session", "version": 1, "model": {"path": "/m.bin"},
               "architecture": ["rope.factor=inf"]})");
    f.close();
    SessionState r;
    const QString err = anatomy::gui::readSessionFile(path, r);
    CHECK(err.contains(QStringLiteral("architecture")));
    CHECK(err.contains(QStringLiteral("rope.factor")));
}

TEST_CASE("broken session files are refused with a message, not a crash", "[widgets]") {
    widgetTestApp();
    QTemporaryDir dir;
    SessionState r;
    CHECK_FALSE(anatomy::gui::readSessionFile(dir.filePath(QStringLiteral("missing.json")), r).isEmpty());
    for (const QByteArray& bytes : {QByteArray("{\"prompt\": \"unterminated"), QByteArray(""),
                                    QByteArray("[1, 2, 3]"), QByteArray("\x00\x01\x02", 3)}) {
        const QString path = dir.filePath(QStringLiteral("bad.json"));
        QFile f(path);
        REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(bytes);
        f.close();
        const QString err = anatomy::gui::readSessionFile(path, r);
        INFO(bytes.toStdString());
        CHECK_FALSE(err.isEmpty());
    }
}

TEST_CASE("a session file with a bad sampler order names it, one without keeps the default", "[widgets]") {
    widgetTestApp();
    QTemporaryDir dir;
    SessionState s;
    s.modelPath = QStringLiteral("/models/stories260K.bin");
    const QString path = dir.filePath(QStringLiteral("s.json"));
    REQUIRE(anatomy::gui::writeSessionFile(path, s).isEmpty());
    QFile f(path);
    REQUIRE(f.open(QIODevice::ReadOnly));
    const QByteArray good = f.readAll();
    f.close();
    REQUIRE(good.contains("\"order\": \"penalty,temperature,top-k,top-p,min-p,typical\""));

    auto readWith = [&](const QByteArray& bytes, SessionState& r) {
        QFile w(path);
        REQUIRE(w.open(QIODevice::WriteOnly | QIODevice::Truncate));
        w.write(bytes);
        w.close();
        return anatomy::gui::readSessionFile(path, r);
    };
    SessionState r;
    QByteArray bad = good;
    bad.replace("penalty,temperature,top-k,top-p,min-p,typical", "top-k,top-k");
    const QString err = readWith(bad, r);
    CHECK(err.contains(QStringLiteral("sampler.order")));
    CHECK(err.contains(QStringLiteral("appears twice")));

    QByteArray old = good;
    old.replace(",\n        \"order\": \"penalty,temperature,top-k,top-p,min-p,typical\"", "");
    old.replace("\"order\": \"penalty,temperature,top-k,top-p,min-p,typical\",", "");
    REQUIRE_FALSE(old.contains("order"));
    SessionState o;
    o.sampler.order = anatomy::parseSamplerOrder("min-p");
    CHECK(readWith(old, o).isEmpty());
    CHECK(o.sampler.order == anatomy::SamplerSettings{}.order);
}

namespace {

// Reads a session file holding bytes; returns the error (empty when it read).
QString readBytes(const QTemporaryDir& dir, const QByteArray& bytes) {
    const QString path = dir.filePath(QStringLiteral("s.json"));
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
    f.close();
    SessionState r;
    return anatomy::gui::readSessionFile(path, r);
}

const QByteArray kHead = R"({"format": "transformer-anatomy-session", "version": 1, "model": {"path": "/m.bin"}, )";

}  // namespace

// The GUI monkey hung here: File > Open session on a FIFO blocked in open() for ever.
TEST_CASE("a session path that is a FIFO or a directory is refused at once", "[widgets][hardening]") {
    widgetTestApp();
    QTemporaryDir dir;
    const QString fifo = dir.filePath(QStringLiteral("fifo.json"));
    REQUIRE(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
    SessionState r;
    const QString err = anatomy::gui::readSessionFile(fifo, r);
    INFO(err.toStdString());
    CHECK(err.contains(QStringLiteral("FIFO")));
    CHECK(err.contains(QStringLiteral("expected a regular file")));
    const QString derr = anatomy::gui::readSessionFile(dir.path(), r);
    INFO(derr.toStdString());
    CHECK(derr.contains(QStringLiteral("directory")));
}

TEST_CASE("session numbers beyond what they are read into are refused, not converted", "[widgets][hardening]") {
    widgetTestApp();
    QTemporaryDir dir;
    // 1e300 as a qint64 start is undefined behaviour (UBSan: float-cast-overflow).
    const QString start = readBytes(dir, kHead + R"("perplexity": {"start": 1e300}})");
    CHECK(start.contains(QStringLiteral("perplexity")));
    const QString length = readBytes(dir, kHead + R"("perplexity": {"length": -1e19}})");
    CHECK(length.contains(QStringLiteral("perplexity")));
    // Qt's parser refuses 1e999 itself; 1e300 is a double but no float.
    const QString temperature = readBytes(dir, kHead + R"("sampler": {"temperature": 1e300}})");
    INFO(temperature.toStdString());
    CHECK(temperature.contains(QStringLiteral("sampler.temperature")));
    CHECK_FALSE(readBytes(dir, kHead + R"("sampler": {"temperature": 1e999}})").isEmpty());
    const QString topP = readBytes(dir, kHead + R"("sampler": {"topP": 1e300}})");
    CHECK(topP.contains(QStringLiteral("sampler.topP")));
    const QString threads = readBytes(dir, kHead + R"("threads": -3})");
    CHECK(threads.contains(QStringLiteral("threads")));
    CHECK(readBytes(dir, kHead + R"("perplexity": {"start": 5, "length": 100}})").isEmpty());
}

TEST_CASE("session errors quote the file's text printably", "[widgets][hardening]") {
    widgetTestApp();
    QTemporaryDir dir;
    const QString err = readBytes(dir, R"({"format": "\u001b[2Jevil\r\nline", "version": 1})");
    INFO(err.toStdString());
    CHECK(err.contains(QStringLiteral("format")));
    CHECK_FALSE(err.contains(QChar(0x1b)));
    CHECK_FALSE(err.contains(QLatin1Char('\n')));
    CHECK_FALSE(err.contains(QLatin1Char('\r')));
    CHECK(err.contains(QStringLiteral("\\x1B")));
}

TEST_CASE("a session file larger than 16 MB is refused before it is parsed", "[widgets][hardening]") {
    widgetTestApp();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.json"));
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly));
    REQUIRE(f.resize(qint64(17) << 20));  // sparse: no 17 MB written
    f.close();
    SessionState r;
    const QString err = anatomy::gui::readSessionFile(path, r);
    INFO(err.toStdString());
    CHECK(err.contains(QStringLiteral("too large")));
}
