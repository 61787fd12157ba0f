package dev.sift.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sift.SiftException;
import dev.sift.workflow.WorkflowException;
import dev.sift.workflow.WorkflowParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;

/**
 * A schedule as stored with its Quartz job: its name, when it fires, and the workflow it runs, kept as the text the
 * file held when the schedule was added plus the {@code --set} overrides, so later edits of the file do not change
 * what the schedule runs. Relative dataset paths resolve against the folder the file was in, as for {@code sift run}.
 */
public record ScheduleSpec(String name, CronSchedule cron, Path workflowPath, String workflowText,
        Map<String, String> overrides) {
    /** Letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "workflow.path";
    private static final String TEXT = "workflow.text";
    private static final String OVERRIDES = "overrides";

    public ScheduleSpec {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(cron, "cron is null");
        Objects.requireNonNull(workflowPath, "workflowPath is null");
        Objects.requireNonNull(workflowText, "workflowText is null");
        overrides = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    /** A usage error (exit 2) unless {@code name} can name a schedule. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw SiftException.usage("schedule name '" + name + "': letters, digits, '.', '_' and '-', starting with "
                    + "a letter or digit, at most 100 characters");
        }
        return name;
    }

    /**
     * The schedule {@code sift schedule add} describes, checked: the name, the cron expression and zone (one line and
     * exit 2 when wrong) and the workflow with its overrides, exactly as {@code sift run} checks it (a
     * {@link WorkflowException} listing every problem).
     */
    public static ScheduleSpec of(String name, String cron, String zone, Path workflow, Map<String, String> overrides) {
        checkName(name);
        CronSchedule timing = CronSchedule.parse(cron, zone);
        WorkflowParser.parseFile(workflow, overrides);
        String text;
        try {
            text = Files.readString(workflow, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WorkflowException(List.of(workflow + ": cannot read workflow: " + dev.sift.IoReason.what(e)));
        }
        return new ScheduleSpec(name, timing, workflow.toAbsolutePath().normalize(), text, overrides);
    }

    /** The workflow to run now, parsed again (its data file is checked again, as at every run's start). */
    public WorkflowParser.Parsed parse() {
        return WorkflowParser.parse(workflowPath.toString(), workflowText, workflowPath.getParent(), overrides, true);
    }

    /** The schedule's Quartz job: recovered on another node when its node dies mid-run, durable, data as strings. */
    JobDetail job(Class<? extends org.quartz.Job> type) {
        JobDataMap data = new JobDataMap();
        data.put(PATH, workflowPath.toString());
        data.put(TEXT, workflowText);
        try {
            data.put(OVERRIDES, JSON.writeValueAsString(overrides));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return JobBuilder.newJob(type).withIdentity(Schedules.jobKey(name)).requestRecovery().storeDurably()
                .usingJobData(data).build();
    }

    /** The schedule stored as this job and cron trigger. */
    static ScheduleSpec from(JobDetail job, CronTrigger trigger) {
        JobDataMap data = job.getJobDataMap();
        Map<String, String> overrides;
        try {
            overrides = JSON.readValue(data.getString(OVERRIDES), new TypeReference<LinkedHashMap<String, String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("schedule " + job.getKey().getName() + ": stored overrides do not parse", e);
        }
        ZoneId stored = trigger.getTimeZone().toZoneId(); // a fixed offset comes back as GMT+02:00: as given, +02:00
        ZoneId zone = stored.getId().matches("GMT[+-].*") ? stored.normalized() : stored;
        return new ScheduleSpec(job.getKey().getName(), new CronSchedule(trigger.getCronExpression(), zone),
                Path.of(data.getString(PATH)), data.getString(TEXT), overrides);
    }
}
