package dev.purertc.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RTCStats;
import dev.purertc.interop.InteropSession.Direction;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PureRTC-to-browser measurements for the benchmark mains (package {@code bench}): connection setup
 * time and bulk transfers with back-pressure, through the same {@link InteropSession} the matrix uses
 * (PureRTC offers). Every transfer is checked with SHA-256.
 */
public final class InteropBench {
    private final BrowserPeer browser;
    private final PeerConnectionFactory factory;
    private final AtomicInteger nextPc = new AtomicInteger();

    public InteropBench(BrowserPeer browser, PeerConnectionFactory factory) {
        this.browser = browser;
        this.factory = factory;
    }

    /** A fresh pair; milliseconds from PureRTC's createDataChannel + createOffer until the channel is open on both sides. */
    public double setupMillis() throws Exception {
        return setupMillis(true);
    }

    /** As {@link #setupMillis()}, with PureRTC offering or (false) answering the page's offer. */
    public double setupMillis(boolean pureRtcOffers) throws Exception {
        long t0 = System.nanoTime();
        try (InteropSession s = InteropSession.connect(browser, factory, PureRtcPeer.loopback(),
                "setup" + nextPc.incrementAndGet(), pureRtcOffers ? Direction.PURERTC_OFFERS : Direction.PURERTC_ANSWERS, false)) {
            double ms = (System.nanoTime() - t0) / 1e6;
            StringBuilder where = new StringBuilder("# setup " + String.format(java.util.Locale.ROOT, "%.1f", ms) + " ms:");
            for (PureRtcPeer.Event e : s.java.all()) {
                if (!e.type().equals("message")) {
                    where.append(String.format(java.util.Locale.ROOT, " %s%s@%.1f", e.type(),
                            e.type().equals("state") || e.type().equals("ice") ? "=" + e.text() : "", (e.nanos() - t0) / 1e6));
                }
            }
            System.err.println(where);
            return ms;
        }
    }

    public Pair connect() throws Exception {
        return new Pair(InteropSession.connect(browser, factory, PureRtcPeer.loopback(),
                "bulk" + nextPc.incrementAndGet(), Direction.PURERTC_OFFERS, false));
    }

    /** A connected pair with its chat channel. */
    public static final class Pair implements AutoCloseable {
        private final InteropSession s;
        private final Random random = new Random(1);

        Pair(InteropSession s) {
            this.s = s;
        }

        /** Sends {@code total} bytes PureRTC to the page; returns seconds until the page had every byte (hash checked). */
        public double javaToBrowser(long total, int messageSize, long highWater, long lowWater, Duration timeout) {
            RTCDataChannel c = s.javaChat;
            s.browser.call("armBulkSink", "channel", s.browserChat, "totalBytes", total);
            byte[] payload = new byte[messageSize];
            random.nextBytes(payload); // never modified after this: send(byte[]) keeps the array until sent
            MessageDigest sha = sha256();
            c.setBufferedAmountLowThreshold(lowWater);
            long t0 = System.nanoTime();
            long sent = 0;
            while (sent < total) {
                while (sent < total && c.bufferedAmount() < highWater) {
                    int n = (int) Math.min(messageSize, total - sent);
                    byte[] m = n == messageSize ? payload : java.util.Arrays.copyOf(payload, n);
                    c.send(m);
                    sha.update(m);
                    sent += n;
                }
                if (sent < total) {
                    s.java.await(e -> e.is("bufferedamountlow", c), timeout);
                }
            }
            BrowserEvent got = s.browser.awaitEvent("bulkreceived", "channel", s.browserChat, timeout);
            double seconds = (System.nanoTime() - t0) / 1e9;
            String expected = HexFormat.of().formatHex(sha.digest());
            if (!expected.equals(got.text("sha256")) || !Long.toString(total).equals(got.text("bytes"))) {
                throw new AssertionError("page received " + got + ", expected " + total + " bytes with SHA-256 " + expected);
            }
            return seconds;
        }

        /** The page sends {@code total} bytes to PureRTC with back-pressure; returns seconds until PureRTC had every byte (hash checked). */
        public double browserToJava(long total, int messageSize, long highWater, long lowWater, Duration timeout) {
            RTCDataChannel c = s.javaChat;
            s.java.armBulkSink(c, total);
            var args = s.browser.args();
            args.put("channel", s.browserChat);
            args.put("totalBytes", total);
            args.put("messageSize", messageSize);
            args.put("highWater", highWater);
            args.put("lowWater", lowWater);
            // The page makes and hashes its data before the clock starts, as the in-page reference
            // does; the clock then runs from the call that sends until PureRTC has every byte.
            JsonNode prepared = s.browser.call("prepareBulk", "totalBytes", total);
            long t0 = System.nanoTime();
            JsonNode sent = s.browser.call("sendBulk", args, timeout);
            PureRtcPeer.Event got = s.java.await(e -> e.is("bulkreceived", c), timeout);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!prepared.get("sha256").equals(sent.get("sha256"))) {
                throw new AssertionError("the page sent data other than it prepared: " + sent + ", prepared " + prepared);
            }
            String expected = total + " " + (total + messageSize - 1) / messageSize + " " + sent.get("sha256").asText();
            if (!expected.equals(got.text())) {
                throw new AssertionError("PureRTC received " + got.text() + ", expected " + expected);
            }
            return seconds;
        }

        /**
         * PureRTC's SCTP sender state from getStats: counters (retransmitted chunks, T3 expiries, fast
         * recoveries) and the current congestion window, peer window and smoothed RTT.
         */
        public Map<String, Object> javaSctpStats() {
            return s.java.pc.getStats().orTimeout(10, TimeUnit.SECONDS).join().first("sctp-transport")
                    .map(RTCStats::members).orElse(Map.of());
        }

        public JsonNode browserTransport() {
            return s.browserTransportStats();
        }

        @Override
        public void close() {
            s.close();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
