package io.github.lagrange4j.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --device} option: {@code cpu}, or {@code gpu}, which selects DJL's first GPU device when
 * the engine sees one ({@link Engine#getGpuCount()} &gt; 0) and is otherwise an error, never a silent
 * fall-back to the CPU. Mix it in with {@code @Mixin DeviceOption device;}.
 */
public final class DeviceOption {

    /** The kinds of device that can be requested. */
    public enum DeviceKind {
        /** The CPU. */
        cpu,
        /** The first GPU ({@code Device.gpu(0)}). */
        gpu
    }

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "KIND",
            description = "Device: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); gpu fails if the engine sees no GPU.")
    private DeviceKind kind = DeviceKind.cpu;

    /**
     * Returns the requested kind of device.
     *
     * @return cpu or gpu
     */
    public DeviceKind kind() {
        return kind;
    }

    /**
     * Returns the device to run on with the given engine.
     *
     * @param engine the engine that will run
     * @return {@code Device.cpu()} or {@code Device.gpu()}
     * @throws CommandLine.ParameterException naming {@code --device} if a GPU is requested but absent
     */
    public Device device(Engine engine) {
        int gpus = engine.getGpuCount();
        Device device = select(kind, gpus);
        if (device == null) {
            throw new CommandLine.ParameterException(mixee.commandLine(),
                    "Invalid value for option '--device': gpu was requested but the " + engine.getEngineName()
                            + " engine sees no GPU (Engine.getGpuCount() = " + gpus + "); use --device cpu");
        }
        return device;
    }

    /**
     * Checks a device count ({@code --devices}) against this option and the engine: several devices are
     * GPUs 0 to n − 1 ({@code Engine.getDevices(n)}, DJL's convention), so they need {@code --device gpu} and
     * as many GPUs; the engines count the CPU as one device.
     *
     * @param devices the number of devices asked for
     * @param engine the engine that will run
     * @throws CommandLine.ParameterException naming {@code --devices} if the count cannot be served
     */
    public void checkDevices(int devices, Engine engine) {
        String problem = devicesProblem(kind, devices, engine.getGpuCount(), engine.getEngineName());
        if (problem != null) {
            throw new CommandLine.ParameterException(mixee.commandLine(),
                    "Invalid value for option '--devices': " + problem);
        }
    }

    /**
     * Says why a device count cannot be served, if it cannot.
     *
     * @param kind the requested kind of device
     * @param devices the number of devices asked for
     * @param gpuCount the number of GPUs the engine sees
     * @param engineName the engine's name, for the message
     * @return the reason, or null if the count can be served
     */
    public static String devicesProblem(DeviceKind kind, int devices, int gpuCount, String engineName) {
        if (devices < 1) {
            return "must be >= 1, got " + devices;
        }
        if (devices == 1) {
            return null;
        }
        if (kind == DeviceKind.cpu) {
            return devices + " devices need --device gpu: the " + engineName + " engine counts the CPU as one"
                    + " device (it sees " + gpuCount + " GPU" + (gpuCount == 1 ? "" : "s") + ")";
        }
        if (devices > gpuCount) {
            return devices + " GPUs asked for, the " + engineName + " engine sees " + gpuCount
                    + " (Engine.getGpuCount())";
        }
        return null;
    }

    /**
     * Maps a requested kind and the number of visible GPUs to a device.
     *
     * @param kind the requested kind
     * @param gpuCount the number of GPUs the engine sees
     * @return the CPU for {@code cpu}; the first GPU for {@code gpu} if {@code gpuCount > 0}; else null
     */
    public static Device select(DeviceKind kind, int gpuCount) {
        if (kind == DeviceKind.cpu) {
            return Device.cpu();
        }
        return gpuCount > 0 ? Device.gpu() : null;
    }
}
