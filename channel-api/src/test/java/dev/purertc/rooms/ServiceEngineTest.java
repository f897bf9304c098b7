package dev.purertc.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The service-message engine with exact JSON in and out, on a recording transport and a virtual clock. */
class ServiceEngineTest {

    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final VirtualScheduler clock = new VirtualScheduler();
    private final ServiceRoutes routes = new ServiceRoutes();
    private final ServiceEngine engine = new ServiceEngine("rtc1", routes, sent::add, clock,
            Duration.ofSeconds(30), () -> "data", null);

    private String takeOne() {
        assertEquals(1, sent.size(), "messages sent: " + sent);
        return sent.remove(0);
    }

    // ---- outgoing -----------------------------------------------------------------------------------

    @Test
    void postWritesRouteArgsAndOptionalMethod() {
        engine.post("chat", "hi", null);
        assertEquals("{\"route\":\"chat\",\"args\":\"hi\"}", takeOne());
        engine.post("ping", null, null);
        assertEquals("{\"route\":\"ping\"}", takeOne());
        engine.post("x", List.of(1, 2), "get");
        assertEquals("{\"route\":\"x\",\"args\":[1,2],\"method\":\"get\"}", takeOne());
    }

    @Test
    void sendWritesStringsUnchangedAndObjectsAsJson() {
        engine.send("hello \"world\" \\ back\\slash");
        assertEquals("hello \"world\" \\ back\\slash", takeOne());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", 1);
        m.put("b", List.of("x"));
        engine.send(m);
        assertEquals("{\"a\":1,\"b\":[\"x\"]}", takeOne());
        engine.send(42);
        assertEquals("42", takeOne());
    }

    @Test
    void runWritesRunRequestAndCompletesWithTheReplyArgs() throws Exception {
        CompletableFuture<JsonNode> f = engine.run("add", List.of(1, 2), null);
        assertEquals("{\"route\":\"runRequest\",\"args\":[{\"route\":\"add\",\"args\":[1,2]},\"rtc1\",1]}", takeOne());
        assertEquals(1, engine.pendingCount());
        assertTrue(engine.receive("{\"args\":3,\"callbackId\":1}"));
        assertEquals("3", f.get().toString());
        assertEquals(0, engine.pendingCount());
        assertEquals(0, clock.live(), "the timeout was cancelled");
    }

    @Test
    void runPutsTheMethodInsideTheMessage() {
        engine.run("user", "bob", "delete");
        assertEquals("{\"route\":\"runRequest\",\"args\":[{\"route\":\"user\",\"args\":\"bob\",\"method\":\"delete\"},\"rtc1\",1]}",
                takeOne());
        engine.run("ping", null, null);
        assertEquals("{\"route\":\"runRequest\",\"args\":[{\"route\":\"ping\"},\"rtc1\",2]}", takeOne());
    }

    @Test
    void requestKeepsTheMethodWithoutAlteringTheCallersMessage() throws Exception {
        ObjectNode message = GraphscriptJson.MAPPER.createObjectNode();
        message.put("route", "greet");
        message.putArray("args").add("bob");
        CompletableFuture<JsonNode> f = engine.request(message, "post");
        assertEquals("{\"route\":\"runRequest\",\"args\":[{\"route\":\"greet\",\"args\":[\"bob\"],\"method\":\"post\"},\"rtc1\",1]}",
                takeOne());
        assertEquals("{\"route\":\"greet\",\"args\":[\"bob\"]}", message.toString());
        engine.request("{\"route\":\"greet\",\"args\":\"x\"}", null);
        assertEquals("{\"route\":\"runRequest\",\"args\":[{\"route\":\"greet\",\"args\":\"x\"},\"rtc1\",2]}", takeOne());
        engine.receive("{\"args\":\"hello bob\",\"callbackId\":1}");
        assertEquals("\"hello bob\"", f.get().toString());
        assertEquals(1, engine.pendingCount());
    }

