package org.ypsync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The cache's staging and set-based apply through the cache routes' sql: endpoints, on H2 and on the real PostgreSQL. */
class CacheRepositoryTest {
    private static final Set<CacheKind> STUDENTS = EnumSet.of(CacheKind.STUDENTS);

    private static StagedRecord student(int code, String lastName, String hash) {
        return new StagedRecord(CacheKind.STUDENTS, String.valueOf(code), hash, Arrays.asList(code, "login" + code,
                lastName, "Jérôme", code + "@example.org", 10, 1, true, LocalDate.of(2027, 6, 30)));
    }

    private static Map<CacheKind, CacheRepository.KindCounts> run(CacheRoutes repo, int instance,
                                                                   List<StagedRecord> rows, Instant at) {
        String runId = UUID.randomUUID().toString();
        var counts = repo.run(runId, instance, rows, STUDENTS, at, true);
        repo.discard(runId);
        return counts;
    }

    private static List<String> changedAt(Store store, int instance) {
        List<String> out = new ArrayList<>();
        Jdbc.query(store.dataSource(), "SELECT code, changed_at, gone_at, last_name FROM np_student WHERE instance_index = ? ORDER BY code",
                rs -> out.add(rs.getInt(1) + "|" + rs.getTimestamp(2) + "|" + rs.getTimestamp(3) + "|" + rs.getString(4)),
                instance);
        return out;
    }

    @EachDatabase
    void newChangedGoneAndRevivedRecords(String database) {
        try (CacheRoutes repo = CacheRoutes.start(database)) {
            Store store = repo.store();
            Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            var first = run(repo, 0, List.of(student(1, "D'Arc", "h1"), student(2, "Nguyễn", "h2")), t0);
            assertEquals(new CacheRepository.KindCounts(2, 2, 0, 0), first.get(CacheKind.STUDENTS));

            // Unchanged second run: nothing rewritten, not even a timestamp.
            List<String> before = changedAt(store, 0);
            var same = run(repo, 0, List.of(student(1, "D'Arc", "h1"), student(2, "Nguyễn", "h2")), t0.plusSeconds(60));
            assertEquals(new CacheRepository.KindCounts(2, 0, 0, 0), same.get(CacheKind.STUDENTS));
            assertEquals(before, changedAt(store, 0));

            // Student 1 renamed, student 2 gone.
            Instant t2 = t0.plusSeconds(120);
            var changed = run(repo, 0, List.of(student(1, "Darc", "h1b")), t2);
            assertEquals(new CacheRepository.KindCounts(1, 0, 1, 1), changed.get(CacheKind.STUDENTS));
            List<String> after = changedAt(store, 0);
            assertEquals("1|" + Timestamp.from(t2) + "|null|Darc", after.get(0));
            assertEquals("2|" + Timestamp.from(t0) + "|" + Timestamp.from(t2) + "|Nguyễn", after.get(1));

            // Student 2 comes back: revived (counted as changed), gone_at cleared.
            var back = run(repo, 0, List.of(student(1, "Darc", "h1b"), student(2, "Nguyễn", "h2")), t0.plusSeconds(180));
            assertEquals(new CacheRepository.KindCounts(2, 0, 1, 0), back.get(CacheKind.STUDENTS));
            assertEquals("null", changedAt(store, 0).get(1).split("\\|")[2], "gone_at cleared on return");
        }
    }

    @EachDatabase
    void onlyNewChangedReturningAndGoneRowsTouchTheStore(String database) {
        try (CacheRoutes repo = CacheRoutes.start(database)) {
            Store store = repo.store();
            Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            run(repo, 0, List.of(student(1, "A", "h1"), student(2, "B", "h2"), student(3, "C", "h3")), t0);

            // 1 unchanged, 2 changed, 3 gone, 4 new: two records staged and one gone mark, nothing for 1
            String r2 = UUID.randomUUID().toString();
            Instant t1 = t0.plusSeconds(60);
            var counts = repo.run(r2, 0, List.of(student(1, "A", "h1"), student(2, "B2", "h2b"), student(4, "D", "h4")),
                    STUDENTS, t1, true);
            assertEquals(new CacheRepository.KindCounts(3, 1, 1, 1), counts.get(CacheKind.STUDENTS));
            assertEquals(List.of("2|false", "3|true", "4|false"), staged(store, r2));
            repo.discard(r2);
            assertEquals(List.of("1|" + Timestamp.from(t0) + "|null|A", "2|" + Timestamp.from(t1) + "|null|B2",
                    "3|" + Timestamp.from(t0) + "|" + Timestamp.from(t1) + "|C", "4|" + Timestamp.from(t1) + "|null|D"),
                    changedAt(store, 0));
            assertEquals(List.of(3, 1, 1, 1, 3), cacheCount(store, 0));
            assertEquals(Map.of(CacheKind.STUDENTS, 3), store.cache().acceptedCounts(0));

            // 3 returns unchanged: revived (changed), the others untouched; then a run with nothing to do
            Instant t2 = t0.plusSeconds(120);
            var back = run(repo, 0, List.of(student(1, "A", "h1"), student(2, "B2", "h2b"), student(3, "C", "h3"),
                    student(4, "D", "h4")), t2);
            assertEquals(new CacheRepository.KindCounts(4, 0, 1, 0), back.get(CacheKind.STUDENTS));
            assertEquals("3|" + Timestamp.from(t2) + "|null|C", changedAt(store, 0).get(2));
            List<String> before = changedAt(store, 0);
            String r4 = UUID.randomUUID().toString();
            var same = repo.run(r4, 0, List.of(student(1, "A", "h1"), student(2, "B2", "h2b"), student(3, "C", "h3"),
                    student(4, "D", "h4")), STUDENTS, t0.plusSeconds(180), true);
            assertEquals(new CacheRepository.KindCounts(4, 0, 0, 0), same.get(CacheKind.STUDENTS));
            assertEquals(List.of(), staged(store, r4), "an unchanged run stages nothing");
            assertEquals(before, changedAt(store, 0));
            assertEquals(List.of(4, 0, 0, 0, 4), cacheCount(store, 0));
        }
    }

