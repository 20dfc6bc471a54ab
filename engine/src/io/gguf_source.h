#pragma once
// What the per-architecture mapping (gguf_architectures.h) reads from a parsed GGUF file: typed
// metadata and shape-checked tensors. The GGUF loader (gguf_loader.cpp) implements it over the
// mapped file; every accessor throws FormatError naming the key or tensor.
#include <cstdint>
#include <string>
#include <vector>

#include "anatomy/model.h"

namespace anatomy {

class GgufSource {
public:
    virtual ~GgufSource() = default;
    virtual const std::string& fileName() const = 0;
    [[noreturn]] virtual void fail(const std::string& field, const std::string& expected,
                                   const std::string& actual) const = 0;

    virtual bool hasKey(const std::string& key) const = 0;
    virtual std::string getString(const std::string& key) const = 0;
    virtual int64_t getInteger(const std::string& key) const = 0;  // any integer type
    virtual int getInt(const std::string& key) const = 0;          // fits in int32
    virtual int getIntOr(const std::string& key, int fallback) const = 0;
    virtual double getFloatOr(const std::string& key, double fallback) const = 0;
    virtual bool getBoolOr(const std::string& key, bool fallback) const = 0;

    // ne of a tensor (ne[0] fastest), or null when the file has none of that name.
    virtual const std::vector<uint64_t>* tensorShape(const std::string& name) const = 0;
    // The tensor as float32 [its elements], after checking its shape is exactly ne.
    virtual const float* floatTensor(Model& m, const std::string& name, std::vector<uint64_t> ne) const = 0;
    // A weight [rows, cols] (GGUF ne = {cols, rows}) in whatever form the loader keeps it.
    virtual Matrix matrix(Model& m, const std::string& name, int rows, int cols) const = 0;
};

}  // namespace anatomy
