package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trust file is read when the trust is made, so a bad one fails at configuration time. */
class TurnTlsTrustTest {

    @Test
    void aMissingFileFailsAtOnce(@TempDir Path dir) {
        Path missing = dir.resolve("missing.pem");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> TurnTlsTrust.fromPem(missing));
        assertTrue(e.getMessage().contains("cannot read TURN TLS trust file"), e.getMessage());
    }

    @Test
    void aFileWithoutCertificatesIsRefused(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "no certificate here\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TurnTlsTrust.fromPem(empty));
        assertTrue(e.getMessage().contains("holds no"), e.getMessage());
    }
}
