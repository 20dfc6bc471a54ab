#include "attention/shared_prefix_attention.h"

#include <cstring>
#include <vector>

#include "anatomy/kernels.h"

#define SPA_ISA baseline
#include "attention/shared_prefix_attention_impl.h"
#undef SPA_ISA

namespace anatomy {

namespace shared_prefix::avx2 {  // shared_prefix_attention_avx2.cpp
void attend(const SharedPrefixRows& in);
void attendHeads(const SharedPrefixRows& in, int hBegin, int hEnd);
void scoreKeys(const KeyScores& k);
void softmax(float* row, int n);
}

bool sharedPrefixApplies(const AttentionSpec& spec, bool exactSoftmax) {
    // chooseAttention()'s one-token float decode: causal rows with the fast exp.
    return spec.kernel != AttentionKernel::Linear && spec.plain() && !exactSoftmax && spec.headSize <= kMaxHeadSize;
}

float* sharedPrefixScratch(size_t n) {
    thread_local std::vector<float> scratch;
    if (scratch.size() < n) scratch.resize(n);
    return scratch.data();
}

bool sharedPrefixAvx2() {
    // Chosen once, with the kernel table (ANATOMY_KERNELS=scalar keeps the baseline build).
    static const bool avx2 = std::strcmp(kernels::activeKernels().name, "scalar") != 0;
    return avx2;
}

void attendSharedPrefix(const SharedPrefixRows& in) {
    if (sharedPrefixAvx2()) shared_prefix::avx2::attend(in);
    else shared_prefix::baseline::attend(in);
}

void attendSharedPrefixHeads(const SharedPrefixRows& in, int hBegin, int hEnd) {
    if (sharedPrefixAvx2()) shared_prefix::avx2::attendHeads(in, hBegin, hEnd);
    else shared_prefix::baseline::attendHeads(in, hBegin, hEnd);
}

void attendSharedPrefixBaseline(const SharedPrefixRows& in) { shared_prefix::baseline::attend(in); }

void scoreKeys(const KeyScores& k) {
    if (sharedPrefixAvx2()) shared_prefix::avx2::scoreKeys(k);
    else shared_prefix::baseline::scoreKeys(k);
}

void scoreKeysBaseline(const KeyScores& k) { shared_prefix::baseline::scoreKeys(k); }

void softmaxDecodeRow(float* row, int n) {
    if (sharedPrefixAvx2()) shared_prefix::avx2::softmax(row, n);
    else shared_prefix::baseline::softmax(row, n);
}

void softmaxDecodeRowBaseline(float* row, int n) { shared_prefix::baseline::softmax(row, n); }

}  // namespace anatomy
