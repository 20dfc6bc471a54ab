// llama2.c checkpoints: legacy version 0 (7 int32 header, float32 weights in run.c order,
// including the unused freq_cis tables), "ak42" version 1 (256-byte header, float32) and "ak42"
// version 2 (256-byte header, int8 weights in groups of group_size with one float scale each).
#include <cstring>
#include <limits>

#include "anatomy/error.h"
#include "io/mapped_file.h"
#include "anatomy/model.h"

namespace anatomy {
namespace {

__extension__ typedef unsigned __int128 u128;  // sizes of absurd headers cannot wrap

constexpr uint32_t kMagicAk42 = 0x616b3432;  // "ak42" read as little-endian uint32
constexpr size_t kAk42HeaderBytes = 256;

int32_t readI32(const uint8_t* p) {
    int32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// Hands out consecutive tensors from the mapping, checking each byte range against the file.
class Cursor {
public:
    Cursor(Model& m, const MappedFile& f, size_t offset) : m_model(m), m_file(f), m_off(offset) {}

    const float* floats(size_t n, const char* what) {
        const uint8_t* p = take(n, sizeof(float), what);
        if (reinterpret_cast<uintptr_t>(p) % alignof(float) != 0) {
            std::vector<float> copy(n);
            std::memcpy(copy.data(), p, n * sizeof(float));
            return m_model.own(std::move(copy));
        }
        return reinterpret_cast<const float*>(p);
    }
    const int8_t* int8s(size_t n, const char* what) {
        return reinterpret_cast<const int8_t*>(take(n, 1, what));
    }
    void skip(size_t n, size_t elemSize, const char* what) { take(n, elemSize, what); }
    size_t offset() const { return m_off; }

private:
    const uint8_t* take(size_t n, size_t elemSize, const char* what) {
        if (n > std::numeric_limits<size_t>::max() / elemSize)
            throw FormatError(m_file.path(), what, "a size that fits in memory", "overflow");
        size_t bytes = n * elemSize;
        if (m_off > m_file.size() || bytes > m_file.size() - m_off)
            throw FormatError(m_file.path(), std::string("tensor ") + what,
                              "bytes [" + std::to_string(m_off) + ", " +
                                  std::to_string(m_off + bytes) + ") inside the file",
                              "a file of " + std::to_string(m_file.size()) + " bytes");
        const uint8_t* p = m_file.data() + m_off;
        m_off += bytes;
        return p;
    }
    Model& m_model;
    const MappedFile& m_file;
    size_t m_off;
};

// Bytes the weights of a config need, computed in 128-bit so absurd headers cannot wrap.
u128 floatWeightBytes(const ModelConfig& c, bool legacyFreqCis) {
    using u = u128;
    u d = c.dim, h = c.hiddenDim, L = c.nLayers, kv = c.kvDim(), V = c.vocabSize;
    u n = V * d + 2 * L * d + L * d * d * 2 + 2 * L * d * kv + 3 * L * d * h + d;
    if (legacyFreqCis) n += u(c.seqLen) * c.headSize();
    if (!c.sharedClassifier) n += V * d;
    return n * 4;
}

void requireSize(const MappedFile& f, size_t header, u128 weights) {
    u128 need = weights + header;
    if (need > f.size())
        throw FormatError(f.path(), "file size",
                          "at least " + std::to_string(static_cast<unsigned long long>(
                                            need > ~0ull ? ~0ull : static_cast<uint64_t>(need))) +
                              " bytes for the shapes in the header",
                          std::to_string(f.size()) + " bytes");
}

// The header fixes every tensor's size, so the file must end where the last tensor ends: a file
// longer than that has a header that does not describe it (a shrunken n_layers or vocabulary
// would otherwise load and run on misaligned weights).
void requireExactSize(const MappedFile& f, size_t used) {
    if (used != f.size())
        throw FormatError(f.path(), "file size",
                          std::to_string(used) + " bytes for the shapes in the header",
                          std::to_string(f.size()) + " bytes (" + std::to_string(f.size() - used) +
                              " bytes the header does not account for)");
}

Matrix f32Matrix(Cursor& c, int rows, int cols, const char* what) {
    Matrix m;
    m.rows = rows;
    m.cols = cols;
    m.f32 = c.floats(size_t(rows) * size_t(cols), what);
    return m;
}

Matrix q8Matrix(Cursor& c, int rows, int cols, int gs, const char* what) {
    Matrix m;
    m.rows = rows;
    m.cols = cols;
    m.groupSize = gs;
    size_t n = size_t(rows) * size_t(cols);
    m.q8 = c.int8s(n, what);
    m.scales = c.floats(n / size_t(gs), what);
    return m;
}

}  // namespace

std::unique_ptr<Model> loadLlama2c(const std::string& path) {
    auto model = std::make_unique<Model>();
    model->file = std::make_unique<MappedFile>(path);
    model->path = path;
    const MappedFile& f = *model->file;
    const uint8_t* d = f.data();

    if (f.size() < 28)
        throw FormatError(path, "header", "at least 28 bytes (7 int32)",
                          std::to_string(f.size()) + " bytes");

    uint32_t magic;
    std::memcpy(&magic, d, 4);
    ModelConfig& c = model->config;
    int version = 0;
    size_t headerBytes = 28;
    int groupSize = 0;
    const uint8_t* h = d;
    if (magic == kMagicAk42) {
        if (f.size() < kAk42HeaderBytes)
            throw FormatError(path, "header", "256 bytes for an ak42 file",
                              std::to_string(f.size()) + " bytes");
        version = readI32(d + 4);
        if (version != 1 && version != 2)
            throw FormatError(path, "version", "1 (float32) or 2 (int8) for an ak42 file",
                              std::to_string(version));
        h = d + 8;
        headerBytes = kAk42HeaderBytes;
    } else if (std::memcmp(d, "GGUF", 4) == 0) {
        throw FormatError(path, "magic", "a llama2.c checkpoint", "a GGUF file (use loadGguf)");
    }
    c.dim = readI32(h + 0);
    c.hiddenDim = readI32(h + 4);
    c.nLayers = readI32(h + 8);
    c.nHeads = readI32(h + 12);
    c.nKvHeads = readI32(h + 16);
    int32_t vocab = readI32(h + 20);
    c.seqLen = readI32(h + 24);
    if (version == 0) {
        // Legacy: a negative vocab_size marks an unshared classifier.
        c.sharedClassifier = vocab > 0;
        c.vocabSize = vocab == std::numeric_limits<int32_t>::min() ? 0 : (vocab < 0 ? -vocab : vocab);
    } else {
        c.vocabSize = vocab;
        uint8_t shared = h[28];
        if (shared > 1)
            throw FormatError(path, "shared_classifier", "0 or 1", std::to_string(shared));
        c.sharedClassifier = shared == 1;
        if (version == 2) groupSize = readI32(h + 29);
    }
    validateConfig(c, path);
    // llama2.c checkpoints are all Llama: pre-RMSNorm, RoPE, GQA, SwiGLU.
    model->architecture = llamaArchitecture(c);

    const int dim = c.dim, hidden = c.hiddenDim, L = c.nLayers, V = c.vocabSize;
    const int qDim = c.nHeads * c.headSize(), kvDim = c.kvDim();
    model->layers.resize(size_t(L));
    Cursor cur(*model, f, headerBytes);

    if (version == 0 || version == 1) {
        model->format = version == 0 ? ModelFormat::Llama2cLegacy : ModelFormat::Llama2cV1;
        requireSize(f, headerBytes, floatWeightBytes(c, version == 0));
    }

    if (version == 0) {
        // run.c order: embedding, rms_att, wq, wk, wv, wo, rms_ffn, w1, w2, w3, rms_final,
        // freq_cis_real, freq_cis_imag, [wcls].
        model->tokenEmbedding = cur.floats(size_t(V) * dim, "token_embedding");
        for (auto& l : model->layers) l.rmsAtt = cur.floats(size_t(dim), "rms_att");
        for (auto& l : model->layers) l.wq = f32Matrix(cur, qDim, dim, "wq");
        for (auto& l : model->layers) l.wk = f32Matrix(cur, kvDim, dim, "wk");
        for (auto& l : model->layers) l.wv = f32Matrix(cur, kvDim, dim, "wv");
        for (auto& l : model->layers) l.wo = f32Matrix(cur, dim, qDim, "wo");
        for (auto& l : model->layers) l.rmsFfn = cur.floats(size_t(dim), "rms_ffn");
        for (auto& l : model->layers) l.w1 = f32Matrix(cur, hidden, dim, "w1");
        for (auto& l : model->layers) l.w2 = f32Matrix(cur, dim, hidden, "w2");
        for (auto& l : model->layers) l.w3 = f32Matrix(cur, hidden, dim, "w3");
        model->rmsFinal = cur.floats(size_t(dim), "rms_final");
        cur.skip(size_t(c.seqLen) * c.headSize() / 2, 4, "freq_cis_real");
        cur.skip(size_t(c.seqLen) * c.headSize() / 2, 4, "freq_cis_imag");
    } else if (version == 1) {
        // export.py version 1 order: norms first, then embedding and the matrices by kind.
        for (auto& l : model->layers) l.rmsAtt = cur.floats(size_t(dim), "rms_att");
        for (auto& l : model->layers) l.rmsFfn = cur.floats(size_t(dim), "rms_ffn");
        model->rmsFinal = cur.floats(size_t(dim), "rms_final");
        model->tokenEmbedding = cur.floats(size_t(V) * dim, "token_embedding");
        for (auto& l : model->layers) l.wq = f32Matrix(cur, qDim, dim, "wq");
        for (auto& l : model->layers) l.wk = f32Matrix(cur, kvDim, dim, "wk");
        for (auto& l : model->layers) l.wv = f32Matrix(cur, kvDim, dim, "wv");
        for (auto& l : model->layers) l.wo = f32Matrix(cur, dim, qDim, "wo");
        for (auto& l : model->layers) l.w1 = f32Matrix(cur, hidden, dim, "w1");
        for (auto& l : model->layers) l.w2 = f32Matrix(cur, dim, hidden, "w2");
        for (auto& l : model->layers) l.w3 = f32Matrix(cur, hidden, dim, "w3");
    } else {
        model->format = ModelFormat::Llama2cV2Int8;
        // Groups must tile every row exactly: the int8 matmul walks a row group by group.
        if (groupSize <= 0 || groupSize > 4096)
            throw FormatError(path, "group_size", "a value in [1, 4096]", std::to_string(groupSize));
        for (auto [name, v] : {std::pair{"dim", dim}, std::pair{"hidden_dim", hidden}})
            if (v % groupSize != 0)
                throw FormatError(path, "group_size",
                                  std::string("a divisor of ") + name + " " + std::to_string(v),
                                  std::to_string(groupSize));
        using u = u128;
        u gs = u(groupSize);
        u n = u(V) * dim + u(L) * (u(qDim) * dim * 2 + 2 * u(kvDim) * dim + 3 * u(dim) * hidden);
        if (!c.sharedClassifier) n += u(V) * dim;
        u bytes = n + n / gs * 4 + u(2 * L + 1) * dim * 4;
        requireSize(f, headerBytes, bytes);

        for (auto& l : model->layers) l.rmsAtt = cur.floats(size_t(dim), "rms_att");
        for (auto& l : model->layers) l.rmsFfn = cur.floats(size_t(dim), "rms_ffn");
        model->rmsFinal = cur.floats(size_t(dim), "rms_final");
        Matrix tok = q8Matrix(cur, V, dim, groupSize, "token_embedding");
        // The embedding is looked up, not multiplied: keep a float copy (as runq.c does).
        std::vector<float> emb(size_t(V) * dim);
        for (size_t i = 0; i < emb.size(); ++i)
            emb[i] = float(tok.q8[i]) * tok.scales[i / size_t(groupSize)];
        model->tokenEmbedding = model->own(std::move(emb));
        for (auto& l : model->layers) l.wq = q8Matrix(cur, qDim, dim, groupSize, "wq");
        for (auto& l : model->layers) l.wk = q8Matrix(cur, kvDim, dim, groupSize, "wk");
        for (auto& l : model->layers) l.wv = q8Matrix(cur, kvDim, dim, groupSize, "wv");
        for (auto& l : model->layers) l.wo = q8Matrix(cur, dim, qDim, groupSize, "wo");
        for (auto& l : model->layers) l.w1 = q8Matrix(cur, hidden, dim, groupSize, "w1");
        for (auto& l : model->layers) l.w2 = q8Matrix(cur, dim, hidden, groupSize, "w2");
        for (auto& l : model->layers) l.w3 = q8Matrix(cur, hidden, dim, groupSize, "w3");
        model->classifier = c.sharedClassifier
                                ? tok
                                : q8Matrix(cur, V, dim, groupSize, "wcls");
        requireExactSize(f, cur.offset());
        return model;
    }

    if (c.sharedClassifier) {
        model->classifier.rows = V;
        model->classifier.cols = dim;
        model->classifier.f32 = model->tokenEmbedding;
    } else {
        model->classifier = f32Matrix(cur, V, dim, "wcls");
    }
    requireExactSize(f, cur.offset());
    return model;
}

}  // namespace anatomy
