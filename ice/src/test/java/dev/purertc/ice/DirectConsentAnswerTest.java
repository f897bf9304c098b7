package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.FingerprintAttribute;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.attribute.XorMappedAddressAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.Response;
import org.junit.jupiter.api.Test;

/**
 * {@link DirectConsentAnswer} against RFC 5769's test vectors and ice4j's own STUN decoder and
 * MESSAGE-INTEGRITY validator: what it answers, byte for byte, and what it leaves to ice4j.
 */
class DirectConsentAnswerTest {

    private static final HexFormat HEX = HexFormat.of();
    /** RFC 5769 §2.1: local ufrag (the receiver's), remote ufrag and the receiver's password. */
    private static final String LOCAL_UFRAG = "evtj";
    private static final String REMOTE_UFRAG = "h6vY";
    private static final String PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";
    private static final byte[] TRANSACTION = HEX.parseHex("b7e7a701bc34d686fa87dfae");
    /** RFC 5769 §2.1 Sample Request (SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME, MESSAGE-INTEGRITY, FINGERPRINT). */
    private static final byte[] RFC5769_REQUEST = HEX.parseHex(
            "000100582112a442b7e7a701bc34d686fa87dfae"
                    + "802200105354554e207465737420636c69656e74"
                    + "002400046e0001ff"
                    + "80290008932ff9b151263b36"
                    + "000600096576746a3a68367659202020"
                    + "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
                    + "80280004e57a3bcf");
    private static final InetSocketAddress V4 = new InetSocketAddress(address("192.0.2.1"), 32853);
    private static final InetSocketAddress V6 =
            new InetSocketAddress(address("2001:db8:1234:5678:11:2233:4455:6677"), 32853);

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void answersTheRfc5769SampleRequestFromIpv4WithExactBytes() throws Exception {
        byte[] response = DirectConsentAnswer.answer(RFC5769_REQUEST, V4, LOCAL_UFRAG, REMOTE_UFRAG, PASSWORD,
                true, false);
        assertNotNull(response);
        assertEquals(64, response.length);
        // header (success response, 44 bytes of attributes, same cookie and transaction id), then RFC 5769
        // §2.2's XOR-MAPPED-ADDRESS for 192.0.2.1:32853
        assertEquals("0101002c2112a442b7e7a701bc34d686fa87dfae" + "002000080001a147e112a643",
                HEX.formatHex(response, 0, 32));
        assertEquals("00080014", HEX.formatHex(response, 32, 36));
        assertEquals("80280004", HEX.formatHex(response, 56, 60));
        assertAcceptedByIce4j(response, V4);
    }

    @Test
    void answersFromIpv6WithRfc5769sXorMappedAddress() throws Exception {
        byte[] response = DirectConsentAnswer.answer(RFC5769_REQUEST, V6, LOCAL_UFRAG, REMOTE_UFRAG, PASSWORD,
                true, false);
        assertNotNull(response);
        assertEquals(76, response.length);
        // RFC 5769 §2.3: the address xor the magic cookie and the transaction id
        assertEquals("010100382112a442b7e7a701bc34d686fa87dfae"
                        + "002000140002a147" + "0113a9faa5d3f179bc25f4b5bed2b9d9",
                HEX.formatHex(response, 0, 44));
        assertAcceptedByIce4j(response, V6);
    }

    @Test
    void theTestBuilderReproducesTheRfc5769Request() {
        assertArrayEquals(RFC5769_REQUEST, rfc5769Like().build(PASSWORD, true));
    }

    @Test
    void answersWhatIce4jWouldAnswerOnTheSelectedPair() {
        // no FINGERPRINT, an unknown comprehension-optional attribute (GOOG-NETWORK-INFO): still answered
        byte[] plain = new Builder().attr(0x0024, "6e0001ff").attr(0x8029, "932ff9b151263b36")
                .attr(0xC057, "00010000").username(LOCAL_UFRAG + ":" + REMOTE_UFRAG).build(PASSWORD, false);
        assertNotNull(answer(plain, true, false));
        // ICE-CONTROLLING with USE-CANDIDATE to a controlled agent whose selected pair is nominated already
        byte[] renominating = new Builder().attr(0x0024, "6e0001ff").attr(0x802A, "932ff9b151263b36")
                .attr(0x0025, "").username(LOCAL_UFRAG + ":" + REMOTE_UFRAG).build(PASSWORD, true);
        assertNotNull(answer(renominating, false, true));
    }

