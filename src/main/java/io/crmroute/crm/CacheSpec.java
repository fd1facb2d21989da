package io.crmroute.crm;

import java.time.Duration;

/** Lookup cache: found records live {@code ttl}, "no record" answers live {@code negativeTtl}. */
public record CacheSpec(Duration ttl, Duration negativeTtl) {}
