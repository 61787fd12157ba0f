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
     * What is wrong with {@code bucket} as the name of a bucket to read, or null: 3 to 255 letters, digits, dots,
     * hyphens and underscores. S3's rules for new buckets ({@link #newBucketProblem}) are stricter, but older buckets
     * (us-east-1 before 2018) and some stores (Ceph) keep names outside them, and the SDK reads them by path.
     */
    public static String bucketProblem(String bucket) {
        if (bucket.isEmpty()) {
            return "names no bucket (s3://bucket/key)";
        }
        return bucket.matches("[A-Za-z0-9._-]{3,255}") ? null : "bucket '" + bucket + "' is not a bucket name (3 to "
                + "255 letters, digits, '.', '-' or '_')";
    }

    /**
     * What is wrong with {@code bucket} as the name of the bucket Sift creates when it is missing
     * ({@code SIFT_S3_BUCKET}), or null: S3's rules, which the SDK checks before it creates one (3 to 63 lowercase
     * letters, digits, dots and hyphens, a letter or digit at each end, no two dots or a dot beside a hyphen, not an
     * IP address), else a Java exception after the database has started.
     */
    public static String newBucketProblem(String bucket) {
        boolean ok = bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]") && !bucket.contains("..")
                && !bucket.contains(".-") && !bucket.contains("-.") && !bucket.matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        return ok ? null : "not an S3 bucket name (3 to 63 lowercase letters, digits, '.' and '-', a letter or digit "
                + "at each end, no '..', '.-' or '-.', not an IP address)";
    }

    /** Whether two texts are addresses of the same object (false when either is none). */
    public static boolean same(String a, String b) {
        return a != null && b != null && problem(a) == null && problem(b) == null && parse(a).equals(parse(b));
    }

    /**
     * The key with its {@code %XX} escapes decoded, when it holds any and they decode to UTF-8 text (a stray {@code %}
     * stays as written): an address written percent-encoded (which a key with a space needed before stop 58) means
     * those characters now, and a missing object's message names the decoded key as the one perhaps meant. Null
     * otherwise.
     */
    public String decodedKey() {
        if (!java.util.regex.Pattern.compile("%[0-9A-Fa-f]{2}").matcher(key).find()) {
            return null;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int i = 0;
        while (i < key.length()) {
            if (key.charAt(i) == '%' && i + 2 < key.length() && key.substring(i + 1, i + 3).matches("[0-9A-Fa-f]{2}")) {
                bytes.write(Integer.parseInt(key.substring(i + 1, i + 3), 16));
                i += 3;
            } else {
                int cp = key.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        String d = dev.sift.data.Text.strictUtf8(bytes.toByteArray());
        return d == null || d.equals(key) ? null : d;
    }
}
