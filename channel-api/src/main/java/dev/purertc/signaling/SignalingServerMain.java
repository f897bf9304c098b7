package dev.purertc.signaling;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import dev.purertc.signaling.demo.DemoMain;

/**
 * The signaling server as a program of its own:
 * <pre>
 * java -cp ... dev.purertc.signaling.SignalingServerMain [--bind ADDRESS] [--port N]
 *     [--tls-cert CHAIN.pem --tls-key KEY.pem] [--tokens FILE] [--allow-origin ORIGIN]...
 *     [--allow-unauthenticated] [--public-metrics] [--max-connections N] [--max-connections-per-address N]
 *     [--redis redis://HOST:PORT --node-id ID] [--demo]
 * </pre>
 * Defaults are the library's: 127.0.0.1, port 8080, plain HTTP, same-origin browsers only. A token file
 * holds one line per token: the token, then the user ids it may register, separated by spaces; lines that
 * start with {@code #} are comments. Binding any other address needs {@code --tokens} or
 * {@code --allow-unauthenticated}. It prints {@code listening on URL} once the port is bound and stops on
 * SIGTERM or SIGINT. With {@code --redis} the server is node {@code ID} of a cluster sharing that Redis
 * server ({@link ClusterOptions}); it exits with status 1 and a message if Redis cannot be reached.
 * With {@code --demo} it also serves the demo page at {@code /} and runs the demo's Java peer
 * ({@code javapeer}) against itself, over {@code wss://} when TLS is on (the peer trusts the
 * {@code --tls-cert} chain), so the page can be tried over HTTPS as it would be deployed.
 */
public final class SignalingServerMain {

    private SignalingServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Arguments arguments;
        try {
            arguments = arguments(args);
        } catch (IllegalArgumentException e) {
            System.err.println("signaling server: " + e.getMessage());
            usage(System.err);
            System.exit(2);
            return;
        }
        SignalingServer server;
        AutoCloseable running;
        try {
            if (arguments.demo()) {
                DemoMain.Demo demo = DemoMain.Demo.start(arguments.options(), arguments.tlsChain());
                server = demo.server;
                running = demo;
            } else {
                server = SignalingServer.start(arguments.options().build());
                running = server;
            }
        } catch (ClusterUnavailableException e) {
            System.err.println("signaling server: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("signaling server: " + e);
            }
            stopped.countDown();
        }, "purertc-signaling-shutdown"));
        System.out.println("listening on " + server.websocketUri());
        System.out.flush();
        stopped.await();
    }

    /** What the arguments ask for: the server's options, whether to run the demo, the TLS chain file. */
    record Arguments(SignalingServerOptions.Builder options, boolean demo, Path tlsChain) {
    }

    /** The options the arguments ask for. @throws IllegalArgumentException naming a bad argument */
    static SignalingServerOptions parse(String[] args) throws IOException {
        return arguments(args).options().build();
    }

    static Arguments arguments(String[] args) throws IOException {
        SignalingServerOptions.Builder b = SignalingServerOptions.builder().port(8080);
        boolean demo = false;
        Set<String> origins = new HashSet<>();
        Path cert = null;
        Path key = null;
        String redis = null;
        String nodeId = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--bind" -> b.bindAddress(address(value(args, ++i, a)));
                case "--port" -> b.port(number(value(args, ++i, a), a));
                case "--tls-cert" -> cert = Path.of(value(args, ++i, a));
                case "--tls-key" -> key = Path.of(value(args, ++i, a));
                case "--tokens" -> b.tokenValidator(tokenFile(Path.of(value(args, ++i, a))));
                case "--allow-origin" -> origins.add(value(args, ++i, a));
                case "--allow-unauthenticated" -> b.allowUnauthenticatedNonLoopback(true);
                case "--public-metrics" -> b.publicMetrics(true);
                case "--max-connections" -> b.maxConnections(number(value(args, ++i, a), a));
                case "--max-connections-per-address" -> b.maxConnectionsPerAddress(number(value(args, ++i, a), a));
                case "--redis" -> redis = value(args, ++i, a);
                case "--node-id" -> nodeId = value(args, ++i, a);
                case "--demo" -> demo = true;
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (cert != null) {
            b.tls(cert, key);
        }
        if ((redis == null) != (nodeId == null)) {
            throw new IllegalArgumentException("--redis and --node-id go together");
        }
        if (redis != null) {
            try {
                b.cluster(ClusterOptions.of(java.net.URI.create(redis), nodeId));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--redis/--node-id: " + e.getMessage());
            }
        }
        return new Arguments(b.allowedOrigins(origins), demo, cert);
    }

    /**
     * A validator from a token file, held in memory; tokens are compared by their SHA-256, so a token's
     * length or prefix does not show in the time a refusal takes.
     */
    static TokenValidator tokenFile(Path file) throws IOException {
        Map<String, TokenGrant> grants = new HashMap<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] fields = t.split("\\s+");
            if (fields.length < 2) {
                throw new IllegalArgumentException(file + " line " + n + ": a token needs at least one user id");
            }
            grants.put(digest(fields[0]), TokenGrant.of(Arrays.copyOfRange(fields, 1, fields.length)));
        }
        Map<String, TokenGrant> frozen = Map.copyOf(grants);
        return (token, origin) -> token == null ? TokenGrant.none() : frozen.getOrDefault(digest(token), TokenGrant.none());
    }

    private static String digest(String token) {
        try {
            return java.util.HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static int number(String v, String flag) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got " + v);
        }
    }

    private static InetAddress address(String v) {
        if (!v.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("--bind needs an IP literal, got " + v);
        }
        try {
            return InetAddress.getByName(v);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("--bind needs an IP literal, got " + v);
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: SignalingServerMain [--bind ADDRESS] [--port N] [--tls-cert CHAIN.pem --tls-key KEY.pem]"
                + " [--tokens FILE] [--allow-origin ORIGIN]... [--allow-unauthenticated] [--public-metrics]"
                + " [--max-connections N] [--max-connections-per-address N] [--redis redis://HOST:PORT --node-id ID] [--demo]");
    }
}
