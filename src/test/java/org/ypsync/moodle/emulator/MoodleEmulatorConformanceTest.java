package org.ypsync.moodle.emulator;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ypsync.moodle.emulator.WsCalls.concat;
import static org.ypsync.moodle.emulator.WsCalls.errorcode;
import static org.ypsync.moodle.emulator.WsCalls.user;

/** Rules from moodle-ws.md that the transcripts do not cover, plus the emulator's own test hooks. */
class MoodleEmulatorConformanceTest {
    private MoodleEmulator emu;
    private WsCalls ws;

    @BeforeEach
    void start() {
        emu = new MoodleEmulator().start();
        ws = new WsCalls(emu);
    }

    @AfterEach
    void stop() {
        emu.stop();
    }

    // ---------------------------------------------------------------- users

    @Test
    void sameEmailIsRefusedCaseInsensitivelyUnlessAllowed() {
        ws.createUser("ann", "A1");
        JsonNode refused = ws.call("core_user_create_users", user(0, "ann2", "A2", "ANN@example.org"));
        assertEquals("invalidparameter", errorcode(refused));

        emu.allowAccountsSameEmail(true);
        JsonNode ok = ws.call("core_user_create_users", user(0, "ann2", "A2", "ANN@example.org"));
        assertEquals("ann2", ok.get(0).get("username").asText());
        // and update_users no longer warns about a shared address
        long id = ok.get(0).get("id").asLong();
        JsonNode upd = ws.call("core_user_update_users", "users[0][id]", String.valueOf(id), "users[0][email]",
                "ann@example.org");
        assertEquals(0, upd.get("warnings").size());
        assertEquals("ann@example.org", emu.user(id).orElseThrow().email());
    }

    @Test
    void createUsersIsAllOrNothingAndConsumesIds() {
        long first = ws.createUser("u1", "X1");
        JsonNode r = ws.call("core_user_create_users", concat(user(0, "u2", "X2", "u2@example.org"),
                user(1, "u3", "X3", "not-an-email")));
        assertEquals("invalidparameter", errorcode(r));
        assertTrue(emu.userByUsername("u2").isEmpty(), "u2 rolled back");
        // u2 took an id from the sequence before the rollback: the next user skips it
        assertEquals(first + 2, ws.createUser("u4", "X4"));
        assertEquals(1, emu.itemsWritten("created") - 1, "only committed rows count");
    }

    @Test
    void updateUsersReportsWarningsPerUserAndAppliesTheRest() {
        long a = ws.createUser("a", "A");
        long b = ws.createUser("b", "B");
        JsonNode r = ws.call("core_user_update_users",
                "users[0][id]", String.valueOf(a), "users[0][firstname]", "Alpha",
                "users[1][id]", "424242", "users[1][firstname]", "Ghost",
                "users[2][id]", String.valueOf(b), "users[2][email]", "A@EXAMPLE.ORG",
                "users[3][id]", "1", "users[3][firstname]", "Guest");
        JsonNode w = r.get("warnings");
        assertEquals(3, w.size(), r.toString());
        assertEquals("invaliduserid", w.get(0).get("warningcode").asText());
        assertEquals(424242, w.get(0).get("itemid").asLong());
        assertEquals("useremailduplicate", w.get(1).get("warningcode").asText());
        assertEquals(b, w.get(1).get("itemid").asLong());
        assertEquals("usernotupdatedguest", w.get(2).get("warningcode").asText());
        assertEquals("Alpha", emu.user(a).orElseThrow().firstname());
        assertEquals("b@example.org", emu.user(b).orElseThrow().email());
        assertEquals(1, emu.itemsWritten("core_user_update_users", "updated"));
    }

    @Test
    void updateUsersValidationErrorFailsTheWholeCall() {
        long a = ws.createUser("a", "A");
        JsonNode r = ws.call("core_user_update_users", "users[0][id]", String.valueOf(a), "users[0][firstname]",
                "Alpha", "users[1][id]", String.valueOf(a), "users[1][username]", "Upper");
        assertEquals("invalidparameter", errorcode(r));
        assertEquals("First", emu.user(a).orElseThrow().firstname());
    }

