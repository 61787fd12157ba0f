package dev.sift.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/** Cron expressions and zones are checked when a schedule is added; a missed firing is skipped, never caught up. */
class CronScheduleTest {
    private static String usageError(String cron, String zone) {
        SiftException e = assertThrows(SiftException.class, () -> CronSchedule.parse(cron, zone));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void badExpressionsAndZonesAreOneLineUsageErrors() {
        assertTrue(usageError("0 3 * * *", null).contains("6 or 7 fields"), "a Unix cron is named as such");
        assertTrue(usageError("", null).contains("got 0"));
        assertTrue(usageError("0 0 3 * * * *", null).contains("day-of-week AND a day-of-month"));
        assertTrue(usageError("0 0 25 * * ?", null).contains("--cron '0 0 25 * * ?'"));
        assertTrue(usageError("0 0 3 ? * FOO", null).contains("FOO"));
        assertTrue(usageError("0 0 3 * * ? 2001", null).contains("never fires"));
        assertTrue(usageError("0 0 3 * * ?", "Mars/Base").contains("--zone 'Mars/Base': not a time zone"));
        assertTrue(usageError("0 0 3 * * ?", "").contains("not a time zone"));
    }

    @Test
    void aValidScheduleFiresInItsZoneAndDefaultsToUtc() {
        CronSchedule berlin = CronSchedule.parse(" 0  0 3 * * ? ", "Europe/Berlin");
        assertEquals("0 0 3 * * ?", berlin.expression());
        ZonedDateTime next = berlin.next(Instant.parse("2026-06-01T12:00:00Z")).orElseThrow()
                .atZone(ZoneId.of("Europe/Berlin"));
        assertEquals(3, next.getHour());
        assertEquals(Instant.parse("2026-06-02T01:00:00Z"), next.toInstant(), "03:00 summer time in Berlin");
        assertEquals(ZoneId.of("UTC"), CronSchedule.parse("*/5 * * * * ?", null).zone());
        assertEquals(ZoneId.of("UTC"), CronSchedule.parse("*/5 * * * * ?", "utc").zone(), "letter case aside");
        assertEquals(ZoneId.of("Europe/Berlin"), CronSchedule.parse("*/5 * * * * ?", "europe/berlin").zone());
        assertEquals(ZoneId.of("+02:00"), CronSchedule.parse("*/5 * * * * ?", "+02:00").zone());
        CronTrigger t = berlin.trigger(Schedules.triggerKey("n"), Schedules.jobKey("n"));
        assertEquals(CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING, t.getMisfireInstruction());
        assertEquals("Europe/Berlin", t.getTimeZone().getID());
    }

    @Test
    void namesAreCheckedOnTheirOwn() {
        assertEquals("nightly-2.a_b", ScheduleSpec.checkName("nightly-2.a_b"));
        for (String bad : new String[] {"", "-x", "a b", "a/b", "x".repeat(101), "nüchtern"}) {
            SiftException e = assertThrows(SiftException.class, () -> ScheduleSpec.checkName(bad));
            assertEquals(ExitCodes.USAGE, e.exitCode());
        }
    }

    /** Scheduled fire times seen by {@link Recorder}. */
    static final List<Instant> FIRED = new CopyOnWriteArrayList<>();

    /** Records each firing's scheduled time. */
    public static class Recorder implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            FIRED.add(context.getScheduledFireTime().toInstant());
        }
    }

    /**
     * The misfire policy: a every-second trigger whose scheduler was away for 10 seconds (its start time 10 s ago)
     * does not run the 10 missed firings, nor one "now" for them (Quartz's default for cron); it waits for the next
     * second. Same threshold as quarkus.quartz.misfire-threshold.
     */
    @Test
    void missedFiringsAreSkippedNotCaughtUp() throws Exception {
        Properties p = new Properties();
        p.put(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "misfire-test");
        p.put("org.quartz.scheduler.skipUpdateCheck", "true");
        p.put("org.quartz.threadPool.threadCount", "1");
        p.put("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        p.put("org.quartz.jobStore.misfireThreshold", "2000");
        Scheduler s = new StdSchedulerFactory(p).getScheduler();
        try {
            CronTrigger cron = CronSchedule.parse("* * * * * ?", null).trigger(Schedules.triggerKey("m"),
                    Schedules.jobKey("m"));
            Instant away = Instant.now().minusSeconds(10);
            s.scheduleJob(JobBuilder.newJob(Recorder.class).withIdentity(Schedules.jobKey("m")).build(),
                    TriggerBuilder.newTrigger().withIdentity(cron.getKey()).withSchedule(cron.getScheduleBuilder())
                            .startAt(java.util.Date.from(away)).build());
            Instant started = Instant.now();
            s.start();
            Thread.sleep(2500);
            s.shutdown(true);
            assertTrue(!FIRED.isEmpty(), "it fires again");
            for (Instant t : FIRED) {
                // not a missed second (ignore-misfires would run all 10), nor "now" off the grid (fire-once-now)
                assertTrue(!t.isBefore(started.minusMillis(1000)), "a missed firing ran: " + t + " (" + FIRED + ")");
                assertEquals(0, t.toEpochMilli() % 1000, "a catch-up firing 'now': " + t + " (" + FIRED + ")");
            }
            assertTrue(FIRED.size() <= 4, FIRED.toString());
        } finally {
            if (!s.isShutdown()) {
                s.shutdown(false);
            }
        }
    }
}
