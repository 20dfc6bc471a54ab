#!/usr/bin/env bash
# Decode and prefill speed of this engine, llama2.c's run.c and llama.cpp, measured side by side
# on this machine: the same random-weight checkpoints (anatomy-cli synth), converted to GGUF with
# llama.cpp's own llama2.c converter (and quantised to Q8_0 with llama-quantize), every engine
# run interleaved at each thread count, medians over --runs repetitions.
#
#   tests/bench/compare.sh --llama2c DIR --llamacpp DIR [--runs 3] [--threads "1 2"]
#       [--shapes "stories15M stories42M stories110M"] [--work /tmp/anatomy-compare]
#       [--cli build/release/app/cli/anatomy-cli] [--no-q8] [--build-only]
#
# DIR are source trees the user provides (karpathy/llama2.c, ggerganov/llama.cpp c392e5094d);
# they are built under --work (never inside this project), and nothing of theirs is committed.
# stories260K from ../shared (or $ANATOMY_SHARED_DIR) is added when present.
# Decode: run.c's "achieved tok/s" for 256 steps from BOS; llama-bench tg256 from an empty
# context; ours bench --prompt-tokens 1 --gen-tokens 255 (the same 255 timed positions).
# Prefill: llama-bench pp128; ours bench --prompt-tokens 128 (run.c has no batched prefill).
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
llama2c="" llamacpp="" runs=3 threads="1 2" shapes="stories15M stories42M stories110M"
work=/tmp/anatomy-compare cli="$here/build/release/app/cli/anatomy-cli" q8=1 buildOnly=0
usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --llama2c) llama2c=$2; shift 2 ;;
    --llamacpp) llamacpp=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --shapes) shapes=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --cli) cli=$2; shift 2 ;;
    --no-q8) q8=0; shift ;;
    --build-only) buildOnly=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "compare.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
