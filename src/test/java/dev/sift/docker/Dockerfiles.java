package dev.sift.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The instructions of the container images in src/main/docker, read as text (no container engine here). */
final class Dockerfiles {
    static final List<String> NAMES = List.of("Dockerfile.jvm", "Dockerfile.gpu");

    private Dockerfiles() {
    }

    /** One instruction: its keyword, its flags (--from=..., --chown=...) and its other words. */
    record Instruction(String keyword, List<String> flags, List<String> args) {
    }

    static List<Instruction> read(String name) throws IOException {
        String text = Files.readString(Path.of("src/main/docker", name)).replace("\\\n", " ");
        List<Instruction> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] words = l.split("\\s+");
            List<String> flags = new ArrayList<>();
            List<String> args = new ArrayList<>();
            for (int i = 1; i < words.length; i++) {
                (words[i].startsWith("--") && args.isEmpty() ? flags : args).add(words[i]);
            }
            out.add(new Instruction(words[0].toUpperCase(), flags, args));
        }
        return out;
    }

    /** COPY instructions from the build context (not from another stage). */
    static List<Instruction> contextCopies(String name) throws IOException {
        return read(name).stream().filter(i -> i.keyword().equals("COPY"))
                .filter(i -> i.flags().stream().noneMatch(f -> f.startsWith("--from"))).toList();
    }

    static Instruction last(String name, String keyword) throws IOException {
        List<Instruction> all = read(name).stream().filter(i -> i.keyword().equals(keyword)).toList();
        return all.get(all.size() - 1);
    }
}
