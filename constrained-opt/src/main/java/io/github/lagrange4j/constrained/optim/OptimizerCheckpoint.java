package io.github.lagrange4j.constrained.optim;

import ai.djl.ndarray.NDManager;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.dual.DualOptimizer;
import io.github.lagrange4j.constrained.dual.DualOptimizerState;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.PrimalOptimizer;
import io.github.lagrange4j.constrained.primal.PrimalState;
import io.github.lagrange4j.constrained.primal.StatefulOptimizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;

/**
 * Saves and restores the complete state of a {@link ConstrainedOptimizer}, bit for bit.
 *
 * <p>Layout, version 3 (integers big-endian, doubles as IEEE-754 bits, {@code UTF} as
 * {@code DataOutput.writeUTF}):
 *
 * <pre>
 * UTF    "lagrange4j-constrained-optimizer"
 * int    version (3)
 * dual state ({@link #saveDualState}):
 *   UTF scheme, UTF dual optimizer description, boolean restarts, long step count, int constraints, then per
 *   constraint (the problem's order): UTF name, UTF type, int size, multipliers, penalty coefficients,
 *   int buffers and each dual-optimizer buffer (doubles: int length or -1 for none, then the values), size
 *   longs of per-entry step counts, UTF the constraint's own dual optimizer description, its slack (doubles),
 *   boolean has-multiplier-model and, if so, the state of the model's {@link ParameterOptimizer}
 * primal state: {@link PrimalOptimizer#saveState} of the primal side (a {@link PrimalState} header, then
 *   what that kind of primal side saves, e.g. a {@code Trainer}'s {@link StatefulOptimizer} buffers)
 * </pre>
 *
 * <p>Versions 1 and 2 still load: version 1 had no slack, dual-optimizer description per constraint or
 * multiplier model; both wrote the primal side as {@code boolean} (a {@link ParameterOptimizer}'s state
 * followed, without its header) and left a {@code Trainer}'s optimizer to the caller ({@link
 * #loadLegacyPrimal}).
 *
 * <p>Order of calls to resume: build fresh objects exactly as for the original run (same problem,
 * constraints, optimizers), then {@link #load}; the next step continues where the saved one ended. A caller
 * that stores the primal side's state on its own (a checkpoint made of sections) uses {@link #saveDualState}
 * and {@link #loadDualState} with {@link PrimalOptimizer#saveState} and {@link PrimalOptimizer#loadState}.
 */
public final class OptimizerCheckpoint {

    private static final String MAGIC = "lagrange4j-constrained-optimizer";
    private static final int VERSION = 3;

    private OptimizerCheckpoint() {}

    /**
     * Writes the whole state: header, dual state, primal state.
     *
     * @param optimizer the optimizer
     * @param out the stream
     * @throws IOException on write failure
     */
    public static void save(ConstrainedOptimizer<?> optimizer, DataOutputStream out) throws IOException {
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        saveDualState(optimizer, out);
        optimizer.primal().saveState(out);
    }

    /**
     * Restores a state written by {@link #save} (version 1 to 3) into an optimizer built like the original.
     *
     * @param optimizer the (fresh) optimizer
     * @param in the stream
     * @param manager the manager for restored primal-optimizer buffers
     * @throws IOException on read failure or if the checkpoint does not fit this optimizer
     */
    public static void load(ConstrainedOptimizer<?> optimizer, DataInputStream in, NDManager manager)
            throws IOException {
        if (!MAGIC.equals(in.readUTF())) {
            throw new IOException("not a lagrange4j constrained-optimizer checkpoint");
        }
        int version = in.readInt();
        if (version < 1 || version > VERSION) {
            throw new IOException("unsupported constrained-optimizer checkpoint version " + version
                    + " (this build reads 1 to " + VERSION + ")");
        }
        long steps = loadDual(optimizer, in, manager, version);
        if (version >= 3) {
            optimizer.primal().loadState(in, manager);
        } else {
            loadLegacyPrimal(optimizer.primal(), in, manager);
        }
        optimizer.setStepCount(steps);
    }

