#!/usr/bin/env bash
# Issue 11's check of the weight types against llama.cpp (not a CTest: it needs a llama.cpp
# build and its gguf-py, under /tmp, none of which is committed here):
#   1. make_quant_models.py writes a random-weight F32 llama GGUF (dim 256, hidden 768);
#   2. llama-quantize writes it in each type (F16, BF16, Q4_0 ... Q8_0, Q2_K, Q3_K_M, Q4_K_M, ...);
#   3. gguf-py dequantizes each quantized file back to an F32 file;
#   4. llamacpp_dump_logits (built here against libllama) gives llama.cpp's logits on the F32 file
#      and on the quantized file, anatomy-cli its logits on the quantized file; the table prints
#      ours vs llama.cpp-on-F32 (issue: <= 1e-3) and llama.cpp's quantized path (which also
#      quantizes the activations) vs the same, with mean KL and top-1 agreement.
# Usage: check_quant_llamacpp.sh CLI LLAMACPP_SRC LLAMACPP_BUILD SHARED [WORKDIR]
set -euo pipefail
cli=$(realpath "$1"); src=$2; build=$3; shared=$(realpath "$4"); work=${5:-/tmp/anatomy-quant-check}
here=$(cd "$(dirname "$0")" && pwd)
py() { PYTHONPATH="$src/gguf-py" /usr/bin/python3 "$@"; }
mkdir -p "$work" && cd "$work"
g++ -O1 -std=c++17 "$here/llamacpp_dump_logits.cpp" -I"$src/include" -I"$src/ggml/include" \
  -L"$build/bin" -lllama -lggml -lggml-base -Wl,-rpath,"$build/bin" -o dump_logits
py "$here/make_quant_models.py" make f32.gguf "$shared/models/stories260K/stories260K.gguf"
prompt="Once upon a time, there was a little girl named Lily. She loved to play outside in the park."
ids=$("$cli" tokenize --model f32.gguf --text "$prompt")
for q in F16 BF16 Q4_0 Q4_1 Q5_0 Q5_1 Q8_0 Q2_K Q3_K_M Q4_K_M Q5_K_M Q6_K; do
  "$build/bin/llama-quantize" f32.gguf "$q.gguf" "$q" > "$q.quantize.log" 2>&1
  py "$here/make_quant_models.py" dequant "$q.gguf" "${q}_deq.gguf" 2> "$q.types"
  ./dump_logits "${q}_deq.gguf" "lc_${q}_deq.npy" $ids 2> /dev/null
  ./dump_logits "$q.gguf" "lc_$q.npy" $ids 2> /dev/null
  ANATOMY_ACTIVATIONS=float "$cli" generate --model "$q.gguf" --prompt "$prompt" \
    --temperature 0 --max-new-tokens 1 --threads 2 --dump-logits "ours_$q.npy" > /dev/null 2>&1
  py - "$q" "$(wc -w <<< "$ids")" <<'PY'
import sys
import numpy as np
q, n = sys.argv[1], int(sys.argv[2])
ours = np.load(f'ours_{q}.npy')[:n]; ref = np.load(f'lc_{q}_deq.npy'); lq = np.load(f'lc_{q}.npy')
def lsm(x): x = x - x.max(1, keepdims=True); return x - np.log(np.exp(x).sum(1, keepdims=True))
def kl(a, b): p = np.exp(lsm(a)); return (p * (lsm(a) - lsm(b))).sum(1).mean()
types = open(f'{q}.types').read().split('{', 1)[1].rstrip().rstrip('}')
print(f'{q:7s} ours vs llama.cpp on F32: max |dlogit| {np.abs(ours - ref).max():.3g} | llama.cpp '
      f'quantized path vs F32: max {np.abs(lq - ref).max():.3g}, mean KL {kl(ref, lq):.3g}, '
      f'top-1 {(lq.argmax(1) == ref.argmax(1)).sum()}/{n} | tensors {{{types}}}')
PY
done
