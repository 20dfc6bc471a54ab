#!/usr/bin/env bash
# Reference sentence embeddings for the synthetic bert GGUF files (anatomy-cli synth --arch bert |
# bert-cls, seed 1: mean and CLS pooling), from llama.cpp c392e5094's llama-embedding with its
# defaults (L2-normalised, --embd-normalize 2): one TSV per file, one row per line of prompts.txt
# (64 values, as llama-embedding prints them, %.7f), under a "# ..." line naming the seed.
# bert-fused (q, k, v in one attn_qkv tensor): llama.cpp c392e5094 reads attn_qkv only for
# nomic-bert, so split_fused_qkv.py (llama.cpp's gguf-py) cuts it into attn_q, attn_k, attn_v at
# the offsets llama.cpp views a fused tensor with, and llama-embedding runs on that copy.
# bert-f16, bert-q8_0: the bert file's matrices stored as F16 / Q8_0 (llama.cpp's Q8_0 path also
# quantizes the activations, as ours does by default).
# Usage: make_bert_reference.sh CLI LLAMA_CPP_DIR OUTDIR
#   CLI: anatomy-cli (writes the files); LLAMA_CPP_DIR: a llama.cpp checkout with
#   build/bin/llama-embedding (cmake --build build --target llama-embedding) and gguf-py;
#   PYTHON (default /usr/bin/python3, with numpy) runs split_fused_qkv.py
set -euo pipefail
cli=$1; lcpp=$2; out=$3
here=$(cd "$(dirname "$0")" && pwd)
seed=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for arch in bert bert-cls bert-fused bert-f16 bert-q8_0; do
  "$cli" synth --arch "$arch" --seed "$seed" --out "$work/$arch.gguf" 2>/dev/null
  file="$work/$arch.gguf"
  if [ "$arch" = bert-fused ]; then
    PYTHONPATH="$lcpp/gguf-py" "${PYTHON:-/usr/bin/python3}" "$here/split_fused_qkv.py" "$file" "$work/split.gguf"
    file="$work/split.gguf"
  fi
  # The whole file as one batch: a context as long as the position table (64), each line its own sequence.
  "$lcpp/build/bin/llama-embedding" -m "$file" -c 64 -b 64 -ub 64 -t 2 \
      -p "$(cat "$here/prompts.txt")" --embd-output-format array 2>/dev/null > "$work/$arch.json"
  {
    note=""
    [ "$arch" = bert-fused ] && note=" (attn_qkv split into attn_q, attn_k, attn_v by split_fused_qkv.py)"
    echo "# llama.cpp c392e5094 llama-embedding (L2-normalised): anatomy-cli synth --arch $arch --seed $seed$note; rows: prompts.txt"
    python3 -c '
import json, sys
for row in json.load(open(sys.argv[1])):
    print("\t".join("%.7f" % v for v in row))' "$work/$arch.json"
  } > "$out/embeddings_$arch.tsv"
done
