package dev.sift.workflow;

import dev.sift.SiftException;
import java.util.Map;

/**
 * One of {@code count} slices of a stage's work, {@code index} counted from 0 (as AWS Batch counts the children of
 * an array job).
 */
public record Shard(int index, int count) {
    public Shard {
        if (count < 1) { // "must be 0..-1" said nothing (a probe's 0/0)
            throw SiftException.usage("--shard " + index + "/" + count + ": the count is at least 1");
        }
        if (index < 0 || index >= count) {
            throw SiftException.usage("--shard " + index + "/" + count + ": the index counts from 0, so it must be "
                    + (count == 1 ? "0" : "0.." + (count - 1)));
        }
    }

    /** {@code I/N}, as {@code --shard} takes it. */
    public static Shard parse(String text) {
        String[] p = text.split("/", -1);
        try {
            if (p.length == 2) {
                return new Shard(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw SiftException.usage("--shard " + text + ": expected INDEX/COUNT, e.g. 0/4 (the index counts from 0)");
    }

    /** The shard an AWS Batch array child is: AWS_BATCH_JOB_ARRAY_INDEX of AWS_BATCH_JOB_ARRAY_SIZE, else null. */
    public static Shard fromEnvironment(Map<String, String> env) {
        String i = env.get("AWS_BATCH_JOB_ARRAY_INDEX");
        String n = env.get("AWS_BATCH_JOB_ARRAY_SIZE");
        if (i == null || n == null) {
            return null;
        }
        return parse(i + "/" + n);
    }

    /**
     * The shard's samples of {@code size}, as [from, to): whole batches of {@code batch}, the batches split as evenly
     * as they go, so every sample is computed in the same batch as an unsharded pass computes it.
     */
    public int[] slice(int size, int batch) {
        int batches = (size + batch - 1) / batch;
        long first = (long) index * batches / count;
        long end = (long) (index + 1) * batches / count;
        return new int[] {(int) Math.min(size, first * batch), (int) Math.min(size, end * batch)};
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
