#!/usr/bin/env bash
# Makes the unigram tokenizer reference (tests/engine/io/test_unigram.cpp) with Debian's
# sentencepiece (spm_train, spm_encode), into OUT_DIR (the build folder; nothing is committed):
# two unigram models of 2000 pieces trained on the TinyStories excerpt in ../shared with the flags
# at their defaults (nmt_nfkc normalisation, whitespace runs collapsed, no byte fallback, as T5's
# tokenizers are), the second with --byte_fallback=true; then the ids spm_encode gives for every
# line of cases.txt (committed beside this script).
#   usage: make_unigram_reference.sh OUT_DIR SHARED_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: make_unigram_reference.sh OUT_DIR SHARED_DIR}"
shared="${2:?usage: make_unigram_reference.sh OUT_DIR SHARED_DIR}"
corpus="$shared/corpus/tinystories/tinystories_train_head_197K.txt"
command -v spm_train > /dev/null || { echo "spm_train not found: install Debian's sentencepiece (.ci/install-deps does)" >&2; exit 1; }
[ -f "$corpus" ] || { echo "missing $corpus: put shared/ beside the project or set ANATOMY_SHARED_DIR" >&2; exit 1; }
mkdir -p "$out"
cd "$out"
spm_train --input="$corpus" --model_prefix=tinystories_unigram2000 --model_type=unigram --vocab_size=2000 \
  --num_threads=1 --minloglevel=2
spm_train --input="$corpus" --model_prefix=tinystories_unigram2000_bytes --model_type=unigram --vocab_size=2000 \
  --byte_fallback=true --num_threads=1 --minloglevel=2
rm -f tinystories_unigram2000.vocab tinystories_unigram2000_bytes.vocab
spm_encode --model=tinystories_unigram2000.model --output_format=id < "$here/cases.txt" > cases.ids
spm_encode --model=tinystories_unigram2000_bytes.model --output_format=id < "$here/cases.txt" > cases_bytes.ids
