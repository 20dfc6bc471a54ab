#!/usr/bin/env bash
# Issue 11's quantized decode against llama.cpp, side by side on this machine: random-weight
# llama GGUFs of a ~135M (SmolLM-135M) and a ~1B (TinyLlama-1.1B) shape written by
# make_shape_gguf.py as F32, quantized by llama.cpp's own llama-quantize, then llama-bench and
# `anatomy-cli bench` interleaved on each file and thread count, medians over --runs rounds.
#
#   tests/bench/compare_quant.sh --llamacpp SRC --llamacpp-build DIR [--cli PATH] [--shared DIR]
#       [--work /tmp/anatomy-compare-quant] [--runs 3] [--shapes 135M,1B] [--types Q8_0,Q4_K_M]
#       [--threads 1,2] [--gen-tokens 128]
#
# SRC is a llama.cpp source tree (c392e5094d; its gguf-py writes the F32 files), DIR its build
# (DIR or DIR/bin holding llama-bench and llama-quantize); neither is built or committed here.
# --shared holds tokenizers/llama.cpp-vocab (135M: ggml-vocab-starcoder, 1B: ggml-vocab-llama-spm).
# Models are made under --work only when missing (delete them to remake). --types may add F32.
# Decode: llama-bench tg GEN from an empty context (-p 0 -n GEN -r 1); ours bench --prompt-tokens 1
# --gen-tokens GEN --runs 1; the two alternate which goes first from round to round. Ours keeps
# Q8_0 activations quantized (q8_0 x q8_0, as llama.cpp), Q4_K float. Peak RSS: /usr/bin/time
# around llama-bench, and around one `anatomy-cli generate` of GEN tokens per file and thread
# count in round 1 (bench itself touches a 256 MB buffer to measure the read bandwidth).
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
llamacpp="" lcb="" cli="$here/build/release/app/cli/anatomy-cli" shared=${ANATOMY_SHARED_DIR:-$here/../shared}
work=/tmp/anatomy-compare-quant runs=3 shapes=135M,1B types=Q8_0,Q4_K_M threads=1,2 gen=128
usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --llamacpp) llamacpp=$2; shift 2 ;;
    --llamacpp-build) lcb=$2; shift 2 ;;
    --cli) cli=$2; shift 2 ;;
    --shared) shared=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --shapes) shapes=$2; shift 2 ;;
    --types) types=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --gen-tokens) gen=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "compare_quant.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
