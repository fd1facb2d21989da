package io.crmroute.crm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void aSecretIsMaskedWhereverItAppearsAndUrlEncodedToo() {
        assertEquals("GET https://x/?token=**** and ****", Secrets.mask("GET https://x/?token=a+b%2Fc and a b/c", Set.of("a b/c")));
        assertEquals("Bearer ****", Secrets.mask("Bearer s3cr3t-token", Set.of("s3cr3t-token")));
    }

    @Test
    void theLongerOfTwoOverlappingSecretsIsMaskedWhole() {
        assertEquals("****", Secrets.mask("hunter2-extra", List.of("hunter2", "hunter2-extra")));
    }

    @Test
    void aVeryShortSecretIsMaskedOnlyWhereItStandsAlone() {
        assertEquals("unknown key \"tiemout\" (expected one of: auth)", Secrets.mask("unknown key \"tiemout\" (expected one of: auth)", Set.of("x")));
        assertEquals("url: \"****\": expected an absolute URL", Secrets.mask("url: \"x\": expected an absolute URL", Set.of("x")));
        assertEquals("****", Secrets.mask("ab", Set.of("ab")));
    }
}
