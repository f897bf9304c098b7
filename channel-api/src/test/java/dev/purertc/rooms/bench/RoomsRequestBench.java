package dev.purertc.rooms.bench;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;
import dev.purertc.rooms.GraphscriptJson;
import dev.purertc.rooms.Room;
import dev.purertc.rooms.RoomOptions;
import dev.purertc.rooms.ServiceRoutes;
import dev.purertc.rooms.WebRtcRooms;

/**
 * {@code BENCH rooms_request_rtt_us_p50} / {@code rooms_request_rtt_us_p99}: {@code room.request} round
 * trips Java to Java over a loopback room (ICE + DTLS + SCTP), the callee answering
 * {@code {"route":"add","args":[i,1]}} from a registered route; JSON written, parsed and matched by
 * callbackId both ways. 2000 requests after 500 warm-up ones, one at a time, timed from the call to the
 * future's completion seen by the calling thread.
 */
public final class RoomsRequestBench {

    private static final int WARM_UP = 500;
    private static final int RUNS = 2000;

    public static void main(String[] args) throws Exception {
        RtcConfiguration loopback = RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build();
        ServiceRoutes callerRoutes = new ServiceRoutes();
        ServiceRoutes calleeRoutes = new ServiceRoutes();
        calleeRoutes.remote("add", call -> call.arg(0, Integer.class) + call.arg(1, Integer.class));
        long[] nanos = new long[RUNS];
        try (PeerConnectionFactory factory = new PeerConnectionFactory(2);
             WebRtcRooms caller = new WebRtcRooms(factory, loopback, callerRoutes);
             WebRtcRooms callee = new WebRtcRooms(factory, loopback, calleeRoutes)) {
            String id = "bench";
            Room a = caller.openRTC(RoomOptions.builder().id(id)
                    .onIceCandidate((room, c) -> callee.addIceCandidate(id, GraphscriptJson.encodeCandidate(c)))
                    .build()).get(30, TimeUnit.SECONDS);
            Room b = callee.openRTC(RoomOptions.builder().id(id).description(a.encodedLocalDescription())
                    .onIceCandidate((room, c) -> caller.addIceCandidate(id, GraphscriptJson.encodeCandidate(c)))
                    .build()).get(30, TimeUnit.SECONDS);
            caller.answerPeer(id, RoomOptions.builder().description(b.encodedLocalDescription()).build())
                    .get(30, TimeUnit.SECONDS);
            a.opened().get(30, TimeUnit.SECONDS);
            b.opened().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < WARM_UP + RUNS; i++) {
                long start = System.nanoTime();
                JsonNode sum = a.request(new Message("add", List.of(i, 1))).get(10, TimeUnit.SECONDS);
                long rtt = System.nanoTime() - start;
                if (sum.intValue() != i + 1) {
                    throw new IllegalStateException("request " + i + " answered " + sum);
                }
                if (i >= WARM_UP) {
                    nanos[i - WARM_UP] = rtt;
                }
            }
            if (a.service().pendingCount() != 0) {
                throw new IllegalStateException("listeners left: " + a.service().pendingCount());
            }
        }
        Arrays.sort(nanos);
        System.out.printf("BENCH rooms_request_rtt_us_p50 %.0f us%n", nanos[RUNS / 2] / 1e3);
        System.out.printf("BENCH rooms_request_rtt_us_p99 %.0f us%n", nanos[RUNS * 99 / 100] / 1e3);
    }

    /** The request message, written by Jackson as {@code {"route":...,"args":[...]}}. */
    public record Message(String route, List<Integer> args) {
    }

    private RoomsRequestBench() {
    }
}
