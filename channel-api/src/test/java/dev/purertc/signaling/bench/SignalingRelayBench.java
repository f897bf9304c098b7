package dev.purertc.signaling.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.purertc.signaling.SignalingClient;
import dev.purertc.signaling.SignalingClientOptions;
import dev.purertc.signaling.SignalingListener;
import dev.purertc.signaling.SignalingMessage;
import dev.purertc.signaling.SignalingServer;
import dev.purertc.signaling.SignalingServerOptions;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * {@code BENCH signaling_relay_msgs_per_s}: one server, 1,000 users connected over loopback, each
 * sending {@code PER_USER} candidate-sized messages to the next user (ring), counting messages
 * delivered per second from the first send to the last delivery. Bounded in count and in time (60 s);
 * prints a figure and never fails on speed.
 */
public final class SignalingRelayBench {

    private static final int USERS = 1000;
    private static final int PER_USER = 50;

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : USERS;
        int perUser = args.length > 1 ? Integer.parseInt(args[1]) : PER_USER;
        EventLoopGroup clientLoops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        List<SignalingClient> clients = new ArrayList<>(users);
        CountDownLatch delivered = new CountDownLatch(users * perUser);
        SignalingListener counter = new SignalingListener() {
            @Override
            public void onMessage(SignalingMessage message) {
                if ("candidate".equals(message.type())) {
                    delivered.countDown();
                }
            }
        };
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.builder().workerThreads(1)
                // every bench user connects from 127.0.0.1: lift the per-address and total connection caps
                .maxConnections(users + 16).maxConnectionsPerAddress(users + 16).build())) {
            long t0 = System.nanoTime();
            List<CompletableFuture<SignalingClient>> connecting = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                connecting.add(SignalingClient.connect(server.websocketUri(),
                        SignalingClientOptions.builder(counter).eventLoopGroup(clientLoops).build()));
                if (i % 100 == 99) {
                    CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                }
            }
            for (CompletableFuture<SignalingClient> f : connecting) {
                clients.add(f.get(60, TimeUnit.SECONDS));
            }
            List<CompletableFuture<Void>> registering = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                registering.add(clients.get(i).register("u" + i));
            }
            CompletableFuture.allOf(registering.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            double setupMs = (System.nanoTime() - t0) / 1e6;

            ObjectNode candidate = JsonNodeFactory.instance.objectNode();
            candidate.put("room", "rtc123456789");
            candidate.putObject("candidate")
                    .put("candidate", "candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host generation 0")
                    .put("sdpMid", "0").put("sdpMLineIndex", 0);
            long start = System.nanoTime();
            for (int round = 0; round < perUser; round++) {
                for (int i = 0; i < users; i++) {
                    clients.get(i).send("u" + ((i + 1) % users), "candidate", candidate);
                }
            }
            boolean all = delivered.await(60, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            long count = (long) users * perUser - delivered.getCount();
            System.out.printf("setup of %d registered users: %.0f ms; %d of %d messages delivered%s%n", users, setupMs,
                    count, (long) users * perUser, all ? "" : " (60 s bound hit)");
            System.out.printf("BENCH signaling_relay_msgs_per_s %.0f msgs/s%n", count / seconds);
        } finally {
            // the clients share clientLoops: stopping it closes their sockets
            clientLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
