package io.github.lagrange4j.constrained.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.github.lagrange4j.constrained.constraint.Constraint;
import io.github.lagrange4j.constrained.dual.DualOptimizer;
import io.github.lagrange4j.constrained.dual.DualOptimizerState;
import io.github.lagrange4j.constrained.primal.ParameterOptimizer;
import io.github.lagrange4j.constrained.primal.ParameterValues;
import io.github.lagrange4j.constrained.primal.PrimalOptimizer;
import io.github.lagrange4j.constrained.primal.StatefulOptimizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Saves and restores the complete state of a {@link ConstrainedOptimizer}, bit for bit.
 *
 * <p>Contents, in order: scheme, dual optimizer description, restarts flag, step count; per
 * constraint (the problem's order): name, type, size, multipliers, penalty coefficients,
 * dual-optimizer buffers and counts (all as IEEE-754 bits), the constraint's own dual optimizer
 * description, its slack if relaxed and its multiplier model's parameters if any (since version 2; version 1 checkpoints still load); then, if the primal side is a {@link
 * ParameterOptimizer}, its parameter values (DJL's exact NDArray encoding) and, if its optimizer is
 * a {@link StatefulOptimizer}, that optimizer's state. A {@code Trainer}'s model and optimizer are
 * saved by the caller ({@code Model.save}, {@link StatefulOptimizer#saveState}).
 *
 * <p>Order of calls to resume: build fresh objects exactly as for the original run (same problem,
 * constraints, optimizers), then {@link #load}; the next step continues where the saved one ended.
 */
public final class OptimizerCheckpoint {

    private static final String MAGIC = "lagrange4j-constrained-optimizer";
    private static final int VERSION = 2;

    private OptimizerCheckpoint() {}

    /**
     * Writes the state.
     *
     * @param optimizer the optimizer
     * @param out the stream
     * @throws IOException on write failure
     */
    public static void save(ConstrainedOptimizer<?> optimizer, DataOutputStream out)
            throws IOException {
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
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
                savePrimal(optimizer.multiplierModel(c).parameterOptimizer(), out);
            }
        }
        savePrimal(optimizer.primal(), out);
    }

    /**
     * Restores a state written by {@link #save} into an optimizer built like the original.
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
                expect("multiplier model presence of '" + c.name() + "'", optimizer.multiplierModel(c) != null, hasModel);
                if (hasModel) {
                    loadPrimal(optimizer.multiplierModel(c).parameterOptimizer(), in, manager);
                }
            } else if (optimizer.slack(c) != null) {
                throw new IOException("checkpoint version 1 has no slack for the relaxed constraint '" + c.name() + "'");
            }
            optimizer.restoreDualState(c, DualOptimizerState.of(buffers, counts));
        }
        loadPrimal(optimizer.primal(), in, manager);
        optimizer.setStepCount(steps);
    }

    /**
     * Writes the primal side: if it is a {@link ParameterOptimizer}, its parameter values (DJL's exact
     * NDArray encoding) and, if its optimizer is a {@link StatefulOptimizer}, that optimizer's state.
     *
     * @param primal the primal side
     * @param out the stream
     * @throws IOException on write failure
     */
    public static void savePrimal(PrimalOptimizer primal, DataOutputStream out) throws IOException {
        if (primal instanceof ParameterOptimizer po) {
            out.writeBoolean(true);
            Map<String, NDArray> params = po.namedParameters();
            out.writeInt(params.size());
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                out.writeUTF(e.getKey());
                byte[] bytes = e.getValue().encode();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
            if (po.optimizer() instanceof StatefulOptimizer so) {
                out.writeBoolean(true);
                so.saveState(out);
            } else {
                out.writeBoolean(false);
            }
        } else {
            out.writeBoolean(false);
        }
    }

    /**
     * Restores what {@link #savePrimal} wrote into a primal side built like the original.
     *
     * @param primal the primal side
     * @param in the stream
     * @param manager the manager for restored primal-optimizer buffers
     * @throws IOException on read failure or if the checkpoint does not fit
     */
    public static void loadPrimal(PrimalOptimizer primal, DataInputStream in, NDManager manager) throws IOException {
        boolean hasPrimal = in.readBoolean();
        expect("primal parameters presence", primal instanceof ParameterOptimizer, hasPrimal);
        if (hasPrimal) {
            ParameterOptimizer po = (ParameterOptimizer) primal;
            Map<String, NDArray> params = po.namedParameters();
            expect("number of primal parameters", params.size(), in.readInt());
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                expect("primal parameter name", e.getKey(), in.readUTF());
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                try (NDScope ignored = new NDScope()) {
                    NDArray value = NDArray.decode(e.getValue().getManager(), bytes);
                    if (!value.getShape().equals(e.getValue().getShape())
                            || value.getDataType() != e.getValue().getDataType()) {
                        throw new IOException("primal parameter '" + e.getKey() + "' has shape "
                                + value.getShape() + " " + value.getDataType() + ", expected "
                                + e.getValue().getShape() + " " + e.getValue().getDataType());
                    }
                    ParameterValues.assign(e.getValue(), value);
                    value.close();
                }
            }
            boolean hasState = in.readBoolean();
            expect("primal optimizer state presence", po.optimizer() instanceof StatefulOptimizer, hasState);
            if (hasState) {
                ((StatefulOptimizer) po.optimizer()).loadState(in, manager);
            }
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