    @Test
    void getUsersByAuthListsTheManagedPopulation() {
        emu.authPlugin("oidc", false);
        JsonNode created = ws.call("core_user_create_users", "users[0][username]", "sso1", "users[0][auth]", "oidc",
                "users[0][firstname]", "S", "users[0][lastname]", "So", "users[0][email]", "s@example.org");
        assertTrue(created.isArray(), "external auth needs no password: " + created);
        ws.createUser("man1", "M1");
        JsonNode r = ws.call("core_user_get_users", "criteria[0][key]", "auth", "criteria[0][value]", "oidc",
                "criteria[1][key]", "city", "criteria[1][value]", "x");
        assertEquals(1, r.get("users").size());
        assertEquals("sso1", r.get("users").get(0).get("username").asText());
        assertEquals("invalidfieldparameter", r.get("warnings").get(0).get("warningcode").asText());
        JsonNode dup = ws.call("core_user_get_users", "criteria[0][key]", "auth", "criteria[0][value]", "oidc",
                "criteria[1][key]", "auth", "criteria[1][value]", "manual");
        assertEquals("keyalreadyset", errorcode(dup));
    }

    @Test
    void profileFieldsAreStoredOnlyWhenTheyExist() {
        emu.profileField("netypareo_usertype", "NetYpareo user type");
        JsonNode r = ws.call("core_user_create_users", concat(user(0, "p1", "P1", "p1@example.org"),
                new String[]{"users[0][customfields][0][type]", "netypareo_usertype",
                        "users[0][customfields][0][value]", "apprenant",
                        "users[0][customfields][1][type]", "nosuch", "users[0][customfields][1][value]", "x"}));
        long id = r.get(0).get("id").asLong();
        assertEquals(Map.of("netypareo_usertype", "apprenant"), emu.user(id).orElseThrow().customfields());
        JsonNode u = ws.call("core_user_get_users_by_field", "field", "id", "values[0]", String.valueOf(id)).get(0);
        JsonNode cf = u.get("customfields");
        assertEquals(1, cf.size());
        assertEquals("netypareo_usertype", cf.get(0).get("shortname").asText());
        assertEquals("apprenant", cf.get(0).get("value").asText());
    }

    @Test
    void aNewEmulatorIsAStockMoodle() {
        // no user profile field: the value is accepted without a word, stored nowhere, and not read back
        JsonNode r = ws.call("core_user_create_users", concat(user(0, "s1", "S1", "s1@example.org"),
                new String[]{"users[0][customfields][0][type]", "netypareo_usertype",
                        "users[0][customfields][0][value]", "student"}));
        long id = r.get(0).get("id").asLong();
        assertEquals(Map.of(), emu.user(id).orElseThrow().customfields());
        JsonNode back = ws.call("core_user_get_users_by_field", "field", "id", "values[0]", String.valueOf(id)).get(0);
        assertFalse(back.has("customfields"), back.toString());
        // allowaccountssameemail off
        assertEquals("invalidparameter", errorcode(ws.call("core_user_create_users",
                user(0, "s2", "S2", "S1@Example.org"))));
        // the default password policy (the errorcode is the policy's own text, as Moodle answers it)
        assertTrue(errorcode(ws.call("core_user_create_users", "users[0][username]", "s3",
                "users[0][auth]", "manual", "users[0][password]", "short", "users[0][firstname]", "S",
                "users[0][lastname]", "T", "users[0][email]", "s3@example.org")).contains(
                "Passwords must be at least 8 characters long."));
        // and PHP's max_input_vars of 5000
        assertEquals(5000, emu.maxInputVars());
    }

    @Test
    void aFieldDeletedByTheAdministratorTakesItsValuesWithIt() {
        emu.profileField("netypareo_usertype");
        long id = ws.call("core_user_create_users", concat(user(0, "d1", "D1", "d1@example.org"),
                new String[]{"users[0][customfields][0][type]", "netypareo_usertype",
                        "users[0][customfields][0][value]", "student"})).get(0).get("id").asLong();
        assertEquals(Map.of("netypareo_usertype", "student"), emu.user(id).orElseThrow().customfields());
        emu.removeProfileField("netypareo_usertype");
        assertEquals(Map.of(), emu.user(id).orElseThrow().customfields());
    }

