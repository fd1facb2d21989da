/**
 * The command line: {@code serve}, {@code check}, {@code simulate}, {@code fields}, {@code import}, {@code export} (picocli). Each command loads the
 * config and hands over to {@link io.crmroute.app.CrmrouteServer} or the call path; no logic of its own.
 */
package io.crmroute.cli;
