package dev.sift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Only sift serve starts Quartz; schedule commands (and run --schedule) get a halted one; the rest none. */
class SchedulerModeTest {
    private static String mode(String line) {
        return SiftMain.schedulerMode(line.split(" "));
    }

    @Test
    void serveStartsItScheduleCommandsHaltItOthersHaveNone() {
        assertEquals("forced", mode("serve"));
        assertEquals("halted", mode("schedule list"));
        assertEquals("halted", mode("schedule add n --cron x w.yaml"));
        assertEquals("halted", mode("run w.yaml --schedule nightly"));
        assertEquals("halted", mode("run --schedule=nightly w.yaml"));
        assertEquals("normal", mode("run w.yaml"));
        assertEquals("normal", mode("runs list"));
        assertEquals("normal", mode("runs show 1"));
        assertEquals("normal", mode("resume 3"));
    }
}
