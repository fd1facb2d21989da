package io.crmroute.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class UrlMaskTest {

    @Test
    void secretLookingParametersAreMasked() {
        assertEquals("jdbc:postgresql://db:5432/crm?user=app&password=****&ssl=true",
                UrlMask.mask("jdbc:postgresql://db:5432/crm?user=app&password=hunter2&ssl=true"));
        assertEquals("https://crm.example.com/api?api_key=****&q=1&access_token=****&client_secret=****&sig=****",
                UrlMask.mask("https://crm.example.com/api?api_key=k1&q=1&access_token=t2&client_secret=s3&sig=x"));
        assertEquals("jdbc:sqlserver://db;user=app;Password=****", UrlMask.mask("jdbc:sqlserver://db;user=app;Password=p"));
    }

    @Test
    void userinfoIsMaskedWhole() {
        assertEquals("https://****@crm.example.com/x", UrlMask.mask("https://me:pw@crm.example.com/x"));
        assertEquals("https://****@crm.example.com/x", UrlMask.mask("https://token-only@crm.example.com/x"));
        assertEquals("jdbc:postgresql://****@db/crm", UrlMask.mask("jdbc:postgresql://u:p@db/crm"));
    }

    @Test
    void urlsWithoutSecretsAreUnchanged() {
        assertEquals("jdbc:postgresql://127.0.0.1:5432/crmroute?ssl=true&ApplicationName=crmroute",
                UrlMask.mask("jdbc:postgresql://127.0.0.1:5432/crmroute?ssl=true&ApplicationName=crmroute"));
        assertEquals("https://crm.example.com/a@b", UrlMask.mask("https://crm.example.com/a@b"));
        assertNull(UrlMask.mask(null));
    }
}
