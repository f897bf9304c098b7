package dev.purertc.ice;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidatePairState;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.LocalCandidate;

/**
 * Answers an RFC 7675 consent check on the selected pair without ice4j: a Binding request from the selected
 * pair's remote address, to its local base, whose USERNAME is {@code <local ufrag>:<remote ufrag>} and whose
 * MESSAGE-INTEGRITY verifies with the local password gets a Binding success response built here (same
 * transaction id, XOR-MAPPED-ADDRESS of the source, MESSAGE-INTEGRITY, FINGERPRINT; RFC 5389 §7.3.1, §15).
 *
 * <p>ice4j answers the same request with the same attributes (and USERNAME, which RFC 5389 does not ask of a
 * response), but through a server transaction it keeps for 16 s, a peer-reflexive candidate and candidate pair
 * it builds and throws away for every check, and a hand-off to its message processing pool: about half of the
 * idle CPU of thousands of connections that only exchange consent (issue 11). On the selected pair that work
 * has no effect: ice4j finds the pair succeeded and answers.
 *
 * <p>Everything else stays ice4j's, which this class signals by returning {@code null}: requests from another
 * address or before a pair is selected (checks, peer-reflexive discovery), a role conflict (ICE-CONTROLLING to a
 * controlling agent, ICE-CONTROLLED to a controlled one), USE-CANDIDATE unless it repeats the nomination of the
 * already nominated selected pair to a controlled agent (ice4j then only sets the flag again), a wrong USERNAME,
 * MESSAGE-INTEGRITY or FINGERPRINT (ice4j answers 401 or drops), an unknown comprehension-required attribute
 * (ice4j answers 420), and anything but FINGERPRINT after MESSAGE-INTEGRITY.
 */
final class DirectConsentAnswer {

    static final int MAGIC_COOKIE = 0x2112A442;
    static final int FINGERPRINT_XOR = 0x5354554e;
    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS = 0x0101;
    static final int USERNAME = 0x0006;
    static final int MESSAGE_INTEGRITY = 0x0008;
    static final int XOR_MAPPED_ADDRESS = 0x0020;
    static final int PRIORITY = 0x0024;
    static final int USE_CANDIDATE = 0x0025;
    static final int FINGERPRINT = 0x8028;
    static final int ICE_CONTROLLED = 0x8029;
    static final int ICE_CONTROLLING = 0x802A;

    static final int HEADER = 20;
    static final int INTEGRITY_LENGTH = 20;

    /**
     * One HMAC-SHA1 per thread (the mux's control thread, the consent timer): {@code Mac.getInstance} looks the
     * provider up on every call, which thousands of consent messages a second made a visible cost.
     */
    private static final ThreadLocal<Mac> HMAC_SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA1");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    });

    private DirectConsentAnswer() {
    }

    /**
     * The response to {@code request} (received on {@code local} from {@code remote}) if it is a consent check
     * on {@code component}'s selected pair that this class may answer, else {@code null} (hand it to ice4j).
     */
    static byte[] forSelectedPair(Component component, byte[] request, InetSocketAddress local,
                                  InetSocketAddress remote) {
        if (component == null) {
            return null;
        }
        CandidatePair selected = component.getSelectedPair();
        if (selected == null || selected.getState() != CandidatePairState.SUCCEEDED
                || selected.getLocalCandidate().getTransport() != Transport.UDP) {
            return null;
        }
        LocalCandidate base = selected.getLocalCandidate().getBase() != null
                ? selected.getLocalCandidate().getBase() : selected.getLocalCandidate();
        if (!sameAddress(selected.getRemoteCandidate().getTransportAddress(), remote)
                || !sameAddress(base.getTransportAddress(), local)) {
            return null;
        }
        Agent agent = component.getParentStream().getParentAgent();
        IceProcessingState state = agent.getState();
        if (state != IceProcessingState.COMPLETED && state != IceProcessingState.TERMINATED) {
            return null;
        }
        String remoteUfrag = component.getParentStream().getRemoteUfrag();
        if (remoteUfrag == null) {
            return null;
        }
        boolean controlling = agent.isControlling();
        return answer(request, remote, agent.getLocalUfrag(), remoteUfrag, agent.getLocalPassword(), controlling,
                !controlling && selected.isNominated());
    }

    private static boolean sameAddress(TransportAddress a, InetSocketAddress b) {
        return a != null && a.getPort() == b.getPort() && a.getAddress().equals(b.getAddress());
    }