    @Test
    void aSiteThatLowerCasesEmailsStoresThemSo() {
        emu.lowerCaseEmails(true);
        long id = ws.createUser("lc", "LC1");
        ws.call("core_user_update_users", "users[0][id]", String.valueOf(id), "users[0][email]", "Mixed.Case@Example.ORG");
        assertEquals("mixed.case@example.org", emu.user(id).orElseThrow().email());
    }

    @Test
    void deletedUserLeavesCohortsAndFreesItsKeys() {
        long u = ws.createUser("gone", "G1");
        long c = ws.createCohort("C1", "Cohort");
        emu.addMember(c, u);
        assertTrue(ws.call("core_user_delete_users", "userids[0]", String.valueOf(u)).isNull(), "void: null");
        assertEquals(Set.of(), emu.members(c));
        MoodleUser d = emu.user(u).orElseThrow();
        assertTrue(d.deleted());
        assertEquals("", d.idnumber());
        assertTrue(emu.usersByIdnumber("G1").isEmpty());
        JsonNode add = ws.call("core_cohort_add_cohort_members", "members[0][cohorttype][type]", "id",
                "members[0][cohorttype][value]", String.valueOf(c), "members[0][usertype][type]", "id",
                "members[0][usertype][value]", String.valueOf(u));
        assertEquals("2", add.get("warnings").get(0).get("warningcode").asText(), "deleted user is unknown");
        assertEquals("invaliduser", errorcode(ws.call("core_user_delete_users", "userids[0]", String.valueOf(u))));
        assertEquals("useradminodelete", errorcode(ws.call("core_user_delete_users", "userids[0]", "2")));
    }

    // ---------------------------------------------------------------- cohorts

    @Test
    void createCohortsIsAllOrNothing() {
        ws.createCohort("TAKEN", "Taken");
        JsonNode r = ws.call("core_cohort_create_cohorts",
                "cohorts[0][categorytype][type]", "system", "cohorts[0][categorytype][value]", "",
                "cohorts[0][name]", "New", "cohorts[0][idnumber]", "NEW",
                "cohorts[1][categorytype][type]", "system", "cohorts[1][categorytype][value]", "",
                "cohorts[1][name]", "Dup", "cohorts[1][idnumber]", "TAKEN");
        assertEquals("invalidparameter", errorcode(r));
        assertTrue(emu.cohortsByIdnumber("NEW").isEmpty());
        assertEquals(3, ws.createCohort("NEXT", "Next"), "the rolled-back cohort used id 2");
    }

    @Test
    void cohortInCategoryAndCategoryTypeRules() {
        long cat = emu.createCategory("Site A", "CAT-A");
        JsonNode r = ws.call("core_cohort_create_cohorts",
                "cohorts[0][categorytype][type]", "idnumber", "cohorts[0][categorytype][value]", "CAT-A",
                "cohorts[0][name]", "Group 1", "cohorts[0][idnumber]", "G1");
        long id = r.get(0).get("id").asLong();
        assertEquals(cat, emu.cohort(id).orElseThrow().categoryId());
        JsonNode bad = ws.call("core_cohort_create_cohorts",
                "cohorts[0][categorytype][type]", "course", "cohorts[0][categorytype][value]", "1",
                "cohorts[0][name]", "X", "cohorts[0][idnumber]", "X");
        assertEquals("invalidparameter", errorcode(bad));
        JsonNode noValue = ws.call("core_cohort_create_cohorts", "cohorts[0][categorytype][type]", "system",
                "cohorts[0][name]", "X", "cohorts[0][idnumber]", "X");
        assertEquals("invalidparameter", errorcode(noValue), "categorytype[value] is required, even for system");
        // includes=self at the category context finds it; at system context it does not
        JsonNode self = ws.call("core_cohort_search_cohorts", "query", "G1", "context[contextlevel]", "coursecat",
                "context[instanceid]", String.valueOf(cat), "includes", "self");
        assertEquals(1, self.get("cohorts").size());
        JsonNode sys = ws.call("core_cohort_search_cohorts", "query", "G1", "context[contextlevel]", "system",
                "context[instanceid]", "0", "includes", "self");
        assertEquals(0, sys.get("cohorts").size());
    }

