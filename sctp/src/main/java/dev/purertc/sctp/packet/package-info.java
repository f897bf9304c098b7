/**
 * The SCTP wire codec: packets, chunks, parameters and error causes as immutable records, one file
 * each, after RFC 9260 (base protocol), RFC 3758 (FORWARD TSN), RFC 6525 (RE-CONFIG), RFC 5061
 * (Supported Extensions) and RFC 9653 (zero checksum).
 *
 * <p>{@link dev.purertc.sctp.packet.SctpPacket#parse(java.nio.ByteBuffer)} verifies the CRC32C and
 * builds the records; every malformed input raises the checked
 * {@link dev.purertc.sctp.packet.SctpPacketException} with the offending offset, never another
 * exception. Types this codec does not model survive as {@code Unknown*} records so the association
 * can apply the unrecognized-type rules ({@link dev.purertc.sctp.packet.UnrecognizedAction}).
 *
 * <p>Threading and ownership: records are immutable and may be shared between threads, but those
 * holding a {@code byte[]} keep the array they were given (no defensive copy, to keep DATA cheap):
 * neither the creator nor a reader may modify it afterwards. Parsing copies what it keeps except
 * DATA payloads, which are views of the input's backing array (see {@link dev.purertc.sctp.packet.DataChunk}):
 * the input may be reused once the parsed DATA chunks are no longer used (direct and read-only
 * buffers are copied instead). Writers put bytes at a buffer's position and
 * advance it; {@code Chunk/Parameter/ErrorCause.writeTo} need a big-endian buffer (the default).
 */
package dev.purertc.sctp.packet;
