package org.ypsync.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Plans the user actions of a run: desired users against links (what ypsync manages) and the existing Moodle
 * accounts found by match key (for adoption).
 *
 * <p>Rules: linked people are processed first (they own their account, username and e-mail), then unlinked people
 * in {@link UserKey#ORDER}; a username or e-mail already held by another person (as last written, or claimed earlier
 * in this plan) rejects the later one, never merges. A value released in this run (someone renamed) becomes
 * available on the next run. Every link passed in is in scope: a linked person absent from desired, or not active,
 * is suspended (never deleted). Inactive people without an account get none.
 */
public final class UserPlanner {
    private UserPlanner() {
    }

    /** Match key of a desired person: the normalised username, or "type|idnumber" in IDNUMBER mode. */
    public static Optional<String> matchKey(DesiredUser d, MatchMode mode) {
        if (mode == MatchMode.USERNAME) {
            return Usernames.normalise(d.login());
        }
        return Optional.of(typedIdnumber(d.kind().value(), d.key().idnumber()));
    }

    /**
     * Match key of an existing account, to build existingByMatchKey. In IDNUMBER mode an account without user type
     * gets "|idnumber" and matches any kind (so a student and a teacher with one code both match it: the second is
     * rejected, never merged).
     */
    public static String matchKey(MoodleAccount a, MatchMode mode) {
        if (mode == MatchMode.USERNAME) {
            return a.username();
        }
        return typedIdnumber(a.userType() == null ? "" : a.userType(), a.idnumber());
    }

    /** existingByMatchKey from a lookup result; when two accounts share a key the lowest id wins (deterministic). */
    public static Map<String, MoodleAccount> indexByMatchKey(Collection<MoodleAccount> accounts, MatchMode mode) {
        Map<String, MoodleAccount> m = new HashMap<>();
        for (MoodleAccount a : accounts) {
            m.merge(matchKey(a, mode), a, (x, y) -> x.id() <= y.id() ? x : y);
        }
        return m;
    }

    private static String typedIdnumber(String type, String idnumber) {
        return type + "|" + idnumber;
    }

    public static UserPlan plan(List<DesiredUser> desired, Map<UserKey, UserLink> links,
            Map<String, MoodleAccount> existingByMatchKey, UserSyncSettings s, Random passwordRandom) {
        return plan(desired, links, existingByMatchKey, List.of(), s, passwordRandom);
    }

