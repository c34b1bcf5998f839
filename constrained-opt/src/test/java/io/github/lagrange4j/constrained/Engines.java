package io.github.lagrange4j.constrained;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.List;

/** The engines every convergence test runs on: the module must be engine-agnostic. */
public final class Engines {

    private Engines() {}

    /**
     * Returns the engine names.
     *
     * @return PyTorch and MXNet
     */
    public static List<String> names() {
        return List.of("PyTorch", "MXNet");
    }

    /**
     * Opens a CPU base manager of the named engine.
     *
     * @param engine the engine name
     * @return a new base manager (close it)
     */
    public static NDManager manager(String engine) {
        return NDManager.newBaseManager(Device.cpu(), engine);
    }
}
