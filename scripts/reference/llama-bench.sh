#!/usr/bin/env bash
# Run llama.cpp's llama-bench on the reference model with 2 threads, JSON output to a file.
# Usage: scripts/reference/llama-bench.sh [-p LIST] [-n LIST] [-d LIST] [-r N] [-m MODEL]
#                                          [-o OUT.json] [-- extra llama-bench args]
# Defaults: -p 512 -n 128 -d 0,2048,8192 -r 3, model $LONGKV_MODEL,
#           -o reports/llama-bench-smollm2.json (relative to the repo root).
# Other llama-bench settings are its defaults (KV cache f16, -b 2048, -ub 512, -fa auto);
# they are recorded per row in the JSON.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
source "$here/env.sh"

p=512 n=128 d=0,2048,8192 r=3
out="$LONGKV_REPO/reports/llama-bench-smollm2.json"
model="$LONGKV_MODEL"
usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    -p) p="$2"; shift 2 ;;
    -n) n="$2"; shift 2 ;;
    -d) d="$2"; shift 2 ;;
    -r) r="$2"; shift 2 ;;
    -m) model="$2"; shift 2 ;;
    -o) out="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    --) shift; break ;;
    *) echo "error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

bench="$LLAMA_CPP_BIN/llama-bench"
[ -x "$bench" ] || { echo "error: $bench not found (run scripts/reference/build-llama-cpp.sh)" >&2; exit 1; }
[ -f "$model" ] || { echo "error: model not found: $model (set LONGKV_MODEL or pass -m)" >&2; exit 1; }
mkdir -p "$(dirname "$out")"

echo "llama-bench -m $(basename "$model") -t 2 -p $p -n $n -d $d -r $r $* -> $out" >&2
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
# CPU pressure (Linux PSI): share of wall time some runnable task waited for a CPU.
psi_total() { sed -n 's/^some .*total=\([0-9]*\).*/\1/p' /proc/pressure/cpu 2>/dev/null || true; }
psi0=$(psi_total); t0=$(date +%s)
"$bench" -m "$model" -t 2 -p "$p" -n "$n" -d "$d" -r "$r" -o json "$@" > "$tmp"
psi1=$(psi_total); t1=$(date +%s)
echo "took $(( t1 - t0 ))s" >&2
if [ -n "$psi0" ] && [ -n "$psi1" ] && [ "$t1" -gt "$t0" ]; then
  pct=$(( (psi1 - psi0) / 10000 / (t1 - t0) ))
  echo "cpu pressure during the run: ${pct}% of the time a task waited for a CPU" \
       "(well above a few % means other processes competed; results are noisy)" >&2
fi
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp" \
  || { echo "error: llama-bench did not produce valid JSON" >&2; exit 1; }
mv "$tmp" "$out"
echo "wrote $out" >&2
