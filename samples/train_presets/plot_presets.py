#!/usr/bin/python3
"""Figures of the training presets from run_presets.sh's logs (Debian: python3-matplotlib).

    /usr/bin/python3 samples/train_presets/plot_presets.py OUT [FIGURES]

OUT is run_presets.sh's folder (one subfolder per preset, one VARIANT.jsonl per config);
FIGURES defaults to samples/train_presets/figures. One small PNG per preset that has logs.
"""
import glob
import json
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def load(folder):
    runs = {}
    for path in sorted(glob.glob(os.path.join(folder, "*.jsonl"))):
        lines = [json.loads(l) for l in open(path) if l.strip()]
        steps = [l for l in lines if "step" in l]
        if not steps:
            continue
        cfg = json.load(open(os.path.join(HERE, os.path.basename(folder), os.path.basename(path)[:-6] + ".json")))
        runs[os.path.basename(path)[:-6]] = {
            "steps": steps,
            "lengths": [l for l in lines if "eval_length" in l],
            "done": next((l for l in lines if l.get("done")), None),
            "config": cfg,
        }
    return runs


def series(run, key):
    xs, ys = [], []
    for l in run["steps"]:
        if l.get(key) is not None:
            xs.append(l["step"])
            ys.append(l[key])
    return xs, ys


def final_val(run):
    return next(l["val_loss"] for l in reversed(run["steps"]) if l.get("val_loss") is not None)


def figure(title):
    fig, axes = plt.subplots(1, 2, figsize=(8.4, 3.0), dpi=90)
    fig.suptitle(title, fontsize=11)
    return fig, axes


def val_curves(ax, runs, label=lambda n, r: n):
    for name, r in runs.items():
        x, y = series(r, "val_loss")
        ax.plot(x, y, marker="o", ms=3, label=label(name, r))
    ax.set_xlabel("step")
    ax.set_ylabel("validation loss (nats/token)")
    ax.legend(fontsize=7)


def sinks(runs, ax):
    for name, r in runs.items():
        x = [l["step"] for l in r["steps"]]
        y = [sum(sum(h) for h in l["first_token_mass"]) / sum(len(h) for h in l["first_token_mass"]) for l in r["steps"]]
        ax[0].plot(x, y, label=name)
    ax[0].set_xlabel("step")
    ax[0].set_ylabel("first-token attention mass\n(mean over layers and heads)")
    ax[0].legend(fontsize=7)
    val_curves(ax[1], runs)


def moe(runs, ax):
    for name, r in runs.items():
        x = [l["step"] for l in r["steps"]]
        cv = []
        for l in r["steps"]:
            per_layer = []
            for load in l["expert_load"]:
                m = sum(load) / len(load)
                per_layer.append(math.sqrt(sum((v - m) ** 2 for v in load) / len(load)) / m)
            cv.append(sum(per_layer) / len(per_layer))
        ax[0].plot(x, cv, label=name)
        ax[1].plot(x, [100 * l["dropped"] for l in r["steps"]], label=name)
    ax[0].set_xlabel("step")
    ax[0].set_ylabel("expert load CV (mean over layers)")
    ax[0].legend(fontsize=7)
    ax[1].set_xlabel("step")
    ax[1].set_ylabel("tokens dropped at capacity (%)")
    ax[1].legend(fontsize=7)


def depth(runs, ax):
    for name, r in runs.items():
        x, y = series(r, "train_loss")
        ax[0].plot(x, y, label=name)
        # gradient norm per layer, mean over the first 20 logged steps (no warmup: the start matters)
        first = r["steps"][:20]
        L = len(first[0]["grad_norm_layers"])
        ax[1].semilogy(range(L), [sum(l["grad_norm_layers"][i] for l in first) / len(first) for i in range(L)],
                       marker="o", ms=3, label=name)
    ax[0].set_xlabel("step")
    ax[0].set_ylabel("train loss")
    ax[0].legend(fontsize=7)
    ax[1].set_xlabel("layer")
    ax[1].set_ylabel("gradient norm, first 20 logged steps")
    ax[1].legend(fontsize=7)


def positions(runs, ax):
    trained = None
    for name, r in runs.items():
        trained = r["config"]["optimisation"]["sequence"]
        pts = [(l["eval_length"], l["val_loss"]) for l in r["lengths"] if l["val_loss"] is not None]
        ax[0].plot([p[0] for p in pts], [math.exp(p[1]) for p in pts], marker="o", ms=3, label=name)
    if trained:
        ax[0].axvline(trained, color="gray", ls="--", lw=1)
    ax[0].set_xscale("log", base=2)
    ax[0].set_yscale("log")
    ax[0].set_xlabel("evaluated sequence length (trained: dashed)")
    ax[0].set_ylabel("validation perplexity")
    ax[0].legend(fontsize=7)
    val_curves(ax[1], runs)


