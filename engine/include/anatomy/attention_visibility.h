#pragma once
// Which keys a query saw, and why not, for the views: the public face of the forward pass's
// mask (attention/attention_mask.h), so a picture draws the mask the trace ran with and never
// a copy of the rule. Query i and key j are absolute positions; nKv keys exist.
#include <string>

#include "anatomy/architecture.h"
#include "anatomy/sim_settings.h"
#include "anatomy/trace.h"

namespace anatomy {

enum class MaskReason {
    Visible,       // the query read this key
    Future,        // causal mask: the key comes after the query (j > i)
    OutsidePrefix, // prefix-LM: a later key outside the bidirectional prefix
    Window,        // sliding window: i - j >= W
    SinksWindow,   // StreamingLLM: neither a sink (j < S) nor inside the window
    Strided,       // Sparse Transformer: outside the window and (i - j) mod stride != 0
    ShiftedGroup,  // LongLoRA S²-attention: another group of G tokens
    OutOfRange,    // j < 0 or j >= nKv
};

// The settings whose mask layer `layer` of a trace ran with: its knobs, with the trained mask where
// the mask knob is at its default (simulate() keeps it: an encoder's bidirectional attention), and
// the layer's trained sparse pattern where no sparse knob is set (Gemma 2's sliding-window layers).
SimSettings visibilitySettings(const Trace& t, int layer);

// Whether query i of head h (of nHeads query heads) saw key j: the forward pass's rule.
bool attentionKeyVisible(const SimSettings& s, int nHeads, int h, int i, int j, int nKv);

// The same rule with the settings turned into the layer's attention spec once, for the many
// cells of a map (a view draws tens of thousands per head).
class AttentionVisibility {
public:
    AttentionVisibility(const SimSettings& s, int nHeads);
    bool operator()(int h, int i, int j, int nKv) const;
    // visible[j] for every key j in [0, nKv) of query i.
    void row(int h, int i, int nKv, unsigned char* visible) const;

private:
    AttentionSpec m_spec;
};
// Why query i of head h (of nHeads) did or did not see key j under settings s. Visible exactly
// when the forward pass's attentionVisible() says so; the first rule that hides the key names
// the reason (the mask before the sparse pattern).
MaskReason attentionMaskReason(const SimSettings& s, int nHeads, int h, int i, int j, int nKv);
// "in the future of the query (causal mask)", "outside the sliding window of 64 keys", ...
std::string maskReasonText(MaskReason r, const SimSettings& s);

}  // namespace anatomy
