#!/usr/bin/python3
"""Training speed, ours against PyTorch and llm.c, side by side in one run (a benchmark, not a test).

    /usr/bin/python3 tests/bench/train_vs_torch.py [--cli build/release/app/cli/anatomy-cli]
        [--threads "1 2"] [--steps 8] [--rounds 3] [--llmc DIR] [--work /tmp/anatomy-train-bench]

The model is issue 13's 857K-parameter Llama shape (dim 128, 4 layers, 4 heads, hidden 344,
vocab 512, batch 8 x sequence 256), float32, forward + backward + AdamW. Each round runs ours then
PyTorch at each thread count (interleaved, so a change in the machine's load hits both); a
number is the median over rounds of the median step's tokens/s, the first step excluded
(allocation, tokenization). The load average (uptime) is printed with the numbers, and at 1
thread also tokens per CPU-second (process CPU time per step), which a busy machine disturbs less.

With --llmc DIR (a karpathy/llm.c source tree the user provides; built under --work, never inside
this project, nothing of it committed) each round also runs llm.c's CPU trainer train_gpt2.c on
issue 13's GPT-2 shape (dim 128, 4 layers, 4 heads, vocab 512, sequence 256, batch 8): a checkpoint
in its format (version 3) with random init (N(0, 0.02) matrices, LayerNorm gains 1, biases 0) and
its token files (uint16, header 20240520) of the same corpus in our tok512 tokens, against ours on
the same shape (LayerNorm, learned positions, plain GELU FFN of 4 dim, tied classifier; we have no
biases). The copy of train_gpt2.c is patched only in its constants: B = 8, T = 256, the step count,
no validation or sampling inside the timed loop; tokens/s is B T over its "took ... ms" of a step.
"""
import argparse
import array
import json
import random
import re
import shutil
import struct
import math
import os
import statistics
import subprocess
import tempfile
import time

SHAPE = {"dim": 128, "layers": 4, "heads": 4, "kv_heads": 4, "hidden": 344, "vocab": 512, "context": 256}
BATCH, SEQ = 8, 256


def ours_cpu(cli, steps, work):
    """CPU seconds per step at 1 thread: (CPU of a run of 2 + steps) - (CPU of a run of 2), over steps.
    A shared machine slows the wall clock, much less the CPU time a step needs."""
    import resource

    def cpu_of(n):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        ours(cli, 1, n, work)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return (cpu_of(2 + steps) - cpu_of(2)) / steps


GPT2_SHAPE = {"dim": 128, "layers": 4, "heads": 4, "kv_heads": 4, "hidden": 512, "vocab": 512, "context": 256}
GPT2_ARCH = {"norm.type": "layer", "pos": "learned", "ffn.gated": False, "ffn.act": "gelu-tanh"}


def ours(cli, threads, steps, work, shape=SHAPE, arch=None):
    cfg = {"shape": shape, "optimisation": {"steps": steps, "batch": BATCH, "sequence": SEQ, "warmup": 2},
           "data": {"log_every": 1, "eval_every": 100000}}
    if arch:
        cfg["architecture"] = arch
    path = os.path.join(work, "bench.json")
    with open(path, "w") as f:
        json.dump(cfg, f)
    model = os.path.join(work, "bench.gguf" if arch else "bench.bin")  # a design beyond llama2.c's layout: GGUF
    out = subprocess.run([cli, "train", "--config", path, "--out", model,
                          "--threads", str(threads)], check=True, capture_output=True, text=True).stdout
    rates = [json.loads(l)["tokens_per_s"] for l in out.splitlines() if l.startswith('{"step"')]
    return statistics.median(rates[1:-1]) if len(rates) > 2 else 0.0  # the last interval includes validation


