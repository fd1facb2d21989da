package io.crmroute.crm;

/** The kinds of write a connector can do; {@link CrmConnector#writeKinds} says which. */
public enum WriteKind {
    CREATE, UPDATE, LOG_CALL;

    public static WriteKind of(CrmWrite write) {
        if (write instanceof CrmWrite.Create) return CREATE;
        if (write instanceof CrmWrite.Update) return UPDATE;
        return LOG_CALL;
    }
}
