package dev.sift.schedule;

import dev.sift.SiftException;
import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobKey;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;

/**
 * When a schedule fires: a Quartz cron expression (seconds first: {@code 0 0 3 * * ?} is 03:00 every day) in a time
 * zone. Checked when the schedule is added, so a typo ends {@code sift schedule add} with one line instead of a
 * schedule that never fires. Its trigger misfires with "do nothing": a firing missed (no node up, the previous run of
 * the schedule still under way, paused) is skipped and the next one waits for its own time, so there is never a burst
 * of catch-up runs.
 */
public record CronSchedule(String expression, ZoneId zone) {
    /** Zone of a schedule added without {@code --zone}: the same on every node of a cluster, whatever their clocks say. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("UTC");

    public CronSchedule {
        Objects.requireNonNull(expression, "expression is null");
        Objects.requireNonNull(zone, "zone is null");
    }

    /** A zone by its ID, letter case aside ({@code utc}, {@code europe/berlin}); an offset as ZoneId reads it. */
    static ZoneId zone(String name) {
        for (String id : ZoneId.getAvailableZoneIds()) {
            if (id.equalsIgnoreCase(name)) {
                return ZoneId.of(id);
            }
        }
        return ZoneId.of(name.equalsIgnoreCase("utc") || name.equalsIgnoreCase("z") ? name.toUpperCase(
                java.util.Locale.ROOT) : name);
    }

    /** The schedule of {@code --cron EXPR --zone Z}; a usage error (exit 2) naming the problem when it is not one. */
    public static CronSchedule parse(String expression, String zone) {
        String expr = expression == null ? "" : expression.strip().replaceAll("\\s+", " ");
        int fields = expr.isEmpty() ? 0 : expr.split(" ").length;
        if (fields < 6 || fields > 7) {
            throw SiftException.usage("--cron '" + expression + "': a Quartz cron expression has 6 or 7 fields (second "
                    + "minute hour day-of-month month day-of-week [year]), got " + fields + "; e.g. '0 0 3 * * ?' is "
                    + "03:00 every day, '*/5 * * * * ?' every 5 seconds");
        }
        ZoneId z;
        try {
            z = zone == null ? DEFAULT_ZONE : zone(zone.strip());
        } catch (DateTimeException e) {
            throw SiftException.usage("--zone '" + zone + "': not a time zone; give a region such as Europe/Berlin, "
                    + "an offset such as +02:00, or UTC");
        }
        CronExpression cron;
        try {
            cron = new CronExpression(expr);
        } catch (ParseException e) {
            throw SiftException.usage("--cron '" + expression + "': " + e.getMessage());
        }
        cron.setTimeZone(TimeZone.getTimeZone(z));
        if (cron.getNextValidTimeAfter(new Date()) == null) {
            throw SiftException.usage("--cron '" + expression + "': never fires after now");
        }
        return new CronSchedule(expr, z);
    }

    /** The next firing after {@code after}, if there is one. */
    public Optional<Instant> next(Instant after) {
        try {
            CronExpression cron = new CronExpression(expression);
            cron.setTimeZone(TimeZone.getTimeZone(zone));
            return Optional.ofNullable(cron.getNextValidTimeAfter(Date.from(after))).map(Date::toInstant);
        } catch (ParseException e) {
            throw new IllegalStateException("stored cron expression does not parse: " + expression, e);
        }
    }

    /** The cron trigger of the schedule's job, misfiring with "do nothing" (see the class comment). */
    public CronTrigger trigger(TriggerKey key, JobKey job) {
        return TriggerBuilder.newTrigger().withIdentity(key).forJob(job)
                .withSchedule(CronScheduleBuilder.cronSchedule(expression).inTimeZone(TimeZone.getTimeZone(zone))
                        .withMisfireHandlingInstructionDoNothing())
                .build();
    }
}
