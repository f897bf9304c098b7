package dev.purertc.dtls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsECDomain;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/** One shared, thread-safe {@link TlsCrypto} per back end, created on first use. */
final class TlsCryptos {
    private TlsCryptos() {
    }

    private static final class Jca {
        static final TlsCrypto INSTANCE = new JdkRecordsTlsCrypto(new SecureRandom());
    }

    private static final class Lightweight {
        static final TlsCrypto INSTANCE = new BcTlsCrypto(new SecureRandom());
    }

    /** The AES-GCM ciphers created on this thread since {@link #captureGcmCiphers()}, or null. */
    private static final ThreadLocal<List<JdkGcmCipher>> CAPTURED = new ThreadLocal<>();

    /**
     * From now on, the AES-GCM record ciphers the JCA crypto creates on this thread are added to the
     * returned list, until {@link #endCapture()}. BouncyCastle's handshake runs on one thread and creates
     * the epoch's two ciphers there; {@link AesGcmRecordLayer} takes over with their keys and nonces.
     */
    static List<JdkGcmCipher> captureGcmCiphers() {
        List<JdkGcmCipher> list = new ArrayList<>(2);
        CAPTURED.set(list);
        return list;
    }

    static void endCapture() {
        CAPTURED.remove();
    }

    static TlsCrypto forBackend(CryptoBackend backend) {
        switch (backend) {
            case JCA: return Jca.INSTANCE;
            case BOUNCY_CASTLE: return Lightweight.INSTANCE;
            default: throw new IllegalArgumentException("unknown backend " + backend);
        }
    }

    /**
     * The {@link CryptoBackend#JCA} crypto: the JDK's providers for everything on the record path
     * (AES-GCM with AES-NI intrinsics, SHA-256, ChaCha20-Poly1305 where the JDK has it) and BouncyCastle's
     * lightweight code for the handshake's public-key operations: ECDHE (P-256, x25519) and ECDSA
     * certificate signature checks here, ECDSA signing through {@link #publicKeyCrypto()} in
     * {@link PeerSettings}. On JDK 17 SunEC takes about twice as long for these one-off operations,
     * which made the JCA handshake 2-3 times slower than the lightweight one while its records are several
     * times faster. The shared secret from ECDHE is a lightweight-crypto secret; deriving the master
     * secret and key block from it works the same in either implementation (TLS 1.2 PRF, RFC 5246 §5).
     */
    static final class JdkRecordsTlsCrypto extends JcaTlsCrypto {
        private final BcTlsCrypto publicKey;

        JdkRecordsTlsCrypto(SecureRandom random) {
            super(new DefaultJcaJceHelper(), random, random);
            this.publicKey = new BcTlsCrypto(random);
        }

        /** The lightweight crypto that runs key exchange and certificate signatures. */
        BcTlsCrypto publicKeyCrypto() {
            return publicKey;
        }

        @Override
        protected TlsAEADCipherImpl createAEADCipher(String cipherName, String algorithm, int keySize,
                boolean isEncrypting) throws GeneralSecurityException {
            if (JdkGcmCipher.TRANSFORMATION.equals(cipherName)) {
                JdkGcmCipher cipher = new JdkGcmCipher(algorithm, keySize, isEncrypting);
                List<JdkGcmCipher> captured = CAPTURED.get();
                if (captured != null) {
                    captured.add(cipher);
                }
                return cipher;
            }
            return super.createAEADCipher(cipherName, algorithm, keySize, isEncrypting);
        }

        @Override
        public TlsECDomain createECDomain(TlsECConfig ecConfig) {
            return publicKey.createECDomain(ecConfig);
        }

        @Override
        public TlsCertificate createCertificate(byte[] encoding) throws IOException {
            return publicKey.createCertificate(encoding);
        }

        @Override
        public TlsCertificate createCertificate(short type, byte[] encoding) throws IOException {
            return publicKey.createCertificate(type, encoding);
        }
    }

    /**
     * AES-GCM record protection straight through {@link Cipher} with a {@link GCMParameterSpec} per
     * record. bctls' own JCE adapter builds an {@code AlgorithmParameters} object per record (a provider
     * lookup and an encode/decode of the parameters), which cost about a tenth of the CPU of a loopback
     * transfer. Not thread safe: one instance per direction of one connection, as bctls uses it.
     */
    static final class JdkGcmCipher implements TlsAEADCipherImpl {
        static final String TRANSFORMATION = "AES/GCM/NoPadding";

        private final Cipher cipher;
        private final String algorithm;
        private final int keySize;
        private final int mode;
        private SecretKeySpec key;
        /** The nonce of the latest record (4-byte implicit salt, then epoch and sequence number), or null. */
        private byte[] lastNonce;

        JdkGcmCipher(String algorithm, int keySize, boolean encrypting) throws GeneralSecurityException {
            this.cipher = Cipher.getInstance(TRANSFORMATION);
            this.algorithm = algorithm;
            this.keySize = keySize;
            this.mode = encrypting ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
        }

        @Override
        public void setKey(byte[] key, int keyOff, int keyLen) {
            if (keyLen != keySize) {
                throw new IllegalStateException("key of " + keyLen + " bytes, expected " + keySize);
            }
            this.key = new SecretKeySpec(key, keyOff, keyLen, algorithm);
        }

        @Override
        public void init(byte[] nonce, int macSize) throws IOException {
            try {
                cipher.init(mode, key, new GCMParameterSpec(macSize * 8, nonce));
                if (lastNonce == null || lastNonce.length != nonce.length) {
                    lastNonce = new byte[nonce.length];
                }
                System.arraycopy(nonce, 0, lastNonce, 0, nonce.length);
            } catch (GeneralSecurityException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        boolean isEncrypting() {
            return mode == Cipher.ENCRYPT_MODE;
        }

        /** A copy of the key, or null before {@link #setKey}. */
        byte[] keyBytes() {
            return key == null ? null : key.getEncoded();
        }

        /** A copy of the latest record's nonce, or null before the first record. */
        byte[] lastNonce() {
            return lastNonce == null ? null : lastNonce.clone();
        }

        @Override
        public int getOutputSize(int inputLength) {
            return cipher.getOutputSize(inputLength);
        }

        /** A record that fails authentication throws IllegalStateException, which bctls turns into bad_record_mac. */
        @Override
        public int doFinal(byte[] additionalData, byte[] input, int inputOffset, int inputLength, byte[] output,
                int outputOffset) {
            try {
                if (additionalData != null && additionalData.length > 0) {
                    cipher.updateAAD(additionalData);
                }
                return cipher.doFinal(input, inputOffset, inputLength, output, outputOffset);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }
}
