// GGUF (versions 2 and 3) loader. Which keys and tensors each general.architecture has is
// gguf_architectures.cpp's business; this file parses and validates the container.
//
// File layout, all little-endian:
//   magic "GGUF" | u32 version | u64 tensor_count | u64 kv_count
//   kv_count x  { string key | u32 value type | value }
//   tensor_count x { string name | u32 n_dims | u64 ne[n_dims] | u32 ggml type | u64 offset }
//   padding to general.alignment (default 32)
//   data section: each tensor at data_start + offset
// A string is u64 length + bytes (no terminator); an array is u32 element type + u64 count +
// elements. ne[0] is the fastest-moving dimension, so a GGUF tensor ne = [cols, rows] is exactly
// the engine's row-major Matrix [rows, cols] and float32 tensors are used in place.
//
// Everything is validated before anything is allocated (llama.cpp's gguf.cpp is the checklist):
// every count and length is bounded by the bytes left in the file, products are overflow-checked,
// dtypes must be known, every tensor's byte range must lie inside the file (wrap-around checked),
// names must be unique, and every shape must match the configuration.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "anatomy/error.h"
#include "io/gguf_architectures.h"
#include "io/gguf_source.h"
#include "io/mapped_file.h"
#include "io/unigram.h"
#include "anatomy/ggml_type.h"
#include "kernels/ggml_blocks.h"
#include "anatomy/model.h"

namespace anatomy {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the GGUF reader copies little-endian fields straight into host integers");

constexpr uint32_t kMinVersion = 2;  // v1 used u32 counts and is long obsolete
constexpr uint32_t kMaxVersion = 3;
constexpr uint64_t kDefaultAlignment = 32;
constexpr uint32_t kMaxDims = 4;

// GGUF metadata value types.
enum ValueType : uint32_t {
    kU8 = 0, kI8 = 1, kU16 = 2, kI16 = 3, kU32 = 4, kI32 = 5, kF32 = 6, kBool = 7,
    kString = 8, kArray = 9, kU64 = 10, kI64 = 11, kF64 = 12,
};

const char* valueTypeName(uint32_t t) {
    static const char* const names[] = {"u8",  "i8",   "u16",    "i16",   "u32", "i32", "f32",
                                        "bool", "string", "array", "u64", "i64", "f64"};
    return t <= kF64 ? names[t] : "unknown";
}

// Smallest encoded size of one value of type t (a string is at least its u64 length).
uint64_t minValueSize(uint32_t t) {
    switch (t) {
        case kU8: case kI8: case kBool: return 1;
        case kU16: case kI16: return 2;
        case kU32: case kI32: case kF32: return 4;
        case kU64: case kI64: case kF64: case kString: return 8;
        case kArray: return 4 + 8;
        default: return 0;
    }
}

std::string shapeString(const std::vector<uint64_t>& ne) {
    std::string s = "[";
    for (size_t i = 0; i < ne.size(); ++i) s += (i ? ", " : "") + std::to_string(ne[i]);
    return s + "]";
}

// Bounds-checked reader over the mapped bytes. Every read names the field it is reading, so a
// short file reports which field ran off the end.
class Cursor {
public:
    Cursor(const uint8_t* data, size_t size, size_t pos, const std::string& file)
        : m_data(data), m_size(size), m_pos(pos), m_file(file) {}

    size_t pos() const { return m_pos; }
    size_t remaining() const { return m_size - m_pos; }

