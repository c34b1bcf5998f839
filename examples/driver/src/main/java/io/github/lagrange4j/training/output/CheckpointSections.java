package io.github.lagrange4j.training.output;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The payload of a checkpoint of format version 2: a sequence of named, length-prefixed sections, each with a
 * CRC-32 of its body so that a damaged or truncated file is reported with the section the damage is in (all
 * integers big-endian):
 *
 * <pre>
 * size   field
 *    4   number of sections k, then k times:
 * 2 + m    name (2-byte length, then m bytes of ASCII: lower-case letters, digits, dashes)
 *    4     version of the section's layout
 *    8     body length n
 *    4     CRC-32 of the body
 *    n     body
 * </pre>
 */
final class CheckpointSections {

    private CheckpointSections() {}

    /** Encodes the sections, in order. */
    static byte[] encode(List<CheckpointSection> sections) {
        Set<String> names = new HashSet<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(sections.size());
            for (CheckpointSection s : sections) {
                if (!names.add(s.name())) {
                    throw new IllegalArgumentException("section '" + s.name() + "' is given twice");
                }
                out.writeUTF(s.name());
                out.writeInt(s.version());
                out.writeLong(s.body().length);
                out.writeInt(crc(s.body()));
                out.write(s.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Walks the sections of a payload, or of the part of it that a truncated file holds.
     *
     * @param payload the payload bytes that were read
     * @return the sections, or the first fault found (naming the section it is in)
     */
    static Walk walk(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        List<CheckpointSection> sections = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String where = "the section count";
        try {
            int count = in.getInt();
            if (count < 0 || count > 1000) {
                return Walk.fault("the section table declares " + count + " sections");
            }
            for (int i = 0; i < count; i++) {
                where = "the header of section " + (i + 1) + " of " + count
                        + (sections.isEmpty() ? "" : " (after '" + sections.get(sections.size() - 1).name() + "')");
                byte[] name = new byte[Short.toUnsignedInt(in.getShort())];
                in.get(name);
                String text = new String(name, StandardCharsets.US_ASCII);
                int version = in.getInt();
                long length = in.getLong();
                int crc = in.getInt();
                CheckpointSection probe;
                try {
                    probe = new CheckpointSection(text, Math.max(1, version), new byte[0]);
                } catch (IllegalArgumentException e) {
                    return Walk.fault(where + " is damaged: " + e.getMessage());
                }
                String section = "section '" + probe.name() + "' (version " + version + ")";
                if (version < 1 || !names.add(text)) {
                    return Walk.fault(where + " is damaged: " + section + (version < 1 ? " has no valid version"
                            : " appears twice"));
                }
                if (length < 0 || length > in.remaining()) {
                    return Walk.fault("cut inside " + section + ": its body has " + in.remaining() + " of "
                            + length + " bytes");
                }
                byte[] body = new byte[(int) length];
                in.get(body);
                if (crc(body) != crc) {
                    return Walk.fault(section + " fails its CRC-32 check (its body is damaged)");
                }
                sections.add(new CheckpointSection(text, version, body));
            }
        } catch (BufferUnderflowException e) {
            return Walk.fault("cut inside " + where);
        }
        if (in.remaining() > 0) {
            return Walk.fault(in.remaining() + " bytes after the last section");
        }
        return new Walk(List.copyOf(sections), null);
    }

    private static int crc(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return (int) crc.getValue();
    }

    /**
     * The outcome of {@link #walk}.
     *
     * @param sections the sections, if the payload walked cleanly
     * @param fault the first fault, or null
     */
    record Walk(List<CheckpointSection> sections, String fault) {
        static Walk fault(String fault) {
            return new Walk(List.of(), fault);
        }
    }
}
