package io.crmroute.agi;

/** What Asterisk sends on a FastAGI connection: the environment block once, then replies and hangups. */
public sealed interface AgiMessage permits AgiEnvironment, AgiReply, AgiHangup {}
