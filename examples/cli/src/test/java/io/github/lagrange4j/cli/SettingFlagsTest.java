package io.github.lagrange4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lagrange4j.training.RunSettings;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every setting of the driver but one has a {@code train} option, and messages name the options. */
class SettingFlagsTest {

    /** The paths of every leaf setting of a record type, e.g. {@code optimization.dualMethod.kP}. */
    private static List<String> paths(String prefix, Class<?> type) {
        List<String> out = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            if (c.getType().isRecord()) {
                out.addAll(paths(prefix + c.getName() + ".", c.getType()));
            } else {
                out.add(prefix + c.getName());
            }
        }
        return out;
    }

    @Test
    void everySettingButTheWeightRescalingHasAnOption() {
        List<String> paths = paths("", RunSettings.class);

        assertThat(paths).hasSize(30).contains("objective.epsilons", "optimization.dualMethod.kind", "optimization.devices", "seed");
        assertThat(paths).filteredOn(p -> SettingFlags.of(p).isEmpty()).containsExactly("model.rescaleWeights");
        assertThat(SettingFlags.of("optimization.primalLearningRate")).contains("--lr");
        assertThat(SettingFlags.of("engine")).contains("--engine");
    }

    @Test
    void messagesAndDifferencesNameTheOptions() {
        assertThat(SettingFlags.inMessage("optimization.dualMethod.kP and optimization.dualMethod.nu apply to"
                + " optimization.dualMethod.kind NUPI only, not SGD"))
                .isEqualTo("--nupi-kp and --nupi-nu apply to --dual-optimizer NUPI only, not SGD");
        assertThat(SettingFlags.inMessage("data.dataset: the files in /tmp/data.dataset/x are 'mnist'; set"
                + " data.dataset."))
                .isEqualTo("--dataset: the files in /tmp/data.dataset/x are 'mnist'; set --dataset.");
        assertThat(SettingFlags.inMessage("schedule.epochsX and seed stay")).isEqualTo("schedule.epochsX and seed stay");
        assertThat(SettingFlags.inDifference("schedule.finetuneGateNoise: null -> 1.6"))
                .isEqualTo("--finetune-gate-noise: null -> 1.6");
        assertThat(SettingFlags.inDifference("seed: 1 -> 2")).isEqualTo("--seed: 1 -> 2");
        assertThat(SettingFlags.inDifference("model.rescaleWeights: false -> true"))
                .isEqualTo("model.rescaleWeights: false -> true");
    }
}
