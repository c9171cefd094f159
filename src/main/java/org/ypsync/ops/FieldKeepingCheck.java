package org.ypsync.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ypsync.moodle.MoodleClient;
import org.ypsync.store.FieldStateRepository;
import org.ypsync.store.LinkRepository;
import org.ypsync.sync.FieldKeeping.FieldState;
import org.ypsync.sync.UserFields;
import org.ypsync.sync.UserKind;
import org.ypsync.sync.UserLink;

/**
 * The part of {@code check} that says whether Moodle keeps the fields ypsync writes: whether the user profile field
 * of sync.users.usertype-field exists (read from the accounts ypsync wrote it to: Moodle has no web service that
 * lists profile fields, and answers none for a user who has no value), and every field the user stages found
 * Moodle does not keep, with what ypsync does about it. Informative: none of it makes check fail.
 */
public final class FieldKeepingCheck {
    /** Accounts read to tell whether the profile field exists: one call. */
    static final int SAMPLE = 50;

    private final Settings settings;
    private final LinkRepository links;
    private final FieldStateRepository states;
    private final MoodleClient moodle;

    public FieldKeepingCheck(Settings settings, LinkRepository links, FieldStateRepository states, MoodleClient moodle) {
        this.settings = settings;
        this.links = links;
        this.states = states;
        this.moodle = moodle;
    }

    public void report(PrintStream out) {
        long recheckHours = settings.optional("sync.users.field-recheck-hours").map(v -> Long.parseLong(v.trim()))
                .orElse(24L);
        String meanwhile = "meanwhile ypsync syncs everything else and does not rewrite it; it tries again every "
                + recheckHours + " h (sync.users.field-recheck-hours), or at the next run after `run users "
                + "--recheck-fields`, and once Moodle keeps it that run writes it for every account";
        Map<String, FieldState> known = states.all();
        Optional<String> shortname = settings.optional("sync.users.usertype-field").map(String::strip)
                .filter(v -> !v.isEmpty());
        if (shortname.isEmpty()) {
            out.println("[ OK ] Moodle user profile field: none written (sync.users.usertype-field is blank)");
        } else {
            String field = UserFields.custom(shortname.get());
            List<UserLink> written = links.userLinks(EnumSet.allOf(UserKind.class)).values().stream()
                    .filter(l -> l.written().get(field) != null && !l.suspendedByUs())
                    .sorted(Comparator.comparing(UserLink::key)).limit(SAMPLE).toList();
            if (written.isEmpty()) {
                out.println("[INFO] Moodle user profile field '" + shortname.get() + "': not known yet (no account "
                        + "written): the first run of users reads back what it writes and says so if it does not exist");
            } else {
                List<JsonNode> back = moodle.getUsersByField("id",
                        written.stream().map(l -> String.valueOf(l.moodleId())).toList());
                long holding = back.stream().filter(j -> holds(j, shortname.get())).count();
                if (holding > 0) {
                    out.println("[ OK ] Moodle user profile field '" + shortname.get() + "' exists: " + holding
                            + " of the " + back.size() + " accounts read hold the value ypsync wrote");
                } else {
                    out.println("[WARN] User profile field '" + shortname.get() + "' does not exist in Moodle (none of "
                            + "the " + back.size() + " accounts ypsync wrote it to holds it): create it (Site "
                            + "administration > Users > User profile fields) or set sync.users.usertype-field to "
                            + "blank; " + meanwhile);
                }
            }
        }
        for (FieldState st : known.values()) {
            boolean profileField = shortname.isPresent() && st.field().equals(UserFields.custom(shortname.get()));
            if (!st.kept() && !profileField) {
                out.println("[WARN] Moodle does not keep the " + st.field() + " ypsync writes (" + st.strikes()
                        + " writes did not stick, since " + st.changedAt() + "): Moodle's value is kept; " + meanwhile);
            }
        }
    }

    private static boolean holds(JsonNode user, String shortname) {
        for (JsonNode f : user.path("customfields")) {
            if (shortname.equals(f.path("shortname").asText()) && !f.path("value").asText("").isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
