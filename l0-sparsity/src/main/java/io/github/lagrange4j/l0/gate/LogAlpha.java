package io.github.lagrange4j.l0.gate;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.lagrange4j.constrained.util.SharedConstants;
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
     * <p>Every temporary is closed here, none is left in the parameter's manager: DJL's PyTorch
     * {@code clip(Number, Number)} creates its two bounds as arrays in the manager of the array it clips
     * and never closes them; on a parameter, which lives as long as the model, that leaked two arrays
     * per gated layer and step (about 1 MB of native memory per paper-MLP epoch).
     *
     * @param logAlpha the array to clamp in place
     */
    public static void clampInPlace(NDArray logAlpha) {
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
