package io.github.lagrange4j.l0.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * What the tests of the convolutions' kernel forms ({@link ChannelAlignment}, {@link ChannelsLast}) share: each
 * form is held against the plain convolution in float64, as a function, as a gated layer and in its saved form.
 */
final class ConvolutionForms {

    private ConvolutionForms() {}

    /** A convolution of {@code (x, w, b)}. */
    interface Convolution {
        NDArray apply(NDArray x, NDArray w, NDArray b);
    }

    /**
     * Asserts that a convolution computed in {@code type} gives the plain float64 convolution's output and
     * gradients {@code dx, dw, db} of {@code sum(conv(x, w, b) · u)} for a fixed upstream {@code u = sin(0, 1, 2,
     * ...)}, within 1e-5 of each one's largest magnitude. In float32 it checks the engine's fast kernels too; in
     * float64 (which never takes them) only the form's own arithmetic, on any CPU.
     */
    static void assertPlainOutputAndGradients(NDManager manager, Shape input, int filters, Shape stride,
            Shape padding, int seed, DataType type, Convolution form) {
        Engine.getInstance().setRandomSeed(seed);
        long channels = input.get(1);
        NDArray x = manager.randomNormal(input);
        NDArray w = manager.randomNormal(new Shape(filters, channels, 5, 5)).div(Math.sqrt(channels * 25.0));
        NDArray b = manager.randomNormal(new Shape(filters));
        NDArray[] plain = outputAndGradients(manager, x.toType(DataType.FLOAT64, true),
                w.toType(DataType.FLOAT64, true), b.toType(DataType.FLOAT64, true),
                (xi, wi, bi) -> Conv2d.conv2d(xi, wi, bi, stride, padding).singletonOrThrow());
        NDArray[] formed = outputAndGradients(manager, x.toType(type, true), w.toType(type, true),
                b.toType(type, true), form);
        String[] names = {"output", "d x", "d w", "d b"};
        for (int i = 0; i < 4; i++) {
            assertThat(formed[i].getShape()).as(names[i]).isEqualTo(plain[i].getShape());
            double scale = plain[i].abs().max().getDouble();
            double error = formed[i].toType(DataType.FLOAT64, true).sub(plain[i]).abs().max().getDouble();
            assertThat(error / scale).as(names[i]).isLessThan(1e-5);
        }
    }

