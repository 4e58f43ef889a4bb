package io.raceguard.testsupport;

/**
 * A URL as it may appear in an error message: without user information or query, either of which
 * may hold a password. Stateless and thread-safe.
 */
final class RedactedUrl {

    private RedactedUrl() {}

    /**
     * @param url any string offered as a URL, well-formed or not
     * @return {@code url} with anything before an {@code @} after the scheme replaced by {@code ***},
     *     and any query or fragment replaced by {@code ?...}
     */
    static String of(String url) {
        String withoutQuery = url.split("[?#]", 2)[0];
        String tail = withoutQuery.length() < url.length() ? "?..." : "";
        int at = withoutQuery.lastIndexOf('@');
        if (at < 0) {
            return withoutQuery + tail;
        }
        int schemeEnd = withoutQuery.indexOf("//");
        String scheme = schemeEnd >= 0 && schemeEnd < at ? withoutQuery.substring(0, schemeEnd + 2) : "";
        return scheme + "***@" + withoutQuery.substring(at + 1) + tail;
    }
}
