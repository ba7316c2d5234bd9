package com.mlplatform.logexport.shared.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mlplatform.logexport.shared.json.Json;
import java.io.PrintStream;
import java.time.Instant;

/**
 * One JSON object per line on stdout, which Lambda ships to CloudWatch Logs where Logs Insights can query fields.
 * Callers pass only identifiers and counts: never credentials, whole requests, or another tenant's ARNs.
 */
public final class StructuredLog {

    private final String component;
    private final PrintStream out;

    public StructuredLog(String component) {
        this(component, System.out);
    }

    public StructuredLog(String component, PrintStream out) {
        this.component = component;
        this.out = out;
    }

    public void info(String event, Object... keyValues) {
        write("INFO", event, keyValues);
    }

    public void warn(String event, Object... keyValues) {
        write("WARN", event, keyValues);
    }

    public void error(String event, Object... keyValues) {
        write("ERROR", event, keyValues);
    }

    private void write(String level, String event, Object... keyValues) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("ts", Instant.now().toString());
        node.put("level", level);
        node.put("component", component);
        node.put("event", event);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            Object value = keyValues[i + 1];
            node.set(String.valueOf(keyValues[i]), Json.MAPPER.valueToTree(value));
        }
        out.println(node);
    }
}
