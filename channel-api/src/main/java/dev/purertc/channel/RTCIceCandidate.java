package dev.purertc.channel;

/**
 * One trickled ICE candidate, like the browser's {@code RTCIceCandidateInit}: the {@code candidate:...}
 * line (without {@code a=}), and the media section it belongs to. An empty or {@code null} candidate
 * given to {@link RTCPeerConnection#addIceCandidate} means end of candidates (RFC 8838 §4.4).
 *
 * @param candidate     {@code candidate:<foundation> 1 udp ...}, or empty for end-of-candidates
 * @param sdpMid        the {@code a=mid} of the section, or null
 * @param sdpMLineIndex the index of the m= line, or null
 */
public record RTCIceCandidate(String candidate, String sdpMid, Integer sdpMLineIndex) {

    /** True for the end-of-candidates marker (null or empty candidate). */
    public boolean isEndOfCandidates() {
        return candidate == null || candidate.isBlank();
    }
}
