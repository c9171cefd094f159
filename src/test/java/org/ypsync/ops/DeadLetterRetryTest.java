package org.ypsync.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ypsync.store.DeadLetterRepository;
import org.ypsync.store.DeadLetterRepository.DeadLetter;
import org.ypsync.store.EachDatabase;
import org.ypsync.store.Store;
import org.ypsync.store.TestDatabases;

/**
 * Dead letters across runs, on H2 and PostgreSQL, written by the store-write routes as a run writes them: counted per
 * record, removed once the record succeeds.
 */
class DeadLetterRetryTest {

    @EachDatabase
    void aRecordThatFailsAgainIsCountedAndOneThatSucceedsLeaves(String db) {
        try (Store store = TestDatabases.open(db); StoreWrites writes = StoreWrites.on(store)) {
            DeadLetterRepository dl = store.deadLetters();
            writes.deadLetter("users", 0, "student:1", "no e-mail", "rejected", null, "run-1");
            writes.deadLetter("users", 0, "student:2", "e-mail taken", "rejected", null, "run-1");
            writes.deadLetter("users", null, null, "odd failure", null, null, "run-1");
            writes.deadLetter("tutors", 0, "tutor:9", "no e-mail", "rejected", null, "run-t");

            // run 2: student 1 fails again with another reason; student 2 and the keyless one succeed
            writes.deadLetter("users", 0, "student:1", "invalid e-mail", "rejected", null, "run-2");
            assertEquals(2, writes.clearResolved("users", "run-2"));

            List<DeadLetter> users = dl.list("users");
            assertEquals(1, users.size());
            DeadLetter one = users.get(0);
            assertEquals("student:1", one.recordKey());
            assertEquals("invalid e-mail", one.reason());
            assertEquals(2, one.attempts());
            assertTrue(!one.lastFailedAt().isBefore(one.createdAt()));
            assertEquals(1, dl.count("tutors"), "another stage's dead letters are not touched");
        }
    }

    @EachDatabase
    void twoFailuresWithOneKeyInOneRunAreTwoRows(String db) {
        try (Store store = TestDatabases.open(db); StoreWrites writes = StoreWrites.on(store)) {
            DeadLetterRepository dl = store.deadLetters();
            writes.deadLetter("cache", 0, "utilisateur/apprenants", "malformed record A", "malformed", "{a}", "run-1");
            writes.deadLetter("cache", 0, "utilisateur/apprenants", "malformed record B", "malformed", "{b}", "run-1");
            assertEquals(2, dl.count("cache"));
            // next run: both fail again; each earlier row is taken once, attempts 2 each
            writes.deadLetter("cache", 0, "utilisateur/apprenants", "malformed record A", "malformed", "{a}", "run-2");
            writes.deadLetter("cache", 0, "utilisateur/apprenants", "malformed record B", "malformed", "{b}", "run-2");
            assertEquals(0, writes.clearResolved("cache", "run-2"));
            assertEquals(List.of(2, 2), dl.list("cache").stream().map(DeadLetter::attempts).toList());
            // same key on another instance is another record
            writes.deadLetter("cache", 1, "utilisateur/apprenants", "malformed", "malformed", null, "run-2");
            assertEquals(3, dl.count("cache"));
        }
    }
}
