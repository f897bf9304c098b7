package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The messages a graphscript 0.3.12 page sends through WSSfrontend + Router, written here exactly as
 * that code serializes them (see the package documentation for where each shape comes from).
 */
class GraphscriptRelayTest {

    private SignalingServer server;
    private RawSocket page;   // plays the graphscript browser page, speaking raw JSON
    private SignalingClient javaPeer;
    private RecordingListener javaIn;

    @BeforeEach
    void start() throws Exception {
        server = SignalingServer.start(SignalingServerOptions.builder()
                .relayTimeout(java.time.Duration.ofMillis(500)).build());
        page = new RawSocket(server.websocketUri());
        javaIn = new RecordingListener();
        javaPeer = SignalingClient.connect(server.websocketUri(), SignalingClientOptions.builder(javaIn).build())
                .get(10, TimeUnit.SECONDS);
        javaPeer.register("javapeer").get(10, TimeUnit.SECONDS);
        // Router.addUser({_id}, {ws:{connection}}) sends this over the socket (undefined becomes null)
        page.send("{\"route\":\"addUser\",\"args\":[{\"_id\":\"user123\"},{\"0\":\"" + page.connectionId
                + "\"},null,true]}");
        waitForUser("user123");
    }

    private void waitForUser(String user) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!server.users().contains(user) && System.nanoTime() < deadline) {
            Thread.sleep(5); // polling server state, not timing: bounded by the deadline
        }
        assertTrue(server.users().contains(user), "user " + user + " never registered");
    }

    @AfterEach
    void stop() {
        page.close();
        javaPeer.close();
        server.close();
    }

    @Test
    void theServerAnnouncesTheConnectionIdWithSetId() {
        assertTrue(page.connectionId.startsWith("socket"));
        assertEquals(page.connectionId, server.connectionOf("user123"));
    }

    @Test
    void runConnectionRunReachesAJavaRouteAndTheAnswerComesBackWithTheSameNumericCallbackId() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        javaPeer.handle("receiveCallInformation", (args, from) -> {
            seen.complete(from + " " + SignalingJson.write(args));
            return CompletableFuture.completedFuture(args.get("_id"));
        });
        // user.run('runConnection', [peer, 'run', ['receiveCallInformation', {...}]]) from WSSfrontend.run
        page.send("{\"route\":\"runRequest\",\"args\":[{\"route\":\"runConnection\",\"args\":[\"javapeer\",\"run\","
                + "[\"receiveCallInformation\",{\"_id\":\"rtc42\",\"description\":\"%7B%22type%22%3A%22offer%22%7D\","
                + "\"caller\":\"user123\",\"remoteId\":\"" + page.connectionId + "\"}]]},\""
                + page.connectionId + "\",0.12345678901234567]}");
        assertEquals("user123 {\"_id\":\"rtc42\",\"description\":\"%7B%22type%22%3A%22offer%22%7D\",\"caller\":\"user123\","
                + "\"remoteId\":\"" + page.connectionId + "\"}", seen.get(10, TimeUnit.SECONDS));
        assertEquals("{\"args\":\"rtc42\",\"callbackId\":0.12345678901234567,\"from\":\"javapeer\"}", page.next());
    }

    @Test
    void runAllWrapsTheAnswerInAnArrayAsPromiseAllDoes() throws Exception {
        javaPeer.handle("receiveCallInformation", (args, from) -> CompletableFuture.completedFuture(args.get("_id")));
        page.send("{\"route\":\"runRequest\",\"args\":[{\"route\":\"runConnection\",\"args\":[\"javapeer\",\"runAll\","
                + "[\"receiveCallInformation\",{\"_id\":\"rtc7\",\"candidates\":{\"candidate1\":{\"candidate\":\"c\"}}}]]},\""
                + page.connectionId + "\",\"cb-1\"]}");
        assertEquals("{\"args\":[\"rtc7\"],\"callbackId\":\"cb-1\",\"from\":\"javapeer\"}", page.next());
    }

    @Test
    void javaCallsThePageAndThePageAnswersLikeWssFrontendRunRequest() throws Exception {
        CompletableFuture<JsonNode> result = javaPeer.run("user123", "answerPeer",
                SignalingJson.parse("[\"rtc42\",{\"description\":\"x\",\"caller\":\"javapeer\"}]"));
        String relayed = page.next();
        assertEquals("{\"route\":\"runRequest\",\"args\":[{\"route\":\"answerPeer\",\"args\":[\"rtc42\",{\"description\":\"x\","
                + "\"caller\":\"javapeer\"}]},\"" + page.connectionId + "\",\"relay1\"],\"from\":\"javapeer\"}", relayed);
        page.send("{\"args\":true,\"callbackId\":\"relay1\"}"); // WSSfrontend.runRequest's reply
        assertEquals(SignalingJson.parse("true"), result.get(10, TimeUnit.SECONDS));
    }

    @Test
    void postAndSendAreRelayedStampedAndAcknowledgedWithoutArgs() throws Exception {
        CompletableFuture<String> posted = new CompletableFuture<>();
        javaPeer.handle("cleanupCallInfo", (args, from) -> {
            posted.complete(from + " " + args);
            return CompletableFuture.completedFuture(null);
        });
        page.send("{\"route\":\"runRequest\",\"args\":[{\"route\":\"runConnection\",\"args\":[\"javapeer\",\"postAll\","
                + "[\"cleanupCallInfo\",\"rtc42\"]]},\"" + page.connectionId + "\",5]}");
        assertEquals("user123 \"rtc42\"", posted.get(10, TimeUnit.SECONDS));
        assertEquals("{\"callbackId\":5}", page.next());
        page.send("{\"route\":\"runConnection\",\"args\":[\"javapeer\",\"send\",[{\"hello\":\"there\"}]]}");
        assertEquals("{\"hello\":\"there\",\"from\":\"user123\"}", javaIn.next());
    }

    @Test
    void graphscriptRefusalsResolveThePendingRunWithAnErrorAndChangeNothing() throws Exception {
        String me = page.connectionId;
        page.send("{\"route\":\"runRequest\",\"args\":[{\"route\":\"runConnection\",\"args\":[\"ghost\",\"run\",[\"x\"]]},\""
                + me + "\",1]}");
        assertEquals("{\"type\":\"error\",\"code\":\"unknown-user\",\"message\":\"no user ghost\",\"callbackId\":1,"
                + "\"args\":{\"error\":\"unknown-user\",\"message\":\"no user ghost\"}}", page.next());
        page.send("{\"route\":\"runRequest\",\"args\":[{\"route\":\"runConnection\",\"args\":[\"javapeer\",\"run\","
                + "[\"receiveCallInformation\",{\"_id\":\"r\",\"caller\":\"javapeer\"}]]},\"" + me + "\",2]}");
        assertEquals("{\"type\":\"error\",\"code\":\"impersonation\",\"message\":\"\\\"caller\\\" must be your own user id user123\","
                + "\"callbackId\":2,\"args\":{\"error\":\"impersonation\",\"message\":\"\\\"caller\\\" must be your own user id user123\"}}",
                page.next());
        page.send("{\"route\":\"runRequest\",\"args\":[{\"route\":\"runConnection\",\"args\":[\"javapeer\",\"run\",[\"x\"]]},"
                + "\"socket999\",3]}");
        assertTrue(page.next().startsWith("{\"type\":\"error\",\"code\":\"impersonation\""));
        page.send("{\"route\":\"runRequest\",\"args\":[{\"route\":\"runConnection\",\"args\":[\"javapeer\",\"subscribe\",[\"x\"]]},\""
                + me + "\",4]}");
        assertTrue(page.next().startsWith("{\"type\":\"error\",\"code\":\"unknown-route\""));
        page.send("{\"route\":\"addUser\",\"args\":[{\"_id\":\"javapeer\"},{\"0\":\"" + me + "\"}]}");
        assertTrue(page.next().startsWith("{\"type\":\"error\",\"code\":\"already-registered\""));
        // an answer nobody asked this connection for
        page.send("{\"args\":1,\"callbackId\":\"relay77\"}");
        assertEquals("{\"type\":\"error\",\"code\":\"unknown-callback\",\"message\":"
                + "\"no relayed request \\\"relay77\\\" waits for an answer from this connection\"}", page.next());
        // a target that never answers: the relay times out (500 ms here) and says so
        javaPeer.handle("slow", (args, from) -> new CompletableFuture<>());
        page.send("{\"route\":\"runRequest\",\"args\":[{\"route\":\"runConnection\",\"args\":[\"javapeer\",\"run\",[\"slow\"]]},\""
                + me + "\",6]}");
        String timeout = page.next();
        assertTrue(timeout.startsWith("{\"type\":\"error\",\"code\":\"relay-timeout\""), timeout);
        assertTrue(timeout.contains("\"callbackId\":6"), timeout);

        assertEquals(Set.of("user123", "javapeer"), server.users());
        assertTrue(javaIn.messages.isEmpty());
    }

    @Test
    void aTargetThatDisconnectsFailsTheRelayedRunWithUserGone() throws Exception {
        javaPeer.handle("hang", (args, from) -> {
            javaPeer.sendText("{\"type\":\"register\",\"user\":\"javapeer\"}"); // harmless; then drop the socket
            return new CompletableFuture<>();
        });
        page.send("{\"route\":\"runRequest\",\"args\":[{\"route\":\"runConnection\",\"args\":[\"javapeer\",\"run\",[\"hang\"]]},\""
                + page.connectionId + "\",9]}");
        // wait until the request reached the Java peer, then close it
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.queuedMessages(server.connectionOf("javapeer")) != 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        javaPeer.close();
        String gone = page.next();
        assertTrue(gone.startsWith("{\"type\":\"error\",\"code\":\"user-gone\"") || gone.contains("relay-timeout"), gone);
        assertTrue(gone.contains("\"callbackId\":9"), gone);
        assertEquals(Set.of("user123"), server.users());
    }
}
