package io.github.lagrange4j.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.github.lagrange4j.models.ModelKind;

/**
 * How many threads the engine uses inside one operation (PyTorch's intra-op threads) when it trains a model,
 * unless the user said: a gated (L0) fully connected network trains on one thread; a dense network and a
 * convolutional one on PyTorch's default (one per core).
 *
 * <p>Why: a step of the gated MLP is a stream of about a hundred small operations, most too small for PyTorch to
 * split, and GEMMs of at most 128×784×300 (smaller at a budget). With two threads every split operation ends at a
 * barrier where the caller waits for the other thread, and between operations that thread spins on the second
 * core, which the JVM's compiler and collector then share with it. Measured on a 2-vCPU AMD EPYC (2026-12-02,
 * {@code bench}, one thread against two alternating, median epoch): the gated MLP at its budget 1.10, 1.24, 1.26,
 * 1.55 s against 1.59, 1.64, 1.85, 1.55 s; at the start of training 2.46, 2.58, 1.75, 2.17 s against 3.11, 2.67,
 * 2.73, 2.33 s. The dense MLP's step is a few dozen operations around three GEMMs that split well: one thread and
 * two came out even (10 pairs of {@code dense --epochs 6}, two threads faster in 5), so it keeps the default, as
 * LeNet-5's convolutions do (6.6 and 8.8 s against 11.0 and 10.8 s with one thread on 12,800 images). The
 * README's Performance section has the pairs against the authors' code.
 *
 * <p>It lives in the command-line application, not in the training driver: the library modules name no
 * engine. The setting is the engine's, for the whole process. {@code -Dai.djl.pytorch.num_threads=N} (the
 * launcher's {@code LAGRANGE4J_THREADS=N}) is the user's choice and always wins; engines other than PyTorch keep
 * their own threading. The number of threads can change which order a parallel sum adds in, so runs with one thread and
 * with two differ by float rounding, as runs on two machines do; a run and its resume use the same rule.
 */
public final class IntraOpThreads {

    /** DJL's system property for PyTorch's intra-op threads, read when the engine starts. */
    public static final String PROPERTY = "ai.djl.pytorch.num_threads";

    private static Integer engineDefault;

    private IntraOpThreads() {}

    /**
     * What was chosen and why.
     *
     * @param threads the engine's intra-op threads now, or -1 if the engine does not say
     * @param reason why, in a few words
     */
    public record Choice(int threads, String reason) {
        /**
         * Describes the choice for a log line.
         *
         * @return e.g. "1 (gated fully connected network: one thread)"
         */
        public String describe() {
            return (threads < 0 ? "default" : String.valueOf(threads)) + " (" + reason + ")";
        }
    }

    /**
     * Sets the engine's intra-op threads for training a model of this kind, unless the user set them.
     *
     * @param engine the engine the model trains on
     * @param model the kind of network
     * @param gated whether it is the L0-gated network (the dense baseline otherwise)
     * @return what the engine uses now and why
     */
    public static synchronized Choice apply(Engine engine, ModelKind model, boolean gated) {
        if (engine == null || model == null) {
            throw new IllegalArgumentException("engine and model must not be null");
        }
        if (!"PyTorch".equals(engine.getEngineName())) {
            return new Choice(-1, engine.getEngineName() + " keeps its own threading");
        }
        if (System.getProperty(PROPERTY) != null) {
            return new Choice(threads(), "set by the user: " + PROPERTY + "=" + System.getProperty(PROPERTY));
        }
        if (engineDefault == null) {
            engineDefault = threads();
        }
        if (model == ModelKind.MLP && gated) {
            setThreads(1);
            return new Choice(threads(), "gated fully connected network: one thread");
        }
        if (engineDefault > 0) {
            setThreads(engineDefault);
        }
        return new Choice(threads(), (model == ModelKind.MLP ? "dense fully connected" : "convolutional")
                + " network: PyTorch's default, one per core");
    }

    private static int threads() {
        return JniUtils.getNumThreads();
    }

    private static void setThreads(int threads) {
        JniUtils.setNumThreads(threads);
    }
}