    @Test
    void leavesEverythingElseToIce4j() {
        String user = LOCAL_UFRAG + ":" + REMOTE_UFRAG;
        // role conflicts: ICE-CONTROLLED to a controlled agent, ICE-CONTROLLING to a controlling one
        assertNull(answer(RFC5769_REQUEST, false, false));
        assertNull(answer(new Builder().attr(0x802A, "932ff9b151263b36").username(user).build(PASSWORD, true),
                true, false));
        // USE-CANDIDATE while the selected pair is not nominated yet (or the agent controls)
        byte[] nominating = new Builder().attr(0x802A, "932ff9b151263b36").attr(0x0025, "").username(user)
                .build(PASSWORD, true);
        assertNull(answer(nominating, false, false));
        // USERNAME the other way round, or a wrong password
        assertNull(answer(new Builder().attr(0x8029, "932ff9b151263b36").username(REMOTE_UFRAG + ":" + LOCAL_UFRAG)
                .build(PASSWORD, true), true, false));
        assertNull(answer(rfc5769Like().build("not-the-password-at-all", true), true, false));
        // a corrupted FINGERPRINT, and a corrupted MESSAGE-INTEGRITY
        byte[] badFingerprint = RFC5769_REQUEST.clone();
        badFingerprint[badFingerprint.length - 1] ^= 1;
        assertNull(answer(badFingerprint, true, false));
        byte[] badIntegrity = RFC5769_REQUEST.clone();
        badIntegrity[badIntegrity.length - 12] ^= 1;
        assertNull(answer(badIntegrity, true, false));
        // without MESSAGE-INTEGRITY, or without USERNAME
        assertNull(answer(new Builder().attr(0x8029, "932ff9b151263b36").username(user).buildUnsigned(), true,
                false));
        assertNull(answer(new Builder().attr(0x8029, "932ff9b151263b36").build(PASSWORD, true), true, false));
        // an unknown comprehension-required attribute (ice4j answers 420)
        assertNull(answer(new Builder().attr(0x0030, "00000000").username(user).build(PASSWORD, true), true,
                false));
        // an attribute other than FINGERPRINT after MESSAGE-INTEGRITY
        byte[] signed = new Builder().attr(0x8029, "932ff9b151263b36").username(user).build(PASSWORD, false);
        byte[] trailing = Arrays.copyOf(signed, signed.length + 8);
        trailing[3] += 8;
        System.arraycopy(HEX.parseHex("8022000474657374"), 0, trailing, signed.length, 8);
        assertNull(answer(trailing, true, false));
        // not a Binding request: an indication, a response; a length that disagrees with the datagram
        byte[] indication = RFC5769_REQUEST.clone();
        indication[1] = 0x11;
        assertNull(answer(indication, true, false));
        byte[] success = RFC5769_REQUEST.clone();
        success[0] = 0x01;
        success[1] = 0x01;
        assertNull(answer(success, true, false));
        assertNull(answer(Arrays.copyOf(RFC5769_REQUEST, RFC5769_REQUEST.length - 8), true, false));
        assertNull(answer(Arrays.copyOf(RFC5769_REQUEST, 12), true, false));
    }

    private static byte[] answer(byte[] request, boolean controlling, boolean nominatedAndControlled) {
        return DirectConsentAnswer.answer(request, V4, LOCAL_UFRAG, REMOTE_UFRAG, PASSWORD, controlling,
                nominatedAndControlled);
    }

