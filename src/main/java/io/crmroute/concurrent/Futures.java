package io.crmroute.concurrent;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Reading what a failed {@code CompletableFuture} hands over. */
public final class Futures {

    private Futures() {}

    /** The failure inside the {@link CompletionException}/{@link ExecutionException} wrappers futures add. */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
