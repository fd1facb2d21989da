/**
 * The admin REST API on the HTTP port: {@link io.crmroute.admin.AdminService} reads and writes routes
 * (JSON in the shape of a YAML route, ETag / If-Match, 400 with {@code [{path, message}]}) and reads the
 * audited call decisions, all behind the admin bearer token, chaining on the store's futures.
 */
package io.crmroute.admin;
