package io.crmroute.console;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Who may use the console and {@code /api}: holders of the configured {@code admin.token}; on a loopback
 * HTTP port without one, holders of a token made at start and handed out once through a sign-in link;
 * elsewhere without one, nobody (the console says why).
 */
public sealed interface ConsoleAccess permits ConsoleAccess.Configured, ConsoleAccess.Generated, ConsoleAccess.Off {

    /** The token for {@code /api}, if the console is on. */
    Optional<String> apiToken();

    /** {@code admin.token} is set. */
    record Configured(String token) implements ConsoleAccess {
        @Override
        public Optional<String> apiToken() {
            return Optional.of(token);
        }

        @Override
        public String toString() {
            return "Configured[token=***]";
        }
    }

    /** No {@code admin.token}, loopback port: a token for this run only, given once for the sign-in code. */
    record Generated(OneTimeSignIn signIn) implements ConsoleAccess {
        @Override
        public Optional<String> apiToken() {
            return Optional.of(signIn.token());
        }
    }

    /** No {@code admin.token} and a port others can reach: console and {@code /api} stay off. */
    record Off(String reason) implements ConsoleAccess {
        @Override
        public Optional<String> apiToken() {
            return Optional.empty();
        }
    }

    static ConsoleAccess decide(Optional<String> configuredToken, String httpHost, SecureRandom random) {
        if (configuredToken.isPresent() && !configuredToken.get().isBlank()) return new Configured(configuredToken.get());
        if (isLoopback(httpHost)) return new Generated(new OneTimeSignIn(randomText(random), randomText(random)));
        return new Off("The console and /api are off: admin.token is not set and the HTTP port is bound to " + httpHost
                + ", which others can reach. Set admin.token (e.g. token: \"${CRMROUTE_ADMIN_TOKEN}\" under admin:) and restart,"
                + " or bind server.http.host to 127.0.0.1 to get a one-time sign-in link in the log.");
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    private static String randomText(SecureRandom random) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