    private static List<String> staged(Store store, String runId) {
        List<String> out = new ArrayList<>();
        Jdbc.query(store.dataSource(), "SELECT record_key, gone FROM cache_staging WHERE run_id = ? ORDER BY record_key",
                rs -> out.add(rs.getString(1) + "|" + rs.getBoolean(2)), runId);
        return out;
    }

    private static List<Integer> cacheCount(Store store, int instance) {
        List<Integer> out = new ArrayList<>();
        Jdbc.query(store.dataSource(), "SELECT read_count, new_count, changed_count, gone_count, accepted_count"
                + " FROM cache_count WHERE instance_index = ? AND kind = 'STUDENTS'", rs -> {
                    for (int i = 1; i <= 5; i++) {
                        out.add(rs.getInt(i));
                    }
                }, instance);
        return out;
    }

    @EachDatabase
    void twoInstancesWithTheSameCodesStayApart(String database) {
        try (CacheRoutes repo = CacheRoutes.start(database)) {
            Store store = repo.store();
            Instant t0 = Instant.now();
            run(repo, 0, List.of(student(1, "Instance zero", "a")), t0);
            run(repo, 1, List.of(student(1, "Instance one", "b")), t0);
            // Instance 1 loses its student: instance 0's namesake is untouched.
            var counts = run(repo, 1, List.of(), t0.plusSeconds(1));
            assertEquals(1, counts.get(CacheKind.STUDENTS).gone());
            assertEquals("null", changedAt(store, 0).get(0).split("\\|")[2]);
            assertEquals("Instance zero", changedAt(store, 0).get(0).split("\\|")[3]);
            assertNotNull(changedAt(store, 1).get(0).split("\\|")[2]);
        }
    }

    @EachDatabase
    void dryRunCountsButWritesNothing(String database) {
        try (CacheRoutes repo = CacheRoutes.start(database)) {
            Store store = repo.store();
            String runId = UUID.randomUUID().toString();
            var counts = repo.run(runId, 0, List.of(student(7, "Müller", "x")), STUDENTS, Instant.now(), false);
            assertEquals(1, counts.get(CacheKind.STUDENTS).created());
            assertEquals(List.of(), changedAt(store, 0));
            assertEquals(Map.of(), store.cache().acceptedCounts(0));
        }
    }

    @EachDatabase
    void stagedRowsAreCountedPerKind(String database) {
        try (CacheRoutes repo = CacheRoutes.start(database)) {
            String runId = UUID.randomUUID().toString();
            repo.stage(runId, List.of(student(1, "A", "a"), student(2, "B", "b"), group(CacheKind.FC_GROUPS, 3)));
            assertEquals(2, repo.store().cache().stagedCounts(runId).get(CacheKind.STUDENTS));
            assertEquals(1, repo.store().cache().stagedCounts(runId).get(CacheKind.FC_GROUPS));
        }
    }

    @EachDatabase
    void groupFamiliesShareATableButNotTheirGoneMarks(String database) {
        try (CacheRoutes repo = CacheRoutes.start(database)) {
            Store store = repo.store();
            Instant t0 = Instant.now();
            repo.run(UUID.randomUUID().toString(), 0, List.of(group(CacheKind.DIPLOMA_GROUPS, 846000),
                    group(CacheKind.FC_GROUPS, 846000)), EnumSet.of(CacheKind.DIPLOMA_GROUPS, CacheKind.FC_GROUPS), t0, true);
            var counts = repo.run(UUID.randomUUID().toString(), 0, List.of(group(CacheKind.DIPLOMA_GROUPS, 846000)),
                    EnumSet.of(CacheKind.DIPLOMA_GROUPS, CacheKind.FC_GROUPS), t0, true);
            assertEquals(0, counts.get(CacheKind.DIPLOMA_GROUPS).gone());
            assertEquals(1, counts.get(CacheKind.FC_GROUPS).gone());
        }
    }

    private static StagedRecord group(CacheKind kind, int code) {
        return new StagedRecord(kind, String.valueOf(code), "g", Arrays.asList(code, "BTS MCO 1", "G1", 10, 16, 100,
                LocalDate.of(2026, 9, 1), LocalDate.of(2027, 6, 30)));
    }
}
