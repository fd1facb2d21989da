/**
 * One call, from the AGI session's start to its last variable: {@link io.crmroute.call.CallHandler}
 * collects digits, finds the value to match, asks the CRM within the route's time budget, lets the
 * {@link io.crmroute.route.Router} decide, sets the channel variables, and tells the
 * {@link io.crmroute.call.DecisionListener}s (log, metrics, audit) what happened. A caller who hangs up
 * before the decision ends the call at once as HANGUP; the CRM's budget and the hang-up both cancel the
 * call's own lookup future. Between the decision and its variables, the route's write actions for the
 * outcome are handed to {@link io.crmroute.action.CallActions}: sync ones are awaited within what is left
 * of the budget (their records' ids join the variables; a failure turns the decision into FAILED), async
 * ones are queued and never awaited.
 */
package io.crmroute.call;
