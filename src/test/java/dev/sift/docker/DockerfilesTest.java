package dev.sift.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.docker.Dockerfiles.Instruction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of the container images without building them (there is no container engine here): each
 * runs the repository's launcher as its entry point, copies only what .dockerignore lets into the build context,
 * and the GPU image's libtorch flavour is one DJL's JNI library on the classpath was built for.
 * {@code DockerfilesIT} checks the copies against the packaged application.
 */
class DockerfilesTest {

    @Test
    void entryPointIsTheLauncherTheImageCopies() throws Exception {
        for (String name : Dockerfiles.NAMES) {
            Instruction entry = Dockerfiles.last(name, "ENTRYPOINT");
            assertEquals(List.of("[\"/opt/sift/sift\"]"), entry.args(), name);
            assertTrue(Dockerfiles.contextCopies(name).stream()
                    .anyMatch(c -> c.args().equals(List.of("sift", "/opt/sift/sift"))), name + " copies ./sift");
            // the launcher looks for the jar next to itself, as in the repository
            for (Instruction c : Dockerfiles.contextCopies(name)) {
                String src = c.args().get(0);
                String dest = c.args().get(c.args().size() - 1);
                if (src.startsWith("target/quarkus-app/") && !src.contains("*")) {
                    assertEquals("/opt/sift/" + src, dest, name);
                }
            }
            assertTrue(Files.readString(Path.of("sift")).contains("$DIR/target/quarkus-app/quarkus-run.jar"));
            assertTrue(Dockerfiles.read(name).stream().anyMatch(i -> i.keyword().equals("RUN")
                    && String.join(" ", i.args()).contains("SIFT_CDS_DUMP=1 /opt/sift/sift --help")), name + " AppCDS");
        }
    }

    @Test
    void copiesOnlyWhatTheBuildContextHolds() throws Exception {
        List<String> ignore = Files.readAllLines(Path.of(".dockerignore")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertEquals(List.of("*", "!sift", "!target/quarkus-app/"), ignore);
        for (String name : Dockerfiles.NAMES) {
            for (Instruction c : Dockerfiles.contextCopies(name)) {
                String src = c.args().get(0);
                assertTrue(src.equals("sift") || src.startsWith("target/quarkus-app/"), name + ": " + src);
            }
        }
    }

    @Test
    void gpuFlavourMatchesTheJniLibraryAndTheMavenProfile() throws Exception {
        // DJL loads jnilib/<classifier>/<flavor>/libdjl_torch.so from pytorch-jni for the libtorch it finds
        assertNotNull(getClass().getResource("/jnilib/linux-x86_64/cu128/libdjl_torch.so"), "cu128 JNI in pytorch-jni");
        assertNotNull(getClass().getResource("/jnilib/linux-x86_64/cpu/libdjl_torch.so"), "cpu JNI in pytorch-jni");
        String pom = Files.readString(Path.of("pom.xml"));
        assertTrue(pom.contains("<artifactId>pytorch-native-cu128</artifactId>"), "profile torch-cu128");
        assertTrue(pom.contains("<pytorch.version>2.7.1</pytorch.version>"));
        String gpu = Files.readString(Path.of("src/main/docker/Dockerfile.gpu"));
        assertTrue(gpu.contains("nvidia/cuda:12.8"), "CUDA 12.8 base for cu128");
        assertTrue(gpu.contains("pytorch-native-cu128-") && gpu.contains("-Dgpu"));
    }
}
