package io.crmroute.call;

import io.crmroute.agi.AgiSessionClosedException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Reading the failures that futures hand over. */
final class Failures {

    private Failures() {}

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static boolean isClosed(Throwable failure) {
        return unwrap(failure) instanceof AgiSessionClosedException;
    }

    static void rethrowIfClosed(Throwable failure) {
        if (isClosed(failure)) throw new CompletionException(unwrap(failure));
    }

    /** A message fit for one channel variable or log line. */
    static String oneLine(String message) {
        if (message == null) return "";
        String line = message.replaceAll("[\\r\\n\\t]+", " ").trim();
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
