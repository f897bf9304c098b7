package dev.purertc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated descriptions and candidate lines: the parsers may only ever throw
 * {@link SdpParseException}, and whatever they accept must write back to text that parses to the
 * same value. Each case has its own seed, printed on failure; rerun one with
 * {@code -Dsdp.property.seed=<base seed>}.
 */
class SdpPropertyTest {
    private static final long BASE_SEED = Long.getLong("sdp.property.seed", 0x5D9_2026L);
    private static final int SDP_CASES = 12_000;
    private static final int CANDIDATE_CASES = 12_000;

    private static final String[] SDP_SEEDS = {
            FixtureTest.fixture("chromium-datachannel-offer.sdp"),
            FixtureTest.fixture("chromium-datachannel-answer.sdp"),
            FixtureTest.fixture("chromium-av-offer.sdp"),
            FixtureTest.fixture("firefox-datachannel-offer.sdp"),
            FixtureTest.fixture("firefox-datachannel-answer.sdp"),
            FixtureTest.fixture("firefox-av-offer.sdp"),
            FixtureTest.fixture("werift-offer.sdp"),
            FixtureTest.fixture("werift-answer.sdp"),
            FixtureTest.fixture("chromium-mdns-offer.sdp"),
            FixtureTest.fixture("aiortc-offer.sdp"),
            FixtureTest.fixture("firefox-answer-to-aiortc-offer.sdp"),
            SdpParserTest.CHROME_OFFER,
            "v=0\r\no=- 3 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                    + "m=application 5000 DTLS/SCTP 5000\r\nc=IN IP4 127.0.0.1\r\n"
                    + "a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ srflx raddr 10.0.0.1 rport 9\r\n"
                    + "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=fingerprint:sha-256 AB:CD\r\n"
                    + "a=setup:actpass\r\na=mid:0\r\na=sctpmap:5000 webrtc-datachannel 65535\r\n",
    };

    private static final SessionDescription OUR_OFFER =
            DataChannelNegotiation.createOffer(DataChannelNegotiationTest.local().build());

    private static final String[] INSERTS = {
            "", " ", "  ", ":", "=", "/", "\r", "\n", "\r\n", "\r\n\r\n", "\u0000", "\t", "ü", "\u00ff", "\u4e2d",
            "\uD83D\uDE00", "\uD800", "\u0660", "\uFF11", "99999999999999999999999999999", "4294967296", "65536",
            "-1", "0", "9223372036854775808", "18446744073709551616", "a=", "m=", "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
            "a=candidate:", "a=fingerprint:sha-256 ", "a=setup:", "a=group:BUNDLE", "a=mid:", "typ", "raddr", "rport",
            "tcptype", "::", ".local", "a=sctpmap:", "a=max-message-size:", "a=ice-ufrag:", "x=", "v=0", "t=0 0"
    };

    @Test
    void mutatedDescriptionsOnlyEverThrowSdpParseException() {
        int accepted = 0;
        for (int i = 0; i < SDP_CASES; i++) {
            long seed = BASE_SEED * 1_000_003L + i;
            Random random = new Random(seed);
            String input = i % 20 == 19 ? randomText(random) : mutate(random, SDP_SEEDS[random.nextInt(SDP_SEEDS.length)]);
            if (checkDescription(seed, input)) {
                accepted++;
            }
        }
        // The mutations must leave some inputs valid (otherwise the write-back property goes unchecked)
        // and break most of them.
        assertTrue(accepted > SDP_CASES / 50, "accepted " + accepted);
        assertTrue(accepted < SDP_CASES * 9 / 10, "accepted " + accepted);
    }