def kv_heads(runs, ax):
    for name, r in runs.items():
        s = r["config"]["shape"]
        a = r["config"]["architecture"]
        if a.get("kv.sharing") == "latent":  # MLA caches the latent and the decoupled RoPE key
            rope_dim = a.get("mla.rope_dim", max(2, (s["dim"] // s["heads"] // 2) & ~1))
            kv_bytes = s["layers"] * (a["kv.rank"] + rope_dim) * 4
        else:
            kv_bytes = 2 * s["layers"] * s["kv_heads"] * (s["dim"] // s["heads"]) * 4
        ax[0].scatter([kv_bytes], [final_val(r)])
        ax[0].annotate(name, (kv_bytes, final_val(r)), fontsize=8, xytext=(4, 4), textcoords="offset points")
    ax[0].set_xscale("log", base=2)
    ax[0].set_xlabel("KV-cache bytes per token (float32)")
    ax[0].set_ylabel("final validation loss")
    val_curves(ax[1], runs)


def norm_type(runs, ax):
    for i, (name, r) in enumerate(runs.items()):
        color = f"C{i}"
        x, y = series(r, "val_loss")
        ax[0].plot(x, y, marker="o", ms=3, color=color, label=f"{name} (batch {r['config']['optimisation']['batch']})")
        xb, yb = series(r, "val_loss_batch_stats")
        if xb:
            ax[0].plot(xb, yb, ls="--", color=color, label=f"{name}, with batch statistics")
        xt, yt = series(r, "train_loss")
        ax[1].plot(xt, yt, color=color, lw=1, label=name)
    ax[0].set_xlabel("step")
    ax[0].set_ylabel("validation loss (running statistics: solid)")
    ax[0].legend(fontsize=6)
    ax[1].set_xlabel("step")
    ax[1].set_ylabel("train loss (batch statistics)")
    ax[1].legend(fontsize=7)


def params_label(name, r):
    s = r["config"]["shape"]
    gated = r["config"]["architecture"].get("ffn.gated", True)
    return f"{name} (FFN {(3 if gated else 2) * s['hidden'] * s['dim'] * s['layers'] // 1000}K params)"


def simple(runs, ax):
    val_curves(ax[0], runs, params_label)
    for name, r in runs.items():
        x, y = series(r, "train_loss")
        ax[1].plot(x, y, label=name, lw=1)
    ax[1].set_xlabel("step")
    ax[1].set_ylabel("train loss")
    ax[1].legend(fontsize=7)


PRESETS = {
    "1-sinks": ("Attention sinks: plain vs gated attention", sinks),
    "2-moe": ("MoE (4 experts, top-2): with and without the auxiliary loss, capacity 1.0 / 1.25", moe),
    "3-depth": ("10 layers, no warmup: pre-norm vs post-norm vs DeepNorm", depth),
    "4-positions": ("Positions trained at 64 tokens, evaluated at 0.5x to 4x", positions),
    "5-kv-heads": ("MHA vs GQA vs MQA vs MLA (8 query heads)", kv_heads),
    "6-norm-type": ("RMSNorm vs LayerNorm vs BatchNorm: BatchNorm's train/eval gap", norm_type),
    "7-ffn": ("SwiGLU vs GELU vs ReLU at equal FFN parameters", simple),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "build/presets"
    figures = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "figures")
    os.makedirs(figures, exist_ok=True)
    for preset, (title, draw) in PRESETS.items():
        runs = load(os.path.join(out, preset))
        if not runs:
            print(f"{preset}: no logs, skipped")
            continue
        fig, ax = figure(title)
        draw(runs, ax)
        for a in ax:
            a.grid(alpha=0.3)
            a.tick_params(labelsize=8)
            a.xaxis.label.set_size(8)
            a.yaxis.label.set_size(8)
        fig.tight_layout()
        path = os.path.join(figures, preset + ".png")
        fig.savefig(path)
        plt.close(fig)
        summary = ", ".join(f"{n} {final_val(r):.3f}" for n, r in runs.items())
        print(f"{preset}: {path}; final validation loss: {summary}")


if __name__ == "__main__":
    main()
