/**
 * Routes, rules and decisions: what an admin writes ({@link io.crmroute.route.Route}) and what a call
 * gets ({@link io.crmroute.route.Decision}). {@link io.crmroute.route.Router#decide} is the one place
 * that turns a lookup outcome into a decision; {@link io.crmroute.route.ChannelVariables} turns a
 * decision into the variables DESIGN.md names. Pure values and functions: no I/O here.
 */
package io.crmroute.route;
