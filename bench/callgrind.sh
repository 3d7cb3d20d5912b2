#!/bin/sh
# `make bench-callgrind`: instruction counts (valgrind --tool=callgrind)
# of the C parser over bench/expressions.txt, of the loader on data/
# (siqun_open_dir) and of opening the embedded dataset, each counted inside the one function measured
# (--toggle-collect), run twice to show the drift.  Prints
#   CALLGRIND <name> instructions=<n> drift=<percent>%
# and, with the driver, of one run of the open comparison's siqun and
# open_floor sides in a fresh lua_State (require, open, read every field:
# bench/callgrind_open.lua), with their ratio:
#   CALLGRIND open_ratio siqun/floor=<r> target=<=1.2 <ok|MISS>
# then the same for two bounds (sides core and bare of bench/gen.lua):
#   CALLGRIND open_core_ratio core/floor=<r> (a bound, no target)
#   bench/callgrind.sh OUT_DIR QUANTITY_C LOAD_C EXPRESSIONS [DRIVER]
set -eu
out=$1 quantity_c=$2 load_c=$3 expressions=$4 driver=${5:-}
command -v valgrind >/dev/null || { echo "valgrind not found" >&2; exit 1; }
mkdir -p "$out"

# count NAME FUNCTION COMMAND...: the instructions inside FUNCTION
count() {
  name=$1 fn=$2
  shift 2
  f="$out/callgrind.$name.out"
  valgrind -q --tool=callgrind --callgrind-out-file="$f" --toggle-collect="$fn" "$@" >/dev/null
  sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$f"
}

report() {
  name=$1 fn=$2
  shift 2
  a=$(count "$name" "$fn" "$@")
  b=$(count "$name" "$fn" "$@")
  awk -v n="$name" -v a="$a" -v b="$b" 'BEGIN {
    d = (a > b ? a - b : b - a) / a * 100
    printf "CALLGRIND %s instructions=%d drift=%.3f%% (runs: %d, %d) %s\n", n, a, d, a, b, (d <= 1 ? "ok" : "MISS")
  }'
}

report parser siqun_quantity_parse "$quantity_c" "$expressions" once
report loader siqun_open_dir "$load_c" 1 data
report open_embedded siqun_open_embedded "$load_c" 1

if [ -n "$driver" ]; then
  "$driver" bench/callgrind_open.lua gen
  report open_siqun run_timed "$driver" bench/callgrind_open.lua siqun | tee "$out/callgrind.open_siqun.txt"
  report open_floor run_timed "$driver" bench/callgrind_open.lua floor | tee "$out/callgrind.open_floor.txt"
  s=$(sed -n 's/.*instructions=\([0-9]*\).*/\1/p' "$out/callgrind.open_siqun.txt")
  f=$(sed -n 's/.*instructions=\([0-9]*\).*/\1/p' "$out/callgrind.open_floor.txt")
  awk -v s="$s" -v f="$f" 'BEGIN {
    r = s / f
    printf "CALLGRIND open_ratio siqun/floor=%.3f target=<=1.2 %s\n", r, (r <= 1.2 ? "ok" : "MISS")
  }'
  # two bounds for siqun's design (bench/gen.lua, bench/README.md "What is
  # left"): the core's records without any Lua layer, and the barest layer
  for b in core bare; do
    report open_$b run_timed "$driver" bench/callgrind_open.lua $b | tee "$out/callgrind.open_$b.txt"
    n=$(sed -n 's/.*instructions=\([0-9]*\).*/\1/p' "$out/callgrind.open_$b.txt")
    awk -v n="$n" -v f="$f" -v b="$b" 'BEGIN { printf "CALLGRIND open_%s_ratio %s/floor=%.3f (a bound, no target)\n", b, b, n / f }'
  done
fi