    void need(uint64_t n, const std::string& field) const {
        if (n > remaining())
            throw FormatError(m_file, field,
                              std::to_string(n) + " bytes at offset " + std::to_string(m_pos),
                              "a file of " + std::to_string(m_size) + " bytes");
    }
    template <class T>
    T read(const std::string& field) {
        need(sizeof(T), field);
        T v;
        std::memcpy(&v, m_data + m_pos, sizeof(T));
        m_pos += sizeof(T);
        return v;
    }
    std::string_view readString(const std::string& field) {
        const uint64_t n = read<uint64_t>(field + " length");
        if (n > remaining())
            throw FormatError(m_file, field + " length",
                              "at most " + std::to_string(remaining()) +
                                  " (bytes left in the file)",
                              std::to_string(n));
        std::string_view s(reinterpret_cast<const char*>(m_data + m_pos), static_cast<size_t>(n));
        m_pos += static_cast<size_t>(n);
        return s;
    }
    void skip(uint64_t n, const std::string& field) {
        need(n, field);
        m_pos += static_cast<size_t>(n);
    }

private:
    const uint8_t* m_data;
    size_t m_size;
    size_t m_pos;
    const std::string& m_file;
};

// Where a metadata value sits in the file; values are decoded only when asked for.
struct KvEntry {
    uint32_t type = 0;
    size_t valuePos = 0;     // offset of the value (for arrays: of the first element)
    uint32_t elemType = 0;   // arrays only
    uint64_t count = 0;      // arrays only
};

struct TensorInfo {
    std::string name;
    std::vector<uint64_t> ne;  // ne[0] fastest
    uint32_t type = 0;
    uint64_t offset = 0;       // relative to the data section
    uint64_t nElements = 0;
    uint64_t nBytes = 0;
};

// Product of a tensor's dimensions, or false when it does not fit in int64.
bool checkedElementCount(const std::vector<uint64_t>& ne, uint64_t& out) {
    constexpr uint64_t kMax = uint64_t(std::numeric_limits<int64_t>::max());
    uint64_t n = 1;
    for (uint64_t d : ne) {
        if (d > kMax) return false;
        if (d != 0 && n > kMax / d) return false;
        n *= d;
    }
    out = n;
    return true;
}

// Bytes of a tensor of a supported ggml type (ggml_type.h), after checking that its rows are
// whole blocks. Throws, naming the tensor and its type, for any other type.
uint64_t tensorBytes(const TensorInfo& t, const std::string& file) {
    auto fail = [&](const std::string& field, const std::string& expected,
                    const std::string& actual) { throw FormatError(file, field, expected, actual); };
    const GgmlTypeInfo* info = ggmlTypeInfo(t.type);
    if (!info || !info->supported)
        fail(t.name + " type", "a supported type (" + supportedGgmlTypes() + ")",
             ggmlTypeName(t.type));
    const uint64_t bs = uint64_t(info->blockSize);
    if (t.ne.empty() || t.ne[0] % bs != 0)
        fail(t.name + " ne", "ne[0] a multiple of " + std::to_string(bs) + " (the " + info->name +
                                 " block size)",
             shapeString(t.ne));
    if (t.nElements / bs > std::numeric_limits<uint64_t>::max() / uint64_t(info->blockBytes))
        fail(t.name + " ne", "a tensor whose byte size fits in 64 bits", shapeString(t.ne));
    return t.nElements / bs * uint64_t(info->blockBytes);
}

class GgufReader : public GgufSource {
public:
    explicit GgufReader(std::unique_ptr<MappedFile> mapped)
        : m_mapped(std::move(mapped)), m_file(m_mapped->path()) {}

    std::unique_ptr<Model> load();
    // Only the vocabulary: works on vocabulary-only files (no tensors) and on any architecture.
    Tokenizer loadTokenizer();

    // GgufSource (what gguf_architectures.cpp reads).
    const std::string& fileName() const override { return m_file; }
    [[noreturn]] void fail(const std::string& field, const std::string& expected,
                           const std::string& actual) const override {
        throw FormatError(m_file, field, expected, actual);
    }
    bool hasKey(const std::string& key) const override { return find(key) != nullptr; }
    std::string getString(const std::string& key) const override;
    int64_t getInteger(const std::string& key) const override;
    int getInt(const std::string& key) const override;
    int getIntOr(const std::string& key, int fallback) const override;
    double getFloatOr(const std::string& key, double fallback) const override;
    bool getBoolOr(const std::string& key, bool fallback) const override;
    const std::vector<uint64_t>* tensorShape(const std::string& name) const override {
        auto it = m_tensors.find(name);
        return it == m_tensors.end() ? nullptr : &it->second.ne;
    }
    // Norm gains, biases, position tables: llama.cpp uses them as floats; a quantized one is a
    // damaged file.
    const float* floatTensor(Model& m, const std::string& name, std::vector<uint64_t> ne) const override {
        const TensorInfo& t = tensor(name, std::move(ne));
        if (t.type != uint32_t(GgmlType::F32) && t.type != uint32_t(GgmlType::F16) &&
            t.type != uint32_t(GgmlType::BF16))
            fail(name + " type", "F32, F16 or BF16 (a norm weight or bias is not quantized)", ggmlTypeName(t.type));
        return floatData(m, t);
    }
    Matrix matrix(Model& m, const std::string& name, int rows, int cols) const override;

private:
    std::unique_ptr<MappedFile> m_mapped;
    std::string m_file;
    std::unordered_map<std::string, KvEntry> m_kv;
    std::unordered_map<std::string, TensorInfo> m_tensors;
    uint64_t m_alignment = kDefaultAlignment;
    size_t m_dataStart = 0;

