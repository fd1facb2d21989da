package io.crmroute.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmroute.cluster.SecretBox;
import io.crmroute.config.ConfigLoader;
import io.crmroute.config.CrmrouteConfig;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key for shared credentials is read before the server opens anything, and only with a database. */
class ClusterSideTest {

    private static final String MALFORMED = "c2hvcnQ="; // base64 of 5 bytes

    @TempDir
    Path dir;

    private CrmrouteConfig config(String yaml) {
        return ConfigLoader.parse(yaml, dir, Map.of()).config().orElseThrow();
    }

    @Test
    void aMalformedKeyStopsTheStartNamingTheVariableNotItsValue() {
        CrmrouteConfig withDatabase = config("database: { url: \"jdbc:postgresql://127.0.0.1:1/none\", user: crmroute }\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusterSide.secretBox(withDatabase, Map.of(SecretBox.VARIABLE, MALFORMED)));
        assertTrue(e.getMessage().contains(SecretBox.VARIABLE), e.getMessage());
        assertFalse(e.getMessage().contains(MALFORMED), e.getMessage());
        String key = Base64.getEncoder().encodeToString(new byte[16]);
        assertTrue(ClusterSide.secretBox(withDatabase, Map.of(SecretBox.VARIABLE, key)).isPresent());
        assertEquals(Optional.empty(), ClusterSide.secretBox(withDatabase, Map.of()), "without it, credentials stay per node");
    }

    @Test
    void withoutADatabaseTheKeyIsNotRead() {
        assertEquals(Optional.empty(), ClusterSide.secretBox(config("routes: {}\n"), Map.of(SecretBox.VARIABLE, MALFORMED)));
    }
}
