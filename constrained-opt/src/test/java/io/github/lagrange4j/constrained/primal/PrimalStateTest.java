package io.github.lagrange4j.constrained.primal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every primal side saves and restores its own state behind a header naming its kind and layout version: a
 * primal side without state writes only the header {@code "stateless"}; a {@link ParameterOptimizer} its
 * parameters and its {@link StatefulOptimizer}'s buffers; a {@link TrainerPrimalOptimizer} the buffers of the
 * trainer's {@link StatefulAdam}, so nobody saves Adam separately. A state of another kind or version is
 * refused naming both.
 */
class PrimalStateTest {

    /** A primal side with no state of its own, keeping the interface's defaults. */
    private static final PrimalOptimizer STATELESS = new PrimalOptimizer() {
        @Override
        public GradientCollector newGradientCollector() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void step() {}

        @Override
        public List<NDArray> parameters() {
            return List.of();
        }
    };

    @Test
    void aPrimalSideWithoutStateWritesOnlyTheHeaderStatelessVersion1AndReadsItBack() throws IOException {
        byte[] saved = save(STATELESS);

        assertThat(saved).isEqualTo(header("stateless", 1));
        STATELESS.loadState(in(saved), null);
    }

    @Test
    void aParameterOptimizerSavesItsParametersAndAdamMomentsAndRestoresThemExactly() throws IOException {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ParameterOptimizer first = adamOn(m.create(new float[] {1f, -2f, 3f}));
            for (int t = 0; t < 3; t++) {
                step(first);
            }
            byte[] saved = save(first);
            assertThat(Arrays.copyOf(saved, header("parameter-optimizer", 1).length))
                    .isEqualTo(header("parameter-optimizer", 1));

            ParameterOptimizer fresh = adamOn(m.create(new float[] {0f, 0f, 0f}));
            fresh.loadState(in(saved), m);

            assertThat(fresh.namedParameters().get("x").toFloatArray())
                    .containsExactly(first.namedParameters().get("x").toFloatArray());
            assertThat(((StatefulAdam) fresh.optimizer()).stepCount("x")).isEqualTo(3);
            assertThat(save(fresh)).isEqualTo(saved);
            step(first);
            step(fresh);
            assertThat(fresh.namedParameters().get("x").toFloatArray())
                    .containsExactly(first.namedParameters().get("x").toFloatArray());
        }
    }

    @Test
    void aStateOfAnotherKindOfPrimalSideIsRefusedNamingBothKinds() throws IOException {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ParameterOptimizer parameters = adamOn(m.create(new float[] {1f}));
            byte[] stateless = save(STATELESS);
            byte[] ofParameters = save(parameters);

            assertThatThrownBy(() -> parameters.loadState(in(stateless), m)).isInstanceOf(IOException.class)
                    .hasMessage("the primal optimizer state was written by a primal side of kind 'stateless' (version 1),"
                            + " this primal optimizer is of kind 'parameter-optimizer'");
            assertThatThrownBy(() -> STATELESS.loadState(in(ofParameters), m)).isInstanceOf(IOException.class)
                    .hasMessage("the primal optimizer state was written by a primal side of kind 'parameter-optimizer'"
                            + " (version 1), this primal optimizer is of kind 'stateless'");
        }
    }

    @Test
    void aStateOfAnUnknownLayoutVersionIsRefusedNamingTheVersion() {
        assertThatThrownBy(() -> STATELESS.loadState(in(header("stateless", 2)), null))
                .isInstanceOf(IOException.class)
                .hasMessage("primal optimizer state 'stateless' version 2 is not supported (this build reads 1 to 1)");
    }

    @Test
    void aTrainersPrimalSideSavesTheTrainersStatefulAdamBitForBit() throws IOException {
        Linear block = Linear.builder().setUnits(1).optBias(false).build();
        block.setInitializer(new ConstantInitializer(0.5f), Parameter.Type.WEIGHT);
        try (Model model = Model.newInstance("linear", Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            StatefulAdam adam = StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.1f))
                    .optParameterNames(block).build();
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam))) {
                trainer.initialize(new Shape(1, 1));
                TrainerPrimalOptimizer primal = new TrainerPrimalOptimizer(trainer, adam);
                NDArray w = block.getParameters().get("weight").getArray();
                for (int t = 0; t < 2; t++) {
                    try (GradientCollector collector = primal.newGradientCollector()) {
                        collector.backward(w.sub(3).square().sum());
                    }
                    primal.step();
                }

                byte[] saved = save(primal);

                ByteArrayOutputStream adamState = new ByteArrayOutputStream();
                adam.saveState(new DataOutputStream(adamState));
                byte[] header = header("trainer", 1);
                assertThat(Arrays.copyOf(saved, header.length)).isEqualTo(header);
                assertThat(saved[header.length]).as("stateful").isEqualTo((byte) 1);
                assertThat(Arrays.copyOfRange(saved, header.length + 1, saved.length))
                        .isEqualTo(adamState.toByteArray());
                StatefulAdam freshAdam = StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.1f))
                        .optParameterNames(block).build();
                new TrainerPrimalOptimizer(trainer, freshAdam).loadState(in(saved), trainer.getManager());
                assertThat(freshAdam.stepCount("weight")).isEqualTo(2);
                ByteArrayOutputStream restored = new ByteArrayOutputStream();
                freshAdam.saveState(new DataOutputStream(restored));
                assertThat(restored.toByteArray()).isEqualTo(adamState.toByteArray());

                TrainerPrimalOptimizer withoutAdam = new TrainerPrimalOptimizer(trainer);
                assertThat(save(withoutAdam)).isEqualTo(concat(header, new byte[] {0}));
                assertThatThrownBy(() -> withoutAdam.loadState(in(saved), trainer.getManager()))
                        .isInstanceOf(IOException.class)
                        .hasMessage("checkpoint mismatch in the trainer's optimizer state: the checkpoint has"
                                + " StatefulOptimizer state, this primal optimizer has no StatefulOptimizer");
            }
        }
    }

    private static ParameterOptimizer adamOn(NDArray x) {
        x.setRequiresGradient(true);
        Optimizer adam = StatefulAdam.builder().optLearningRateTracker(Tracker.fixed(0.1f)).build();
        return ParameterOptimizer.of(adam, x);
    }

    /** One step on f(x) = sum((x - 1)^2). */
    private static void step(ParameterOptimizer primal) {
        NDArray x = primal.namedParameters().get("x");
        try (GradientCollector collector = primal.newGradientCollector()) {
            collector.backward(x.sub(1).square().sum());
        }
        primal.step();
    }

    private static byte[] save(PrimalOptimizer primal) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        primal.saveState(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static DataInputStream in(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }

    private static byte[] header(String kind, int version) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF(kind);
        out.writeInt(version);
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
