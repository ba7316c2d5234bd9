package com.mlplatform.logexport.shared.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mlplatform.logexport.shared.json.Json;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * CloudWatch metrics in Embedded Metric Format: one JSON document per line on stdout, which Lambda ships to
 * CloudWatch Logs, which extracts the metrics — no PutMetricData call, no extra IAM action, no latency. Written by
 * hand rather than with {@code aws-embedded-metrics} (see docs/deploy.md, "Metrics"): the format is a small
 * documented JSON shape and Jackson is already here.
 *
 * <p>Dimensions must have few values (status, error code, AWS service): every distinct combination is a metric
 * of its own. Never a user, training or export id.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html">Embedded metric format specification</a>
 */
public final class MetricsLog {

    /** The namespace of every metric of the pipeline. */
    public static final String NAMESPACE = "LogExport";

    /** The EMF units this code uses (a subset of CloudWatch's StandardUnit). */
    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds"), BYTES("Bytes");

        private final String emf;

        Unit(String emf) {
            this.emf = emf;
        }

        public String emf() {
            return emf;
        }
    }

    public record Metric(String name, long value, Unit unit) {
        public Metric {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(unit, "unit");
        }
    }

    /**
     * Dimension values and the sets of keys each metric is aggregated under; {@code List.of()} as a set is the
     * metric without dimensions (the total).
     */
    public record Dimensions(Map<String, String> values, List<List<String>> sets) {

        public static final Dimensions NONE = new Dimensions(Map.of(), List.of(List.of()));

        public Dimensions {
            values = Map.copyOf(values);
            sets = sets.stream().map(List::copyOf).toList();
            for (List<String> set : sets) {
                if (!values.keySet().containsAll(set)) {
                    throw new IllegalArgumentException("dimension set " + set + " names keys without values");
                }
            }
        }
    }

    private final PrintStream out;
    private final Clock clock;

    public MetricsLog(PrintStream out, Clock clock) {
        this.out = Objects.requireNonNull(out, "out");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** To stdout, timestamped by the system clock: what a Lambda function uses. */
    public static MetricsLog stdout() {
        return new MetricsLog(System.out, Clock.systemUTC());
    }

    /** One EMF document with {@code metrics}, each under every set of {@code dimensions}. */
    public void put(Dimensions dimensions, List<Metric> metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        ArrayNode sets = directive.putArray("Dimensions");
        for (List<String> set : dimensions.sets()) {
            ArrayNode keys = sets.addArray();
            set.forEach(keys::add);
        }
        ArrayNode defs = directive.putArray("Metrics");
        for (Metric m : metrics) {
            defs.addObject().put("Name", m.name()).put("Unit", m.unit().emf());
            root.put(m.name(), m.value());
        }
        dimensions.values().forEach(root::put);
        out.println(root);
    }
}
