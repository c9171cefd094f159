package org.ypsync.ops;

import java.util.ArrayList;
import java.util.List;

/** A plain text table: left-aligned text, right-aligned numbers, two spaces between columns. */
public final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(String... header) {
        this.header = List.of(header);
    }

    public TextTable row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object c : cells) {
            row.add(c == null ? "-" : String.valueOf(c));
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    @Override
    public String toString() {
        int n = header.size();
        int[] width = new int[n];
        boolean[] numeric = new boolean[n];
        for (int i = 0; i < n; i++) {
            width[i] = header.get(i).length();
            numeric[i] = !rows.isEmpty();
        }
        for (List<String> row : rows) {
            for (int i = 0; i < n && i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
                numeric[i] &= row.get(i).matches("-?[0-9]+") || row.get(i).equals("-");
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, width, numeric);
        for (List<String> row : rows) {
            line(out, row, width, numeric);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] width, boolean[] numeric) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            boolean last = i == width.length - 1;
            if (numeric[i]) {
                line.append(" ".repeat(width[i] - c.length())).append(c);
            } else {
                line.append(c).append(last ? "" : " ".repeat(width[i] - c.length()));
            }
            if (!last) {
                line.append("  ");
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
