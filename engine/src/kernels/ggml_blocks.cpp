// Exact dequantization of ggml blocks (layouts in ggml_blocks.h), one function per type. Each
// follows gguf-py's dequantize_blocks operation by operation, so the floats agree bit for bit.
#include "kernels/ggml_blocks.h"

#include <stdexcept>

namespace anatomy::ggml {
namespace {

// ---- 32-value blocks -----------------------------------------------------------------------
void q4_0(float* y, const uint8_t* b) {  // d, qs[16]
    const float d = half(b);
    for (int j = 0; j < 16; ++j) {
        y[j] = d * float((b[2 + j] & 0xF) - 8);
        y[j + 16] = d * float((b[2 + j] >> 4) - 8);
    }
}

void q4_1(float* y, const uint8_t* b) {  // d, m, qs[16]
    const float d = half(b), m = half(b + 2);
    for (int j = 0; j < 16; ++j) {
        y[j] = d * float(b[4 + j] & 0xF) + m;
        y[j + 16] = d * float(b[4 + j] >> 4) + m;
    }
}

uint32_t bits32(const uint8_t* p) {
    uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

void q5_0(float* y, const uint8_t* b) {  // d, qh[4], qs[16]
    const float d = half(b);
    const uint32_t qh = bits32(b + 2);
    for (int j = 0; j < 16; ++j) {
        const int lo = (b[6 + j] & 0xF) | int((qh >> j) & 1) << 4;
        const int hi = (b[6 + j] >> 4) | int((qh >> (j + 16)) & 1) << 4;
        y[j] = d * float(lo - 16);
        y[j + 16] = d * float(hi - 16);
    }
}

void q5_1(float* y, const uint8_t* b) {  // d, m, qh[4], qs[16]
    const float d = half(b), m = half(b + 2);
    const uint32_t qh = bits32(b + 4);
    for (int j = 0; j < 16; ++j) {
        const int lo = (b[8 + j] & 0xF) | int((qh >> j) & 1) << 4;
        const int hi = (b[8 + j] >> 4) | int((qh >> (j + 16)) & 1) << 4;
        y[j] = d * float(lo) + m;
        y[j + 16] = d * float(hi) + m;
    }
}

void q8_0(float* y, const uint8_t* b) {  // d, qs[32]
    const float d = half(b);
    for (int j = 0; j < 32; ++j) y[j] = float(int8_t(b[2 + j])) * d;
}

// ---- 256-value super-blocks ----------------------------------------------------------------
// The k-quants below take each sub-block's scale once: the same float operations, in the same
// order, as computing it per element.
void q2_K(float* y, const uint8_t* b) {  // scales[16], qs[64], d, dmin
    const uint8_t* scales = b;
    const uint8_t* qs = b + 16;
    const float d = half(b + 80), dmin = half(b + 82);
    for (int s = 0; s < 16; ++s) {
        // element i = half * 128 + shift * 32 + l: bits 2 shift of qs[half * 32 + l]; s = i / 16
        const int hf = s / 8, sh = (s % 8) / 2, l0 = (s % 2) * 16;
        const float dl = d * float(scales[s] & 0xF), ml = dmin * float(scales[s] >> 4);
        for (int l = l0; l < l0 + 16; ++l)
            y[s * 16 + l - l0] = dl * float((qs[hf * 32 + l] >> (2 * sh)) & 3) - ml;
    }
}

void q3_K(float* y, const uint8_t* b) {  // hmask[32], qs[64], scales[12], d
    const uint8_t* hmask = b;
    const uint8_t* qs = b + 32;
    const uint8_t* scales = b + 96;
    const float d = half(b + 108);
    for (int s = 0; s < 16; ++s) {
        const int hf = s / 8, sh = (s % 8) / 2, l0 = (s % 2) * 16;
        const float dl = d * float(scaleQ3K(s, scales));
        for (int l = l0; l < l0 + 16; ++l) {
            const int low = (qs[hf * 32 + l] >> (2 * sh)) & 3;
            const int high = (hmask[l] >> (hf * 4 + sh)) & 1;  // 1: no offset, 0: minus 4
            y[s * 16 + l - l0] = dl * float(low - ((high ^ 1) << 2));
        }
    }
}

void q4_K(float* y, const uint8_t* b) {  // d, dmin, scales[12], qs[128]
    const float d = half(b), dmin = half(b + 2);
    const uint8_t* qs = b + 16;
    for (int s = 0; s < 8; ++s) {
        uint8_t sc, m;
        scaleMinK4(s, b + 4, sc, m);
        const float dl = d * float(sc), ml = dmin * float(m);
        // sub-block s = 2 c + h: nibble h of qs[c * 32 + l]
        const int c = s / 2, h = s % 2;
        for (int l = 0; l < 32; ++l)
            y[s * 32 + l] = dl * float((qs[c * 32 + l] >> (4 * h)) & 0xF) - ml;
    }
}

void q5_K(float* y, const uint8_t* b) {  // d, dmin, scales[12], qh[32], qs[128]
    const float d = half(b), dmin = half(b + 2);
    const uint8_t* qh = b + 16;
    const uint8_t* qs = b + 48;
    for (int s = 0; s < 8; ++s) {
        uint8_t sc, m;
        scaleMinK4(s, b + 4, sc, m);
        const float dl = d * float(sc), ml = dmin * float(m);
        const int c = s / 2, h = s % 2;
        for (int l = 0; l < 32; ++l) {
            const int q = ((qs[c * 32 + l] >> (4 * h)) & 0xF) | ((qh[l] >> s) & 1) << 4;
            y[s * 32 + l] = dl * float(q) - ml;
        }
    }
}

void q6_K(float* y, const uint8_t* b) {  // ql[128], qh[64], scales[16], d
    const int8_t* scales = reinterpret_cast<const int8_t*>(b + 192);
    const float d = half(b + 208);
    float dl[16];
    for (int s = 0; s < 16; ++s) dl[s] = d * float(scales[s]);
    for (int hf = 0; hf < 2; ++hf) {
        // element hf * 128 + j * 32 + l: nibble (j / 2) of ql[hf * 64 + (j % 2) * 32 + l] and
        // bits 2 j of qh[hf * 32 + l]; sub-block hf * 8 + 2 j + l / 16
        const uint8_t* ql = b + 64 * hf;
        const uint8_t* qh = b + 128 + 32 * hf;
        float* out = y + 128 * hf;
        for (int l = 0; l < 32; ++l) {
            const int q1 = ((ql[l] & 0xF) | ((qh[l] & 3) << 4)) - 32;
            const int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
            const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
            const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
            const float* sub = dl + 8 * hf + l / 16;
            out[l] = sub[0] * float(q1);
            out[l + 32] = sub[2] * float(q2);
            out[l + 64] = sub[4] * float(q3);
            out[l + 96] = sub[6] * float(q4);
        }
    }
}

template <void (*Block)(float*, const uint8_t*)>
void blocks(float* out, const uint8_t* in, size_t nValues, int blockSize, int blockBytes) {
    for (size_t b = 0; b < nValues / size_t(blockSize); ++b)
        Block(out + b * size_t(blockSize), in + b * size_t(blockBytes));
}

}  // namespace

void dequantize(GgmlType t, float* out, const uint8_t* in, size_t n) {
    const GgmlTypeInfo& info = ggmlTypeInfo(t);
    const int bs = info.blockSize, bb = info.blockBytes;
    switch (t) {
        case GgmlType::F32: std::memcpy(out, in, n * sizeof(float)); return;
        case GgmlType::F16:
            for (size_t i = 0; i < n; ++i) out[i] = half(in + 2 * i);
            return;
        case GgmlType::BF16:
            for (size_t i = 0; i < n; ++i) {
                uint16_t h;
                std::memcpy(&h, in + 2 * i, 2);
                const uint32_t bits = uint32_t(h) << 16;
                std::memcpy(out + i, &bits, 4);
            }
            return;
        case GgmlType::Q4_0: return blocks<q4_0>(out, in, n, bs, bb);
        case GgmlType::Q4_1: return blocks<q4_1>(out, in, n, bs, bb);
        case GgmlType::Q5_0: return blocks<q5_0>(out, in, n, bs, bb);
        case GgmlType::Q5_1: return blocks<q5_1>(out, in, n, bs, bb);
        case GgmlType::Q8_0: return blocks<q8_0>(out, in, n, bs, bb);
        case GgmlType::Q2_K: return blocks<q2_K>(out, in, n, bs, bb);
        case GgmlType::Q3_K: return blocks<q3_K>(out, in, n, bs, bb);
        case GgmlType::Q4_K: return blocks<q4_K>(out, in, n, bs, bb);
        case GgmlType::Q5_K: return blocks<q5_K>(out, in, n, bs, bb);
        case GgmlType::Q6_K: return blocks<q6_K>(out, in, n, bs, bb);
        default: break;
    }
    throw std::invalid_argument("dequantize: unsupported ggml type " + ggmlTypeName(t));
}

}  // namespace anatomy::ggml
