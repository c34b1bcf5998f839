package io.github.lagrange4j.training;

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
    void aFullyConnectedNetworkTrainsOnOneThreadAConvolutionalOneOnTheDefault() {
        Engine engine = Engine.getEngine("PyTorch");
        IntraOpThreads.Choice mlp = IntraOpThreads.apply(engine, ModelKind.MLP);
        assertThat(mlp.threads()).isEqualTo(1);
        assertThat(JniUtils.getNumThreads()).isEqualTo(1);
        assertThat(mlp.describe()).isEqualTo("1 (fully connected network: one thread)");

        IntraOpThreads.Choice lenet = IntraOpThreads.apply(engine, ModelKind.LENET);
        // PyTorch's default as the engine started: one per core (this test's JVM sets no thread property)
        assertThat(lenet.threads()).isEqualTo(before).isEqualTo(JniUtils.getNumThreads());
        assertThat(lenet.reason()).contains("convolutional");
    }

    @Test
    void theUsersSettingWins() {
        Engine engine = Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(2);
        System.setProperty(IntraOpThreads.PROPERTY, "2");
        IntraOpThreads.Choice choice = IntraOpThreads.apply(engine, ModelKind.MLP);
        assertThat(choice.threads()).isEqualTo(2);
        assertThat(JniUtils.getNumThreads()).isEqualTo(2);
        assertThat(choice.reason()).contains("set by the user").contains(IntraOpThreads.PROPERTY + "=2");
    }

    @Test
    void anotherEngineKeepsItsOwnThreading() {
        Engine mxnet = Engine.getEngine("MXNet"); // (loading it may change PyTorch's threads in this process)
        int threads = JniUtils.getNumThreads();
        IntraOpThreads.Choice choice = IntraOpThreads.apply(mxnet, ModelKind.MLP);
        assertThat(choice.threads()).isEqualTo(-1);
        assertThat(choice.reason()).isEqualTo("MXNet keeps its own threading");
        assertThat(JniUtils.getNumThreads()).isEqualTo(threads);
    }

    @Test
    void refusesMissingArguments() {
        assertThatThrownBy(() -> IntraOpThreads.apply(null, ModelKind.MLP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("engine");
        assertThatThrownBy(() -> IntraOpThreads.apply(Engine.getEngine("PyTorch"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model");
    }
}
