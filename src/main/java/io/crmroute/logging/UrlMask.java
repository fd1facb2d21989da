package io.crmroute.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A URL as it may be shown or logged: its userinfo ({@code user:password@}) and the values of
 * secret-looking query parameters ({@code password}, {@code secret}, {@code token}, {@code key},
 * {@code auth}, ...) replaced by {@code ****}. For URLs whose secrets are not known in advance (a
 * JDBC URL with {@code ?password=}); known secrets are masked by {@code io.crmroute.crm.Secrets}.
 *
 * <pre>{@code
 * UrlMask.mask("jdbc:postgresql://db:5432/crm?user=app&password=hunter2") // jdbc:postgresql://db:5432/crm?user=app&password=****
 * UrlMask.mask("https://me:pw@crm.example.com/api?api_key=k")            // https://****@crm.example.com/api?api_key=****
 * }</pre>
 */
public final class UrlMask {

    private static final String MASK = "****";
    private static final Pattern USERINFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.:-]*://)([^/?#@]*)@");
    // Query parameters (?a=1&b=2) and the ;a=1 form some JDBC drivers use.
    private static final Pattern PARAMETER = Pattern.compile("([?&;])([^=&;#?]*)=([^&;#]*)");
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(pass|pwd|secret|token|key|auth|credential|signature|session|cookie).*|sig");

    private UrlMask() {}

    public static String mask(String url) {
        if (url == null) return null;
        String masked = USERINFO.matcher(url).replaceFirst(match -> Matcher.quoteReplacement(match.group(1) + MASK + "@"));
        return PARAMETER.matcher(masked).replaceAll(match -> Matcher.quoteReplacement(
                SECRET_NAME.matcher(match.group(2)).matches() ? match.group(1) + match.group(2) + "=" + MASK : match.group()));
    }
}
