package org.ypsync.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.ypsync.sync.CohortFamily;
import org.ypsync.sync.CohortLink;
import org.ypsync.sync.UserKey;
import org.ypsync.sync.UserKind;
import org.ypsync.sync.UserLink;

/** The links between NetYpareo keys and Moodle objects, and the cohort members ypsync put in. */
public final class LinkRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> WRITTEN = new TypeReference<>() {
    };

    private final DataSource dataSource;

    public LinkRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    // --- users ---------------------------------------------------------------------------------------------------

    public Map<UserKey, UserLink> userLinks(Collection<UserKind> kinds) {
        Map<UserKey, UserLink> out = new HashMap<>();
        Jdbc.query(dataSource, "SELECT instance_index, kind, netypareo_id, moodle_id, written, suspended_by_us, held, "
                + "held_at FROM moodle_user_link", rs -> {
            UserKind kind = UserKind.valueOf(rs.getString(2));
            if (kinds.contains(kind)) {
                UserKey key = new UserKey(rs.getInt(1), kind, rs.getString(3));
                String held = rs.getString(7);
                java.sql.Timestamp heldAt = rs.getTimestamp(8);
                out.put(key, new UserLink(key, rs.getLong(4), parse(rs.getString(5)), rs.getBoolean(6),
                        held == null ? Map.of() : parse(held), heldAt == null ? null : heldAt.toInstant()));
            }
        });
        return out;
    }

    /** The Moodle username ypsync last wrote for each person it manages of the given kinds. */
    public Map<UserKey, String> usernames(Collection<UserKind> kinds) {
        Map<UserKey, String> out = new HashMap<>();
        Jdbc.query(dataSource, "SELECT instance_index, kind, netypareo_id, username FROM moodle_user_link", rs -> {
            UserKind kind = UserKind.valueOf(rs.getString(2));
            if (kinds.contains(kind)) {
                out.put(new UserKey(rs.getInt(1), kind, rs.getString(3)), rs.getString(4));
            }
        });
        return out;
    }

    public void saveUserLink(UserLink link, String username) {
        UserKey k = link.key();
        Jdbc.update(dataSource, "DELETE FROM moodle_user_link WHERE instance_index = ? AND kind = ? AND netypareo_id = ?",
                k.instanceIndex(), k.kind().name(), k.netypareoId());
        Jdbc.update(dataSource, "INSERT INTO moodle_user_link (instance_index, kind, netypareo_id, moodle_id, username, "
                + "written, suspended_by_us, held, held_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                k.instanceIndex(), k.kind().name(), k.netypareoId(), link.moodleId(), username == null ? "" : username,
                json(link.written()), link.suspendedByUs(), link.held().isEmpty() ? null : json(link.held()),
                link.heldAt(), Instant.now());
    }

    /** Saves what Moodle held after ypsync's writes (a read-back), for many people in one batch. */
    public void saveHeld(Collection<UserLink> changed) {
        if (changed.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        for (UserLink l : changed) {
            rows.add(new Object[] {l.held().isEmpty() ? null : json(l.held()), l.heldAt(), l.key().instanceIndex(),
                    l.key().kind().name(), l.key().netypareoId()});
        }
        Jdbc.batch(dataSource, "UPDATE moodle_user_link SET held = ?, held_at = ? WHERE instance_index = ? AND kind = ? "
                + "AND netypareo_id = ?", rows);
    }

    /** Forgets a person's account and cohort memberships (the account was deleted in Moodle). */
    public void forgetUser(UserKey k) {
        Jdbc.update(dataSource, "DELETE FROM moodle_user_link WHERE instance_index = ? AND kind = ? AND netypareo_id = ?",
                k.instanceIndex(), k.kind().name(), k.netypareoId());
        Jdbc.update(dataSource, "DELETE FROM moodle_cohort_member WHERE instance_index = ? AND kind = ? AND netypareo_id = ?",
                k.instanceIndex(), k.kind().name(), k.netypareoId());
    }

    // --- cohorts -------------------------------------------------------------------------------------------------

    public Map<String, CohortLink> cohortLinks(CohortFamily family) {
        Map<String, CohortLink> out = new HashMap<>();
        Jdbc.query(dataSource, "SELECT idnumber, moodle_id, written FROM moodle_cohort_link WHERE family = ?",
                rs -> out.put(rs.getString(1), new CohortLink(rs.getString(1), rs.getLong(2), parse(rs.getString(3)))),
                family.name());
        return out;
    }

    public void saveCohortLink(CohortFamily family, CohortLink link) {
        Jdbc.update(dataSource, "DELETE FROM moodle_cohort_link WHERE idnumber = ?", link.idnumber());
        Jdbc.update(dataSource, "INSERT INTO moodle_cohort_link (idnumber, family, moodle_id, written, updated_at) "
                + "VALUES (?, ?, ?, ?, ?)", link.idnumber(), family.name(), link.moodleId(), json(link.written()),
                Instant.now());
    }

    // --- members -------------------------------------------------------------------------------------------------

    /** The members ypsync put in the given cohorts, limited to the given kinds of user. */
    public Map<String, Set<UserKey>> members(Collection<String> cohortIdnumbers, Collection<UserKind> kinds) {
        Set<String> wanted = new HashSet<>(cohortIdnumbers);
        Map<String, Set<UserKey>> out = new HashMap<>();
        Jdbc.query(dataSource, "SELECT cohort_idnumber, instance_index, kind, netypareo_id FROM moodle_cohort_member",
                rs -> {
                    UserKind kind = UserKind.valueOf(rs.getString(3));
                    if (wanted.contains(rs.getString(1)) && kinds.contains(kind)) {
                        out.computeIfAbsent(rs.getString(1), c -> new HashSet<>())
                                .add(new UserKey(rs.getInt(2), kind, rs.getString(4)));
                    }
                });
        return out;
    }

    public void addMember(String cohortIdnumber, UserKey key, long moodleUserId) {
        removeMember(cohortIdnumber, key);
        Jdbc.update(dataSource, "INSERT INTO moodle_cohort_member (cohort_idnumber, instance_index, kind, netypareo_id, "
                + "moodle_user_id, added_at) VALUES (?, ?, ?, ?, ?, ?)", cohortIdnumber, key.instanceIndex(),
                key.kind().name(), key.netypareoId(), moodleUserId, Instant.now());
    }

    public void removeMember(String cohortIdnumber, UserKey key) {
        Jdbc.update(dataSource, "DELETE FROM moodle_cohort_member WHERE cohort_idnumber = ? AND instance_index = ? "
                + "AND kind = ? AND netypareo_id = ?", cohortIdnumber, key.instanceIndex(), key.kind().name(),
                key.netypareoId());
    }

    /** Forgets the members ypsync put in a cohort: it was (re)created, so the Moodle cohort is empty. */
    public void forgetMembers(String cohortIdnumber) {
        Jdbc.update(dataSource, "DELETE FROM moodle_cohort_member WHERE cohort_idnumber = ?", cohortIdnumber);
    }

    static String json(Map<String, String> written) {
        try {
            return JSON.writeValueAsString(written);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> parse(String text) {
        try {
            return JSON.readValue(text, WRITTEN);
        } catch (JsonProcessingException e) {
            throw new StoreException("unreadable link data: " + e.getOriginalMessage(), e);
        }
    }
}
