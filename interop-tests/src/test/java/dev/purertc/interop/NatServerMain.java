package dev.purertc.interop;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.purertc.channel.IceGatheringState;
import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.PeerConnectionListener;
import dev.purertc.channel.PeerConnectionState;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RTCDataChannelListener;
import dev.purertc.channel.RTCPeerConnection;
import dev.purertc.channel.RTCSessionDescription;
import dev.purertc.channel.RTCStats;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.AnnouncedAddresses;
import dev.purertc.ice.HostAddressFilter;

/**
 * The Java server of {@link NatTopologyTest}, run by the test in the "server" namespace as its own JVM: one
 * {@link PeerConnectionFactory} whose connections share one UDP port (udpMux) on the server's address,
 * answering offers and echoing every data channel message.
 *
 * <p>Arguments: the server address, then optionally {@code ANNOUNCE <outside>} (REPLACE) or {@code ICETCP}
 * (passive ICE-TCP candidates on one TCP port beside the UDP ones; {@code PORT} then also names it). Protocol, one line
 * each, UTF-8: it prints {@code PORT <n>} once the mux is open; for each {@code OFFER <base64 sdp>} read it
 * prints {@code ANSWER <base64 sdp>} (gathering complete, so the answer carries the candidates) and, once
 * connected, {@code CONNECTED <remote address> <remote port>} (the selected pair's remote side as the server
 * sees it); {@code EXIT} (or the end of input) closes everything. Bounded: it exits by itself after 120 s.
 */
public final class NatServerMain {

    private NatServerMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        InetAddress address = InetAddress.getByName(args[0]);
        RtcConfiguration.Builder config = RtcConfiguration.builder()
                .hostAddresses(HostAddressFilter.exactly(Set.of(address)))
                .udpMux(0);
        if (args.length >= 3 && args[1].equals("ANNOUNCE")) {
            config.announcedAddresses(AnnouncedAddresses.Mode.REPLACE, args[2] + "/" + args[0]);
        }
        if (args.length >= 2 && args[1].equals("ICETCP")) {
            config.iceTcp(0);
        }
        RtcConfiguration configuration = config.build();
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("NatServerMain: 120 s passed, exiting");
            Runtime.getRuntime().halt(3);
        }, "nat-server-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            boolean portPrinted = false;
            String line;
            while ((line = in.readLine()) != null && !line.equals("EXIT")) {
                if (!line.startsWith("OFFER ")) {
                    System.err.println("NatServerMain: unknown line " + line);
                    continue;
                }
                String offer = new String(Base64.getDecoder().decode(line.substring(6)), StandardCharsets.UTF_8);
                CountDownLatch gathered = new CountDownLatch(1);
                RTCPeerConnection[] holder = new RTCPeerConnection[1];
                RTCDataChannelListener echo = new RTCDataChannelListener() {
                    @Override
                    public void onMessage(RTCDataChannel channel, String text) {
                        channel.send(text);
                    }

                    @Override
                    public void onMessage(RTCDataChannel channel, byte[] data) {
                        channel.send(data);
                    }
                };
                holder[0] = factory.createPeerConnection(configuration, new PeerConnectionListener() {
                    @Override
                    public void onIceGatheringStateChange(IceGatheringState state) {
                        if (state == IceGatheringState.COMPLETE) {
                            gathered.countDown();
                        }
                    }

                    @Override
                    public void onDataChannel(RTCDataChannel channel) {
                        channel.setListener(echo);
                    }

                    @Override
                    public void onConnectionStateChange(PeerConnectionState state) {
                        if (state == PeerConnectionState.CONNECTED) {
                            holder[0].getStats().thenAccept(report -> {
                                RTCStats remote = report.get("CR").orElse(null);
                                out.println(remote == null ? "CONNECTED ? ?"
                                        : "CONNECTED " + remote.members().get("address") + " "
                                                + remote.members().get("port"));
                            });
                        } else if (state == PeerConnectionState.FAILED) {
                            out.println("FAILED");
                        }
                    }
                });
                RTCPeerConnection pc = holder[0];
                pc.setRemoteDescription(new RTCSessionDescription(RTCSessionDescription.Type.OFFER, offer))
                        .get(10, TimeUnit.SECONDS);
                pc.setLocalDescription(pc.createAnswer().get(10, TimeUnit.SECONDS)).get(10, TimeUnit.SECONDS);
                if (!portPrinted) {
                    out.println("PORT " + factory.udpMuxes().get(0).port()
                            + (factory.iceTcpListeners().isEmpty() ? ""
                                    : " TCP " + factory.iceTcpListeners().get(0).port()));
                    portPrinted = true;
                }
                if (!gathered.await(30, TimeUnit.SECONDS)) {
                    out.println("FAILED gathering did not complete in 30 s");
                    continue;
                }
                out.println("ANSWER " + Base64.getEncoder().encodeToString(
                        pc.localDescription().sdp().getBytes(StandardCharsets.UTF_8)));
            }
        }
        System.exit(0);
    }
}
