#!/usr/bin/env python3
"""Reference decoder logits for the synthetic t5 files from an independent PyTorch float64 forward,
written from Hugging Face's T5 definition (modeling_t5.py: T5LayerNorm, T5Attention with
_relative_position_bucket, T5DenseActDense / T5DenseGatedActDense), not from the engine's code.
Needed for the gated-GELU case (flan-t5): llama.cpp c392e5094 looks GELU up in an F16 table
(ggml's GGML_GELU_FP16), which moves its logits on that file by ~2e-3; the ReLU file checks this
script against llama.cpp (they agree to ~1e-5).
  encoder:  x = E[enc];  per layer  x += Wo attn(rms(x));  x += FFN(rms(x));  e = rms(x)
  decoder:  x = E[dec];  per layer  x += Wo causal attn(rms(x));  x += Wo' crossattn(rms(x), e);  x += FFN(rms(x))
  logits = rms(x) @ output.T (token_embd.T when absent, unscaled as llama.cpp does)
Scores are q.k (no 1/sqrt(d)) plus the relative bias of layer 0's table in both self-attentions.
Usage: torch_t5.py CLI CASE SEED ENC DEC  > torch_CASE.tsv   (ids comma-separated)
"""
import math
import os
import subprocess
import sys
import tempfile

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "zoo"))
from torch_zoo import gelu_tanh, read_gguf, rms  # noqa: E402  (the zoo's F32 GGUF reader)


def bucket(rel, bidirectional, num_buckets, max_distance=128):
    """Hugging Face's T5Attention._relative_position_bucket for rel = key - query [Q, K]."""
    ret = torch.zeros_like(rel)
    if bidirectional:
        num_buckets //= 2
        ret += (rel > 0).long() * num_buckets
        n = rel.abs()
    else:
        n = -torch.min(rel, torch.zeros_like(rel))
    max_exact = num_buckets // 2
    small = n < max_exact
    large = max_exact + (torch.log(n.double().clamp(min=1) / max_exact) / math.log(max_distance / max_exact)
                         * (num_buckets - max_exact)).long()
    large = torch.min(large, torch.full_like(large, num_buckets - 1))
    return ret + torch.where(small, n, large)


def main():
    cli, case, seed = sys.argv[1], sys.argv[2], sys.argv[3]
    enc = [int(v) for v in sys.argv[4].split(",")]
    dec = [int(v) for v in sys.argv[5].split(",")]
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, case + ".gguf")
        subprocess.run([cli, "synth", "--arch", case, "--seed", seed, "--out", path], check=True,
                       stderr=subprocess.DEVNULL)
        kv, t = read_gguf(path)
    L, H = kv["t5.block_count"], kv["t5.attention.head_count"]
    hs, nb = kv["t5.attention.key_length"], kv["t5.attention.relative_buckets_count"]
    eps = kv["t5.attention.layer_norm_rms_epsilon"]

    def attention(p, xq, xkv, bias):
        q = (xq @ t[p + "q.weight"].T).view(len(xq), H, hs).transpose(0, 1)    # [H, Q, hs]
        k = (xkv @ t[p + "k.weight"].T).view(len(xkv), H, hs).transpose(0, 1)  # [H, K, hs]
        v = (xkv @ t[p + "v.weight"].T).view(len(xkv), H, hs).transpose(0, 1)
        s = q @ k.transpose(1, 2)
        if bias is not None:
            s = s + bias
        o = torch.softmax(s, -1) @ v                                            # [H, Q, hs]
        return o.transpose(0, 1).reshape(len(xq), H * hs) @ t[p + "o.weight"].T

    def rel_bias(table, n_q, n_k, bidirectional):
        qp, kp = torch.arange(n_q)[:, None], torch.arange(n_k)[None, :]
        b = bucket(kp - qp, bidirectional, nb)                                  # [Q, K]
        return table[b].permute(2, 0, 1)                                        # table [buckets, H] -> [H, Q, K]

    def ffn(p, h):
        if p + "ffn_gate.weight" in t:  # flan-t5: gelu_new(wi_0 h) * wi_1 h
            a = gelu_tanh(h @ t[p + "ffn_gate.weight"].T) * (h @ t[p + "ffn_up.weight"].T)
        else:                            # T5 v1.0: relu(wi h)
            a = torch.relu(h @ t[p + "ffn_up.weight"].T)
        return a @ t[p + "ffn_down.weight"].T

    E = t["token_embd.weight"]
    x = E[enc]
    bias = rel_bias(t["enc.blk.0.attn_rel_b.weight"], len(enc), len(enc), True)
    for l in range(L):
        p = "enc.blk.%d." % l
        x = x + attention(p + "attn_", rms(x, t[p + "attn_norm.weight"], eps), rms(x, t[p + "attn_norm.weight"], eps), bias)
        x = x + ffn(p, rms(x, t[p + "ffn_norm.weight"], eps))
    e = rms(x, t["enc.output_norm.weight"], eps)

    x = E[dec]
    n = len(dec)
    causal = torch.triu(torch.full((n, n), float("-inf"), dtype=torch.float64), 1)
    bias = rel_bias(t["dec.blk.0.attn_rel_b.weight"], n, n, False) + causal
    for l in range(L):
        p = "dec.blk.%d." % l
        h = rms(x, t[p + "attn_norm.weight"], eps)
        x = x + attention(p + "attn_", h, h, bias)
        x = x + attention(p + "cross_attn_", rms(x, t[p + "cross_attn_norm.weight"], eps), e, None)
        x = x + ffn(p, rms(x, t[p + "ffn_norm.weight"], eps))
    cls = t["output.weight"] if "output.weight" in t else E
    logits = rms(x, t["dec.output_norm.weight"], eps) @ cls.T
    print("# PyTorch float64 forward (torch_t5.py): anatomy-cli synth --arch %s --seed %s; encoder %s; decoder %s"
          % (case, seed, sys.argv[4], sys.argv[5]))
    for row in logits:
        print("\t".join("%.7g" % float(v) for v in row))


if __name__ == "__main__":
    main()
