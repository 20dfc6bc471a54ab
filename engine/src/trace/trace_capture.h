#pragma once
// Records what a CaptureSpec asks for while Session::forward runs (llama.cpp's eval-callback
// pattern: the forward pass offers each internal, the capture keeps what was asked for).
// Every method is a no-op without a trace, so the uncaptured path pays nothing.
#include <limits>
#include <span>
#include <vector>

#include "anatomy/model.h"
#include "anatomy/sim_settings.h"
#include "anatomy/trace.h"

namespace anatomy {

// The k largest of x[0..n) (k <= n), largest first, ties to the lower index: ids and values, as
// the logit lens and the top-k logits record them.
void topKIndices(const float* x, int n, int k, int32_t* ids, float* vals);

class TraceCapture {
public:
    // history: every token the keys will cover (cached + new), [start + T]
    // config: the architecture that runs (the simulator may change the KV heads); null = the model's.
    TraceCapture(Trace* trace, const Model& model, std::span<const int> history, int start, int T,
                 const ModelConfig* config = nullptr);
    // Hands recycled attention arrays' row states to the pool (attention_buffer_pool.h).
    ~TraceCapture();
    TraceCapture(const TraceCapture&) = delete;
    TraceCapture& operator=(const TraceCapture&) = delete;
    // The final norm the logit lens applies (the simulator may swap RMSNorm for LayerNorm).
    void setFinalNorm(NormType type, float eps) { m_normType = type; m_normEps = eps; }
    // The final logit soft-cap c the lens applies too (Gemma 2); 0 = none.
    void setFinalSoftCap(float c) { m_finalSoftCap = c; }
    bool active() const { return m_trace != nullptr; }
    // Rows of the logit lens a block on this thread while one is alive (tests: blocks smaller
    // than a small vocabulary's lensRowBlock, so a short trace crosses several); 0 = lensRowBlock.
    struct LensRowBlockOverride {
        explicit LensRowBlockOverride(int rows);
        ~LensRowBlockOverride();
        LensRowBlockOverride(const LensRowBlockOverride&) = delete;
        LensRowBlockOverride& operator=(const LensRowBlockOverride&) = delete;
        int previous;
    };
    // A trace that keeps the attention maps or their summaries (scoresRow / probsRow record).
    bool capturesAttention() const { return m_trace && m_trace->spec.attention; }

    void residualIn(int l, const float* x);          // x [T, dim]
    void attnNormOut(int l, const float* xb);        // [T, dim]
    // q [T, qDim], keys and values [nKv, kvDim]
    void queriesKeys(int l, const float* q, const float* keys, const float* values);
    // Rows go out with streaming stores: each thread that wrote some calls streamedRowsDone
    // before its work is handed on (attend's tasks, cross attention's).
    static void streamedRowsDone();
    // s [n] scaled, pre-softmax. entropyFollows: the caller hands probsRow the row's entropy
    // (KernelTable::expNormalizeEntropy), so no copy of the scores is kept for it.
    void scoresRow(int l, int h, int t, const float* s, int n, bool entropyFollows = false);
    // p [n]. scoresCaptured: scoresRow(l, h, t) holds this row's finite scores. entropy: the
    // row's -sum p ln p in nats when the caller has it (NaN: computed here).
    void probsRow(int l, int h, int t, const float* p, int n, bool scoresCaptured = false,
                  float entropy = std::numeric_limits<float>::quiet_NaN());
    void attnOut(int l, const float* o);             // [T, dim]
    void residualMid(int l, const float* x);         // [T, dim]
    void ffnNormOut(int l, const float* xb);         // [T, dim]
    void ffnActivations(int l, const float* hb);     // [T, hidden]
    void ffnOut(int l, const float* o);              // [T, dim]
    void residualOut(int l, const float* x);         // [T, dim]; also runs the logit lens
    void logits(const float* logits, int firstRow);  // [T - firstRow, vocab]

private:
    void rmsRows(FloatArray& dst, int l, const float* x, int width);
    void rmsMeanRows(FloatArray& rms, FloatArray& mean, int l, const float* x, int width);
    void lensRows(int l, const float* x);  // layer l's lens of x [T, dim], by blocks of rows
    void lensLogits(const float* x, int rows);  // m_lensLogits = lens logits of x [rows, dim]
    // softmax and top k of logits [rows, vocab] into layer l's rows t0 .. t0 + rows
    void lensTopK(int l, const float* logits, int t0, int rows);
    void poolRow(int l, int h, int t, const float* p, const float* s, int n);  // into attnThumb*
    Trace* m_trace;
    const Model& m_model;
    ModelConfig m_config;
    NormType m_normType = NormType::Rms;
    float m_normEps;
    float m_finalSoftCap = 0.0f;
    int m_T;
    int m_start;
    std::vector<float> m_lensNormed;  // [block, dim]   logit lens scratch, reused across layers
    std::vector<float> m_lensLogits;  // [block, vocab] (lensRowBlock rows)
    const float* m_lensDeferred = nullptr;
    // Per layer, per (head, query) row of a recycled attention array: its entries from here on
    // already hold the mask's fill value (attention_buffer_pool.h); empty = a new array.
    // Summary thumbnails (spec.wholeLayers set): each query row's thumbnail row, and the first
    // key of each thumbnail column [tw + 1].
    std::vector<int> m_thumbRow, m_thumbKey;
    std::vector<std::vector<int>> m_scoresFilled, m_probsFilled;  // [L][nHeads * T]  // [T, dim] the last layer's output, lens taken in logits()
};

}  // namespace anatomy
