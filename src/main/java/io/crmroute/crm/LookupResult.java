package io.crmroute.crm;

import java.util.List;

/**
 * The records a CRM returned, at most the request's limit, and how many it said exist in all
 * ({@code total} is at least {@code records.size()}; equal when the CRM does not say).
 */
public record LookupResult(List<CrmRecord> records, int total) {

    public LookupResult {
        records = List.copyOf(records);
        if (total < records.size()) total = records.size();
    }

    public static LookupResult of(List<CrmRecord> records) {
        return new LookupResult(records, records.size());
    }

    public static LookupResult none() {
        return new LookupResult(List.of(), 0);
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }
}
