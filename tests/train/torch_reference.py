#!/usr/bin/python3
"""PyTorch reference for the trainer (issue 13): our gradients against autograd's.

For each model below (MHA/GQA/MQA, tied/untied, pre/post/sandwich norm, DeepNorm, RMSNorm/LayerNorm,
RoPE/ALiBi/no positions, SiLU/GELU/ReLU gates), `anatomy-cli train --config C --dump-reference DIR` writes the initial
weights (one .npy per tensor, llama2.c names), one batch (inputs.npy, targets.npy), the
gradients of that batch (grad_NAME.npy) and the losses of 20 AdamW steps on it
(reference.json). This script builds the same Llama-shaped model in PyTorch (float64, from the
same float32 weights), and checks:
  - the loss equals autograd's within 1e-5 relative,
  - every gradient tensor within 1e-4 relative in max norm: max|ours - torch| / max|torch|,
  - 20 AdamW steps (same schedule, clipping and decay groups) give the same losses within 1e-4
    relative.
It prints the largest differences it saw. Exit 0 on success, 1 on a mismatch, 77 (CTest's skip)
when torch or numpy is missing (Debian: apt-get install python3-torch python3-numpy).
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

try:
    import numpy as np
    import torch
except ImportError as e:  # pragma: no cover
    print(f"SKIP: PyTorch reference needs python3-torch and python3-numpy ({e})")
    sys.exit(77)

# name: (shape, optimisation) -- MHA tied, GQA untied, MQA tied with clipping active.
MODELS = {
    "mha-tied": ({"dim": 64, "layers": 2, "heads": 4, "kv_heads": 4, "hidden": 172, "vocab": 512,
                  "context": 64, "tied_classifier": True},
                 {"batch": 3, "sequence": 48, "lr": 3e-3, "warmup": 5, "steps": 20, "weight_decay": 0.1,
                  "clip": 1.0, "seed": 11}),
    "gqa-untied": ({"dim": 48, "layers": 3, "heads": 6, "kv_heads": 2, "hidden": 96, "vocab": 512,
                    "context": 32, "tied_classifier": False},
                   {"batch": 2, "sequence": 32, "lr": 2e-3, "warmup": 3, "steps": 20, "weight_decay": 0.05,
                    "clip": 0.0, "seed": 5}),
    "mqa-clipped": ({"dim": 32, "layers": 2, "heads": 4, "kv_heads": 1, "hidden": 64, "vocab": 512,
                     "context": 40, "tied_classifier": True},
                    {"batch": 2, "sequence": 40, "lr": 5e-3, "warmup": 0, "steps": 20, "weight_decay": 0.1,
                     "clip": 0.05, "seed": 3, "min_lr": 1e-4}),
}
# Norm placement and type (the knob table's keys): post-norm RMSNorm, pre-norm LayerNorm,
# post-norm LayerNorm with GQA.
ARCHITECTURES = {
    "post-rms": ("mha-tied", {"norm.placement": "post"}),
    "pre-layer": ("gqa-untied", {"norm.type": "layer"}),
    "post-layer": ("mqa-clipped", {"norm.placement": "post", "norm.type": "layer"}),
    "alibi": ("mha-tied", {"pos": "alibi"}),
    "no-positions": ("gqa-untied", {"pos": "none"}),
    "gelu-tanh": ("mqa-clipped", {"ffn.act": "gelu-tanh"}),
    "relu-post-layer": ("gqa-untied", {"ffn.act": "relu", "norm.placement": "post", "norm.type": "layer"}),
    "sandwich": ("gqa-untied", {"norm.placement": "sandwich"}),
    "deepnorm": ("mha-tied", {"norm.placement": "deepnorm", "norm.type": "layer"}),
    # MLA (kv.sharing latent): with the decoupled RoPE key, with ALiBi and no RoPE key, with a gate
    "mla-rope": ("mha-tied", {"kv.sharing": "latent", "kv.rank": 12}),
    "mla-alibi-gated": ("mha-tied", {"kv.sharing": "latent", "kv.rank": 8, "pos": "alibi", "attn.gate": "headwise"}),
    # BatchNorm (trainer only): pre-norm and post-norm
    "batchnorm-pre": ("mha-tied", {"norm.type": "batch"}),
    "batchnorm-post": ("mha-tied", {"norm.type": "batch", "norm.placement": "post"}),
    "batchnorm-deepnorm": ("gqa-untied", {"norm.type": "batch", "norm.placement": "deepnorm"}),
    # Designs beyond the knob table: gated attention (Qiu et al. 2025), plain FFNs, absolute positions.
    "gate-headwise": ("gqa-untied", {"attn.gate": "headwise"}),
    "gate-elementwise": ("mha-tied", {"attn.gate": "elementwise", "norm.placement": "post"}),
    "plain-gelu": ("mha-tied", {"ffn.gated": False, "ffn.act": "gelu-tanh"}),
    "plain-relu": ("gqa-untied", {"ffn.gated": False, "ffn.act": "relu", "norm.type": "layer"}),
    "learned-pos": ("mqa-clipped", {"pos": "learned"}),
    "sinusoidal-pos": ("gqa-untied", {"pos": "sinusoidal", "norm.type": "layer"}),
    # MoE: top-2 Switch gates with the auxiliary loss and capacity 1.0 (tokens dropped); Mixtral
    # gates with noisy top-k (the same noise tensor); top-1 with a plain FFN expert.
    "moe-switch-aux": ("mha-tied", {"moe.experts": 4, "moe.k": 2, "moe.gate": "prob", "moe.capacity": 1.0},
                       {"aux_loss_weight": 0.05}),
    "moe-noisy-softmax": ("gqa-untied", {"moe.experts": 4, "moe.k": 2, "moe.gate": "softmax", "moe.noise": 0.7}),
    "moe-top1-plain": ("mqa-clipped", {"moe.experts": 3, "moe.k": 1, "moe.gate": "prob", "ffn.gated": False,
                                       "ffn.act": "gelu-tanh", "moe.capacity": 1.25}, {"aux_loss_weight": 0.01}),
}
# The trainer's own designs (the second ctest entry runs these).
DESIGNS = ["mla-rope", "mla-alibi-gated", "batchnorm-pre", "batchnorm-post", "batchnorm-deepnorm", "gate-headwise",
           "gate-elementwise", "plain-gelu", "plain-relu", "learned-pos", "sinusoidal-pos", "moe-switch-aux",
           "moe-noisy-softmax", "moe-top1-plain"]
ACTIVATIONS = {
    "silu": torch.nn.functional.silu,
    "gelu-tanh": lambda x: torch.nn.functional.gelu(x, approximate="tanh"),
    "gelu-erf": torch.nn.functional.gelu,
    "relu": torch.relu,
}


def alibi_slopes(H):
    """Press et al.: m_h = 2^(-8h/H) for H a power of two; otherwise the slopes of the nearest
    lower power of two n, then every other slope of 2n (engine/src/positions/alibi.cpp)."""
    def power_of_two(n):
        return [2.0 ** (-8.0 * h / n) for h in range(1, n + 1)]
    n = 2 ** int(math.floor(math.log2(H)))
    slopes = power_of_two(n)
    if n < H:
        slopes += power_of_two(2 * n)[0::2][: H - n]
    return torch.tensor(slopes, dtype=torch.float32).to(torch.float64)
STEPS = 20


def scheduled_lr(o, step):
    """train.h's warmup + cosine."""
    if step < o["warmup"]:
        return o["lr"] * (step + 1) / o["warmup"]
    progress = (step - o["warmup"]) / max(1, o["steps"] - o["warmup"])
    return o["min_lr"] + (o["lr"] - o["min_lr"]) * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))


