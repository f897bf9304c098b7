package dev.purertc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.PeerConnectionState;
import dev.purertc.ice.AnnouncedAddresses;
import dev.purertc.interop.InteropSession.Direction;

/**
 * PureRTC behind a 1:1 NAT: its UDP mux is bound to 127.0.0.1 and it announces 127.0.0.3 (REPLACE), which
 * nftables in the test's namespace DNATs to the mux. Datagrams to or from the mux's port that did not pass
 * the DNAT are dropped, as they could not cross a real NAT. Chromium connects, and every PureRTC candidate
 * it knows, the selected pair's included, carries the announced address.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChromiumAnnouncedAddressTest {

    private static final String ANNOUNCED = "127.0.0.3";

    private final AtomicInteger nextPc = new AtomicInteger();
    private BrowserPeer browser;
    private PeerConnectionFactory factory;

    @BeforeAll
    void start() {
        BrowserAssumptions.assumeInstalled(BrowserKind.CHROMIUM);
        NftRuleset.assumeInstalled();
        browser = Browsers.launch(BrowserKind.CHROMIUM);
        browser.call("getUserMedia", "audio", true);
        factory = new PeerConnectionFactory(1);
    }

    @AfterAll
    void stop() {
        if (factory != null) {
            factory.close();
        }
        if (browser != null) {
            browser.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Direction.class)
    void theBrowserChecksAndUsesTheAnnouncedAddressOnly(Direction direction) throws Exception {
        AtomicReference<NftRuleset> nat = new AtomicReference<>();
        AtomicInteger muxPort = new AtomicInteger();
        try (InteropSession s = InteropSession.connect(browser, factory, PureRtcPeer.loopback().udpMux(0)
                        .announcedAddresses(AnnouncedAddresses.Mode.REPLACE, ANNOUNCED + "/127.0.0.1"),
                "pc" + nextPc.incrementAndGet(), direction, false, session -> {
                    int port = factory.udpMuxes().get(0).port();
                    muxPort.set(port);
                    nat.set(NftRuleset.apply("ip", "purertc_announced", dnatRuleset(port)));
                })) {
            s.java.awaitState(PeerConnectionState.CONNECTED, InteropSession.WAIT);
            JsonNode stats = browser.call("getStats", "pc", s.pc);
            JsonNode remote = BrowserStats.selectedPair(stats)[2];
            assertEquals(ANNOUNCED, BrowserStats.address(remote), remote.toString());
            assertEquals(muxPort.get(), remote.path("port").asInt(), remote.toString());
            List<String> remoteAddresses = new ArrayList<>();
            for (JsonNode r : stats) {
                if (r.path("type").asText().equals("remote-candidate")) {
                    remoteAddresses.add(BrowserStats.address(r) + ":" + r.path("port").asInt());
                }
            }
            assertEquals(List.of(ANNOUNCED + ":" + muxPort.get()), remoteAddresses.stream().distinct().toList(),
                    "the browser knows PureRTC by the announced address only");
            s.javaChat.send("out through the NAT");
            assertEquals("out through the NAT", browser.awaitEvent(e -> e.is("message", "channel", s.browserChat),
                    InteropSession.WAIT).text("text"));
            browser.call("send", "channel", s.browserChat, "text", "in through the NAT");
            assertEquals("in through the NAT", s.java.await(e -> e.is("message", s.javaChat), InteropSession.WAIT).text());
            assertTrue(s.candidateAddresses.contains(ANNOUNCED), s.candidateAddresses.toString());
        } finally {
            if (nat.get() != null) {
                nat.get().close();
            }
        }
    }

    /**
     * DNAT of 127.0.0.3:port to the mux at 127.0.0.1:port for datagrams this namespace sends (the browser's),
     * and a drop of every datagram to or from the mux's port that is not part of a DNAT'ed flow: PureRTC
     * must be reachable through the announced address alone.
     */
    private static String dnatRuleset(int port) {
        return "chain nat_out { type nat hook output priority -100; ip daddr " + ANNOUNCED + " udp dport " + port
                + " dnat to 127.0.0.1:" + port + "; }\n"
                + "chain filter_out { type filter hook output priority 0; "
                + "udp dport " + port + " ct status dnat accept; udp sport " + port + " ct status dnat accept; "
                + "udp dport " + port + " drop; udp sport " + port + " drop; }";
    }
}
