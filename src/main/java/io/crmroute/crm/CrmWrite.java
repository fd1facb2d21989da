package io.crmroute.crm;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One write a route's action asks of a CRM, its values already rendered from the call (plain text:
 * each connector encodes them for its vendor's format, JSON by Jackson, URLs and queries by its
 * escaping). {@link #callKey} names this action of this call and is the same on every retry: a
 * connector that creates a record makes the retry find the record the first attempt made instead of
 * creating a second one (the vendor's idempotency key, an upsert on {@code keyField}, a client-chosen id
 * made from the key, or a lookup of {@code keyField} before the create; see
 * {@link CrmConnector#retrySafe}).
 */
public sealed interface CrmWrite {

    /** The object written to: created, updated, or the matched record's object for a call log. */
    String object();

    /** Field API name to value, in the order written. */
    Map<String, String> fields();

    /**
     * This action of this call, e.g. {@code 1733110000.42:sales:nomatch:0} (uniqueid:route:outcome:index, and
     * {@code :n} for the n-th record of an update); the same on every retry.
     */
    String callKey();

    /** The field that holds the call key of a create or call log, where the route names one; an update has none. */
    Optional<String> keyField();

    /**
     * The call key as a name-based UUID: the same on every retry, for a vendor that takes a client-chosen record id
     * (Dataverse, SuiteCRM), and a key field value no query language needs to escape.
     */
    default String callKeyId() {
        return idOf(callKey());
    }

    /** {@code callKey} as a name-based (version 3) UUID, as {@link #callKeyId} gives it. */
    static String idOf(String callKey) {
        return UUID.nameUUIDFromBytes(callKey.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * {@link CrmConnector#retrySafe} of a vendor without idempotency key or client-chosen id: an update always, a create
     * or call log when a key field holds the call key (the vendor upserts on it, or the connector looks it up first).
     */
    default boolean retrySafeByKeyField() {
        return this instanceof Update || keyField().isPresent();
    }

    /** Create a record of {@code object}; {@code keyField}, if set, is the field that holds the call key. */
    record Create(String object, Map<String, String> fields, Optional<String> keyField, String callKey) implements CrmWrite {
        public Create {
            Objects.requireNonNull(object, "object");
            fields = ordered(fields);
            keyField = keyField == null ? Optional.empty() : keyField;
            Objects.requireNonNull(callKey, "callKey");
        }
    }

    /** Set {@code fields} on the record {@code recordId} of {@code object} (a matched record). */
    record Update(String object, String recordId, Map<String, String> fields, String callKey) implements CrmWrite {
        public Update {
            Objects.requireNonNull(object, "object");
            Objects.requireNonNull(recordId, "recordId");
            fields = ordered(fields);
            Objects.requireNonNull(callKey, "callKey");
        }

        @Override
        public Optional<String> keyField() {
            return Optional.empty();
        }
    }

    /**
     * Log the call as the vendor's call activity on the record {@code recordId} of {@code object} (Salesforce
     * Task, HubSpot call, Dynamics phonecall...), with {@code subject} and any further {@code fields} of the
     * activity; {@code keyField}, if set, is the activity's field that holds the call key.
     */
    record LogCall(String object, String recordId, String subject, Map<String, String> fields, CallFacts call,
                   Optional<String> keyField, String callKey) implements CrmWrite {
        public LogCall {
            Objects.requireNonNull(object, "object");
            Objects.requireNonNull(recordId, "recordId");
            Objects.requireNonNull(subject, "subject");
            fields = ordered(fields);
            Objects.requireNonNull(call, "call");
            keyField = keyField == null ? Optional.empty() : keyField;
            Objects.requireNonNull(callKey, "callKey");
        }
    }

    /** What a call log tells of the call: who called which number, Asterisk's id of it, and when it came in. */
    record CallFacts(String callerId, String dnid, String uniqueid, Instant started) {
        public CallFacts {
            callerId = callerId == null ? "" : callerId;
            dnid = dnid == null ? "" : dnid;
            uniqueid = uniqueid == null ? "" : uniqueid;
            Objects.requireNonNull(started, "started");
        }

        /** {@code Inbound call from CALLER to DNID (Asterisk uniqueid ID)}, the note a call log carries where the vendor has no field for these. */
        public String describe() {
            return "Inbound call from " + callerId + (dnid.isEmpty() ? "" : " to " + dnid) + " (Asterisk uniqueid " + uniqueid + ")";
        }
    }

    private static Map<String, String> ordered(Map<String, String> fields) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
