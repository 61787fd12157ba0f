package dev.sift.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A query over runs as data: which runs ({@link Filter}), in what order, how many. {@link HistoryStore} turns it
 * into SQL in which every key name and every value is a bind parameter; the SQL text comes only from the fixed
 * fragments of the {@link Field}s and {@link Op}s here.
 */
public final class RunQuery {
    private RunQuery() {
    }

    /** What a key reads. */
    public enum Field {
        /** The run's status (RUNNING, SUCCEEDED, FAILED, INTERRUPTED). */
        STATUS,
        /** The workflow's name. */
        WORKFLOW,
        /** The run's own name ({@code sift run --name}, else the workflow's; a schedule's for its firings). */
        NAME,
        /** When the run was created. */
        CREATED,
        /** One resolved workflow parameter, by its dotted name. */
        PARAM,
        /** One metric of one subset on the test split, mean over seeds, in the latest iteration that has it. */
        METRIC
    }

    /**
     * A key: {@code name} is the parameter's dotted name for PARAM, the metric name for METRIC (with
     * {@code subset}), null otherwise.
     */
    public record Key(Field field, String subset, String name) {
        public Key {
            requireNonNull(field, "field is null");
            if ((field == Field.PARAM || field == Field.METRIC) != (name != null)) {
                throw new IllegalArgumentException(field + " key with name " + name);
            }
            if ((field == Field.METRIC) != (subset != null)) {
                throw new IllegalArgumentException(field + " key with subset " + subset);
            }
        }

        public static Key of(Field field) {
            return new Key(field, null, null);
        }

        public static Key param(String dotted) {
            return new Key(Field.PARAM, null, dotted);
        }

        public static Key metric(String subset, String name) {
            return new Key(Field.METRIC, subset, name);
        }

        /** The key as written in a filter: {@code status}, {@code params.filter.keep}, {@code metrics.selected.kappa}. */
        public String label() {
            return switch (field) {
                case PARAM -> "params." + name;
                case METRIC -> "metrics." + subset + "." + name;
                default -> field.name().toLowerCase(java.util.Locale.ROOT);
            };
        }
    }

    /** Comparison operators, with their SQL. */
    public enum Op {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        final String sql;

        Op(String sql) {
            this.sql = sql;
        }

        /** Whether {@code c}, the sign of a comparison of a value with the literal, satisfies this operator. */
        public boolean test(int c) {
            return switch (this) {
                case EQ -> c == 0;
                case NE -> c != 0;
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
            };
        }
    }

    /** A boolean expression over keys. */
    public sealed interface Filter permits Compare, And, Or, Not {
    }

    /**
     * {@code key op value}; {@code value} is a {@link Double}, a {@link String} or, for CREATED, an
     * {@link Instant}. A run that lacks the key (no such parameter or metric, or a value of the other type) fails
     * every comparison.
     */
    public record Compare(Key key, Op op, Object value) implements Filter {
        public Compare {
            requireNonNull(key, "key is null");
            requireNonNull(op, "op is null");
            if (!(value instanceof Double || value instanceof String || value instanceof Instant)) {
                throw new IllegalArgumentException("value must be a number, a string or an instant: " + value);
            }
        }
    }

    public record And(Filter left, Filter right) implements Filter {
    }

    public record Or(Filter left, Filter right) implements Filter {
    }

    public record Not(Filter inner) implements Filter {
    }

    /** Order by a key; runs that lack it come last either way, ties newest first. */
    public record Order(Key key, boolean descending) {
    }

    /**
     * The whole query: {@code filter} null for every run, {@code order} null for newest first, and {@code show}
     * the parameter and metric keys whose values come back with each run.
     */
    public record Query(Filter filter, Order order, int limit, List<Key> show) {
        public Query {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1, got " + limit);
            }
            show = List.copyOf(show);
        }
    }
}
