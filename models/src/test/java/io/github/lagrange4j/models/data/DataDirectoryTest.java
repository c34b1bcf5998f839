package io.github.lagrange4j.models.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory comes from the flag, then LAGRANGE4J_DATA, then lagrange4j.data, then the home. */
class DataDirectoryTest {

    @TempDir
    Path home;

    private Properties properties(String dataProperty) {
        Properties properties = new Properties();
        properties.setProperty("user.home", home.toString());
        if (dataProperty != null) {
            properties.setProperty(DataDirectory.PROPERTY, dataProperty);
        }
        return properties;
    }

    @Test
    void explicitDirectoryWins() {
        Path flag = home.resolve("flag");
        assertThat(DataDirectory.resolve(flag, Map.of(DataDirectory.ENV_VAR, "/env"), properties("/prop")))
                .isEqualTo(flag);
    }

    @Test
    void environmentVariableBeatsSystemProperty() {
        assertThat(DataDirectory.resolve(null, Map.of(DataDirectory.ENV_VAR, "/env/mnist"), properties("/prop")))
                .isEqualTo(Path.of("/env/mnist"));
    }

    @Test
    void systemPropertyBeatsDefault() {
        assertThat(DataDirectory.resolve(null, Map.of(), properties("/prop/mnist")))
                .isEqualTo(Path.of("/prop/mnist"));
    }

    @Test
    void defaultIsUnderTheUsersHome() {
        assertThat(DataDirectory.resolve(null, Map.of(DataDirectory.ENV_VAR, " "), properties(null)))
                .isEqualTo(home.resolve(".lagrange4j/data/mnist"));
    }
}