    /** ice4j decodes it (checking FINGERPRINT) and its stack validates MESSAGE-INTEGRITY with the password. */
    private static void assertAcceptedByIce4j(byte[] response, InetSocketAddress source) throws Exception {
        Message decoded = Message.decode(response, 0, response.length);
        assertTrue(decoded instanceof Response);
        assertEquals(Message.BINDING_SUCCESS_RESPONSE, decoded.getMessageType());
        assertArrayEquals(TRANSACTION, decoded.getTransactionID());
        assertEquals(3, decoded.getAttributeCount());
        XorMappedAddressAttribute mapped =
                (XorMappedAddressAttribute) decoded.getAttribute(Attribute.XOR_MAPPED_ADDRESS);
        assertEquals(new TransportAddress(source.getAddress(), source.getPort(), Transport.UDP),
                mapped.getAddress(TRANSACTION));
        assertArrayEquals(FingerprintAttribute.calculateXorCRC32(response, 0, response.length - 8),
                Arrays.copyOfRange(response, response.length - 4, response.length));
        MessageIntegrityAttribute integrity =
                (MessageIntegrityAttribute) decoded.getAttribute(Attribute.MESSAGE_INTEGRITY);
        assertTrue(Ice4jIntegrity.validates(response, integrity, LOCAL_UFRAG, PASSWORD.getBytes(StandardCharsets.UTF_8),
                LOCAL_UFRAG + ":" + REMOTE_UFRAG, source));
    }

    private static Builder rfc5769Like() {
        return new Builder().attr(0x8022, HEX.formatHex("STUN test client".getBytes(StandardCharsets.US_ASCII)))
                .attr(0x0024, "6e0001ff").attr(0x8029, "932ff9b151263b36")
                .username(LOCAL_UFRAG + ":" + REMOTE_UFRAG);
    }

    /**
     * Binding requests signed with ice4j's HMAC-SHA1 and CRC-32 (RFC 5389 §15.4-15.5); USERNAME padded with
     * spaces as in RFC 5769.
     */
    private static final class Builder {
        private final ByteArrayOutputStream attributes = new ByteArrayOutputStream();

        Builder attr(int type, String hexValue) {
            byte[] value = HEX.parseHex(hexValue);
            return raw(type, value, (byte) 0);
        }

        Builder username(String username) {
            return raw(0x0006, username.getBytes(StandardCharsets.UTF_8), (byte) 0x20);
        }

        private Builder raw(int type, byte[] value, byte pad) {
            attributes.write(type >>> 8);
            attributes.write(type);
            attributes.write(value.length >>> 8);
            attributes.write(value.length);
            attributes.writeBytes(value);
            for (int i = value.length; i % 4 != 0; i++) {
                attributes.write(pad);
            }
            return this;
        }

        byte[] buildUnsigned() {
            return withLength(attributes.toByteArray(), 0);
        }

        byte[] build(String password, boolean fingerprint) {
            byte[] body = attributes.toByteArray();
            byte[] signedPart = withLength(body, 24);
            byte[] hmac = MessageIntegrityAttribute.calculateHmacSha1(signedPart, 0, signedPart.length,
                    password.getBytes(StandardCharsets.UTF_8));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(signedPart);
            out.writeBytes(HEX.parseHex("00080014"));
            out.writeBytes(hmac);
            if (!fingerprint) {
                byte[] m = out.toByteArray();
                m[2] = (byte) ((m.length - 20) >>> 8);
                m[3] = (byte) (m.length - 20);
                return m;
            }
            byte[] m = Arrays.copyOf(out.toByteArray(), out.size() + 8);
            m[2] = (byte) ((m.length - 20) >>> 8);
            m[3] = (byte) (m.length - 20);
            System.arraycopy(HEX.parseHex("80280004"), 0, m, m.length - 8, 4);
            byte[] crc = FingerprintAttribute.calculateXorCRC32(m, 0, m.length - 8);
            System.arraycopy(crc, 0, m, m.length - 4, 4);
            return m;
        }

        /** Header with the message length counting {@code extra} bytes after {@code body}. */
        private static byte[] withLength(byte[] body, int extra) {
            byte[] m = new byte[20 + body.length];
            int length = body.length + extra;
            m[1] = 0x01;
            m[2] = (byte) (length >>> 8);
            m[3] = (byte) length;
            System.arraycopy(HEX.parseHex("2112a442"), 0, m, 4, 4);
            System.arraycopy(TRANSACTION, 0, m, 8, 12);
            System.arraycopy(body, 0, m, 20, body.length);
            return m;
        }
    }
}
