package dev.sift.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.store.RunQuery.And;
import dev.sift.store.RunQuery.Compare;
import dev.sift.store.RunQuery.Field;
import dev.sift.store.RunQuery.Filter;
import dev.sift.store.RunQuery.Key;
import dev.sift.store.RunQuery.Not;
import dev.sift.store.RunQuery.Op;
import dev.sift.store.RunQuery.Or;
import dev.sift.store.RunQuery.Order;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The --where grammar: what it accepts, how it groups, and the column every error names. */
class WhereParserTest {
    private static Compare cmp(Key k, Op op, Object v) {
        return new Compare(k, op, v);
    }

    @Test
    void theAcceptanceExpression() {
        Filter f = WhereParser.parse("metrics.selected.ndcg@10 > 0.9 or params.filter.by = 'el2n'");
        assertEquals(new Or(cmp(Key.metric("selected", "ndcg@10"), Op.GT, 0.9),
                cmp(Key.param("filter.by"), Op.EQ, "el2n")), f);
    }

    @Test
    void notBindsTighterThanAndWhichBindsTighterThanOr() {
        Compare a = cmp(Key.of(Field.STATUS), Op.EQ, "FAILED");
        Compare b = cmp(Key.param("filter.keep"), Op.LE, 0.5);
        Compare c = cmp(Key.of(Field.WORKFLOW), Op.NE, "quickstart");
        assertEquals(new Or(a, new And(b, new Not(c))),
                WhereParser.parse("status = 'failed' or params.filter.keep <= 0.5 and not workflow != 'quickstart'"));
        assertEquals(new And(new Or(a, b), c),
                WhereParser.parse("(status='failed' OR params.filter.keep<=.5) AnD workflow <> 'quickstart'"));
        assertEquals(new Not(new Not(a)), WhereParser.parse("not not (((status = 'FAILED')))"));
        assertEquals(new And(new And(a, b), c), WhereParser.parse("status = 'failed' and params.filter.keep <= 5e-1 "
                + "and workflow != 'quickstart'"));
    }

    @Test
    void literalsAndKeys() {
        assertEquals(cmp(Key.param("a.b_c.d-e"), Op.GE, -1500.0), WhereParser.parse("params.a.b_c.d-e >= -1.5E3"));
        assertEquals(cmp(Key.param("x"), Op.EQ, "it's"), WhereParser.parse("params.x = 'it''s'"));
        assertEquals(cmp(Key.param("x"), Op.EQ, ""), WhereParser.parse("params.x = ''"));
        assertEquals(cmp(Key.metric("random-train", "ndcg@10_sd"), Op.LT, 0.01),
                WhereParser.parse("metrics.random-train.ndcg@10_sd < 0.01"));
        assertEquals(cmp(Key.of(Field.CREATED), Op.GE, Instant.parse("2026-11-30T00:00:00Z")),
                WhereParser.parse("created >= '2026-11-30'"));
        assertEquals(cmp(Key.of(Field.CREATED), Op.LT, Instant.parse("2026-11-30T12:30:00Z")),
                WhereParser.parse("created < '2026-11-30T14:30:00+02:00'"));
        assertEquals(cmp(Key.of(Field.CREATED), Op.LT, Instant.parse("2026-11-30T14:30:00Z")),
                WhereParser.parse("created < '2026-11-30T14:30'"));
        assertEquals(cmp(Key.of(Field.STATUS), Op.EQ, "INTERRUPTED"), WhereParser.parse("status = 'Interrupted'"));
        assertEquals(cmp(Key.of(Field.NAME), Op.NE, "nightly"), WhereParser.parse("name != 'nightly'"));
    }