def torch_rate(threads, steps):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    d, L, H, hid, V = SHAPE["dim"], SHAPE["layers"], SHAPE["heads"], SHAPE["hidden"], SHAPE["vocab"]
    hs = d // H

    class Block(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.n1, self.n2 = torch.nn.Parameter(torch.ones(d)), torch.nn.Parameter(torch.ones(d))
            self.qkv = torch.nn.Linear(d, 3 * d, bias=False)
            self.o = torch.nn.Linear(d, d, bias=False)
            self.w1 = torch.nn.Linear(d, hid, bias=False)
            self.w3 = torch.nn.Linear(d, hid, bias=False)
            self.w2 = torch.nn.Linear(hid, d, bias=False)

        def forward(self, x, cos, sin, mask):
            B, T, _ = x.shape
            h = self.n1 * x * torch.rsqrt((x * x).mean(-1, keepdim=True) + 1e-5)
            q, k, v = self.qkv(h).view(B, T, 3, H, hs).unbind(2)

            def rope(t):
                t0, t1 = t[..., 0::2], t[..., 1::2]
                return torch.stack((t0 * cos - t1 * sin, t0 * sin + t1 * cos), -1).flatten(-2)
            q, k = rope(q).transpose(1, 2), rope(k).transpose(1, 2)
            v = v.transpose(1, 2)
            s = (q @ k.transpose(-1, -2)) / math.sqrt(hs)
            a = torch.softmax(s.masked_fill(mask, float("-inf")), -1) @ v
            x = x + self.o(a.transpose(1, 2).reshape(B, T, d))
            h = self.n2 * x * torch.rsqrt((x * x).mean(-1, keepdim=True) + 1e-5)
            return x + self.w2(torch.nn.functional.silu(self.w1(h)) * self.w3(h))

    class Model(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = torch.nn.Embedding(V, d)
            self.blocks = torch.nn.ModuleList(Block() for _ in range(L))
            self.nf = torch.nn.Parameter(torch.ones(d))

        def forward(self, idx, tgt):
            T = idx.shape[1]
            freq = 1.0 / (10000 ** (torch.arange(0, hs, 2).float() / hs))
            ang = torch.arange(T).float()[:, None] * freq[None]
            cos, sin = ang.cos()[None, :, None], ang.sin()[None, :, None]
            mask = torch.ones(T, T, dtype=torch.bool).triu(1)
            x = self.emb(idx)
            for b in self.blocks:
                x = b(x, cos, sin, mask)
            x = self.nf * x * torch.rsqrt((x * x).mean(-1, keepdim=True) + 1e-5)
            return torch.nn.functional.cross_entropy((x @ self.emb.weight.T).view(-1, V), tgt.view(-1))

    m = Model()
    opt = torch.optim.AdamW(m.parameters(), lr=1e-3, weight_decay=0.1)
    idx = torch.randint(0, V, (BATCH, SEQ))
    tgt = torch.randint(0, V, (BATCH, SEQ))
    rates, cpu = [], []
    for _ in range(steps):
        t0, c0 = time.perf_counter(), time.process_time()
        loss = m(idx, tgt)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
        opt.step()
        rates.append(BATCH * SEQ / (time.perf_counter() - t0))
        cpu.append(time.process_time() - c0)
    return statistics.median(rates[1:]), sum(p.numel() for p in m.parameters()), statistics.median(cpu[1:])


def llmc_prepare(src, work, cli, corpus, tokenizer_model, steps):
    """Builds the patched train_gpt2 under work/llmc, writes gpt2_124M.bin and the token files there."""
    d = os.path.join(work, "llmc")
    os.makedirs(os.path.join(d, "dev/data/tinystories"), exist_ok=True)
    code = open(os.path.join(src, "train_gpt2.c")).read()
    for old, new in [("int B = 4;", f"int B = {BATCH};"), ("int T = 64;", f"int T = {SEQ};"),
                     ("step <= 40", f"step <= {steps}"), ("if (step % 10 == 0) {", "if (0) {"),
                     ("if (step > 0 && step % 20 == 0) {", "if (0) {")]:
        if old not in code:
            raise SystemExit(f"train_vs_torch.py: train_gpt2.c has no '{old}' (another llm.c version?)")
        code = code.replace(old, new)
    open(os.path.join(d, "train_gpt2.c"), "w").write(code)
    shutil.copytree(os.path.join(src, "llmc"), os.path.join(d, "llmc"), dirs_exist_ok=True)
    subprocess.run(["gcc", "-Ofast", "-march=native", "-fopenmp", "-Wno-unused-result", "-I" + d,
                    os.path.join(d, "train_gpt2.c"), "-lm", "-o", os.path.join(d, "train_gpt2")], check=True)
    # checkpoint: header [20240326, 3, maxT, V, L, NH, C, Vp], then the 16 tensors in llm.c's order
    C, L, NH, V, maxT = 128, 4, 4, 512, SEQ
    rng = random.Random(1)
    normal = lambda n: array.array("f", (rng.gauss(0.0, 0.02) for _ in range(n)))
    ones = lambda n: array.array("f", [1.0] * n)
    zeros = lambda n: array.array("f", [0.0] * n)
    tensors = [normal(V * C), normal(maxT * C), ones(L * C), zeros(L * C), normal(L * 3 * C * C), zeros(L * 3 * C),
               normal(L * C * C), zeros(L * C), ones(L * C), zeros(L * C), normal(L * 4 * C * C), zeros(L * 4 * C),
               normal(L * C * 4 * C), zeros(L * C), ones(C), zeros(C)]
    with open(os.path.join(d, "gpt2_124M.bin"), "wb") as f:
        f.write(struct.pack("256i", *([20240326, 3, maxT, V, L, NH, C, V] + [0] * 248)))
        for t in tensors:
            t.tofile(f)
    # token files: our tok512 ids of the corpus (BOS first), 90% train, 10% validation
    # (in pieces of whole paragraphs: one argument may hold at most 128 KiB; each piece starts with BOS)
    paragraphs, pieces = open(corpus, encoding="utf-8").read().split("\n\n"), [""]
    for para in paragraphs:
        if len(pieces[-1]) + len(para) > 60000:
            pieces.append("")
        pieces[-1] += para + "\n\n"
    ids = []
    for piece in pieces:
        ids += [int(x) for x in subprocess.run([cli, "tokenize", "--model", tokenizer_model, "--text", piece],
                                               check=True, capture_output=True, text=True).stdout.split()]
    cut = len(ids) * 9 // 10
    for name, part in [("TinyStories_train.bin", ids[:cut]), ("TinyStories_val.bin", ids[cut:])]:
        with open(os.path.join(d, "dev/data/tinystories", name), "wb") as f:
            f.write(struct.pack("256i", *([20240520, 1, len(part)] + [0] * 253)))
            array.array("H", part).tofile(f)
    return d


def llmc_rate(d, threads):
    out = subprocess.run([os.path.join(d, "train_gpt2")], cwd=d, check=True, capture_output=True, text=True,
                         env=dict(os.environ, OMP_NUM_THREADS=str(threads))).stdout
    ms = [float(m) for m in re.findall(r"took ([0-9.]+) ms", out)]
    return statistics.median(BATCH * SEQ / (t / 1000) for t in ms[1:]) if len(ms) > 1 else 0.0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=os.path.join(here, "../../build/release/app/cli/anatomy-cli"))
    ap.add_argument("--threads", default="1 2")
    ap.add_argument("--steps", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--llmc", help="karpathy/llm.c source tree: also run train_gpt2.c on the GPT-2 shape")
    ap.add_argument("--work", help="scratch folder outside the project (default: a new temporary one)")
    ap.add_argument("--corpus", default=os.path.join(here, "../../../shared/corpus/tinystories/tinystories_train_head_197K.txt"))
    ap.add_argument("--tokenizer-model", default=os.path.join(here, "../../../shared/models/stories260K/stories260K.bin"))
    a = ap.parse_args()
    work = a.work or tempfile.mkdtemp(prefix="anatomy-train-bench-")
    os.makedirs(work, exist_ok=True)
    root = os.path.realpath(os.path.join(here, "../.."))
    if os.path.realpath(work).startswith(root + os.sep):
        raise SystemExit("train_vs_torch.py: --work must lie outside the project")
    llmc = llmc_prepare(a.llmc, work, a.cli, a.corpus, a.tokenizer_model, a.steps) if a.llmc else None
    threads = [int(t) for t in a.threads.split()]
    res = {t: {"ours": [], "torch": [], "ours_gpt2": [], "llmc": []} for t in threads}
    params = 0
    cpu_ours, cpu_torch = [], []
    for _ in range(a.rounds):
        for t in threads:
            res[t]["ours"].append(ours(a.cli, t, a.steps, work))
            rate, params, cpu = torch_rate(t, a.steps)
            res[t]["torch"].append(rate)
            if t == 1:
                cpu_torch.append(cpu)
            if llmc:
                res[t]["ours_gpt2"].append(ours(a.cli, t, a.steps, work, GPT2_SHAPE, GPT2_ARCH))
                res[t]["llmc"].append(llmc_rate(llmc, t))
        cpu_ours.append(ours_cpu(a.cli, a.steps, work))
    load = open("/proc/loadavg").read().split()[:3]
    cpu_model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"CPU: {cpu_model}, {os.cpu_count()} cores; medians of {a.rounds} interleaved rounds")
    print(f"857K Llama shape ({params} parameters in PyTorch), batch {BATCH} x {SEQ}, float32, "
          f"forward + backward + AdamW; load average {' '.join(load)}")
    for t in threads:
        o, p = statistics.median(res[t]["ours"]), statistics.median(res[t]["torch"])
        print(f"threads {t}: ours {o:8.0f} tok/s   PyTorch {p:8.0f} tok/s   ratio {o / p:5.2f}x")
    if cpu_torch:
        o, p = BATCH * SEQ / statistics.median(cpu_ours), BATCH * SEQ / statistics.median(cpu_torch)
        print(f"1 thread, per CPU-second (less sensitive to the load): ours {o:8.0f} tok/s   PyTorch {p:8.0f} tok/s   "
              f"ratio {o / p:5.2f}x")
    if llmc:
        print("GPT-2 shape (dim 128, 4 layers, 4 heads, vocab 512, sequence 256, batch 8), llm.c train_gpt2.c:")
        for t in threads:
            o, p = statistics.median(res[t]["ours_gpt2"]), statistics.median(res[t]["llmc"])
            print(f"threads {t}: ours {o:8.0f} tok/s   llm.c    {p:8.0f} tok/s   ratio {o / p:5.2f}x")


if __name__ == "__main__":
    main()
