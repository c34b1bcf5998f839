package io.github.lagrange4j.l0.gate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.lagrange4j.constrained.util.DirectMemory;
import io.github.lagrange4j.constrained.util.SharedConstants;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Conventions for the gate parameters log α: their name, how to find them in a block tree, and the
 * clamp to {@code [log 0.01, log 100]} that the reference implementations apply after every optimizer
 * step.
 *
 * <p>Who clamps: an {@code L0Problem} clamps the gates it knows at the end of every constrained-optimizer
 * step ({@code projectPrimal}), so a loop that trains through it never calls the clamp. A loop that steps
 * a DJL optimizer on gated layers without an {@code L0Problem} calls {@link #clampAll(Block)} after each
 * optimizer step, outside any gradient collector. A training driver that wants a separate learning rate
 * for the gates selects them with {@link #isGateParameter(String)} on the names of {@code
 * block.getParameters()}.
 */
public final class LogAlpha {

    /** The name of every gate parameter; tree names (e.g. {@code 01L0Linear_log_alpha}) contain it. */
    public static final String PARAMETER_NAME = "log_alpha";

    /** The lower clamp {@code log 0.01 = −4.605}. */
    public static final double MIN = Math.log(0.01);

    /** The upper clamp {@code log 100 = 4.605}. */
    public static final double MAX = Math.log(100);

    private LogAlpha() {}

    /**
     * Tells whether a parameter name (direct or as listed by {@code Block.getParameters()}) names a
     * gate parameter.
     *
     * @param parameterName the parameter name
     * @return true if the name contains {@value #PARAMETER_NAME}
     */
    public static boolean isGateParameter(String parameterName) {
        return parameterName != null && parameterName.contains(PARAMETER_NAME);
    }

    /**
     * Lists the gate parameters of a block tree, in the order of {@code block.getParameters()}.
     *
     * @param block the root block
     * @return the log α parameters
     */
    public static List<Parameter> gateParameters(Block block) {
        List<Parameter> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (isGateParameter(p.getKey())) {
                out.add(p.getValue());
            }
        }
        return out;
    }

    /**
     * Clamps one log α array in place to {@code [MIN, MAX]}. Call it outside any gradient collector.
     *
     * <p>Where the array's memory can be written from Java ({@link DirectMemory}: a contiguous float32 array on
     * PyTorch's CPU, verified once per array), the clamp is a loop over that memory and dispatches no engine
     * operation (it ran four per gated layer and step). Elsewhere it runs on the engine. Both compute, per
     * element in float arithmetic, {@code x − (x − min(max(x, MIN), MAX))}: the same bits (a NaN stays a NaN).
     *
     * <p>On the engine every temporary is closed here, none is left in the parameter's manager: DJL's PyTorch
     * {@code clip(Number, Number)} creates its two bounds as arrays in the manager of the array it clips
     * and never closes them; on a parameter, which lives as long as the model, that leaked two arrays
     * per gated layer and step (about 1 MB of native memory per paper-MLP epoch).
     *
     * @param logAlpha the array to clamp in place
     */
    public static void clampInPlace(NDArray logAlpha) {
        ByteBuffer memory = memoryOf(logAlpha);
        if (memory != null) {
            clamp(memory, (int) logAlpha.size());
            return;
        }
        // the bounds are shared constants: never closed here
        NDArray lower = SharedConstants.of(logAlpha, MIN);
        NDArray upper = SharedConstants.of(logAlpha, MAX);
        try (NDArray floored = logAlpha.maximum(lower);
                NDArray clipped = floored.minimum(upper);
                NDArray excess = logAlpha.sub(clipped)) {
            logAlpha.subi(excess);
        }
    }

    /**
     * Verified views of the arrays clamped lately, by array identity (DJL's arrays define {@code equals} as equal
     * content, so no hash map can key them), held weakly; a handful of gate arrays per model.
     */
    private static final List<View> VIEWS = new ArrayList<>();
    private static final int MAX_VIEWS = 64;

    /** An array and its verified memory (null if it has none). */
    private record View(WeakReference<NDArray> array, ByteBuffer memory) {}

    /** Returns the verified view of an open float32 array's memory, or null. */
    private static ByteBuffer memoryOf(NDArray logAlpha) {
        if (logAlpha.isReleased() || logAlpha.getDataType() != DataType.FLOAT32) {
            return null;
        }
        synchronized (VIEWS) {
            for (View v : VIEWS) {
                if (v.array().get() == logAlpha) {
                    return v.memory();
                }
            }
            VIEWS.removeIf(v -> v.array().get() == null || v.array().get().isReleased());
            if (VIEWS.size() >= MAX_VIEWS) {
                VIEWS.remove(0);
            }
            ByteBuffer memory = DirectMemory.of(logAlpha);
            VIEWS.add(new View(new WeakReference<>(logAlpha), memory));
            return memory;
        }
    }

    /** The engine's clamp, element by element in the same float operations. */
    private static void clamp(ByteBuffer memory, int n) {
        float lower = (float) MIN;
        float upper = (float) MAX;
        for (int i = 0; i < n; i++) {
            int at = i * Float.BYTES;
            float x = memory.getFloat(at);
            float clipped = Math.min(Math.max(x, lower), upper);
            if (clipped != x || Float.isNaN(x)) {
                memory.putFloat(at, x - (x - clipped));
            }
        }
    }

    /**
     * Clamps every initialised log α parameter of a block tree in place to {@code [MIN, MAX]}; call it
     * after every optimizer step, outside any gradient collector.
     *
     * @param block the root block
     * @return the number of parameters clamped
     */
    public static int clampAll(Block block) {
        int n = 0;
        for (Parameter p : gateParameters(block)) {
            if (p.isInitialized()) {
                clampInPlace(p.getArray());
                n++;
            }
        }
        return n;
    }
}
