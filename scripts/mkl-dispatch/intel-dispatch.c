/*
 * Preloaded (LD_PRELOAD) into the JVM by the lagrange4j launcher when the GEMM check says so
 * (scripts/mkl-dispatch.sh, io.github.lagrange4j.training.GemmCheck).
 *
 * oneMKL, linked into PyTorch's CPU library, asks this exported function whether the CPU is Intel's, and on any
 * other CPU runs its float32 GEMMs on a code path without AVX-512, whatever the CPU offers. Answering yes lets
 * oneMKL choose its code path by the CPU's instruction sets, as it does on Intel's CPUs. The launcher keeps this
 * library only where the check finds oneMKL's products right (float32 against double precision) and faster.
 */
int mkl_serv_intel_cpu_true(void) {
    return 1;
}
