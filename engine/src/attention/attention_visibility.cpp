#include "anatomy/attention_visibility.h"

#include <string>

#include "attention/attention_mask.h"

namespace anatomy {

SimSettings visibilitySettings(const Trace& t, int layer) {
    SimSettings s = t.settings;
    if (t.architecture.layers.empty()) return s;
    const size_t l = layer >= 0 && size_t(layer) < t.architecture.layers.size() ? size_t(layer) : 0;
    const AttentionSpec& ran = t.architecture.layers[l].attention;
    if (s.mask == SimSettings{}.mask) s.mask = ran.mask;
    // No sparse knob: the layer's trained pattern ran (Gemma 2's sliding-window layers alternate
    // with global ones), so the map draws that layer's window as masked.
    if (s.sparse == SparsePattern::None && ran.sparse != SparsePattern::None) {
        s.sparse = ran.sparse;
        s.window = ran.window;
    }
    return s;
}

bool attentionKeyVisible(const SimSettings& s, int nHeads, int h, int i, int j, int nKv) {
    return attentionVisible(s, nHeads, h, i, j, nKv);
}

AttentionVisibility::AttentionVisibility(const SimSettings& s, int nHeads) {
    m_spec.nHeads = nHeads;  // as attentionVisible(settings, ...) builds it
    applyAttentionKnobs(m_spec, s);
}

bool AttentionVisibility::operator()(int h, int i, int j, int nKv) const { return attentionVisible(m_spec, h, i, j, nKv); }

void AttentionVisibility::row(int h, int i, int nKv, unsigned char* visible) const {
    attentionVisibleRow(m_spec, h, i, nKv, visible);
}

MaskReason attentionMaskReason(const SimSettings& s, int nHeads, int h, int i, int j, int nKv) {
    if (j < 0 || j >= nKv) return MaskReason::OutOfRange;
    if (attentionVisible(s, nHeads, h, i, j, nKv)) return MaskReason::Visible;
    // The mask alone (no sparse pattern): does it hide the key?
    SimSettings maskOnly = s;
    maskOnly.sparse = SparsePattern::None;
    if (!attentionVisible(maskOnly, nHeads, h, i, j, nKv))
        return s.mask == AttentionMask::PrefixLm ? MaskReason::OutsidePrefix : MaskReason::Future;
    switch (s.sparse) {
        case SparsePattern::SlidingWindow: return MaskReason::Window;
        case SparsePattern::SinksWindow: return MaskReason::SinksWindow;
        case SparsePattern::BlockStrided: return MaskReason::Strided;
        case SparsePattern::ShiftedSparse: return MaskReason::ShiftedGroup;
        case SparsePattern::None:
        case SparsePattern::DualChunk: break;
    }
    return MaskReason::Future;  // not reached: those patterns hide nothing the mask shows
}

std::string maskReasonText(MaskReason r, const SimSettings& s) {
    switch (r) {
        case MaskReason::Visible: return "visible";
        case MaskReason::Future: return "in the future of the query (causal mask)";
        case MaskReason::OutsidePrefix:
            return "a later key outside the " + std::to_string(s.prefixLength) + "-token prefix (prefix-LM mask)";
        case MaskReason::Window:
            return "outside the sliding window of " + std::to_string(s.window) + " keys";
        case MaskReason::SinksWindow:
            return "neither one of the " + std::to_string(s.sinks) + " sink tokens nor inside the window of " +
                   std::to_string(s.window) + " keys";
        case MaskReason::Strided:
            return "outside the local window of " + std::to_string(s.window) + " and off the stride of " +
                   std::to_string(s.stride) + " (strided pattern)";
        case MaskReason::ShiftedGroup:
            return "in another group of " + std::to_string(s.s2Group) + " tokens (shifted sparse attention)";
        case MaskReason::OutOfRange: return "no such key";
    }
    return {};
}

}  // namespace anatomy
