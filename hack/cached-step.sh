# shellcheck shell=bash
# cached_step (sourced by hack/local-cluster/build.sh and hack/kind/lib.sh): one cached build step.
#
# cached_step WHO STAMPS LOG TIMES NAME KEY OUTPUT... -- COMMAND...
# Skipped when every OUTPUT exists and STAMPS/NAME holds KEY. Otherwise COMMAND runs with its output
# in LOG; a failure exits naming WHO, the step and the last lines of LOG; a success records KEY and
# appends the step's time to TIMES.
cached_step() {
  local who=$1 stamps=$2 log=$3 times=$4 name=$5 key=$6
  shift 6
  local outputs=() o all=1 t0 dt
  while [ "$1" != "--" ]; do
    outputs+=("$1")
    shift
  done
  shift
  for o in "${outputs[@]}"; do [ -e "$o" ] || all=0; done
  if [ $all = 1 ] && [ "$(cat "$stamps/$name" 2>/dev/null)" = "$key" ]; then
    printf 'cached  %s\n' "$name"
    return 0
  fi
  t0=$(date +%s)
  printf 'build   %-30s (log: %s)\n' "$name" "$log"
  if ! "$@" >"$log" 2>&1; then
    echo "$who: FAILED step '$name' after $(($(date +%s) - t0))s; last lines of $log:" >&2
    tail -n 25 "$log" | sed 's/^/    /' >&2
    exit 1
  fi
  for o in "${outputs[@]}"; do
    [ -e "$o" ] || {
      echo "$who: step '$name' finished but did not produce $o (see $log)" >&2
      exit 1
    }
  done
  echo "$key" >"$stamps/$name"
  dt=$(($(date +%s) - t0))
  printf 'built   %-30s in %ss\n' "$name" "$dt"
  echo "$(date -u +%FT%TZ) $name ${dt}s" >>"$times"
}
