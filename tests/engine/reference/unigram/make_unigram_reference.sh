#!/usr/bin/env bash
# Regenerates the unigram tokenizer reference (tests/engine/io/test_unigram.cpp) with Debian's
# sentencepiece (spm_train, spm_encode): two unigram models of 2000 pieces trained on the
# TinyStories excerpt with the flags at their defaults (nmt_nfkc normalisation, whitespace runs
# collapsed, no byte fallback, as T5's tokenizers are), the second with --byte_fallback=true; then
# the ids spm_encode gives for every line of cases.txt.
#   usage: tests/engine/reference/unigram/make_unigram_reference.sh [SHARED_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shared="${1:-${ANATOMY_SHARED_DIR:-$here/../../../../../shared}}"
corpus="$shared/corpus/tinystories/tinystories_train_head_197K.txt"
cd "$here"
spm_train --input="$corpus" --model_prefix=tinystories_unigram2000 --model_type=unigram --vocab_size=2000 \
  --num_threads=1 --minloglevel=2
spm_train --input="$corpus" --model_prefix=tinystories_unigram2000_bytes --model_type=unigram --vocab_size=2000 \
  --byte_fallback=true --num_threads=1 --minloglevel=2
rm -f tinystories_unigram2000.vocab tinystories_unigram2000_bytes.vocab
spm_encode --model=tinystories_unigram2000.model --output_format=id < cases.txt > cases.ids
spm_encode --model=tinystories_unigram2000_bytes.model --output_format=id < cases.txt > cases_bytes.ids
echo "wrote $(wc -l < cases.ids) cases for each model"
