package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.purertc.ice.AnnouncedAddressException;
import dev.purertc.ice.AnnouncedAddresses;

/**
 * {@link RtcConfiguration.Builder#announcedAddresses}: the connection's candidates carry the announced address
 * (no checks run: the offer has no answer, so nothing is sent to the documentation address).
 */
class AnnouncedAddressConfigTest {

    @Test
    void theOffersHostCandidateOnTheSharedPortCarriesTheAnnouncedAddress() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            RtcConfiguration config = Peer.loopback().udpMux(0)
                    .announcedAddresses(AnnouncedAddresses.Mode.REPLACE, "203.0.113.7/127.0.0.1").build();
            Peer p = Signaling.create(factory, config);
            p.pc.createDataChannel("x", RTCDataChannelInit.defaults());
            p.pc.setLocalDescription(p.pc.createOffer().get(10, TimeUnit.SECONDS)).get(10, TimeUnit.SECONDS);
            assertTrue(p.gatheringComplete.await(10, TimeUnit.SECONDS));
            int port = factory.udpMuxes().get(0).port();
            List<String> lines = p.candidates.stream().map(RTCIceCandidate::candidate).toList();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).matches("candidate:\\S+ 1 udp \\d+ 203\\.0\\.113\\.7 " + port + " typ host ufrag \\S+"),
                    lines.get(0));
        }
    }

    @Test
    void aBadEntryFailsTheBuilderNamingIt() {
        AnnouncedAddressException e = assertThrows(AnnouncedAddressException.class, () -> RtcConfiguration.builder()
                .announcedAddresses(AnnouncedAddresses.Mode.ADD, "203.0.113.7", "public.example"));
        assertEquals("public.example", e.entry());
    }
}
