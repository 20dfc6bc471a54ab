#!/usr/bin/env bash
# Reference logits for the synthetic GGUF files of every architecture (synth_gguf.h), from
# llama.cpp c392e5094 with F32 K and V caches: one TSV per architecture, one row per position of
# the token sequence below (512 logits, %.7g), under a "# ..." line naming the seed and tokens.
# torch_<arch>.tsv: the same from an independent PyTorch float64 forward (torch_zoo.py), for Qwen 3
# (newer than that llama.cpp) and the GELU architectures (llama.cpp's F16 GELU table moves their
# logits by up to ~4e-3; PyTorch computes the function itself).
# Usage: make_zoo_reference.sh CLI LLAMA_CPP_DIR OUTDIR
#   CLI: anatomy-cli (writes the files); LLAMA_CPP_DIR: a built llama.cpp checkout (build/bin/libllama.so);
#   PYTHON (default /usr/bin/python3, Debian's, with torch and numpy) runs torch_zoo.py
set -euo pipefail
cli=$1; lcpp=$2; out=$3
here=$(cd "$(dirname "$0")" && pwd)
seed=1
tokens="1 300 45 12 77 400 5 260 301 302 3 99"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
g++ -O1 -std=c++17 -I"$lcpp/include" -I"$lcpp/ggml/include" "$here/llamacpp_logits.cpp" \
  -L"$lcpp/build/bin" -lllama -lggml -lggml-base -Wl,-rpath,"$lcpp/build/bin" -o "$work/llamacpp_logits"
for arch in llama llama-linear qwen2 gpt2 gptneox phi3 gemma2; do
  "$cli" synth --arch "$arch" --seed "$seed" --out "$work/$arch.gguf" 2>/dev/null
  {
    echo "# llama.cpp c392e5094 logits, F32 KV cache: anatomy-cli synth --arch $arch --seed $seed; tokens $tokens"
    "$work/llamacpp_logits" "$work/$arch.gguf" $tokens | python3 -c '
import sys
for line in sys.stdin:
    print("\t".join("%.7g" % float(v) for v in line.split("\t")))'
  } > "$out/logits_$arch.tsv"
done
for arch in qwen3 gpt2 gptneox gemma2; do
  "${PYTHON:-/usr/bin/python3}" "$here/torch_zoo.py" "$cli" "$arch" "$seed" "$tokens" > "$out/torch_$arch.tsv"
done
