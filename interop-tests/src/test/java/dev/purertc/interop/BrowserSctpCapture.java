package dev.purertc.interop;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RTCDataChannelInit;
import dev.purertc.interop.InteropSession.Direction;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Captures the SCTP packets PureRTC receives from Chromium and Firefox (after DTLS decryption, with
 * channel-api's debug switch {@code -Dpurertc.debug.recordSctpDir}) for the fixtures in
 * {@code sctp/src/test/resources/packets/browser/}. A program, not a test:
 * {@code java -cp <interop-tests test class path> dev.purertc.interop.BrowserSctpCapture OUTDIR [chromium|firefox]...}
 * (re-runs itself under {@code unshare -n}, root needed).
 *
 * <p>Per browser and direction, one connection runs a fixed script: connect (PureRTC offering: the
 * browser sends INIT and COOKIE ECHO; answering: INIT ACK and COOKIE ACK), a channel opened by each
 * side (DCEP OPEN and ACK), a text, an empty text, a binary message each way (DATA, SACK), the
 * browser closes its channel and PureRTC closes its own (RE-CONFIG request and response), then the
 * browser closes the connection (whatever it sends then: ABORT or SHUTDOWN). Output:
 * {@code OUTDIR/<browser>-purertc-<offers|answers>.hex}, one packet per line.
 *
 * <p>With {@code --graceful-close} (browsers never send SHUTDOWN: their close() aborts), one connection
 * per browser instead, PureRTC offering: connect, one message each way on the chat channel, then PureRTC's
 * {@code closeGracefully} sends SHUTDOWN and the browser answers SHUTDOWN ACK. Output:
 * {@code OUTDIR/<browser>-purertc-graceful-close.hex}.
 */
public final class BrowserSctpCapture {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private BrowserSctpCapture() {
    }

    public static void main(String[] args) throws Exception {
        if (!LoopbackNamespace.isLoopbackOnly()) {
            System.exit(LoopbackNamespace.runInFreshNamespace(BrowserSctpCapture.class, args));
        }
        if (args.length < 1) {
            System.err.println("usage: BrowserSctpCapture OUTDIR [--graceful-close] [chromium|firefox]...");
            System.exit(2);
        }
        Path out = Files.createDirectories(Path.of(args[0]));
        boolean graceful = List.of(args).contains("--graceful-close");
        List<BrowserKind> named = Stream.of(args).skip(1).filter(a -> !a.startsWith("--"))
                .map(a -> BrowserKind.valueOf(a.toUpperCase(Locale.ROOT))).toList();
        List<BrowserKind> kinds = named.isEmpty() ? List.of(BrowserKind.CHROMIUM, BrowserKind.FIREFOX) : named;
        Path raw = Files.createTempDirectory("purertc-sctp-capture");
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            for (BrowserKind kind : kinds) {
                try (BrowserPeer browser = Browsers.launch(kind)) {
                    browser.call("getUserMedia", "audio", true);
                    for (Direction d : graceful ? List.of(Direction.PURERTC_OFFERS) : List.of(Direction.values())) {
                        Path dir = raw.resolve(kind.shortName() + "-" + d.name());
                        System.setProperty("purertc.debug.recordSctpDir", dir.toString());
                        try {
                            if (graceful) {
                                gracefulCloseScript(browser, factory);
                            } else {
                                script(browser, factory, d);
                            }
                        } finally {
                            System.clearProperty("purertc.debug.recordSctpDir");
                        }
                        Path file;
                        try (Stream<Path> files = Files.list(dir)) {
                            file = files.max(Comparator.naturalOrder()).orElseThrow();
                        }
                        Path target = out.resolve(kind.shortName() + "-purertc-"
                                + (graceful ? "graceful-close" : d == Direction.PURERTC_OFFERS ? "offers" : "answers") + ".hex");
                        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                        System.out.println(target + ": " + Files.readAllLines(target).size() + " packets ("
                                + browser.userAgent() + ")");
                    }
                }
            }
        }
        System.exit(0);
    }

    private static void script(BrowserPeer browser, PeerConnectionFactory factory, Direction d) throws Exception {
        InteropSession s = InteropSession.connect(browser, factory, PureRtcPeer.loopback(), "capture-" + d.name(), d, false);
        try {
            // a channel from each side beyond chat: DCEP OPEN from the browser, DCEP ACK for PureRTC's
            String theirs = s.pc + "-theirs";
            browser.call("createDataChannel", "pc", s.pc, "channel", theirs, "label", "theirs",
                    "options", java.util.Map.of("protocol", "p\u00e9"));
            RTCDataChannel remote = s.java.await(e -> e.type().equals("datachannel"), WAIT).channel();
            s.java.await(e -> e.is("open", remote), WAIT);
            browser.awaitEvent("open", "channel", theirs, WAIT);
            RTCDataChannel mine = s.java.pc.createDataChannel("mine", RTCDataChannelInit.defaults(), s.java);
            BrowserEvent dc = browser.awaitEvent(e -> e.is("datachannel", "pc", s.pc), WAIT);
            s.java.await(e -> e.is("open", mine), WAIT);
            String mineThere = dc.text("channel");
            browser.awaitEvent("open", "channel", mineThere, WAIT);

            browser.call("send", "channel", theirs, "text", "hello \u00e9");
            browser.call("send", "channel", theirs, "text", "");
            browser.call("send", "channel", theirs, "base64", "AAEC");
            for (int i = 0; i < 3; i++) {
                s.java.await(e -> e.is("message", remote), WAIT);
            }
            mine.send("from PureRTC");
            mine.send(new byte[] {9, 8, 7});
            browser.awaitEvent("message", "channel", mineThere, WAIT);
            browser.awaitEvent("message", "channel", mineThere, WAIT);

            browser.call("closeChannel", "channel", theirs);
            s.java.await(e -> e.is("close", remote), WAIT);
            browser.awaitEvent("close", "channel", theirs, WAIT);
            mine.close();
            s.java.await(e -> e.is("close", mine), WAIT);
            browser.awaitEvent("close", "channel", mineThere, WAIT);

            s.closeBrowserSide();
            s.java.await(e -> e.is("close", s.javaChat), WAIT);
        } finally {
            s.close();
        }
    }

    private static void gracefulCloseScript(BrowserPeer browser, PeerConnectionFactory factory) throws Exception {
        InteropSession s = InteropSession.connect(browser, factory, PureRtcPeer.loopback(), "capture-graceful",
                Direction.PURERTC_OFFERS, false);
        try {
            browser.call("send", "channel", s.browserChat, "text", "before shutdown");
            s.java.await(e -> e.is("message", s.javaChat), WAIT);
            s.javaChat.send("last words");
            browser.awaitEvent("message", "channel", s.browserChat, WAIT);
            s.java.pc.closeGracefully(WAIT).get(WAIT.toMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS);
            browser.awaitEvent("close", "channel", s.browserChat, WAIT);
        } finally {
            s.close();
        }
    }
}