    @Test
    void mutatedCandidatesOnlyEverThrowSdpParseException() {
        List<String> seeds = new ArrayList<>();
        for (String name : List.of("chromium-av-offer.candidates.txt", "firefox-av-offer.candidates.txt",
                "werift-offer.candidates.txt", "chromium-mdns-offer.candidates.txt")) {
            seeds.addAll(Arrays.asList(FixtureTest.fixture(name).split("\n")));
        }
        seeds.add("candidate:1467250027 1 udp 2122260223 4c9e6f7a-2b1d-4c4e-9d43-0a1b2c3d4e5f.local 54321 typ host generation 0 ufrag UXoK network-id 1 network-cost 10");
        seeds.add("a=candidate:842163049 1 udp 1677729535 198.51.100.7 61665 typ srflx raddr 0.0.0.0 rport 0 generation 0");
        seeds.add("3 1 UDP 92216831 2001:db8::5 50000 typ relay raddr 2001:db8::1 rport 40000");
        int accepted = 0;
        for (int i = 0; i < CANDIDATE_CASES; i++) {
            long seed = BASE_SEED * 7_000_003L + i;
            Random random = new Random(seed);
            String input = i % 20 == 19 ? randomText(random) : mutateCandidate(random, seeds.get(random.nextInt(seeds.size())));
            try {
                IceCandidate c = IceCandidate.parse(input);
                accepted++;
                String written = c.toCandidateString();
                assertEquals(c, IceCandidate.parse(written), "seed " + seed + " input " + quote(input));
            } catch (SdpParseException expected) {
                assertTrue(expected.reason() != null && !expected.reason().isEmpty(), "seed " + seed);
            } catch (RuntimeException | AssertionError e) {
                fail("seed " + seed + ": " + e + " for candidate " + quote(input), e);
            }
        }
        assertTrue(accepted > CANDIDATE_CASES / 50, "accepted " + accepted);
        assertTrue(accepted < CANDIDATE_CASES * 9 / 10, "accepted " + accepted);
    }

    /** Parses, writes, re-parses and runs the WebRTC views; returns true if the input was accepted. */
    private static boolean checkDescription(long seed, String input) {
        SessionDescription sd;
        try {
            sd = SessionDescription.parse(input);
        } catch (SdpParseException expected) {
            assertTrue(expected.lineNumber() >= 0 && expected.reason() != null, "seed " + seed);
            return false;
        } catch (RuntimeException e) {
            fail("seed " + seed + ": parse threw " + e + " for " + quote(input), e);
            return false;
        }
        try {
            String written = sd.toSdp();
            assertEquals(sd, SessionDescription.parse(written), "seed " + seed + ": written text re-parses to another value");
            if (input.endsWith("\r\n") && !input.contains("\n\n") && input.replace("\r\n", "").indexOf('\n') < 0) {
                assertEquals(input, written, "seed " + seed + ": CRLF input does not round-trip");
            }
            try {
                DataChannelNegotiation.acceptAnswer(OUR_OFFER, sd);
            } catch (SdpParseException expected) {
                assertTrue(expected.reason() != null, "seed " + seed);
            }
            try {
                DataChannelDescription.of(sd);
                SessionDescription answer = DataChannelNegotiation.createAnswer(sd, DataChannelNegotiationTest.local().build());
                assertEquals(answer, SessionDescription.parse(answer.toSdp()), "seed " + seed + ": answer does not re-parse");
            } catch (SdpParseException expected) {
                assertTrue(expected.reason() != null, "seed " + seed);
            }
        } catch (SdpParseException | RuntimeException e) {
            fail("seed " + seed + ": " + e + " after accepting " + quote(input), e);
        }
        return true;
    }

    private static String mutate(Random random, String sdp) {
        List<String> lines = new ArrayList<>(Arrays.asList(sdp.split("\r\n", -1)));
        lines.remove(lines.size() - 1); // the empty piece after the final CRLF
        int mutations = 1 + random.nextInt(3);
        for (int k = 0; k < mutations && !lines.isEmpty(); k++) {
            int at = random.nextInt(lines.size());
            switch (random.nextInt(10)) {
                case 0 -> lines.remove(at);
                case 1 -> lines.add(at, lines.get(random.nextInt(lines.size())));
                case 2 -> {
                    int other = random.nextInt(lines.size());
                    String tmp = lines.get(at);
                    lines.set(at, lines.get(other));
                    lines.set(other, tmp);
                }
                case 3 -> lines.set(at, flipChar(random, lines.get(at)));
                case 4 -> lines.set(at, lines.get(at).substring(0, random.nextInt(lines.get(at).length() + 1)));
                case 5 -> lines.set(at, replaceNumber(random, lines.get(at)));
                case 6 -> lines.set(at, insert(random, lines.get(at)));
                case 7 -> lines.add(at, "");
                case 8 -> lines.set(at, lines.get(at).replaceFirst(" ", random.nextBoolean() ? "  " : ""));
                default -> {
                    // Keep the line; mutate the whole text below instead.
                }
            }
        }
        String text = String.join("\r\n", lines) + "\r\n";
        return switch (random.nextInt(8)) {
            case 0 -> text.substring(0, random.nextInt(text.length() + 1));
            case 1 -> text.replace("\r\n", "\n");
            case 2 -> flipChar(random, text);
            default -> text;
        };
    }

