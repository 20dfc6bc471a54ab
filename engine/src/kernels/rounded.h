#pragma once
// Keeps v a rounded float: no FMA contraction may fuse a product into the sum that follows,
// whatever the file's flags (the AVX2 files are built with -mfma). The int8 path (llama2.c's
// runq.c rounds every product before adding it) and the Q8_K terms (q8_k.h) both need it.
namespace anatomy {

inline float rounded(float v) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    asm("" : "+x"(v));
    return v;
#else
    volatile float r = v;
    return r;
#endif
}

}  // namespace anatomy
