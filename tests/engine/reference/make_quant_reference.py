#!/usr/bin/env python3
"""Writes quant_blocks.txt: seeded random ggml blocks of every weight type the engine reads, with
the floats llama.cpp's gguf-py dequantizes them to (gguf.quants.dequantize), for
tests/engine/kernels/test_ggml_types.cpp to compare with bit for bit.

Usage (gguf-py from llama.cpp c392e5094, not committed here):
  PYTHONPATH=/path/to/llama.cpp/gguf-py python3 make_quant_reference.py > quant_blocks.txt

Format, one record per line:
  type NAME ID BLOCK_SIZE BLOCK_BYTES N_BLOCKS
  block HEX                        the raw bytes of one block
  values HEX8 HEX8 ...             the block's dequantized float32 values, as IEEE bit patterns
Blocks are random bytes with every f16 field (scales, mins) replaced by a sane value (finite,
|d| in [1e-3, 1e-1], either sign, a few subnormal or zero), so each holds finite numbers; F16 and
BF16 are random finite halves.
"""
import sys

import numpy as np
from gguf import GGMLQuantizationType as T
from gguf.constants import GGML_QUANT_SIZES
from gguf.quants import dequantize

SEED = 20261201
BLOCKS = 4

# Byte offsets of the f16 fields of each block type (ggml-common.h).
F16_FIELDS = {
    T.Q4_0: [0], T.Q4_1: [0, 2], T.Q5_0: [0], T.Q5_1: [0, 2], T.Q8_0: [0],
    T.Q2_K: [80, 82], T.Q3_K: [108], T.Q4_K: [0, 2], T.Q5_K: [0, 2], T.Q6_K: [208],
}
TYPES = [T.F16, T.BF16, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.Q8_0,
         T.Q2_K, T.Q3_K, T.Q4_K, T.Q5_K, T.Q6_K]


def sane_halves(rng, n):
    v = rng.uniform(1e-3, 1e-1, n) * rng.choice([-1.0, 1.0], n)
    h = v.astype(np.float16)
    h[rng.random(n) < 0.05] = np.float16(0.0)
    h[rng.random(n) < 0.05] = np.float16(3e-6)  # subnormal
    return h


def blocks_of(rng, qtype):
    bs, nbytes = GGML_QUANT_SIZES[qtype]
    if qtype == T.F16:
        vals = rng.normal(0, 1, 32 * BLOCKS).astype(np.float16)
        return np.frombuffer(vals.tobytes(), dtype=np.uint8).reshape(-1, 2)
    if qtype == T.BF16:
        vals = rng.normal(0, 1, 32 * BLOCKS).astype(np.float32)
        bits = (vals.view(np.uint32) >> 16).astype(np.uint16)
        return np.frombuffer(bits.tobytes(), dtype=np.uint8).reshape(-1, 2)
    raw = rng.integers(0, 256, size=(BLOCKS, nbytes), dtype=np.uint8)
    for off in F16_FIELDS[qtype]:
        raw[:, off:off + 2] = np.frombuffer(sane_halves(rng, BLOCKS).tobytes(),
                                            dtype=np.uint8).reshape(BLOCKS, 2)
    return raw


def main():
    rng = np.random.default_rng(SEED)
    out = sys.stdout
    out.write("# ggml blocks and gguf-py's dequantization of them (make_quant_reference.py, "
              f"seed {SEED})\n")
    for qtype in TYPES:
        bs, nbytes = GGML_QUANT_SIZES[qtype]
        raw = blocks_of(rng, qtype)
        vals = dequantize(raw.reshape(1, -1), qtype).reshape(-1)
        assert vals.dtype == np.float32 and np.all(np.isfinite(vals))
        # F16 and BF16 "blocks" are single values: written 32 to a record, like one Q8_0 block.
        per = 32 if bs == 1 else bs
        nrec = vals.size // per
        bytes_per = nbytes * per // bs
        flat = raw.reshape(-1)
        out.write(f"type {qtype.name} {int(qtype)} {per} {bytes_per} {nrec}\n")
        for r in range(nrec):
            out.write("block " + flat[r * bytes_per:(r + 1) * bytes_per].tobytes().hex() + "\n")
            out.write("values " + " ".join(f"{b:08x}" for b in
                                           vals[r * per:(r + 1) * per].view(np.uint32)) + "\n")


if __name__ == "__main__":
    main()
