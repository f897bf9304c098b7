package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class Rfc7983Test {

    @Test
    void classifiesEveryFirstByteAsRfc7983Section7Says() {
        for (int b = 0; b <= 255; b++) {
            Rfc7983.PacketClass expected = b <= 3 ? Rfc7983.PacketClass.STUN
                    : (b >= 20 && b <= 63) ? Rfc7983.PacketClass.DTLS
                    : (b >= 64 && b <= 79) ? Rfc7983.PacketClass.TURN_CHANNEL
                    : Rfc7983.PacketClass.OTHER;
            assertEquals(expected, Rfc7983.classify((byte) b), "first byte " + b);
        }
    }

    @Test
    void boundariesOfEachRange() {
        assertEquals(Rfc7983.PacketClass.STUN, Rfc7983.classify(0));
        assertEquals(Rfc7983.PacketClass.STUN, Rfc7983.classify(3));
        assertEquals(Rfc7983.PacketClass.OTHER, Rfc7983.classify(4));   // unassigned
        assertEquals(Rfc7983.PacketClass.OTHER, Rfc7983.classify(16));  // ZRTP
        assertEquals(Rfc7983.PacketClass.OTHER, Rfc7983.classify(19));  // ZRTP
        assertEquals(Rfc7983.PacketClass.DTLS, Rfc7983.classify(20));   // change_cipher_spec
        assertEquals(Rfc7983.PacketClass.DTLS, Rfc7983.classify(22));   // handshake
        assertEquals(Rfc7983.PacketClass.DTLS, Rfc7983.classify(23));   // application_data
        assertEquals(Rfc7983.PacketClass.DTLS, Rfc7983.classify(63));
        assertEquals(Rfc7983.PacketClass.TURN_CHANNEL, Rfc7983.classify(64));
        assertEquals(Rfc7983.PacketClass.TURN_CHANNEL, Rfc7983.classify(79));
        assertEquals(Rfc7983.PacketClass.OTHER, Rfc7983.classify(80));
        assertEquals(Rfc7983.PacketClass.OTHER, Rfc7983.classify(128)); // RTP/RTCP
        assertEquals(Rfc7983.PacketClass.OTHER, Rfc7983.classify(191)); // RTP/RTCP
        assertEquals(Rfc7983.PacketClass.OTHER, Rfc7983.classify(255));
    }

    @Test
    void emptyDatagramIsOtherAndOffsetIsHonoured() {
        byte[] data = {(byte) 0x80, 22, 0};
        assertEquals(Rfc7983.PacketClass.OTHER, Rfc7983.classify(data, 0, 0));
        assertEquals(Rfc7983.PacketClass.OTHER, Rfc7983.classify(data, 0, 3));
        assertEquals(Rfc7983.PacketClass.DTLS, Rfc7983.classify(data, 1, 2));
        assertEquals(Rfc7983.PacketClass.STUN, Rfc7983.classify(data, 2, 1));
    }
}
