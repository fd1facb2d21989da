/**
 * The admin console on the HTTP port: its static assets served from the jar with a strict
 * Content-Security-Policy ({@link io.crmroute.console.ConsoleAssets}), who may sign in
 * ({@link io.crmroute.console.ConsoleAccess}, with a one-time sign-in link on a loopback port without
 * {@code admin.token}), and the endpoints the console needs beyond the admin API: {@code POST
 * /api/simulate} (a draft route run on the real call path), the configured CRMs, the status counts and
 * YAML import / export of routes.
 */
package io.crmroute.console;
