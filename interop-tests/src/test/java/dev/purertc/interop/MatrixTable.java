package dev.purertc.interop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Renders matrix cells as one plain-text table: a row per scenario, a column per peer and direction. */
final class MatrixTable {
    /** What happened to one cell, in priority order when a cell is reported twice. */
    enum Outcome { FAIL, PASS, SKIP }

    /** One test result: {@code scenario} run against {@code peer} in {@code direction}. */
    record Cell(String peer, String direction, String scenario, Outcome outcome) {
        String column() {
            return direction.equals("-") ? peer : peer + " " + direction;
        }
    }

    private MatrixTable() {
    }

    /**
     * The table, rows and columns in order of first appearance; {@code -} where a scenario was not
     * run for a column. If a cell was reported twice, a failure wins over a pass and a pass over a skip.
     */
    static String render(List<Cell> cells) {
        Set<String> columns = new LinkedHashSet<>();
        Map<String, Map<String, Outcome>> rows = new LinkedHashMap<>();
        for (Cell c : cells) {
            columns.add(c.column());
            rows.computeIfAbsent(c.scenario(), s -> new LinkedHashMap<>())
                    .merge(c.column(), c.outcome(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
        List<String> header = new ArrayList<>();
        header.add("scenario");
        header.addAll(columns);
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        int pass = 0;
        int fail = 0;
        int skip = 0;
        for (Map.Entry<String, Map<String, Outcome>> row : rows.entrySet()) {
            List<String> line = new ArrayList<>();
            line.add(row.getKey());
            for (String col : columns) {
                Outcome o = row.getValue().get(col);
                line.add(o == null ? "-" : o.name().toLowerCase(java.util.Locale.ROOT));
                if (o == Outcome.PASS) {
                    pass++;
                } else if (o == Outcome.FAIL) {
                    fail++;
                } else if (o == Outcome.SKIP) {
                    skip++;
                }
            }
            lines.add(line);
        }
        int[] widths = new int[header.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder("Interop matrix: ").append(pass).append(" pass, ").append(fail)
                .append(" fail, ").append(skip).append(" skip\n");
        for (List<String> line : lines) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                if (i > 0) {
                    l.append("  ");
                }
                l.append(line.get(i)).append(" ".repeat(widths[i] - line.get(i).length()));
            }
            sb.append(l.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