    /** Each bad expression and the column its error names (1-based, where the offending token starts). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "foo = 1|1|unknown key 'foo'",
        "status = 'failed' and bar > 2|23|unknown key 'bar'",
        "metrics.selected.ndcg@10 >|27|expected a number or a 'quoted string'",
        "metrics.selected.ndcg@10 0.9|26|expected an operator",
        "metrics.selected > 0.9|1|needs a subset and a metric",
        "metrics.selected.kappa > 'high'|26|is a number",
        "params. = 1|1|unknown key 'params.'",
        "params.a..b = 1|1|unknown key",
        "params.x = 'open|12|no closing quote",
        "(status = 'failed'|19|expected ')' to close the '(' at column 1",
        "status = 'failed')|18|')' without a matching '('",
        "status = 'failed' params.x = 1|19|expected 'and', 'or' or the end",
        "status = 'failed' and|22|expected a key",
        "status = 'done'|10|status is one of",
        "status = 3|10|status is one of",
        "workflow = quickstart|12|expected a number or a 'quoted string'",
        "workflow = 42|12|workflow is a name",
        "name = 7|8|name is a name; quote it: '7'",
        "created > 'yesterday'|11|created takes a quoted date",
        "created > 20261130|11|created takes a quoted date",
        "status == 'failed'|9|expected a number or a 'quoted string'",
        "status = 'x' ; DROP TABLE run|14|unexpected character ';'",
        "metrics.selected.kappa > -|26|'-' here starts neither a number nor a key",
        "-params.x = 1|1|'-' here starts neither a number nor a key",
        "params.filter'by = 'el2n'|14|expected an operator",
        "params.x = 5x|12|is not a number",
        "metrics.selected.kappa > 1e999|26|beyond the range of a number",
        "1 = 1|1|expected a key",
        "|1|expected a key",
        "not|4|expected a key",
        "params.x = 1 and and params.y = 2|18|expected a key"})
    void errorsNameTheirColumn(String expr, int column, String message) {
        SiftException e = assertThrows(SiftException.class, () -> WhereParser.parse(expr == null ? "" : expr));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("--where: column " + column + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void nestingIsBounded() {
        String deep = "(".repeat(WhereParser.MAX_DEPTH + 1) + "status = 'failed'" + ")".repeat(WhereParser.MAX_DEPTH + 1);
        SiftException e = assertThrows(SiftException.class, () -> WhereParser.parse(deep));
        assertTrue(e.getMessage().contains("nested deeper than"), e.getMessage());
        // exactly 64 levels, as the README says (a probe's 64 were refused: the comparison counted as one)
        String fine = "(".repeat(WhereParser.MAX_DEPTH) + "status = 'failed'" + ")".repeat(WhereParser.MAX_DEPTH);
        assertEquals(cmp(Key.of(Field.STATUS), Op.EQ, "FAILED"), WhereParser.parse(fine));
        WhereParser.parse("not ".repeat(WhereParser.MAX_DEPTH) + "status = 'failed'");
        assertThrows(SiftException.class, () -> WhereParser.parse("not ".repeat(WhereParser.MAX_DEPTH + 1)
                + "status = 'failed'"));
    }

    @Test
    void comparisonsAreBounded() {
        java.util.function.IntFunction<String> terms = n -> String.join(" or ", java.util.Collections.nCopies(n,
                "params.seed = 7"));
        SiftException e = assertThrows(SiftException.class, () -> WhereParser.parse(terms.apply(4000)));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        // the key of the first comparison past the bound: 19 characters a term with its " or "
        assertTrue(e.getMessage().startsWith("--where: column " + (WhereParser.MAX_COMPARISONS * 19 + 1) + ": "),
                e.getMessage());
        assertTrue(e.getMessage().contains("more than " + WhereParser.MAX_COMPARISONS + " comparisons"),
                e.getMessage());
        assertTrue(WhereParser.parse(terms.apply(WhereParser.MAX_COMPARISONS)) instanceof dev.sift.store.RunQuery.Or);
    }

    @Test
    void orderBy() {
        assertEquals(new Order(Key.metric("selected", "kappa"), true),
                WhereParser.order(List.of("metrics.selected.kappa", "desc")));
        assertEquals(new Order(Key.metric("selected", "kappa"), true),
                WhereParser.order(List.of("metrics.selected.kappa DESC")));
        assertEquals(new Order(Key.of(Field.CREATED), false), WhereParser.order(List.of("created")));
        assertEquals(new Order(Key.param("filter.keep"), false), WhereParser.order(List.of("params.filter.keep", "asc")));
        for (List<String> bad : List.of(List.of("metrics.selected.kappa", "down"), List.of("a", "b", "c"),
                List.of("kappa"), List.of("metrics.selected.kappa;DROP TABLE run"), List.of("params.a'b"))) {
            SiftException e = assertThrows(SiftException.class, () -> WhereParser.order(bad), bad.toString());
            assertEquals(ExitCodes.USAGE, e.exitCode());
            assertTrue(e.getMessage().startsWith("--order-by"), e.getMessage());
        }
    }
}
