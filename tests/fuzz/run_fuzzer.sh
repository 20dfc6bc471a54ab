#!/usr/bin/env bash
# run_fuzzer.sh FUZZER MAKE_SEEDS SHARED_DIR CORPUS_ROOT TARGET SECONDS|runs=N
# Builds the seed corpus (run-time seeds from SHARED_DIR, the hand-made tests/fuzz/seeds/TARGET and
# the kept corpus tests/fuzz/corpus/TARGET), then runs
# the fuzzer on it with a 1 GB ceiling on RSS and on any single allocation. A crash, a leak, a
# timeout or an allocation over the limit fails the run; the input is kept in CORPUS_ROOT.
set -euo pipefail
fuzzer=$1 make_seeds=$2 shared=$3 root=$4 target=$5 budget=$6
here=$(cd "$(dirname "$0")" && pwd)
seeds="$root/seeds" corpus="$root/$target" artifacts="$root/artifacts/$target"
mkdir -p "$seeds" "$corpus" "$artifacts"
"$make_seeds" "$seeds" "$shared"
[ -d "$seeds/$target" ] && cp -n "$seeds/$target"/* "$corpus"/ 2>/dev/null || true
[ -d "$here/seeds/$target" ] && cp -n "$here/seeds/$target"/* "$corpus"/ 2>/dev/null || true
[ -d "$here/corpus/$target" ] && cp -n "$here/corpus/$target"/* "$corpus"/ 2>/dev/null || true
case "$budget" in
  runs=*) limit=(-runs="${budget#runs=}") ;;
  *) limit=(-max_total_time="$budget") ;;
esac
export ANATOMY_SHARED_DIR="$shared"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
"$fuzzer" "$corpus" "${limit[@]}" -rss_limit_mb=1024 -malloc_limit_mb=1024 -max_len="${ANATOMY_FUZZ_MAX_LEN:-16384}" -timeout=10 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" 2>&1 | tail -n 80
exit "${PIPESTATUS[0]}"
