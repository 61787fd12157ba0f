package dev.sift.store;

import java.util.regex.Pattern;

/**
 * A database URL or an S3 endpoint as it may be printed, one rule for both that errs towards starring: every query
 * value ({@code ?name=value}, {@code &name=value}, {@code ;name=value}) is starred, then the password of
 * {@code user:password@}, up to the last {@code @}. So a password holding {@code /}, {@code ?} or {@code @} that is not
 * percent-encoded, as users write them, is starred whole, and an {@code @} in a query value does not end it.
 */
final class UrlRedaction {
    private static final Pattern QUERY_VALUE = Pattern.compile("([?&;][^=&;?/@]+=)[^&;]*");

    private UrlRedaction() {
    }

    static String redact(String url) {
        String s = QUERY_VALUE.matcher(url).replaceAll("$1***");
        int slashes = s.indexOf("//");
        int at = s.lastIndexOf('@');
        if (slashes < 0 || at < slashes) {
            return s;
        }
        int colon = s.indexOf(':', slashes + 2);
        return colon < 0 || colon > at ? s : s.substring(0, colon + 1) + "***" + s.substring(at);
    }
}
