package io.crmroute.agi;

import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.GetDataCommand;
import org.asteriskjava.fastagi.command.GetVariableCommand;
import org.asteriskjava.fastagi.command.SetVariableCommand;

/**
 * The line of an asterisk-java command, byte for byte what its {@code buildCommand()} gives. asterisk-java
 * quotes each argument with {@code String.replaceAll} (three regex compiles per argument, a tenth of the CPU
 * of a cached call); the commands sent on every call (SET VARIABLE, GET DATA, GET VARIABLE) are built here
 * with one pass per argument, every other command by asterisk-java itself. asterisk-java stays the
 * reference: the test compares both over tricky strings.
 */
final class AgiCommandLine {

    /** asterisk-java's GetDataCommand defaults: at these values it leaves the argument out of the line. */
    private static final int GET_DATA_DEFAULT_MAX_DIGITS = 1024;
    private static final long GET_DATA_DEFAULT_TIMEOUT = 0;

    private AgiCommandLine() {}

    static String of(AgiCommand command) {
        // Exact classes only: a subclass may build its line differently.
        Class<?> type = command.getClass();
        if (type == SetVariableCommand.class) {
            SetVariableCommand set = (SetVariableCommand) command;
            StringBuilder line = new StringBuilder(24 + length(set.getVariable()) + length(set.getValue())).append("SET VARIABLE ");
            quote(line, set.getVariable()).append(' ');
            return quote(line, set.getValue()).toString();
        }
        if (type == GetVariableCommand.class) {
            String variable = ((GetVariableCommand) command).getVariable();
            return quote(new StringBuilder(16 + length(variable)).append("GET VARIABLE "), variable).toString();
        }
        if (type == GetDataCommand.class) {
            GetDataCommand get = (GetDataCommand) command;
            StringBuilder line = quote(new StringBuilder(48 + length(get.getFile())).append("GET DATA "), get.getFile());
            if (get.getMaxDigits() != GET_DATA_DEFAULT_MAX_DIGITS) {
                line.append(' ').append(get.getTimeout()).append(' ').append(get.getMaxDigits());
            } else if (get.getTimeout() != GET_DATA_DEFAULT_TIMEOUT) {
                line.append(' ').append(get.getTimeout());
            }
            return line.toString();
        }
        return command.buildCommand();
    }

    /** asterisk-java's {@code escapeAndQuote}: {@code \} and {@code "} escaped, line feeds dropped, in quotes. */
    private static StringBuilder quote(StringBuilder line, String argument) {
        line.append('"');
        if (argument != null) {
            for (int i = 0; i < argument.length(); i++) {
                char c = argument.charAt(i);
                if (c == '\\' || c == '"') line.append('\\').append(c);
                else if (c != '\n') line.append(c);
            }
        }
        return line.append('"');
    }

    private static int length(String argument) {
        return argument == null ? 0 : argument.length();
    }
}
