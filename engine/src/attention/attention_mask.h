#pragma once
// Which keys a query may attend to: the mask (causal, bidirectional, prefix-LM) and the sparse
// patterns on top of it. Query i and key j are absolute positions; nKv keys exist.
//   causal         j <= i
//   bidirectional  every j < nKv (a prompt attended as a whole sees its future)
//   prefix-LM      j <= i, or both i and j inside the prefix (j < P and i < P)
//   window W       i - W < j <= i                                   (Longformer, Mistral)
//   sinks S + W    j < S or i - W < j <= i                           (StreamingLLM)
//   strided        i - j < W or (i - j) mod stride = 0               (Sparse Transformer)
//   s2, group G    same group: floor((i + o)/G) = floor((j + o)/G), o = 0 for the first half of
//                  the heads and G/2 for the second half             (LongLoRA)
//   dual-chunk     every causal key, with remapped relative positions (see dualChunkDistance)
#include "anatomy/architecture.h"
#include "anatomy/sim_settings.h"

namespace anatomy {

// Whether query i of head h sees key j under a layer's attention spec.
bool attentionVisible(const AttentionSpec& a, int h, int i, int j, int nKv);
// visible[j] = attentionVisible(a, h, i, j, nKv) for j in [0, nKv): one row of a map at once.
void attentionVisibleRow(const AttentionSpec& a, int h, int i, int nKv, unsigned char* visible);
// The same for the simulator's settings on a model with nHeads query heads.
bool attentionVisible(const SimSettings& s, int nHeads, int h, int i, int j, int nKv);

// Dual chunk attention (An et al., 2024) with chunk size c and trained context L: key positions
// restart in every chunk, P_k = j mod c. The query's position index depends on the key's chunk:
//   same chunk (intra):       P_q = i mod c
//   previous chunk (succ.):   P_q = min(i mod c + c, L - 1)
//   older chunks (inter):     P_q = L - 1
// and the relative distance the rotation sees is P_q - P_k, never more than L - 1.
int dualChunkDistance(int i, int j, int chunk, int trainedContext);

}  // namespace anatomy