    @Test
    void cohortCustomFieldsAreKeptOnlyWhenDefined() {
        emu.cohortField("ypsync_owner", "Owner");
        JsonNode r = ws.call("core_cohort_create_cohorts", "cohorts[0][categorytype][type]", "system",
                "cohorts[0][categorytype][value]", "", "cohorts[0][name]", "Owned", "cohorts[0][idnumber]", "OWN",
                "cohorts[0][customfields][0][shortname]", "ypsync_owner", "cohorts[0][customfields][0][value]", "ypsync",
                "cohorts[0][customfields][1][shortname]", "other", "cohorts[0][customfields][1][value]", "x");
        long id = r.get(0).get("id").asLong();
        assertEquals(Map.of("ypsync_owner", "ypsync"), emu.cohort(id).orElseThrow().customfields());
        JsonNode cf = ws.call("core_cohort_get_cohorts", "cohortids[0]", String.valueOf(id)).get(0).get("customfields");
        assertEquals(1, cf.size());
        assertEquals("ypsync", cf.get(0).get("value").asText());
        assertEquals("ypsync_owner", cf.get(0).get("shortname").asText());
    }

    @Test
    void searchCohortsTreatsLimitfromAsAPageNumber() {
        for (int i = 0; i < 5; i++) {
            ws.createCohort("P" + i, "Promo " + i);
        }
        JsonNode r = ws.call("core_cohort_search_cohorts", "query", "promo", "context[contextid]", "1",
                "includes", "all", "limitfrom", "1", "limitnum", "2");
        List<String> names = new ArrayList<>();
        r.get("cohorts").forEach(c -> names.add(c.get("name").asText()));
        assertEquals(List.of("Promo 2", "Promo 3"), names, "page 1 of size 2, not offset 1");
    }

    @Test
    void deleteCohortMembersRollsBackOnUnknownCohortOrUser() {
        long u1 = ws.createUser("m1", "M1");
        long u2 = ws.createUser("m2", "M2");
        long c = ws.createCohort("C", "C");
        emu.addMember(c, u1);
        emu.addMember(c, u2);
        JsonNode r = ws.call("core_cohort_delete_cohort_members", "members[0][cohortid]", String.valueOf(c),
                "members[0][userid]", String.valueOf(u1), "members[1][cohortid]", "777", "members[1][userid]",
                String.valueOf(u2));
        assertEquals("invalidrecord", errorcode(r));
        assertEquals(Set.of(u1, u2), emu.members(c));
        JsonNode ok = ws.call("core_cohort_delete_cohort_members", "members[0][cohortid]", String.valueOf(c),
                "members[0][userid]", String.valueOf(u1));
        assertTrue(ok.isNull());
        assertEquals(Set.of(u2), emu.members(c));
        assertEquals(1, emu.itemsWritten("removed"));
    }

    @Test
    void addCohortMembersWarningsCarryNoItemIds() {
        long u = ws.createUser("w1", "W1");
        long c = ws.createCohort("C", "C");
        JsonNode r = ws.call("core_cohort_add_cohort_members",
                "members[0][cohorttype][type]", "name", "members[0][cohorttype][value]", "C",
                "members[0][usertype][type]", "id", "members[0][usertype][value]", String.valueOf(u),
                "members[1][cohorttype][type]", "idnumber", "members[1][cohorttype][value]", "C",
                "members[1][usertype][type]", "username", "members[1][usertype][value]", "w1");
        JsonNode w = r.get("warnings");
        assertEquals(1, w.size());
        assertEquals("1", w.get(0).get("warningcode").asText());
        assertEquals("invalid parameter: cohortype=name", w.get(0).get("message").asText());
        assertFalse(w.get(0).has("item"));
        assertFalse(w.get(0).has("itemid"));
        assertEquals(Set.of(u), emu.members(c));
        assertEquals(1, emu.itemsWritten("added"));
    }

