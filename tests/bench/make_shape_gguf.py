# Issue 11's decode benchmark (compare_quant.sh runs it): writes a RANDOM-WEIGHT F32 GGUF of
# architecture llama in a published shape, with the vocabulary of VOCAB.gguf (every tokenizer.*
# key copied as stored: strings, string arrays, numeric scalars and arrays, merges). The weights
# are gibberish; the file is for speed and memory measurements only. Every width is a multiple
# of 256, so llama-quantize writes real k-quants (no fallback to Q5_0/Q8_0 for odd rows).
#
#   PYTHONPATH=llama.cpp/gguf-py python3 make_shape_gguf.py SHAPE OUT.gguf VOCAB.gguf [--seed S]
#
#   135M  SmolLM-135M:     dim 512,  hidden 1792, 30 layers, 8 heads,  4 kv heads, tied output
#   1B    TinyLlama-1.1B:  dim 2048, hidden 5632, 22 layers, 32 heads, 4 kv heads, untied output
#
# Weights N(0, 1) / sqrt(cols), norms 1 + 0.1 N(0, 1). Tensors are drawn and written one at a
# time, so memory stays near the largest tensor (the 1B file is ~4.4 GB).
import argparse
import sys
import types

import numpy as np

try:  # gguf-py imports sentencepiece for its converters only; this script never calls it
    import sentencepiece  # noqa: F401
except ImportError:
    sys.modules['sentencepiece'] = types.SimpleNamespace(SentencePieceProcessor=None)
from gguf import GGUFReader, GGUFValueType, GGUFWriter, LlamaFileType

SHAPES = {  # dim, hidden, layers, heads, kv heads, context, tied output
    '135M': dict(dim=512, hidden=1792, layers=30, heads=8, kv=4, ctx=2048, tied=True),
    '1B': dict(dim=2048, hidden=5632, layers=22, heads=32, kv=4, ctx=2048, tied=False),
}
# Array element types gguf-py's writer infers from a Python value (GGUFValueType.get_type); an
# array of any other element type cannot be copied exactly, so it is refused rather than retyped.
ARRAY_ITEMS = (GGUFValueType.STRING, GGUFValueType.INT32, GGUFValueType.FLOAT32, GGUFValueType.BOOL)


def copy_tokenizer(r, w):
    """Copies every tokenizer.* key of reader r into writer w; returns the vocabulary size."""
    nVocab = 0
    for key, f in r.fields.items():
        if not key.startswith('tokenizer.'):
            continue
        kind = f.types[0]
        if kind == GGUFValueType.ARRAY:
            item = f.types[1]
            if item not in ARRAY_ITEMS:
                raise ValueError(f'{key}: array of {item.name} (copyable: {[t.name for t in ARRAY_ITEMS]})')
            if item == GGUFValueType.STRING:
                vals = [bytes(f.parts[i]) for i in f.data]  # raw bytes: no UTF-8 round trip
            else:
                vals = [f.parts[i][0].item() for i in f.data]
            w.add_key_value(key, vals, GGUFValueType.ARRAY)
            if key == 'tokenizer.ggml.tokens':
                nVocab = len(vals)
        elif kind == GGUFValueType.STRING:
            w.add_key_value(key, bytes(f.parts[f.data[0]]), kind)
        else:
            w.add_key_value(key, f.parts[f.data[0]][0].item(), kind)
    if nVocab == 0:
        raise ValueError('tokenizer.ggml.tokens: missing or empty in the vocabulary file')
    return nVocab


def main():
    ap = argparse.ArgumentParser(description='Writes a random-weight F32 llama GGUF of a published shape.')
    ap.add_argument('shape', choices=sorted(SHAPES))
    ap.add_argument('out')
    ap.add_argument('vocab')
    ap.add_argument('--seed', type=int, default=11)
    a = ap.parse_args()
    s = SHAPES[a.shape]
    dim, hidden, nLayers, nHeads, nKvHeads = s['dim'], s['hidden'], s['layers'], s['heads'], s['kv']
    headDim = dim // nHeads
    kvDim = headDim * nKvHeads

    w = GGUFWriter(a.out, 'llama')
    w.add_name(f'random-{a.shape}')
    w.add_file_type(LlamaFileType.ALL_F32)
    w.add_context_length(s['ctx'])
    w.add_embedding_length(dim)
    w.add_feed_forward_length(hidden)
    w.add_block_count(nLayers)
    w.add_head_count(nHeads)
    w.add_head_count_kv(nKvHeads)
    w.add_rope_dimension_count(headDim)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-5)
    nVocab = copy_tokenizer(GGUFReader(a.vocab), w)
    w.add_vocab_size(nVocab)

    # (name, numpy shape [rows, cols] or [n], kind) in file order; GGUF stores the shape reversed.
    plan = [('token_embd.weight', (nVocab, dim), 'mat')]
    for l in range(nLayers):
        p = f'blk.{l}.'
        plan += [(p + 'attn_norm.weight', (dim,), 'norm'),
                 (p + 'attn_q.weight', (dim, dim), 'mat'),          # [n_heads * head_dim, dim]
                 (p + 'attn_k.weight', (kvDim, dim), 'mat'),        # [n_kv_heads * head_dim, dim]
                 (p + 'attn_v.weight', (kvDim, dim), 'mat'),        # [n_kv_heads * head_dim, dim]
                 (p + 'attn_output.weight', (dim, dim), 'mat'),     # [dim, n_heads * head_dim]
                 (p + 'ffn_norm.weight', (dim,), 'norm'),
                 (p + 'ffn_gate.weight', (hidden, dim), 'mat'),     # [hidden, dim]
                 (p + 'ffn_down.weight', (dim, hidden), 'mat'),     # [dim, hidden]
                 (p + 'ffn_up.weight', (hidden, dim), 'mat')]       # [hidden, dim]
    plan.append(('output_norm.weight', (dim,), 'norm'))
    if not s['tied']:
        plan.append(('output.weight', (nVocab, dim), 'mat'))        # [vocab, dim]
    for name, shape, _ in plan:
        w.add_tensor_info(name, shape, np.dtype(np.float32), 4 * int(np.prod(shape)))
    nParams = sum(int(np.prod(shape)) for _, shape, _ in plan)

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_ti_data_to_file()
    rng = np.random.default_rng(a.seed)
    for name, shape, kind in plan:
        t = rng.standard_normal(shape, dtype=np.float32)
        if kind == 'mat':
            t *= np.float32(1 / np.sqrt(shape[1]))
        else:
            t = np.float32(1) + np.float32(0.1) * t
        w.write_tensor_data(t)
    w.close()
    print(f'{a.out}: {a.shape}, {nParams:,} parameters ({nParams / 1e6:.1f}M), vocabulary {nVocab}, '
          f'{"tied" if s["tied"] else "untied"} output')


if __name__ == '__main__':
    main()
