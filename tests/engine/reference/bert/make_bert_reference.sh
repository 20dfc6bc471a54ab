#!/usr/bin/env bash
# Reference sentence embeddings for the synthetic bert GGUF files (anatomy-cli synth --arch bert |
# bert-cls, seed 1: mean and CLS pooling), from llama.cpp c392e5094's llama-embedding with its
# defaults (L2-normalised, --embd-normalize 2): one TSV per file, one row per line of prompts.txt
# (64 values, as llama-embedding prints them, %.7f), under a "# ..." line naming the seed.
# Usage: make_bert_reference.sh CLI LLAMA_CPP_DIR OUTDIR
#   CLI: anatomy-cli (writes the files); LLAMA_CPP_DIR: a llama.cpp checkout with
#   build/bin/llama-embedding (cmake --build build --target llama-embedding)
set -euo pipefail
cli=$1; lcpp=$2; out=$3
here=$(cd "$(dirname "$0")" && pwd)
seed=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for arch in bert bert-cls; do
  "$cli" synth --arch "$arch" --seed "$seed" --out "$work/$arch.gguf" 2>/dev/null
  # The whole file as one batch: a context as long as the position table (64), each line its own sequence.
  "$lcpp/build/bin/llama-embedding" -m "$work/$arch.gguf" -c 64 -b 64 -ub 64 -t 2 \
      -p "$(cat "$here/prompts.txt")" --embd-output-format array 2>/dev/null > "$work/$arch.json"
  {
    echo "# llama.cpp c392e5094 llama-embedding (L2-normalised): anatomy-cli synth --arch $arch --seed $seed; rows: prompts.txt"
    python3 -c '
import json, sys
for row in json.load(open(sys.argv[1])):
    print("\t".join("%.7f" % v for v in row))' "$work/$arch.json"
  } > "$out/embeddings_$arch.tsv"
done
