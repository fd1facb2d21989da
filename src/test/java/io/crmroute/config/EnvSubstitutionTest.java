package io.crmroute.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnvSubstitutionTest {

    private static JsonNode text(String value) {
        return JsonNodeFactory.instance.objectNode().put("key", value);
    }

    @Test
    void aDefaultIsTakenWhenTheVariableIsUnsetOrEmptyAndIsNotMaskedAsASecret() {
        Problems problems = new Problems();
        EnvSubstitution.Result unset = EnvSubstitution.apply(text("${PORT:-4573}"), Map.of(), problems);
        assertEquals("4573", unset.root().get("key").textValue());
        assertEquals(Set.of(), unset.valuesUnder("key"));
        assertEquals("4573", EnvSubstitution.apply(text("${PORT:-4573}"), Map.of("PORT", ""), problems).root().get("key").textValue());
        assertEquals(List.of(), problems.list());
    }

    @Test
    void aSetVariableWinsOverItsDefaultAndIsMaskedLikeAnyValueFromTheEnvironment() {
        EnvSubstitution.Result set = EnvSubstitution.apply(text("Bearer ${TOKEN:-none} on ${HOST:-127.0.0.1}"),
                Map.of("TOKEN", "s3cret"), new Problems());
        assertEquals("Bearer s3cret on 127.0.0.1", set.root().get("key").textValue());
        assertEquals(Set.of("s3cret"), set.valuesUnder("key"));
    }

    @Test
    void anEmptyDefaultIsStillADefaultButAVariableWithoutOneMustBeSet() {
        Problems problems = new Problems();
        assertEquals("", EnvSubstitution.apply(text("${EXTRA:-}"), Map.of(), problems).root().get("key").textValue());
        assertEquals(List.of(), problems.list());
        assertEquals("${TOKEN}", EnvSubstitution.apply(text("${TOKEN}"), Map.of(), problems).root().get("key").textValue());
        assertEquals(List.of("key: environment variable TOKEN is not set"), problems.list().stream().map(ConfigProblem::toString).toList());
    }
}
