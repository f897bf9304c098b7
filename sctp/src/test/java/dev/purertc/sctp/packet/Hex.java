package dev.purertc.sctp.packet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Hex helpers for tests: byte arrays written as spaced hex, and the fixtures in resources/packets. */
final class Hex {
    private Hex() {
    }

    /** Parses hex digits, ignoring whitespace, '|' separators and '#' comments up to the end of a line. */
    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("#[^\\n]*", "").replaceAll("[\\s|]", ""));
    }

    static String of(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    /** Loads sctp/src/test/resources/packets/NAME: '#' lines are comments, the rest hex. */
    static byte[] fixture(String name) {
        try (InputStream in = Hex.class.getResourceAsStream("/packets/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            StringBuilder hex = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.startsWith("#")) {
                    hex.append(line);
                }
            }
            return bytes(hex.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
