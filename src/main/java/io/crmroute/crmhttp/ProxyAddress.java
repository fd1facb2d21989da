package io.crmroute.crmhttp;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * An outbound HTTP proxy, {@code http://[user:password@]host:port}. Its {@link #toString} never shows
 * the credentials.
 */
public record ProxyAddress(String host, int port, Optional<String> username, Optional<String> password) {

    public static final String EXPECTED = "expected http://host:port or http://user:password@host:port";

    public ProxyAddress {
        if (host == null || host.isEmpty()) throw new IllegalArgumentException("no host");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " out of range");
        if (username.isPresent() != password.isPresent()) throw new IllegalArgumentException("a user needs a password");
    }

    /** Reads {@code http://[user:password@]host:port}; anything else (another scheme, a path, no port) is refused. */
    public static ProxyAddress parse(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(EXPECTED);
        }
        boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0 || !bare
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(EXPECTED);
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        // getUserInfo() decodes %XX and leaves a '+' alone (URLDecoder, a form decoder, would make it a space, and
        // base64 passwords are full of them); a ':' or '@' in the password must be written %3A / %40.
        String info = uri.getUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException(EXPECTED);
            user = Optional.of(info.substring(0, colon));
            password = Optional.of(info.substring(colon + 1));
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new ProxyAddress(host, uri.getPort(), user, password);
    }

    @Override
    public String toString() {
        return "http://" + (username.isPresent() ? "****@" : "") + host + ":" + port;
    }
}
