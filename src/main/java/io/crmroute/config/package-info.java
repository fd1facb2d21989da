/**
 * The YAML config: {@link io.crmroute.config.ConfigLoader#load} reads a file, substitutes
 * {@code ${ENV}}, validates every key once, and gives either a {@link io.crmroute.config.CrmrouteConfig}
 * or the list of {@link io.crmroute.config.ConfigProblem}s, each naming its key path and line.
 * {@link io.crmroute.config.RouteParser} reads one route from a JSON/YAML tree (the admin API uses it too).
 */
package io.crmroute.config;
