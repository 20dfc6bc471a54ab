// The ggml type table: block sizes and bytes as gguf-py's GGML_QUANT_SIZES gives them
// (llama.cpp c392e5094, gguf-py/gguf/constants.py).
#include "anatomy/ggml_type.h"

#include <iterator>

namespace anatomy {
namespace {

constexpr int kQK = 256;  // values per k-quant super-block (QK_K)

constexpr GgmlTypeInfo kTypes[] = {
    {GgmlType::F32, "F32", 1, 4, true},
    {GgmlType::F16, "F16", 1, 2, true},
    {GgmlType::BF16, "BF16", 1, 2, true},
    {GgmlType::Q4_0, "Q4_0", 32, 2 + 16, true},
    {GgmlType::Q4_1, "Q4_1", 32, 2 + 2 + 16, true},
    {GgmlType::Q5_0, "Q5_0", 32, 2 + 4 + 16, true},
    {GgmlType::Q5_1, "Q5_1", 32, 2 + 2 + 4 + 16, true},
    {GgmlType::Q8_0, "Q8_0", 32, 2 + 32, true},
    {GgmlType::Q2_K, "Q2_K", kQK, 2 + 2 + kQK / 16 + kQK / 4, true},
    {GgmlType::Q3_K, "Q3_K", kQK, 2 + kQK / 4 + kQK / 8 + 12, true},
    {GgmlType::Q4_K, "Q4_K", kQK, 2 + 2 + kQK / 2 + 12, true},
    {GgmlType::Q5_K, "Q5_K", kQK, 2 + 2 + kQK / 2 + kQK / 8 + 12, true},
    {GgmlType::Q6_K, "Q6_K", kQK, 2 + kQK / 2 + kQK / 4 + kQK / 16, true},
    // Known to ggml, not read here: named in the error a file holding one gets.
    {GgmlType::Q8_1, "Q8_1", 32, 4 + 4 + 32, false},
    {GgmlType::Q8_K, "Q8_K", kQK, 4 + kQK + kQK / 8, false},
    {GgmlType::IQ2_XXS, "IQ2_XXS", kQK, 2 + kQK / 4, false},
    {GgmlType::IQ2_XS, "IQ2_XS", kQK, 2 + kQK / 4 + kQK / 32, false},
    {GgmlType::IQ3_XXS, "IQ3_XXS", kQK, 2 + kQK / 4 + kQK / 8, false},
    {GgmlType::IQ1_S, "IQ1_S", kQK, 2 + kQK / 8 + kQK / 16, false},
    {GgmlType::IQ4_NL, "IQ4_NL", 32, 2 + 16, false},
    {GgmlType::IQ3_S, "IQ3_S", kQK, 2 + kQK / 4 + kQK / 8 + kQK / 32 + 4, false},
    {GgmlType::IQ2_S, "IQ2_S", kQK, 2 + kQK / 4 + kQK / 16, false},
    {GgmlType::IQ4_XS, "IQ4_XS", kQK, 2 + 2 + kQK / 2 + kQK / 64, false},
    {GgmlType::I8, "I8", 1, 1, false},
    {GgmlType::I16, "I16", 1, 2, false},
    {GgmlType::I32, "I32", 1, 4, false},
    {GgmlType::I64, "I64", 1, 8, false},
    {GgmlType::F64, "F64", 1, 8, false},
    {GgmlType::IQ1_M, "IQ1_M", kQK, kQK / 8 + kQK / 16 + kQK / 32, false},
    {GgmlType::TQ1_0, "TQ1_0", kQK, 2 + 4 * 13, false},
    {GgmlType::TQ2_0, "TQ2_0", kQK, 2 + 64, false},
};

}  // namespace

const GgmlTypeInfo* ggmlTypeInfo(uint32_t id) {
    for (const GgmlTypeInfo& t : kTypes)
        if (uint32_t(t.type) == id) return &t;
    return nullptr;
}

std::string ggmlTypeName(uint32_t id) {
    const GgmlTypeInfo* t = ggmlTypeInfo(id);
    return std::string(t ? t->name : "unknown type") + " (" + std::to_string(id) + ")";
}

std::string supportedGgmlTypes() {
    std::string s;
    for (const GgmlTypeInfo& t : kTypes)
        if (t.supported) s += (s.empty() ? "" : ", ") + std::string(t.name);
    return s;
}

}  // namespace anatomy