die() { echo "compare_quant.sh: $*" >&2; exit 2; }
[ -n "$llamacpp" ] && [ -d "$llamacpp/gguf-py/gguf" ] || die "--llamacpp SRC must be a llama.cpp source tree (with gguf-py)"
[ -n "$lcb" ] || die "--llamacpp-build DIR is required"
[ -x "$lcb/bin/llama-bench" ] && lcb="$lcb/bin"
[ -x "$lcb/llama-bench" ] && [ -x "$lcb/llama-quantize" ] || die "$lcb holds no llama-bench and llama-quantize"
[ -x "$cli" ] || die "$cli not built (cmake --build --preset release --target anatomy-cli)"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is needed for the peak RSS"
vocabs="$shared/tokenizers/llama.cpp-vocab"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs: expected a positive integer, got '$runs'"
[[ "$gen" =~ ^[1-9][0-9]*$ ]] || die "--gen-tokens: expected a positive integer, got '$gen'"
IFS=, read -r -a shapeList <<< "$shapes"
IFS=, read -r -a typeList <<< "$types"
IFS=, read -r -a threadList <<< "$threads"
for s in "${shapeList[@]}"; do case "$s" in 135M|1B) ;; *) die "--shapes: '$s' is not 135M or 1B" ;; esac; done
for t in "${threadList[@]}"; do [[ "$t" =~ ^[1-9][0-9]*$ ]] || die "--threads: '$t' is not a positive integer"; done
mkdir -p "$work/models" "$work/logs"
work=$(cd "$work" && pwd)
case "$work" in "$here"|"$here"/*) die "--work must lie outside the project" ;; esac
log() { echo "[compare_quant] $*" >&2; }
python=""
for p in python3 /usr/bin/python3; do
  if command -v "$p" > /dev/null && "$p" -c 'import numpy' 2> /dev/null; then python=$p; break; fi
done
[ -n "$python" ] || die "no python3 with numpy (gguf-py needs it)"

# ---- models: F32 from make_shape_gguf.py, each type from llama-quantize (only when missing) ----
vocabOf() { case "$1" in 135M) echo "$vocabs/ggml-vocab-starcoder.gguf" ;; 1B) echo "$vocabs/ggml-vocab-llama-spm.gguf" ;; esac; }
fileOf() { echo "$work/models/random-$1-$2.gguf"; }  # shape type (names never start with a digit:
                                                     # llama-quantize takes '1B-...' for a type id)
for s in "${shapeList[@]}"; do
  f32=$(fileOf "$s" F32)
  if [ ! -f "$f32" ]; then
    v=$(vocabOf "$s"); [ -f "$v" ] || die "$v missing (--shared DIR)"
    log "write $s F32 (random weights)"
    PYTHONPATH="$llamacpp/gguf-py" nice -n 10 "$python" "$here/tests/bench/make_shape_gguf.py" "$s" "$f32.part" "$v" \
      > "$work/logs/make-$s.log" 2>&1 || { cat "$work/logs/make-$s.log" >&2; die "make_shape_gguf.py $s failed"; }
    mv "$f32.part" "$f32"
  fi
  for t in "${typeList[@]}"; do
    q=$(fileOf "$s" "$t")
    [ -f "$q" ] && continue
    log "quantize $s to $t"
    nice -n 10 "$lcb/llama-quantize" "$f32" "$q.part" "$t" > "$work/logs/quantize-$s-$t.log" 2>&1 \
      || { tail -5 "$work/logs/quantize-$s-$t.log" >&2; die "llama-quantize $s $t failed"; }
    mv "$q.part" "$q"
  done
done

# ---- one measurement of each engine; results appended to $raw as "shape type threads key value" --
raw="$work/results.txt"
: > "$raw"; rm -f "$work/cpu.txt"  # this run's CPU line only
num() { grep -o "\"$1\": [0-9.]*" | head -1 | awk '{print $2}'; }
kbToMb() { awk -v k="$1" 'BEGIN {if (k == "") print "nan"; else printf "%.1f", k * 1024 / 1e6}'; }
llamaBench() {  # shape type threads file
  local out rss
  out=$(/usr/bin/time -f %M -o "$work/time.txt" "$lcb/llama-bench" -m "$4" -p 0 -n "$gen" -t "$3" -r 1 -o json \
        2> "$work/logs/llama-bench.err") || { log "llama-bench failed on $4: $(tail -1 "$work/logs/llama-bench.err")"; out=""; }
  rss=$(tail -1 "$work/time.txt")
  echo "$1 $2 $3 llamacpp_decode $(echo "$out" | num avg_ts)" >> "$raw"
  echo "$1 $2 $3 llamacpp_rss_mb $(kbToMb "$rss")" >> "$raw"
}
oursBench() {  # shape type threads file
  local out
  out=$("$cli" bench --model "$4" --threads "$3" --prompt-tokens 1 --gen-tokens "$gen" --runs 1 \
        2> "$work/logs/ours-bench.err") || { log "anatomy-cli bench failed on $4: $(tail -1 "$work/logs/ours-bench.err")"; out=""; }
  echo "$1 $2 $3 ours_decode $(echo "$out" | num decode_tok_s)" >> "$raw"
  local cpu; cpu=$(echo "$out" | grep -o '"cpu": "[^"]*"' | head -1 | sed 's/"cpu": "\(.*\)"/\1/' || true)
  [ -z "$cpu" ] || echo "$cpu" > "$work/cpu.txt"  # a failed bench keeps the last line
}
oursRss() {  # shape type threads file: peak RSS of a plain generate of GEN tokens
  /usr/bin/time -f %M -o "$work/time.txt" "$cli" generate --model "$4" --prompt "Once upon a time" \
    --max-new-tokens "$gen" --temperature 0 --threads "$3" > /dev/null 2> "$work/logs/ours-generate.err" \
    || log "anatomy-cli generate failed on $4: $(tail -1 "$work/logs/ours-generate.err")"
  echo "$1 $2 $3 ours_rss_mb $(kbToMb "$(tail -1 "$work/time.txt")")" >> "$raw"
}

loadBefore=$(cut -d' ' -f1-3 /proc/loadavg)
log "load before measuring: $loadBefore"
start=$(date +%s)
for r in $(seq "$runs"); do
  for s in "${shapeList[@]}"; do
    for t in "${typeList[@]}"; do
      f=$(fileOf "$s" "$t")
      for n in "${threadList[@]}"; do
        log "round $r/$runs: $s $t, $n thread(s)"
        if [ $((r % 2)) = 1 ]; then llamaBench "$s" "$t" "$n" "$f"; oursBench "$s" "$t" "$n" "$f"
        else oursBench "$s" "$t" "$n" "$f"; llamaBench "$s" "$t" "$n" "$f"; fi
        if [ "$r" = 1 ]; then oursRss "$s" "$t" "$n" "$f"; fi
      done
    done
  done
  if [ "$r" = 1 ]; then log "round 1 took $(( $(date +%s) - start )) s (with the RSS runs)"; fi
done
load=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- table of medians ------------------------------------------------------------------------
sizes=""
for s in "${shapeList[@]}"; do for t in "${typeList[@]}"; do
  sizes+="$s $t $(stat -c %s "$(fileOf "$s" "$t")");"
done; done
echo
# the CPU as anatomy-cli bench names it: model name, vendor, family, model (and AMD generation)
cpu=$(cat "$work/cpu.txt" 2>/dev/null || true)
echo "CPU: ${cpu:-$(lscpu | sed -n 's/^Model name: *//p' | head -1)}; load average before: $loadBefore, after: $load;" \
     "medians of $runs interleaved round(s) of $gen decoded tokens ($(( $(date +%s) - start )) s)"
