package io.github.lagrange4j.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.util.Pair;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.primal.Gradients;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulAdam;
import io.github.lagrange4j.l0.account.BudgetMask;
import io.github.lagrange4j.l0.account.FixedMask;
import io.github.lagrange4j.l0.account.GatedNetwork;
import io.github.lagrange4j.l0.gate.LogAlpha;
import io.github.lagrange4j.training.output.EpochMetrics;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fine-tuning phase of a run: the last {@code finetuneEpochs} epochs train the weights of a fixed-mask
 * network.
 *
 * <p>At the phase boundary ({@link #fixMask}) the mask is chosen to fill the budget under the true kept count
 * of the compacted model ({@link BudgetMask}: model-wise or layer-wise ε, or the MAC fraction F, of a
 * constrained run; a penalized run keeps its current deterministic mask) and imposed with {@link FixedMask}
 * (gates saturated at {@code log α = ±4.6}, old deterministic gates folded into the weights). Then per
 * minibatch: the forward
 * pass runs with deterministic gates (no noise), the cross-entropy is back-propagated, and a fresh Adam
 * steps the weights and biases only, at {@code η_t = η · (1 + cos(π (t − 1) / T)) / 2} over the {@code T}
 * steps of the phase ({@code η} = the main phase's primal rate). The gates get no update and, saturated,
 * no gradient: the mask and so the deployed kept fraction stay fixed. The multipliers are not updated
 * either; the metrics report their final values. Options: {@code finetuneWeightDecay} adds coupled L2 decay
 * to that Adam; {@code finetuneGateNoise} keeps the hard-concrete noise on the kept gates ({@link GateNoise}:
 * their log α lowered to the given value, the dropped gates pushed out of the noise's reach) and runs the
 * forward pass in training mode, the gate samples seeded by (seed, epoch, step) like the main phase's.
 *
 * <p>Exact resume: batches follow (seed, epoch); the Adam state (step counts, moments) is saved with
 * {@link #saveState} into the checkpoint and the mask is in the model's log α.
 */
public final class FineTuner {

    private final SparsityTrainer trainer;
    private final StatefulAdam adam;
    private final ParameterOptimizer primal;
    private final List<NDArray> gates;

    /**
     * Prepares the phase on a trainer whose main phase is done (or whose mask is restored).
     *
     * @param trainer the run's trainer, not owned
     */
    public FineTuner(SparsityTrainer trainer) {
        this.trainer = trainer;
        RunSettings settings = trainer.settings();
        long steps = (long) Math.max(1, settings.schedule().finetuneEpochs())
                * trainer.trainBatches().batches(settings.optimization().batchSize());
        adam = StatefulAdam.builder()
                .optLearningRateTracker(
                        LearningRateSchedule.COSINE.tracker(settings.optimization().primalLearningRate(), steps))
                .optWeightDecays((float) settings.schedule().finetuneWeightDecay())
                .build();
        Map<String, NDArray> weights = new LinkedHashMap<>();
        List<NDArray> logAlphas = new ArrayList<>();
        for (Pair<String, Parameter> p : trainer.model().getBlock().getParameters()) {
            if (!p.getValue().isInitialized() || !p.getValue().requiresGradient()) {
                continue;
            }
            if (LogAlpha.isGateParameter(p.getKey())) {
                logAlphas.add(p.getValue().getArray());
            } else {
                weights.put(p.getKey(), p.getValue().getArray());
            }
        }
        primal = ParameterOptimizer.of(adam, weights);
        gates = List.copyOf(logAlphas);
    }

    /**
     * Chooses and imposes the fixed mask (call once, at the phase boundary, outside any gradient collector).
     *
     * @param settings the run's settings (approach, scope, ε)
     * @param network the trained gated network, modified in place
     * @return the kept gates per layer
     */
    public static List<boolean[]> fixMask(RunSettings settings, GatedNetwork network) {
        List<boolean[]> keep;
        if (settings.objective().approach() != Approach.CONSTRAINED) {
            keep = FixedMask.of(network);
        } else {
            double[] eps = settings.objective().epsilons();
            keep = switch (settings.objective().scope()) {
                case MODEL -> BudgetMask.modelWise(network, eps[0]);
                case LAYER -> BudgetMask.layerWise(network, eps);
                case MACS -> BudgetMask.macs(network, eps[0]);
            };
        }
        FixedMask.apply(network, keep);
        if (settings.schedule().finetuneGateNoise() != null) {
            GateNoise.arm(network, keep, settings.schedule().finetuneGateNoise());
        }
        return keep;
    }

    /**
     * Fine-tunes one epoch and evaluates it, firing the run trainer's listeners like {@link
     * SparsityTrainer#trainEpoch} (each step's {@link StepData} carries the loss and no optimizer record).
     *
     * @param epoch the 1-based epoch of the whole run ({@code epochs < epoch ≤ epochs + finetuneEpochs})
     * @return the epoch's metrics, phase {@link EpochMetrics#FINETUNE}
     * @throws NonFiniteException if the loss becomes NaN or infinite
     */
    public EpochMetrics trainEpoch(int epoch) {
        long start = System.nanoTime();
        RunSettings settings = trainer.settings();
        MnistBatches train = trainer.trainBatches();
        Trainer djl = trainer.djlTrainer();
        boolean noisy = settings.schedule().finetuneGateNoise() != null;
        int steps = train.batches(settings.optimization().batchSize());
        djl.notifyListeners(l -> RunListener.startEpoch(l, djl, epoch, settings.schedule().totalEpochs(), steps));
        double lossSum = 0;
        int step = 0;
        Iterator<Batch> batches = train.getData(trainer.manager(),
                EpochSampler.shuffled(settings.seed(), epoch, settings.optimization().batchSize()), null).iterator();
        while (batches.hasNext()) {
            if (noisy) {
                trainer.manager().getEngine().setRandomSeed(Seeds.engineSeed(settings.seed(), epoch, step));
            }
            // the scope closes every array of the step, whichever manager it landed in
            try (NDScope ignored = new NDScope(); Batch batch = batches.next()) {
                double loss;
                try (GradientCollector collector = djl.newGradientCollector()) {
                    NDArray x = batch.getData().head();
                    NDList logits = noisy ? djl.forward(new NDList(x)) : djl.evaluate(new NDList(x));
                    NDArray value = djl.getLoss().evaluate(batch.getLabels(), logits);
                    collector.backward(value);
                    loss = value.getFloat();
                }
                primal.step();
                for (NDArray g : gates) {
                    Gradients.zero(g);
                }
                StepData done = new StepData(batch, epoch, ++step, steps, null, loss);
                djl.notifyListeners(l -> l.onTrainingBatch(djl, done));
                lossSum += loss;
            }
        }
        double testError = trainer.testError();
        double validationError = trainer.validationError();
        djl.notifyListeners(l -> l.onEpoch(djl));
        return EpochReport.of(settings, trainer.network(), epoch, EpochMetrics.FINETUNE, lossSum / steps, testError,
                validationError, multipliers(), (System.nanoTime() - start) / 1e9);
    }

    private Map<String, double[]> multipliers() {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Constraint c : trainer.constrainedOptimizer().constraints()) {
            if (c.multiplier() != null) {
                out.put(c.name(), c.multiplier().values());
            }
        }
        return out;
    }

    /**
     * Writes the phase's optimizer state (exact bytes).
     *
     * @param out the stream
     * @throws IOException on a write failure
     */
    public void saveState(DataOutputStream out) throws IOException {
        adam.saveState(out);
    }

    /**
     * Restores the phase's optimizer state.
     *
     * @param in the stream
     * @param manager the manager that owns restored buffers
     * @throws IOException if the state does not fit
     */
    public void loadState(DataInputStream in, NDManager manager) throws IOException {
        adam.loadState(in, manager);
    }
}
