/** Serial number arithmetic (RFC 1982) and unwrapping of 32/16-bit SCTP sequence numbers. */
package dev.purertc.sctp.common;
