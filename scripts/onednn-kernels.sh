# Sourced by the lagrange4j launcher and by scripts/test-jvm/bin/java (not run on its own).
#
# CPU kernels chosen by evidence. oneDNN (inside PyTorch) picks its convolution kernels by the CPU's
# instruction sets when the native library starts. On some CPUs its faster kernels are wrong: seen for 17-31
# input channels with AVX-512 on one Xeon, and on an AMD EPYC for every channel count that is not a multiple
# of the vector width, with AVX-512 and AVX2 alike (NaN outputs included). So the first run on a CPU runs a
# self-check (KernelCheck: conv2d forward and gradients in float32 against float64, ~2 s per setting) in a
# short child JVM per setting, fastest first (oneDNN's default, then AVX2, then SSE4.1), keeps the first that
# passes and caches the verdict per CPU model, CPU flags and PyTorch version in ~/.lagrange4j/cache. A
# user's ONEDNN_MAX_CPU_ISA always wins; LAGRANGE4J_KERNEL_CHECK=off skips the check (oneDNN's defaults).
#
# The project's convolutions can align their channel counts (l0.nn.ChannelAlignment), so the check also
# accepts oneDNN's default kernels when they are right for channel counts aligned to N = LAGRANGE4J_KERNEL_ALIGN
# (default 16, empty turns it off; checked with COMMAND --align N), tried after the plain default and
# channels-last: that verdict exports LAGRANGE4J_CONV_ALIGNMENT=N (unless the user set it). It is cached apart
# from the plain one.
# Before the aligned counts it tries oneDNN's default kernels in the channels-last (NHWC) layout (checked with
# COMMAND --channels-last; l0.nn.ChannelsLast): right for every channel count on the AMD EPYC whose NCHW kernels
# fail, and faster than aligned counts; that verdict exports LAGRANGE4J_CONV_LAYOUT=channels-last (unless the
# user set it). LAGRANGE4J_KERNEL_CHANNELS_LAST=off leaves it out. Each set of candidates has its own cache file.
# The tests' JVM runs the same function, so the tests run the kernels, layout and channel counts that the
# launcher's runs use.
#
# lagrange4j_choose_kernels CLASSPATH COMMAND...
#   CLASSPATH names the PyTorch native artifact (its version is part of the cache key); COMMAND runs the check
#   (exit 0: correct, 3: wrong, anything else: the check could not run). Exports ONEDNN_MAX_CPU_ISA (when the
#   choice is not oneDNN's default), LAGRANGE4J_CONV_LAYOUT (when it is the default in channels-last),
#   LAGRANGE4J_CONV_ALIGNMENT (when it is the default with aligned channels) and LAGRANGE4J_KERNELS (why).
#   Messages go to stderr, or with LAGRANGE4J_KERNEL_QUIET=1 only to the check's log in the cache directory.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/check-cache.sh"

lagrange4j_choose_kernels() {
  local classpath="$1"; shift
  if [[ -n "${ONEDNN_MAX_CPU_ISA:-}" ]]; then
    export LAGRANGE4J_KERNELS="set by the user"
    return
  fi
  if [[ "${LAGRANGE4J_KERNEL_CHECK:-on}" == off ]]; then
    export LAGRANGE4J_KERNELS="kernel check off"
    return
  fi
  local cache_dir="${LAGRANGE4J_CACHE:-$HOME/.lagrange4j/cache}" key verdict="" isa status log
  local align="${LAGRANGE4J_KERNEL_ALIGN-16}" candidates=(default) suffix=""
  case "${LAGRANGE4J_KERNEL_CHANNELS_LAST:-on}" in
    on) candidates+=(channels-last); suffix+="-cl" ;;
    off) ;;
    *) echo "lagrange4j: LAGRANGE4J_KERNEL_CHANNELS_LAST=$LAGRANGE4J_KERNEL_CHANNELS_LAST: must be on or off" >&2
       return 2 ;;
  esac
  if [[ -n "$align" ]]; then
    if ! [[ "$align" =~ ^[1-9][0-9]{0,2}$ ]]; then
      echo "lagrange4j: LAGRANGE4J_KERNEL_ALIGN=$align: must be a channel count in [1, 999]" >&2
      return 2
    fi
    candidates+=("default:$align")
    suffix+="-align$align"
  fi
  candidates+=(AVX2 SSE41)
  mkdir -p "$cache_dir"
  key="$(lagrange4j_check_key /proc/cpuinfo "$classpath" v1)"
  local cache="$cache_dir/onednn-isa-$key$suffix"
  log="$cache_dir/onednn-isa-$key.log"
  _lagrange4j_kernels_name() {
    case "$1" in
      default:*) echo "oneDNN ISA default with channels aligned to ${1#default:}" ;;
      channels-last) echo "oneDNN ISA default in the channels-last layout" ;;
      *) echo "oneDNN ISA $1" ;;
    esac
  }
  _lagrange4j_kernels_say() { lagrange4j_check_say "$log" "$@"; }
  if [[ -f "$cache" ]]; then
    verdict="$(cat "$cache")"
  else
    for isa in "${candidates[@]}"; do
      status=0
      if [[ $isa == default:* ]]; then
        ( "$@" --align "${isa#default:}" ) >"$log.$$" 2>&1 || status=$?
      elif [[ $isa == channels-last ]]; then
        ( "$@" --channels-last ) >"$log.$$" 2>&1 || status=$?
      else
        ( [[ $isa == default ]] || export ONEDNN_MAX_CPU_ISA=$isa; "$@" ) >"$log.$$" 2>&1 || status=$?
      fi
      if [[ $status -eq 0 ]]; then
        verdict=$isa
        break
      fi
      if [[ $status -ne 3 ]]; then
        _lagrange4j_kernels_say "lagrange4j: kernel check could not run (exit $status); oneDNN's default kernels, not cached:"
        _lagrange4j_kernels_say "$(grep -E 'Exception|Error|error' "$log.$$" | head -5)"
        rm -f "$log.$$"
        export LAGRANGE4J_KERNELS="kernel check could not run"
        return
      fi
      _lagrange4j_kernels_say "lagrange4j: kernel check: $(_lagrange4j_kernels_name "$isa") gives wrong convolutions here:"
      _lagrange4j_kernels_say "$(grep -E 'WRONG|FAILED' "$log.$$" | head -5)"
    done
    rm -f "$log.$$"
    if [[ -z "$verdict" ]]; then
      _lagrange4j_kernels_say "lagrange4j: kernel check failed for every setting; using SSE41 (not cached)"
      export ONEDNN_MAX_CPU_ISA=SSE41 LAGRANGE4J_KERNELS="kernel check failed for every setting"
      return
    fi
    echo "$verdict" >"$cache.$$" && mv "$cache.$$" "$cache"
    _lagrange4j_kernels_say "lagrange4j: kernel check: $(_lagrange4j_kernels_name "$verdict") passes (conv2d float32 vs float64); cached in $cache"
  fi
  if [[ "$verdict" == default:* ]]; then
    if [[ -z "${LAGRANGE4J_CONV_ALIGNMENT:-}" ]]; then
      export LAGRANGE4J_CONV_ALIGNMENT="${verdict#default:}"
    fi
  elif [[ "$verdict" == channels-last ]]; then
    if [[ -z "${LAGRANGE4J_CONV_LAYOUT:-}" ]]; then
      export LAGRANGE4J_CONV_LAYOUT=channels-last
    fi
  elif [[ "$verdict" != default ]]; then
    export ONEDNN_MAX_CPU_ISA="$verdict"
  fi
  export LAGRANGE4J_KERNELS="chosen by the kernel check"
}
