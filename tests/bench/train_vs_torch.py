#!/usr/bin/python3
"""Training speed, ours against PyTorch, side by side in one run (a benchmark, not a test).

    /usr/bin/python3 tests/bench/train_vs_torch.py [--cli build/release/app/cli/anatomy-cli]
        [--threads "1 2"] [--steps 8] [--rounds 2]

The model is issue 13's 857K-parameter Llama shape (dim 128, 4 layers, 4 heads, hidden 344,
vocab 512, batch 8 x sequence 256), float32, forward + backward + AdamW. Each round runs ours then
PyTorch at each thread count (interleaved, so a change in the machine's load hits both); a
number is the median over rounds of the median step's tokens/s, the first step excluded
(allocation, tokenization). The load average (uptime) is printed with the numbers, and at 1
thread also tokens per CPU-second (process CPU time per step), which a busy machine disturbs less.
"""
import argparse
import json
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


def ours(cli, threads, steps, work):
    cfg = {"shape": SHAPE, "optimisation": {"steps": steps, "batch": BATCH, "sequence": SEQ, "warmup": 2},
           "data": {"log_every": 1, "eval_every": 100000}}
    path = os.path.join(work, "bench.json")
    with open(path, "w") as f:
        json.dump(cfg, f)
    out = subprocess.run([cli, "train", "--config", path, "--out", os.path.join(work, "bench.bin"),
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


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=os.path.join(here, "../../build/release/app/cli/anatomy-cli"))
    ap.add_argument("--threads", default="1 2")
    ap.add_argument("--steps", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="anatomy-train-bench-")
    threads = [int(t) for t in a.threads.split()]
    res = {t: {"ours": [], "torch": []} for t in threads}
    params = 0
    cpu_ours, cpu_torch = [], []
    for _ in range(a.rounds):
        for t in threads:
            res[t]["ours"].append(ours(a.cli, t, a.steps, work))
            rate, params, cpu = torch_rate(t, a.steps)
            res[t]["torch"].append(rate)
            if t == 1:
                cpu_torch.append(cpu)
        cpu_ours.append(ours_cpu(a.cli, a.steps, work))
    load = open("/proc/loadavg").read().split()[:3]
    print(f"857K Llama shape ({params} parameters in PyTorch), batch {BATCH} x {SEQ}, float32, "
          f"forward + backward + AdamW; load average {' '.join(load)}")
    for t in threads:
        o, p = statistics.median(res[t]["ours"]), statistics.median(res[t]["torch"])
        print(f"threads {t}: ours {o:8.0f} tok/s   PyTorch {p:8.0f} tok/s   ratio {o / p:5.2f}x")
    if cpu_torch:
        o, p = BATCH * SEQ / statistics.median(cpu_ours), BATCH * SEQ / statistics.median(cpu_torch)
        print(f"1 thread, per CPU-second (less sensitive to the load): ours {o:8.0f} tok/s   PyTorch {p:8.0f} tok/s   "
              f"ratio {o / p:5.2f}x")


if __name__ == "__main__":
    main()
