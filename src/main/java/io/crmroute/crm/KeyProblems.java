package io.crmroute.crm;

/** Where {@link CrmType#read} reports what is wrong with an entry, by key path under the CRM's entry. */
public interface KeyProblems {

    /** {@code text}, written at {@code key}, is not what was {@code expected}. */
    void invalid(String key, String text, String expected);

    /** Anything else wrong at {@code key}: it is missing, or contradicts another key. */
    void problem(String key, String message);
}