[ -n "$llama2c" ] && [ -f "$llama2c/run.c" ] || { echo "compare.sh: --llama2c DIR must hold run.c" >&2; exit 2; }
[ -n "$llamacpp" ] && [ -f "$llamacpp/CMakeLists.txt" ] || { echo "compare.sh: --llamacpp DIR must be a llama.cpp source tree" >&2; exit 2; }
[ -x "$cli" ] || { echo "compare.sh: $cli not built (cmake --build --preset release --target anatomy-cli)" >&2; exit 2; }
case "$work" in "$here"|"$here"/*) echo "compare.sh: --work must lie outside the project" >&2; exit 2 ;; esac
mkdir -p "$work/models" "$work/logs"
log() { echo "[compare] $*" >&2; }

# ---- build the other engines (once; delete $work to rebuild) ----------------------------------
if [ ! -x "$work/run" ] || [ ! -x "$work/run_omp" ]; then
  log "building run.c (gcc -Ofast -march=native, and -fopenmp for threads)"
  gcc -Ofast -march=native "$llama2c/run.c" -lm -o "$work/run"
  gcc -Ofast -march=native -fopenmp "$llama2c/run.c" -lm -o "$work/run_omp"
fi
lcb="$work/llama.cpp-build"
if [ ! -x "$lcb/bin/llama-bench" ] || [ ! -x "$lcb/bin/llama-convert-llama2c-to-ggml" ] || [ ! -x "$lcb/bin/llama-quantize" ]; then
  log "building llama.cpp (Release, native) in $lcb"
  cmake -S "$llamacpp" -B "$lcb" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DLLAMA_CURL=OFF \
        -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF > "$work/logs/llama.cpp-configure.log"
  cmake --build "$lcb" -j "$(nproc)" --target llama-bench llama-convert-llama2c-to-ggml llama-quantize \
        > "$work/logs/llama.cpp-build.log"
fi
[ "$buildOnly" = 1 ] && { log "built under $work"; exit 0; }

# ---- models --------------------------------------------------------------------------------
# name|llama2.c checkpoint|tokenizer for run.c|GGUF (F32)|GGUF (Q8_0 or empty)
models=()
for s in $shapes; do
  bin="$work/models/$s.bin" gguf="$work/models/$s.gguf" q="$work/models/$s-q8_0.gguf"
  [ -f "$bin" ] || { log "synth $s"; "$cli" synth --shape "$s" --out "$bin" 2>> "$work/logs/synth.log"; }
  [ -f "$gguf" ] || { log "convert $s to GGUF"; "$lcb/bin/llama-convert-llama2c-to-ggml" \
      --copy-vocab-from-model "$llama2c/tokenizer.bin" --llama2c-model "$bin" \
      --llama2c-output-model "$gguf" > "$work/logs/convert-$s.log" 2>&1; }
  if [ "$q8" = 1 ]; then
    [ -f "$q" ] || { log "quantize $s to Q8_0"; "$lcb/bin/llama-quantize" "$gguf" "$q" Q8_0 \
        > "$work/logs/quantize-$s.log" 2>&1; }
  else q=""; fi
  models+=("$s|$bin|$llama2c/tokenizer.bin|$gguf|$q")
done
shared=${ANATOMY_SHARED_DIR:-$here/../shared}
if [ -f "$shared/models/stories260K/stories260K.gguf" ]; then
  m="$shared/models/stories260K"
  models=("stories260K|$m/stories260K.bin|$m/tok512.bin|$m/stories260K.gguf|" "${models[@]}")
fi

# ---- one measurement of each engine; results appended to $raw as "model threads key value" ---
raw="$work/results.txt"
: > "$raw"; rm -f "$work/cpu.txt"  # this run's CPU line only
num() { grep -o "\"$1\": [0-9.]*" | head -1 | awk '{print $2}'; }
# avg_ts of the llama-bench CSV row with n_prompt = $1 and n_gen = $2 (stdin).
lbts() { tr -d '"' | awk -F, -v p="$1" -v g="$2" 'NR==1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
  $c["n_prompt"] == p && $c["n_gen"] == g {print $c["avg_ts"]}'; }
measure() {  # name bin tok gguf q8 threads
  local name=$1 bin=$2 tok=$3 gguf=$4 q=$5 t=$6 out v
  local runc="$work/run"; [ "$t" -gt 1 ] && runc="$work/run_omp"
  v=$(OMP_NUM_THREADS=$t "$runc" "$bin" -z "$tok" -n 256 -t 0 -s 1 2>&1 >/dev/null | awk '/achieved tok\/s/ {print $3}')
  echo "$name $t runc_decode ${v:-nan}" >> "$raw"
  out=$("$lcb/bin/llama-bench" -m "$gguf" -p 128 -n 256 -t "$t" -r 1 -o csv 2>/dev/null)
  echo "$name $t llamacpp_prefill $(echo "$out" | lbts 128 0)" >> "$raw"
  echo "$name $t llamacpp_decode $(echo "$out" | lbts 0 256)" >> "$raw"
  out=$("$cli" bench --model "$bin" --threads "$t" --prompt-tokens 1 --gen-tokens 255 --runs 1 2>/dev/null)
  echo "$name $t ours_decode $(echo "$out" | num decode_tok_s)" >> "$raw"
  local cpu; cpu=$(echo "$out" | grep -o '"cpu": "[^"]*"' | head -1 | sed 's/"cpu": "\(.*\)"/\1/' || true)
  [ -z "$cpu" ] || echo "$cpu" > "$work/cpu.txt"  # a failed bench keeps the last line
  out=$("$cli" bench --model "$bin" --threads "$t" --prompt-tokens 128 --gen-tokens 0 --runs 3 2>/dev/null)
  echo "$name $t ours_prefill $(echo "$out" | num prefill_tok_s)" >> "$raw"
  if [ -n "$q" ]; then
    out=$("$lcb/bin/llama-bench" -m "$q" -p 0 -n 256 -t "$t" -r 1 -o csv 2>/dev/null)
    echo "$name $t llamacpp_q8_decode $(echo "$out" | lbts 0 256)" >> "$raw"
    out=$("$cli" bench --model "$q" --threads "$t" --prompt-tokens 1 --gen-tokens 255 --runs 1 2>/dev/null)
    echo "$name $t ours_q8_decode $(echo "$out" | num decode_tok_s)" >> "$raw"
  fi
}

log "load before measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$runs"); do
  for t in $threads; do
    for entry in "${models[@]}"; do
      IFS='|' read -r name bin tok gguf q <<< "$entry"
      log "run $r/$runs: $name, $t thread(s)"
      measure "$name" "$bin" "$tok" "$gguf" "$q" "$t"
    done
  done
done
load=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- table of medians ------------------------------------------------------------------------
echo
# the CPU as anatomy-cli bench names it: model name, vendor, family, model (and AMD generation)
cpu=$(cat "$work/cpu.txt" 2>/dev/null || true)
echo "CPU: ${cpu:-$(lscpu | sed -n 's/^Model name: *//p' | head -1)}; load average after: $load; medians of $runs interleaved runs"
echo
awk -v order="$(for e in "${models[@]}"; do printf '%s ' "${e%%|*}"; done)" -v threads="$threads" '
function median(key,   n, i, j, a, tmp, parts) {
  n = split(vals[key], parts, " "); if (n == 0 || vals[key] == "") return "";
  for (i = 1; i <= n; i++) a[i] = parts[i] + 0;
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { tmp = a[i]; a[i] = a[j]; a[j] = tmp }
  return a[int((n + 1) / 2)];
}
function fmt(v) { return v == "" ? "-" : sprintf("%.1f", v) }
function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "-" : sprintf("%.2fx", a / b) }
{ if ($4 != "" && $4 != "nan") vals[$1 " " $2 " " $3] = vals[$1 " " $2 " " $3] " " $4 }
END {
  print "| model, threads | decode tok/s: ours / run.c / llama.cpp | ours / best | prefill 128 tok/s: ours / llama.cpp | ratio | Q8_0 decode: ours / llama.cpp | ratio |";
  print "|---|---|---|---|---|---|---|";
  nm = split(order, ms, " "); nt = split(threads, ts, " ");
  for (i = 1; i <= nm; i++) for (k = 1; k <= nt; k++) {
    p = ms[i] " " ts[k] " ";
    od = median(p "ours_decode"); rd = median(p "runc_decode"); ld = median(p "llamacpp_decode");
    best = rd; if (ld != "" && (best == "" || ld > best)) best = ld;
    op = median(p "ours_prefill"); lp = median(p "llamacpp_prefill");
    oq = median(p "ours_q8_decode"); lq = median(p "llamacpp_q8_decode");
    printf "| %s, %s | %s / %s / %s | %s | %s / %s | %s | %s / %s | %s |\n", ms[i], ts[k],
      fmt(od), fmt(rd), fmt(ld), ratio(od, best), fmt(op), fmt(lp), ratio(op, lp), fmt(oq), fmt(lq), ratio(oq, lq);
  }
}' "$raw"
echo
echo "raw measurements: $raw"