    @Test
    void replyWithoutArgsCompletesWithMissingNode() throws Exception {
        CompletableFuture<JsonNode> f = engine.run("log", "x", null);
        engine.receive("{\"callbackId\":1}");
        assertTrue(f.get().isMissingNode());
    }

    @Test
    void errorReplyFailsTheFutureWithTheRemoteCode() {
        CompletableFuture<JsonNode> f = engine.run("nope", null, null);
        assertTrue(engine.receive("{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no route 'nope' callable by remote peers\"},\"callbackId\":1}"));
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        RemoteRouteException r = assertInstanceOf(RemoteRouteException.class, e.getCause());
        assertEquals(ServiceError.NOT_FOUND, r.error());
        assertEquals("NOT_FOUND: no route 'nope' callable by remote peers", r.getMessage());
        assertEquals(0, engine.pendingCount());
    }

    @Test
    void timeoutFailsTheFutureAndRemovesTheListener() {
        CompletableFuture<JsonNode> f = engine.run("slow", null, null, Duration.ofSeconds(5));
        clock.advance(Duration.ofMillis(4999));
        assertFalse(f.isDone());
        clock.advance(Duration.ofMillis(1));
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        ServiceTimeoutException t = assertInstanceOf(ServiceTimeoutException.class, e.getCause());
        assertEquals("no reply to run slow (callbackId 1) within PT5S", t.getMessage());
        assertEquals(0, engine.pendingCount());
        // A late reply is recognised as a service message and changes nothing.
        assertTrue(engine.receive("{\"args\":1,\"callbackId\":1}"));
        assertEquals(0, engine.pendingCount());
    }

    @Test
    void defaultTimeoutAppliesToRequests() {
        CompletableFuture<JsonNode> f = engine.request(Map.of("route", "x"), null);
        clock.advance(Duration.ofSeconds(29));
        assertFalse(f.isDone());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(f.isCompletedExceptionally());
        assertEquals(0, engine.pendingCount());
    }

