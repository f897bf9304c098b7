package dev.purertc.sctp.packet;

import dev.purertc.sctp.dcep.DcepAck;
import dev.purertc.sctp.dcep.DcepMessage;
import dev.purertc.sctp.dcep.DcepOpen;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.StringJoiner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The SCTP packets PureRTC received from headless Chromium 156 and Firefox ESR 153 during one scripted
 * connection each way (captured after DTLS decryption by channel-api's {@code purertc.debug.recordSctpDir}
 * switch; script and provenance in {@code packets/browser/README.md}), decoded field by field: every
 * packet's common header and every chunk's fields, DCEP messages and user payloads included. Each
 * packet is also re-encoded and must give back the captured bytes (checksum included).
 */
class BrowserPacketsTest {

    @Test
    void chromiumAsSctpClientWhenPureRtcOffers() throws IOException {
        assertDecodes("chromium-purertc-offers.hex", List.of(
                "5000>5000 vtag=00000000 | INIT tag=718071788 a_rwnd=5242880 os=65535 mis=65535 tsn=2698090566 params=[ForwardTsnSupported, SupportedExtensions[130, 192]]",
                "5000>5000 vtag=6831f5ce | COOKIE_ECHO cookie=113 bytes",
                "5000>5000 vtag=6831f5ce | SACK cum=4067999042 a_rwnd=4718592 gaps=[] dups=[]",
                "5000>5000 vtag=6831f5ce | DATA tsn=2698090566 sid=1 ssn=0 ppid=50 flags=BE DCEP_ACK",
                "5000>5000 vtag=6831f5ce | DATA tsn=2698090567 sid=0 ssn=0 ppid=50 flags=BE DCEP_OPEN type=RELIABLE prio=256 rel=0 label=\"theirs\" protocol=\"p\u00e9\"",
                "5000>5000 vtag=6831f5ce | SACK cum=4067999044 a_rwnd=4718592 gaps=[] dups=[]",
                "5000>5000 vtag=6831f5ce | DATA tsn=2698090568 sid=3 ssn=0 ppid=50 flags=BE DCEP_ACK",
                "5000>5000 vtag=6831f5ce | DATA tsn=2698090569 sid=0 ssn=1 ppid=51 flags=BE text=\"hello \u00e9\"",
                "5000>5000 vtag=6831f5ce | DATA tsn=2698090570 sid=0 ssn=2 ppid=56 flags=BE bytes=00",
                "5000>5000 vtag=6831f5ce | DATA tsn=2698090571 sid=0 ssn=3 ppid=53 flags=BE bytes=000102",
                "5000>5000 vtag=6831f5ce | SACK cum=4067999046 a_rwnd=4718592 gaps=[] dups=[]",
                "5000>5000 vtag=6831f5ce | RE_CONFIG OUT_RESET req=2698090566 resp=2698090566 last=2698090571 streams=[0]",
                "5000>5000 vtag=6831f5ce | RE_CONFIG RESPONSE resp=4067999042 result=SUCCESS_PERFORMED",
                "5000>5000 vtag=6831f5ce | RE_CONFIG RESPONSE resp=4067999043 result=SUCCESS_PERFORMED",
                "5000>5000 vtag=6831f5ce | RE_CONFIG OUT_RESET req=2698090567 resp=2698090567 last=2698090571 streams=[3]",
                "5000>5000 vtag=6831f5ce | ABORT T=false causes=[USER_INITIATED_ABORT \"Close called\"]"));
    }

