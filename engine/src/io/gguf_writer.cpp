#include "anatomy/gguf_writer.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>

#include "anatomy/error.h"

namespace anatomy {

namespace {

static_assert(std::endian::native == std::endian::little, "GGUF is written little-endian from host integers");

void putBytes(std::vector<uint8_t>& out, const void* p, size_t n) {
    const size_t at = out.size();
    out.resize(at + n);
    if (n) std::memcpy(out.data() + at, p, n);
}

template <class T>
void put(std::vector<uint8_t>& out, T v) {
    putBytes(out, &v, sizeof(T));
}

void putString(std::vector<uint8_t>& out, const std::string& s) {
    put<uint64_t>(out, s.size());
    putBytes(out, s.data(), s.size());
}

uint64_t scalarSize(GgufType t) {
    switch (t) {
        case GgufType::U8: case GgufType::I8: case GgufType::Bool: return 1;
        case GgufType::U16: case GgufType::I16: return 2;
        case GgufType::U32: case GgufType::I32: case GgufType::F32: return 4;
        case GgufType::U64: case GgufType::I64: case GgufType::F64: return 8;
        default: return 0;
    }
}

uint64_t alignUp(uint64_t n, uint64_t a) { return (n + a - 1) / a * a; }

}  // namespace

GgmlBlock ggmlBlock(uint32_t type) {
    switch (GgmlType(type)) {
        case GgmlType::F32: return {1, 4};
        case GgmlType::F16: return {1, 2};
        case GgmlType::BF16: return {1, 2};
        case GgmlType::Q4_0: return {32, 18};   // f16 d, 16 bytes of nibbles
        case GgmlType::Q4_1: return {32, 20};   // f16 d, f16 m, 16 bytes
        case GgmlType::Q5_0: return {32, 22};   // f16 d, 4 bytes high bits, 16 bytes
        case GgmlType::Q5_1: return {32, 24};
        case GgmlType::Q8_0: return {32, 34};   // f16 d, 32 x i8
        case GgmlType::Q8_1: return {32, 36};
        case GgmlType::Q2_K: return {256, 84};
        case GgmlType::Q3_K: return {256, 110};
        case GgmlType::Q4_K: return {256, 144};
        case GgmlType::Q5_K: return {256, 176};
        case GgmlType::Q6_K: return {256, 210};
        case GgmlType::Q8_K: return {256, 292};
        case GgmlType::I8: return {1, 1};
        case GgmlType::I16: return {1, 2};
        case GgmlType::I32: return {1, 4};
        case GgmlType::I64: return {1, 8};
        case GgmlType::F64: return {1, 8};
        default: break;  // the IQ and TQ types: lattice codebooks, not written here
    }
    throw Error("GGUF writer: ggml type " + std::to_string(type) + " has no fixed block layout this writer knows");
}

GgufWriter::GgufWriter(uint32_t alignment) : m_alignment(alignment) {
    if (alignment == 0 || (alignment & (alignment - 1)) != 0)
        throw Error("GGUF writer: alignment must be a power of two, got " + std::to_string(alignment));
    if (alignment != 32) addU32("general.alignment", alignment);
}

std::vector<uint8_t>& GgufWriter::startKey(const std::string& key, GgufType type) {
    if (key.empty()) throw Error("GGUF writer: empty metadata key");
    if (hasKey(key)) throw Error("GGUF writer: metadata key " + key + " added twice");
    m_kv.push_back(Entry{key, {}});
    std::vector<uint8_t>& out = m_kv.back().encoded;
    putString(out, key);
    put<uint32_t>(out, uint32_t(type));
    return out;
}

void GgufWriter::addU8(const std::string& k, uint8_t v) { put(startKey(k, GgufType::U8), v); }
void GgufWriter::addI8(const std::string& k, int8_t v) { put(startKey(k, GgufType::I8), v); }
void GgufWriter::addU16(const std::string& k, uint16_t v) { put(startKey(k, GgufType::U16), v); }
void GgufWriter::addI16(const std::string& k, int16_t v) { put(startKey(k, GgufType::I16), v); }
void GgufWriter::addU32(const std::string& k, uint32_t v) { put(startKey(k, GgufType::U32), v); }
void GgufWriter::addI32(const std::string& k, int32_t v) { put(startKey(k, GgufType::I32), v); }
void GgufWriter::addF32(const std::string& k, float v) { put(startKey(k, GgufType::F32), v); }
void GgufWriter::addBool(const std::string& k, bool v) { put<uint8_t>(startKey(k, GgufType::Bool), v ? 1 : 0); }
void GgufWriter::addU64(const std::string& k, uint64_t v) { put(startKey(k, GgufType::U64), v); }
void GgufWriter::addI64(const std::string& k, int64_t v) { put(startKey(k, GgufType::I64), v); }
void GgufWriter::addF64(const std::string& k, double v) { put(startKey(k, GgufType::F64), v); }

void GgufWriter::addString(const std::string& k, const std::string& v) { putString(startKey(k, GgufType::String), v); }

void GgufWriter::addStringArray(const std::string& k, const std::vector<std::string>& v) {
    std::vector<uint8_t>& out = startKey(k, GgufType::Array);
    put<uint32_t>(out, uint32_t(GgufType::String));
    put<uint64_t>(out, v.size());
    for (const std::string& s : v) putString(out, s);
}

void GgufWriter::addArray(const std::string& k, GgufType elementType, const void* data, uint64_t count) {
    const uint64_t size = scalarSize(elementType);
    if (size == 0)
        throw Error("GGUF writer: " + k + ": array elements must be a scalar type, got type " +
                    std::to_string(uint32_t(elementType)));
    std::vector<uint8_t>& out = startKey(k, GgufType::Array);
    put<uint32_t>(out, uint32_t(elementType));
    put<uint64_t>(out, count);
    putBytes(out, data, count * size);
}

void GgufWriter::addF32Array(const std::string& k, const std::vector<float>& v) {
    addArray(k, GgufType::F32, v.data(), v.size());
}

void GgufWriter::addI32Array(const std::string& k, const std::vector<int32_t>& v) {
    addArray(k, GgufType::I32, v.data(), v.size());
}

bool GgufWriter::hasKey(const std::string& key) const {
    return std::any_of(m_kv.begin(), m_kv.end(), [&](const Entry& e) { return e.key == key; });
}

bool GgufWriter::removeKey(const std::string& key) {
    const auto it = std::find_if(m_kv.begin(), m_kv.end(), [&](const Entry& e) { return e.key == key; });
    if (it == m_kv.end()) return false;
    m_kv.erase(it);
    return true;
}

bool GgufWriter::removeTensor(const std::string& name) {
    const auto it = std::find_if(m_tensors.begin(), m_tensors.end(), [&](const Tensor& t) { return t.name == name; });
    if (it == m_tensors.end()) return false;
    m_tensors.erase(it);
    return true;
}

void GgufWriter::addTensor(const std::string& name, std::vector<uint64_t> ne, uint32_t ggmlType,
                           std::vector<uint8_t> bytes) {
    if (name.empty()) throw Error("GGUF writer: empty tensor name");
    for (const Tensor& t : m_tensors)
        if (t.name == name) throw Error("GGUF writer: tensor " + name + " added twice");
    if (ne.empty() || ne.size() > 4)
        throw Error("GGUF writer: " + name + ": 1 to 4 dimensions, got " + std::to_string(ne.size()));
    const GgmlBlock b = ggmlBlock(ggmlType);
    if (ne[0] % b.values != 0)
        throw Error("GGUF writer: " + name + ": ne[0] = " + std::to_string(ne[0]) + " is not a multiple of " +
                    std::to_string(b.values) + " (the block size of type " + std::to_string(ggmlType) + ")");
    uint64_t n = 1;
    for (uint64_t d : ne) n *= d;
    const uint64_t expected = n / b.values * b.bytes;
    if (bytes.size() != expected)
        throw Error("GGUF writer: " + name + ": " + std::to_string(expected) + " bytes for its shape, got " +
                    std::to_string(bytes.size()));
    m_tensors.push_back(Tensor{name, std::move(ne), ggmlType, std::move(bytes)});
}

void GgufWriter::addTensorF32(const std::string& name, std::vector<uint64_t> ne, const std::vector<float>& values) {
    std::vector<uint8_t> b(values.size() * sizeof(float));
    std::memcpy(b.data(), values.data(), b.size());
    addTensor(name, std::move(ne), uint32_t(GgmlType::F32), std::move(b));
}

std::vector<uint8_t> GgufWriter::bytes() const {
    std::vector<uint8_t> out;
    putBytes(out, "GGUF", 4);
    put<uint32_t>(out, 3);
    put<uint64_t>(out, m_tensors.size());
    put<uint64_t>(out, m_kv.size());
    for (const Entry& e : m_kv) putBytes(out, e.encoded.data(), e.encoded.size());
    // Tensor infos: name | n_dims | ne[] | type | offset into the data section.
    uint64_t offset = 0;
    for (const Tensor& t : m_tensors) {
        putString(out, t.name);
        put<uint32_t>(out, uint32_t(t.ne.size()));
        for (uint64_t d : t.ne) put<uint64_t>(out, d);
        put<uint32_t>(out, t.type);
        put<uint64_t>(out, offset);
        offset += alignUp(t.data.size(), m_alignment);
    }
    out.resize(alignUp(out.size(), m_alignment), 0);
    for (const Tensor& t : m_tensors) {
        putBytes(out, t.data.data(), t.data.size());
        out.resize(alignUp(out.size(), m_alignment), 0);
    }
    return out;
}

void GgufWriter::write(const std::string& path) const {
    const std::vector<uint8_t> b = bytes();
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) throw Error(path + ": cannot open for writing");
    f.write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
    if (!f) throw Error(path + ": write failed");
}

}  // namespace anatomy
