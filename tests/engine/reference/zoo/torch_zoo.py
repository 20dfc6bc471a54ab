#!/usr/bin/env python3
"""Reference logits from an independent PyTorch forward pass in float64, written from the Hugging
Face definitions of each architecture (not from the engine's code). Used where llama.cpp
c392e5094 cannot serve: Qwen 3 is newer than it, and for the GELU architectures (gpt2, gptneox,
gemma2) llama.cpp looks GELU up in an F16 table (ggml's GGML_GELU_FP16), which moves its logits
by up to ~4e-3 on these files; the exact function is the model's definition.
Writes the synthetic file with anatomy-cli synth, reads it with the small GGUF reader below (F32
tensors only) and runs, per layer (h: the sublayer input, x: the residual stream):
  llama, qwen2, qwen3, phi3   x += Wo attn(RoPE(q), RoPE(k), v);  x += W_down (silu(W_gate h) * W_up h)
  gpt2, gptneox               LayerNorm with bias, fused QKV with bias, W_down gelu(W_up h + b) + b
  gptneox                     parallel residual x += attn(LN1 x) + mlp(LN2 x), partial NeoX RoPE
  gemma2                      x = sqrt(dim) E[t]; post-norms on both sublayer outputs; GEGLU;
                              scores c tanh(s / c); even layers see a sliding window; logits capped
RoPE: theta_i = base^(-2i/d) over the first d = rope.dimension_count dims; llama rotates pairs
(2i, 2i+1), the others rotate_half pairs (i, i + d/2). Qwen 3 normalises q and k per head first.
Usage: torch_zoo.py CLI ARCH SEED "TOKENS"  > torch_ARCH.tsv   (Debian's python3 with torch, numpy)
"""
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np
import torch


def read_gguf(path):
    data = open(path, "rb").read()
    pos = 0

    def take(fmt):
        nonlocal pos
        v = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return v[0]

    def string():
        nonlocal pos
        n = take("Q")
        s = data[pos:pos + n].decode("utf-8")
        pos += n
        return s

    scalar = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}

    def value(t):
        if t == 8:
            return string()
        if t == 9:
            et, n = take("I"), take("Q")
            return [value(et) for _ in range(n)]
        return take(scalar[t])

    assert data[:4] == b"GGUF"
    pos = 4
    take("I")
    n_tensors, n_kv = take("Q"), take("Q")
    kv = {}
    for _ in range(n_kv):
        k = string()
        kv[k] = value(take("I"))
    align = kv.get("general.alignment", 32)
    infos = []
    for _ in range(n_tensors):
        name = string()
        ne = [take("Q") for _ in range(take("I"))]
        typ, off = take("I"), take("Q")
        assert typ == 0, "F32 tensors only"
        infos.append((name, ne, off))
    start = (pos + align - 1) // align * align
    tensors = {}
    for name, ne, off in infos:
        n = int(np.prod(ne))
        arr = np.frombuffer(data, dtype="<f4", count=n, offset=start + off)
        tensors[name] = torch.tensor(arr.reshape(list(reversed(ne))), dtype=torch.float64)  # [rows, cols]
    return kv, tensors


def rms(x, g, eps):
    return x / torch.sqrt((x * x).mean(-1, keepdim=True) + eps) * g


def layer_norm(x, g, b, eps):
    m = x.mean(-1, keepdim=True)
    v = ((x - m) ** 2).mean(-1, keepdim=True)
    return (x - m) / torch.sqrt(v + eps) * g + b


def gelu_tanh(x):
    return 0.5 * x * (1.0 + torch.tanh((2.0 / torch.pi) ** 0.5 * (x + 0.044715 * x ** 3)))


