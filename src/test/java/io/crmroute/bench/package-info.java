/**
 * The benchmark: a load generator that plays Asterisk's side of FastAGI over real TCP
 * ({@link io.crmroute.bench.LoadGenerator}), a fake custom CRM with set latency and failures
 * ({@link io.crmroute.bench.FakeCrm}), the same route on asterisk-java's DefaultAgiServer as the baseline
 * ({@link io.crmroute.bench.BaselineAgiServer}), a trivial responder as the harness ceiling
 * ({@link io.crmroute.bench.CeilingResponder}: what the load generator and the machine allow), and the report
 * that runs them side by side
 * ({@link io.crmroute.bench.BenchReport}, run by {@code bench/run}). Test scope only: none of it ships.
 * Every answer is checked against the decision its caller's CRM record calls for; a wrong one is an error.
 */
package io.crmroute.bench;