    /**
     * As above, with knownAccounts: any other Moodle accounts the glue has read (e.g. looked up by the desired
     * usernames and e-mails). A create, adoption or change onto a username, or (unless shared e-mails are allowed)
     * an e-mail, that one of them already has is rejected before Moodle refuses it: core_user_create_users rolls
     * back the whole batch on the first duplicate.
     */
    public static UserPlan plan(List<DesiredUser> desired, Map<UserKey, UserLink> links,
            Map<String, MoodleAccount> existingByMatchKey, Collection<MoodleAccount> knownAccounts,
            UserSyncSettings s, Random passwordRandom) {
        Objects.requireNonNull(knownAccounts, "knownAccounts");
        Objects.requireNonNull(desired, "desired");
        Objects.requireNonNull(links, "links");
        Objects.requireNonNull(existingByMatchKey, "existingByMatchKey");
        Objects.requireNonNull(s, "settings");
        Objects.requireNonNull(passwordRandom, "passwordRandom");

        List<UserPlan.Create> creates = new ArrayList<>();
        List<UserPlan.Adoption> adoptions = new ArrayList<>();
        List<UserPlan.Update> updates = new ArrayList<>();
        List<UserPlan.Suspension> suspensions = new ArrayList<>();
        List<UserPlan.Revival> revivals = new ArrayList<>();
        List<UserPlan.Rejection> rejections = new ArrayList<>();
        int unchanged = 0;
        int inactiveWithoutAccount = 0;

        // who holds what: from every link (leavers' suspended accounts still hold their username and e-mail)
        List<UserLink> sortedLinks = new ArrayList<>(links.values());
        sortedLinks.sort(Comparator.comparing(UserLink::key));
        Map<Long, UserKey> accountOwner = new HashMap<>();
        Map<String, UserKey> usernameHolder = new HashMap<>();
        Map<String, UserKey> emailHolder = new HashMap<>();
        for (UserLink l : sortedLinks) {
            accountOwner.putIfAbsent(l.moodleId(), l.key());
            String u = l.written().get(UserFields.USERNAME);
            if (u != null) {
                usernameHolder.putIfAbsent(u, l.key());
            }
            String e = l.written().get(UserFields.EMAIL);
            if (e != null && !s.allowSharedEmail()) {
                emailHolder.putIfAbsent(Emails.uniquenessKey(e), l.key());
            }
        }

        Map<String, MoodleAccount> knownByUsername = new HashMap<>();
        Map<String, MoodleAccount> knownByEmail = new HashMap<>();
        for (MoodleAccount a : knownAccounts) {
            if (a.username() != null) {
                knownByUsername.merge(a.username(), a, (x, y) -> x.id() <= y.id() ? x : y);
            }
            if (a.email() != null && !a.email().isEmpty()) {
                knownByEmail.merge(Emails.uniquenessKey(a.email()), a, (x, y) -> x.id() <= y.id() ? x : y);
            }
        }

        // one record per key; linked people first, then the rest, each in key order
        Map<UserKey, DesiredUser> byKey = new TreeMap<>();
        List<DesiredUser> sortedDesired = new ArrayList<>(desired);
        sortedDesired.sort(Comparator.comparing(DesiredUser::key));
        for (DesiredUser d : sortedDesired) {
            if (byKey.putIfAbsent(d.key(), d) != null) {
                rejections.add(new UserPlan.Rejection(d.key(), d.login(),
                        "duplicate NetYpareo record for " + d.key() + ": only the first one is used"));
            }
        }
        List<DesiredUser> order = new ArrayList<>();
        byKey.values().stream().filter(d -> links.containsKey(d.key())).forEach(order::add);
        byKey.values().stream().filter(d -> !links.containsKey(d.key())).forEach(order::add);
        Set<Long> claimedThisRun = new HashSet<>();

        for (DesiredUser d : order) {
            UserKey k = d.key();
            UserLink link = links.get(k);
            if (link != null && !d.active()) {
                if (!link.suspendedByUs()) {
                    suspensions.add(new UserPlan.Suspension(k, link.moodleId(), link.written().get(UserFields.USERNAME),
                            idnumberOf(link), "not active in NetYpareo"));
                } else {
                    unchanged++;
                }
                continue;
            }
            if (link == null && !d.active()) {
                inactiveWithoutAccount++;
                continue;
            }
            Target t = target(d, s);
            if (t.rejection != null) {
                rejections.add(new UserPlan.Rejection(k, d.login(), t.rejection));
                continue;
            }
            String username = t.fields.get(UserFields.USERNAME);
            String emailKey = Emails.uniquenessKey(t.fields.get(UserFields.EMAIL));
            MoodleAccount account = null;
            if (link == null) {
                account = lookup(d, existingByMatchKey, s.match());
                if (account != null) {
                    UserKey owner = accountOwner.get(account.id());
                    if (owner != null && !owner.equals(k)) {
                        String why = claimedThisRun.contains(account.id())
                                ? "matches Moodle account id " + account.id() + " [" + account.username()
                                        + "] like " + owner + ": two NetYpareo people, one Moodle account; not merged"
                                : "Moodle account id " + account.id() + " [" + account.username()
                                        + "] is already linked to " + owner + "; not merged";
                        rejections.add(new UserPlan.Rejection(k, d.login(), why));
                        continue;
                    }
                    // a username match with an account typed as another kind is two people, not one
                    if (s.userTypeField() != null && account.userType() != null && !account.userType().isEmpty()
                            && !account.userType().equals(d.kind().value())) {
                        rejections.add(new UserPlan.Rejection(k, d.login(), "Moodle account id " + account.id()
                                + " [" + account.username() + "] is a " + account.userType() + " account, not a "
                                + d.kind().value() + "; not merged"));
                        continue;
                    }
                }
            }
            long ownId = link != null ? link.moodleId() : account != null ? account.id() : -1;
            UserKey uHolder = usernameHolder.get(username);
            if (uHolder != null && !uHolder.equals(k)) {
                rejections.add(new UserPlan.Rejection(k, d.login(),
                        "username [" + username + "] is already used by " + uHolder + "; not merged"));
                continue;
            }
            if (!s.allowSharedEmail()) {
                UserKey eHolder = emailHolder.get(emailKey);
                if (eHolder != null && !eHolder.equals(k)) {
                    rejections.add(new UserPlan.Rejection(k, d.login(), "e-mail <" + t.fields.get(UserFields.EMAIL)
                            + "> is shared with " + eHolder + " and Moodle does not allow shared e-mails"));
                    continue;
                }
            }
            // accounts ypsync does not manage (or whose link it lost) hold values too
            MoodleAccount other = knownByUsername.get(username);
            if ((other == null || other.id() == ownId) && s.match() == MatchMode.USERNAME) {
                other = existingByMatchKey.get(username);
            }
            if (other != null && other.id() != ownId) {
                rejections.add(new UserPlan.Rejection(k, d.login(), "username [" + username
                        + "] is already used by another Moodle account (id " + other.id() + ")"));
                continue;
            }
            MoodleAccount sameEmail = s.allowSharedEmail() ? null : knownByEmail.get(emailKey);
            if (sameEmail != null && sameEmail.id() != ownId) {
                rejections.add(new UserPlan.Rejection(k, d.login(), "e-mail <" + t.fields.get(UserFields.EMAIL)
                        + "> is already used by another Moodle account (id " + sameEmail.id()
                        + ") and Moodle does not allow shared e-mails"));
                continue;
            }
            if (!s.allowSharedEmail()) {
                emailHolder.put(emailKey, k);
            }
            usernameHolder.put(username, k);

            if (link != null) {
                Map<String, FieldChange> changes = diff(link.written(), t.fields);
                if (!changes.isEmpty()) {
                    updates.add(new UserPlan.Update(k, link.moodleId(), username, t.fields.get(UserFields.IDNUMBER),
                            changes));
                }
                if (link.suspendedByUs()) {
                    revivals.add(new UserPlan.Revival(k, link.moodleId(), username, t.fields.get(UserFields.IDNUMBER)));
                }
                if (changes.isEmpty() && !link.suspendedByUs()) {
                    unchanged++;
                }
            } else if (account != null) {
                accountOwner.put(account.id(), k);
                claimedThisRun.add(account.id());
                adoptions.add(new UserPlan.Adoption(k, account.id(), diff(account.fields(s), t.fields), t.fields,
                        account.suspended()));
            } else {
                String password = null;
                boolean createPassword = false;
                if (s.internalAuth()) {
                    if (s.createPassword()) {
                        createPassword = true;
                    } else {
                        password = Passwords.generate(passwordRandom);
                    }
                }
                creates.add(new UserPlan.Create(k, t.fields, password, createPassword));
            }
        }

        // linked people no longer in NetYpareo at all
        for (UserLink l : sortedLinks) {
            if (!byKey.containsKey(l.key()) && !l.suspendedByUs()) {
                suspensions.add(new UserPlan.Suspension(l.key(), l.moodleId(), l.written().get(UserFields.USERNAME),
                        idnumberOf(l), "no longer in NetYpareo"));
            }
        }
        // the guard's population is the accounts still working: years of suspended leavers must not dilute it
        int population = activePopulation(links);
        Optional<String> guard = Guards.suspensions(suspensions.size(), population, s.maxSuspensionShare());
        return new UserPlan(creates, adoptions, updates, suspensions, revivals, rejections, unchanged,
                inactiveWithoutAccount, List.of(), population, guard);
    }

