package dev.purertc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

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
}
