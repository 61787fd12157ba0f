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
     * What is wrong with {@code text} as an object's address, or null: it must start {@code s3://}, name a bucket
     * ({@link #bucketProblem}), then a slash and a key that is not empty.
     */
    public static String problem(String text) {
        String folder = folderProblem(text);
        if (folder != null) {
            return folder;
        }
        String rest = text.substring("s3://".length());
        int slash = rest.indexOf('/');
        if (slash < 0 || slash == rest.length() - 1) {
            return "names a bucket but no object (s3://" + (slash < 0 ? rest : rest.substring(0, slash)) + "/key)";
        }
        return null;
    }

    /**
     * What is wrong with {@code text} as a folder's address ({@code model.source}: the bucket itself, or a prefix in
     * it), or null.
     */
    public static String folderProblem(String text) {
        if (!text.startsWith("s3://")) {
            return "not an s3://bucket/key address";
        }
        String rest = text.substring("s3://".length());
        int slash = rest.indexOf('/');
        return bucketProblem(slash < 0 ? rest : rest.substring(0, slash));
    }

    /**
     * What is wrong with {@code bucket} as an S3 bucket name, or null: 3 to 63 lowercase letters, digits, dots and
     * hyphens, starting and ending with a letter or digit (S3's rules, which the SDK also checks itself; the one rule
     * for data addresses and {@code SIFT_S3_BUCKET}).
     */
    public static String bucketProblem(String bucket) {
        if (bucket.isEmpty()) {
            return "names no bucket (s3://bucket/key)";
        }
        return bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]") ? null : "bucket '" + bucket + "' is not an S3 "
                + "bucket name (3 to 63 lowercase letters, digits, '.' and '-', starting and ending with a letter or "
                + "digit)";
    }

    /** Whether two texts are addresses of the same object (false when either is none). */
    public static boolean same(String a, String b) {
        return a != null && b != null && problem(a) == null && problem(b) == null && parse(a).equals(parse(b));
    }

    /**
     * The key with its {@code %XX} escapes decoded, when it holds any that decode to something else: an address
     * written percent-encoded (which a key with a space needed before stop 58) means those characters now; a
     * missing object's message names the decoded key as the one perhaps meant. Null otherwise.
     */
    public String decodedKey() {
        if (!key.matches(".*%[0-9A-Fa-f]{2}.*")) {
            return null;
        }
        try {
            String d = java.net.URLDecoder.decode(key.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
            return d.equals(key) ? null : d;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
