package dev.purertc.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Attribute look-ups over an ordered line list, shared by session and media sections. */
final class SdpLines {
    private SdpLines() {
    }

    static List<Attribute> attributes(List<SdpLine> lines) {
        List<Attribute> out = new ArrayList<>();
        for (SdpLine line : lines) {
            if (line instanceof Attribute a) {
                out.add(a);
            }
        }
        return List.copyOf(out);
    }

    static List<Attribute> attributes(List<SdpLine> lines, String name) {
        List<Attribute> out = new ArrayList<>(2);
        for (SdpLine line : lines) {
            if (line instanceof Attribute a && a.name().equals(name)) {
                out.add(a);
            }
        }
        return List.copyOf(out);
    }

    static Optional<Attribute> first(List<SdpLine> lines, String name) {
        for (SdpLine line : lines) {
            if (line instanceof Attribute a && a.name().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    static List<SdpField> fields(List<SdpLine> lines, char type) {
        List<SdpField> out = new ArrayList<>(1);
        for (SdpLine line : lines) {
            if (line instanceof SdpField f && f.type() == type) {
                out.add(f);
            }
        }
        return List.copyOf(out);
    }

    static List<SdpLine> copy(List<SdpLine> lines) {
        for (SdpLine line : lines) {
            if (line == null) {
                throw new IllegalArgumentException("null line");
            }
        }
        return List.copyOf(lines);
    }

    static List<SdpLine> appended(List<SdpLine> lines, SdpLine line) {
        List<SdpLine> out = new ArrayList<>(lines.size() + 1);
        out.addAll(lines);
        out.add(line);
        return out;
    }

    static List<SdpLine> withoutAttributes(List<SdpLine> lines, String name) {
        List<SdpLine> out = new ArrayList<>(lines.size());
        for (SdpLine line : lines) {
            if (!(line instanceof Attribute a && a.name().equals(name))) {
                out.add(line);
            }
        }
        return out;
    }
}
