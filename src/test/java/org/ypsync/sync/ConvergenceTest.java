package org.ypsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Randomized convergence: seeded scenarios, rounds of random changes to the NetYpareo data (arrivals, leavers,
 * returners, renames, e-mail changes, shared family e-mails, broken e-mails, site moves and renames, the same login
 * in another instance) and random hand edits in Moodle. Each round the plans are executed against {@link FakeMoodle}
 * with links kept by this test, until a pass writes nothing. Then the fake must equal the state an independent model
 * computes from the NetYpareo data, and the last pass (a re-plan right after) must be empty.
 */
class ConvergenceTest {
    static final int SCENARIOS = 150;
    static final int ROUNDS = 10;

    @TestFactory
    Stream<DynamicTest> randomScenariosConverge() {
        return IntStream.range(0, SCENARIOS).mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed,
                () -> new Scenario(seed).run()));
    }

    @Test
    void scenariosReallyExerciseEveryPath() {
        Stats total = new Stats();
        for (int seed = 0; seed < 40; seed++) {
            Scenario s = new Scenario(seed);
            s.run();
            total.add(s.stats);
        }
        assertTrue(total.creates > 100, "creates " + total.creates);
        assertTrue(total.adoptions > 5, "adoptions " + total.adoptions);
        assertTrue(total.updates > 50, "updates " + total.updates);
        assertTrue(total.suspensions > 20, "suspensions " + total.suspensions);
        assertTrue(total.revivals > 5, "revivals " + total.revivals);
        assertTrue(total.rejections > 10, "rejections " + total.rejections);
        assertTrue(total.driftRepairs > 5, "drift " + total.driftRepairs);
        assertTrue(total.memberAdds > 100 && total.memberRemoves > 10, "members " + total.memberAdds + "/"
                + total.memberRemoves);
        assertTrue(total.cohortUpdates > 5, "cohort updates " + total.cohortUpdates);
        assertTrue(total.deferred > 0, "some conflicts should only resolve on a second pass");
        assertTrue(total.deferred * 5 < ROUNDS * 40, "most rounds converge in one pass: " + total.deferred);
    }

    @Test
    void partialSourceFailureIsHeldBackAndLeavesNoTrace() {
        int tripped = 0;
        for (int seed = 0; seed < 30; seed++) {
            Scenario sc = new Scenario(seed);
            sc.run();
            Map<Long, Boolean> suspendedBefore = new HashMap<>();
            sc.moodle.accounts.values().forEach(a -> suspendedBefore.put(a.id, a.suspended));
            Map<Long, Set<Long>> membersBefore = new HashMap<>();
            sc.moodle.members.forEach((c, m) -> membersBefore.put(c, new TreeSet<>(m)));
            // NetYpareo answers with only some of its people (no changes otherwise)
            List<Person> hidden = sc.people.stream().filter(p -> p.present && sc.rnd.nextInt(3) != 0).toList();
            hidden.forEach(p -> p.present = false);
            sc.force = false;
            sc.pass(true);
            if (!sc.heldBack) {
                continue; // too few people hidden to trip the guard in this scenario
            }
            tripped++;
            sc.moodle.accounts.values().forEach(a -> assertEquals(suspendedBefore.get(a.id), a.suspended,
                    sc.ctx() + ": nothing suspended while the guard holds"));
            membersBefore.forEach((c, m) -> assertTrue(sc.moodle.members.get(c).containsAll(m),
                    sc.ctx() + ": nobody removed from a cohort while the guard holds"));
            // NetYpareo is back: nothing to write
            hidden.forEach(p -> p.present = true);
            assertFalse(sc.pass(true), sc.ctx() + ": recovery must not write anything");
        }
        assertTrue(tripped > 10, "guard tripped in " + tripped + " scenarios");
    }

    static final class Stats {
        int creates, adoptions, updates, suspensions, revivals, rejections, driftRepairs, memberAdds, memberRemoves,
                cohortUpdates, deferred;

        void add(Stats o) {
            creates += o.creates;
            adoptions += o.adoptions;
            updates += o.updates;
            suspensions += o.suspensions;
            revivals += o.revivals;
            rejections += o.rejections;
            driftRepairs += o.driftRepairs;
            memberAdds += o.memberAdds;
            memberRemoves += o.memberRemoves;
            cohortUpdates += o.cohortUpdates;
            deferred += o.deferred;
        }
    }

    /** A NetYpareo person as the world (the test) knows them. loginNorm is what the username must be. */
    static final class Person {
        int inst;
        UserKind kind;
        long id;
        String login;
        String loginNorm;
        String first;
        String last;
        String email;
        boolean emailValid = true;
        boolean present = true;
        boolean active = true;
        String site;

        UserKey key() {
            return new UserKey(inst, kind, Long.toString(id));
        }

        String idnumber() {
            return inst == 0 ? Long.toString(id) : inst + "_" + id;
        }

        boolean wanted() {
            return present && active;
        }
    }

    /** The independent model's view of a managed account. */
    record MAcct(String username, String first, String last, String email, String idnumber, String type,
            boolean suspended) {
    }

    static final class Scenario {
        final long seed;
        final Random rnd;
        final UserSyncSettings s;
        final FakeMoodle moodle;
        final List<Person> people = new ArrayList<>();
        final Map<Integer, Map<String, String>> sites = new TreeMap<>();
        final Map<UserKey, UserLink> userLinks = new HashMap<>();
        final Map<String, CohortLink> cohortLinks = new HashMap<>();
        final Map<String, Long> handMadeByMatchKey = new HashMap<>();
        final Map<Long, MoodleAccount> handMadeSnapshot = new HashMap<>();
        final Map<UserKey, MAcct> model = new HashMap<>();
        final Map<String, Long> modelHandMade = new HashMap<>();
        final Map<UserKey, Long> modelAdoptedId = new HashMap<>();
        final Set<UserKey> modelBlocked = new HashSet<>();
        final Map<String, Integer> idCounter = new HashMap<>();
        final Stats stats = new Stats();
        /** --force; when false, a tripped suspension guard also holds back membership removals (the glue's rule). */
        boolean force = true;
        boolean heldBack;
        final int instances;
        int fresh;
        UserPlan lastPlan;

        Scenario(long seed) {
            this.seed = seed;
            this.rnd = new Random(seed);
            MatchMode mode = seed % 2 == 0 ? MatchMode.USERNAME : MatchMode.IDNUMBER;
            // the user type field may be off only in username mode (idnumber mode needs it to tell sequences apart)
            String typeField = mode == MatchMode.USERNAME && rnd.nextInt(4) == 0 ? null : "netypareo_usertype";
            s = new UserSyncSettings(mode, rnd.nextInt(3) == 0 ? "cas" : "manual", rnd.nextBoolean(), typeField,
                    rnd.nextInt(3) == 0, 0.10);
            moodle = new FakeMoodle(s.allowSharedEmail(), typeField);
            instances = 2 + rnd.nextInt(2);
        }

        String ctx() {
            return "seed " + seed + " (" + s + ")";
        }

        void run() {
            for (int i = 0; i < instances; i++) {
                Map<String, String> m = new LinkedHashMap<>();
                int n = 1 + rnd.nextInt(3);
                for (int k = 1; k <= n; k++) {
                    m.put("S" + k, "Site " + i + "." + k);
                }
                sites.put(i, m);
                int persons = 6 + rnd.nextInt(14);
                for (int p = 0; p < persons; p++) {
                    arrive(i, null);
                }
            }
            seedHandMadeAccounts();
            converge(0);
            for (int round = 1; round <= ROUNDS; round++) {
                int changes = rnd.nextInt(7);
                for (int c = 0; c < changes; c++) {
                    mutate();
                }
                handEdits();
                converge(round);
            }
        }

        // ---------------------------------------------------------------- the world changes
        Person arrive(int inst, Person sharingLogin) {
            Person p = new Person();
            p.inst = inst;
            int r = rnd.nextInt(10);
            p.kind = r < 7 ? UserKind.STUDENT : r < 9 ? UserKind.TEACHER : UserKind.TUTOR;
            // separate code sequences per kind: a student and a teacher may share a code
            p.id = idCounter.merge(inst + "/" + p.kind, 1, Integer::sum) + 1000L;
            if (sharingLogin != null) {
                p.login = sharingLogin.login;
                p.loginNorm = sharingLogin.loginNorm;
            } else {
                newLogin(p);
            }
            p.first = pick(List.of("Jean", "Léa", "Zoé", "Éric", "Chloé", "Noah", "Inès"));
            p.last = pick(List.of("Dupont", "Martin", "Lefèvre", "N'Guyen", "Da Silva", "Müller"));
            p.email = "e" + (fresh++) + "@example.org";
            p.site = pick(new ArrayList<>(sites.get(inst).keySet()));
            p.active = rnd.nextInt(12) != 0;
            people.add(p);
            return p;
        }

        void newLogin(Person p) {
            String base = p.kind.value().charAt(0) + "" + p.inst + "x" + (fresh++);
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    p.login = base.toUpperCase(Locale.ROOT);
                    p.loginNorm = base;
                }
                case 1 -> {
                    p.login = "Élève." + base;
                    p.loginNorm = "eleve." + base;
                }
                case 2 -> {
                    p.login = "  " + base + " (cfa)";
                    p.loginNorm = base + "cfa";
                }
                default -> {
                    p.login = base;
                    p.loginNorm = base;
                }
            }
        }

        void mutate() {
            List<Person> present = people.stream().filter(p -> p.present).toList();
            List<Person> wanted = people.stream().filter(Person::wanted).toList();
            List<Person> away = people.stream().filter(p -> !p.wanted()).toList();
            switch (rnd.nextInt(13)) {
                case 0, 1 -> arrive(rnd.nextInt(instances), null);
                case 2 -> { // leaver: deactivated or gone from the list
                    if (!wanted.isEmpty()) {
                        Person p = pick(wanted);
                        if (rnd.nextBoolean()) {
                            p.active = false;
                        } else {
                            p.present = false;
                        }
                    }
                }
                case 3 -> { // returner
                    if (!away.isEmpty()) {
                        Person p = pick(away);
                        p.present = true;
                        p.active = true;
                    }
                }
                case 4 -> { // rename
                    if (!present.isEmpty()) {
                        Person p = pick(present);
                        p.last = p.last + "-" + pick(List.of("Durand", "Petit", "Hébert"));
                        if (rnd.nextBoolean()) {
                            p.first = pick(List.of("Anaïs", "Hugo", "Maëlle"));
                        }
                    }
                }
                case 5 -> { // login change (to a fresh login)
                    if (!present.isEmpty()) {
                        newLogin(pick(present));
                    }
                }
                case 6 -> { // e-mail change, sometimes only its case
                    if (!present.isEmpty()) {
                        Person p = pick(present);
                        p.email = rnd.nextBoolean() && p.emailValid && !p.email.isEmpty()
                                ? Character.toUpperCase(p.email.charAt(0)) + p.email.substring(1)
                                : "e" + (fresh++) + "@example.org";
                        p.emailValid = true;
                    }
                }
                case 7 -> { // family e-mail shared with someone else
                    if (present.size() > 1) {
                        Person p = pick(present);
                        Person q = pick(present);
                        if (p != q && q.emailValid) {
                            p.email = q.email;
                            p.emailValid = true;
                        }
                    }
                }
                case 8 -> { // broken e-mail in NetYpareo
                    if (!present.isEmpty()) {
                        Person p = pick(present);
                        p.email = rnd.nextBoolean() ? "" : "broken" + (fresh++) + "@";
                        p.emailValid = false;
                    }
                }
                case 9 -> { // site move within the instance
                    if (!present.isEmpty()) {
                        Person p = pick(present);
                        p.site = pick(new ArrayList<>(sites.get(p.inst).keySet()));
                    }
                }
                case 10 -> { // site renamed or opened
                    int inst = rnd.nextInt(instances);
                    Map<String, String> m = sites.get(inst);
                    if (rnd.nextBoolean()) {
                        String k = pick(new ArrayList<>(m.keySet()));
                        m.put(k, m.get(k) + " (renamed " + (fresh++) + ")");
                    } else {
                        m.put("S" + (m.size() + 1), "Site " + inst + "." + (m.size() + 1));
                    }
                }
                default -> { // the same login arrives in another instance (or as another kind)
                    if (!people.isEmpty()) {
                        Person q = pick(people);
                        arrive(rnd.nextInt(instances), q);
                    }
                }
            }
        }

        void seedHandMadeAccounts() {
            for (Person p : people) {
                if (rnd.nextInt(5) != 0) {
                    continue;
                }
                String email = "pre" + (fresh++) + "@old.example.org";
                boolean suspended = rnd.nextInt(3) == 0;
                if (s.match() == MatchMode.USERNAME) {
                    if (handMadeByMatchKey.containsKey(p.loginNorm)) {
                        continue;
                    }
                    // mostly untyped; sometimes typed, possibly as another kind (then it is not this person)
                    String type = rnd.nextInt(3) == 0 ? pick(List.of("student", "teacher", "tutor")) : null;
                    long id = moodle.handMade(p.loginNorm, "", p.first.toUpperCase(Locale.ROOT), p.last, email,
                            suspended, type);
                    handMadeByMatchKey.put(p.loginNorm, id);
                } else {
                    String type = rnd.nextBoolean() ? p.kind.value() : null;
                    String mk = (type == null ? "" : type) + "|" + p.idnumber();
                    if (handMadeByMatchKey.containsKey(mk)) {
                        continue;
                    }
                    long id = moodle.handMade("old" + (fresh++), p.idnumber(), p.first, p.last, email, suspended,
                            type);
                    handMadeByMatchKey.put(mk, id);
                }
            }
            // squatters: unmanaged accounts that already use someone's username (idnumber mode: no match) or e-mail
            for (Person p : people) {
                int r = rnd.nextInt(12);
                if (r == 0 && s.match() == MatchMode.IDNUMBER
                        && moodle.accounts.values().stream().noneMatch(a -> a.username.equals(p.loginNorm))) {
                    moodle.handMade(p.loginNorm, "", "S", "Q", "sq" + (fresh++) + "@example.net", false, null);
                } else if (r == 1 && moodle.accounts.values().stream().noneMatch(a -> a.email.equals(p.email))) {
                    moodle.handMade("sq" + (fresh++), "", "S", "Q", p.email, false, null);
                }
            }
            for (int i = 0; i < 3; i++) { // accounts nobody matches
                moodle.handMade("noise" + i, "", "N", "N", "noise" + i + "@example.net", false, null);
            }
            moodle.accounts.values().forEach(a -> handMadeSnapshot.put(a.id, a.view()));
            modelHandMade.putAll(handMadeByMatchKey);
        }

        /** Someone edits Moodle by hand; drift repair must undo it. */
        void handEdits() {
            if (rnd.nextBoolean()) {
                return;
            }
            if (rnd.nextInt(4) == 0 && !moodle.cohorts.isEmpty()) { // a cohort renamed by hand
                MoodleCohort c = pick(new ArrayList<>(moodle.cohorts.values()));
                moodle.cohorts.put(c.id(), new MoodleCohort(c.id(), c.idnumber(), "Hand " + (fresh++),
                        c.description()));
            }
            List<UserLink> ls = new ArrayList<>(userLinks.values());
            ls.sort(Comparator.comparing(UserLink::key));
            if (ls.isEmpty()) {
                return;
            }
            Map<UserKey, Person> byKey = personsByKey();
            for (int i = 0; i < 1 + rnd.nextInt(2); i++) {
                UserLink l = pick(ls);
                Person p = byKey.get(l.key());
                FakeMoodle.Account a = moodle.accounts.get(l.moodleId());
                boolean wanted = p != null && p.wanted();
                switch (rnd.nextInt(4)) {
                    case 0 -> {
                        if (wanted) {
                            a.email = "hand" + (fresh++) + "@example.net";
                        }
                    }
                    case 1 -> {
                        if (wanted) {
                            a.firstname = "Edited";
                            a.userType = null;
                        }
                    }
                    case 2 -> {
                        if (wanted && !a.suspended) {
                            a.suspended = true;
                        }
                    }
                    default -> {
                        if (!wanted && a.suspended) {
                            a.suspended = false;
                        }
                    }
                }
            }
        }

        // ---------------------------------------------------------------- the test's glue
        List<DesiredUser> desiredUsers() {
            List<DesiredUser> l = new ArrayList<>();
            for (Person p : people) {
                if (p.present) {
                    l.add(new DesiredUser(p.inst, p.kind, Long.toString(p.id), p.login, p.first, p.last, p.email,
                            p.active, Set.of(Naming.siteCohortIdnumber(p.inst, p.site))));
                }
            }
            return l;
        }

        List<DesiredCohort> desiredCohorts() {
            List<DesiredCohort> l = new ArrayList<>();
            sites.forEach((inst, m) -> m.forEach((abrege, name) -> l.add(
                    new DesiredCohort(Naming.siteCohortIdnumber(inst, abrege), name, "", CohortFamily.SITE))));
            return l;
        }

        /** Runs passes until one writes nothing (that last pass is the re-plan that must be empty). */
        void converge(int round) {
            for (int pass = 1; pass <= 3; pass++) {
                if (!pass(pass == 1)) {
                    if (pass == 3) {
                        stats.deferred++; // a value released in pass 1 was taken in pass 2
                    }
                    checkAgainstModel(round);
                    return;
                }
            }
            fail(ctx() + " round " + round + ": still writing after 3 passes");
        }

        /** One run of every stage; true when it wrote anything (or adopted). */
        boolean pass(boolean first) {
            int before = moodle.writes;
            List<DesiredUser> du = desiredUsers();
            // site cohorts
            CohortPlan cp = CohortPlanner.plan(desiredCohorts(), cohortLinks, moodle.cohortsByIdnumber());
            for (CohortPlan.Create c : cp.creates()) {
                long id = moodle.createCohort(c.cohort());
                cohortLinks.put(c.cohort().idnumber(), new CohortLink(c.cohort().idnumber(), id, c.cohort().written()));
            }
            for (CohortPlan.Adoption a : cp.adoptions()) {
                if (!a.changes().isEmpty()) {
                    moodle.updateCohort(a.moodleId(), a.cohort());
                }
                cohortLinks.put(a.cohort().idnumber(), new CohortLink(a.cohort().idnumber(), a.moodleId(),
                        a.cohort().written()));
            }
            for (CohortPlan.Update u : cp.updates()) {
                moodle.updateCohort(u.moodleId(), u.cohort());
                cohortLinks.put(u.cohort().idnumber(), new CohortLink(u.cohort().idnumber(), u.moodleId(),
                        u.cohort().written()));
                stats.cohortUpdates++;
            }
            assertTrue(cp.rejections().isEmpty() && cp.left().isEmpty(), ctx());
            CohortPlan cd = CohortPlanner.drift(desiredCohorts(), cohortLinks, moodle.cohorts);
            assertTrue(cd.rejections().isEmpty(), ctx());
            for (CohortPlan.Update u : cd.updates()) {
                moodle.updateCohort(u.moodleId(), u.cohort());
                stats.driftRepairs++;
            }

            // users
            UserPlan up = UserPlanner.plan(du, userLinks, UserPlanner.indexByMatchKey(moodle.accountViews(),
                    s.match()), moodle.accountViews(), s, rnd);
            lastPlan = up;
            for (UserPlan.Create c : up.creates()) {
                long id = moodle.createUser(c.moodleUser());
                assertNull(userLinks.put(c.key(), new UserLink(c.key(), id, c.written(), false)));
            }
            for (UserPlan.Adoption a : up.adoptions()) {
                a.moodleUpdate().ifPresent(moodle::updateUser);
                assertNull(userLinks.put(a.key(), new UserLink(a.key(), a.moodleId(), a.written(), false)));
                moodle.writes++; // recording a link is a change of state too
            }
            for (UserPlan.Update u : up.updates()) {
                moodle.updateUser(u.moodleUpdate());
                UserLink l = userLinks.get(u.key());
                Map<String, String> w = new HashMap<>(l.written());
                w.putAll(u.after());
                userLinks.put(u.key(), new UserLink(u.key(), l.moodleId(), w, l.suspendedByUs()));
            }
            heldBack = up.suspensionGuard().isPresent() && !force;
            for (UserPlan.Suspension x : up.suspensionsToExecute(force)) {
                moodle.setSuspended(x.moodleId(), true);
                UserLink l = userLinks.get(x.key());
                userLinks.put(x.key(), new UserLink(x.key(), l.moodleId(), l.written(), true));
            }
            for (UserPlan.Revival r : up.revivals()) {
                moodle.setSuspended(r.moodleId(), false);
                UserLink l = userLinks.get(r.key());
                userLinks.put(r.key(), new UserLink(r.key(), l.moodleId(), l.written(), false));
            }
            stats.creates += up.creates().size();
            stats.adoptions += up.adoptions().size();
            stats.updates += up.updates().size();
            stats.suspensions += up.suspensions().size();
            stats.revivals += up.revivals().size();
            if (first) {
                stats.rejections += up.rejections().size();
            }
            // the dry-run text and log lines must render any plan
            assertFalse(PlanText.render("Users", up, false).isEmpty());
            assertFalse(SyncLog.lines(up).isEmpty());

            // drift repair of hand edits
            Map<Long, MoodleAccount> byId = new HashMap<>();
            moodle.accountViews().forEach(a -> byId.put(a.id(), a));
            UserPlan dp = UserPlanner.drift(du, userLinks, byId, s);
            assertTrue(dp.missingAccounts().isEmpty(), ctx());
            for (UserPlan.Update u : dp.updates()) {
                moodle.updateUser(u.moodleUpdate());
            }
            for (UserPlan.Revival r : dp.revivals()) {
                moodle.setSuspended(r.moodleId(), false);
            }
            for (UserPlan.Suspension x : dp.suspensionsToExecute(force)) {
                moodle.setSuspended(x.moodleId(), true);
            }
            stats.driftRepairs += dp.updates().size() + dp.revivals().size() + dp.suspensions().size();

            // site cohort members
            Map<Long, UserKey> keyOfId = new HashMap<>();
            Map<UserKey, Long> idOfKey = new HashMap<>();
            userLinks.values().forEach(l -> {
                keyOfId.put(l.moodleId(), l.key());
                idOfKey.put(l.key(), l.moodleId());
            });
            Map<String, Set<UserKey>> desired = MembershipPlanner.desiredSiteMembers(
                    desiredCohorts().stream().map(DesiredCohort::idnumber).toList(), du, false);
            Map<String, Set<UserKey>> current = new HashMap<>();
            for (String c : desired.keySet()) {
                Set<UserKey> set = new HashSet<>();
                moodle.members.get(cohortLinks.get(c).moodleId()).forEach(uid -> {
                    UserKey k = keyOfId.get(uid);
                    if (k != null) {
                        set.add(k);
                    }
                });
                current.put(c, set);
            }
            MembershipPlan mp = MembershipPlanner.plan(desired, current, idOfKey);
            for (MembershipPlan.Member m : mp.adds()) {
                moodle.addMember(cohortLinks.get(m.cohortIdnumber()).moodleId(), m.moodleUserId());
            }
            for (MembershipPlan.Member m : heldBack ? List.<MembershipPlan.Member>of() : mp.removalsToExecute(force)) {
                moodle.removeMember(cohortLinks.get(m.cohortIdnumber()).moodleId(), m.moodleUserId());
            }
            stats.memberAdds += mp.adds().size();
            stats.memberRemoves += mp.removes().size();
            return moodle.writes != before;
        }

        // ---------------------------------------------------------------- the independent model
        Map<UserKey, Person> personsByKey() {
            Map<UserKey, Person> m = new HashMap<>();
            people.forEach(p -> m.put(p.key(), p));
            return m;
        }

        /**
         * The rules, restated simply: every account keeps its username and e-mail; a wanted person gets (or keeps
         * updating) an account unless its username or e-mail (when e-mails must be unique) is held by another
         * person's account at the start of the run or was claimed earlier in the run (people with an account first,
         * then by instance, kind, code); leavers are suspended. Repeated until nothing changes.
         */
        void runModel() {
            Map<String, Long> handMade = modelHandMade;
            Comparator<Person> order = Comparator.comparingInt((Person p) -> p.inst)
                    .thenComparingInt(p -> p.kind.ordinal()).thenComparingLong(p -> p.id);
            boolean changed = true;
            while (changed) {
                changed = false;
                modelBlocked.clear();
                Map<String, UserKey> heldU = new HashMap<>();
                Map<String, UserKey> heldE = new HashMap<>();
                model.forEach((k, a) -> {
                    heldU.put(a.username(), k);
                    heldE.put(a.email().toLowerCase(Locale.ROOT), k);
                });
                Map<String, Long> unmanagedU = new HashMap<>();
                Map<String, Long> unmanagedE = new HashMap<>();
                handMadeSnapshot.values().stream().filter(a -> !modelAdoptedId.containsValue(a.id())).forEach(a -> {
                    unmanagedU.put(a.username(), a.id());
                    unmanagedE.put(a.email().toLowerCase(Locale.ROOT), a.id());
                });
                Map<String, UserKey> claimedU = new HashMap<>();
                Map<String, UserKey> claimedE = new HashMap<>();
                Set<Long> adoptedThisRun = new HashSet<>();
                List<Person> sorted = new ArrayList<>(people);
                sorted.sort(Comparator.comparing((Person p) -> !model.containsKey(p.key())).thenComparing(order));
                for (Person p : sorted) {
                    UserKey k = p.key();
                    MAcct a = model.get(k);
                    if (!p.wanted()) {
                        if (a != null && !a.suspended()) {
                            model.put(k, new MAcct(a.username(), a.first(), a.last(), a.email(), a.idnumber(),
                                    a.type(), true));
                            changed = true;
                        }
                        continue;
                    }
                    if (!p.emailValid) {
                        modelBlocked.add(k);
                        continue;
                    }
                    String e = p.email.toLowerCase(Locale.ROOT);
                    boolean blocked = other(heldU.get(p.loginNorm), k) || other(claimedU.get(p.loginNorm), k)
                            || (!s.allowSharedEmail() && (other(heldE.get(e), k) || other(claimedE.get(e), k)));
                    Long handMadeId = null;
                    if (a == null && !blocked) {
                        String mk = s.match() == MatchMode.USERNAME ? p.loginNorm : p.kind.value() + "|" + p.idnumber();
                        handMadeId = handMade.get(mk);
                        if (handMadeId == null && s.match() == MatchMode.IDNUMBER) {
                            handMadeId = handMade.get("|" + p.idnumber());
                        }
                        if (handMadeId != null && adoptedThisRun.contains(handMadeId)) {
                            blocked = true;
                        }
                    }
                    // an unmanaged account holds the username or e-mail (unless it is the one being adopted)
                    if (handMadeId != null && s.userTypeField() != null) {
                        String type = handMadeSnapshot.get(handMadeId).userType();
                        if (type != null && !type.equals(p.kind.value())) {
                            blocked = true; // typed as another kind: never merged
                        }
                    }
                    Long cand = handMadeId;
                    Long uOwner = unmanagedU.get(p.loginNorm);
                    Long eOwner = unmanagedE.get(e);
                    if ((uOwner != null && !uOwner.equals(cand))
                            || (!s.allowSharedEmail() && eOwner != null && !eOwner.equals(cand))) {
                        blocked = true;
                    }
                    if (blocked) {
                        modelBlocked.add(k);
                        continue;
                    }
                    claimedU.put(p.loginNorm, k);
                    claimedE.put(e, k);
                    if (handMadeId != null) {
                        adoptedThisRun.add(handMadeId);
                        handMade.values().remove(handMadeId);
                        modelAdoptedId.put(k, handMadeId);
                    }
                    MAcct want = new MAcct(p.loginNorm, p.first, p.last, p.email, p.idnumber(),
                            s.userTypeField() == null ? null : p.kind.value(), false);
                    if (!want.equals(a)) {
                        model.put(k, want);
                        changed = true;
                    }
                }
            }
        }

        static boolean other(UserKey holder, UserKey self) {
            return holder != null && !holder.equals(self);
        }

        void checkAgainstModel(int round) {
            runModel();
            String where = ctx() + " round " + round;
            Map<UserKey, Person> byKey = personsByKey();
            assertEquals(new TreeSet<>(model.keySet()), new TreeSet<>(userLinks.keySet()),
                    where + ": who has an account");
            Set<Long> linkedIds = new HashSet<>();
            for (Map.Entry<UserKey, MAcct> e : model.entrySet()) {
                UserLink l = userLinks.get(e.getKey());
                assertTrue(linkedIds.add(l.moodleId()), where + ": one account per person");
                Long adoptedId = modelAdoptedId.get(e.getKey());
                if (adoptedId != null) {
                    assertEquals(adoptedId, l.moodleId(), where + " " + e.getKey() + " adopted the wrong account");
                } else {
                    assertFalse(handMadeSnapshot.containsKey(l.moodleId()), where + " " + e.getKey()
                            + " took a hand-made account the model did not expect");
                }
                FakeMoodle.Account a = moodle.accounts.get(l.moodleId());
                assertNotNull(a, where);
                MAcct m = e.getValue();
                String who = where + " " + e.getKey();
                assertEquals(m.username(), a.username, who);
                assertEquals(m.first(), a.firstname, who);
                assertEquals(m.last(), a.lastname, who);
                assertEquals(m.email(), a.email, who);
                assertEquals(m.idnumber(), a.idnumber, who);
                assertEquals(s.auth(), a.auth, who);
                if (s.userTypeField() != null) {
                    assertEquals(m.type(), a.userType, who);
                }
                assertEquals(m.suspended(), a.suspended, who + " suspended");
                assertEquals(m.suspended(), l.suspendedByUs(), who + " link flag");
            }
            // accounts ypsync does not manage are untouched, and nothing was ever deleted
            for (FakeMoodle.Account a : moodle.accounts.values()) {
                if (!linkedIds.contains(a.id)) {
                    assertEquals(handMadeSnapshot.get(a.id), a.view(), where + ": unmanaged account touched");
                }
            }
            assertTrue(moodle.accounts.keySet().containsAll(handMadeSnapshot.keySet()), where);
            // the re-plan right after is empty, and rejects exactly the blocked people
            assertTrue(lastPlan.hasNoWrites() && lastPlan.adoptions().isEmpty(), where + ": " + lastPlan);
            assertEquals(new TreeSet<>(modelBlocked), new TreeSet<>(lastPlan.rejections().stream()
                    .map(UserPlan.Rejection::key).toList()), where + ": rejected people");
            // cohorts: one per site with its current name, and members are the wanted people who have an account
            Map<String, MoodleCohort> cohorts = moodle.cohortsByIdnumber();
            List<DesiredCohort> dc = desiredCohorts();
            assertEquals(dc.size(), moodle.cohorts.size(), where);
            for (DesiredCohort c : dc) {
                MoodleCohort mc = cohorts.get(c.idnumber());
                assertNotNull(mc, where + " " + c.idnumber());
                assertEquals(c.name(), mc.name(), where);
                Set<Long> expected = new TreeSet<>();
                for (Person p : people) {
                    if (p.wanted() && model.containsKey(p.key())
                            && Naming.siteCohortIdnumber(p.inst, p.site).equals(c.idnumber())) {
                        expected.add(userLinks.get(p.key()).moodleId());
                    }
                }
                assertEquals(expected, moodle.members.get(mc.id()), where + " members of " + c.idnumber());
            }
            assertTrue(byKey.size() == people.size(), where + ": person keys are unique");
        }

        <T> T pick(List<T> l) {
            return l.get(rnd.nextInt(l.size()));
        }
    }
}
