package dev.purertc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DtlsFingerprintTest {

    private static final String SHA256_TEXT =
            "sha-256 AE:DD:39:43:C7:9B:B3:33:BD:7F:63:68:20:72:C3:F9:BD:36:4E:0A:93:1A:C6:DF:DA:28:C7:59:A9:3F:86:71";

    @Test
    void parsesAndFormatsTheSdpForm() {
        DtlsFingerprint fingerprint = DtlsFingerprint.parse(SHA256_TEXT);
        assertEquals("sha-256", fingerprint.algorithm());
        assertArrayEquals(HexFormat.of().parseHex("AEDD3943C79BB333BD7F63682072C3F9BD364E0A931AC6DFDA28C759A93F8671"),
                fingerprint.value());
        assertEquals(SHA256_TEXT, fingerprint.format());
        assertEquals(SHA256_TEXT, fingerprint.toString());
        assertTrue(fingerprint.isSupported());
    }

    @Test
    void acceptsCaseVariationsAndExtraSpacesAndWritesCanonicalForm() {
        DtlsFingerprint fingerprint = DtlsFingerprint.parse("  SHA-1   37:72:a2:cc:ab:fe:18:e8:1d:59:36:16:1c:ac:a2:2d:d6:8f:a9:b1 ");
        assertEquals("sha-1 37:72:A2:CC:AB:FE:18:E8:1D:59:36:16:1C:AC:A2:2D:D6:8F:A9:B1", fingerprint.format());
        assertEquals(DtlsFingerprint.parse(fingerprint.format()), fingerprint);
        assertEquals(DtlsFingerprint.parse(fingerprint.format()).hashCode(), fingerprint.hashCode());
    }

    @Test
    void keepsUnknownHashFunctionsButDoesNotClaimToVerifyThem() {
        DtlsFingerprint md5 = DtlsFingerprint.parse("md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");
        assertEquals("md5", md5.algorithm());
        assertFalse(md5.isSupported());
        assertThrows(IllegalStateException.class, () -> md5.matches(new byte[] {1}));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sha-256|missing space between hash function and fingerprint|0",
        "sha-256 AB:C|fingerprint is not colon-separated hex pairs|8",
        "sha-256 AB:CG|invalid hex digit|12",
        "sha-256 AB-CD|expected ':' between hex pairs|10",
        "sha_256 AB:CD|invalid character in hash function name|3",
        "sha-256 AB:CD|sha-256 fingerprint must have 32 bytes, not 2|8"})
    void rejectsMalformedValuesWithWhereAndWhat(String input, String problem, int index) {
        DtlsFingerprintParseException e =
                assertThrows(DtlsFingerprintParseException.class, () -> DtlsFingerprint.parse(input));
        assertEquals(index, e.index());
        assertEquals(input.strip(), e.input());
        assertEquals(problem + " at index " + index + " of \"" + input.strip() + '"', e.getMessage());
    }

    @Test
    void matchesOnlyTheCertificateItWasComputedFrom() {
        byte[] der = {0x30, 0x03, 0x02, 0x01, 0x05};
        DtlsFingerprint fingerprint = DtlsFingerprint.sha256(der);
        assertTrue(fingerprint.matches(der));
        assertFalse(fingerprint.matches(new byte[] {0x30, 0x03, 0x02, 0x01, 0x06}));
        assertNotEquals(fingerprint, DtlsFingerprint.of("sha-384", der));
    }

    @Test
    void valueIsDefensivelyCopied() {
        byte[] value = new byte[20];
        DtlsFingerprint fingerprint = new DtlsFingerprint("sha-1", value);
        value[0] = 1;
        fingerprint.value()[1] = 1;
        assertArrayEquals(new byte[20], fingerprint.value());
    }
}
