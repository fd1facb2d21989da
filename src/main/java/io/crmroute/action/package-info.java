/**
 * Write actions (DESIGN.md "Write actions"): what a route's {@code actions:} ask of the CRM once a call's
 * outcome is known. {@link io.crmroute.action.CallActions} is the one entry point for calls: it runs an
 * outcome's sync actions within the route's budget and queues its async ones on the
 * {@link io.crmroute.action.ActionQueue} (bounded per CRM, never blocking, retried with back-off within each
 * action's deadline, only when the write is retry-safe), or with a database in the {@link io.crmroute.action.Outbox}
 * (a table every live node's {@link io.crmroute.action.OutboxWorker} claims rows of, so an action outlives the
 * node that took its call). Every outcome goes to the
 * {@link io.crmroute.action.ActionListener}s: log, metrics, audit. {@link io.crmroute.action.ActionCheck}
 * tells {@code check} what a CRM cannot do.
 */
package io.crmroute.action;
