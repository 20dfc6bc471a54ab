#pragma once
// Rotary position embedding (Su et al., 2021), adjacent-pair layout as llama2.c and GGUF llama:
// the pair (x[2i], x[2i+1]) of a head is rotated by the angle pos · θ_i with
//   θ_i = base^(-2i / d_head),   i = 0 .. d_head/2 - 1
//   x'[2i]   = x[2i] cos(pos θ_i) - x[2i+1] sin(pos θ_i)
//   x'[2i+1] = x[2i] sin(pos θ_i) + x[2i+1] cos(pos θ_i)
// cos/sin are tabulated per position, computed in float exactly as run.c does.
// The half-split layout (llama.cpp's NEOX rope type: GPT-NeoX, Qwen 2, Phi-3, Gemma 2) pairs
// x[i] with x[i + d/2] instead, with the same angles:
//   x'[i]       = x[i] cos(pos θ_i) - x[i + d/2] sin(pos θ_i)
//   x'[i + d/2] = x[i] sin(pos θ_i) + x[i + d/2] cos(pos θ_i)
// With partial rotary (Pythia) d < d_head: only the first d dims rotate, θ_i = base^(-2i/d).
#include <cmath>
#include <utility>
#include <vector>

namespace anatomy {

class RopeTable {
public:
    RopeTable() = default;
    RopeTable(int headSize, float base) : m_headSize(headSize), m_base(base) {
        for (int i = 0; i < headSize; i += 2)
            m_freq.push_back(1.0f / std::pow(base, float(i) / float(headSize)));
    }
    // From given per-pair frequencies θ_i (scaled RoPE, see rope_scaling.h). [headSize / 2]
    explicit RopeTable(std::vector<float> freq)
        : m_headSize(int(freq.size() * 2)), m_freq(std::move(freq)) {}
    // Makes positions [0, n) available.
    void ensure(int n) {
        const size_t half = m_freq.size();
        for (int pos = m_rows; pos < n; ++pos)
            for (size_t i = 0; i < half; ++i) {
                const float angle = float(pos) * m_freq[i];
                m_cos.push_back(std::cos(angle));
                m_sin.push_back(std::sin(angle));
            }
        if (n > m_rows) m_rows = n;
    }
    // Rotates one head vector x [headSize] to position pos. Rows beyond the table (dual chunk
    // attention reaches a trained context past the last key) are computed on the spot, with
    // the same float expressions, so no table grows with the file's claimed context.
    void rotate(float* x, int pos) const {
        const size_t half = m_freq.size();
        if (pos >= m_rows) {
            for (size_t i = 0; i < half; ++i) {
                const float angle = float(pos) * m_freq[i];
                const float c = std::cos(angle), s = std::sin(angle);
                const float v0 = x[2 * i], v1 = x[2 * i + 1];
                x[2 * i] = v0 * c - v1 * s;
                x[2 * i + 1] = v0 * s + v1 * c;
            }
            return;
        }
        const float* c = &m_cos[size_t(pos) * half];
        const float* s = &m_sin[size_t(pos) * half];
        for (size_t i = 0; i < half; ++i) {
            const float v0 = x[2 * i], v1 = x[2 * i + 1];
            x[2 * i] = v0 * c[i] - v1 * s[i];
            x[2 * i + 1] = v0 * s[i] + v1 * c[i];
        }
    }
    // The half-split layout: pairs (x[i], x[i + half]), half = the number of frequencies.
    void rotateHalves(float* x, int pos) const {
        const size_t half = m_freq.size();
        for (size_t i = 0; i < half; ++i) {
            float c, s;
            if (pos >= m_rows) {
                const float angle = float(pos) * m_freq[i];
                c = std::cos(angle);
                s = std::sin(angle);
            } else {
                c = m_cos[size_t(pos) * half + i];
                s = m_sin[size_t(pos) * half + i];
            }
            const float v0 = x[i], v1 = x[i + half];
            x[i] = v0 * c - v1 * s;
            x[i + half] = v0 * s + v1 * c;
        }
    }
    const std::vector<float>& frequencies() const { return m_freq; }  // [headSize / 2]

private:
    int m_headSize = 0;
    float m_base = 10000.0f;
    int m_rows = 0;
    std::vector<float> m_freq;  // [headSize / 2]
    std::vector<float> m_cos;   // [rows, headSize / 2]
    std::vector<float> m_sin;   // [rows, headSize / 2]
};

}  // namespace anatomy
