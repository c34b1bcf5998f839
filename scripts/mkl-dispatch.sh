# Sourced by the lagrange4j launcher and by scripts/test-jvm/bin/java (not run on its own).
#
# GEMMs chosen by evidence. PyTorch's CPU library does its float32 matrix products with Intel's oneMKL, which on
# a CPU that is not Intel's runs a code path without AVX-512 whatever the CPU offers (an AMD EPYC with AVX-512:
# the paper MLP's products at half the speed). oneMKL asks one exported function whether the CPU is Intel's;
# scripts/mkl-dispatch/intel-dispatch.c answers yes, so that oneMKL chooses by the CPU's instruction sets. On a
# CPU that is not Intel's, the first run builds that one-function library with the C compiler (cc or gcc;
# none: oneMKL's own dispatch, as bench's header says; nothing cached), runs the GEMM check (GemmCheck: the
# products of dense layers in float32 against double precision, then the time of a round of the paper MLP's
# products) in a short child JVM without and with the library preloaded, and keeps the library only if its
# products are right and its round takes at most 0.9 of the other's. The verdict is cached per CPU model, CPU
# flags, PyTorch version and library source in ~/.lagrange4j/cache. LAGRANGE4J_GEMM_DISPATCH=off skips it all
# (oneMKL's own dispatch); LAGRANGE4J_CC names the C compiler; LAGRANGE4J_CPUINFO (default /proc/cpuinfo) is
# for the script's tests.
#
# lagrange4j_choose_gemm CLASSPATH COMMAND...
#   CLASSPATH names the PyTorch native artifact (its version is part of the cache key); COMMAND runs the check
#   (exit 0: right, 3: wrong, anything else: could not run; it prints "round <us> us"). Prepends the library to
#   LD_PRELOAD when chosen and exports LAGRANGE4J_GEMM (what was chosen and why). Messages go to stderr, or with
#   LAGRANGE4J_KERNEL_QUIET=1 only to the check's log in the cache directory.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/check-cache.sh"

lagrange4j_choose_gemm() {
  local classpath="$1"; shift
  local here source cache_dir key cache lib log verdict="" compiler status_default=0 status_intel=0 t_default t_intel
  local cpuinfo="${LAGRANGE4J_CPUINFO:-/proc/cpuinfo}"
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  source="$here/mkl-dispatch/intel-dispatch.c"
  case "${LAGRANGE4J_GEMM_DISPATCH:-auto}" in
    off) export LAGRANGE4J_GEMM="oneMKL's own dispatch (LAGRANGE4J_GEMM_DISPATCH=off)"; return ;;
    auto) ;;
    *) echo "lagrange4j: LAGRANGE4J_GEMM_DISPATCH=$LAGRANGE4J_GEMM_DISPATCH: must be auto or off" >&2; return 2 ;;
  esac
  if grep -qm1 'GenuineIntel' "$cpuinfo" 2>/dev/null; then
    export LAGRANGE4J_GEMM="oneMKL's own dispatch (an Intel CPU)"
    return
  fi
  cache_dir="${LAGRANGE4J_CACHE:-$HOME/.lagrange4j/cache}"
  mkdir -p "$cache_dir"
  key="$(lagrange4j_check_key "$cpuinfo" "$classpath" "$(cat "$source")")"
  cache="$cache_dir/mkl-dispatch-$key"
  lib="$cache_dir/libmkl-intel-dispatch-$key.so"
  log="$cache_dir/mkl-dispatch-$key.log"
  _lagrange4j_gemm_say() { lagrange4j_check_say "$log" "$@"; }
  if [[ -f "$cache" ]]; then
    verdict="$(cat "$cache")"
  fi
  if [[ "$verdict" == intel && ! -f "$lib" ]]; then
    verdict=""  # the library was removed: build and check again
  fi
  if [[ -z "$verdict" ]]; then
    compiler="${LAGRANGE4J_CC:-$(command -v cc || command -v gcc || true)}"
    if [[ -z "$compiler" ]]; then
      LAGRANGE4J_GEMM="oneMKL's own dispatch (no C compiler to build scripts/mkl-dispatch;"
      export LAGRANGE4J_GEMM="$LAGRANGE4J_GEMM Debian: apt-get install gcc)"
      return
    fi
    if ! "$compiler" -O2 -shared -fPIC -o "$lib.$$" "$source" 2>"$log.$$"; then
      _lagrange4j_gemm_say "lagrange4j: GEMM check: could not build $source; oneMKL's own dispatch, not cached:"
      _lagrange4j_gemm_say "$(head -5 "$log.$$")"
      rm -f "$lib.$$" "$log.$$"
      export LAGRANGE4J_GEMM="oneMKL's own dispatch (the dispatch library did not build)"
      return
    fi
    mv "$lib.$$" "$lib"
    ( "$@" ) >"$log.$$" 2>&1 || status_default=$?
    t_default="$(sed -n 's/^round \([0-9.]*\) us$/\1/p' "$log.$$")"
    ( export LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"; "$@" ) >"$log.$$.intel" 2>&1 || status_intel=$?
    t_intel="$(sed -n 's/^round \([0-9.]*\) us$/\1/p' "$log.$$.intel")"
    cat "$log.$$" "$log.$$.intel" >>"$log"
    rm -f "$log.$$" "$log.$$.intel"
    if [[ ($status_default -ne 0 && $status_default -ne 3) || ($status_intel -ne 0 && $status_intel -ne 3) \
        || -z "$t_default" || -z "$t_intel" ]]; then
      _lagrange4j_gemm_say "lagrange4j: GEMM check could not run (exit $status_default / $status_intel, see $log);" \
        "oneMKL's own dispatch, not cached"
      export LAGRANGE4J_GEMM="oneMKL's own dispatch (the GEMM check could not run)"
      return
    fi
    if [[ $status_intel -eq 0 ]] && awk -v a="$t_intel" -v b="$t_default" 'BEGIN { exit !(a <= 0.9 * b) }'; then
      verdict=intel
    else
      verdict=default
    fi
    echo "$verdict" >"$cache.$$" && mv "$cache.$$" "$cache"
    local right=WRONG kept="oneMKL's own"
    [[ $status_intel -eq 0 ]] && right=right
    [[ $verdict == intel ]] && kept="the dispatch for Intel CPUs"
    _lagrange4j_gemm_say "lagrange4j: GEMM check: a round of the paper MLP's products takes $t_default us with" \
      "oneMKL's own dispatch, $t_intel us with its dispatch for Intel CPUs ($right against double precision):" \
      "keeping $kept; cached in $cache"
  fi
  if [[ "$verdict" == intel ]]; then
    export LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"
    export LAGRANGE4J_GEMM="oneMKL with its dispatch for Intel CPUs (chosen by the GEMM check)"
  else
    export LAGRANGE4J_GEMM="oneMKL's own dispatch (chosen by the GEMM check)"
  fi
}
