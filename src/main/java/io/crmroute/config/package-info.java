/**
 * The YAML config: {@link io.crmroute.config.ConfigLoader#load} reads a file, substitutes
 * {@code ${ENV}}, validates every key once, and gives either a {@link io.crmroute.config.CrmrouteConfig}
 * or the list of {@link io.crmroute.config.ConfigProblem}s, each naming its key path and line.
 * {@link io.crmroute.config.RouteParser} reads one route from a JSON/YAML tree (the admin API uses it too)
 * and {@link io.crmroute.config.RouteWriter} writes one back; {@link io.crmroute.config.Durations} reads
 * {@code 400ms}/{@code 2s}/{@code 1m}. Which keys each CRM type takes is
 * declared by its connector ({@link io.crmroute.crm.CrmType}); {@code CrmReader} reads them all the same way.
 */
package io.crmroute.config;