    @Test
    void manyRepliesLeaveNoListenerBehind() throws Exception {
        List<CompletableFuture<JsonNode>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            futures.add(engine.run("n", i, null));
        }
        assertEquals(100, engine.pendingCount());
        for (int i = 100; i >= 1; i--) {
            engine.receive("{\"args\":" + (i * 10) + ",\"callbackId\":" + i + "}");
        }
        for (int i = 0; i < 100; i++) {
            assertEquals((i + 1) * 10, futures.get(i).get().intValue());
        }
        assertEquals(0, engine.pendingCount());
        assertEquals(0, clock.live());
    }

    @Test
    void failedSendFailsTheFutureAndLeavesNothingPending() {
        ServiceEngine broken = new ServiceEngine("rtc1", routes, m -> {
            throw new IllegalStateException("room rtc1 has no open data channel");
        }, clock, Duration.ofSeconds(30), () -> "data", null);
        CompletableFuture<JsonNode> f = broken.run("x", null, null);
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertEquals("room rtc1 has no open data channel", e.getCause().getMessage());
        assertEquals(0, broken.pendingCount());
        assertEquals(0, clock.live());
    }

    // ---- incoming -----------------------------------------------------------------------------------

    @Test
    void answersRunRequestEchoingANumericCallbackIdDigitForDigit() {
        routes.remote("add", call -> call.arg(0, Integer.class) + call.arg(1, Integer.class));
        assertTrue(engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"add\",\"args\":[2,3]},\"rtc1\",0.7290338283165081]}"));
        assertEquals("{\"args\":5,\"callbackId\":0.7290338283165081}", takeOne());
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"add\",\"args\":[2,3]},\"rtc1\",1.0E-7]}");
        assertEquals("{\"args\":5,\"callbackId\":1.0E-7}", takeOne());
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"add\",\"args\":[2,3]},\"rtc1\",12345678901234567890]}");
        assertEquals("{\"args\":5,\"callbackId\":12345678901234567890}", takeOne());
    }

    @Test
    void answersRunRequestEchoingAStringCallbackId() {
        routes.remote("ping", call -> "pong");
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"ping\"},\"rtc1\",\"0.123\"]}");
        assertEquals("{\"args\":\"pong\",\"callbackId\":\"0.123\"}", takeOne());
    }

    @Test
    void arrayArgsAreSpreadAndOtherArgsAreTheSingleArgument() {
        routes.remote("first", call -> call.arg(0));
        routes.remote("count", RouteCall::argCount);
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"first\",\"args\":[[1,2]]},\"rtc1\",1]}");
        assertEquals("{\"args\":[1,2],\"callbackId\":1}", takeOne());
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"first\",\"args\":{\"k\":\"v\"}},\"rtc1\",2]}");
        assertEquals("{\"args\":{\"k\":\"v\"},\"callbackId\":2}", takeOne());
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"count\",\"args\":[1,2,3]},\"rtc1\",3]}");
        assertEquals("{\"args\":3,\"callbackId\":3}", takeOne());
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"count\"},\"rtc1\",4]}");
        assertEquals("{\"args\":0,\"callbackId\":4}", takeOne());
    }

    @Test
    void nullResultRepliesWithoutArgsAsJavaScriptUndefined() {
        routes.remote("log", call -> null);
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"log\",\"args\":\"x\"},\"rtc1\",9]}");
        assertEquals("{\"callbackId\":9}", takeOne());
    }

    @Test
    void typedArgumentsConvertThroughJackson() {
        record Point(int x, int y) {
        }
        routes.remote("norm1", Point.class, p -> Math.abs(p.x()) + Math.abs(p.y()));
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"norm1\",\"args\":[{\"x\":-3,\"y\":4}]},\"rtc1\",1]}");
        assertEquals("{\"args\":7,\"callbackId\":1}", takeOne());
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"norm1\",\"args\":[\"nope\"]},\"rtc1\",2]}");
        String reply = takeOne();
        assertTrue(reply.startsWith("{\"error\":{\"code\":\"BAD_ARGUMENTS\",\"message\":\"argument 0 of norm1 is not a Point: "), reply);
        assertTrue(reply.endsWith("\"},\"callbackId\":2}"), reply);
    }

    @Test
    void unknownAndLocalOnlyRoutesAreDeniedWithAnErrorReply() {
        List<String> ran = new ArrayList<>();
        routes.local("shutdown", call -> ran.add("shutdown"));
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"shutdown\"},\"rtc1\",5]}");
        assertEquals("{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no route 'shutdown' callable by remote peers\"},\"callbackId\":5}",
                takeOne());
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"nope\"},\"rtc1\",6]}");
        assertEquals("{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no route 'nope' callable by remote peers\"},\"callbackId\":6}",
                takeOne());
        assertTrue(engine.receive("{\"route\":\"shutdown\"}"), "a post is a service message even when denied");
        assertEquals(List.of(), sent, "a post gets no reply");
        assertEquals(List.of(), ran);
    }

    @Test
    void failingRoutesAnswerWithFailed() {
        routes.remote("boom", call -> {
            throw new IllegalStateException("disk full");
        });
        routes.remote("later", call -> CompletableFuture.failedFuture(new java.io.IOException("gone")));
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"boom\"},\"rtc1\",1]}");
        assertEquals("{\"error\":{\"code\":\"FAILED\",\"message\":\"disk full\"},\"callbackId\":1}", takeOne());
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"later\"},\"rtc1\",2]}");
        assertEquals("{\"error\":{\"code\":\"FAILED\",\"message\":\"gone\"},\"callbackId\":2}", takeOne());
    }

    @Test
    void malformedRunRequestsAnswerBadRequest() {
        engine.receive("{\"route\":\"runRequest\",\"args\":[\"add\",\"rtc1\",1]}");
        assertEquals("{\"error\":{\"code\":\"BAD_REQUEST\",\"message\":\"runRequest needs a message with a route as its first argument\"},\"callbackId\":1}",
                takeOne());
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"runRequest\",\"args\":[]},\"rtc1\",2]}");
        assertEquals("{\"error\":{\"code\":\"BAD_REQUEST\",\"message\":\"nested runRequest\"},\"callbackId\":2}", takeOne());
    }

    @Test
    void aReplyTooLargeToSendBecomesAnErrorReply() {
        List<String> out = new ArrayList<>();
        ServiceEngine small = new ServiceEngine("rtc1", routes, m -> {
            if (m.length() > 150) {
                throw new IllegalArgumentException("message of " + m.length() + " bytes exceeds max-message-size 150");
            }
            out.add(m);
        }, clock, Duration.ofSeconds(30), () -> "data", null);
        routes.remote("big", call -> "x".repeat(200));
        small.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"big\"},\"rtc1\",1]}");
        assertEquals(List.of("{\"error\":{\"code\":\"FAILED\",\"message\":\"the reply could not be sent: "
                + "message of 226 bytes exceeds max-message-size 150\"},\"callbackId\":1}"), out);
    }

    @Test
    void asyncRoutesReplyWhenTheirStageCompletes() {
        CompletableFuture<String> later = new CompletableFuture<>();
        routes.remote("slow", call -> later);
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"slow\"},\"rtc1\",\"a\"]}");
        assertEquals(List.of(), sent);
        later.complete("done");
        assertEquals("{\"args\":\"done\",\"callbackId\":\"a\"}", takeOne());
    }

    @Test
    void methodReachesTheRouteFromEitherPlacement() {
        routes.remote("user", call -> call.method());
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"user\",\"method\":\"get\"},\"rtc1\",1]}");
        assertEquals("{\"args\":\"get\",\"callbackId\":1}", takeOne());
        // graphscript's request(message, method) puts the method on the outer message.
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"user\"},\"rtc1\",2],\"method\":\"put\"}");
        assertEquals("{\"args\":\"put\",\"callbackId\":2}", takeOne());
    }

    @Test
    void postedMessagesRunTheRouteWithContentUnaltered() {
        List<String> got = new ArrayList<>();
        routes.remote("chat", call -> got.add(call.arg(0, String.class)));
        assertTrue(engine.receive("{\"route\":\"chat\",\"args\":\"C:\\\\dir \\\"q\\\"\"}"));
        assertTrue(engine.receive("{\"node\":\"chat\",\"args\":\"via node\"}"));
        // A double-stringified message is decoded, not edited: graphscript deletes every backslash.
        assertTrue(engine.receive("\"{\\\"route\\\":\\\"chat\\\",\\\"args\\\":\\\"a\\\\\\\\b\\\"}\""));
        assertEquals(List.of("C:\\dir \"q\"", "via node", "a\\b"), got);
        assertEquals(List.of(), sent);
    }

    @Test
    void nonServiceMessagesAreLeftToTheApplication() {
        assertFalse(engine.receive("hello"));
        assertFalse(engine.receive(""));
        assertFalse(engine.receive("{\"foo\":1}"));
        assertFalse(engine.receive("[1,2]"));
        assertFalse(engine.receive("{broken"));
        assertFalse(engine.receive("\"just a string\""));
        assertFalse(engine.receive("{\"route\":5}"));
        assertEquals(List.of(), sent);
    }

    // ---- subscriptions ------------------------------------------------------------------------------

    @Test
    void subscribeAsksForSubscribeRtcAndDeliversPushesUntilUnsubscribed() throws Exception {
        List<String> pushes = new ArrayList<>();
        CompletableFuture<Integer> sub = engine.subscribe("ticks", v -> pushes.add(v.toString()), null, null, null, null);
        assertEquals("{\"route\":\"runRequest\",\"args\":[{\"route\":\"subscribeRTC\",\"args\":[\"ticks\",\"rtc1\",null,null,null,\"data\"]},\"rtc1\",1]}",
                takeOne());
        engine.receive("{\"args\":4,\"callbackId\":1}");
        assertEquals(4, sub.get());
        assertTrue(engine.receive("{\"args\":{\"n\":1},\"callbackId\":\"ticks\"}"));
        assertTrue(engine.receive("{\"args\":{\"n\":2},\"callbackId\":\"ticks\"}"));
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), pushes);
        assertEquals(1, engine.localSubscriptionCount());

        CompletableFuture<Boolean> un = engine.unsubscribe("ticks", 4);
        assertEquals("{\"route\":\"runRequest\",\"args\":[{\"route\":\"unsubscribe\",\"args\":[\"ticks\",4]},\"rtc1\",2]}", takeOne());
        assertEquals(0, engine.localSubscriptionCount(), "the local callback goes at once");
        engine.receive("{\"args\":true,\"callbackId\":2}");
        assertTrue(un.get());
        engine.receive("{\"args\":{\"n\":3},\"callbackId\":\"ticks\"}");
        assertEquals(2, pushes.size());
        assertEquals(0, engine.pendingCount());
    }

    @Test
    void subscribeWithEveryArgumentWritesThemAll() {
        engine.subscribe("pos", v -> { }, List.of(1), "x", true, "chat");
        assertEquals("{\"route\":\"runRequest\",\"args\":[{\"route\":\"subscribeRTC\",\"args\":[\"pos\",\"rtc1\",[1],\"x\",true,\"chat\"]},\"rtc1\",1]}",
                takeOne());
    }

    @Test
    void refusedSubscriptionDropsTheLocalCallback() {
        CompletableFuture<Integer> sub = engine.subscribe("secret", v -> { }, null, null, null, null);
        sent.clear();
        engine.receive("{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no route 'secret' remote peers may subscribe to\"},\"callbackId\":1}");
        ExecutionException e = assertThrows(ExecutionException.class, sub::get);
        assertEquals(ServiceError.NOT_FOUND, assertInstanceOf(RemoteRouteException.class, e.getCause()).error());
        assertEquals(0, engine.localSubscriptionCount());
        // graphscript answers a restricted subscribeRTC with no args (undefined).
        CompletableFuture<Integer> sub2 = engine.subscribe("secret", v -> { }, null, null, null, null);
        sent.clear();
        engine.receive("{\"callbackId\":2}");
        assertTrue(sub2.isCompletedExceptionally());
        assertEquals(0, engine.localSubscriptionCount());
        assertEquals(0, engine.pendingCount());
    }

    @Test
    void remoteSubscriptionGetsPublishedValuesAndRouteOutputsUntilUnsubscribe() {
        routes.topic("ticks");
        routes.remote("add", call -> call.arg(0, Integer.class) + call.arg(1, Integer.class));
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"subscribeRTC\",\"args\":[\"ticks\",\"rtc1\",null,null,null,\"data\"]},\"rtc1\",0.5]}");
        assertEquals("{\"args\":0,\"callbackId\":0.5}", takeOne());
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"subscribeRTC\",\"args\":[\"add\",\"rtc1\"]},\"rtc1\",0.6]}");
        assertEquals("{\"args\":1,\"callbackId\":0.6}", takeOne());
        assertEquals(2, engine.remoteSubscriptionCount());

        assertEquals(1, routes.publish("ticks", Map.of("t", 1)));
        assertEquals("{\"args\":{\"t\":1},\"callbackId\":\"ticks\"}", takeOne());
        routes.runLocal("add", List.of(20, 22));
        assertEquals("{\"args\":42,\"callbackId\":\"add\"}", takeOne());

        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"unsubscribe\",\"args\":[\"ticks\",0]},\"rtc1\",0.7]}");
        assertEquals("{\"args\":true,\"callbackId\":0.7}", takeOne());
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"unsubscribe\",\"args\":[\"ticks\",0]},\"rtc1\",0.8]}");
        assertEquals("{\"args\":false,\"callbackId\":0.8}", takeOne());
        assertEquals(0, routes.publish("ticks", 2));
        assertEquals(List.of(), sent);
        assertEquals(1, engine.remoteSubscriptionCount());
        engine.close();
        assertEquals(0, routes.subscriptionCount(), "closing the room removes the peer's subscriptions");
    }

    @Test
    void inputSubscriptionsGetTheArguments() {
        routes.remote("move", call -> "ok");
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"subscribeRTC\",\"args\":[\"move\",\"rtc1\",null,null,true,\"data\"]},\"rtc1\",1]}");
        assertEquals("{\"args\":0,\"callbackId\":1}", takeOne());
        engine.receive("{\"route\":\"move\",\"args\":[3,4]}");
        assertEquals("{\"args\":[3,4],\"callbackId\":\"move\"}", takeOne());
    }

    @Test
    void subscriptionsToUnlistedRoutesOrNonTextKeysAreRefused() {
        routes.local("internal", call -> 1);
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"subscribeRTC\",\"args\":[\"internal\",\"rtc1\",null,null,null,\"data\"]},\"rtc1\",1]}");
        assertEquals("{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no route 'internal' remote peers may subscribe to\"},\"callbackId\":1}",
                takeOne());
        routes.topic("t");
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"subscribeRTC\",\"args\":[\"t\",\"rtc1\",null,7,null,\"data\"]},\"rtc1\",2]}");
        assertEquals("{\"error\":{\"code\":\"BAD_ARGUMENTS\",\"message\":\"a subscription's key must be text\"},\"callbackId\":2}",
                takeOne());
        assertEquals(0, routes.subscriptionCount());
    }

    @Test
    void keySubscriptionGetsThatKeyOfPublishedStateAndOfObjectResultsOnly() {
        routes.remote("player", call -> Map.of("score", call.arg(0, Integer.class), "name", "ann"));
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"subscribeRTC\",\"args\":[\"player\",\"rtc1\",null,\"score\",null,\"data\"]},\"rtc1\",1]}");
        assertEquals("{\"args\":0,\"callbackId\":1}", takeOne());
        assertEquals(1, routes.publish("player", "score", 10));
        assertEquals("{\"args\":10,\"callbackId\":\"player\"}", takeOne());
        assertEquals(0, routes.publish("player", "name", "bob"), "another key reaches nobody");
        assertEquals(0, routes.publish("player", "whole output without the key"));
        assertEquals(List.of(), sent);
        routes.runLocal("player", List.of(12));
        assertEquals("{\"args\":12,\"callbackId\":\"player\"}", takeOne(), "the key's field of the route's result");
        assertEquals(1, routes.publish("player", Map.of("score", 13)));
        assertEquals("{\"args\":13,\"callbackId\":\"player\"}", takeOne());
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"unsubscribe\",\"args\":[\"player\",0]},\"rtc1\",2]}");
        assertEquals("{\"args\":true,\"callbackId\":2}", takeOne());
        assertEquals(0, routes.publish("player", "score", 14));
        assertEquals(List.of(), sent);
    }

    @Test
    void pingAnswersPongAndEchoAnswersItsArgumentsAsARestParameterWould() {
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"ping\"},\"rtc1\",1]}");
        assertEquals("{\"args\":\"pong\",\"callbackId\":1}", takeOne());
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"echo\",\"args\":[1,\"two\",{\"3\":null}]},\"rtc1\",2]}");
        assertEquals("{\"args\":[1,\"two\",{\"3\":null}],\"callbackId\":2}", takeOne());
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"echo\",\"args\":\"solo\"},\"rtc1\",3]}");
        assertEquals("{\"args\":[\"solo\"],\"callbackId\":3}", takeOne());
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"echo\"},\"rtc1\",4]}");
        assertEquals("{\"args\":[],\"callbackId\":4}", takeOne());
        // A registered route of the same name replaces the built-in one.
        routes.remote("ping", call -> "mine");
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"ping\"},\"rtc1\",5]}");
        assertEquals("{\"args\":\"mine\",\"callbackId\":5}", takeOne());
        routes.local("echo", call -> "local only");
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"echo\",\"args\":[1]},\"rtc1\",6]}");
        assertEquals("{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no route 'echo' callable by remote peers\"},\"callbackId\":6}",
                takeOne());
    }

    @Test
    void aPeerCannotCancelAnotherPeersSubscription() {
        routes.topic("t");
        List<String> other = new ArrayList<>();
        ServiceEngine second = new ServiceEngine("rtc2", routes, other::add, clock, Duration.ofSeconds(30), () -> "data", null);
        second.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"subscribeRTC\",\"args\":[\"t\",\"rtc2\"]},\"rtc2\",1]}");
        assertEquals(List.of("{\"args\":0,\"callbackId\":1}"), other);
        engine.receive("{\"route\":\"runRequest\",\"args\":[{\"route\":\"unsubscribe\",\"args\":[\"t\",0]},\"rtc1\",1]}");
        assertEquals("{\"args\":false,\"callbackId\":1}", takeOne());
        assertEquals(1, routes.subscriptionCount());
    }

    @Test
    void closeFailsPendingRequestsAndRefusesNewOnes() {
        CompletableFuture<JsonNode> f = engine.run("x", null, null);
        engine.close();
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertEquals("room rtc1 closed before run x was answered", e.getCause().getMessage());
        assertEquals(0, engine.pendingCount());
        assertEquals(0, clock.live());
        assertThrows(IllegalStateException.class, () -> engine.post("x", null, null));
    }

    @Test
    void builtInRouteNamesCannotBeRegistered() {
        assertThrows(IllegalArgumentException.class, () -> routes.remote("runRequest", call -> 1));
        assertThrows(IllegalArgumentException.class, () -> routes.remote("subscribeRTC", call -> 1));
        assertThrows(IllegalArgumentException.class, () -> routes.local("unsubscribe", call -> 1));
    }

    // ---- two engines ------------------------------------------------------------------------------

    @Test
    void twoEnginesTalkBothWays() throws Exception {
        ServiceRoutes routesB = new ServiceRoutes();
        routesB.remote("upper", String.class, String::toUpperCase);
        routesB.topic("news");
        routes.remote("twice", Integer.class, n -> n * 2);
        ServiceEngine[] ends = new ServiceEngine[2];
        ends[0] = new ServiceEngine("rtc9", routes, m -> ends[1].receive(m), clock, Duration.ofSeconds(30), () -> "data", null);
        ends[1] = new ServiceEngine("rtc9", routesB, m -> ends[0].receive(m), clock, Duration.ofSeconds(30), () -> "data", null);

        assertEquals("\"ABC\"", ends[0].run("upper", "abc", null).get().toString());
        assertEquals("42", ends[1].request(Map.of("route", "twice", "args", 21), null).get().toString());
        List<JsonNode> news = new ArrayList<>();
        int sub = ends[0].subscribe("news", news::add, null, null, null, null).get();
        routesB.publish("news", "hello");
        assertEquals("[\"hello\"]", news.toString());
        assertTrue(ends[0].unsubscribe("news", sub).get());
        routesB.publish("news", "again");
        assertEquals(1, news.size());
        assertEquals(0, ends[0].pendingCount());
        assertEquals(0, ends[1].pendingCount());
        assertEquals(0, routesB.subscriptionCount());
        assertEquals(0, clock.live());
    }
}