    @Test
    void chromiumWhenPureRtcAnswersInitCollision() throws IOException {
        // PureRTC is the DTLS client and sends INIT; Chromium sends its own INIT too, then answers ours
        assertDecodes("chromium-purertc-answers.hex", List.of(
                "5000>5000 vtag=00000000 | INIT tag=1537249570 a_rwnd=5242880 os=65535 mis=65535 tsn=1330381414 params=[ForwardTsnSupported, SupportedExtensions[130, 192]]",
                "5000>5000 vtag=07118817 | INIT_ACK tag=1537249570 a_rwnd=5242880 os=65535 mis=65535 tsn=1330381414 params=[StateCookie(48 bytes), ForwardTsnSupported, SupportedExtensions[130, 192]]",
                "5000>5000 vtag=07118817 | COOKIE_ECHO cookie=113 bytes",
                "5000>5000 vtag=07118817 | COOKIE_ACK",
                "5000>5000 vtag=07118817 | DATA tsn=1330381414 sid=1 ssn=0 ppid=50 flags=BE DCEP_OPEN type=RELIABLE prio=256 rel=0 label=\"chat\" protocol=\"\"",
                "5000>5000 vtag=07118817 | SACK cum=2062186189 a_rwnd=4718592 gaps=[] dups=[]",
                "5000>5000 vtag=07118817 | DATA tsn=1330381415 sid=3 ssn=0 ppid=50 flags=BE DCEP_OPEN type=RELIABLE prio=256 rel=0 label=\"theirs\" protocol=\"p\u00e9\"",
                "5000>5000 vtag=07118817 | SACK cum=2062186191 a_rwnd=4718592 gaps=[] dups=[]",
                "5000>5000 vtag=07118817 | DATA tsn=1330381416 sid=0 ssn=0 ppid=50 flags=BE DCEP_ACK",
                "5000>5000 vtag=07118817 | DATA tsn=1330381417 sid=3 ssn=1 ppid=51 flags=BE text=\"hello \u00e9\"",
                "5000>5000 vtag=07118817 | DATA tsn=1330381418 sid=3 ssn=2 ppid=56 flags=BE bytes=00",
                "5000>5000 vtag=07118817 | DATA tsn=1330381419 sid=3 ssn=3 ppid=53 flags=BE bytes=000102",
                "5000>5000 vtag=07118817 | SACK cum=2062186193 a_rwnd=4718592 gaps=[] dups=[]",
                "5000>5000 vtag=07118817 | RE_CONFIG OUT_RESET req=1330381414 resp=1330381414 last=1330381419 streams=[3]",
                "5000>5000 vtag=07118817 | RE_CONFIG RESPONSE resp=2062186189 result=SUCCESS_PERFORMED",
                "5000>5000 vtag=07118817 | RE_CONFIG RESPONSE resp=2062186190 result=SUCCESS_PERFORMED",
                "5000>5000 vtag=07118817 | RE_CONFIG OUT_RESET req=1330381415 resp=1330381415 last=1330381419 streams=[0]",
                "5000>5000 vtag=07118817 | ABORT T=false causes=[USER_INITIATED_ABORT \"Close called\"]"));
    }

    @Test
    void firefoxAsSctpClientWhenPureRtcOffers() throws IOException {
        assertDecodes("firefox-purertc-offers.hex", List.of(
                "5000>5000 vtag=00000000 | INIT tag=1810009623 a_rwnd=16777216 os=65535 mis=65535 tsn=2993455094 params=[ForwardTsnSupported, SupportedExtensions[130, 192, 64, 194]]",
                "5000>5000 vtag=462069a3 | COOKIE_ECHO cookie=113 bytes",
                "5000>5000 vtag=462069a3 | SACK cum=94649859 a_rwnd=15099494 gaps=[] dups=[]",
                "5000>5000 vtag=462069a3 | DATA tsn=2993455094 sid=1 ssn=0 ppid=50 flags=BE DCEP_ACK",
                "5000>5000 vtag=462069a3 | DATA tsn=2993455095 sid=0 ssn=0 ppid=50 flags=BE DCEP_OPEN type=RELIABLE prio=0 rel=0 label=\"theirs\" protocol=\"p\u00e9\"",
                "5000>5000 vtag=462069a3 | SACK cum=94649861 a_rwnd=15099494 gaps=[] dups=[]",
                "5000>5000 vtag=462069a3 | DATA tsn=2993455096 sid=3 ssn=0 ppid=50 flags=BE DCEP_ACK",
                "5000>5000 vtag=462069a3 | DATA tsn=2993455097 sid=0 ssn=1 ppid=51 flags=BE text=\"hello \u00e9\"",
                "5000>5000 vtag=462069a3 | DATA tsn=2993455098 sid=0 ssn=2 ppid=56 flags=BE bytes=00",
                "5000>5000 vtag=462069a3 | DATA tsn=2993455099 sid=0 ssn=3 ppid=53 flags=BE bytes=000102",
                "5000>5000 vtag=462069a3 | SACK cum=94649863 a_rwnd=15099494 gaps=[] dups=[]",
                "5000>5000 vtag=462069a3 | RE_CONFIG OUT_RESET req=2993455094 resp=2993455094 last=2993455099 streams=[0]",
                "5000>5000 vtag=462069a3 | RE_CONFIG RESPONSE resp=94649859 result=SUCCESS_PERFORMED",
                "5000>5000 vtag=462069a3 | RE_CONFIG RESPONSE resp=94649860 result=SUCCESS_PERFORMED",
                "5000>5000 vtag=462069a3 | RE_CONFIG OUT_RESET req=2993455095 resp=2993455095 last=2993455099 streams=[3]",
                "5000>5000 vtag=462069a3 | RE_CONFIG OUT_RESET req=2993455096 resp=2993455096 last=2993455099 streams=[1]",
                "5000>5000 vtag=462069a3 | ABORT T=false causes=[USER_INITIATED_ABORT \"Close called\"]"));
    }

