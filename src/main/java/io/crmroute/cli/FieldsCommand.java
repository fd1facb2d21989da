package io.crmroute.cli;

import io.crmroute.concurrent.Futures;
import io.crmroute.config.CrmrouteConfig;
import io.crmroute.crm.CrmConnector;
import io.crmroute.crm.CrmException;
import io.crmroute.crm.CrmField;
import io.crmroute.crm.CrmObject;
import io.crmroute.crm.CrmSpec;
import io.crmroute.logging.LogText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lists a CRM's objects, or one object's fields, as its metadata API gives them to the configured CRM user. */
@Command(name = "fields", description = "List a CRM's objects, or an object's fields, from the CRM's own metadata API.")
final class FieldsCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--crm", required = true, paramLabel = "NAME", description = "The CRM (its name under crms:).")
    String crm;

    @Option(names = "--object", paramLabel = "OBJ", description = "The object whose fields to list (without it: the objects).")
    String object;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<CrmrouteConfig> loaded = config.load(err);
        if (loaded.isEmpty()) return 1;
        CrmSpec chosen = loaded.get().crms().get(crm);
        if (chosen == null) {
            err.println(config.file + ": no crm named " + LogText.safe(crm) + " (crms: " + String.join(", ", loaded.get().crms().keySet()) + ")");
            err.flush();
            return 1;
        }
        try (OpenCrms crms = new OpenCrms(List.of(chosen))) {
            CrmConnector connector = crms.connectors().get(crm);
            List<List<String>> rows = new ArrayList<>();
            if (object == null) {
                rows.add(List.of("NAME", "LABEL"));
                for (CrmObject listed : connector.objects().get(5, TimeUnit.MINUTES)) rows.add(List.of(listed.name(), listed.label()));
            } else {
                rows.add(List.of("NAME", "LABEL", "TYPE", "FILTERABLE", "READABLE"));
                for (CrmField field : connector.fields(object).get(5, TimeUnit.MINUTES)) {
                    rows.add(List.of(field.name(), field.label(), field.type(), yesNo(field.filterable()), yesNo(field.readable())));
                }
            }
            printTable(out, rows);
            return 0;
        } catch (ExecutionException failed) {
            err.println(failureLine(Futures.unwrap(failed), chosen));
            err.flush();
            return 1;
        }
    }

    /** One line for the admin: the CRM's own message, and what "no schema" means. */
    static String failureLine(Throwable failure, CrmSpec crm) {
        if (failure instanceof CrmException crmFailure && crmFailure.kind() == CrmException.Kind.UNSUPPORTED) {
            return "crm " + crm.name() + " (type " + crm.type().id() + ") has no schema: crmroute cannot list its objects or fields";
        }
        return failure instanceof CrmException ? failure.getMessage() : "crm " + crm.name() + ": unexpected failure: " + failure;
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    /** Columns padded to their widest cell; every cell made safe for a terminal (CRM text may hold anything). */
    static void printTable(PrintWriter out, List<List<String>> rows) {
        List<List<String>> safe = rows.stream().map(row -> row.stream().map(LogText::safe).toList()).toList();
        int columns = safe.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : safe) for (int c = 0; c < columns; c++) widths[c] = Math.max(widths[c], row.get(c).length());
        for (List<String> row : safe) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(row.get(c));
                if (c < columns - 1) line.append(" ".repeat(widths[c] - row.get(c).length() + 2));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }
}
