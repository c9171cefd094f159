package org.ypsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ypsync.sync.FieldKeeping.FieldState;

class FieldKeepingTest {
    static final String TYPE = UserFields.custom("netypareo_usertype");
    static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    final DesiredUser jean = UserPlannerTest.student("6106273", "apprenant10007", "Jean", "Dupont",
            "Jean.Dupont@Example.fr");
    final UserLink jeanLink = UserPlannerTest.linkFor(jean, 14, UserPlannerTest.S, false);

    static Map<String, String> map(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void whatMoodleReadsBackDifferentlyIsNotKeptAndAFieldItHidesIsUnknown() {
        Map<String, String> sent = map("email", "Jean.Dupont@Example.fr", "lastname", "Dupont", TYPE, "student",
                "username", "apprenant10007");
        // the profile field read back as nothing, the e-mail lower-cased, the username hidden from this user
        Map<String, String> back = map("email", "jean.dupont@example.fr", "lastname", "Dupont", TYPE, null);
        assertEquals(map("email", "jean.dupont@example.fr", TYPE, null), FieldKeeping.notKept(sent, back));
        assertEquals(Map.of(), FieldKeeping.notKept(sent, map("email", "Jean.Dupont@Example.fr", TYPE, "student")));
    }

    @Test
    void heldValuesFollowTheLastReadBack() {
        Map<String, String> before = map("email", "jean.dupont@example.fr", TYPE, null);
        // the e-mail was written again and now sticks; the profile field was not written this time
        assertEquals(map(TYPE, null), FieldKeeping.held(before, List.of("email", "lastname"), Map.of()));
        assertEquals(map("email", "x@y.fr", TYPE, null), FieldKeeping.held(before, List.of("email"),
                map("email", "x@y.fr")));
    }

    @Test
    void aFieldBecomesNotKeptPastTheThresholdOnceAndOnlyARecheckRevivesIt() {
        FieldState fresh = FieldState.fresh(TYPE);
        FieldState two = FieldKeeping.afterReadBack(fresh, 2, 3, T0);
        assertTrue(two.kept());
        assertEquals(2, two.strikes());
        FieldState three = FieldKeeping.afterReadBack(two, 1, 3, T0);
        assertFalse(three.kept());
        assertEquals(T0, three.changedAt());
        assertEquals(T0, three.checkedAt(), "just found out: not tried again at once");
        assertSame(three, FieldKeeping.afterReadBack(three, 0, 3, T0.plusSeconds(5)));
        FieldState more = FieldKeeping.afterReadBack(three, 40, 3, T0.plusSeconds(5));
        assertFalse(more.kept());
        assertEquals(T0, more.changedAt(), "still the time it stopped being kept");

        Duration day = Duration.ofHours(24);
        assertFalse(FieldKeeping.recheckDue(more, day, T0.plus(Duration.ofHours(23))));
        assertTrue(FieldKeeping.recheckDue(more, day, T0.plus(day)));
        assertFalse(FieldKeeping.recheckDue(fresh, day, T0), "a kept field is never rechecked");
        FieldState asked = new FieldState(TYPE, false, 43, T0, null);
        assertTrue(FieldKeeping.recheckDue(asked, day, T0.plusSeconds(1)), "asked for (checked_at cleared)");

        Instant later = T0.plus(Duration.ofHours(30));
        FieldState stillNot = FieldKeeping.afterRecheck(more, false, later);
        assertFalse(stillNot.kept());
        assertEquals(later, stillNot.checkedAt());
        FieldState keptAgain = FieldKeeping.afterRecheck(more, true, later);
        assertTrue(keptAgain.kept());
        assertEquals(0, keptAgain.strikes());
        assertEquals(later, keptAgain.changedAt());
    }

    @Test
    void valuesHeldBeforeAFieldIsKeptAgainAreStaleAndWrittenAgainForTheActiveOnly() {
        UserLink held = jeanLink.withHeld(map(TYPE, null, "email", "jean.dupont@example.fr"), T0);
        Map<String, FieldState> notKept = Map.of(TYPE, new FieldState(TYPE, false, 60, T0, T0));
        assertSame(held, FieldKeeping.current(held, notKept), "not kept: the held value stands");
        assertSame(held, FieldKeeping.current(held, Map.of()), "no state: nothing is stale");

        Instant revived = T0.plusSeconds(3600);
        Map<String, FieldState> kept = Map.of(TYPE, new FieldState(TYPE, true, 0, revived, revived));
        UserLink now = FieldKeeping.current(held, kept);
        assertEquals(map("email", "jean.dupont@example.fr"), now.held(), "the e-mail stays held: still normalised");
        assertEquals("student", now.expected(TYPE));
        // a value held after the field was kept again is Moodle's answer since: not stale
        UserLink heldSince = jeanLink.withHeld(map(TYPE, null), revived.plusSeconds(1));
        assertSame(heldSince, FieldKeeping.current(heldSince, kept));

        Map<UserKey, UserLink> before = Map.of(jean.key(), held);
        Map<UserKey, UserLink> current = Map.of(jean.key(), now);
        List<UserPlan.Update> refills = FieldKeeping.refills(before, current, Set.of(jean.key()));
        assertEquals(1, refills.size());
        assertEquals(Map.of(TYPE, new FieldChange(null, "student")), refills.get(0).changes());
        assertEquals(14, refills.get(0).moodleId());
        assertEquals(List.of(Map.of("type", "netypareo_usertype", "value", "student")),
                refills.get(0).moodleUpdate().get("customfields"));
        assertEquals(List.of(), FieldKeeping.refills(before, current, Set.of()), "a leaver is not written");
        assertEquals(List.of(), FieldKeeping.refills(before, before, Set.of(jean.key())));
    }

    @Test
    void driftComparesMoodleWithWhatItHeldAndLeavesFieldsNotKeptAlone() {
        MoodleAccount asMoodleHasIt = new MoodleAccount(14, "apprenant10007", "6106273", "Jean", "Dupont",
                "jean.dupont@example.fr", "manual", false, null);
        Map<UserKey, UserLink> plain = UserPlannerTest.links(jeanLink);
        // what the previous version did: both fields rewritten on every run
        UserPlan before = UserPlanner.drift(List.of(jean), plain, Map.of(14L, asMoodleHasIt), UserPlannerTest.S);
        assertEquals(Set.of("email", TYPE), before.updates().get(0).changes().keySet());

        UserLink held = jeanLink.withHeld(map(TYPE, null, "email", "jean.dupont@example.fr"), T0);
        UserPlan now = UserPlanner.drift(List.of(jean), UserPlannerTest.links(held), Map.of(14L, asMoodleHasIt),
                UserPlannerTest.S);
        assertEquals(List.of(), now.updates());
        assertEquals(1, now.unchanged());

        // a hand edit of a held field is still repaired, with ypsync's value
        MoodleAccount edited = new MoodleAccount(14, "apprenant10007", "6106273", "Jean", "Dupont",
                "jd@hand.example", "manual", false, null);
        UserPlan repaired = UserPlanner.drift(List.of(jean), UserPlannerTest.links(held), Map.of(14L, edited),
                UserPlannerTest.S);
        assertEquals(Map.of("email", new FieldChange("jd@hand.example", "Jean.Dupont@Example.fr")),
                repaired.updates().get(0).changes());
        // unless the site does not keep that field: then it is left as Moodle has it
        UserPlan left = UserPlanner.drift(List.of(jean), UserPlannerTest.links(held), Map.of(14L, edited),
                UserPlannerTest.S, Set.of("email"));
        assertEquals(List.of(), left.updates());
    }

    @Test
    void theRunSaysPlainlyWhatIsMissing() {
        assertEquals("User profile field 'netypareo_usertype' does not exist in Moodle: create it (Site administration"
                + " > Users > User profile fields) or set sync.users.usertype-field to blank",
                FieldKeeping.notKeptMessage(TYPE, "sync.users.usertype-field", "student", null, true));
        String email = FieldKeeping.notKeptMessage("email", "sync.users.usertype-field", "Jean@X.fr", "jean@x.fr",
                false);
        assertTrue(email.startsWith("Moodle does not keep the email ypsync writes (sent 'Jean@X.fr', Moodle holds "
                + "'jean@x.fr')"), email);
    }

    @Test
    void aLinkKeepsHeldValuesThatAreNull() {
        Map<String, String> held = new HashMap<>();
        held.put(TYPE, null);
        UserLink l = jeanLink.withHeld(held, T0);
        assertTrue(l.held().containsKey(TYPE));
        assertEquals(null, l.expected(TYPE));
        assertEquals("Dupont", l.expected("lastname"));
    }
}
