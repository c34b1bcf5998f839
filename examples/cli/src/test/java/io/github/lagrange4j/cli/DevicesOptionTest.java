package io.github.lagrange4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import io.github.lagrange4j.cli.DeviceOption.DeviceKind;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code --devices N}: data-parallel training on GPUs 0..N-1 (DJL's {@code Engine.getDevices(N)}); refused with a
 * message naming the option when it is below 1, asks for several CPUs, or for more GPUs than the engine sees.
 */
class DevicesOptionTest {

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        SparsityOptions options;

        @Mixin
        DeviceOption device;
    }

    private static Probe parse(CommandLine[] holder, String... args) {
        Probe probe = new Probe();
        holder[0] = new CommandLine(probe);
        holder[0].parseArgs(args);
        return probe;
    }

    @Test
    void theCountReachesTheSettingsAndDefaultsToOne() {
        CommandLine[] cl = new CommandLine[1];
        assertThat(parse(cl).options.settings(cl[0]).optimization().devices()).isEqualTo(1);
        assertThat(parse(cl, "--devices", "2").options.settings(cl[0]).optimization().devices()).isEqualTo(2);
    }

    @Test
    void countsThatCannotBeServedAreRefusedNamingTheReason() {
        assertThat(DeviceOption.devicesProblem(DeviceKind.cpu, 1, 0, "PyTorch")).isNull();
        assertThat(DeviceOption.devicesProblem(DeviceKind.gpu, 2, 2, "PyTorch")).isNull();
        assertThat(DeviceOption.devicesProblem(DeviceKind.gpu, 0, 2, "PyTorch")).isEqualTo("must be >= 1, got 0");
        assertThat(DeviceOption.devicesProblem(DeviceKind.cpu, 2, 0, "PyTorch")).isEqualTo(
                "2 devices need --device gpu: the PyTorch engine counts the CPU as one device (it sees 0 GPUs)");
        assertThat(DeviceOption.devicesProblem(DeviceKind.gpu, 4, 1, "PyTorch"))
                .isEqualTo("4 GPUs asked for, the PyTorch engine sees 1 (Engine.getGpuCount())");
    }

    @Test
    void theCommandLineNamesTheOption() {
        CommandLine[] cl = new CommandLine[1];
        Probe zero = parse(cl, "--devices", "0");
        CommandLine zeroLine = cl[0];
        assertThatThrownBy(() -> zero.options.settings(zeroLine)).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("Invalid option --devices must be >= 1, got 0");
        Probe small = parse(cl, "--devices", "3", "--batch-size", "2");
        CommandLine smallLine = cl[0];
        assertThatThrownBy(() -> small.options.settings(smallLine)).hasMessage("Invalid option --batch-size (2) must"
                + " be >= --devices (3): every device needs at least one example of a minibatch");

        Engine engine = Engine.getEngine("PyTorch");
        Probe cpu = parse(cl, "--devices", "2");
        assertThatThrownBy(() -> cpu.device.checkDevices(2, engine)).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("Invalid value for option '--devices': 2 devices need --device gpu: the PyTorch engine"
                        + " counts the CPU as one device (it sees " + engine.getGpuCount() + " GPU"
                        + (engine.getGpuCount() == 1 ? "" : "s") + ")");
    }
}
