#!/usr/bin/env bash
# Writes the "house" reference: what main computed before the forward pass was split into
# attention/block/ffn files (issue 7). The forward pass must keep giving these bits.
#   logits_<file>_<ext>.tsv  generate --temperature 0 --dump-logits: every prefill row of a 100-token
#                          prompt (the batched path, past the parallel threshold), then 15 decode rows,
#                          kept as one sha256 per row (npy_rows.py), not as the arrays
#   sim_perplexity.tsv     perplexity of the first 8000 bytes of the 197K TinyStories file, context
#                          256, for one --set assignment per line (the simulator's knobs)
# Usage: make_house_reference.sh CLI SHARED OUTDIR
#        make_house_reference.sh --avx512 CLI SHARED OUTDIR
# The float rows above are the AVX2 kernels' (the reference was made on a machine without
# AVX-512, where the engine picks them); an AVX-512 machine sums in another order, so its own
# rows are kept beside them (--avx512, run on such a machine: logits_stories260K_bin.avx512.tsv,
# what the AVX-512 kernels computed when it was made, not a pre-split figure). The int8 rows are
# the same on both.
set -euo pipefail
avx512=0
if [ "${1:-}" = --avx512 ]; then avx512=1; shift; fi
cli=$1; shared=$2; out=$3
models=$shared/models/stories260K
prompt="Once upon a time, there was a little girl named Lily. She loved to play outside in the park with her friends. One day, she saw a big red ball under a tree. She ran to it and picked it up. It was shiny and bouncy. Lily smiled and threw the ball to her friend Tom."
if [ $avx512 = 1 ]; then
  grep -qw avx512f /proc/cpuinfo || { echo "this machine has no AVX-512" >&2; exit 1; }
  "$cli" generate --model "$models/stories260K.bin" --prompt "$prompt" --temperature 0 --max-new-tokens 16 \
    --threads 2 --dump-logits /tmp/logits_stories260K_bin_avx512.npy >/dev/null 2>&1
  python3 "$(dirname "$0")/npy_rows.py" /tmp/logits_stories260K_bin_avx512.npy > "$out/logits_stories260K_bin.avx512.tsv"
  exit 0
fi
export ANATOMY_KERNELS=avx2  # what the committed float rows are
for f in stories260K.bin stories260K.gguf stories260K_q8.bin; do
  "$cli" generate --model "$models/$f" --prompt "$prompt" --temperature 0 --max-new-tokens 16 \
    --threads 2 --dump-logits "/tmp/logits_${f//./_}.npy" >/dev/null 2>&1
done
# The GGUF file holds the same float weights: its logits are the .bin's, bit for bit, and the test
# compares it with that one file.
cmp /tmp/logits_stories260K_bin.npy /tmp/logits_stories260K_gguf.npy
here=$(dirname "$0")
python3 "$here/npy_rows.py" /tmp/logits_stories260K_bin.npy > "$out/logits_stories260K_bin.tsv"
# The int8 (ak42) file's rows; named so that no tracked file looks like the model itself.
python3 "$here/npy_rows.py" /tmp/logits_stories260K_q8_bin.npy > "$out/logits_int8_stories260K.tsv"
head -c 8000 "$shared/corpus/tinystories/tinystories_train_head_197K.txt" > /tmp/house_text.txt
: > "$out/sim_perplexity.tsv"
while IFS= read -r line; do
  [ -z "$line" ] && continue
  args=()
  for kv in $line; do [ "$kv" = as-trained ] || args+=(--set "$kv"); done
  ppl=$("$cli" perplexity --model "$models/stories260K.bin" --text /tmp/house_text.txt --context 256 \
        --threads 2 "${args[@]}" | sed -e 's/^{"ppl": \([^,]*\),.*/\1/')
  printf '%s\t%s\n' "$line" "$ppl" >> "$out/sim_perplexity.tsv"
done <<'LIST'
as-trained
norm.placement=post
norm.placement=sandwich
norm.placement=deepnorm
norm.placement=deepnorm norm.alpha=1.5
norm.type=layer
norm.eps=0.001
ffn.act=gelu-tanh
ffn.act=gelu-erf
ffn.act=relu
ffn.act=leaky-relu ffn.slope=0.1
ffn.act=elu ffn.alpha=0.5
ffn.act=swish ffn.beta=2
pos=none
pos=alibi
rope.base=500
rope.scaling=linear rope.factor=2
rope.scaling=ntk rope.factor=2
rope.scaling=dynamic-ntk rope.factor=2 rope.original=128
rope.scaling=ntk-by-parts rope.factor=2 rope.alpha=2 rope.beta=16
rope.scaling=yarn rope.factor=2
rope.scaling=llama3 rope.factor=4 rope.original=128 rope.low_freq=2 rope.high_freq=8
attn.scale=1.5
attn.mask=bidirectional
attn.mask=prefix attn.prefix=16
attn.sparse=window attn.window=32
attn.sparse=sinks attn.sinks=4 attn.window=32
attn.sparse=strided attn.window=16 attn.stride=8
attn.sparse=dual-chunk attn.chunk=64
attn.sparse=s2 attn.group=32
attn.kernel=linear
heads.ablate=1:2,3:4:mean
heads.gate=0:1:-2,4:7:1
kv.sharing=mqa
kv.sharing=mha
kv.sharing=groups kv.groups=2
kv.sharing=latent kv.rank=16
moe.experts=8 moe.k=2
moe.experts=8 moe.k=2 moe.gate=softmax moe.noise=0.5 moe.seed=3
moe.experts=16 moe.switch=on moe.capacity=1.25
norm.placement=post norm.type=layer pos=alibi attn.sparse=window attn.window=16 kv.sharing=mqa
LIST
