package io.github.lagrange4j.training;

import io.github.lagrange4j.training.output.RunManifest;
import java.util.ArrayList;
import java.util.List;

/**
 * What a resume asks to change in a run: the settings that differ from those in its {@code config.json}
 * ({@link RunSettings#differences}, by setting path) and the engine, if another one.
 */
final class ResumeCheck {

    private ResumeCheck() {}

    /**
     * Lists the differences between a stored run and the one a resume asks for.
     *
     * @param stored the run's {@code config.json}
     * @param storedSettings its settings
     * @param requested the settings asked for now
     * @param engineName the engine asked for now
     * @return the differences: the settings in declaration order, then {@code engine}
     */
    static List<SettingDifference> differences(RunManifest stored, RunSettings storedSettings, RunSettings requested,
            String engineName) {
        List<SettingDifference> out = new ArrayList<>(storedSettings.differences(requested));
        if (!stored.engineName().equals(engineName)) {
            out.add(new SettingDifference("engine", stored.engineName(), engineName));
        }
        return out;
    }
}
