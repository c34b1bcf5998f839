package io.github.lagrange4j.l0.compact;

import ai.djl.nn.SequentialBlock;
import java.util.List;

/**
 * The result of {@link Compaction#compact}: an ordinary DJL block and what it kept.
 *
 * <p>The block's arrays belong to the manager given to {@code compact}. To load a saved compacted
 * model, rebuild its structure with {@link Compaction#skeleton(SequentialBlock, List)} from the gated
 * template and {@link #keptOutputs()}, set it on a {@code Model} and call {@code model.load}.
 *
 * @param block the compacted block (Linear / Conv2d / InputSelection and the original parameter-free
 *     blocks), initialised
 * @param keptOutputs per gated layer, the outputs (units or channels) the compacted layer has
 * @param parameterCount the weights and biases of the compacted block (equals the kept count of
 *     {@code NetworkAccount})
 */
public record CompactedModel(SequentialBlock block, List<Long> keptOutputs, long parameterCount) {

    /** Copies the list. */
    public CompactedModel {
        keptOutputs = List.copyOf(keptOutputs);
    }
}
