package org.ypsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A tiny in-memory Moodle for the convergence test. It refuses what real Moodle refuses (duplicate username,
 * duplicate e-mail unless allowed, blank names, weak or missing password for internal auth, duplicate cohort
 * idnumber), so a planner bug that would fail a real call fails the test.
 */
final class FakeMoodle {
    static final class Account {
        long id;
        String username;
        String idnumber = "";
        String firstname;
        String lastname;
        String email;
        String auth = "manual";
        boolean suspended;
        String userType;

        MoodleAccount view() {
            return new MoodleAccount(id, username, idnumber, firstname, lastname, email, auth, suspended, userType);
        }
    }

    final Map<Long, Account> accounts = new TreeMap<>();
    final Map<Long, MoodleCohort> cohorts = new TreeMap<>();
    final Map<Long, Set<Long>> members = new HashMap<>();
    final boolean allowSharedEmail;
    final String userTypeField;
    long nextId = 100;
    int writes;

    FakeMoodle(boolean allowSharedEmail, String userTypeField) {
        this.allowSharedEmail = allowSharedEmail;
        this.userTypeField = userTypeField;
    }

    List<MoodleAccount> accountViews() {
        List<MoodleAccount> l = new ArrayList<>();
        accounts.values().forEach(a -> l.add(a.view()));
        return l;
    }

    /** An account made by hand before ypsync ran. */
    long handMade(String username, String idnumber, String first, String last, String email, boolean suspended,
            String userType) {
        Account a = new Account();
        a.id = nextId++;
        a.username = username;
        a.idnumber = idnumber;
        a.firstname = first;
        a.lastname = last;
        a.email = email;
        a.suspended = suspended;
        a.userType = userType;
        checkUnique(a.id, username, email);
        accounts.put(a.id, a);
        return a.id;
    }

    long createUser(Map<String, Object> u) {
        writes++;
        Account a = new Account();
        a.id = nextId++;
        a.username = (String) u.get("username");
        assertTrue(a.username != null && a.username.matches("[a-z0-9._@-]{1,100}"), "PARAM_USERNAME: " + a.username);
        a.firstname = (String) u.get("firstname");
        a.lastname = (String) u.get("lastname");
        assertTrue(a.firstname != null && !a.firstname.isBlank() && a.lastname != null && !a.lastname.isBlank(),
                "blank name");
        a.email = (String) u.get("email");
        assertTrue(a.email != null && a.email.matches("[^@\\s<>]+@[a-zA-Z0-9.-]+") && a.email.length() <= 100,
                "invalid e-mail " + a.email);
        a.idnumber = (String) u.getOrDefault("idnumber", "");
        a.auth = (String) u.getOrDefault("auth", "manual");
        if (UserFields.INTERNAL_AUTHS.contains(a.auth)) {
            Object pw = u.get("password");
            boolean create = Integer.valueOf(1).equals(u.get("createpassword"));
            assertTrue(create || pw != null, "internal auth needs password or createpassword");
            if (pw != null) {
                assertTrue(Passwords.meetsDefaultPolicy((String) pw), "password policy");
            }
        } else {
            assertTrue(!u.containsKey("password") && !u.containsKey("createpassword"), "no password for SSO");
        }
        applyCustom(a, u);
        checkUnique(a.id, a.username, a.email);
        accounts.put(a.id, a);
        return a.id;
    }

    void updateUser(Map<String, Object> u) {
        writes++;
        Account a = accounts.get((Long) u.get("id"));
        assertNotNull(a, "invaliduserid " + u.get("id"));
        for (Map.Entry<String, Object> e : u.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "id", "customfields" -> { }
                case "username" -> a.username = (String) v;
                case "firstname" -> a.firstname = (String) v;
                case "lastname" -> a.lastname = (String) v;
                case "email" -> a.email = (String) v;
                case "idnumber" -> a.idnumber = (String) v;
                case "auth" -> a.auth = (String) v;
                case "suspended" -> a.suspended = Integer.valueOf(1).equals(v);
                default -> fail("unexpected update key " + e.getKey());
            }
        }
        applyCustom(a, u);
        assertTrue(a.firstname != null && !a.firstname.isBlank() && a.lastname != null && !a.lastname.isBlank());
        checkUnique(a.id, a.username, a.email);
    }

    void setSuspended(long id, boolean suspended) {
        Map<String, Object> u = new HashMap<>();
        u.put("id", id);
        u.put("suspended", suspended ? 1 : 0);
        updateUser(u);
    }

    @SuppressWarnings("unchecked")
    private void applyCustom(Account a, Map<String, Object> u) {
        Object cf = u.get("customfields");
        if (cf == null) {
            return;
        }
        for (Map<String, String> f : (List<Map<String, String>>) cf) {
            assertEquals(userTypeField, f.get("type"), "unknown profile field");
            a.userType = f.get("value");
        }
    }

    private void checkUnique(long self, String username, String email) {
        for (Account o : accounts.values()) {
            if (o.id == self) {
                continue;
            }
            assertTrue(!o.username.equals(username), "duplicate username " + username);
            if (!allowSharedEmail) {
                assertTrue(!o.email.toLowerCase(Locale.ROOT).equals(email.toLowerCase(Locale.ROOT)),
                        "useremailduplicate " + email);
            }
        }
    }

    long createCohort(DesiredCohort c) {
        writes++;
        assertTrue(cohorts.values().stream().noneMatch(x -> x.idnumber().equals(c.idnumber())),
                "record already exists: idnumber=" + c.idnumber());
        assertTrue(!c.name().isBlank());
        long id = nextId++;
        cohorts.put(id, new MoodleCohort(id, c.idnumber(), c.name(), c.description()));
        members.put(id, new TreeSet<>());
        return id;
    }

    void updateCohort(long id, DesiredCohort c) {
        writes++;
        assertNotNull(cohorts.get(id));
        cohorts.put(id, new MoodleCohort(id, c.idnumber(), c.name(), c.description()));
    }

    Map<String, MoodleCohort> cohortsByIdnumber() {
        Map<String, MoodleCohort> m = new HashMap<>();
        cohorts.values().forEach(c -> m.put(c.idnumber(), c));
        return m;
    }

    void addMember(long cohortId, long userId) {
        writes++;
        assertTrue(accounts.containsKey(userId) && cohorts.containsKey(cohortId));
        assertTrue(members.get(cohortId).add(userId), "planned add of an existing member");
    }

    void removeMember(long cohortId, long userId) {
        writes++;
        assertTrue(accounts.containsKey(userId) && cohorts.containsKey(cohortId));
        assertTrue(members.get(cohortId).remove(userId), "planned removal of a non-member");
    }
}
