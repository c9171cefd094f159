package org.ypsync.ops;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * Whether a stage's last run is recent enough: not older than twice its schedule, that is, its Quartz cron has not
 * fired twice since the last run started (a daily 01:00 stage is late after 48 hours, a weekdays-only one is not
 * late over the weekend). A small grace (a tenth of the interval, at most an hour) lets a run that just fired start.
 */
public final class Freshness {
    private static final Duration MAX_GRACE = Duration.ofHours(1);

    private Freshness() {
    }

    static CronExpression parse(String cron, TimeZone zone) {
        try {
            CronExpression expression = new CronExpression(cron);
            expression.setTimeZone(zone);
            return expression;
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a Quartz cron expression: '" + cron + "' (" + e.getMessage() + ")");
        }
    }

    /** The time between the next two fires of {@code cron} after {@code from}. */
    public static Duration interval(String cron, Instant from, TimeZone zone) {
        CronExpression expression = parse(cron, zone);
        Date first = expression.getNextValidTimeAfter(Date.from(from));
        Date second = first == null ? null : expression.getNextValidTimeAfter(first);
        if (first == null || second == null) {
            return Duration.ofDays(365_000);
        }
        return Duration.ofMillis(second.getTime() - first.getTime());
    }

    /** Empty when a run started at {@code lastStart} is fresh at {@code now}, otherwise why it is late. */
    public static Optional<String> late(String cron, Instant lastStart, Instant now, TimeZone zone) {
        CronExpression expression = parse(cron, zone);
        Date first = expression.getNextValidTimeAfter(Date.from(lastStart));
        Date second = first == null ? null : expression.getNextValidTimeAfter(first);
        if (second == null) {
            // a cron that no longer fires (a past year) never makes a stage late
            return Optional.empty();
        }
        Duration interval = Duration.ofMillis(second.getTime() - first.getTime());
        Duration grace = interval.dividedBy(10).compareTo(MAX_GRACE) < 0 ? interval.dividedBy(10) : MAX_GRACE;
        if (now.isAfter(second.toInstant().plus(grace))) {
            DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of(zone.getID()));
            return Optional.of("last run started " + human(Duration.between(lastStart, now)) + " ago; its schedule ("
                    + cron + ") fired twice since, at " + f.format(first.toInstant()) + " and "
                    + f.format(second.toInstant()));
        }
        return Optional.empty();
    }

    static String human(Duration d) {
        long s = d.getSeconds();
        if (s >= 86_400 * 3) {
            return (s / 86_400) + " days";
        }
        if (s >= 3_600 * 3) {
            return (s / 3_600) + " hours";
        }
        if (s >= 120) {
            return (s / 60) + " minutes";
        }
        return s + " s";
    }
}
