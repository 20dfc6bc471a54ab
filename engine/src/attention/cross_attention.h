#pragma once
// Attention as T5 computes it (encoder_decoder.h), for its three uses:
//   encoder self-attention   keys = the input,          every key visible,  + relative bias
//   decoder self-attention   keys = the decoder's cache, keys j <= i visible, + relative bias
//   cross-attention          keys = the encoder output,  every key visible,  no bias
// per head h, query i:  s_j = scale q_i . k_j + B[bucket(j - i), h];  p = softmax(s);  o_i = sum_j p_j v_j
// T5's scale is 1: no 1/sqrt(d_k) (its initialisation folds it into W_q).
#include "anatomy/nd_array.h"

namespace anatomy {

class TraceCapture;

struct AttentionRows {
    const float* q = nullptr;       // [nQ, nHeads * headSize]
    const float* keys = nullptr;    // [nK, nKvHeads * headSize]
    const float* values = nullptr;  // [nK, nKvHeads * headSize]
    int nQ = 0, nK = 0, nHeads = 0, nKvHeads = 0, headSize = 0;
    float scale = 1.0f;
    int queryStart = 0;             // position of query row 0 (keys are at 0 .. nK-1)
    bool causal = false;            // keys after the query are masked
    const float* biasTable = nullptr;  // [nBuckets, nHeads] relative bias; null = none (cross-attention)
    int nBuckets = 0, maxDistance = 128;
    bool bidirectional = false;     // the bucket rule (relative_position.h)
    float* out = nullptr;           // [nQ, nHeads * headSize]
    // Optional records: [nHeads, nQ, nK] arrays written row by row, or the decoder's TraceCapture.
    FloatArray* scores = nullptr;
    FloatArray* probs = nullptr;
    TraceCapture* cap = nullptr;
    int layer = 0;
};

void attendRows(const AttentionRows& a);

}  // namespace anatomy
