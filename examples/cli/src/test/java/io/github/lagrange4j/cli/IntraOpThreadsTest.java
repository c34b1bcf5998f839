package io.github.lagrange4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.github.lagrange4j.models.ModelKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's intra-op threads follow the kind of network unless the user set them. */
class IntraOpThreadsTest {

    private int before;

    @BeforeEach
    void rememberThreads() {
        Engine.getEngine("PyTorch");
        before = JniUtils.getNumThreads();
    }

    @AfterEach
    void restoreThreads() {
        System.clearProperty(IntraOpThreads.PROPERTY);
        JniUtils.setNumThreads(before);
    }

    @Test
    void theGatedMlpTrainsOnOneThreadTheDenseMlpAndLeNetOnTheDefault() {
        Engine engine = Engine.getEngine("PyTorch");
        IntraOpThreads.Choice mlp = IntraOpThreads.apply(engine, ModelKind.MLP, true);
        assertThat(mlp.threads()).isEqualTo(1);
        assertThat(JniUtils.getNumThreads()).isEqualTo(1);
        assertThat(mlp.describe()).isEqualTo("1 (gated fully connected network: one thread)");

        // PyTorch's default as the engine started: one per core (this test's JVM sets no thread property)
        IntraOpThreads.Choice dense = IntraOpThreads.apply(engine, ModelKind.MLP, false);
        assertThat(dense.threads()).isEqualTo(before).isEqualTo(JniUtils.getNumThreads());
        assertThat(dense.reason()).startsWith("dense fully connected");

        IntraOpThreads.apply(engine, ModelKind.MLP, true);
        IntraOpThreads.Choice lenet = IntraOpThreads.apply(engine, ModelKind.LENET, true);
        assertThat(lenet.threads()).isEqualTo(before).isEqualTo(JniUtils.getNumThreads());
        assertThat(lenet.reason()).startsWith("convolutional");
    }

    @Test
    void theUsersSettingWins() {
        Engine engine = Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(2);
        System.setProperty(IntraOpThreads.PROPERTY, "2");
        IntraOpThreads.Choice choice = IntraOpThreads.apply(engine, ModelKind.MLP, true);
        assertThat(choice.threads()).isEqualTo(2);
        assertThat(JniUtils.getNumThreads()).isEqualTo(2);
        assertThat(choice.reason()).contains("set by the user").contains(IntraOpThreads.PROPERTY + "=2");
    }

    @Test
    void anotherEngineKeepsItsOwnThreading() {
        Engine mxnet = Engine.getEngine("MXNet"); // (loading it may change PyTorch's threads in this process)
        int threads = JniUtils.getNumThreads();
        IntraOpThreads.Choice choice = IntraOpThreads.apply(mxnet, ModelKind.MLP, true);
        assertThat(choice.threads()).isEqualTo(-1);
        assertThat(choice.reason()).isEqualTo("MXNet keeps its own threading");
        assertThat(JniUtils.getNumThreads()).isEqualTo(threads);
    }

    @Test
    void refusesMissingArguments() {
        assertThatThrownBy(() -> IntraOpThreads.apply(null, ModelKind.MLP, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("engine");
        assertThatThrownBy(() -> IntraOpThreads.apply(Engine.getEngine("PyTorch"), null, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model");
    }
}