    @Test
    void updateCohortsIsNotAPatchAndMovesCategories() {
        long cat = emu.createCategory("Cat", "CAT");
        long c = ws.createCohort("C", "Name");
        JsonNode missingName = ws.call("core_cohort_update_cohorts", "cohorts[0][id]", String.valueOf(c),
                "cohorts[0][categorytype][type]", "system", "cohorts[0][categorytype][value]", "",
                "cohorts[0][idnumber]", "C");
        assertEquals("invalidparameter", errorcode(missingName));
        JsonNode moved = ws.call("core_cohort_update_cohorts", "cohorts[0][id]", String.valueOf(c),
                "cohorts[0][categorytype][type]", "id", "cohorts[0][categorytype][value]", String.valueOf(cat),
                "cohorts[0][name]", "Name", "cohorts[0][idnumber]", "C");
        assertTrue(moved.isNull());
        assertEquals(cat, emu.cohort(c).orElseThrow().categoryId());
        JsonNode unknown = ws.call("core_cohort_update_cohorts", "cohorts[0][id]", "999",
                "cohorts[0][categorytype][type]", "system", "cohorts[0][categorytype][value]", "",
                "cohorts[0][name]", "N", "cohorts[0][idnumber]", "C");
        assertEquals("invalidrecord", errorcode(unknown));
    }

    // ---------------------------------------------------------------- courses, enrolments

    @Test
    void enrolmentErrorsAndGroupFunctionsOutsideTheService() {
        long cat = emu.createCategory("Cat", "CAT");
        long course = emu.createCourse("C1", "Course 1", cat, "CRS-1");
        long u = ws.createUser("e1", "E1");
        assertEquals("wsusercannotassign", errorcode(ws.call("enrol_manual_enrol_users",
                "enrolments[0][roleid]", "7", "enrolments[0][userid]", String.valueOf(u),
                "enrolments[0][courseid]", String.valueOf(course))));
        emu.manualEnrolEnabled(course, false);
        assertEquals("wsnoinstance", errorcode(ws.call("enrol_manual_enrol_users",
                "enrolments[0][roleid]", "5", "enrolments[0][userid]", String.valueOf(u),
                "enrolments[0][courseid]", String.valueOf(course))));
        emu.manualEnrolEnabled(course, true);

        JsonNode groups = ws.call("core_group_create_groups", "groups[0][courseid]", String.valueOf(course),
                "groups[0][name]", "G", "groups[0][description]", "");
        assertEquals("accessexception", errorcode(groups), "a Moodle function, not emulated (ypsync never calls it)");
        assertTrue(ws.call("enrol_manual_enrol_users", "enrolments[0][roleid]", "5", "enrolments[0][userid]",
                String.valueOf(u), "enrolments[0][courseid]", String.valueOf(course)).isNull());
        assertEquals(Set.of(u), emu.enrolledUserIds(course));
        assertEquals(List.of(new MoodleEnrolment(course, u, 0, 0, false, Set.of(5L))), emu.enrolments(course));
        // a re-send with suspend=1 and no dates updates the same enrolment (roles are additive)
        ws.call("enrol_manual_enrol_users", "enrolments[0][roleid]", "3", "enrolments[0][userid]",
                String.valueOf(u), "enrolments[0][courseid]", String.valueOf(course), "enrolments[0][suspend]", "1");
        assertEquals(List.of(new MoodleEnrolment(course, u, 0, 0, true, Set.of(5L, 3L))), emu.enrolments(course));
        JsonNode enrolled = ws.call("core_enrol_get_enrolled_users", "courseid", String.valueOf(course));
        assertEquals(u, enrolled.get(0).get("id").asLong());
    }

