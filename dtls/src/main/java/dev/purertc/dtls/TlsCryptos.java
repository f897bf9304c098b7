package dev.purertc.dtls;

import java.security.SecureRandom;

import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/** One shared, thread-safe {@link TlsCrypto} per back end, created on first use. */
final class TlsCryptos {
    private TlsCryptos() {
    }

    private static final class Jca {
        static final TlsCrypto INSTANCE = new JcaTlsCryptoProvider().create(new SecureRandom());
    }

    private static final class Lightweight {
        static final TlsCrypto INSTANCE = new BcTlsCrypto(new SecureRandom());
    }

    static TlsCrypto forBackend(CryptoBackend backend) {
        switch (backend) {
            case JCA: return Jca.INSTANCE;
            case BOUNCY_CASTLE: return Lightweight.INSTANCE;
            default: throw new IllegalArgumentException("unknown backend " + backend);
        }
    }
}
