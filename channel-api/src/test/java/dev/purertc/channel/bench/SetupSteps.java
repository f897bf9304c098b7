package dev.purertc.channel.bench;

import dev.purertc.channel.PeerConnectionState;
import dev.purertc.ice.IceConnectionState;

/**
 * When each step of one connection's setup was seen through the public API, as {@link System#nanoTime()}
 * values (index 0 the offerer, 1 the answerer; 0 while a step has not happened): signaling done, ICE
 * connected ({@code onIceConnectionStateChange}), DTLS done (the connection state turns
 * {@code connected}), the channel open (SCTP association and DCEP). Listener calls run on the event
 * loop, so each instant includes the hop to it.
 */
final class SetupSteps {
    /** Names of the figures {@link #offsetsMillis()} returns, in order. */
    static final String[] NAMES = {"signaling done", "ICE connected (first side)", "ICE connected (both)",
            "DTLS connected (both)", "channel open (both)"};

    /** Names of the signaling calls {@link #signalingCallMillis()} times, in the order they are made. */
    static final String[] SIGNALING_CALLS = {"offerer createOffer", "offerer setLocalDescription (gathers)",
            "answerer setRemoteDescription", "answerer createAnswer", "answerer setLocalDescription (gathers, checks)",
            "offerer setRemoteDescription"};

    volatile long start;
    /** When each of {@link #SIGNALING_CALLS} returned; written and read by the signaling thread. */
    final long[] signalingCalls = new long[SIGNALING_CALLS.length];
    volatile long signaled;
    final long[] iceConnected = new long[2];
    final long[] connected = new long[2];
    final long[] open = new long[2];

    void ice(int side, IceConnectionState state) {
        if (state == IceConnectionState.CONNECTED && iceConnected[side] == 0) {
            iceConnected[side] = System.nanoTime();
        }
    }

    void connection(int side, PeerConnectionState state) {
        if (state == PeerConnectionState.CONNECTED && connected[side] == 0) {
            connected[side] = System.nanoTime();
        }
    }

    /** Milliseconds each of {@link #SIGNALING_CALLS} took. */
    double[] signalingCallMillis() {
        double[] millis = new double[signalingCalls.length];
        long from = start;
        for (int i = 0; i < millis.length; i++) {
            millis[i] = (signalingCalls[i] - from) / 1e6;
            from = signalingCalls[i];
        }
        return millis;
    }

    /** Milliseconds from {@code createOffer} to each step of {@link #NAMES}. */
    double[] offsetsMillis() {
        return new double[] {
                (signaled - start) / 1e6,
                (Math.min(iceConnected[0], iceConnected[1]) - start) / 1e6,
                (Math.max(iceConnected[0], iceConnected[1]) - start) / 1e6,
                (Math.max(connected[0], connected[1]) - start) / 1e6,
                (Math.max(open[0], open[1]) - start) / 1e6,
        };
    }
}
