package org.ypsync.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.ypsync.netypareo.Group;
import org.ypsync.netypareo.GroupMember;
import org.ypsync.netypareo.GroupTrainer;
import org.ypsync.netypareo.NetypareoMapper;
import org.ypsync.netypareo.Period;
import org.ypsync.netypareo.Site;
import org.ypsync.netypareo.StaffAccount;
import org.ypsync.netypareo.StudentAccount;
import org.ypsync.netypareo.TutorAccount;
import org.ypsync.store.CacheKind;
import org.ypsync.store.CacheRepository;
import org.ypsync.store.StagedRecord;

/** Pure mapping of NetYpareo records to the cache's staged rows, kind by kind. */
public final class CacheRecords {
    private CacheRecords() {
    }

    /**
     * Maps one record of an endpoint. A tutor gives its own row plus one row per student it tutors; a group member
     * is keyed by its group. Throws the mapper's MalformedRecordException for a record that cannot be used.
     */
    public static List<StagedRecord> map(CacheRun.Fetch fetch, JsonNode json) {
        CacheKind kind = fetch.kind();
        return switch (kind) {
            case SITES -> {
                Site s = NetypareoMapper.site(json);
                yield List.of(row(kind, s.contentHash(), s.code(), s.name(), s.shortCode(), s.unused()));
            }
            case PERIODS -> {
                Period p = NetypareoMapper.period(json);
                yield List.of(row(kind, p.contentHash(), p.code(), p.name(), p.start(), p.end()));
            }
            case STUDENTS -> {
                StudentAccount a = NetypareoMapper.student(json);
                yield List.of(row(kind, a.contentHash(), a.code(), a.login(), a.lastName(), a.firstName(), a.email(),
                        a.siteCode(), a.statusCode(), a.active(), a.leavingDate()));
            }
            case STAFF -> {
                StaffAccount a = NetypareoMapper.staff(json);
                yield List.of(row(kind, a.contentHash(), a.code(), a.login(), a.lastName(), a.firstName(), a.email(),
                        a.trainer(), a.administrative(), joinCodes(a.siteCodes()), a.unused()));
            }
            case TUTORS -> {
                TutorAccount t = NetypareoMapper.tutor(json);
                List<StagedRecord> rows = new ArrayList<>();
                rows.add(row(kind, t.contentHash(), t.code(), t.login(), t.lastName(), t.firstName(), t.email(),
                        t.companyCode()));
                for (Integer student : t.studentCodes() == null ? List.<Integer>of() : t.studentCodes()) {
                    rows.add(row(CacheKind.TUTOR_STUDENTS, "link", t.code(), student));
                }
                yield rows;
            }
            case DIPLOMA_GROUPS, FC_GROUPS -> {
                Group g = NetypareoMapper.group(json);
                yield List.of(row(kind, g.contentHash(), g.code(), g.name(), g.shortName(), g.siteCode(),
                        g.periodCode(), g.trainingCode(), g.start(), g.end()));
            }
            case DIPLOMA_MEMBERS, FC_MEMBERS -> {
                GroupMember m = NetypareoMapper.groupMember(json);
                yield List.of(row(kind, "member", fetch.groupCode(), m.studentCode()));
            }
            case GROUP_TRAINERS -> {
                GroupTrainer t = NetypareoMapper.groupTrainer(json);
                yield t.staffCodes().stream().map(staff -> row(kind, "trainer", t.groupCode(), staff)).toList();
            }
            case TUTOR_STUDENTS -> throw new IllegalArgumentException("tutor links come with their tutor");
        };
    }

    /** A staged row: the key is made of the kind's key columns, which come first in {@code values}. */
    static StagedRecord row(CacheKind kind, String hash, Object... values) {
        Object[] keys = Arrays.copyOf(values, kind.keyColumns().size());
        return new StagedRecord(kind, CacheRepository.key(keys), hash, Arrays.asList(values));
    }

    static String joinCodes(List<Integer> codes) {
        return codes == null ? "" : codes.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
