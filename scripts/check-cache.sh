# Sourced by scripts/onednn-kernels.sh and scripts/mkl-dispatch.sh (not run on its own): what the launcher's
# self-checks of native kernels share.
#
# lagrange4j_check_key CPUINFO CLASSPATH [LINE...]
#   Prints the 16-hex-digit key of a cached verdict: the CPU model and flags (from CPUINFO), the PyTorch native
#   artifact's version named in CLASSPATH, and the LINEs (a check's own version, the source it builds), so that
#   another CPU, another PyTorch or another check runs the check again.
lagrange4j_check_key() {
  local cpuinfo="$1" classpath="$2"; shift 2
  local torch
  torch="$(grep -o 'pytorch-native-cpu[^/:]*/[0-9.]*' <<<"$classpath" | head -1 | tr '/' '-')"
  (grep -m1 '^model name' "$cpuinfo"; grep -m1 '^flags' "$cpuinfo"; echo "$torch"; printf '%s\n' "$@") 2>/dev/null \
    | sha256sum | cut -c1-16
}

# lagrange4j_check_say LOG MESSAGE...
#   A check's message: to stderr, or with LAGRANGE4J_KERNEL_QUIET=1 (the tests' JVM, whose output Surefire reads)
#   only to LOG.
lagrange4j_check_say() {
  local log="$1"; shift
  if [[ "${LAGRANGE4J_KERNEL_QUIET:-0}" == 1 ]]; then echo "$*" >>"$log"; else echo "$*" >&2; fi
}
