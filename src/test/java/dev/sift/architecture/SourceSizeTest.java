package dev.sift.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.StaticJavaParser;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A class over 400 lines or a method over 60 is a concept without a name (STYLE.md): this keeps {@code src/main}
 * inside those bounds. Sizes are measured on the parsed source, so comments inside a method count, as they do
 * for a reader.
 */
class SourceSizeTest {
    static final int MAX_CLASS_LINES = 400;
    static final int MAX_METHOD_LINES = 60;

    @Test
    void noClassOver400LinesAndNoMethodOver60() throws IOException {
        StaticJavaParser.getParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17);
        List<String> tooLong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                CompilationUnit cu = StaticJavaParser.parse(f);
                for (TypeDeclaration<?> t : cu.findAll(TypeDeclaration.class)) {
                    if (t.isTopLevelType() && lines(t) > MAX_CLASS_LINES) {
                        tooLong.add(f + ": class " + t.getNameAsString() + " has " + lines(t) + " lines");
                    }
                }
                for (CallableDeclaration<?> m : cu.findAll(CallableDeclaration.class)) {
                    if (lines(m) > MAX_METHOD_LINES) {
                        tooLong.add(f + ":" + m.getBegin().orElseThrow().line + ": " + m.getNameAsString() + " has "
                                + lines(m) + " lines");
                    }
                }
            }
        }
        assertTrue(tooLong.isEmpty(), "over the limits:\n" + String.join("\n", tooLong));
    }

    private static int lines(com.github.javaparser.ast.Node n) {
        return n.getEnd().orElseThrow().line - n.getBegin().orElseThrow().line + 1;
    }
}
