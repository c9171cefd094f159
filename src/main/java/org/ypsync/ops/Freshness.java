package org.ypsync.ops;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * Whether a stage's last run is recent enough: not older than twice the interval of its Quartz cron (the gap
 * between the two fires that follow the last run, so a daily 01:00 stage is late after 48 hours).
 */
public final class Freshness {
    private Freshness() {
    }

    /** The interval of {@code cron} at {@code from}: the time between its next two fires. */
    public static Duration interval(String cron, Instant from, TimeZone zone) {
        CronExpression expression;
        try {
            expression = new CronExpression(cron);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a Quartz cron expression: '" + cron + "' (" + e.getMessage() + ")");
        }
        expression.setTimeZone(zone);
        Date first = expression.getNextValidTimeAfter(Date.from(from));
        Date second = first == null ? null : expression.getNextValidTimeAfter(first);
        if (first == null || second == null) {
            // a cron that no longer fires (a past year): it never gets late
            return Duration.ofDays(365_000);
        }
        return Duration.ofMillis(second.getTime() - first.getTime());
    }

    /** Empty when a run started at {@code lastStart} is fresh at {@code now}, otherwise why it is late. */
    public static Optional<String> late(String cron, Instant lastStart, Instant now, TimeZone zone) {
        Duration limit = interval(cron, lastStart, zone).multipliedBy(2);
        Duration age = Duration.between(lastStart, now);
        if (age.compareTo(limit) > 0) {
            return Optional.of("last run started " + human(age) + " ago, more than twice the schedule's interval ("
                    + human(limit) + ", cron " + cron + ")");
        }
        return Optional.empty();
    }

    static String human(Duration d) {
        long s = d.getSeconds();
        if (s >= 86_400 * 2) {
            return (s / 86_400) + " days";
        }
        if (s >= 3_600 * 2) {
            return (s / 3_600) + " hours";
        }
        if (s >= 120) {
            return (s / 60) + " minutes";
        }
        return s + " s";
    }
}
