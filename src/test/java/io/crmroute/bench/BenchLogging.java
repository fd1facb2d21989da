package io.crmroute.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * Keeps the bench quiet without a logback file of its own (which would clash with the project's): without
 * one, logback logs everything at DEBUG, and asterisk-java logs each refused call and each hangup.
 */
final class BenchLogging {

    private BenchLogging() {}

    static void quiet() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) return;
        level("org.asteriskjava", Level.OFF);   // expected hangups and refusals, one stack trace each
        level("io.crmroute.bench", Level.WARN);
        level("io.netty", Level.INFO);
        level("io.micrometer", Level.WARN);
        level("jdk.internal.httpclient", Level.WARN);
    }

    /** A child JVM of the bench: only warnings. */
    static void quietChild() {
        quiet();
        level(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.WARN);
    }

    private static void level(String logger, Level level) {
        ((Logger) LoggerFactory.getLogger(logger)).setLevel(level);
    }
}
