#include "monkey_files.h"

#include <sys/stat.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <cstring>
#include <random>

#include "controller/session_file.h"

namespace anatomy::monkey {

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeAll(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate)) f.write(bytes);
}

template <class T>
void patch(QByteArray& b, qsizetype at, T v) {
    if (at >= 0 && at + qsizetype(sizeof v) <= b.size()) std::memcpy(b.data() + at, &v, sizeof v);
}

// The GGUF metadata value after `key` (u32 value type, then the value) set to value.
QByteArray withGgufNumber(QByteArray b, const QByteArray& key, uint64_t value) {
    const qsizetype at = b.indexOf(key);
    if (at < 0) return b;
    const qsizetype typeAt = at + key.size();
    uint32_t type = 0;
    std::memcpy(&type, b.constData() + typeAt, sizeof type);
    if (type == 4 || type == 5) patch(b, typeAt + 4, uint32_t(value));  // UINT32, INT32
    else if (type == 10 || type == 11) patch(b, typeAt + 4, value);     // UINT64, INT64
    return b;
}

}  // namespace

MonkeyFiles writeMonkeyFiles(const QString& dir, const QString& shared, uint64_t seed) {
    MonkeyFiles out;
    const QString models = shared + QStringLiteral("/models/stories260K/");
    const QString bin = models + QStringLiteral("stories260K.bin"), gguf = models + QStringLiteral("stories260K.gguf");
    const QString q8 = models + QStringLiteral("stories260K_q8.bin"), tok = models + QStringLiteral("tok512.bin");
    if (!QFileInfo::exists(bin) || !QFileInfo::exists(gguf)) return out;
    out.goodModels = {{bin, tok, QStringLiteral("stories260K.bin")},
                      {gguf, {}, QStringLiteral("stories260K.gguf")},
                      {q8, tok, QStringLiteral("stories260K_q8.bin")}};

    std::mt19937_64 rng(seed);
    const QByteArray binBytes = readAll(bin), ggufBytes = readAll(gguf), tokBytes = readAll(tok);
    auto broken = [&](const QString& name, const QByteArray& bytes, const QString& tokenizer = {}) {
        const QString path = dir + QLatin1Char('/') + name;
        writeAll(path, bytes);
        out.brokenModels.push_back({path, tokenizer, name});
    };
    broken(QStringLiteral("truncated.bin"), binBytes.left(binBytes.size() / 2), tok);
    QByteArray b = binBytes;
    patch(b, 0, int32_t(-64));  // dim
    broken(QStringLiteral("negative_dim.bin"), b, tok);
    b = binBytes;
    patch(b, 8, int32_t(6));  // n_layers 5 -> 6: the file is shorter than its header implies
    broken(QStringLiteral("extra_layer.bin"), b, tok);
    broken(QStringLiteral("truncated.gguf"), ggufBytes.left(ggufBytes.size() * 3 / 5));
    broken(QStringLiteral("huge_context.gguf"), withGgufNumber(ggufBytes, "llama.context_length", 4'194'304));
    broken(QStringLiteral("bos_out_of_range.gguf"), withGgufNumber(ggufBytes, "tokenizer.ggml.bos_token_id", 70'000));
    QByteArray garbage("GGUF", 4);
    for (int i = 0; i < 4096; ++i) garbage.append(char(rng()));
    broken(QStringLiteral("garbage.gguf"), garbage);
    b = ggufBytes;
    for (int i = 0; i < 32; ++i) b[qsizetype(rng() % 4096)] = char(rng());
    broken(QStringLiteral("flipped.gguf"), b);
    broken(QStringLiteral("empty.bin"), QByteArray(), tok);
    broken(QStringLiteral("good_model_broken_tokenizer.bin"), binBytes, dir + QStringLiteral("/truncated_tok512.bin"));
    writeAll(dir + QStringLiteral("/truncated_tok512.bin"), tokBytes.left(tokBytes.size() / 3));
    QDir(dir).mkdir(QStringLiteral("a_directory.bin"));
    out.brokenModels.push_back({dir + QStringLiteral("/a_directory.bin"), tok, QStringLiteral("a_directory.bin")});
    const QString fifo = dir + QStringLiteral("/fifo.bin");
    if (::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0)
        out.brokenModels.push_back({fifo, tok, QStringLiteral("fifo.bin")});
    out.brokenModels.push_back({dir + QStringLiteral("/missing.bin"), tok, QStringLiteral("missing.bin")});

    // Sessions, written by the app's own writer, then damaged.
    auto session = [&](const QString& name, const QString& model, const QString& tokenizer) {
        gui::SessionState s;
        s.modelPath = model;
        s.tokenizerPath = tokenizer;
        s.prompt = QStringLiteral("Once upon a time, a monkey opened a session.");
        s.selection.layer = 4;
        s.selection.head = 7;
        const QString path = dir + QLatin1Char('/') + name;
        gui::writeSessionFile(path, s);
        out.sessions << path;
        return path;
    };
    session(QStringLiteral("good.anatomy.json"), bin, tok);
    session(QStringLiteral("gguf.anatomy.json"), gguf, {});
    session(QStringLiteral("huge_context.anatomy.json"), dir + QStringLiteral("/huge_context.gguf"), {});
    session(QStringLiteral("truncated_model.anatomy.json"), dir + QStringLiteral("/truncated.bin"), tok);
    session(QStringLiteral("fifo_model.anatomy.json"), fifo, tok);
    session(QStringLiteral("fifo_tokenizer.anatomy.json"), bin, fifo);
    const QByteArray good = readAll(session(QStringLiteral("base.anatomy.json"), bin, tok));
    auto damaged = [&](const QString& name, const QByteArray& bytes) {
        writeAll(dir + QLatin1Char('/') + name, bytes);
        out.sessions << dir + QLatin1Char('/') + name;
    };
    QByteArray heads = "\"heads.ablate=";
    for (int i = 0; i < 50'000; ++i) heads += (i ? "," : "") + QByteArray::number(i / 8) + ':' + QByteArray::number(i % 8);
    heads += '"';
    QByteArray s = good;
    damaged(QStringLiteral("ablations.anatomy.json"), s.replace("\"architecture\": [", "\"architecture\": [" + heads));
    s = good;
    damaged(QStringLiteral("newer.anatomy.json"), s.replace("\"version\": 1", "\"version\": 9"));
    s = good;
    damaged(QStringLiteral("huge_window.anatomy.json"),
            s.replace("\"start\": 0", "\"start\": 1e300").replace("\"length\": 4096", "\"length\": 9e18"));
    damaged(QStringLiteral("not_json.anatomy.json"), good.left(good.size() / 2));
    const QString fifoSession = dir + QStringLiteral("/fifo.anatomy.json");
    if (::mkfifo(QFile::encodeName(fifoSession).constData(), 0600) == 0) out.sessions << fifoSession;
    out.sessions << dir + QStringLiteral("/missing.anatomy.json");
    return out;
}

}  // namespace anatomy::monkey
