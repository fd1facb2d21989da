/**
 * FastAGI over Netty: {@link io.crmroute.agi.AgiServer} accepts Asterisk's connections (from allowed
 * source addresses only), decodes the environment block and the replies into {@link
 * io.crmroute.agi.AgiMessage} records, encodes asterisk-java's {@code AgiCommand}s, and hands each call
 * to an {@link io.crmroute.agi.AgiCallHandler} as an {@link io.crmroute.agi.AgiSession} with exactly one
 * command in flight. Every bound Asterisk does not keep (line length, environment size, deadlines) is
 * kept here, so a stalled or hostile peer costs one connection and never a thread.
 */
package io.crmroute.agi;
