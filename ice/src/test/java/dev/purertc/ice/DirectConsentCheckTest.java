package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.FingerprintAttribute;
import org.ice4j.attribute.IceControllingAttribute;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.attribute.PriorityAttribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.Request;
import org.junit.jupiter.api.Test;

/**
 * {@link DirectConsentCheck}: its request as ice4j decodes and authenticates it and as {@link DirectConsentAnswer}
 * answers it, and which responses it accepts, starting with RFC 5769's sample response.
 */
class DirectConsentCheckTest {

    private static final HexFormat HEX = HexFormat.of();
    /** RFC 5769 §2.1-2.2: the answering agent's ufrag and password, the sender's ufrag, the transaction. */
    private static final String ANSWERER_UFRAG = "evtj";
    private static final String SENDER_UFRAG = "h6vY";
    private static final String PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";
    private static final byte[] KEY = PASSWORD.getBytes(StandardCharsets.UTF_8);
    private static final byte[] TRANSACTION = HEX.parseHex("b7e7a701bc34d686fa87dfae");
    /** RFC 5769 §2.2 Sample IPv4 Response (SOFTWARE, XOR-MAPPED-ADDRESS 192.0.2.1:32853, MESSAGE-INTEGRITY, FINGERPRINT). */
    private static final byte[] RFC5769_RESPONSE = HEX.parseHex(
            "0101003c2112a442b7e7a701bc34d686fa87dfae"
                    + "8022000b7465737420766563746f7220"
                    + "002000080001a147e112a643"
                    + "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7"
                    + "80280004c07d4c96");
    private static final InetSocketAddress SENDER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);

    private static byte[] request(boolean controlling) {
        return DirectConsentCheck.request(TRANSACTION, ANSWERER_UFRAG + ":" + SENDER_UFRAG, KEY, 0x6e0001ffL,
                controlling, 0x932ff9b151263b36L);
    }

    @Test
    void theRequestHasTheAttributesOfAnIceCheckInOrderAndIce4jAuthenticatesIt() throws Exception {
        byte[] request = request(true);
        // header, USERNAME (9 bytes padded to 12), PRIORITY, ICE-CONTROLLING, MESSAGE-INTEGRITY, FINGERPRINT
        assertEquals(20 + 16 + 8 + 12 + 24 + 8, request.length);
        assertEquals("000100442112a442b7e7a701bc34d686fa87dfae"
                        + "000600096576746a3a68367659000000" + "002400046e0001ff" + "802a0008932ff9b151263b36"
                        + "00080014",
                HEX.formatHex(request, 0, 60));
        Message decoded = Message.decode(request, 0, request.length);
        assertTrue(decoded instanceof Request);
        assertEquals(Message.BINDING_REQUEST, decoded.getMessageType());
        assertArrayEquals(TRANSACTION, decoded.getTransactionID());
        assertEquals(ANSWERER_UFRAG + ":" + SENDER_UFRAG,
                new String(((UsernameAttribute) decoded.getAttribute(Attribute.USERNAME)).getUsername(),
                        StandardCharsets.UTF_8));
        assertEquals(0x6e0001ffL, ((PriorityAttribute) decoded.getAttribute(Attribute.PRIORITY)).getPriority());
        assertEquals(0x932ff9b151263b36L,
                ((IceControllingAttribute) decoded.getAttribute(Attribute.ICE_CONTROLLING)).getTieBreaker());
        assertArrayEquals(FingerprintAttribute.calculateXorCRC32(request, 0, request.length - 8),
                Arrays.copyOfRange(request, request.length - 4, request.length));
        assertTrue(ice4jAuthenticates(request, (MessageIntegrityAttribute) decoded.getAttribute(
                Attribute.MESSAGE_INTEGRITY)));
        byte[] controlled = request(false);
        assertEquals("80290008932ff9b151263b36", HEX.formatHex(controlled, 44, 56));
    }

    @Test
    void theAnswerOfDirectConsentAnswerIsAcceptedAndNothingElse() {
        // a controlled agent answers a controlling agent's check
        byte[] response = DirectConsentAnswer.answer(request(true), SENDER, ANSWERER_UFRAG, SENDER_UFRAG, PASSWORD,
                false, false);
        assertNotNull(response);
        assertTrue(DirectConsentCheck.answers(response, TRANSACTION, KEY));

        byte[] otherTransaction = TRANSACTION.clone();
        otherTransaction[11] ^= 1;
        assertFalse(DirectConsentCheck.answers(response, otherTransaction, KEY), "another transaction");
        assertFalse(DirectConsentCheck.answers(response, TRANSACTION,
                "not-the-password".getBytes(StandardCharsets.UTF_8)), "signed with another password");
        byte[] alteredAddress = response.clone();
        alteredAddress[27] ^= 1;   // inside XOR-MAPPED-ADDRESS, covered by MESSAGE-INTEGRITY and FINGERPRINT
        assertFalse(DirectConsentCheck.answers(alteredAddress, TRANSACTION, KEY));
        byte[] badFingerprint = response.clone();
        badFingerprint[badFingerprint.length - 1] ^= 1;
        assertFalse(DirectConsentCheck.answers(badFingerprint, TRANSACTION, KEY));
        byte[] errorResponse = response.clone();
        errorResponse[1] = 0x11;   // Binding error response
        assertFalse(DirectConsentCheck.answers(errorResponse, TRANSACTION, KEY));
        assertFalse(DirectConsentCheck.isBindingSuccess(errorResponse));
        assertFalse(DirectConsentCheck.answers(request(true), TRANSACTION, KEY), "a request is no answer");
        assertFalse(DirectConsentCheck.answers(Arrays.copyOf(response, response.length - 8), TRANSACTION, KEY),
                "the header's length disagrees with the datagram");
        byte[] unsigned = Arrays.copyOf(response, 32);   // header and XOR-MAPPED-ADDRESS only
        unsigned[3] = 12;
        assertFalse(DirectConsentCheck.answers(unsigned, TRANSACTION, KEY), "no MESSAGE-INTEGRITY");
    }

    @Test
    void acceptsRfc5769sSampleResponse() {
        assertTrue(DirectConsentCheck.isBindingSuccess(RFC5769_RESPONSE));
        assertTrue(DirectConsentCheck.answers(RFC5769_RESPONSE, TRANSACTION, KEY));
        byte[] altered = RFC5769_RESPONSE.clone();
        altered[30] ^= 1;   // the SOFTWARE text
        assertFalse(DirectConsentCheck.answers(altered, TRANSACTION, KEY));
    }

    @Test
    void refusesATransactionIdOfTheWrongLengthAndAnOverlongUsername() {
        IllegalArgumentException shortId = assertThrows(IllegalArgumentException.class,
                () -> DirectConsentCheck.request(new byte[8], "a:b", KEY, 1, true, 1));
        assertEquals("a STUN transaction id is 12 bytes, got 8", shortId.getMessage());
        IllegalArgumentException longName = assertThrows(IllegalArgumentException.class,
                () -> DirectConsentCheck.request(TRANSACTION, "u".repeat(514), KEY, 1, true, 1));
        assertEquals("USERNAME is at most 513 bytes (RFC 5389 §15.3), got 514", longName.getMessage());
    }

    /** ice4j's stack validates MESSAGE-INTEGRITY with the answerer's password, looked up by its ufrag. */
    private static boolean ice4jAuthenticates(byte[] request, MessageIntegrityAttribute integrity) {
        return Ice4jIntegrity.validates(request, integrity, ANSWERER_UFRAG, KEY, ANSWERER_UFRAG + ":" + SENDER_UFRAG, SENDER);
    }
}
