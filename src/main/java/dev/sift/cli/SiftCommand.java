package dev.sift.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sift} command. */
@TopCommand
@Command(name = "sift", mixinStandardHelpOptions = true, versionProvider = SiftCommand.Version.class,
        description = "Finds which training samples matter for search and recommendation models, and proves it.",
        subcommands = {RunCommand.class, SweepCommand.class, ResumeCommand.class, RunsCommand.class, ReportCommand.class, DataCommand.class,
            BenchCommand.class, ValidateCommand.class, ServeCommand.class, ScheduleCommand.class, GcCommand.class})
public class SiftCommand {

    /** Version from the build. */
    public static class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class)
                    .orElse("unknown");
            return new String[] {"sift " + v, "Java " + System.getProperty("java.version")};
        }
    }
}
