package dev.sift.store;

/**
 * An {@code s3://bucket/key} address read as the AWS CLI reads one: the bucket up to the first slash, the key the rest
 * of the text as written (a space, {@code %}, {@code #} or {@code ?} is part of the key, nothing is decoded). Read as a
 * URI before, a key with a space or {@code %} stopped ingest with a Java exception after the run was recorded, one
 * with {@code #} or {@code ?} read another object, and {@code s3://sift} or a bucket with {@code _!} retried for a
 * minute as if S3 were down.
 */
public record S3Address(String bucket, String key) {
    /** The address of {@code text}; an {@link IllegalArgumentException} saying what is wrong with it when it is none. */
    public static S3Address parse(String text) {
        String problem = problem(text);
        if (problem != null) {
            throw new IllegalArgumentException(text + ": " + problem);
        }
        String rest = text.substring("s3://".length());
        int slash = rest.indexOf('/');
        return new S3Address(rest.substring(0, slash), rest.substring(slash + 1));
    }

    /** {@link #parse}, what is wrong a usage error (exit code 2). */
    public static S3Address of(String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw dev.sift.SiftException.usage(e.getMessage());
        }
    }

    /**
     * What is wrong with {@code text} as an object's address, or null: it must start {@code s3://}, name a bucket of 3
     * to 255 letters, digits, dots, hyphens and underscores (S3's rules and the older ones some stores keep), then a
     * slash and a key that is not empty.
     */
    public static String problem(String text) {
        if (!text.startsWith("s3://")) {
            return "not an s3://bucket/key address";
        }
        String rest = text.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        if (!bucket.matches("[A-Za-z0-9._-]{3,255}")) {
            return bucket.isEmpty() ? "names no bucket (s3://bucket/key)" : "bucket '" + bucket + "' is not a bucket "
                    + "name (3 to 255 letters, digits, '.', '-' or '_')";
        }
        if (slash < 0 || slash == rest.length() - 1) {
            return "names a bucket but no object (s3://" + bucket + "/key)";
        }
        return null;
    }

    /** Whether two texts are addresses of the same object (false when either is none). */
    public static boolean same(String a, String b) {
        return a != null && b != null && problem(a) == null && problem(b) == null && parse(a).equals(parse(b));
    }
}
