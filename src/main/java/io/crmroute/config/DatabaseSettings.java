package io.crmroute.config;

import io.crmroute.logging.UrlMask;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code database:}: a PostgreSQL JDBC URL and its credentials (the password from the environment).
 * A password written in the URL ({@code ?password=...}) is taken out of it into {@code password}, as
 * the driver would read it anyway: the URL is logged, and must not carry it. Where the URL is shown,
 * {@link #shownUrl()} masks what else looks secret; {@code /health} shows {@link #location()} only.
 */
public record DatabaseSettings(String url, String user, String password) {

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("([?&])password=([^&#]*)&?", Pattern.CASE_INSENSITIVE);

    public DatabaseSettings {
        Matcher inUrl = PASSWORD_PARAMETER.matcher(url);
        if (inUrl.find()) {
            // The driver lets the URL's password win over the one passed beside it; so do we.
            password = URLDecoder.decode(inUrl.group(2), StandardCharsets.UTF_8);
            String rest = url.substring(inUrl.end());
            String before = url.substring(0, inUrl.start());
            url = rest.isEmpty() ? before : before + inUrl.group(1) + rest;
        }
    }

    /** The URL with userinfo and secret-looking parameters masked: for logs and messages. */
    public String shownUrl() {
        return UrlMask.mask(url);
    }

    /** {@code host:port/database} and nothing else: for {@code /health}, which anyone may read. */
    public String location() {
        String rest = url.startsWith("jdbc:postgresql:") ? url.substring("jdbc:postgresql:".length()) : url;
        if (rest.startsWith("//")) rest = rest.substring(2);
        int query = rest.indexOf('?');
        if (query >= 0) rest = rest.substring(0, query);
        int at = rest.lastIndexOf('@');
        return at >= 0 ? rest.substring(at + 1) : rest;
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + shownUrl() + ", user=" + user + ", password=****]";
    }
}
