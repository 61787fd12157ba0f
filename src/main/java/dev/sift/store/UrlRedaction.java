package dev.sift.store;

import java.util.ArrayList;
import java.util.List;

/**
 * A database URL or an S3 or Batch endpoint as it may be printed, one rule for all that errs towards starring.
 * First the user info: from the first {@code :} after {@code //} to the last {@code @} (so a password holding
 * {@code / ? & ; = @}, not percent-encoded as users write them, is starred whole); for an endpoint the user too (a user
 * alone there is a key). Then every part of the query after it: {@code name=***}, or {@code ***} for a part without a
 * name. The cost of erring so: a host with a port and an {@code @} later in the path or query prints as
 * {@code host:***@...}.
 */
public final class UrlRedaction {
    private static final java.util.regex.Pattern SECRET_NAME = java.util.regex.Pattern.compile(
            "(?i)pass|secret|token|key|sig|cred");
    private UrlRedaction() {
    }

    /** A database URL: the user name stays (it says which role failed), the password and query values do not. */
    public static String database(String url) {
        return redact(url, false);
    }

    /** An endpoint (S3, Batch): the whole user info starred, and the query. */
    public static String endpoint(String url) {
        return redact(url, true);
    }

    /**
     * An endpoint setting ({@code variable}: SIFT_S3_ENDPOINT, SIFT_BATCH_ENDPOINT) as a URI: an http or https URL with
     * a host and no credentials or query, or the command ends with exit code 3 and one line that prints it starred.
     */
    public static java.net.URI endpointUri(String variable, String setting) {
        String why;
        String hint = ": it needs http:// or https:// and a host, e.g. http://127.0.0.1:9000";
        try {
            java.net.URI u = new java.net.URI(setting.trim());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (u.getRawUserInfo() != null || u.getRawQuery() != null) {
                // AWS signs with its credentials; a user:password@ or a ?token= would only be printed
                why = "holds " + (u.getRawUserInfo() != null ? "credentials (user:password@)" : "a query (?...)");
                hint = ": give the endpoint alone, and the credentials as AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
                        + " or AWS_PROFILE";
            } else if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) {
                return u;
            } else {
                why = "is not an http or https URL with a host";
            }
        } catch (java.net.URISyntaxException e) {
            why = "is not a URL (" + e.getReason() + " at index " + e.getIndex() + ")";
        }
        throw new dev.sift.SiftException(dev.sift.ExitCodes.ENVIRONMENT, variable + " '" + endpoint(setting) + "' " + why
                + hint);
    }

    private static String redact(String url, boolean starUser) {
        String s = url;
        int rest = 0;
        int slashes = s.indexOf("//");
        int at = s.lastIndexOf('@');
        if (slashes >= 0) {
            rest = slashes + 2;
            int colon = s.indexOf(':', slashes + 2);
            if (at > slashes && (starUser || (colon >= 0 && colon < at))) {
                String kept = starUser ? "" : s.substring(slashes + 2, colon + 1);
                // an @ in a query value ended the "user info": what follows it is still query, not a host
                boolean inQuery = s.substring(slashes + 2, at).indexOf('?') >= 0;
                s = s.substring(0, slashes + 2) + kept + "***" + s.substring(at);
                rest = slashes + 2 + kept.length() + 4;
                if (inQuery && s.indexOf('?', rest) < 0) {
                    return s.substring(0, rest) + query(s.substring(rest));
                }
            }
        }
        // parameters after a ';' (other drivers' form, written out of habit: //host/db;password=...) count as query
        int q = firstOf(s, rest, '?', ';');
        return q < 0 ? s : s.substring(0, q + 1) + query(s.substring(q + 1));
    }

    private static int firstOf(String s, int from, char a, char b) {
        int i = s.indexOf(a, from);
        int j = s.indexOf(b, from);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    /** Query parts separated by & or ;, each as {@code name=***}, or {@code ***} without a name. */
    private static String query(String query) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (from <= query.length()) {
            int end = from;
            while (end < query.length() && query.charAt(end) != '&' && query.charAt(end) != ';') {
                end++;
            }
            String part = query.substring(from, end);
            int eq = part.indexOf('=');
            out.append(eq > 0 ? part.substring(0, eq + 1) + "***" : part.isEmpty() ? "" : "***");
            if (end < query.length()) {
                out.append(query.charAt(end));
            }
            from = end + 1;
        }
        return out.toString();
    }

    /**
     * A driver's or SDK's own message with what it must not repeat starred: the URL's password (in the user info,
     * and the values of query parameters named like a password, token, secret or key) and the given secrets; any of
     * under 3 characters is left (starring every "ab" would garble the message).
     */
    static String scrub(String message, String url, String... secrets) {
        if (message == null) {
            return null;
        }
        List<String> out = new ArrayList<>(java.util.Arrays.asList(secrets));
        int slashes = url.indexOf("//");
        int at = url.lastIndexOf('@');
        if (slashes >= 0 && at > slashes) {
            String info = url.substring(slashes + 2, at);
            out.add(info.indexOf(':') < 0 ? info : info.substring(info.indexOf(':') + 1));
        }
        int q = firstOf(url, at < 0 ? 0 : at, '?', ';'); // ;password= too: the server repeats it as the database name
        if (q >= 0) {
            for (String part : url.substring(q + 1).split("[&;]")) {
                int eq = part.indexOf('=');
                if (eq > 0 && SECRET_NAME.matcher(part.substring(0, eq)).find()) {
                    out.add(part.substring(eq + 1));
                }
            }
        }
        String m = message;
        out.removeIf(x -> x == null || x.length() < 3); // "1", "on": starring them would garble the message, not hide
        out.sort((a, b) -> b.length() - a.length());
        for (String secret : out) {
            m = m.replace(secret, "***");
        }
        return m;
    }
}
