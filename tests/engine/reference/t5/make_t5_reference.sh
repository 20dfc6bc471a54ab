#!/usr/bin/env bash
# Reference decoder logits for the synthetic t5 files (synth_gguf.h: anatomy-cli synth --arch t5 /
# t5-gated) from llama.cpp c392e5094 with F32 K and V caches: llama_encode over ENC, then
# llama_decode over DEC (every position's logits); one TSV per case, one row per decoder position
# (512 logits, %.7g), under a "# ..." line naming the seed and tokens; also for the t5 file
# with F16 and Q8_0 matrices (t5-f16, t5-q8_0).
# torch_CASE.tsv: the same from an independent PyTorch float64 forward (torch_t5.py): llama.cpp
# evaluates GELU from an F16 table, which moves the gated file's logits by ~2e-3.
# Usage: make_t5_reference.sh CLI LLAMA_CPP_DIR OUTDIR
#   CLI: anatomy-cli (writes the files); LLAMA_CPP_DIR: a built llama.cpp checkout (build/bin/libllama.so)
#   PYTHON (default /usr/bin/python3, Debian's, with torch and numpy) runs torch_t5.py
set -euo pipefail
cli=$1; lcpp=$2; out=$3
here=$(cd "$(dirname "$0")" && pwd)
seed=1
# 20 input tokens (</s> last) and 20 decoder tokens (<pad> first): distances past the exact
# buckets of both stacks (8 per direction bidirectional, 16 causal) reach the log-spaced ones.
enc="3,29,31,32,3,33,40,41,42,43,44,45,46,47,48,49,50,51,52,1"
dec="0,5,6,7,300,301,302,303,304,305,306,307,308,309,310,311,312,313,314,315"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
g++ -O1 -std=c++17 -I"$lcpp/include" -I"$lcpp/ggml/include" "$here/llamacpp_t5_logits.cpp" \
  -L"$lcpp/build/bin" -lllama -lggml -lggml-base -Wl,-rpath,"$lcpp/build/bin" -o "$work/llamacpp_t5_logits"
# t5-f16, t5-q8_0: the t5 file's draws with the matrices stored as F16 / Q8_0 (llama.cpp runs
# them as stored: its F16 and Q8_0 products round the activations to F16 / Q8_0 too).
for arch in t5 t5-gated t5-f16 t5-q8_0; do
  "$cli" synth --arch "$arch" --seed "$seed" --out "$work/$arch.gguf" 2>/dev/null
  {
    echo "# llama.cpp c392e5094 logits, F32 KV cache: anatomy-cli synth --arch $arch --seed $seed; encoder $enc; decoder $dec"
    "$work/llamacpp_t5_logits" "$work/$arch.gguf" "$enc" "$dec" | python3 -c '
import sys
for line in sys.stdin:
    print("\t".join("%.7g" % float(v) for v in line.split("\t")))'
  } > "$out/logits_$arch.tsv"
done
# logits_t5-gated-exact-gelu.tsv: the same run with ggml's GELU evaluated exactly (ggml-cpu.c
# without GGML_GELU_FP16, rebuilt here under $work from the checkout's own compile command and
# objects; nothing of llama.cpp is kept): the F16 table is then the only difference measured.
python3 - "$lcpp/build/compile_commands.json" "$work" <<'PY'
import json, re, subprocess, sys
cmds, work = sys.argv[1], sys.argv[2]
e = next(e for e in json.load(open(cmds)) if e["file"].endswith("ggml-cpu/ggml-cpu.c"))
src = open(e["file"]).read()
assert "#define GGML_GELU_FP16\n" in src
open(work + "/ggml-cpu.c", "w").write(src.replace("#define GGML_GELU_FP16\n", "\n", 1))
cmd = re.sub(r"-o \S+ -c \S+", "-o " + work + "/ggml-cpu.c.o -c " + work + "/ggml-cpu.c", e["command"])
subprocess.run(cmd, shell=True, check=True, cwd=e["directory"])
PY
objs=$(find "$lcpp/build/ggml/src/CMakeFiles/ggml-cpu.dir" -name '*.o' ! -name 'ggml-cpu.c.o')
mkdir -p "$work/exact"
g++ -shared -fPIC -o "$work/exact/libggml-cpu.so" "$work/ggml-cpu.c.o" $objs -Wl,-soname,libggml-cpu.so \
  -L"$lcpp/build/bin" -lggml-base -fopenmp
{
  echo "# llama.cpp c392e5094 logits with GGML_GELU_FP16 off (exact GELU), F32 KV cache: anatomy-cli synth --arch t5-gated --seed $seed; encoder $enc; decoder $dec"
  LD_LIBRARY_PATH="$work/exact" "$work/llamacpp_t5_logits" "$work/t5-gated.gguf" "$enc" "$dec" | python3 -c '
import sys
for line in sys.stdin:
    print("\t".join("%.7g" % float(v) for v in line.split("\t")))'
} > "$out/logits_t5-gated-exact-gelu.tsv"
for arch in t5 t5-gated; do
  "${PYTHON:-/usr/bin/python3}" "$here/torch_t5.py" "$cli" "$arch" "$seed" "$enc" "$dec" > "$out/torch_$arch.tsv"
done
