package dev.sift.history;

import dev.sift.store.HistoryStore;
import dev.sift.store.RunEntity;
import dev.sift.store.RunQuery;
import dev.sift.store.RunQuery.Compare;
import dev.sift.store.RunQuery.Field;
import dev.sift.store.RunQuery.Filter;
import dev.sift.store.RunQuery.Key;
import dev.sift.store.RunQuery.Op;
import dev.sift.store.RunQuery.Order;
import dev.sift.store.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code runs list}: runs filtered by workflow, status and a {@code --where} expression ({@link WhereParser}),
 * ordered, limited, in one SQL query that also reads the columns shown and counts the finished stages. The parameters and metrics the expression and the ordering name are shown as
 * columns after the usual ones.
 */
@ApplicationScoped
public class RunListing {
    @Inject
    HistoryStore store;
    @Inject
    RunParams params;

    /** The query {@code runs list} runs: every argument may be null (and {@code orderBy} empty). */
    public static RunQuery.Query query(String workflow, RunEntity.Status status, String where, List<String> orderBy,
            int limit) {
        dev.sift.SiftException.atLeast("--limit", limit, 1);
        Filter f = where == null ? null : WhereParser.parse(where);
        if (workflow != null) {
            f = and(f, new Compare(Key.of(Field.WORKFLOW), Op.EQ, workflow));
        }
        if (status != null) {
            f = and(f, new Compare(Key.of(Field.STATUS), Op.EQ, status.name()));
        }
        Order order = orderBy == null || orderBy.isEmpty() ? null : WhereParser.order(orderBy);
        Set<Key> show = new LinkedHashSet<>();
        keys(f, show);
        if (order != null) {
            show.add(order.key());
        }
        show.removeIf(k -> k.field() != Field.PARAM && k.field() != Field.METRIC);
        return new RunQuery.Query(f, order, limit, new ArrayList<>(show));
    }

    private static Filter and(Filter a, Filter b) {
        return a == null ? b : new RunQuery.And(a, b);
    }

    private static void keys(Filter f, Set<Key> out) {
        if (f instanceof RunQuery.And a) {
            keys(a.left(), out);
            keys(a.right(), out);
        } else if (f instanceof RunQuery.Or o) {
            keys(o.left(), out);
            keys(o.right(), out);
        } else if (f instanceof RunQuery.Not n) {
            keys(n.inner(), out);
        } else if (f instanceof Compare c) {
            out.add(c.key());
        }
    }

    /** The runs a query selects, as a table. */
    public Table list(RunQuery.Query q) {
        if (q.show().stream().anyMatch(k -> k.field() == Field.PARAM)
                || q.order() != null && q.order().key().field() == Field.PARAM || mentionsParams(q.filter())) {
            params.backfill();
        }
        List<HistoryStore.Row> rows = store.search(q);
        List<String> cols = new ArrayList<>(List.of("id", "name", "workflow", "status", "created", "duration_s",
                "work_s", "stages"));
        q.show().forEach(k -> cols.add(k.label()));
        Table t = new Table(cols).whole("workflow");
        for (HistoryStore.Row row : rows) {
            RunEntity r = row.run();
            Double seconds = r.finishedAt == null || r.startedAt == null ? null
                    : Duration.between(r.startedAt, r.finishedAt).toMillis() / 1000.0;
            String stale = RunStore.staleNote(r);
            Object state = stale != null ? new Table.Noted(r.status.name(), stale) : r.status.name();
            List<Object> cells = new ArrayList<>(List.of(r.id, r.name, r.workflow, state,
                    r.createdAt.toString().substring(0, 19) + "Z"));
            cells.add(seconds);
            cells.add(row.workMs() == null ? null : row.workMs() / 1000.0);
            cells.add(row.stagesDone() + " done");
            for (int i = 0; i < row.shown().size(); i++) {
                Object v = row.shown().get(i);
                Key k = q.show().get(i);
                cells.add(k.field() == Field.PARAM ? Table.exact(v) : k.field() == Field.METRIC && v instanceof Double d
                        ? dev.sift.evaluation.Protocol.asCount(k.name(), d) : v); // seeds 2, not 2.0000
            }
            t.add(cells.toArray());
        }
        return t;
    }

    private static boolean mentionsParams(Filter f) {
        Set<Key> keys = new LinkedHashSet<>();
        keys(f, keys);
        return keys.stream().anyMatch(k -> k.field() == Field.PARAM);
    }
}
