package io.crmroute.call;

import io.crmroute.agi.AgiCommandException;
import io.crmroute.agi.AgiEnvironment;
import io.crmroute.agi.AgiReply;
import io.crmroute.agi.AgiSession;
import io.crmroute.agi.AgiStatus;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.GetDataCommand;
import org.asteriskjava.fastagi.command.GetVariableCommand;
import org.asteriskjava.fastagi.command.SetVariableCommand;

/**
 * A session with no Asterisk behind it, for {@code simulate}: GET DATA answers with the given digits,
 * GET VARIABLE with the given channel variables, SET VARIABLE is remembered. Every other command
 * answers as Asterisk does to an unknown one.
 */
public final class SimulatedSession implements AgiSession {

    private final AgiEnvironment environment;
    private final String digits;
    private final Map<String, String> channelVariables;
    private final ScheduledExecutorService scheduler;
    private final Map<String, String> variablesSet = new LinkedHashMap<>();

    public SimulatedSession(AgiEnvironment environment, String digits, Map<String, String> channelVariables,
                            ScheduledExecutorService scheduler) {
        this.environment = environment;
        this.digits = digits == null ? "" : digits;
        this.channelVariables = Map.copyOf(channelVariables);
        this.scheduler = scheduler;
    }

    /** An environment as Asterisk would send it for {@code AGI(agi://host/route,args...)}. */
    public static AgiEnvironment environment(String route, String callerId, List<String> args) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("network", "yes");
        variables.put("network_script", route);
        variables.put("request", "agi://127.0.0.1:4573/" + route);
        variables.put("channel", "Local/simulate-00000001;2");
        variables.put("uniqueid", "simulate.1");
        variables.put("callerid", callerId == null || callerId.isEmpty() ? "unknown" : callerId);
        for (int i = 0; i < args.size(); i++) variables.put("arg_" + (i + 1), args.get(i));
        return new AgiEnvironment(variables);
    }

    @Override
    public AgiEnvironment environment() {
        return environment;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 0);
    }

    @Override
    public CompletableFuture<AgiReply> send(AgiCommand command) {
        if (command instanceof GetDataCommand) return reply(digits, Optional.empty());
        if (command instanceof SetVariableCommand) {
            SetVariableCommand set = (SetVariableCommand) command;
            variablesSet.put(set.getVariable(), set.getValue());
            return reply("1", Optional.empty());
        }
        if (command instanceof GetVariableCommand) {
            String value = channelVariables.get(((GetVariableCommand) command).getVariable());
            return value == null ? reply("0", Optional.empty()) : reply("1", Optional.of(value));
        }
        AgiReply unknown = new AgiReply(AgiStatus.INVALID_COMMAND, "", Optional.empty(), Map.of(), List.of());
        return CompletableFuture.failedFuture(new AgiCommandException(command.buildCommand(), unknown));
    }

    /** A simulated caller never hangs up. */
    @Override
    public CompletableFuture<Void> hangup() {
        return new CompletableFuture<>();
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** The variables set so far, in order. */
    public Map<String, String> variablesSet() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(variablesSet));
    }

    private static CompletableFuture<AgiReply> reply(String result, Optional<String> data) {
        return CompletableFuture.completedFuture(new AgiReply(AgiStatus.SUCCESS, result, data, Map.of(), List.of()));
    }
}
