package org.ypsync.netypareo;

import java.util.List;

/**
 * A diploma group and the staff who teach it, from {@code groupes-personnels/from-planning}: NetYpareo derives the
 * pairs from the timetable. Only {@code codeGroupe} is publicly known of the record; the staff come as
 * {@code codePersonnel} (one) or {@code codesPersonnel} (a list), both read.
 */
public record GroupTrainer(int groupCode, List<Integer> staffCodes) {
    public GroupTrainer {
        staffCodes = List.copyOf(staffCodes);
    }
}
