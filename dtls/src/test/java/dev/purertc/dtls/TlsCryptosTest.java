package dev.purertc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;

import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsECDomain;
import org.bouncycastle.tls.crypto.impl.bc.BcX25519Domain;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.junit.jupiter.api.Test;

class TlsCryptosTest {

    @Test
    void jcaBackendRunsKeyExchangeAndCertificatesInLightweightCryptoAndTheRestThroughTheJdk() throws Exception {
        TlsCrypto crypto = TlsCryptos.forBackend(CryptoBackend.JCA);
        assertInstanceOf(JcaTlsCrypto.class, crypto); // records, hashes and the PRF: JCA providers
        assertInstanceOf(BcTlsECDomain.class, crypto.createECDomain(new TlsECConfig(NamedGroup.secp256r1)));
        assertInstanceOf(BcX25519Domain.class, crypto.createECDomain(new TlsECConfig(NamedGroup.x25519)));
        byte[] der = DtlsPair.SERVER_CERT.derNoCopy();
        TlsCertificate certificate = crypto.createCertificate(der);
        assertInstanceOf(BcTlsCertificate.class, certificate);
        assertArrayEquals(der, certificate.getEncoded());
    }

    @Test
    void jdkGcmCipherMatchesTheGcmSpecificationTestCase4AndRejectsATamperedRecord() throws Exception {
        // McGrew & Viega, "The Galois/Counter Mode of Operation", test case 4: AES-128, 60-byte plaintext,
        // 20 bytes of additional data, 16-byte tag.
        HexFormat hex = HexFormat.of();
        byte[] key = hex.parseHex("feffe9928665731c6d6a8f9467308308");
        byte[] nonce = hex.parseHex("cafebabefacedbaddecaf888");
        byte[] plaintext = hex.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        byte[] aad = hex.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        byte[] expected = hex.parseHex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091" + "5bc94fbc3221a5db94fae95ae7121a47");

        TlsCryptos.JdkGcmCipher encrypt = new TlsCryptos.JdkGcmCipher("AES", 16, true);
        encrypt.setKey(key, 0, key.length);
        encrypt.init(nonce, 16);
        assertEquals(expected.length, encrypt.getOutputSize(plaintext.length));
        byte[] sealed = new byte[expected.length + 3];
        assertEquals(expected.length, encrypt.doFinal(aad, plaintext, 0, plaintext.length, sealed, 3));
        assertArrayEquals(expected, Arrays.copyOfRange(sealed, 3, sealed.length));

        TlsCryptos.JdkGcmCipher decrypt = new TlsCryptos.JdkGcmCipher("AES", 16, false);
        decrypt.setKey(key, 0, key.length);
        decrypt.init(nonce, 16);
        byte[] opened = new byte[plaintext.length];
        assertEquals(plaintext.length, decrypt.doFinal(aad, expected, 0, expected.length, opened, 0));
        assertArrayEquals(plaintext, opened);

        byte[] tampered = expected.clone();
        tampered[5] ^= 1;
        decrypt.init(nonce, 16);
        assertThrows(IllegalStateException.class,
                () -> decrypt.doFinal(aad, tampered, 0, tampered.length, new byte[plaintext.length], 0));
        assertThrows(IllegalStateException.class, () -> decrypt.setKey(key, 0, 15));
    }
}
