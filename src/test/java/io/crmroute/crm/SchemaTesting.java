package io.crmroute.crm;

import java.util.List;

/** Reading a connector's {@code objects()} / {@code fields()} answers in the vendor schema tests. */
final class SchemaTesting {

    private SchemaTesting() {}


    static List<String> objectNames(List<CrmObject> objects) {
        return objects.stream().map(CrmObject::name).toList();
    }

    static List<String> fieldNames(List<CrmField> fields) {
        return fields.stream().map(CrmField::name).toList();
    }

    /** The field named {@code name}, failing the test when there is none. */
    static CrmField field(List<CrmField> fields, String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no field " + name + " in " + fieldNames(fields)));
    }
}
