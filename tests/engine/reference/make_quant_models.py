# Dev-time check of issue 11 (check_quant_llamacpp.sh runs it): `make OUT VOCAB` writes a random-weight
# llama GGUF, dim 256 / hidden 768 (every width a multiple of 256, so llama-quantize writes
# k-quants), with the vocabulary of VOCAB (stories260K.gguf), as F32; `dequant IN OUT` writes every tensor of a
# quantized GGUF dequantized to F32 by gguf-py (gguf.quants.dequantize).
import sys
import numpy as np
import gguf
from gguf import GGUFReader, GGUFWriter

def vocab_fields(r):
    f = r.fields
    toks = [bytes(f['tokenizer.ggml.tokens'].parts[i]).decode('utf-8') for i in f['tokenizer.ggml.tokens'].data]
    scores = [float(f['tokenizer.ggml.scores'].parts[i][0]) for i in f['tokenizer.ggml.scores'].data]
    types = [int(f['tokenizer.ggml.token_type'].parts[i][0]) for i in f['tokenizer.ggml.token_type'].data]
    return toks, scores, types

def header(w, dim, hidden, layers, heads, kv, ctx, toks, scores, types):
    w.add_context_length(ctx)
    w.add_embedding_length(dim)
    w.add_feed_forward_length(hidden)
    w.add_block_count(layers)
    w.add_head_count(heads)
    w.add_head_count_kv(kv)
    w.add_rope_dimension_count(dim // heads)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_tokenizer_model('llama')
    w.add_token_list(toks)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)

def make(out, vocab):
    r = GGUFReader(vocab)
    toks, scores, types = vocab_fields(r)
    dim, hidden, layers, heads, kv, V = 256, 768, 2, 4, 2, len(toks)
    rng = np.random.default_rng(11)
    w = GGUFWriter(out, 'llama')
    header(w, dim, hidden, layers, heads, kv, 256, toks, scores, types)
    def mat(name, rows, cols):
        w.add_tensor(name, (rng.standard_normal((rows, cols)) / np.sqrt(cols)).astype(np.float32))
    def norm(name):
        w.add_tensor(name, (1 + 0.1 * rng.standard_normal(dim)).astype(np.float32))
    mat('token_embd.weight', V, dim)
    for l in range(layers):
        p = f'blk.{l}.'
        norm(p + 'attn_norm.weight')
        mat(p + 'attn_q.weight', dim, dim); mat(p + 'attn_k.weight', dim // heads * kv, dim)
        mat(p + 'attn_v.weight', dim // heads * kv, dim); mat(p + 'attn_output.weight', dim, dim)
        norm(p + 'ffn_norm.weight')
        mat(p + 'ffn_gate.weight', hidden, dim); mat(p + 'ffn_down.weight', dim, hidden)
        mat(p + 'ffn_up.weight', hidden, dim)
    norm('output_norm.weight')
    mat('output.weight', V, dim)
    w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()

def dequant(src, out):
    r = GGUFReader(src)
    toks, scores, types = vocab_fields(r)
    f = r.fields
    g = lambda k: int(f[k].parts[f[k].data[0]][0])
    w = GGUFWriter(out, 'llama')
    header(w, g('llama.embedding_length'), g('llama.feed_forward_length'), g('llama.block_count'),
           g('llama.attention.head_count'), g('llama.attention.head_count_kv'), g('llama.context_length'),
           toks, scores, types)
    kinds = {}
    for t in r.tensors:
        kinds[t.tensor_type.name] = kinds.get(t.tensor_type.name, 0) + 1
        v = gguf.quants.dequantize(t.data, t.tensor_type).astype(np.float32)
        w.add_tensor(t.name, v.reshape(tuple(reversed([int(x) for x in t.shape]))))
    print(src, kinds, file=sys.stderr)
    w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()

if sys.argv[1] == 'make': make(sys.argv[2], sys.argv[3])
else: dequant(sys.argv[2], sys.argv[3])
