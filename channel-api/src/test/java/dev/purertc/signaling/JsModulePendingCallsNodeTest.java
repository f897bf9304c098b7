package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The browser module's bounds on call information for rooms not open yet, and its room ids, run in
 * node: what a third user can make a page keep is bounded in all, per caller and per room, expires,
 * and room ids carry 128 random bits. (Only {@code receiveCallInformation}, which needs no
 * RTCPeerConnection, runs here; the signal checks of answerCalls run in Chromium in interop-tests.)
 */
class JsModulePendingCallsNodeTest {

    private static final String SCRIPT = """
            const [, , moduleFile] = process.argv;
            const { WebRtcRooms, randomRoomId } = await import(moduleFile);
            const out = (x) => console.log(JSON.stringify(x));
            const candidate = { candidate: 'candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host', sdpMid: '0', sdpMLineIndex: 0 };
            const rooms = new WebRtcRooms({ pendingLimits: { ttlMs: 300 } });
            const codes = {};
            for (let i = 0; i < 20000; i++) {
              try { rooms.receiveCallInformation({ _id: `never${i}`, caller: 'mallory', candidates: { c1: candidate } }); codes.kept = (codes.kept || 0) + 1; }
              catch (e) { codes[e.code] = (codes[e.code] || 0) + 1; }
            }
            out(codes);
            const many = {};
            for (let i = 0; i < 100; i++) many[`c${i}`] = candidate;
            rooms.receiveCallInformation({ _id: 'never0', caller: 'mallory', candidates: many });
            out({ candidatesKept: Object.keys(rooms.unanswered.never0.candidates).length });
            try { rooms.receiveCallInformation({ _id: 'never0', caller: 'eve', candidates: { c1: candidate } }); out({ other: 'kept' }); }
            catch (e) { out({ other: e.code }); }
            for (let c = 0; c < 8; c++) for (let i = 0; i < 8; i++) {
              try { rooms.receiveCallInformation({ _id: `u${c}-${i}`, caller: `user${c}` }); } catch (e) { /* counted below */ }
            }
            out({ kept: Object.keys(rooms.unanswered).length });
            await new Promise((r) => setTimeout(r, 600));
            out({ afterTtl: Object.keys(rooms.unanswered).length });
            const a = randomRoomId(); const b = randomRoomId();
            out({ idShape: /^rtc[0-9a-f]{32}$/.test(a), distinct: a !== b });
            """;

    @Test
    void callInformationForRoomsThatNeverOpenIsBoundedAndExpires() throws Exception {
        String node = SignalingAdmissionTest.findOnPath("node");
        assumeTrue(node != null, "node is not installed");
        Path dir = Files.createTempDirectory("purertc-js");
        try (InputStream module = SignalingServer.class.getResourceAsStream(SignalingServer.CLIENT_MODULE_RESOURCE)) {
            Path moduleFile = dir.resolve("purertc-signaling.mjs");
            Files.copy(module, moduleFile);
            Path script = Files.writeString(dir.resolve("pending.mjs"), SCRIPT);
            Process p = new ProcessBuilder(node, "--no-warnings", script.toString(), moduleFile.toUri().toString())
                    .redirectErrorStream(true).start();
            try {
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "node did not finish");
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals("{\"kept\":8,\"too-many-pending-calls\":19992}\n"
                        + "{\"candidatesKept\":32}\n"
                        + "{\"other\":\"room-in-use\"}\n"
                        + "{\"kept\":64}\n"
                        + "{\"afterTtl\":0}\n"
                        + "{\"idShape\":true,\"distinct\":true}\n", output);
                assertEquals(0, p.exitValue());
            } finally {
                p.destroyForcibly();
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }
}