    @Test
    void firefoxWhenPureRtcAnswersInitCollision() throws IOException {
        assertDecodes("firefox-purertc-answers.hex", List.of(
                "5000>5000 vtag=00000000 | INIT tag=49257579 a_rwnd=16777216 os=65535 mis=65535 tsn=2254705365 params=[ForwardTsnSupported, SupportedExtensions[130, 192, 64, 194]]",
                "5000>5000 vtag=35d59114 | INIT_ACK tag=49257579 a_rwnd=16777216 os=65535 mis=65535 tsn=2254705365 params=[StateCookie(44 bytes), ForwardTsnSupported, SupportedExtensions[130, 192, 64, 194]]",
                "5000>5000 vtag=35d59114 | COOKIE_ECHO cookie=113 bytes",
                "5000>5000 vtag=35d59114 | COOKIE_ACK",
                "5000>5000 vtag=35d59114 | DATA tsn=2254705365 sid=1 ssn=0 ppid=50 flags=BE DCEP_OPEN type=RELIABLE prio=0 rel=0 label=\"chat\" protocol=\"\"",
                "5000>5000 vtag=35d59114 | SACK cum=71814680 a_rwnd=15099494 gaps=[] dups=[]",
                "5000>5000 vtag=35d59114 | DATA tsn=2254705366 sid=3 ssn=0 ppid=50 flags=BE DCEP_OPEN type=RELIABLE prio=0 rel=0 label=\"theirs\" protocol=\"p\u00e9\"",
                "5000>5000 vtag=35d59114 | SACK cum=71814682 a_rwnd=15099494 gaps=[] dups=[]",
                "5000>5000 vtag=35d59114 | DATA tsn=2254705367 sid=0 ssn=0 ppid=50 flags=BE DCEP_ACK",
                "5000>5000 vtag=35d59114 | DATA tsn=2254705368 sid=3 ssn=1 ppid=51 flags=BE text=\"hello \u00e9\"",
                "5000>5000 vtag=35d59114 | DATA tsn=2254705369 sid=3 ssn=2 ppid=56 flags=BE bytes=00",
                "5000>5000 vtag=35d59114 | DATA tsn=2254705370 sid=3 ssn=3 ppid=53 flags=BE bytes=000102",
                "5000>5000 vtag=35d59114 | SACK cum=71814684 a_rwnd=15099494 gaps=[] dups=[]",
                "5000>5000 vtag=35d59114 | RE_CONFIG OUT_RESET req=2254705365 resp=2254705365 last=2254705370 streams=[3]",
                "5000>5000 vtag=35d59114 | RE_CONFIG RESPONSE resp=71814680 result=SUCCESS_PERFORMED",
                "5000>5000 vtag=35d59114 | RE_CONFIG RESPONSE resp=71814681 result=SUCCESS_PERFORMED",
                "5000>5000 vtag=35d59114 | RE_CONFIG OUT_RESET req=2254705366 resp=2254705366 last=2254705370 streams=[0]",
                "5000>5000 vtag=35d59114 | RE_CONFIG OUT_RESET req=2254705367 resp=2254705367 last=2254705370 streams=[1]",
                "5000>5000 vtag=35d59114 | ABORT T=false causes=[USER_INITIATED_ABORT \"Close called\"]"));
    }