    /**
     * Writes everything but the primal side: scheme, dual optimizer, step count, and per constraint its
     * multipliers, penalty coefficients, dual-optimizer state, slack and multiplier model (the layout of
     * {@link #save} between its version and the primal state).
     *
     * @param optimizer the optimizer
     * @param out the stream
     * @throws IOException on write failure
     */
    public static void saveDualState(ConstrainedOptimizer<?> optimizer, DataOutputStream out) throws IOException {
        out.writeUTF(optimizer.scheme().name());
        out.writeUTF(optimizer.dual().describe());
        out.writeBoolean(optimizer.dual().restarts());
        out.writeLong(optimizer.stepCount());
        out.writeInt(optimizer.constraints().size());
        for (Constraint c : optimizer.constraints()) {
            out.writeUTF(c.name());
            out.writeUTF(c.type().name());
            out.writeInt(c.size());
            writeDoubles(out, c.multiplier() == null ? null : c.multiplier().values());
            writeDoubles(out, c.penaltyCoefficient() == null ? null : c.penaltyCoefficient().values());
            DualOptimizerState s = optimizer.dualState(c);
            out.writeInt(s.numBuffers());
            for (double[] b : s.copyOfBuffers()) {
                writeDoubles(out, b);
            }
            for (long t : s.copyOfSteps()) {
                out.writeLong(t);
            }
            out.writeUTF(describe(optimizer.dual().optimizerFor(c)));
            writeDoubles(out, optimizer.slack(c) == null ? null : optimizer.slack(c).values());
            out.writeBoolean(optimizer.multiplierModel(c) != null);
            if (optimizer.multiplierModel(c) != null) {
                optimizer.multiplierModel(c).parameterOptimizer().saveState(out);
            }
        }
    }

    /**
     * Restores what {@link #saveDualState} wrote into an optimizer built like the original, including its step
     * count; the primal side is left as it is.
     *
     * @param optimizer the (fresh) optimizer
     * @param in the stream
     * @param manager the manager for restored multiplier-model optimizer buffers
     * @throws IOException on read failure or if the state does not fit this optimizer
     */
    public static void loadDualState(ConstrainedOptimizer<?> optimizer, DataInputStream in, NDManager manager)
            throws IOException {
        optimizer.setStepCount(loadDual(optimizer, in, manager, VERSION));
    }