    Cursor cursorAt(size_t pos) const {
        return Cursor(m_mapped->data(), m_mapped->size(), pos, m_file);
    }
    void parseHeaderAndMetadata(Cursor& c, uint64_t& tensorCount);
    void skipValue(Cursor& c, uint32_t type, const std::string& field);
    void parseTensorInfos(Cursor& c, uint64_t tensorCount);

    // Typed metadata access; a wrong type is a FormatError naming the key.
    const KvEntry* find(const std::string& key) const;
    const KvEntry& require(const std::string& key) const;
    std::vector<std::string> getStringArray(const std::string& key, uint64_t expectedCount) const;
    std::vector<float> getF32Array(const std::string& key, uint64_t expectedCount) const;
    std::vector<int> getI32Array(const std::string& key, uint64_t expectedCount) const;
    std::string getByteArray(const std::string& key) const;  // an array of u8 / i8 as bytes

    // The vocabulary from tokenizer.ggml.*; expectedVocab 0 = whatever the file holds.
    Tokenizer readTokenizer(uint64_t expectedVocab) const;
    const TensorInfo& tensor(const std::string& name, std::vector<uint64_t> expectedNe) const;
    const float* floatData(Model& m, const TensorInfo& t) const;
};

void GgufReader::parseHeaderAndMetadata(Cursor& c, uint64_t& tensorCount) {
    const uint8_t* d = m_mapped->data();
    const size_t size = m_mapped->size();
    if (size < 4 || std::memcmp(d, "GGUF", 4) != 0) {
        // The first bytes as text where printable, else in hex.
        std::string actual = "a file of " + std::to_string(size) + " bytes";
        if (size >= 4) {
            static const char hex[] = "0123456789abcdef";
            actual = "\"";
            for (int i = 0; i < 4; ++i) {
                if (d[i] >= 0x20 && d[i] < 0x7f) {
                    actual.push_back(char(d[i]));
                } else {
                    actual.append("\\x");
                    actual.push_back(hex[d[i] >> 4]);
                    actual.push_back(hex[d[i] & 15]);
                }
            }
            actual.push_back('"');
        }
        fail("magic", "\"GGUF\"", actual);
    }
    c.skip(4, "magic");

    const uint32_t version = c.read<uint32_t>("version");
    if (version < kMinVersion || version > kMaxVersion) {
        std::string actual = std::to_string(version);
        if ((version & 0xffffu) == 0 && (version >> 16) != 0)
            actual += " (a big-endian file? only little-endian GGUF is supported)";
        fail("version", std::to_string(kMinVersion) + " or " + std::to_string(kMaxVersion),
             actual);
    }
    tensorCount = c.read<uint64_t>("tensor_count");
    const uint64_t kvCount = c.read<uint64_t>("kv_count");

    // A key-value pair takes at least 13 bytes (key length, type, one-byte value) and a tensor
    // info at least 24 (name length, n_dims, type, offset): counts beyond that cannot be real.
    const uint64_t maxKv = c.remaining() / 13;
    if (kvCount > maxKv)
        fail("kv_count", "at most " + std::to_string(maxKv) + " (what the file can hold)",
             std::to_string(kvCount));
    const uint64_t maxTensors = (c.remaining() - kvCount * 13) / 24;
    if (tensorCount > maxTensors)
        fail("tensor_count", "at most " + std::to_string(maxTensors) + " (what the file can hold)",
             std::to_string(tensorCount));

    for (uint64_t i = 0; i < kvCount; ++i) {
        const std::string where = "key of metadata entry " + std::to_string(i);
        std::string key(c.readString(where));
        if (key.empty()) fail(where, "a non-empty key", "an empty string");
        KvEntry e;
        e.type = c.read<uint32_t>(key + " type");
        if (e.type > kF64)
            fail(key + " type", "a GGUF value type 0..12", std::to_string(e.type));
        if (e.type == kArray) {
            e.elemType = c.read<uint32_t>(key + " element type");
            if (e.elemType > kF64 || e.elemType == kArray)
                fail(key + " element type", "a GGUF scalar or string type (0..8, 10..12)",
                     std::to_string(e.elemType));
            e.count = c.read<uint64_t>(key + " count");
            const uint64_t maxCount = c.remaining() / minValueSize(e.elemType);
            if (e.count > maxCount)
                fail(key + " count",
                     "at most " + std::to_string(maxCount) + " (what the file can hold)",
                     std::to_string(e.count));
            e.valuePos = c.pos();
            if (e.elemType == kString) {
                for (uint64_t j = 0; j < e.count; ++j)
                    c.readString(key + "[" + std::to_string(j) + "]");
            } else {
                c.skip(e.count * minValueSize(e.elemType), key);
            }
        } else {
            e.valuePos = c.pos();
            skipValue(c, e.type, key);
        }
        if (!m_kv.emplace(key, e).second) fail(key, "a key that appears once", "a duplicate key");
    }
}

void GgufReader::skipValue(Cursor& c, uint32_t type, const std::string& field) {
    if (type == kString)
        c.readString(field);
    else
        c.skip(minValueSize(type), field);
}

void GgufReader::parseTensorInfos(Cursor& c, uint64_t tensorCount) {
    if (const KvEntry* a = find("general.alignment")) {
        if (a->type != kU32)
            fail("general.alignment", "a u32", valueTypeName(a->type));
        m_alignment = uint64_t(getInteger("general.alignment"));
        if (m_alignment == 0 || (m_alignment & (m_alignment - 1)) != 0)
            fail("general.alignment", "a power of two", std::to_string(m_alignment));
    }

    // Grown as infos are read (each takes at least 24 bytes of the file), never reserved from
    // the count the header claims.
    std::vector<TensorInfo> infos;
    for (uint64_t i = 0; i < tensorCount; ++i) {
        TensorInfo t;
        t.name = std::string(c.readString("name of tensor " + std::to_string(i)));
        if (t.name.empty()) fail("name of tensor " + std::to_string(i), "a non-empty name", "\"\"");
        const uint32_t nDims = c.read<uint32_t>(t.name + " n_dims");
        if (nDims > kMaxDims)
            fail(t.name + " n_dims", "at most " + std::to_string(kMaxDims), std::to_string(nDims));
        for (uint32_t j = 0; j < nDims; ++j) t.ne.push_back(c.read<uint64_t>(t.name + " ne"));
        if (!checkedElementCount(t.ne, t.nElements))
            fail(t.name + " ne", "dimensions whose product fits in int64", shapeString(t.ne));

        t.type = c.read<uint32_t>(t.name + " type");
        t.nBytes = tensorBytes(t, m_file);
        t.offset = c.read<uint64_t>(t.name + " offset");
        if (t.offset % m_alignment != 0)
            fail(t.name + " offset",
                 "a multiple of general.alignment " + std::to_string(m_alignment),
                 std::to_string(t.offset));
        infos.push_back(std::move(t));
    }

    // The data section starts at the next multiple of the alignment after the tensor infos.
    const uint64_t infosEnd = c.pos();
    const uint64_t dataStart = (infosEnd + m_alignment - 1) / m_alignment * m_alignment;
    const uint64_t size = m_mapped->size();
    if (tensorCount > 0 && (dataStart < infosEnd || dataStart > size))
        fail("data section",
             "a start at or before the end of the file (" + std::to_string(size) + " bytes)",
             "offset " + std::to_string(dataStart));
    m_dataStart = static_cast<size_t>(dataStart);
    const uint64_t dataSize = size - std::min(dataStart, size);

    // Tensors lie in the data section in the order of their infos, each at the previous one's
    // end padded to the alignment (as llama.cpp's gguf.cpp requires): no gaps, no overlap, no
    // two names for the same bytes.
    uint64_t expected = 0;
    for (const TensorInfo& t : infos) {
        if (t.offset != expected)
            fail(t.name + " offset",
                 std::to_string(expected) + " (the previous tensor's end, aligned to " +
                     std::to_string(m_alignment) + ")",
                 std::to_string(t.offset));
        const uint64_t padded = t.nBytes > std::numeric_limits<uint64_t>::max() - (m_alignment - 1)
                                    ? std::numeric_limits<uint64_t>::max()
                                    : (t.nBytes + m_alignment - 1) / m_alignment * m_alignment;
        if (padded > std::numeric_limits<uint64_t>::max() - expected || padded > dataSize)
            fail(t.name + " ne", "a tensor that fits in the data section of " + std::to_string(dataSize) + " bytes",
                 shapeString(t.ne));
        expected += padded;
    }

    for (TensorInfo& t : infos) {
        // offset + nBytes must stay inside the data section; compare without adding first so a
        // huge offset cannot wrap around to a small end.
        if (t.offset > dataSize || t.nBytes > dataSize - t.offset) {
            std::string actual = "bytes [" + std::to_string(t.offset) + ", ";
            actual += t.nBytes > std::numeric_limits<uint64_t>::max() - t.offset
                          ? std::string("beyond 2^64")
                          : std::to_string(t.offset + t.nBytes);
            actual += ")";
            fail(t.name + " offset",
                 "a byte range inside the data section of " + std::to_string(dataSize) + " bytes",
                 actual);
        }
        if (m_tensors.count(t.name))
            fail(t.name, "a tensor name that appears once", "a duplicate tensor name");
        std::string name = t.name;
        m_tensors.emplace(std::move(name), std::move(t));
    }
}

const KvEntry* GgufReader::find(const std::string& key) const {
    auto it = m_kv.find(key);
    return it == m_kv.end() ? nullptr : &it->second;
}

const KvEntry& GgufReader::require(const std::string& key) const {
    const KvEntry* e = find(key);
    if (!e) fail(key, "a required metadata key", "missing");
    return *e;
}

std::string GgufReader::getString(const std::string& key) const {
    const KvEntry& e = require(key);
    if (e.type != kString) fail(key, "a string", valueTypeName(e.type));
    Cursor c = cursorAt(e.valuePos);
    return std::string(c.readString(key));
}

int64_t GgufReader::getInteger(const std::string& key) const {
    const KvEntry& e = require(key);
    Cursor c = cursorAt(e.valuePos);
    switch (e.type) {
        case kU8: return c.read<uint8_t>(key);
        case kI8: return c.read<int8_t>(key);
        case kU16: return c.read<uint16_t>(key);
        case kI16: return c.read<int16_t>(key);
        case kU32: return c.read<uint32_t>(key);
        case kI32: return c.read<int32_t>(key);
        case kI64: return c.read<int64_t>(key);
        case kU64: {
            const uint64_t v = c.read<uint64_t>(key);
            if (v > uint64_t(std::numeric_limits<int64_t>::max()))
                fail(key, "a value that fits in int64", std::to_string(v));
            return int64_t(v);
        }
        default: fail(key, "an integer", valueTypeName(e.type));
    }
}

int GgufReader::getInt(const std::string& key) const {
    const int64_t v = getInteger(key);
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
        fail(key, "a value that fits in int32", std::to_string(v));
    return int(v);
}

int GgufReader::getIntOr(const std::string& key, int fallback) const {
    return find(key) ? getInt(key) : fallback;
}

double GgufReader::getFloatOr(const std::string& key, double fallback) const {
    const KvEntry* e = find(key);
    if (!e) return fallback;
    Cursor c = cursorAt(e->valuePos);
    if (e->type == kF32) return c.read<float>(key);
    if (e->type != kF64) fail(key, "an f32 or f64", valueTypeName(e->type));
    // The config holds floats: a double outside their range cannot be narrowed.
    const double v = c.read<double>(key);
    if (!(std::fabs(v) <= double(std::numeric_limits<float>::max())))
        fail(key, "a value representable as f32", std::to_string(v));
    return v;
}

std::vector<std::string> GgufReader::getStringArray(const std::string& key,
                                                    uint64_t expectedCount) const {
    const KvEntry& e = require(key);
    if (e.type != kArray || e.elemType != kString)
        fail(key, "an array of strings",
             e.type == kArray ? std::string("an array of ") + valueTypeName(e.elemType)
                              : valueTypeName(e.type));
    if (e.count != expectedCount)
        fail(key, std::to_string(expectedCount) + " entries", std::to_string(e.count));
    std::vector<std::string> out;
    out.reserve(static_cast<size_t>(e.count));
    Cursor c = cursorAt(e.valuePos);
    for (uint64_t i = 0; i < e.count; ++i) out.emplace_back(c.readString(key));
    return out;
}

std::vector<float> GgufReader::getF32Array(const std::string& key, uint64_t expectedCount) const {
    const KvEntry& e = require(key);
    if (e.type != kArray || e.elemType != kF32)
        fail(key, "an array of f32",
             e.type == kArray ? std::string("an array of ") + valueTypeName(e.elemType)
                              : valueTypeName(e.type));
    if (e.count != expectedCount)
        fail(key, std::to_string(expectedCount) + " entries", std::to_string(e.count));
    std::vector<float> out(static_cast<size_t>(e.count));
    std::memcpy(out.data(), m_mapped->data() + e.valuePos, out.size() * sizeof(float));
    return out;
}

std::vector<int> GgufReader::getI32Array(const std::string& key, uint64_t expectedCount) const {
    const KvEntry& e = require(key);
    if (e.type != kArray || (e.elemType != kI32 && e.elemType != kU32))
        fail(key, "an array of i32",
             e.type == kArray ? std::string("an array of ") + valueTypeName(e.elemType)
                              : valueTypeName(e.type));
    if (e.count != expectedCount)
        fail(key, std::to_string(expectedCount) + " entries", std::to_string(e.count));
    std::vector<int32_t> raw(static_cast<size_t>(e.count));
    std::memcpy(raw.data(), m_mapped->data() + e.valuePos, raw.size() * sizeof(int32_t));
    return std::vector<int>(raw.begin(), raw.end());
}

std::string GgufReader::getByteArray(const std::string& key) const {
    const KvEntry& e = require(key);
    if (e.type != kArray || (e.elemType != kU8 && e.elemType != kI8))
        fail(key, "an array of u8",
             e.type == kArray ? std::string("an array of ") + valueTypeName(e.elemType)
                              : valueTypeName(e.type));
    return std::string(reinterpret_cast<const char*>(m_mapped->data() + e.valuePos), static_cast<size_t>(e.count));
}

bool GgufReader::getBoolOr(const std::string& key, bool fallback) const {
    const KvEntry* e = find(key);
    if (!e) return fallback;
    if (e->type != kBool) fail(key, "a bool", valueTypeName(e->type));
    return m_mapped->data()[e->valuePos] != 0;
}

Tokenizer GgufReader::readTokenizer(uint64_t expectedVocab) const {
    const KvEntry& tokens = require("tokenizer.ggml.tokens");
    if (tokens.type != kArray) fail("tokenizer.ggml.tokens", "an array of strings", valueTypeName(tokens.type));
    const uint64_t vocab = expectedVocab ? expectedVocab : tokens.count;
    if (tokens.count != vocab)
        fail("tokenizer.ggml.tokens", std::to_string(vocab) + " tokens (the rows of token_embd.weight)",
             std::to_string(tokens.count));
    if (vocab == 0 || vocab > (uint64_t(1) << 21))
        fail("tokenizer.ggml.tokens", "1 to 2097152 tokens", std::to_string(vocab));
    const int V = int(vocab);
    const std::string kind = find("tokenizer.ggml.model") ? getString("tokenizer.ggml.model") : "llama";
    std::vector<std::string> pieces = getStringArray("tokenizer.ggml.tokens", vocab);
    std::vector<int> types = find("tokenizer.ggml.token_type") ? getI32Array("tokenizer.ggml.token_type", vocab)
                                                                : std::vector<int>{};
    // Special ids come from the file and must name tokens of its vocabulary.
    auto specialId = [&](const char* key, int fallback) {
        const int id = getIntOr(key, fallback);
        if (id < -1 || id >= V) fail(key, "an id below " + std::to_string(V), std::to_string(id));
        return id;
    };
    // Optional special ids: when present they must name a token too. "None" is -1, which
    // converters also write as the uint32 4294967295 (stories260K.gguf's padding id).
    auto optionalId = [&](const char* key) {
        if (!find(key)) return -1;
        const int64_t id = getInteger(key);
        if (id == -1 || id == int64_t(UINT32_MAX)) return -1;
        if (id < 0 || id >= V) fail(key, "-1 (none) or an id below " + std::to_string(V), std::to_string(id));
        return int(id);
    };
    Tokenizer::Special sp;
    sp.unk = optionalId("tokenizer.ggml.unknown_token_id");
    (void)optionalId("tokenizer.ggml.padding_token_id");  // validated; padding is never fed
    if (kind == "llama") {
        sp.bos = specialId("tokenizer.ggml.bos_token_id", Tokenizer::kBos);
        sp.eos = specialId("tokenizer.ggml.eos_token_id", Tokenizer::kEos);
        sp.addBos = getBoolOr("tokenizer.ggml.add_bos_token", true);
        sp.addEos = getBoolOr("tokenizer.ggml.add_eos_token", false);
        std::vector<float> scores = getF32Array("tokenizer.ggml.scores", vocab);
        return Tokenizer::fromPieces(std::move(pieces), std::move(scores), std::move(types), sp);
    }
    if (kind == "gpt2") {
        sp.bos = specialId("tokenizer.ggml.bos_token_id", -1);
        sp.eos = specialId("tokenizer.ggml.eos_token_id", -1);
        sp.addBos = getBoolOr("tokenizer.ggml.add_bos_token", false);
        sp.addEos = getBoolOr("tokenizer.ggml.add_eos_token", false);
        const KvEntry& merges = require("tokenizer.ggml.merges");
        if (merges.type != kArray) fail("tokenizer.ggml.merges", "an array of strings", valueTypeName(merges.type));
        std::vector<std::string> mergeList = getStringArray("tokenizer.ggml.merges", merges.count);
        const std::string pre = find("tokenizer.ggml.pre") ? getString("tokenizer.ggml.pre") : "";
        return Tokenizer::fromBytePairs(std::move(pieces), std::move(types), std::move(mergeList), pre, sp);
    }
    if (kind == "bert") {
        // WordPiece: [CLS] text [SEP] when special tokens are added (llama.cpp's defaults 101,
        // 102 and 100 for [UNK], as in BERT's uncased vocabulary).
        sp.bos = specialId("tokenizer.ggml.cls_token_id", find("tokenizer.ggml.bos_token_id")
                                                              ? int(getInteger("tokenizer.ggml.bos_token_id"))
                                                              : 101);
        sp.eos = specialId("tokenizer.ggml.seperator_token_id", 102);
        if (sp.unk < 0) sp.unk = specialId("tokenizer.ggml.unknown_token_id", 100);
        if (sp.bos < 0 || sp.eos < 0) fail("tokenizer.ggml.cls_token_id", "[CLS] and [SEP] ids", "none");
        sp.addBos = getBoolOr("tokenizer.ggml.add_bos_token", true);
        sp.addEos = getBoolOr("tokenizer.ggml.add_eos_token", true);
        return Tokenizer::fromWordPieces(std::move(pieces), std::move(types), sp);
    }
    if (kind == "t5") {
        // SentencePiece unigram as llama.cpp's UGM reads it: no BOS, EOS </s> (1) added, [UNK] 2,
        // the model's own normalisation rules in precompiled_charsmap.
        UnigramSpec u;
        u.pieces = std::move(pieces);
        u.scores = getF32Array("tokenizer.ggml.scores", vocab);
        u.types = std::move(types);
        if (find("tokenizer.ggml.precompiled_charsmap")) u.charsmap = getByteArray("tokenizer.ggml.precompiled_charsmap");
        u.addDummyPrefix = getBoolOr("tokenizer.ggml.add_space_prefix", true);
        u.removeExtraWhitespaces = getBoolOr("tokenizer.ggml.remove_extra_whitespaces", true);
        u.unk = sp.unk >= 0 ? sp.unk : specialId("tokenizer.ggml.unknown_token_id", V > 2 ? 2 : 0);
        sp.unk = u.unk;
        sp.bos = specialId("tokenizer.ggml.bos_token_id", -1);
        sp.eos = specialId("tokenizer.ggml.eos_token_id", V > 1 ? 1 : -1);
        sp.addBos = getBoolOr("tokenizer.ggml.add_bos_token", false);
        sp.addEos = getBoolOr("tokenizer.ggml.add_eos_token", true);
        u.bos = sp.bos;
        u.eos = sp.eos;
        return Tokenizer::fromUnigram(u, sp);
    }
    fail("tokenizer.ggml.model",
         "\"llama\" (SentencePiece), \"gpt2\" (byte-level BPE), \"bert\" (WordPiece) or \"t5\" (unigram)",
         "\"" + kind + "\"");
}

Tokenizer GgufReader::loadTokenizer() {
    Cursor c = cursorAt(0);
    uint64_t tensorCount = 0;
    parseHeaderAndMetadata(c, tensorCount);
    parseTensorInfos(c, tensorCount);
    return readTokenizer(0);
}

const TensorInfo& GgufReader::tensor(const std::string& name,
                                     std::vector<uint64_t> expectedNe) const {
    auto it = m_tensors.find(name);
    if (it == m_tensors.end())
        fail(name, "a tensor of shape " + shapeString(expectedNe), "missing");
    if (it->second.ne != expectedNe)
        fail(name + " shape", shapeString(expectedNe), shapeString(it->second.ne));
    return it->second;
}

// The tensor as float32: in place when it is float32 and 4-byte aligned, otherwise converted
// (exactly, ggml_blocks.h) into storage owned by the model. Only for small tensors (norms).
const float* GgufReader::floatData(Model& m, const TensorInfo& t) const {
    const uint8_t* src = m_mapped->data() + m_dataStart + t.offset;
    const size_t n = static_cast<size_t>(t.nElements);
    if (t.type == uint32_t(GgmlType::F32) && reinterpret_cast<uintptr_t>(src) % alignof(float) == 0)
        return reinterpret_cast<const float*>(src);
    std::vector<float> v(n);
    ggml::dequantize(GgmlType(t.type), v.data(), src, n);  // the type was checked when read
    return m.own(std::move(v));
}

// A weight [rows, cols] row-major is GGUF ne = [cols, rows]. Kept as stored, read in place from
// the mapping (whose byte range was checked when the tensor infos were read); float32 that the
// file does not align to 4 bytes is copied.
Matrix GgufReader::matrix(Model& m, const std::string& name, int rows, int cols) const {
    const TensorInfo& t = tensor(name, {uint64_t(cols), uint64_t(rows)});
    Matrix w;
    w.rows = rows;
    w.cols = cols;
    if (t.type == uint32_t(GgmlType::F32)) {
        w.f32 = floatData(m, t);
    } else {
        w.type = GgmlType(t.type);
        w.blocks = m_mapped->data() + m_dataStart + t.offset;
    }
    return w;
}

std::unique_ptr<Model> GgufReader::load() {
    Cursor c = cursorAt(0);
    uint64_t tensorCount = 0;
    parseHeaderAndMetadata(c, tensorCount);
    parseTensorInfos(c, tensorCount);

    // The architecture's own keys and tensor names (gguf_architectures.h).
    const std::string archName = getString("general.architecture");
    const GgufArchitecture* arch = findGgufArchitecture(archName);
    if (!arch) fail("general.architecture", "one of " + ggufArchitectureNames(), "\"" + archName + "\"");

    auto model = std::make_unique<Model>();
    Model& m = *model;
    m.config = readGgufConfig(*this, *arch);
    m.architecture = ggufArchitecture(*this, *arch, m.config);
    m.format = ModelFormat::Gguf;
    m.path = m_file;

    // Vocabulary: its size must agree with the embedding before any string is copied.
    Tokenizer vocabulary = readTokenizer(uint64_t(m.config.vocabSize));
    // Weights. Shapes are checked against the configuration before any conversion allocates.
    loadGgufWeights(*this, *arch, m);

    m.embeddedTokenizer = std::move(vocabulary);
    m.file = std::move(m_mapped);
    return model;
}

}  // namespace

std::unique_ptr<Model> loadGguf(const std::string& path) {
    GgufReader reader(std::make_unique<MappedFile>(path));
    return reader.load();
}

Tokenizer Tokenizer::fromGgufFile(const std::string& path) {
    GgufReader reader(std::make_unique<MappedFile>(path));
    return reader.loadTokenizer();
}

}  // namespace anatomy