    @Test
    void categoriesSearchByIdnumberIncludesSubcategoriesByDefault() {
        long parent = ws.call("core_course_create_categories", "categories[0][name]", "P", "categories[0][idnumber]",
                "CAT-P").get(0).get("id").asLong();
        ws.call("core_course_create_categories", "categories[0][name]", "Child", "categories[0][parent]",
                String.valueOf(parent), "categories[0][idnumber]", "CAT-C");
        assertEquals(2, ws.call("core_course_get_categories", "criteria[0][key]", "idnumber",
                "criteria[0][value]", "CAT-P").size());
        assertEquals(1, ws.call("core_course_get_categories", "criteria[0][key]", "idnumber",
                "criteria[0][value]", "CAT-P", "addsubcategories", "0").size());
        assertEquals("unknowcategory", errorcode(ws.call("core_course_create_categories",
                "categories[0][name]", "Orphan", "categories[0][parent]", "99")));
    }

    // ---------------------------------------------------------------- transport

    @Test
    void maxInputVarsDropsTrailingFieldsSilently() {
        emu.maxInputVars(10);
        // wstoken, wsfunction, format + 6 fields of user 0 = 9; user 1's username is the 10th, its password the
        // 11th (kept: PHP keeps max+1 POST variables), the rest is dropped: user 1 lacks required keys.
        JsonNode r = ws.call("core_user_create_users", concat(user(0, "t0", "T0", "t0@example.org"),
                user(1, "t1", "T1", "t1@example.org")));
        assertEquals("invalidparameter", errorcode(r));
        emu.maxInputVars(8);
        JsonNode ok = ws.call("core_user_create_users", concat(user(0, "t0", "T0", "t0@example.org"),
                user(1, "t1", "T1", "t1@example.org")));
        assertEquals(1, ok.size(), "user 1 entirely dropped: " + ok);
    }

    @Test
    void defaultFormatIsXmlAndErrorsAreHttp200() {
        TranscriptSupport.Reply r = TranscriptSupport.post(emu.endpoint(),
                "wstoken=" + emu.token() + "&wsfunction=core_cohort_get_cohorts");
        assertEquals(200, r.status());
        assertEquals(Output.XML_HEAD + "<RESPONSE>\n<MULTIPLE>\n</MULTIPLE>\n</RESPONSE>\n", r.body());
        TranscriptSupport.Reply bad = ws.raw("0123456789abcdef0123456789abcdef", "core_webservice_get_site_info");
        assertEquals(200, bad.status());
        assertEquals("invalidtoken", errorcode(bad.json()));
        assertFalse(bad.json().has("debuginfo"));
        emu.debug(true);
        assertTrue(ws.raw(emu.token(), "core_user_create_users").json().has("debuginfo"));
    }

    @Test
    void jsonIsEncodedLikePhp() {
        ws.call("core_cohort_create_cohorts", "cohorts[0][categorytype][type]", "system",
                "cohorts[0][categorytype][value]", "", "cohorts[0][name]", "Élèves/1", "cohorts[0][idnumber]", "E");
        TranscriptSupport.Reply r = ws.raw(emu.token(), "core_cohort_get_cohorts");
        assertTrue(r.body().contains("\"\\u00c9l\\u00e8ves\\/1\""), r.body());
        assertEquals("[]", ws.raw(emu.token(), "core_cohort_get_cohort_members", "cohortids[0]", "1").json()
                .get(0).get("userids").toString());
    }

    @Test
    void siteInfoListsTheConfiguredService() {
        JsonNode info = ws.call("core_webservice_get_site_info");
        List<String> names = new ArrayList<>();
        info.get("functions").forEach(f -> names.add(f.get("name").asText()));
        assertEquals(MoodleEmulator.DEFAULT_SERVICE_FUNCTIONS, names);
        assertEquals(emu.url(), info.get("siteurl").asText());
        assertEquals("4.4.3+ (Build: 20240903)", info.get("release").asText());
        emu.removeServiceFunction("core_user_get_users");
        assertEquals("accessexception", errorcode(ws.call("core_user_get_users", "criteria[0][key]", "auth",
                "criteria[0][value]", "manual")));
        assertEquals("invalidrecord", errorcode(ws.call("local_nosuch")));
    }