    private static long loadDual(ConstrainedOptimizer<?> optimizer, DataInputStream in, NDManager manager,
            int version) throws IOException {
        expect("scheme", optimizer.scheme().name(), in.readUTF());
        // the kind of dual optimizer must match (its state layout depends on it); its step size may
        // change, e.g. to resume a run that diverged with a smaller dual learning rate
        String dualNow = optimizer.dual().describe();
        String dualSaved = in.readUTF();
        if (!kind(dualNow).equals(kind(dualSaved))) {
            expect("dualOptimizer", dualNow, dualSaved);
        }
        expect("dualRestarts", optimizer.dual().restarts(), in.readBoolean());
        long steps = in.readLong();
        expect("number of constraints", optimizer.constraints().size(), in.readInt());
        for (Constraint c : optimizer.constraints()) {
            expect("constraint name", c.name(), in.readUTF());
            expect("type of '" + c.name() + "'", c.type().name(), in.readUTF());
            expect("size of '" + c.name() + "'", c.size(), in.readInt());
            double[] lambda = readDoubles(in);
            double[] penalty = readDoubles(in);
            expect("multiplier presence of '" + c.name() + "'", c.multiplier() != null, lambda != null);
            expect("penalty presence of '" + c.name() + "'", c.penaltyCoefficient() != null, penalty != null);
            if (lambda != null) {
                c.multiplier().load(lambda);
            }
            if (penalty != null) {
                c.penaltyCoefficient().load(penalty);
            }
            double[][] buffers = new double[in.readInt()][];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = readDoubles(in);
            }
            long[] counts = new long[c.size()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = in.readLong();
            }
            if (version >= 2) {
                String own = describe(optimizer.dual().optimizerFor(c));
                String ownSaved = in.readUTF();
                if (!kind(own).equals(kind(ownSaved))) {
                    expect("dualOptimizer of '" + c.name() + "'", own, ownSaved);
                }
                double[] slack = readDoubles(in);
                expect("slack presence of '" + c.name() + "'", optimizer.slack(c) != null, slack != null);
                if (slack != null) {
                    optimizer.slack(c).load(slack);
                }
                boolean hasModel = in.readBoolean();
                expect("multiplier model presence of '" + c.name() + "'", optimizer.multiplierModel(c) != null,
                        hasModel);
                if (hasModel && version >= 3) {
                    optimizer.multiplierModel(c).parameterOptimizer().loadState(in, manager);
                } else if (hasModel) {
                    loadLegacyPrimal(optimizer.multiplierModel(c).parameterOptimizer(), in, manager);
                }
            } else if (optimizer.slack(c) != null) {
                throw new IOException("checkpoint version 1 has no slack for the relaxed constraint '" + c.name() + "'");
            }
            optimizer.restoreDualState(c, DualOptimizerState.of(buffers, counts));
        }
        return steps;
    }

    /**
     * Reads a primal side as layouts written before version 3 stored it (constrained-optimizer versions 1 and
     * 2, proxy-Lagrangian version 1): {@code boolean}; if true, the state of a {@link ParameterOptimizer}
     * without its {@link PrimalState} header, which is restored into {@code primal} (failing if it is another
     * kind of primal side); if false, nothing: the primal side was a {@code Trainer}, whose optimizer state
     * those versions left to the caller.
     *
     * @param primal the primal side
     * @param in the stream, at the legacy primal block
     * @param manager the manager for restored primal-optimizer buffers
     * @throws IOException on read failure or if the state does not fit
     */
    public static void loadLegacyPrimal(PrimalOptimizer primal, DataInputStream in, NDManager manager)
            throws IOException {
        if (in.readBoolean()) {
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(header)) {
                PrimalState.write(out, ParameterOptimizer.STATE_KIND, 1);
            }
            // DataInputStream reads no further than asked, so `in` stays positioned after the block
            primal.loadState(new DataInputStream(new SequenceInputStream(
                    new ByteArrayInputStream(header.toByteArray()), in)), manager);
        }
    }

    /**
     * Saves to a byte array.
     *
     * @param optimizer the optimizer
     * @return the checkpoint bytes
     */
    public static byte[] toBytes(ConstrainedOptimizer<?> optimizer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            save(optimizer, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Restores from a byte array.
     *
     * @param optimizer the (fresh) optimizer
     * @param checkpoint the bytes from {@link #toBytes}
     * @param manager the manager for restored primal-optimizer buffers
     * @throws IOException if the checkpoint does not fit
     */
    public static void fromBytes(ConstrainedOptimizer<?> optimizer, byte[] checkpoint, NDManager manager)
            throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(checkpoint))) {
            load(optimizer, in, manager);
        }
    }

    private static void expect(String what, Object expected, Object actual) throws IOException {
        if (!expected.equals(actual)) {
            throw new IOException(
                    "checkpoint mismatch in " + what + ": optimizer has " + expected + ", checkpoint has " + actual);
        }
    }

    private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        if (values == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(values.length);
        for (double v : values) {
            out.writeLong(Double.doubleToRawLongBits(v));
        }
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Double.longBitsToDouble(in.readLong());
        }
        return v;
    }


    private static String describe(DualOptimizer optimizer) {
        return optimizer == null ? "none" : optimizer.describe();
    }

    private static String kind(String description) {
        int paren = description.indexOf('(');
        return paren < 0 ? description : description.substring(0, paren);
    }
}