    private static String mutateCandidate(Random random, String line) {
        String s = line;
        int mutations = 1 + random.nextInt(3);
        for (int k = 0; k < mutations; k++) {
            switch (random.nextInt(7)) {
                case 0 -> s = flipChar(random, s);
                case 1 -> s = s.substring(0, random.nextInt(s.length() + 1));
                case 2 -> s = replaceNumber(random, s);
                case 3 -> s = insert(random, s);
                case 4 -> {
                    String[] t = s.split(" ", -1);
                    int a = random.nextInt(t.length);
                    int b = random.nextInt(t.length);
                    String tmp = t[a];
                    t[a] = t[b];
                    t[b] = tmp;
                    s = String.join(" ", t);
                }
                case 5 -> {
                    String[] t = s.split(" ", -1);
                    List<String> list = new ArrayList<>(Arrays.asList(t));
                    int a = random.nextInt(list.size());
                    if (random.nextBoolean()) {
                        list.remove(a);
                    } else {
                        list.add(a, list.get(random.nextInt(list.size())));
                    }
                    s = String.join(" ", list);
                }
                default -> {
                    // Unchanged in this round.
                }
            }
        }
        return s;
    }

    private static String flipChar(Random random, String s) {
        if (s.isEmpty()) {
            return s;
        }
        int at = random.nextInt(s.length());
        char c = switch (random.nextInt(4)) {
            case 0 -> (char) (0x20 + random.nextInt(0x5F));
            case 1 -> (char) random.nextInt(0x20);
            case 2 -> (char) (0x80 + random.nextInt(0x800));
            default -> (char) random.nextInt(0x10000);
        };
        return s.substring(0, at) + c + s.substring(at + 1);
    }

    private static String replaceNumber(Random random, String s) {
        List<int[]> runs = new ArrayList<>();
        for (int i = 0; i < s.length(); ) {
            if (Character.isDigit(s.charAt(i))) {
                int start = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                runs.add(new int[] {start, i});
            } else {
                i++;
            }
        }
        if (runs.isEmpty()) {
            return insert(random, s);
        }
        int[] run = runs.get(random.nextInt(runs.size()));
        String[] numbers = {"99999999999999999999999999999", "4294967295", "4294967296", "65535", "65536", "0", "-1",
                "9223372036854775807", "9223372036854775808", "256", "257", "", "0x10", "1e9"};
        return s.substring(0, run[0]) + numbers[random.nextInt(numbers.length)] + s.substring(run[1]);
    }

    private static String insert(Random random, String s) {
        int at = random.nextInt(s.length() + 1);
        return s.substring(0, at) + INSERTS[random.nextInt(INSERTS.length)] + s.substring(at);
    }

    private static String randomText(Random random) {
        int length = random.nextInt(200);
        StringBuilder sb = new StringBuilder(length);
        if (random.nextBoolean()) {
            sb.append("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n");
        }
        for (int i = 0; i < length; i++) {
            sb.append(random.nextInt(4) == 0 ? INSERTS[random.nextInt(INSERTS.length)]
                    : String.valueOf((char) (random.nextBoolean() ? 0x20 + random.nextInt(0x5F) : random.nextInt(0x10000))));
        }
        return sb.toString();
    }

    private static String quote(String s) {
        String shown = s.length() > 400 ? s.substring(0, 400) + "..." : s;
        return "\"" + shown.replace("\r", "\\r").replace("\n", "\\n\n") + "\"";
    }
}
