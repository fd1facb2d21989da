package io.crmroute.crm;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CrmRecordsTest {

    @Test
    void nestedObjectsAndArraysBecomeDottedNames() throws Exception {
        CrmRecord record = CrmRecords.flatten(CrmHttp.JSON.readTree("""
                {"id": 7, "name": "Ann", "vip": true, "owner": {"name": "Bo", "team": {"id": 3}},
                 "tags": ["a", "b"], "phones": [{"value": "+1555"}, {"value": "+1666"}], "gone": null}
                """));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("id", "7");
        expected.put("name", "Ann");
        expected.put("vip", "true");
        expected.put("owner.name", "Bo");
        expected.put("owner.team.id", "3");
        expected.put("tags", "a,b");
        expected.put("phones.0.value", "+1555");
        expected.put("phones.1.value", "+1666");
        assertEquals(expected, record.fields());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(record.fields().keySet()));
    }

    @Test
    void flattenAllTakesObjectsUpToTheLimit() throws Exception {
        List<CrmRecord> records = CrmRecords.flattenAll(CrmHttp.JSON.readTree("[{\"a\":1},{\"a\":2},{\"a\":3}]"), 2);
        assertEquals(List.of(new CrmRecord(Map.of("a", "1")), new CrmRecord(Map.of("a", "2"))), records);
    }
}
