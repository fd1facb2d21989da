package io.crmroute.crm;

/** The kinds of write a connector can do; {@link CrmConnector#writeKinds} says which. */
public enum WriteKind {
    CREATE, UPDATE, LOG_CALL;

    /** Every kind: what each of the ten vendor connectors writes. */
    public static final java.util.Set<WriteKind> ALL = java.util.Collections.unmodifiableSet(java.util.EnumSet.allOf(WriteKind.class));

    public static WriteKind of(CrmWrite write) {
        if (write instanceof CrmWrite.Create) return CREATE;
        if (write instanceof CrmWrite.Update) return UPDATE;
        return LOG_CALL;
    }
}
