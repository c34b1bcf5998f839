package io.github.lagrange4j.sweep;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.github.lagrange4j.training.Approach;
import io.github.lagrange4j.training.ConstraintScope;
import io.github.lagrange4j.training.RunSettings;
import io.github.lagrange4j.training.output.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * A sweep's grid expanded into runs, as recorded in the sweep directory's {@code sweep.json}.
 *
 * <p>Expansion order (also the order runs are started in): constrained runs by ε then seed, penalized runs by λ
 * then seed, dense runs by seed. Each run's settings come from the {@code train} command's own option parsing
 * applied to the shared options plus the run's {@code --approach}, {@code --epsilon} (repeated per gated layer
 * for {@code --scope LAYER}), {@code --penalty-lambda} and {@code --seed}; an invalid combination fails here,
 * before any run starts, with the train option's message.
 *
 * @param grid the grid
 * @param runs the runs, in start order
 */
public record SweepPlan(SweepGrid grid, List<PlannedRun> runs) {

    /** The plan's file in the sweep directory. */
    public static final String FILE = "sweep.json";
    /** The format tag of {@code sweep.json}. */
    public static final String FORMAT = "lagrange4j-sweep/1";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls()
            .serializeSpecialFloatingPointValues().create();

    /** Copies the runs. */
    public SweepPlan {
        runs = List.copyOf(runs);
    }

    /**
     * Expands a grid.
     *
     * @param grid the grid
     * @param settingsOf the {@code train} option parsing: arguments to validated settings; throws
     *     {@link IllegalArgumentException} naming the option at fault
     * @return the plan
     */
    public static SweepPlan of(SweepGrid grid, Function<List<String>, RunSettings> settingsOf) {
        List<PlannedRun> runs = new ArrayList<>();
        if (grid.approaches().contains(Approach.CONSTRAINED)) {
            RunSettings base = settingsOf.apply(with(grid.trainOptions(), "--approach", "CONSTRAINED"));
            int perPoint = base.objective().scope() == ConstraintScope.LAYER
                    ? base.model().architecture().gatedLayers() : 1;
            for (double eps : grid.epsilons()) {
                String epsText = String.join(",", Collections.nCopies(perPoint, PlannedRun.plain(eps)));
                for (long seed : grid.seeds()) {
                    List<String> args = with(grid.trainOptions(), "--approach", "CONSTRAINED", "--epsilon", epsText,
                            "--seed", Long.toString(seed));
                    runs.add(new PlannedRun(PlannedRun.idOf(RunKind.CONSTRAINED, eps, seed), RunKind.CONSTRAINED, seed,
                            eps, args, settingsOf.apply(args), 0));
                }
            }
        }
        if (grid.approaches().contains(Approach.PENALIZED)) {
            for (double lambda : grid.penaltyLambdas()) {
                for (long seed : grid.seeds()) {
                    List<String> args = with(grid.trainOptions(), "--approach", "PENALIZED", "--penalty-lambda",
                            PlannedRun.plain(lambda), "--seed", Long.toString(seed));
                    runs.add(new PlannedRun(PlannedRun.idOf(RunKind.PENALIZED, lambda, seed), RunKind.PENALIZED, seed,
                            lambda, args, settingsOf.apply(args), 0));
                }
            }
        }
        if (grid.denseEpochs() > 0) {
            for (long seed : grid.seeds()) {
                List<String> args = with(grid.trainOptions(), "--seed", Long.toString(seed));
                runs.add(new PlannedRun(PlannedRun.idOf(RunKind.DENSE, null, seed), RunKind.DENSE, seed, null, args,
                        settingsOf.apply(args), grid.denseEpochs()));
            }
        }
        return new SweepPlan(grid, runs);
    }

    private static List<String> with(List<String> shared, String... more) {
        List<String> args = new ArrayList<>(shared);
        args.addAll(List.of(more));
        return args;
    }

    /**
     * Returns a run by name.
     *
     * @param id the run's name
     * @return the run
     * @throws IllegalArgumentException if the plan has no such run
     */
    public PlannedRun run(String id) {
        return runs.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("the sweep has no run " + id));
    }

    /**
     * Returns the JSON text of {@code sweep.json}.
     *
     * @return the text
     */
    public String toJson() {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.add("grid", GSON.toJsonTree(grid));
        root.add("runs", GSON.toJsonTree(runs));
        return GSON.toJson(root) + "\n";
    }

    /**
     * Writes {@code sweep.json} into a sweep directory (atomically), creating the directory.
     *
     * @param sweepDirectory the sweep directory
     * @throws IOException if it cannot be written
     */
    public void write(Path sweepDirectory) throws IOException {
        Files.createDirectories(sweepDirectory);
        AtomicFiles.writeText(sweepDirectory.resolve(FILE), toJson());
    }

    /**
     * Reads {@code sweep.json} of a sweep directory.
     *
     * @param sweepDirectory the sweep directory
     * @return the plan
     * @throws IOException if the file is missing, unreadable or malformed (the message names it)
     */
    public static SweepPlan read(Path sweepDirectory) throws IOException {
        Path file = sweepDirectory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(sweepDirectory + " is not a sweep directory (no " + FILE + ")");
        }
        try {
            JsonObject root = GSON.fromJson(Files.readString(file), JsonObject.class);
            if (root == null || !FORMAT.equals(root.has("format") ? root.get("format").getAsString() : null)) {
                throw new IOException(file + ": not a " + FORMAT + " file");
            }
            SweepGrid grid = GSON.fromJson(root.get("grid"), SweepGrid.class);
            List<PlannedRun> runs = new ArrayList<>();
            for (JsonElement e : root.getAsJsonArray("runs")) {
                runs.add(GSON.fromJson(e, PlannedRun.class));
            }
            return new SweepPlan(grid, runs);
        } catch (JsonParseException | IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw new IOException(file + " is malformed: " + e.getMessage(), e);
        }
    }

    /**
     * Lists how this plan differs from another (e.g. the one a sweep directory records).
     *
     * @param other the other plan
     * @return one line per difference, empty if they train the same runs
     */
    public List<String> diff(SweepPlan other) {
        List<String> out = new ArrayList<>();
        JsonObject a = GSON.toJsonTree(grid).getAsJsonObject();
        JsonObject b = GSON.toJsonTree(other.grid).getAsJsonObject();
        for (String key : a.keySet()) {
            if (!a.get(key).equals(b.get(key))) {
                out.add(key + ": " + b.get(key) + " recorded, " + a.get(key) + " now");
            }
        }
        if (out.isEmpty()) {
            for (int i = 0; i < Math.min(runs.size(), other.runs.size()); i++) {
                if (!GSON.toJsonTree(runs.get(i)).equals(GSON.toJsonTree(other.runs.get(i)))) {
                    out.add("run " + runs.get(i).id() + ": its settings differ from the recorded ones");
                }
            }
            if (runs.size() != other.runs.size()) {
                out.add("runs: " + other.runs.size() + " recorded, " + runs.size() + " now");
            }
        }
        return out;
    }
}
