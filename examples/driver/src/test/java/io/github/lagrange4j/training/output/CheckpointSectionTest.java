package io.github.lagrange4j.training.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A section is read by the code that owns it, through one reader that checks its version and that its body was
 * read to the end, and names the section and its version in every error.
 */
class CheckpointSectionTest {

    private static CheckpointSection dual(int version) throws IOException {
        return CheckpointSection.write("dual", version, out -> {
            out.writeLong(42);
            out.writeUTF("lambda");
        });
    }

    @Test
    void whatTheWriterWroteTheReaderReadsWithItsVersion() throws IOException {
        CheckpointSection section = dual(2);

        String read = section.read(2, (in, version) -> in.readLong() + " " + in.readUTF() + " v" + version);

        assertThat(read).isEqualTo("42 lambda v2");
        assertThat(section.describe()).isEqualTo("section 'dual' (version 2)");
    }

    @Test
    void aVersionNewerThanTheReaderKnowsIsRefusedNamingSectionAndVersion() throws IOException {
        assertThatThrownBy(() -> dual(3).read(2, (in, version) -> in.readLong()))
                .isInstanceOf(IOException.class)
                .hasMessage("section 'dual' (version 3) is not supported: this build reads versions 1 to 2");
    }

    @Test
    void aBodyThatEndsBeforeItsReaderIsDoneIsReportedNamingTheSection() throws IOException {
        CheckpointSection cut = new CheckpointSection("dual", 1, new byte[] {0, 0, 0});

        assertThatThrownBy(() -> cut.read(1, (in, version) -> in.readLong()))
                .isInstanceOf(IOException.class)
                .hasMessage("section 'dual' (version 1) ends before its reader is done (3 bytes)");
    }

    @Test
    void bytesLeftUnreadAreAFaultNamingTheSection() throws IOException {
        assertThatThrownBy(() -> dual(1).read(1, (in, version) -> in.readLong()))
                .isInstanceOf(IOException.class)
                .hasMessage("section 'dual' (version 1): 8 of its 16 bytes were left unread (the body does not have"
                        + " the layout of its version)");
    }

    @Test
    void aReadersOwnErrorIsPrefixedWithTheSection() throws IOException {
        assertThatThrownBy(() -> dual(1).read(1, (in, version) -> {
            throw new IOException("checkpoint mismatch in scheme: optimizer has SIMULTANEOUS, checkpoint has"
                    + " ALTERNATING");
        })).isInstanceOf(IOException.class)
                .hasMessage("section 'dual' (version 1): checkpoint mismatch in scheme: optimizer has SIMULTANEOUS,"
                        + " checkpoint has ALTERNATING");
    }

    @Test
    void badNamesAndVersionsAreRejectedNamingTheArgument() {
        assertThatThrownBy(() -> new CheckpointSection("Dual State", 1, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("section name must be 1 to 64 lower-case letters, digits or dashes, got Dual State");
        assertThatThrownBy(() -> new CheckpointSection("dual", 0, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("version of section 'dual' must be >= 1, got 0");
    }
}
