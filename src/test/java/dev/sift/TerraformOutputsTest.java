package dev.sift;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Terraform output hands out a secret value unless it is marked {@code sensitive = true}: an output whose value
 * reads a password, a secret string, an access key or a private key must be sensitive. (Secret ARNs, references, are
 * allowed: they are not the secret.)
 */
class TerraformOutputsTest {
    private static final Pattern OUTPUT = Pattern.compile("(?ms)^output \"([^\"]+)\" \\{(.*?)^\\}");
    private static final Pattern SECRET_VALUE = Pattern.compile("(?i)(password|secret_string|secret_access_key|"
            + "access_key|private_key|random_password|hash_key)(?![a-z_]*_arn)");

    @Test
    void secretValuedOutputsAreSensitive() throws Exception {
        String tf = Files.readString(Path.of("terraform/outputs.tf"));
        Matcher m = OUTPUT.matcher(tf);
        int outputs = 0;
        while (m.find()) {
            outputs++;
            String body = m.group(2);
            Matcher value = Pattern.compile("(?m)^\\s*value\\s*=(.*)$").matcher(body);
            assertTrue(value.find(), m.group(1));
            boolean sensitive = body.matches("(?s).*\\bsensitive\\s*=\\s*true\\b.*");
            assertFalse(SECRET_VALUE.matcher(value.group(1)).find() && !sensitive,
                    "output " + m.group(1) + " hands out a secret and is not sensitive: " + value.group(1).strip());
        }
        assertTrue(outputs > 10, "outputs found: " + outputs);
        // the plain settings (an output, and the containers' environment) hold no secret; the secrets, ARNs only
        String main = Files.readString(Path.of("terraform/main.tf"));
        for (String block : new String[] {"sift_settings", "batch_settings", "sift_secrets"}) {
            Matcher b = Pattern.compile("(?s)\\n  " + block + " = \\{\\n(.*?)\\n  \\}").matcher(main);
            assertTrue(b.find(), block);
            for (String line : b.group(1).split("\\n")) {
                String[] kv = line.split("=", 2);
                boolean secretName = kv[0].matches("(?i).*(PASSWORD|SECRET|HASH_KEY|ACCESS_KEY).*");
                if (block.equals("sift_secrets")) {
                    assertTrue(kv[1].contains("_arn"), "not a reference: " + line);
                } else {
                    assertFalse(secretName, block + " holds a secret: " + line);
                }
            }
        }
    }

    /**
     * The images' entry point is the {@code sift} launcher, so every container command Sift or the module sends is
     * the launcher's arguments: a command that began with "sift" ran {@code sift sift resume N} (an unknown command,
     * exit 2) in every Batch job and in the scheduler before stop 59.
     */
    @Test
    void containerCommandsAreTheLaunchersArguments() throws Exception {
        for (String docker : new String[] {"src/main/docker/Dockerfile.jvm", "src/main/docker/Dockerfile.gpu"}) {
            assertTrue(Files.readString(Path.of(docker)).contains("ENTRYPOINT [\"/opt/sift/sift\"]"), docker);
        }
        java.util.List<String> commands = new java.util.ArrayList<>();
        Matcher c = Pattern.compile("(?m)^\\s*command\\s*=\\s*\\[\"([^\"]*)\"").matcher(Files.readString(
                Path.of("terraform/main.tf")));
        while (c.find()) {
            commands.add(c.group(1));
        }
        Matcher serve = Pattern.compile("(?s)variable \"scheduler_command\" \\{.*?default\\s*=\\s*\\[\"([^\"]*)\"")
                .matcher(Files.readString(Path.of("terraform/variables.tf")));
        assertTrue(serve.find(), "scheduler_command's default");
        commands.add(serve.group(1));
        commands.add(dev.sift.batch.JobRequests.command(7).get(0));
        assertTrue(commands.size() >= 5, commands.toString());
        for (String first : commands) {
            assertTrue(java.util.Set.of("resume", "serve", "run").contains(first), "a command's first word is a sift "
                    + "subcommand, not '" + first + "': " + commands);
        }
    }
}