    @Test
    void chromiumAnswersPureRtcsShutdown() throws IOException {
        // PureRTC offers and (as DTLS server too) sends INIT: the collision, then closeGracefully's SHUTDOWN
        assertDecodes("chromium-purertc-graceful-close.hex", List.of(
                "5000>5000 vtag=00000000 | INIT tag=2530196376 a_rwnd=5242880 os=65535 mis=65535 tsn=45177103 params=[ForwardTsnSupported, SupportedExtensions[130, 192]]",
                "5000>5000 vtag=97d16edf | INIT_ACK tag=2530196376 a_rwnd=5242880 os=65535 mis=65535 tsn=45177103 params=[StateCookie(48 bytes), ForwardTsnSupported, SupportedExtensions[130, 192]]",
                "5000>5000 vtag=97d16edf | COOKIE_ECHO cookie=113 bytes",
                "5000>5000 vtag=97d16edf | COOKIE_ACK",
                "5000>5000 vtag=97d16edf | SACK cum=904502977 a_rwnd=4718592 gaps=[] dups=[]",
                "5000>5000 vtag=97d16edf | DATA tsn=45177103 sid=1 ssn=0 ppid=50 flags=BE DCEP_ACK",
                "5000>5000 vtag=97d16edf | DATA tsn=45177104 sid=1 ssn=1 ppid=51 flags=BE text=\"before shutdown\"",
                "5000>5000 vtag=97d16edf | SACK cum=904502978 a_rwnd=4718592 gaps=[] dups=[]",
                "5000>5000 vtag=97d16edf | SHUTDOWN_ACK"));
    }

    @Test
    void firefoxAnswersPureRtcsShutdown() throws IOException {
        assertDecodes("firefox-purertc-graceful-close.hex", List.of(
                "5000>5000 vtag=00000000 | INIT tag=3796025776 a_rwnd=16777216 os=65535 mis=65535 tsn=1917076700 params=[ForwardTsnSupported, SupportedExtensions[130, 192, 64, 194]]",
                "5000>5000 vtag=c1149140 | INIT_ACK tag=3796025776 a_rwnd=16777216 os=65535 mis=65535 tsn=1917076700 params=[StateCookie(44 bytes), ForwardTsnSupported, SupportedExtensions[130, 192, 64, 194]]",
                "5000>5000 vtag=c1149140 | COOKIE_ECHO cookie=113 bytes",
                "5000>5000 vtag=c1149140 | COOKIE_ACK",
                "5000>5000 vtag=c1149140 | SACK cum=529138761 a_rwnd=15099494 gaps=[] dups=[]",
                "5000>5000 vtag=c1149140 | DATA tsn=1917076700 sid=1 ssn=0 ppid=50 flags=BE DCEP_ACK",
                "5000>5000 vtag=c1149140 | DATA tsn=1917076701 sid=1 ssn=1 ppid=51 flags=BE text=\"before shutdown\"",
                "5000>5000 vtag=c1149140 | SACK cum=529138762 a_rwnd=15099494 gaps=[] dups=[]",
                "5000>5000 vtag=c1149140 | SHUTDOWN_ACK"));
    }

    private static void assertDecodes(String fixture, List<String> expected) throws IOException {
        List<byte[]> packets = load(fixture);
        List<String> decoded = new ArrayList<>();
        for (byte[] p : packets) {
            SctpPacket packet;
            try {
                packet = SctpPacket.parse(ByteBuffer.wrap(p));
            } catch (SctpPacketException e) {
                throw new AssertionError(fixture + ": packet " + decoded.size() + " does not parse: " + e.getMessage(), e);
            }
            decoded.add(describe(packet));
            assertArrayEquals(p, packet.toBytes(), fixture + ": packet " + (decoded.size() - 1) + " re-encodes differently");
        }
        assertEquals(expected, decoded, fixture);
    }

