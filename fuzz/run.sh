#!/bin/sh
# Runs the libFuzzer harnesses for SECONDS each, two at a time (make fuzz):
#   fuzz/run.sh SECONDS OUTDIR name...
# Each harness fuzzes from its seeds (fuzz/corpus/<name>, read-only) into
# a work corpus OUTDIR/corpus/<name>; a crash leaves OUTDIR/<name>-crash-*
# and fails the run.  Prints the executions of each and their total
# ("fuzz executions: N"), which make check reports.
set -u
secs=$1 out=$2
shift 2
mkdir -p "$out"
max_len() {
  case $1 in load) echo 32768 ;; quantity) echo 256 ;; *) echo 8192 ;; esac
}
run_one() {
  name=$1
  mkdir -p "$out/corpus/$name"
  dict=
  [ -f "fuzz/$name.dict" ] && dict="-dict=fuzz/$name.dict"
  "$out/${name}_fuzz" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
    -rss_limit_mb=2048 -max_len="$(max_len "$name")" $dict \
    -artifact_prefix="$out/$name-" "$out/corpus/$name" "fuzz/corpus/$name" \
    > "$out/$name.log" 2>&1
  echo $? > "$out/$name.rc"
}
names="$*"
while [ $# -gt 0 ]; do
  run_one "$1" &
  if [ $# -gt 1 ]; then run_one "$2" & shift; fi
  shift
  wait
done
total=0 status=0
for name in $names; do
  log=$out/$name.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rc=$(cat "$out/$name.rc")
  echo "fuzz $name: ${execs:-0} executions in ${secs}s, exit $rc"
  if [ "$rc" != 0 ]; then
    status=1
    grep -E 'ERROR|invariant|SUMMARY|Test unit written' "$log" | head -20
  fi
  total=$((total + ${execs:-0}))
done
echo "fuzz executions: $total"
exit $status
