package io.github.lagrange4j.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.lagrange4j.constrained.primal.ParameterValues;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.nn.GatedLayer;
import java.util.List;

/**
 * Arms a fixed mask for noisy fine-tuning: the kept gates keep drawing hard-concrete samples, which act on
 * the kept weights like dropout, while the dropped gates stay off.
 *
 * <p>Rule, applied once after {@code FixedMask.apply}: a kept gate gets {@code log α = a} (the option
 * {@code finetuneGateNoise}, in {@code [−1.5, 4.6]}), a dropped gate {@code log α =} {@link #DROPPED}. With
 * the hard-concrete constants (β = 2/3, γ = −0.1, ζ = 1.1) a training sample of a kept gate is 0 with
 * probability {@code σ(−1.6 − a)} and below 1 with probability {@code σ(1.6 − a)} (e.g. a = 1.6: 4% off,
 * 50% scaled down); its deterministic (median) gate is {@code clamp(σ(a/β) (ζ − γ) + γ, 0, 1) > 0}, exactly
 * 1 for {@code a ≥ 1.6}, so the deployed mask is unchanged. A dropped gate at {@link #DROPPED} is sampled
 * non-zero with probability {@code σ(1.6 − 40) ≈ 2·10⁻¹⁷}: the noise never reaches a weight outside the mask.
 * The values live in the model's log α, so a checkpoint restores them; the fine-tuning phase neither
 * updates nor clamps log α.
 */
public final class GateNoise {

    /** The log α of a dropped gate during noisy fine-tuning. */
    public static final double DROPPED = -40;

    /** The lowest log α allowed for a kept gate (its median gate must stay non-zero: above −1.599). */
    public static final double MIN_KEPT = -1.5;

    private GateNoise() {}

    /**
     * Sets the log α of the kept and dropped gates.
     *
     * @param network the gated network whose mask is fixed, modified in place
     * @param keep the kept gates per layer
     * @param keptLogAlpha the kept gates' log α, in {@code [−1.5, 4.6]}
     */
    public static void arm(GatedNetwork network, List<boolean[]> keep, double keptLogAlpha) {
        if (!(keptLogAlpha >= MIN_KEPT && keptLogAlpha <= 4.6)) {
            throw new IllegalArgumentException("finetune-gate-noise must be a log alpha in [-1.5, 4.6], got "
                    + keptLogAlpha);
        }
        for (int k = 0; k < network.size(); k++) {
            GatedLayer layer = network.layers().get(k);
            boolean[] flags = keep.get(k);
            float[] target = new float[flags.length];
            for (int i = 0; i < flags.length; i++) {
                target[i] = (float) (flags[i] ? keptLogAlpha : DROPPED);
            }
            NDArray la = layer.logAlpha().getArray();
            try (NDManager scope = la.getManager().newSubManager()) {
                ParameterValues.assign(la, scope.create(target).reshape(la.getShape()));
            }
        }
    }
}