    private static List<byte[]> load(String fixture) throws IOException {
        try (InputStream in = BrowserPacketsTest.class.getResourceAsStream("/packets/browser/" + fixture)) {
            assertNotNull(in, "missing fixture " + fixture);
            List<byte[]> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank()) {
                    out.add(HexFormat.of().parseHex(line.trim()));
                }
            }
            return out;
        }
    }

    /** Every field of the packet, one canonical line. */
    static String describe(SctpPacket p) {
        StringJoiner chunks = new StringJoiner(" | ");
        for (Chunk c : p.chunks()) {
            chunks.add(describe(c));
        }
        return p.sourcePort() + ">" + p.destinationPort() + " vtag=" + String.format("%08x", p.verificationTag()) + " | " + chunks;
    }

    private static String describe(Chunk c) {
        if (c instanceof InitChunk i) {
            return "INIT tag=" + i.initiateTag() + " a_rwnd=" + i.advertisedReceiverWindowCredit() + " os=" + i.outboundStreams()
                    + " mis=" + i.inboundStreams() + " tsn=" + i.initialTsn() + " params=" + params(i.parameters());
        }
        if (c instanceof InitAckChunk i) {
            return "INIT_ACK tag=" + i.initiateTag() + " a_rwnd=" + i.advertisedReceiverWindowCredit() + " os=" + i.outboundStreams()
                    + " mis=" + i.inboundStreams() + " tsn=" + i.initialTsn() + " params=" + params(i.parameters());
        }
        if (c instanceof CookieEchoChunk e) {
            return "COOKIE_ECHO cookie=" + e.cookie().length + " bytes";
        }
        if (c instanceof CookieAckChunk) {
            return "COOKIE_ACK";
        }
        if (c instanceof ShutdownAckChunk) {
            return "SHUTDOWN_ACK";
        }
        if (c instanceof SackChunk s) {
            return "SACK cum=" + s.cumulativeTsnAck() + " a_rwnd=" + s.advertisedReceiverWindowCredit() + " gaps="
                    + s.gapAckBlocks().stream().map(g -> g.start() + "-" + g.end()).toList() + " dups=" + s.duplicateTsns();
        }
        if (c instanceof DataChunk d) {
            String flags = (d.immediateAck() ? "I" : "") + (d.unordered() ? "U" : "") + (d.beginning() ? "B" : "") + (d.ending() ? "E" : "");
            return "DATA tsn=" + d.tsn() + " sid=" + d.streamId() + " ssn=" + d.ssn() + " ppid=" + d.ppid() + " flags=" + flags
                    + " " + payload(d);
        }
        if (c instanceof ReConfigChunk r) {
            StringJoiner j = new StringJoiner(" ; ");
            for (Parameter p : r.parameters()) {
                if (p instanceof OutgoingSsnResetRequestParameter o) {
                    j.add("OUT_RESET req=" + o.requestSequenceNumber() + " resp=" + o.responseSequenceNumber() + " last="
                            + o.senderLastAssignedTsn() + " streams=" + o.streamIds());
                } else if (p instanceof ReconfigurationResponseParameter o) {
                    j.add("RESPONSE resp=" + o.responseSequenceNumber() + " result=" + o.result()
                            + (o.senderNextTsn().isPresent() ? " senderNext=" + o.senderNextTsn().getAsLong() : "")
                            + (o.receiverNextTsn().isPresent() ? " receiverNext=" + o.receiverNextTsn().getAsLong() : ""));
                } else {
                    j.add(p.toString());
                }
            }
            return "RE_CONFIG " + j;
        }
        if (c instanceof AbortChunk a) {
            List<String> causes = new ArrayList<>();
            for (ErrorCause e : a.causes()) {
                causes.add(e instanceof UserInitiatedAbortCause u
                        ? "USER_INITIATED_ABORT \"" + new String(u.reason(), StandardCharsets.UTF_8) + "\"" : e.toString());
            }
            return "ABORT T=" + a.tagReflected() + " causes=" + causes;
        }
        return c.toString();
    }

    private static String params(List<Parameter> parameters) {
        List<String> out = new ArrayList<>();
        for (Parameter p : parameters) {
            if (p instanceof ForwardTsnSupportedParameter) {
                out.add("ForwardTsnSupported");
            } else if (p instanceof SupportedExtensionsParameter s) {
                out.add("SupportedExtensions" + s.chunkTypes());
            } else if (p instanceof StateCookieParameter s) {
                out.add("StateCookie(" + s.cookie().length + " bytes)");
            } else {
                out.add(p.toString());
            }
        }
        return out.toString();
    }

    private static String payload(DataChunk d) {
        byte[] b = d.payload();
        switch ((int) d.ppid()) {
            case 50:
                try {
                    DcepMessage m = DcepMessage.parse(b);
                    if (m instanceof DcepAck) {
                        return "DCEP_ACK";
                    }
                    DcepOpen o = (DcepOpen) m;
                    return "DCEP_OPEN type=" + o.channelType() + " prio=" + o.priority() + " rel=" + o.reliabilityParameter()
                            + " label=\"" + o.label() + "\" protocol=\"" + o.protocol() + "\"";
                } catch (Exception e) {
                    throw new AssertionError("DCEP payload does not parse: " + HexFormat.of().formatHex(b), e);
                }
            case 51:
                return "text=\"" + new String(b, StandardCharsets.UTF_8) + "\"";
            default:
                return "bytes=" + HexFormat.of().formatHex(b);
        }
    }
}