    // ---------------------------------------------------------------- counters, latency

    @Test
    void countersTrackCallsAndRows() {
        ws.createUser("c1", "C1");
        ws.call("core_user_get_users_by_field", "field", "username", "values[0]", "c1");
        ws.call("core_user_create_users", user(0, "c1", "dup", "other@example.org"));
        assertEquals(2, emu.calls("core_user_create_users"));
        assertEquals(1, emu.calls("core_user_get_users_by_field"));
        assertEquals(2, emu.totalWriteCalls());
        assertEquals(1, emu.itemsWritten());
        assertEquals(1, emu.itemsWritten("core_user_create_users", "created"));
        emu.resetCounters();
        assertEquals(0, emu.totalCalls());
        assertEquals(0, emu.itemsWritten());
    }

    @Test
    void latencyIsChargedPerCallAndPerItem() {
        emu.latencyPerCall(Duration.ofMillis(100)).latencyPerItem(Duration.ofMillis(50));
        long t0 = System.nanoTime();
        ws.call("core_user_create_users", concat(user(0, "l0", "L0", "l0@example.org"),
                user(1, "l1", "L1", "l1@example.org")));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 200, "100 ms + 2 x 50 ms, took " + ms);
    }

    @Test
    void parallelClientsGetDistinctIds() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Long>> ids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                ids.add(pool.submit(() -> ws.createUser("par" + n, "PAR-" + n)));
            }
            Set<Long> distinct = new java.util.TreeSet<>();
            for (var f : ids) distinct.add(f.get());
            assertEquals(40, distinct.size());
            assertEquals(3L, distinct.iterator().next());
            assertEquals(42L, ((java.util.TreeSet<Long>) distinct).last());
            assertEquals(40, emu.calls("core_user_create_users"));
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- fault injection

    @Test
    void maintenanceAnswers503WithHtmlForTheNextCalls() {
        emu.maintenanceForNextCalls(2);
        for (int i = 0; i < 2; i++) {
            TranscriptSupport.Reply r = ws.raw(emu.token(), "core_webservice_get_site_info");
            assertEquals(503, r.status());
            assertTrue(r.body().startsWith("<!DOCTYPE html>"));
        }
        assertEquals(200, ws.raw(emu.token(), "core_webservice_get_site_info").status());
    }

    @Test
    void tokenRotationAndRevocation() {
        String old = emu.token();
        String fresh = emu.rotateToken();
        assertEquals("invalidtoken", errorcode(ws.raw(old, "core_webservice_get_site_info").json()));
        assertEquals(null, errorcode(ws.raw(fresh, "core_webservice_get_site_info").json()));
        emu.revokeToken();
        assertEquals("invalidtoken", errorcode(ws.raw(fresh, "core_webservice_get_site_info").json()));
        assertFalse(emu.toString().contains(fresh), "no token in toString");
    }

    private HttpResponse<String> rawPost(HttpClient client, Duration timeout, String... kv) throws Exception {
        List<Map.Entry<String, String>> f = new ArrayList<>();
        f.add(Map.entry("wstoken", emu.token()));
        f.add(Map.entry("moodlewsrestformat", "json"));
        for (int i = 0; i < kv.length; i += 2) f.add(Map.entry(kv[i], kv[i + 1]));
        return client.send(HttpRequest.newBuilder(URI.create(emu.endpoint())).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(TranscriptSupport.form(f))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void connectionResetBeforeProcessingWritesNothing() {
        emu.resetConnectionBeforeProcessing("core_user_create_users", 1);
        HttpClient client = HttpClient.newHttpClient();
        String[] fields = concat(new String[]{"wsfunction", "core_user_create_users"},
                user(0, "r1", "R1", "r1@example.org"));
        assertThrows(IOException.class, () -> rawPost(client, Duration.ofSeconds(5), fields));
        assertTrue(emu.userByUsername("r1").isEmpty());
        assertEquals(1, emu.calls("core_user_create_users"));
    }

    @Test
    void connectionResetAfterProcessingKeepsTheWrite() {
        emu.resetConnectionAfterProcessing("*", 1);
        HttpClient client = HttpClient.newHttpClient();
        String[] fields = concat(new String[]{"wsfunction", "core_user_create_users"},
                user(0, "r2", "R2", "r2@example.org"));
        assertThrows(IOException.class, () -> rawPost(client, Duration.ofSeconds(5), fields));
        assertTrue(emu.userByUsername("r2").isPresent());
        // the fault was used up: the retry gets the (opaque) duplicate-username error
        assertEquals("invalidparameter", errorcode(ws.call("core_user_create_users",
                user(0, "r2", "R2", "r2@example.org"))));
    }

    @Test
    void timeoutAfterWriteAppliesTheWriteThenHoldsTheAnswer() {
        emu.timeoutAfterWrite("core_cohort_create_cohorts", 1, Duration.ofSeconds(30));
        HttpClient client = HttpClient.newHttpClient();
        assertThrows(HttpTimeoutException.class, () -> rawPost(client, Duration.ofMillis(300),
                "wsfunction", "core_cohort_create_cohorts", "cohorts[0][categorytype][type]", "system",
                "cohorts[0][categorytype][value]", "", "cohorts[0][name]", "T", "cohorts[0][idnumber]", "T"));
        assertEquals(1, emu.cohortsByIdnumber("T").size(), "the write happened");
        assertEquals(1, emu.heldResponses());
    }

    @Test
    void injectedHttpAndMoodleErrorsApplyNothing() {
        emu.httpErrorForNextCalls("core_user_create_users", 1, 502);
        TranscriptSupport.Reply r = ws.raw(emu.token(), "core_user_create_users", user(0, "i1", "I1", "i1@example.org"));
        assertEquals(502, r.status());
        assertTrue(r.body().contains("502"));
        emu.moodleErrorForNextCalls("*", 1, "dml_write_exception", "dmlwriteexception", "Error writing to database");
        JsonNode e = ws.call("core_user_create_users", user(0, "i1", "I1", "i1@example.org"));
        assertEquals("dmlwriteexception", errorcode(e));
        assertEquals("dml_write_exception", e.get("exception").asText());
        assertTrue(emu.userByUsername("i1").isEmpty());
        assertTrue(ws.call("core_user_create_users", user(0, "i1", "I1", "i1@example.org")).isArray());
    }

    @Test
    void workersBoundConcurrentCalls() throws Exception {
        emu.workers(1).latencyPerCall(Duration.ofMillis(150));
        HttpClient client = HttpClient.newHttpClient();
        long t0 = System.nanoTime();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.add(client.sendAsync(HttpRequest.newBuilder(URI.create(emu.endpoint()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("wstoken=" + emu.token()
                            + "&wsfunction=core_webservice_get_site_info&moodlewsrestformat=json")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (var f : all) {
            assertEquals(200, f.get().statusCode());
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 450, "one worker: 3 x 150 ms in sequence, took " + ms);
    }

    // ---------------------------------------------------------------- direct manipulation

    @Test
    void handEditsAreVisibleThroughTheWebServices() {
        long id = ws.createUser("h1", "H1");
        emu.resetCounters();
        emu.editUser(id, u -> u.withLastname("Edited").withSuspended(true).withIdnumber("H1-NEW"));
        JsonNode u = ws.call("core_user_get_users_by_field", "field", "idnumber", "values[0]", "H1-NEW").get(0);
        assertEquals("Edited", u.get("lastname").asText());
        assertTrue(u.get("suspended").asBoolean());
        long hand = emu.createUser("byhand", "By", "Hand", "hand@example.org", "X9", "manual");
        assertEquals(id + 1, hand);
        long c = emu.createCohort("HC", "Hand cohort");
        emu.addMember(c, hand);
        JsonNode m = ws.call("core_cohort_get_cohort_members", "cohortids[0]", String.valueOf(c));
        assertEquals(hand, m.get(0).get("userids").get(0).asLong());
        assertEquals(0, emu.itemsWritten(), "hand edits are not web-service writes");
    }
}
