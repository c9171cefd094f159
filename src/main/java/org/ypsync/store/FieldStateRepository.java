package org.ypsync.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.ypsync.sync.FieldKeeping.FieldState;

/** What Moodle keeps of the fields ypsync writes, site-wide (table moodle_field_state). */
public final class FieldStateRepository {
    private final DataSource dataSource;

    FieldStateRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every field Moodle did not keep at least once; a field not listed is kept. */
    public Map<String, FieldState> all() {
        Map<String, FieldState> out = new LinkedHashMap<>();
        Jdbc.query(dataSource, "SELECT field, kept, strikes, changed_at, checked_at FROM moodle_field_state ORDER BY field",
                rs -> out.put(rs.getString(1), new FieldState(rs.getString(1), rs.getBoolean(2), rs.getInt(3),
                        instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)))));
        return out;
    }

    public void save(FieldState s) {
        Jdbc.update(dataSource, "DELETE FROM moodle_field_state WHERE field = ?", s.field());
        Jdbc.update(dataSource, "INSERT INTO moodle_field_state (field, kept, strikes, changed_at, checked_at) "
                + "VALUES (?, ?, ?, ?, ?)", s.field(), s.kept(), s.strikes(), s.changedAt(), s.checkedAt());
    }

    /** The next run of a user stage tries again every field Moodle does not keep (run --recheck-fields, JMX). */
    public int requestRecheck() {
        return Jdbc.update(dataSource, "UPDATE moodle_field_state SET checked_at = NULL WHERE kept = FALSE");
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