    /**
     * The Binding success response to {@code request} from {@code source}, or {@code null} if it is not a
     * consent check this class answers (see the class comment).
     *
     * @param nominatedAndControlled the agent is controlled and the pair is already nominated, so USE-CANDIDATE
     *                               changes nothing
     */
    static byte[] answer(byte[] request, InetSocketAddress source, String localUfrag, String remoteUfrag,
                         String localPassword, boolean controlling, boolean nominatedAndControlled) {
        int length = request.length;
        if (length < HEADER || (request[0] & 0xC0) != 0 || u16(request, 0) != BINDING_REQUEST
                || u32(request, 4) != MAGIC_COOKIE || u16(request, 2) != length - HEADER || (length & 3) != 0) {
            return null;
        }
        byte[] username = null;
        int integrity = -1;
        int fingerprint = -1;
        int at = HEADER;
        while (at < length) {
            if (at + 4 > length) {
                return null;
            }
            int type = u16(request, at);
            int valueLength = u16(request, at + 2);
            int next = at + 4 + ((valueLength + 3) & ~3);
            if (next > length) {
                return null;
            }
            if (integrity >= 0) {
                // RFC 5389 §15.5: only FINGERPRINT may follow MESSAGE-INTEGRITY, and it is the last attribute.
                if (type != FINGERPRINT || valueLength != 4 || next != length) {
                    return null;
                }
                fingerprint = at;
            } else {
                switch (type) {
                    case USERNAME -> {
                        if (username != null) {
                            return null;
                        }
                        username = Arrays.copyOfRange(request, at + 4, at + 4 + valueLength);
                    }
                    case MESSAGE_INTEGRITY -> {
                        if (valueLength != INTEGRITY_LENGTH) {
                            return null;
                        }
                        integrity = at;
                    }
                    case USE_CANDIDATE -> {
                        if (!nominatedAndControlled) {
                            return null;
                        }
                    }
                    case ICE_CONTROLLING -> {
                        if (controlling) {
                            return null;
                        }
                    }
                    case ICE_CONTROLLED -> {
                        if (!controlling) {
                            return null;
                        }
                    }
                    case FINGERPRINT -> {
                        return null;   // FINGERPRINT without MESSAGE-INTEGRITY before it
                    }
                    case PRIORITY -> {
                        // the peer-reflexive priority: the selected pair's remote candidate is known already
                    }
                    default -> {
                        if (type < 0x8000) {
                            return null;   // comprehension-required and unknown: ice4j answers 420
                        }
                    }
                }
            }
            at = next;
        }
        if (username == null || integrity < 0 || localUfrag == null || localPassword == null
                || !MessageDigest.isEqual(username,
                (localUfrag + ":" + remoteUfrag).getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        byte[] key = localPassword.getBytes(StandardCharsets.UTF_8);
        if (fingerprint >= 0 && u32(request, fingerprint + 4) != fingerprint(request, fingerprint)) {
            return null;
        }
        byte[] expected = integrity(request, integrity, key);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(request, integrity + 4,
                integrity + 4 + INTEGRITY_LENGTH))) {
            return null;
        }
        return response(request, source, key);
    }

    /**
     * Binding success response: XOR-MAPPED-ADDRESS of {@code source}, MESSAGE-INTEGRITY with {@code key},
     * FINGERPRINT; the transaction id of {@code request}.
     */
    static byte[] response(byte[] request, InetSocketAddress source, byte[] key) {
        byte[] address = source.getAddress().getAddress();
        int mappedLength = 4 + address.length;
        int total = HEADER + (4 + mappedLength) + (4 + INTEGRITY_LENGTH) + 8;
        byte[] out = new byte[total];
        put16(out, 0, BINDING_SUCCESS);
        put16(out, 2, total - HEADER);
        System.arraycopy(request, 4, out, 4, 16);   // magic cookie and transaction id
        int at = HEADER;
        put16(out, at, XOR_MAPPED_ADDRESS);
        put16(out, at + 2, mappedLength);
        out[at + 5] = (byte) (address.length == 4 ? 0x01 : 0x02);
        put16(out, at + 6, source.getPort() ^ (MAGIC_COOKIE >>> 16));
        for (int i = 0; i < address.length; i++) {
            // RFC 5389 §15.2: xor with the magic cookie, then (IPv6) the transaction id
            out[at + 8 + i] = (byte) (address[i] ^ out[4 + i]);
        }
        at += 4 + mappedLength;
        int integrity = at;
        put16(out, at, MESSAGE_INTEGRITY);
        put16(out, at + 2, INTEGRITY_LENGTH);
        System.arraycopy(integrity(out, integrity, key), 0, out, at + 4, INTEGRITY_LENGTH);
        at += 4 + INTEGRITY_LENGTH;
        put16(out, at, FINGERPRINT);
        put16(out, at + 2, 4);
        put32(out, at + 4, fingerprint(out, at));
        return out;
    }

    /**
     * RFC 5389 §15.4: HMAC-SHA1 over the message up to the MESSAGE-INTEGRITY attribute at {@code at}, with the
     * header's length counting up to the end of that attribute (a FINGERPRINT after it left out).
     */
    static byte[] integrity(byte[] message, int at, byte[] key) {
        try {
            Mac mac = HMAC_SHA1.get();
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] header = Arrays.copyOfRange(message, 0, HEADER);
            put16(header, 2, at + 4 + INTEGRITY_LENGTH - HEADER);
            mac.update(header);
            mac.update(message, HEADER, at - HEADER);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    /** RFC 5389 §15.5: CRC-32 of the message up to the FINGERPRINT attribute at {@code at}, xor 0x5354554e. */
    static int fingerprint(byte[] message, int at) {
        CRC32 crc = new CRC32();
        crc.update(message, 0, at);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static int u32(byte[] b, int at) {
        return (u16(b, at) << 16) | u16(b, at + 2);
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void put32(byte[] b, int at, int v) {
        put16(b, at, v >>> 16);
        put16(b, at + 2, v);
    }
}
