package org.ypsync.store;

import java.util.List;

/**
 * The kinds of NetYpareo records the cache holds, each with its table and columns. The staging table keeps a run's
 * records as text in columns c1..c10, in the order key columns then data columns; applying casts them back.
 */
public enum CacheKind {
    SITES("np_site", null, List.of(col("code", "INT")),
            List.of(col("name", "VARCHAR"), col("short_code", "VARCHAR"), col("unused", "BOOLEAN"))),
    PERIODS("np_period", null, List.of(col("code", "INT")),
            List.of(col("name", "VARCHAR"), col("start_date", "DATE"), col("end_date", "DATE"))),
    STUDENTS("np_student", null, List.of(col("code", "INT")),
            List.of(col("login", "VARCHAR"), col("last_name", "VARCHAR"), col("first_name", "VARCHAR"),
                    col("email", "VARCHAR"), col("site_code", "INT"), col("status_code", "INT"),
                    col("active", "BOOLEAN"), col("leaving_date", "DATE"))),
    STAFF("np_staff", null, List.of(col("code", "INT")),
            List.of(col("login", "VARCHAR"), col("last_name", "VARCHAR"), col("first_name", "VARCHAR"),
                    col("email", "VARCHAR"), col("trainer", "BOOLEAN"), col("administrative", "BOOLEAN"),
                    col("site_codes", "VARCHAR"), col("unused", "BOOLEAN"))),
    TUTORS("np_tutor", null, List.of(col("code", "INT")),
            List.of(col("login", "VARCHAR"), col("last_name", "VARCHAR"), col("first_name", "VARCHAR"),
                    col("email", "VARCHAR"), col("company_code", "INT"))),
    TUTOR_STUDENTS("np_tutor_student", null, List.of(col("tutor_code", "INT"), col("student_code", "INT")),
            List.of()),
    DIPLOMA_GROUPS("np_group", "DIPLOMA", List.of(col("code", "INT")), groupColumns()),
    FC_GROUPS("np_group", "FC", List.of(col("code", "INT")), groupColumns()),
    DIPLOMA_MEMBERS("np_group_member", "DIPLOMA", List.of(col("group_code", "INT"), col("student_code", "INT")),
            List.of()),
    FC_MEMBERS("np_group_member", "FC", List.of(col("group_code", "INT"), col("student_code", "INT")), List.of()),
    /** Read only when the courses stage is enabled. */
    GROUP_TRAINERS("np_group_trainer", null, List.of(col("group_code", "INT"), col("staff_code", "INT")), List.of());

    /** A column and its SQL type (VARCHAR, INT, BOOLEAN or DATE). */
    public record Column(String name, String type) {
    }

    private final String table;
    private final String family;
    private final List<Column> keyColumns;
    private final List<Column> dataColumns;

    CacheKind(String table, String family, List<Column> keyColumns, List<Column> dataColumns) {
        this.table = table;
        this.family = family;
        this.keyColumns = keyColumns;
        this.dataColumns = dataColumns;
    }

    private static Column col(String name, String type) {
        return new Column(name, type);
    }

    private static List<Column> groupColumns() {
        return List.of(col("name", "VARCHAR"), col("short_name", "VARCHAR"), col("site_code", "INT"),
                col("period_code", "INT"), col("training_code", "INT"), col("start_date", "DATE"),
                col("end_date", "DATE"));
    }

    public String table() {
        return table;
    }

    /** DIPLOMA or FC for the group tables (both families share a table), null otherwise. */
    public String family() {
        return family;
    }

    public List<Column> keyColumns() {
        return keyColumns;
    }

    public List<Column> dataColumns() {
        return dataColumns;
    }

    /** Key columns then data columns: the order of the values of a {@link StagedRecord}. */
    public List<Column> columns() {
        var all = new java.util.ArrayList<>(keyColumns);
        all.addAll(dataColumns);
        return all;
    }

    /** Lower-case name used in log lines and in the cache_count table. */
    public String label() {
        return name().toLowerCase().replace('_', ' ');
    }
}
