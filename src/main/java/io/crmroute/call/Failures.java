package io.crmroute.call;

import io.crmroute.agi.AgiSessionClosedException;
import io.crmroute.concurrent.Futures;
import java.util.concurrent.CompletionException;

/** Reading the failures that futures hand over. */
final class Failures {

    private Failures() {}

    static boolean isClosed(Throwable failure) {
        return Futures.unwrap(failure) instanceof AgiSessionClosedException;
    }

    static void rethrowIfClosed(Throwable failure) {
        if (isClosed(failure)) throw new CompletionException(Futures.unwrap(failure));
    }

    /** A message fit for one channel variable or log line. */
    static String oneLine(String message) {
        if (message == null) return "";
        String line = message.replaceAll("[\\r\\n\\t]+", " ").trim();
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
