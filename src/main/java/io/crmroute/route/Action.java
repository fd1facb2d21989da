package io.crmroute.route;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One write a route's outcome asks for, as configured under {@code actions:}; its values are templates
 * rendered per call. Only {@code match} has a record to update or log a call on.
 */
public sealed interface Action {

    /** Field API name to template, in the order written. */
    Map<String, Template> set();

    Options options();

    /** {@code create: OBJECT}. */
    record Create(String object, Map<String, Template> set, Options options) implements Action {
        public Create {
            Objects.requireNonNull(object, "object");
            set = ordered(set);
            Objects.requireNonNull(options, "options");
        }
    }

    /** {@code update: record} (the first matched record) or {@code update: records} (each, up to the route's {@code records}). */
    record Update(boolean everyRecord, Map<String, Template> set, Options options) implements Action {
        public Update {
            set = ordered(set);
            Objects.requireNonNull(options, "options");
        }
    }

    /** {@code log-call: true}: the vendor's call activity on the first matched record. */
    record LogCall(Template subject, Map<String, Template> set, Options options) implements Action {
        public LogCall {
            Objects.requireNonNull(subject, "subject");
            set = ordered(set);
            Objects.requireNonNull(options, "options");
        }
    }

    /** Sync runs before the variables are set, within the route's budget; async is queued and retried. */
    enum Mode { ASYNC, SYNC }

    /**
     * {@code mode}, {@code key-field} (where the call key is kept, for retry safety) and {@code retry-for}
     * (how long an async action is retried).
     */
    record Options(Mode mode, Optional<String> keyField, Duration retryFor) {
        public static final Duration DEFAULT_RETRY_FOR = Duration.ofMinutes(10);
        public static final Options DEFAULTS = new Options(Mode.ASYNC, Optional.empty(), DEFAULT_RETRY_FOR);

        public Options {
            Objects.requireNonNull(mode, "mode");
            keyField = keyField == null ? Optional.empty() : keyField;
            Objects.requireNonNull(retryFor, "retryFor");
        }

        public boolean sync() {
            return mode == Mode.SYNC;
        }
    }

    private static Map<String, Template> ordered(Map<String, Template> set) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(set));
    }
}
