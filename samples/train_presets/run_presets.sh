#!/bin/sh
# Runs the training presets: every config of each preset folder, one after the other, at 2 threads
# and niced (the machine may be shared). Logs (the trainer's JSON lines) and models go to OUT:
#   samples/train_presets/run_presets.sh [OUT [PRESET ...]]
#   OUT defaults to build/presets; PRESET is a folder name (1-sinks ... 7-ffn), default all.
# A folder's eval_lengths.txt adds --eval-lengths. Then plot_presets.py OUT makes the figures.
set -e
here=$(cd "$(dirname "$0")" && pwd)
cli=${ANATOMY_CLI:-$here/../../build/release/app/cli/anatomy-cli}
out=${1:-build/presets}
[ $# -gt 0 ] && shift
presets=${*:-$(cd "$here" && ls -d [0-9]-*)}
for p in $presets; do
  mkdir -p "$out/$p"
  extra=""
  [ -f "$here/$p/eval_lengths.txt" ] && extra="--eval-lengths $(cat "$here/$p/eval_lengths.txt")"
  for cfg in "$here/$p"/*.json; do
    v=$(basename "$cfg" .json)
    start=$(date +%s)
    # A design beyond llama2.c's layout is written as GGUF; the rest as .bin.
    model="$out/$p/$v.gguf"
    nice -n 10 "$cli" train --config "$cfg" --out "$model" --threads 2 $extra > "$out/$p/$v.jsonl"
    echo "$p/$v: $(( $(date +%s) - start )) s, $(tail -n 1 "$out/$p/$v.jsonl" | cut -c1-80)"
  done
done
