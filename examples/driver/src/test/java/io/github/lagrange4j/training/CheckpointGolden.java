package io.github.lagrange4j.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The golden values stored beside a checkpoint fixture, {@code golden.txt}: one line per parameter and per
 * multiplier, {@code <stage>.parameter.<name>=v,v,...} and {@code <stage>.multiplier.<name>=v,...}, where stage
 * {@code saved} is the state the checkpoint holds and {@code resumed} the state one epoch later. Values are
 * printed with {@link Float#toString}/{@link Double#toString}, which read back exactly.
 */
final class CheckpointGolden {

    static final String FILE = "golden.txt";
    static final String HEADER = "# written by CheckpointFixtureGenerator; saved = the state in checkpoint-000001.ckpt,"
            + " resumed = the same run after epoch 2\n";

    private CheckpointGolden() {}

    static String format(String stage, Map<String, float[]> parameters, Map<String, double[]> multipliers) {
        StringBuilder text = new StringBuilder();
        parameters.forEach((name, values) -> {
            text.append(stage).append(".parameter.").append(name).append('=');
            for (int i = 0; i < values.length; i++) {
                text.append(i == 0 ? "" : ",").append(Float.toString(values[i]));
            }
            text.append('\n');
        });
        multipliers.forEach((name, values) -> text.append(stage).append(".multiplier.").append(name).append('=')
                .append(Arrays.stream(values).mapToObj(Double::toString).collect(Collectors.joining(",")))
                .append('\n'));
        return text.toString();
    }

    /** Reads the parameters of a stage, by name in file order. */
    static Map<String, float[]> parameters(Path file, String stage) throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        lines(file, stage + ".parameter.").forEach((name, text) -> {
            String[] parts = text.split(",");
            float[] values = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                values[i] = Float.parseFloat(parts[i]);
            }
            out.put(name, values);
        });
        return out;
    }

    /** Reads the multipliers of a stage, by constraint name. */
    static Map<String, double[]> multipliers(Path file, String stage) throws IOException {
        Map<String, double[]> out = new LinkedHashMap<>();
        lines(file, stage + ".multiplier.").forEach((name, text) ->
                out.put(name, Arrays.stream(text.split(",")).mapToDouble(Double::parseDouble).toArray()));
        return out;
    }

    private static Map<String, String> lines(Path file, String prefix) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith(prefix)) {
                int eq = line.indexOf('=');
                out.put(line.substring(prefix.length(), eq), line.substring(eq + 1));
            }
        }
        return out;
    }
}
