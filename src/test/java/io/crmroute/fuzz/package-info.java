/**
 * Bounded fuzzing of a real crmroute over real sockets: mutated FastAGI sessions and mutated HTTP
 * requests, with well-formed control calls in between that must keep getting exactly the right
 * variables. The suite runs a short pass; the README says how to run a long one.
 */
package io.crmroute.fuzz;