    /**
     * Repairs hand edits: for each linked account read back (accountsById), a field that differs from what ypsync
     * wrote is rewritten (before = Moodle's value, after = ours); an account suspended by hand while the person is
     * active is revived; an account ypsync suspended and someone unsuspended while the person is still not active
     * is suspended again. Links whose account was not read back are listed in missingAccounts (deleted in Moodle?).
     * Inactive people's fields are not repaired.
     */
    public static UserPlan drift(List<DesiredUser> desired, Map<UserKey, UserLink> links,
            Map<Long, MoodleAccount> accountsById, UserSyncSettings s) {
        return drift(desired, links, accountsById, s, Set.of());
    }

    /**
     * As above, comparing Moodle with what it held after ypsync's last write ({@link UserLink#expected}), and leaving
     * alone the fields Moodle does not keep ({@code notKept}, see {@link FieldKeeping}): rewriting them would never
     * stick.
     */
    public static UserPlan drift(List<DesiredUser> desired, Map<UserKey, UserLink> links,
            Map<Long, MoodleAccount> accountsById, UserSyncSettings s, Set<String> notKept) {
        Set<UserKey> activeKeys = new HashSet<>();
        for (DesiredUser d : desired) {
            if (d.active()) {
                activeKeys.add(d.key());
            }
        }
        List<UserPlan.Update> updates = new ArrayList<>();
        List<UserPlan.Suspension> suspensions = new ArrayList<>();
        List<UserPlan.Revival> revivals = new ArrayList<>();
        List<UserKey> missing = new ArrayList<>();
        int unchanged = 0;
        List<UserLink> sortedLinks = new ArrayList<>(links.values());
        sortedLinks.sort(Comparator.comparing(UserLink::key));
        for (UserLink l : sortedLinks) {
            MoodleAccount a = accountsById.get(l.moodleId());
            if (a == null) {
                missing.add(l.key());
                continue;
            }
            boolean acted = false;
            if (activeKeys.contains(l.key())) {
                Map<String, String> actual = a.fields(s);
                Map<String, FieldChange> changes = new LinkedHashMap<>();
                l.written().forEach((field, ours) -> {
                    if (!notKept.contains(field) && actual.containsKey(field)
                            && !Objects.equals(actual.get(field), l.expected(field))) {
                        changes.put(field, new FieldChange(actual.get(field), ours));
                    }
                });
                if (!changes.isEmpty()) {
                    updates.add(new UserPlan.Update(l.key(), l.moodleId(), l.written().get(UserFields.USERNAME),
                            idnumberOf(l), changes));
                    acted = true;
                }
                if (a.suspended() && !l.suspendedByUs()) {
                    revivals.add(new UserPlan.Revival(l.key(), l.moodleId(), l.written().get(UserFields.USERNAME),
                            idnumberOf(l)));
                    acted = true;
                }
            } else if (l.suspendedByUs() && !a.suspended()) {
                suspensions.add(new UserPlan.Suspension(l.key(), l.moodleId(), l.written().get(UserFields.USERNAME),
                        idnumberOf(l), "unsuspended in Moodle but not active in NetYpareo"));
                acted = true;
            }
            if (!acted) {
                unchanged++;
            }
        }
        int population = activePopulation(links);
        Optional<String> guard = Guards.suspensions(suspensions.size(), population, s.maxSuspensionShare());
        return new UserPlan(List.of(), List.of(), updates, suspensions, revivals, List.of(), unchanged, 0, missing,
                population, guard);
    }