def rope_tables(T, hs, base):
    # As the engine computes them: float32 frequencies and angles (positions/rope.h).
    freq = (np.float32(1.0) / np.power(np.float32(base), np.arange(0, hs, 2, dtype=np.float32) / np.float32(hs))
            ).astype(np.float32)
    angle = (np.arange(T, dtype=np.float32)[:, None] * freq[None, :]).astype(np.float32)
    return torch.from_numpy(np.cos(angle).astype(np.float64)), torch.from_numpy(np.sin(angle).astype(np.float64))


def rope(x, cos, sin):
    # x [B, T, H, hs], adjacent pairs (x[2i], x[2i+1]) rotated by pos * theta_i
    x0, x1 = x[..., 0::2], x[..., 1::2]
    c, s = cos[None, :, None, :], sin[None, :, None, :]
    return torch.stack((x0 * c - x1 * s, x0 * s + x1 * c), dim=-1).flatten(-2)


def norm(kind, x, g, eps):
    if kind == "batch":  # BatchNorm over every token of the batch, per feature, batch statistics
        shape = x.shape
        return torch.nn.functional.batch_norm(x.reshape(-1, shape[-1]), None, None, weight=g, training=True,
                                              eps=eps).reshape(shape)
    if kind == "layer":  # LayerNorm without bias
        mu = x.mean(-1, keepdim=True)
        return g * ((x - mu) * torch.rsqrt(((x - mu) ** 2).mean(-1, keepdim=True) + eps))
    return g * (x * torch.rsqrt((x * x).mean(-1, keepdim=True) + eps))


