/**
 * SDP for WebRTC data-channel sessions: a model, parser and writer for RFC 8866 session
 * descriptions, the ICE candidate codec (RFC 8839 §5.1), WebRTC views over a description (ICE,
 * DTLS, SCTP, mid, BUNDLE) and JSEP offer/answer for data-channel-only peers (RFC 8829).
 *
 * <p>Entry points: {@link dev.purertc.sdp.SessionDescription#parse(String)} and
 * {@link dev.purertc.sdp.SessionDescription#toSdp()}; {@link dev.purertc.sdp.IceCandidate#parse(String)}
 * and {@link dev.purertc.sdp.IceCandidate#toCandidateString()};
 * {@link dev.purertc.sdp.DataChannelDescription#of(SessionDescription)} for what a peer offered or
 * answered; {@link dev.purertc.sdp.DataChannelNegotiation} to write offers and answers.
 *
 * <p>Errors: every parser throws only the checked {@link dev.purertc.sdp.SdpParseException}, with
 * the 1-based line number (0 when no single line is at fault). A well-formed description that is
 * unusable for WebRTC gives {@link dev.purertc.sdp.SdpValidationException} (naming the missing
 * attribute) or {@link dev.purertc.sdp.NoDataChannelSectionException}. Value types built in code
 * reject bad values with {@link java.lang.IllegalArgumentException}.
 *
 * <p>Threading: every type is an immutable value (records and enums) or a stateless utility and
 * may be shared freely between threads; only the {@code Builder} classes are mutable and meant for
 * one thread.
 *
 * <p>The module depends on nothing but the JDK and never resolves host names.
 */
package dev.purertc.sdp;
