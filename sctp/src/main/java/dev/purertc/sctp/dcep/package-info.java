/**
 * The Data Channel Establishment Protocol (RFC 8832) and the WebRTC payload protocol identifiers
 * (RFC 8831). Messages are immutable records; {@link dev.purertc.sctp.dcep.DcepMessage#parse(byte[])}
 * raises only the checked {@link dev.purertc.sctp.dcep.DcepParseException}.
 */
package dev.purertc.sctp.dcep;
