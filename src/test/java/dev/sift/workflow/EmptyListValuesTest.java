package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A list setting written with no value ({@code methods:}, {@code methods: ~}, {@code null}) is its default, as a
 * single setting's is (a probe's {@code methods: ~} read "unknown method '~'", {@code methods:} "unknown method ''").
 */
class EmptyListValuesTest {
    private static WorkflowSpec parse(String score, String evaluate) {
        return WorkflowParser.parse("w.yaml", "name: w\ndataset:\n  generate: {rows: 100}\nscore:\n" + score
                + "evaluate:\n" + evaluate, null, Map.of(), false).spec();
    }

    @Test
    void noValueIsTheDefault() {
        WorkflowSpec all = parse("  methods: [loss, el2n]\n", "  k: 10\n");
        for (String none : List.of("", " ~", " null")) {
            WorkflowSpec s = parse("  methods:" + none + "\n  ensemble:" + none + "\n", "  curve:" + none + "\n");
            assertEquals(WorkflowParser.parse("w.yaml", "name: w\ndataset:\n  generate: {rows: 100}\n", null,
                    Map.of(), false).spec().score().methods(), s.score().methods(), "every method, as without the key");
            assertEquals(List.of(), s.evaluate().curve(), none);
        }
        assertEquals(List.of("loss", "el2n"), all.score().methods());
    }
}