    /** Managed accounts ypsync has not suspended: the population the suspension guard measures against. */
    public static int activePopulation(Map<UserKey, UserLink> links) {
        return (int) links.values().stream().filter(l -> !l.suspendedByUs()).count();
    }

    private static String idnumberOf(UserLink l) {
        String v = l.written().get(UserFields.IDNUMBER);
        return v != null ? v : l.key().idnumber();
    }

    private static MoodleAccount lookup(DesiredUser d, Map<String, MoodleAccount> existing, MatchMode mode) {
        Optional<String> key = matchKey(d, mode);
        if (key.isEmpty()) {
            return null;
        }
        MoodleAccount a = existing.get(key.get());
        if (a == null && mode == MatchMode.IDNUMBER) {
            a = existing.get(typedIdnumber("", d.key().idnumber()));
        }
        return a;
    }

    /** The fields after a write, or only a rejection reason. */
    private record Target(Map<String, String> fields, String rejection) {
    }

    private static Target target(DesiredUser d, UserSyncSettings s) {
        if (d.netypareoId().isBlank()) {
            return new Target(null, "missing NetYpareo id");
        }
        Optional<String> username = Usernames.normalise(d.login());
        if (username.isEmpty()) {
            return new Target(null, d.login() == null || d.login().isBlank() ? "missing login"
                    : "login '" + d.login() + "' gives no usable Moodle username");
        }
        String first = name(d.firstName());
        String last = name(d.lastName());
        if (first.isEmpty()) {
            return new Target(null, "missing first name");
        }
        if (last.isEmpty()) {
            return new Target(null, "missing last name");
        }
        Optional<String> email = Emails.trim(d.email());
        if (email.isEmpty()) {
            return new Target(null, "missing e-mail");
        }
        if (!Emails.isValid(email.get())) {
            return new Target(null, "invalid e-mail <" + email.get() + ">");
        }
        Map<String, String> f = new LinkedHashMap<>();
        f.put(UserFields.USERNAME, username.get());
        f.put(UserFields.FIRSTNAME, first);
        f.put(UserFields.LASTNAME, last);
        f.put(UserFields.EMAIL, email.get());
        f.put(UserFields.IDNUMBER, d.key().idnumber());
        f.put(UserFields.AUTH, s.auth());
        if (s.userTypeField() != null) {
            f.put(UserFields.custom(s.userTypeField()), d.kind().value());
        }
        return new Target(f, null);
    }

    // Moodle's firstname/lastname columns hold 100 chars
    private static String name(String v) {
        if (v == null) {
            return "";
        }
        String t = v.trim().replaceAll("\\s+", " ");
        return t.length() > 100 ? t.substring(0, 100).trim() : t;
    }

    /** Fields of after whose value differs from before (only after's keys are compared). */
    static Map<String, FieldChange> diff(Map<String, String> before, Map<String, String> after) {
        Map<String, FieldChange> changes = new LinkedHashMap<>();
        after.forEach((k, v) -> {
            if (!Objects.equals(before.get(k), v)) {
                changes.put(k, new FieldChange(before.get(k), v));
            }
        });
        return changes;
    }
}
