package org.ypsync.stage;

import org.ypsync.moodle.MoodleClient;
import org.ypsync.ops.DeadLetters;
import org.ypsync.ops.Settings;
import org.ypsync.store.CacheReader;
import org.ypsync.store.LinkRepository;
import org.ypsync.sync.MembershipPlan;

/**
 * What the Moodle stages (cohorts, users) share: the cache they read NetYpareo from, the links of what they wrote,
 * the Moodle client (renewed at each run, see {@link MoodleWriter#renewed}), the dead letters of refused records
 * and the schedule of drift repairs.
 */
abstract class MoodleStage {
    final Settings settings;
    final CacheReader cache;
    final LinkRepository links;
    volatile MoodleClient moodle;
    final DeadLetters deadLetters;
    final DriftSchedule drift;

    MoodleStage(Settings settings, CacheReader cache, LinkRepository links, MoodleClient moodle,
                DeadLetters deadLetters, DriftSchedule drift) {
        this.settings = settings;
        this.cache = cache;
        this.links = links;
        this.moodle = moodle;
        this.deadLetters = deadLetters;
        this.drift = drift;
    }

    /** A cohort member Moodle added ({@code add}) or removed: the links follow. */
    void memberWritten(MembershipPlan.Member m, boolean add) {
        if (add) {
            links.addMember(m.cohortIdnumber(), m.key(), m.moodleUserId());
        } else {
            links.removeMember(m.cohortIdnumber(), m.key());
        }
    }
}
