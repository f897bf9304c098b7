package dev.purertc.interop;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;
import dev.purertc.rooms.Room;
import dev.purertc.rooms.RoomOptions;
import dev.purertc.rooms.ServiceRoutes;
import dev.purertc.rooms.WebRtcRooms;
import dev.purertc.signaling.GraphscriptCalls;
import dev.purertc.signaling.RoomSignaling;
import dev.purertc.signaling.SignalingClient;
import dev.purertc.signaling.SignalingClientOptions;
import dev.purertc.signaling.SignalingListener;
import dev.purertc.signaling.SignalingMessage;

/**
 * The "server" room of {@link RoomAddressChangeTest}, run in the server namespace as its own JVM: it registers
 * with the signaling server, answers every call through {@link RoomSignaling} (PureRTC's dialect) or
 * {@link GraphscriptCalls} (graphscript's) with host candidates on one interface only, and checks what arrives: every binary message must carry its sequence
 * number (a big-endian int at its start) in order and have the expected size; all are hashed (SHA-256).
 *
 * <p>Arguments: signaling URI, user name, interface name, expected message count, message size, dialect
 * ({@code purertc} or {@code graphscript}). Protocol, one
 * line each, UTF-8: {@code REGISTERED} once registered; {@code STATE <state>} at every connection state change
 * of the room; {@code RECEIVED <count> <sha256 hex> <errors> <first error>} once the expected count has
 * arrived; for {@code NOW} read, {@code NOW <state> <local ufrag> <selected pair's local address>};
 * {@code EXIT} (or the end of input) closes everything. Bounded: it exits by itself after 180 s.
 */
public final class RoomServerMain {

    private RoomServerMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        URI signalingUri = URI.create(args[0]);
        String user = args[1];
        String link = args[2];
        int expected = Integer.parseInt(args[3]);
        int size = Integer.parseInt(args[4]);
        String dialect = args[5];
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(180_000);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("RoomServerMain: 180 s passed, exiting");
            Runtime.getRuntime().halt(3);
        }, "room-server-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        RtcConfiguration config = RtcConfiguration.builder()
                .hostAddresses(onLink(link))
                .build();
        Receiver receiver = new Receiver(expected, size, out);
        RoomOptions answerWith = RoomOptions.builder()
                .onData(receiver::onData)
                .onConnectionStateChange((room, state) -> out.println("STATE " + state))
                .build();
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1);
             WebRtcRooms rooms = new WebRtcRooms(factory, config, new ServiceRoutes())) {
            SignalingClient client;
            AutoCloseable bridge;
            if (dialect.equals("graphscript")) {
                client = SignalingClient.connect(signalingUri, SignalingClientOptions.builder(new SignalingListener() {
                    @Override
                    public void onMessage(SignalingMessage message) {
                    }

                    @Override
                    public void onClose(int statusCode, String reason) {
                    }
                }).build()).get(30, TimeUnit.SECONDS);
                bridge = new GraphscriptCalls(client, rooms, kept -> answerWith);
            } else {
                RoomSignaling signaling = new RoomSignaling(rooms, call -> answerWith);
                client = SignalingClient.connect(signalingUri,
                        SignalingClientOptions.builder(signaling).build()).get(30, TimeUnit.SECONDS);
                signaling.bind(client);
                bridge = signaling;
            }
            try (bridge) {
                client.register(user).get(30, TimeUnit.SECONDS);
                out.println("REGISTERED");
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null && !line.equals("EXIT")) {
                    if (line.equals("NOW")) {
                        out.println(now(rooms));
                    }
                }
                client.close();
            }
        }
    }

    /** IPv4 host candidates on {@code link} only. */
    static HostAddressFilter onLink(String link) {
        return new HostAddressFilter(List.of(link), List.of(), List.of(), List.of(),
                HostAddressFilter.Loopback.EXCLUDE, true, false, false);
    }

    private static String now(WebRtcRooms rooms) {
        if (rooms.rooms().size() != 1) {
            return "NOW rooms=" + rooms.rooms().keySet();
        }
        Room room = rooms.rooms().values().iterator().next();
        String local = room.connection().getStats().join().get("CL")
                .map(c -> c.getString("address")).orElse("none");
        String sdp = room.connection().localDescription().sdp();
        String ufrag = sdp.replaceAll("(?s).*a=ice-ufrag:([^\r\n]*).*", "$1");
        return "NOW " + room.connection().connectionState() + " " + ufrag + " "
                + local;
    }

    /** Checks sequence numbers and sizes on the room's loop, hashes what arrived. */
    private static final class Receiver {
        private final int expected;
        private final int size;
        private final PrintStream out;
        private final MessageDigest digest;
        private int count;
        private int errors;
        private String firstError = "-";

        Receiver(int expected, int size, PrintStream out) throws Exception {
            this.expected = expected;
            this.size = size;
            this.out = out;
            this.digest = MessageDigest.getInstance("SHA-256");
        }

        synchronized void onData(Object message, RTCDataChannel channel, Room room) {
            if (!(message instanceof byte[] data)) {
                return; // service messages (text) are not part of the transfer
            }
            int seq = data.length >= 4 ? ByteBuffer.wrap(data).getInt() : -1;
            if (seq != count || data.length != size) {
                if (errors++ == 0) {
                    firstError = "message" + count + ":seq" + seq + ":" + data.length + "bytes";
                }
            }
            digest.update(data);
            if (++count == expected) {
                out.println("RECEIVED " + count + " " + HexFormat.of().formatHex(digest.digest()) + " " + errors
                        + " " + firstError);
            }
        }
    }
}