def rope(x, pos, base, d, neox):
    """x [T, heads, hs]: rotate the first d dims of every head by pos * theta_i."""
    inv = 1.0 / (base ** (torch.arange(0, d, 2, dtype=torch.float64) / d))  # [d/2]
    ang = pos[:, None] * inv[None, :]
    c, s = ang.cos()[:, None, :], ang.sin()[:, None, :]
    r, rest = x[..., :d], x[..., d:]
    if neox:
        a, b = r[..., : d // 2], r[..., d // 2:]
        r = torch.cat([a * c - b * s, a * s + b * c], -1)
    else:
        a, b = r[..., 0::2], r[..., 1::2]
        r = torch.stack([a * c - b * s, a * s + b * c], -1).flatten(-2)
    return torch.cat([r, rest], -1)


def forward(arch, kv, t, tokens):
    k_ = lambda s: kv[arch + "." + s]
    dim, n_layers = k_("embedding_length"), k_("block_count")
    n_heads, n_kv = k_("attention.head_count"), k_("attention.head_count_kv")
    hs = kv.get(arch + ".attention.key_length", dim // n_heads)  # Gemma 2, Qwen 3: wider heads
    ln = arch in ("gpt2", "gptneox")
    eps = k_("attention.layer_norm_epsilon") if ln else k_("attention.layer_norm_rms_epsilon")
    T = len(tokens)
    pos = torch.arange(T, dtype=torch.float64)

    def norm(x, name):
        if ln:
            return layer_norm(x, t[name + ".weight"], t[name + ".bias"], eps)
        return rms(x, t[name + ".weight"], eps)

    x = t["token_embd.weight"][tokens]  # [T, dim]
    if arch == "gemma2":
        x = x * dim ** 0.5
    if arch == "gpt2":
        x = x + t["position_embd.weight"][:T]
    window = kv.get(arch + ".attention.sliding_window", 0)
    cap = kv.get(arch + ".attn_logit_softcapping", 0.0)
    i = torch.arange(T)[:, None]
    j = torch.arange(T)[None, :]

    def attention(l, h):
        p = "blk.%d." % l
        if arch in ("gpt2", "gptneox", "phi3"):
            qkv = h @ t[p + "attn_qkv.weight"].T
            if p + "attn_qkv.bias" in t:
                qkv = qkv + t[p + "attn_qkv.bias"]
            q, k, v = qkv.split([n_heads * hs, n_kv * hs, n_kv * hs], -1)
        else:
            q, k, v = (h @ t[p + "attn_%s.weight" % n].T for n in "qkv")
            if arch == "qwen2":
                q, k, v = q + t[p + "attn_q.bias"], k + t[p + "attn_k.bias"], v + t[p + "attn_v.bias"]
        q, k, v = q.reshape(T, n_heads, hs), k.reshape(T, n_kv, hs), v.reshape(T, n_kv, hs)
        if arch == "qwen3":
            q, k = rms(q, t[p + "attn_q_norm.weight"], eps), rms(k, t[p + "attn_k_norm.weight"], eps)
        if arch != "gpt2":
            d = kv.get(arch + ".rope.dimension_count", hs)
            base = k_("rope.freq_base")
            q, k = rope(q, pos, base, d, arch != "llama"), rope(k, pos, base, d, arch != "llama")
        g = n_heads // n_kv
        k, v = k.repeat_interleave(g, dim=1), v.repeat_interleave(g, dim=1)
        s = torch.einsum("thd,jhd->htj", q, k) / hs ** 0.5
        if cap:
            s = cap * torch.tanh(s / cap)
        masked = j > i
        if window and (arch == "phi3" or (arch == "gemma2" and l % 2 == 0)):
            masked = masked | (i - j >= window)
        s = s.masked_fill(masked, float("-inf"))
        o = torch.einsum("htj,jhd->thd", torch.softmax(s, -1), v).reshape(T, n_heads * hs)
        o = o @ t[p + "attn_output.weight"].T
        if p + "attn_output.bias" in t:
            o = o + t[p + "attn_output.bias"]
        return o

    def mlp(l, h):
        p = "blk.%d." % l
        if ln:
            u = gelu_tanh(h @ t[p + "ffn_up.weight"].T + t[p + "ffn_up.bias"])
            return u @ t[p + "ffn_down.weight"].T + t[p + "ffn_down.bias"]
        if arch == "phi3":
            gate, up = (h @ t[p + "ffn_up.weight"].T).chunk(2, -1)
        else:
            gate, up = h @ t[p + "ffn_gate.weight"].T, h @ t[p + "ffn_up.weight"].T
        act = gelu_tanh(gate) if arch == "gemma2" else torch.nn.functional.silu(gate)
        return (act * up) @ t[p + "ffn_down.weight"].T

    for l in range(n_layers):
        p = "blk.%d." % l
        a = attention(l, norm(x, p + "attn_norm"))
        if arch == "gemma2":
            a = rms(a, t[p + "post_attention_norm.weight"], eps)
        if arch == "gptneox" and kv[arch + ".use_parallel_residual"]:
            x = x + a + mlp(l, norm(x, p + "ffn_norm"))
            continue
        x = x + a
        f = mlp(l, norm(x, p + "ffn_norm"))
        if arch == "gemma2":
            f = rms(f, t[p + "post_ffw_norm.weight"], eps)
        x = x + f
    h = norm(x, "output_norm")
    cls = t["output.weight"] if "output.weight" in t and arch != "gemma2" else t["token_embd.weight"]
    logits = h @ cls.T  # [T, vocab]
    if arch == "gemma2":
        c = k_("final_logit_softcapping")
        logits = c * torch.tanh(logits / c)
    return logits


def main():
    cli, arch, seed, tokens = sys.argv[1], sys.argv[2], sys.argv[3], [int(v) for v in sys.argv[4].split()]
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, arch + ".gguf")
        subprocess.run([cli, "synth", "--arch", arch, "--seed", seed, "--out", path], check=True,
                       stderr=subprocess.DEVNULL)
        kv, t = read_gguf(path)
    logits = forward(arch, kv, t, tokens)
    print("# PyTorch float64 forward (torch_zoo.py): anatomy-cli synth --arch %s --seed %s; tokens %s"
          % (arch, seed, " ".join(map(str, tokens))))
    for row in logits:
        print("\t".join("%.7g" % float(v) for v in row))


if __name__ == "__main__":
    main()
