#include "train/train_checkpoint.h"

#include <cstring>
#include <filesystem>
#include <fstream>

#include "anatomy/error.h"
#include "train/train_model.h"

namespace anatomy::training {
namespace {

constexpr uint32_t kMagicAk42 = 0x616b3432;  // "ak42" as little-endian uint32 (llama2.c)
constexpr uint32_t kMagicCheckpoint = 0x4b435441;  // "ATCK"
constexpr uint32_t kCheckpointVersion = 1;

template <class T>
void put(std::ofstream& f, const T& v) {
    f.write(reinterpret_cast<const char*>(&v), sizeof v);
}

void putFloats(std::ofstream& f, const std::vector<float>& v) {
    f.write(reinterpret_cast<const char*>(v.data()), std::streamsize(v.size() * sizeof(float)));
}

// Writes through path + ".tmp" and renames, so readers never see half a file.
template <class Body>
void writeAtomically(const std::string& path, const Body& body) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        if (!f) throw Error(path + ": cannot write: " + std::strerror(errno));
        body(f);
        f.flush();
        if (!f) throw Error(path + ": write failed (disk full?)");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) throw Error(path + ": cannot rename the written file: " + ec.message());
}

}  // namespace

void writeLlama2cV1(const std::string& path, const TrainShape& s, const std::vector<float>& params) {
    writeAtomically(path, [&](std::ofstream& f) {
        char header[256] = {};
        const int32_t fields[] = {1, s.dim, s.hidden, s.nLayers, s.nHeads, s.nKvHeads, s.vocab, s.context};
        std::memcpy(header, &kMagicAk42, 4);
        std::memcpy(header + 4, fields, sizeof fields);
        header[4 + sizeof fields] = s.tiedClassifier ? 1 : 0;
        f.write(header, sizeof header);
        putFloats(f, params);
    });
}

void writeCheckpoint(const std::string& path, const Checkpoint& c) {
    writeAtomically(path, [&](std::ofstream& f) {
        put(f, kMagicCheckpoint);
        put(f, kCheckpointVersion);
        put(f, int64_t(c.step));
        put(f, int64_t(c.adam.t));
        put(f, uint64_t(c.config.size()));
        f.write(c.config.data(), std::streamsize(c.config.size()));
        put(f, uint64_t(c.params.size()));
        putFloats(f, c.params);
        putFloats(f, c.adam.m);
        putFloats(f, c.adam.v);
    });
}

Checkpoint readCheckpoint(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error(path + ": cannot open the checkpoint: " + std::strerror(errno));
    f.seekg(0, std::ios::end);
    const uint64_t size = uint64_t(f.tellg());
    f.seekg(0);
    auto get = [&](auto& v, const char* what) {
        f.read(reinterpret_cast<char*>(&v), sizeof v);
        if (!f) throw FormatError(path, what, "present", "the end of the file");
    };
    uint32_t magic = 0, version = 0;
    get(magic, "magic");
    if (magic != kMagicCheckpoint) throw FormatError(path, "magic", "ATCK (a training checkpoint)", "other bytes");
    get(version, "version");
    if (version != kCheckpointVersion)
        throw FormatError(path, "version", std::to_string(kCheckpointVersion), std::to_string(version));
    Checkpoint c;
    int64_t step = 0, t = 0;
    uint64_t configBytes = 0, n = 0;
    get(step, "step");
    get(t, "adam step");
    get(configBytes, "config size");
    if (step < 0 || t < 0) throw FormatError(path, "step", ">= 0", std::to_string(step));
    if (configBytes > size) throw FormatError(path, "config size", "inside the file", std::to_string(configBytes));
    c.config.resize(size_t(configBytes));
    f.read(c.config.data(), std::streamsize(configBytes));
    get(n, "parameter count");
    const uint64_t used = 4 + 4 + 8 + 8 + 8 + configBytes + 8;
    if (n > (size - std::min(size, used)) / 12 || used + n * 12 != size)
        throw FormatError(path, "file size", std::to_string(used) + " + 12 x parameters bytes",
                          std::to_string(size) + " bytes");
    c.step = int(step);
    c.adam.t = t;
    for (std::vector<float>* v : {&c.params, &c.adam.m, &c.adam.v}) {
        v->resize(size_t(n));
        f.read(reinterpret_cast<char*>(v->data()), std::streamsize(n * sizeof(float)));
    }
    if (!f) throw FormatError(path, "tensors", "present", "the end of the file");
    return c;
}

}  // namespace anatomy::training
