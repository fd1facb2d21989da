/**
 * The assembled server: {@link io.crmroute.app.CrmrouteServer} wires a config's CRM connectors, routes,
 * call handler, FastAGI listener and HTTP port together, and takes them down in reverse order.
 */
package io.crmroute.app;