def sinusoidal_table(T, dim):
    t = np.arange(T, dtype=np.float64)[:, None]
    i = np.arange(0, dim, 2, dtype=np.float64)[None, :]
    angle = t / np.power(10000.0, i / dim)
    pe = np.zeros((T, dim))
    pe[:, 0::2] = np.sin(angle)
    pe[:, 1::2] = np.cos(angle)[:, : dim // 2]
    return torch.from_numpy(pe.astype(np.float32).astype(np.float64))


def moe_ffn(h, P, l, shape, arch, opt, noise, act, gated):
    """train_moe.h: z = W_r h (+ sigma eps), p = softmax(z), top-k by z, gates (prob / softmax / one),
    capacity ceil(cf T k / E) per expert and sequence in token then rank order, auxiliary loss."""
    B, T, dim = h.shape
    E, k, hid = int(arch["moe.experts"]), int(arch["moe.k"]), shape["hidden"]
    cf = 0.0 if arch["moe.capacity"] in ("unlimited", "0") else float(arch["moe.capacity"])
    x = h.reshape(B * T, dim)
    z = x @ P[f"router.{l}"].T
    if noise is not None:
        z = z + float(arch["moe.noise"]) * noise[l]
    p = torch.softmax(z, dim=-1)
    # top-k by value, ties to the lower index (a stable sort of -z)
    order = np.argsort(-z.detach().numpy(), axis=-1, kind="stable")[:, :k]
    choice = torch.from_numpy(order.copy())
    if arch["moe.gate"] == "prob":
        w = torch.gather(p, 1, choice)
    elif arch["moe.gate"] == "softmax":
        w = torch.softmax(torch.gather(z, 1, choice), dim=-1)
    else:
        w = torch.ones(B * T, k, dtype=torch.float64)
    cap = math.ceil(cf * T * k / E) if cf > 0 else B * T * k
    kept = np.zeros((B * T, k), dtype=bool)
    for b in range(B):
        used = [0] * E
        for t in range(T):
            for j in range(k):
                e = order[b * T + t, j]
                if used[e] < cap:
                    used[e] += 1
                    kept[b * T + t, j] = True
    W1 = P[f"w1.{l}"].view(E, hid, dim)
    W2 = P[f"w2.{l}"].view(E, dim, hid)
    W3 = P[f"w3.{l}"].view(E, hid, dim) if gated else None
    y = torch.zeros(B * T, dim, dtype=torch.float64)
    for e in range(E):
        rows, ranks = np.nonzero((order == e) & kept)
        if len(rows) == 0:
            continue
        xe = x[rows]
        g = act(xe @ W1[e].T) * (xe @ W3[e].T) if gated else act(xe @ W1[e].T)
        y = y.index_add(0, torch.from_numpy(rows), w[rows, ranks][:, None] * (g @ W2[e].T))
    counts = np.zeros(E)
    for e in range(E):
        counts[e] = (order == e).sum()
    f = torch.from_numpy(counts / (B * T * k))
    aux = opt["aux_loss_weight"] * E * (f * p.mean(0)).sum()
    return y.view(B, T, dim), aux


def model_loss(P, shape, arch, inputs, targets, opt=None, noise=None):
    eps, base, kind = arch["norm.eps"], arch["rope.base"], arch["norm.type"]
    placement = arch["norm.placement"]
    alpha = (2.0 * shape["layers"]) ** 0.25 if arch["norm.alpha"] == "auto" else float(arch["norm.alpha"])
    rmsnorm = lambda x, g, eps: norm(kind, x, g, eps)

    def sublayer(x, g, f):
        if placement == "post":  # N(x + F(x))
            return rmsnorm(x + f(x), g, eps)
        if placement == "sandwich":  # x + N1(F(N(x))), N1 without gain
            return x + rmsnorm(f(rmsnorm(x, g, eps)), 1.0, eps)
        if placement == "deepnorm":  # N(alpha x + F(x))
            return rmsnorm(alpha * x + f(x), g, eps)
        return x + f(rmsnorm(x, g, eps))  # pre

    B, T = inputs.shape
    dim, H, KV = shape["dim"], shape["heads"], shape["kv_heads"]
    hs = dim // H
    cos, sin = rope_tables(T, hs, base)
    mask = torch.ones(T, T, dtype=torch.bool).tril()
    distance = (torch.arange(T)[:, None] - torch.arange(T)[None, :]).to(torch.float64)
    x = P["token_embedding"][inputs]
    if arch["pos"] == "learned":
        x = x + P["pos_embedding"][:T][None]
    elif arch["pos"] == "sinusoidal":  # Vaswani: sqrt(d) E[token] + PE[t]
        x = math.sqrt(dim) * x + sinusoidal_table(T, dim)[None]
    gated_ffn = arch.get("ffn.gated", True)
    attn_gate = arch.get("attn.gate", "none")
    experts = int(arch.get("moe.experts", "0"))
    aux_total = [0.0]

    mla = arch.get("kv.sharing") == "latent"

    def mla_qkv(h, l):
        """train_mla.h: k, v from the latent c = W_dkv h; a decoupled RoPE key shared by the heads."""
        dr = int(arch["mla.rope_dim"])
        c = h @ P[f"wdkv.{l}"].T
        q = (h @ P[f"wq.{l}"].T).view(B, T, H, hs)
        k = (c @ P[f"wuk.{l}"].T).view(B, T, H, hs)
        v = (c @ P[f"wuv.{l}"].T).view(B, T, H, hs)
        if dr > 0:
            cr, sr = rope_tables(T, dr, base)
            qr = rope((h @ P[f"wqr.{l}"].T).view(B, T, H, dr), cr, sr)
            kr = rope((h @ P[f"wkr.{l}"].T).view(B, T, 1, dr), cr, sr).expand(B, T, H, dr)
            q, k = torch.cat([q, qr], -1), torch.cat([k, kr], -1)
        return q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), hs + dr

    def attention(h, l):
        if mla:
            q, k, v, width = mla_qkv(h, l)
            s = (q @ k.transpose(-1, -2)) / math.sqrt(width)
            if arch["pos"] == "alibi":
                s = s - alibi_slopes(H)[None, :, None, None] * distance[None, None]
            s = s.masked_fill(~mask, float("-inf"))
            a = (torch.softmax(s, dim=-1) @ v).transpose(1, 2)
            if attn_gate != "none":
                gate = torch.sigmoid(h @ P[f"wg.{l}"].T)
                a = a * (gate.view(B, T, H, 1) if attn_gate == "headwise" else gate.view(B, T, H, hs))
            return a.reshape(B, T, dim) @ P[f"wo.{l}"].T
        q = (h @ P[f"wq.{l}"].T).view(B, T, H, hs)
        k = (h @ P[f"wk.{l}"].T).view(B, T, KV, hs)
        v = (h @ P[f"wv.{l}"].T).view(B, T, KV, hs)
        if arch["pos"] == "rope":
            q, k = rope(q, cos, sin), rope(k, cos, sin)
        # query head h reads KV head h // (H / KV)
        k = k.repeat_interleave(H // KV, dim=2)
        v = v.repeat_interleave(H // KV, dim=2)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        s = (q @ k.transpose(-1, -2)) / math.sqrt(hs)
        if arch["pos"] == "alibi":  # minus m_h (i - j)
            s = s - alibi_slopes(H)[None, :, None, None] * distance[None, None]
        s = s.masked_fill(~mask, float("-inf"))
        a = (torch.softmax(s, dim=-1) @ v).transpose(1, 2)  # [B, T, H, hs]
        if attn_gate != "none":  # sigma(h Wg) per head or per element
            gate = torch.sigmoid(h @ P[f"wg.{l}"].T)
            a = a * (gate.view(B, T, H, 1) if attn_gate == "headwise" else gate.view(B, T, H, hs))
        return a.reshape(B, T, dim) @ P[f"wo.{l}"].T

    def ffn(h, l):
        act = ACTIVATIONS[arch["ffn.act"]]
        if experts > 0:
            y, aux = moe_ffn(h, P, l, shape, arch, opt, noise, act, gated_ffn)
            aux_total[0] = aux_total[0] + aux
            return y
        if not gated_ffn:
            return act(h @ P[f"w1.{l}"].T) @ P[f"w2.{l}"].T
        return (act(h @ P[f"w1.{l}"].T) * (h @ P[f"w3.{l}"].T)) @ P[f"w2.{l}"].T

    for l in range(shape["layers"]):
        x = sublayer(x, P[f"rms_att.{l}"], lambda h: attention(h, l))
        x = sublayer(x, P[f"rms_ffn.{l}"], lambda h: ffn(h, l))
    h = rmsnorm(x, P["rms_final"], eps)
    cls = P["token_embedding"] if shape["tied_classifier"] else P["wcls"]
    logits = h @ cls.T
    return torch.nn.functional.cross_entropy(logits.reshape(B * T, -1), targets.reshape(-1)) + aux_total[0]


def near_cancelled(tensor, arch):
    """Post-norm BatchNorm: every gain's gradient is mostly cancelled by the next BatchNorm (it
    normalises each feature again), so what is left is below float32's resolution: PyTorch's own
    float32 gradient differs from its float64 one by ~5e-3 there. These tensors are held to
    PyTorch float32's error instead of 1e-4."""
    return (arch.get("norm.type") == "batch" and arch.get("norm.placement") in ("post", "deepnorm")
            and tensor.startswith("rms_"))


def float32_grads(d, tensors, shape, arch, o, inputs, targets, noise):
    """The same gradients computed by PyTorch in float32."""
    global rope_tables
    keep_rope, keep_dtype = rope_tables, torch.get_default_dtype()
    torch.set_default_dtype(torch.float32)
    rope_tables = lambda T, hs, base: tuple(x.float() for x in keep_rope(T, hs, base))  # noqa: E731
    try:
        P = {t["name"]: torch.tensor(np.load(os.path.join(d, t["name"] + ".npy")), dtype=torch.float32,
                                     requires_grad=True) for t in tensors}
        model_loss(P, shape, arch, inputs, targets, o, noise).backward()
        return {k: v.grad.double().numpy() for k, v in P.items()}
    finally:
        rope_tables = keep_rope
        torch.set_default_dtype(keep_dtype)


def structurally_zero(tensor, shape, arch):
    """Post-norm BatchNorm: the last FFN norm's gain feeds the final BatchNorm directly."""
    return (arch.get("norm.type") == "batch" and arch.get("norm.placement") in ("post", "deepnorm")
            and tensor == f"rms_ffn.{shape['layers'] - 1}")


def check_model(cli, work, name, shape, opt, arch, corpus, tokenizer):
    opt = dict(opt)
    if isinstance(arch, tuple):  # (architecture, extra optimisation keys)
        arch, extra = arch
        opt.update(extra)
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    cfg = {"shape": shape, "optimisation": opt, "data": {}, "architecture": arch}
    if corpus:
        cfg["data"]["corpus"] = corpus
    if tokenizer:
        cfg["data"]["tokenizer"] = tokenizer
    cfg_path = os.path.join(d, "config.json")
    with open(cfg_path, "w") as f:
        json.dump(cfg, f)
    subprocess.run([cli, "train", "--config", cfg_path, "--dump-reference", d, "--reference-steps", str(STEPS)],
                   check=True)
    ref = json.load(open(os.path.join(d, "reference.json")))
    full = ref["config"]
    o = full["optimisation"]
    arch = full["architecture"]
    P = {}
    # BatchNorm's running statistics are not trained (their gradient is 0): left out of autograd.
    ref["tensors"] = [t for t in ref["tensors"] if not t["name"].startswith("bn_")]
    for t in ref["tensors"]:
        P[t["name"]] = torch.tensor(np.load(os.path.join(d, t["name"] + ".npy")).astype(np.float64),
                                    requires_grad=True)
    inputs = torch.from_numpy(np.load(os.path.join(d, "inputs.npy")).astype(np.int64))
    targets = torch.from_numpy(np.load(os.path.join(d, "targets.npy")).astype(np.int64))

    def noise_of(step):
        f = os.path.join(d, f"noise_{step}.npy")
        return torch.from_numpy(np.load(f).astype(np.float64)) if os.path.exists(f) else None

    ok = True
    loss = model_loss(P, shape, arch, inputs, targets, o, noise_of(0))
    loss.backward()
    ours = ref["losses"][0]
    rel = abs(ours - loss.item()) / abs(loss.item())
    print(f"{name}: loss ours {ours:.9f} torch {loss.item():.9f}, relative difference {rel:.3g} (limit 1e-5)")
    ok &= rel < 1e-5
    worst_name, worst = "", 0.0
    largest = max(np.abs(P[t["name"]].grad.numpy()).max() for t in ref["tensors"])
    g32 = None
    if any(near_cancelled(t["name"], arch) for t in ref["tensors"]):
        g32 = float32_grads(d, ref["tensors"], shape, arch, o, inputs, targets, noise_of(0))
    for t in ref["tensors"]:
        g_ours = np.load(os.path.join(d, "grad_" + t["name"] + ".npy")).astype(np.float64)
        g_ref = P[t["name"]].grad.numpy()
        if structurally_zero(t["name"], shape, arch):
            # The gain of a BatchNorm right before the final BatchNorm: the final one normalises
            # every feature again, so the exact gradient is 0 and both sides hold float rounding.
            a = max(np.abs(g_ours).max(), np.abs(g_ref).max()) / largest
            print(f"{name}: gradient {t['name']} is 0 by construction (BatchNorm after BatchNorm): "
                  f"largest |value| {a:.3g} of the model's largest gradient (limit 1e-5)")
            ok &= a < 1e-5
            continue
        r = np.abs(g_ours - g_ref).max() / max(np.abs(g_ref).max(), 1e-30)
        if near_cancelled(t["name"], arch):
            r32 = np.abs(g32[t["name"]] - g_ref).max() / max(np.abs(g_ref).max(), 1e-30)
            print(f"{name}: gradient {t['name']} (nearly cancelled by the next BatchNorm): ours {r:.3g}, "
                  f"PyTorch float32 {r32:.3g} from float64 (limit: max(1e-4, PyTorch float32's))")
            ok &= r < max(1e-4, r32)
            continue
        if r > worst:
            worst_name, worst = t["name"], r
        if r >= 1e-4:
            print(f"{name}: gradient {t['name']}: relative max-norm difference {r:.3g} (limit 1e-4)")
            ok = False
    print(f"{name}: {len(ref['tensors'])} gradient tensors, largest relative max-norm difference {worst:.3g} "
          f"({worst_name}; limit 1e-4)")

    # 20 AdamW steps on the same batch, same schedule, clipping and decay groups.
    for p in P.values():
        p.grad = None
    decayed = [P[t["name"]] for t in ref["tensors"] if t["decayed"]]
    plain = [P[t["name"]] for t in ref["tensors"] if not t["decayed"]]
    adam = torch.optim.AdamW([{"params": decayed, "weight_decay": o["weight_decay"]},
                              {"params": plain, "weight_decay": 0.0}],
                             lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"])
    worst_step, worst = 0, 0.0
    for step in range(STEPS):
        loss = model_loss(P, shape, arch, inputs, targets, o, noise_of(step))
        adam.zero_grad()
        loss.backward()
        if o["clip"] > 0:
            torch.nn.utils.clip_grad_norm_(list(P.values()), o["clip"])
        for group in adam.param_groups:
            group["lr"] = scheduled_lr(o, step)
        adam.step()
        r = abs(ref["losses"][step] - loss.item()) / abs(loss.item())
        if r > worst:
            worst_step, worst = step, r
    print(f"{name}: {STEPS} AdamW steps, loss {ref['losses'][0]:.5f} -> {ref['losses'][-1]:.5f}, largest relative "
          f"loss difference {worst:.3g} at step {worst_step} (limit 1e-4)")
    ok &= worst < 1e-4
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--corpus", default="")
    ap.add_argument("--tokenizer", default="")
    ap.add_argument("--work", default="")
    ap.add_argument("--only", default="", help="comma-separated ARCHITECTURES names (and no plain models)")
    ap.add_argument("--group", choices=["all", "llama", "designs"], default="all",
                    help="llama: the plain models and the knob-table variants; designs: the trainer's own "
                         "designs (MoE, MLA, BatchNorm, gates, plain FFNs, absolute positions)")
    a = ap.parse_args()
    torch.set_num_threads(1)
    work = a.work or tempfile.mkdtemp(prefix="anatomy-torch-ref-")
    ok = True
    for name, (shape, opt) in MODELS.items() if not a.only and a.group != "designs" else []:
        ok &= check_model(a.cli, work, name, shape, opt, {}, a.corpus, a.tokenizer)
    only = set(a.only.split(",")) if a.only else None
    if a.group == "designs":
        only = set(DESIGNS)
    elif a.group == "llama":
        only = set(ARCHITECTURES) - set(DESIGNS)
    for name, (model, *arch) in ARCHITECTURES.items():
        if only and name not in only:
            continue
        shape, opt = MODELS[model]
        ok &= check_model(a.cli, work, name, shape, opt, tuple(arch) if len(arch) > 1 else arch[0], a.corpus,
                          a.tokenizer)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
