package io.crmroute.agi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void aBareAddressIsARangeOfOne() {
        assertEquals(new Cidr("192.0.2.7", 32), Cidr.parse("192.0.2.7"));
        assertEquals(new Cidr("fe80::1", 128), Cidr.parse(" fe80::1 "));
        assertEquals("10.0.0.0/8", Cidr.parse("10.0.0.0/8").toString());
    }

    @Test
    void anIpv4MappedRangeIsTheIpv4RangeItMaps() {
        assertEquals(new Cidr("127.0.0.1", 32), Cidr.parse("::ffff:127.0.0.1/128"));
        assertEquals(new Cidr("127.0.0.1", 32), Cidr.parse("::ffff:127.0.0.1"));
        assertEquals(new Cidr("10.0.0.0", 8), Cidr.parse("::ffff:10.0.0.0/104"));
        assertEquals(new Cidr("0.0.0.0", 0), Cidr.parse("::ffff:0:0/96"));
        assertEquals(new Cidr("0.0.0.0", 0), Cidr.parse("0:0:0:0:0:FFFF:0:0/96"));
    }

    @Test
    void anIpv4MappedRangeWiderThanIpv4IsRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::ffff:0:0/80")).getMessage()
                .contains("write the IPv4 range instead"));
    }

    @Test
    void everyoneIsAPrefixOfZero() {
        assertTrue(Cidr.parse("0.0.0.0/0").isEveryone());
        assertTrue(Cidr.parse("::/0").isEveryone());
        assertFalse(Cidr.parse("10.0.0.0/8").isEveryone());
    }

    @Test
    void namesZonesAndBadPrefixesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("localhost"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("fe80::1%eth0"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/-1"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::1/129"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/"));
    }
}