echo
awk -v shapes="${shapeList[*]}" -v types="${typeList[*]}" -v threads="${threadList[*]}" -v sizes="$sizes" '
function median(key,   n, i, j, a, tmp, parts) {
  n = split(vals[key], parts, " "); if (n == 0) return "";
  for (i = 1; i <= n; i++) a[i] = parts[i] + 0;
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { tmp = a[i]; a[i] = a[j]; a[j] = tmp }
  return a[int((n + 1) / 2)];
}
function fmt(v) { return v == "" ? "-" : sprintf("%.1f", v) }
function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "-" : sprintf("%.2fx", a / b) }
{ if ($5 != "" && $5 != "nan") vals[$1 " " $2 " " $3 " " $4] = vals[$1 " " $2 " " $3 " " $4] " " $5 }
END {
  n = split(sizes, rows, ";");
  for (i = 1; i <= n; i++) if (split(rows[i], f, " ") == 3) mb[f[1] " " f[2]] = f[3] / 1e6;
  print "| shape | type | threads | file MB | decode tok/s: ours / llama.cpp | ours / llama.cpp | peak RSS MB: ours / llama.cpp | ours RSS / file |";
  print "|---|---|---|---|---|---|---|---|";
  ns = split(shapes, ss, " "); nq = split(types, qs, " "); nt = split(threads, ts, " ");
  for (i = 1; i <= ns; i++) for (j = 1; j <= nq; j++) for (k = 1; k <= nt; k++) {
    p = ss[i] " " qs[j] " " ts[k] " ";
    od = median(p "ours_decode"); ld = median(p "llamacpp_decode");
    orss = median(p "ours_rss_mb"); lrss = median(p "llamacpp_rss_mb"); size = mb[ss[i] " " qs[j]];
    printf "| %s | %s | %s | %.1f | %s / %s | %s | %s / %s | %s |\n", ss[i], qs[j], ts[k], size,
      fmt(od), fmt(ld), ratio(od, ld), fmt(orss), fmt(lrss), ratio(orss, size);
  }
}' "$raw"
echo
# The KV cache the peak RSS should add to the file (ours: float32 K and V; llama-bench sizes its
# f16 cache to the GEN tokens it runs). The smallest file of the shape is opened for it.
for s in "${shapeList[@]}"; do
  small=$(for t in "${typeList[@]}"; do f=$(fileOf "$s" "$t"); echo "$(stat -c %s "$f") $f"; done | sort -n | head -1 | cut -d' ' -f2)
  { "$cli" kvcache --model "$small" --context 2048 2> /dev/null || true; } | { grep '"as_shipped": true' || true; } | head -1 |
    awk -v s="$s" '{match($0, /"bytes_per_token": [0-9]+/); b = substr($0, RSTART + 19, RLENGTH - 19) + 0;
      printf "KV cache %s (ours, float32): %d bytes/token, %.1f MB at 1024 positions, %.1f MB at 2048\n", s, b, b * 1024 / 1e6, b * 2048 / 1e6}'
done
echo "raw measurements: $raw"
