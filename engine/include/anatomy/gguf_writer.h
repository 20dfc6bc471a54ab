#pragma once
// A GGUF (version 3) writer: metadata of every GGUF value type and tensors of any ggml type given
// as their stored bytes, laid out as llama.cpp's gguf.cpp writes them:
//   "GGUF" | u32 3 | u64 n_tensors | u64 n_kv | kv pairs in insertion order | tensor infos |
//   zero padding to the alignment | data: each tensor at an offset that is a multiple of the
//   alignment (each one zero-padded to it), in the order of the infos.
// general.alignment is written only when it is not the default 32 (llama.cpp reads 32 then).
// Synthetic models (synth_gguf.h) and the trainer write their files with it.
#include <cstdint>
#include <string>
#include <vector>

#include "anatomy/ggml_type.h"  // GgmlType

namespace anatomy {

// GGUF metadata value types (gguf.h's gguf_type).
enum class GgufType : uint32_t {
    U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32 = 6, Bool = 7,
    String = 8, Array = 9, U64 = 10, I64 = 11, F64 = 12,
};

// Values per block and bytes per block of a ggml type (F32: 1 and 4, Q4_K: 256 and 144); throws
// Error for a type number without a fixed layout.
struct GgmlBlock {
    uint64_t values;
    uint64_t bytes;
};
GgmlBlock ggmlBlock(uint32_t type);

class GgufWriter {
public:
    // alignment: a power of two (llama.cpp's default 32).
    explicit GgufWriter(uint32_t alignment = 32);

    // Scalars. A key may be added once; a second add throws Error.
    void addU8(const std::string& key, uint8_t v);
    void addI8(const std::string& key, int8_t v);
    void addU16(const std::string& key, uint16_t v);
    void addI16(const std::string& key, int16_t v);
    void addU32(const std::string& key, uint32_t v);
    void addI32(const std::string& key, int32_t v);
    void addF32(const std::string& key, float v);
    void addBool(const std::string& key, bool v);
    void addString(const std::string& key, const std::string& v);
    void addU64(const std::string& key, uint64_t v);
    void addI64(const std::string& key, int64_t v);
    void addF64(const std::string& key, double v);
    // Arrays: of strings, or of count values of a scalar type given as their little-endian bytes
    // (count * size of one value). Arrays of arrays are not part of GGUF as llama.cpp reads it.
    void addStringArray(const std::string& key, const std::vector<std::string>& v);
    void addArray(const std::string& key, GgufType elementType, const void* data, uint64_t count);
    void addF32Array(const std::string& key, const std::vector<float>& v);
    void addI32Array(const std::string& key, const std::vector<int32_t>& v);

    // A tensor: ne[0] fastest (a row-major [rows, cols] matrix is ne = {cols, rows}), bytes as
    // stored. Throws Error when ne[0] is not a multiple of the type's block or the byte count is
    // not what the shape needs, or the name was used before.
    void addTensor(const std::string& name, std::vector<uint64_t> ne, uint32_t ggmlType,
                   std::vector<uint8_t> bytes);
    void addTensorF32(const std::string& name, std::vector<uint64_t> ne, const std::vector<float>& values);

    // Editing before writing (hand-made corrupt fixtures): whether a key or tensor is there, and
    // taking one out again (false when there was none).
    bool hasKey(const std::string& key) const;
    bool removeKey(const std::string& key);
    bool removeTensor(const std::string& name);

    // The whole file.
    std::vector<uint8_t> bytes() const;
    // Writes bytes() to path; throws Error naming the path when it cannot.
    void write(const std::string& path) const;

private:
    struct Tensor {
        std::string name;
        std::vector<uint64_t> ne;
        uint32_t type;
        std::vector<uint8_t> data;
    };
    struct Entry {
        std::string key;
        std::vector<uint8_t> encoded;  // key, type and value as the file holds them
    };
    // Starts the entry of a new key; the value is appended to the returned bytes.
    std::vector<uint8_t>& startKey(const std::string& key, GgufType type);

    uint32_t m_alignment;
    std::vector<Entry> m_kv;  // in insertion order
    std::vector<Tensor> m_tensors;
};

}  // namespace anatomy