    private static NDArray[] outputAndGradients(NDManager manager, NDArray x0, NDArray w0, NDArray b0,
            Convolution form) {
        NDArray x = x0.duplicate();
        NDArray w = w0.duplicate();
        NDArray b = b0.duplicate();
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        b.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            y = form.apply(x, w, b);
            NDArray upstream = manager.arange((float) y.size()).reshape(y.getShape()).sin().toType(y.getDataType(), false);
            gc.backward(y.mul(upstream).sum());
        }
        return new NDArray[] {
            y.duplicate(), x.getGradient().duplicate(), w.getGradient().duplicate(), b.getGradient().duplicate()
        };
    }

    /**
     * Asserts that a gated convolution of 50 filters in a kernel form, computed in {@code type}, trains as the
     * plain layer in float64: the same output and weight gradient of {@code sum(y²)} on one batch {@code (4, 20,
     * 12, 12)}, with log α = ±20 so that every sample is exactly 0 or 1 in both types.
     *
     * @param manager the manager
     * @param form the builder's kernel form (its alignment and layout)
     * @param type the formed layer's data type (float32: the engine's fast kernels too; float64: the form only)
     * @param someDead whether a third of the filters are dead (the live-filters path) or none
     * @return the formed layer, for assertions on its counters
     */
    static L0Conv2d assertGatedLayerTrainsAsThePlainOne(NDManager manager, UnaryOperator<L0Conv2d.Builder> form,
            DataType type, boolean someDead) {
        NDArray x = manager.randomNormal(new Shape(4, 20, 12, 12));
        float[] logAlpha = new float[50];
        for (int f = 0; f < 50; f++) {
            logAlpha[f] = someDead && f % 3 == 0 ? -20f : 20f;
        }
        L0Conv2d formed = gatedConvolution(manager, form, type, x.getShape(), logAlpha);
        L0Conv2d plain = gatedConvolution(manager, b -> b.optChannelAlignment(1).optChannelsLast(false),
                DataType.FLOAT64, x.getShape(), logAlpha);
        plain.weight().getArray().set(formed.weight().getArray().toType(DataType.FLOAT64, true).toDoubleArray());
        plain.bias().getArray().set(formed.bias().getArray().toType(DataType.FLOAT64, true).toDoubleArray());
        double[][] outputs = new double[2][];
        double[][] grads = new double[2][];
        L0Conv2d[] layers = {formed, plain};
        for (int a = 0; a < 2; a++) {
            NDArray input = x.toType(a == 0 ? type : DataType.FLOAT64, true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = layers[a].forward(new ParameterStore(manager, false), new NDList(input), true).head();
                outputs[a] = y.toType(DataType.FLOAT64, true).toDoubleArray();
                gc.backward(y.square().sum());
            }
            grads[a] = layers[a].weight().getArray().getGradient().toType(DataType.FLOAT64, true).toDoubleArray();
        }
        assertThat(maxRelativeDifference(outputs[0], outputs[1])).as("output").isLessThan(1e-5);
        assertThat(maxRelativeDifference(grads[0], grads[1])).as("weight gradient").isLessThan(1e-5);
        return formed;
    }

    private static L0Conv2d gatedConvolution(NDManager manager, UnaryOperator<L0Conv2d.Builder> form, DataType type,
            Shape input, float[] logAlpha) {
        L0Conv2d layer = form.apply(L0Conv2d.builder().setFilters(50).setKernelShape(new Shape(5, 5))).build();
        layer.initialize(manager, type, input);
        if (type == DataType.FLOAT64) {
            layer.logAlpha().getArray().set(manager.create(logAlpha).toType(type, false).toDoubleArray());
        } else {
            layer.logAlpha().getArray().set(logAlpha);
        }
        return layer;
    }

    /**
     * Asserts that a convolution block in a kernel form saves as DJL's {@code Conv2d} does: a plain {@code
     * Conv2d} loads its parameters and gives its outputs.
     *
     * @param manager the manager of the input
     * @param dir a directory for the saved model
     * @param formed the block in its form (5 filters of 3×3)
     * @param plain a plain {@code Conv2d} of the same shape
     * @param type the parameters' and input's data type
     */
    static void assertSavesAsDjlsConv2d(NDManager manager, Path dir, Conv2d formed, Conv2d plain, DataType type)
            throws IOException, MalformedModelException {
        assertThat(plain.getClass()).isEqualTo(Conv2d.class);
        NDArray x = manager.randomNormal(new Shape(2, 3, 10, 10)).toType(type, false);
        double[] before;
        try (Model model = Model.newInstance("formed", "PyTorch")) {
            SequentialBlock block = new SequentialBlock().add(formed);
            model.setBlock(block);
            block.initialize(model.getNDManager(), type, x.getShape());
            before = block.forward(new ParameterStore(manager, false), new NDList(x), false).head()
                    .toType(DataType.FLOAT64, true).toDoubleArray();
            model.save(dir, "formed");
        }
        try (Model model = Model.newInstance("formed", "PyTorch")) {
            model.setBlock(new SequentialBlock().add(plain));
            model.load(dir, "formed");
            double[] after = model.getBlock().forward(new ParameterStore(manager, false), new NDList(x), false)
                    .head().toType(DataType.FLOAT64, true).toDoubleArray();
            assertThat(maxRelativeDifference(after, before)).isLessThan(1e-6);
        }
    }

    /** Returns {@code max |a − b| / max |b|}. */
    static double maxRelativeDifference(double[] a, double[] b) {
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(b[i]));
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst / scale;
    }
}
