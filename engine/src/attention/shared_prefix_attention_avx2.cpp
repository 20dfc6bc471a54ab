// The shared-prefix attention kernel built with AVX2 (no FMA), chosen at start-up where the
// CPU has it (shared_prefix_attention.cpp): the fast exp's eight-wide vectors halve its cost.
#define SPA_ISA avx2
#include "attention/shared_prefix_attention_impl.h"
