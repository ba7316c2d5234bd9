package com.mlplatform.logexport.emulator;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A CloudFormation/SAM template read as plain maps. Short-form intrinsics ({@code !Ref X}, {@code !GetAtt A.B},
 * {@code !Sub ...}) become their long forms ({@code {"Ref": "X"}}, {@code {"Fn::GetAtt": ["A","B"]}}, ...), so
 * callers see one shape. {@link #resolve} evaluates the few intrinsics local provisioning needs.
 */
public final class CloudFormationTemplate {

    private final Map<String, Object> root;
    private final Map<String, Object> parameterValues;

    private CloudFormationTemplate(Map<String, Object> root, Map<String, Object> parameterValues) {
        this.root = root;
        this.parameterValues = parameterValues;
    }

    public static CloudFormationTemplate load(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            Map<String, Object> root = new Yaml(new IntrinsicConstructor()).load(reader);
            return new CloudFormationTemplate(root, Map.of());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read template " + file + ": " + e.getMessage(), e);
        }
    }

    /** The platform template, {@code infra/template.yaml} of this checkout. */
    public static CloudFormationTemplate platform() {
        return load(Emulator.projectRoot().resolve("infra/template.yaml"));
    }

    public Map<String, Object> root() {
        return root;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Map<String, Object>> resources() {
        return (Map<String, Map<String, Object>>) root.getOrDefault("Resources", Map.of());
    }

    /** Logical ids of the resources of one type, in template order. */
    public List<String> resourcesOfType(String type) {
        List<String> ids = new ArrayList<>();
        resources().forEach((id, r) -> {
            if (type.equals(r.get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> properties(String logicalId) {
        Map<String, Object> resource = resources().get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("no resource " + logicalId + " in template");
        }
        return (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
    }

    @SuppressWarnings("unchecked")
    public Object parameterDefault(String name) {
        var params = (Map<String, Map<String, Object>>) root.getOrDefault("Parameters", Map.of());
        var p = params.get(name);
        return p == null ? null : p.get("Default");
    }

    /**
     * The same template with some parameters given values, as {@code sam deploy --parameter-overrides} would.
     * Local provisioning needs this for parameters that deliberately have no default (e.g. the UI's origins).
     */
    public CloudFormationTemplate withParameterValues(Map<String, ?> values) {
        Map<String, Object> merged = new LinkedHashMap<>(parameterValues);
        merged.putAll(values);
        return new CloudFormationTemplate(root, Map.copyOf(merged));
    }

    /**
     * What {@code Ref} to a parameter yields: its given value, else its default; a {@code CommaDelimitedList} is
     * split into a list, as CloudFormation does.
     *
     * @see <a href="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html">CloudFormation Parameters</a>
     */
    @SuppressWarnings("unchecked")
    public Object parameterValue(String name) {
        Object value = parameterValues.containsKey(name) ? parameterValues.get(name) : parameterDefault(name);
        var params = (Map<String, Map<String, Object>>) root.getOrDefault("Parameters", Map.of());
        var p = params.get(name);
        if (value instanceof String s && p != null && "CommaDelimitedList".equals(p.get("Type"))) {
            return java.util.Arrays.stream(s.split(",")).map(String::trim).toList();
        }
        return value;
    }

    /** {@code Fn::FindInMap}: the value at map / top-level key / second-level key of the Mappings section. */
    @SuppressWarnings("unchecked")
    public Object findInMap(String map, String topLevelKey, String secondLevelKey) {
        var mappings = (Map<String, Map<String, Map<String, Object>>>) root.getOrDefault("Mappings", Map.of());
        var m = mappings.get(map);
        if (m == null || !m.containsKey(topLevelKey) || !m.get(topLevelKey).containsKey(secondLevelKey)) {
            throw new IllegalArgumentException("Fn::FindInMap: no " + map + "/" + topLevelKey + "/" + secondLevelKey
                    + " in the template's Mappings");
        }
        return m.get(topLevelKey).get(secondLevelKey);
    }

    /**
     * Evaluates {@code Ref} to a parameter's value (or to {@code refs} for resources), {@code Fn::GetAtt} via
     * {@code attributes} ("Logical.Attr" keys) and {@code Fn::FindInMap}. Anything else is returned as is.
     */
    @SuppressWarnings("unchecked")
    public Object resolve(Object value, Map<String, Object> refs, Map<String, Object> attributes) {
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            var entry = map.entrySet().iterator().next();
            String key = String.valueOf(entry.getKey());
            if (key.equals("Ref")) {
                String name = String.valueOf(entry.getValue());
                return refs.containsKey(name) ? refs.get(name) : parameterValue(name);
            }
            if (key.equals("Fn::FindInMap")) {
                List<Object> args = ((List<Object>) entry.getValue()).stream()
                        .map(a -> resolve(a, refs, attributes)).toList();
                return findInMap(String.valueOf(args.get(0)), String.valueOf(args.get(1)),
                        String.valueOf(args.get(2)));
            }
            if (key.equals("Fn::GetAtt")) {
                List<Object> parts = (List<Object>) entry.getValue();
                return attributes.get(parts.get(0) + "." + parts.get(1));
            }
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), resolve(v, refs, attributes)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> resolve(v, refs, attributes)).toList();
        }
        return value;
    }

    /** Turns every {@code !Tag value} into {@code {"Fn::Tag": value}} ({@code !Ref} into {@code {"Ref": value}}). */
    private static final class IntrinsicConstructor extends SafeConstructor {
        IntrinsicConstructor() {
            super(new LoaderOptions());
            this.yamlConstructors.put(null, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue().substring(1);
                    String name = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
                    Object value;
                    if (node instanceof ScalarNode scalar) {
                        value = scalar.getValue();
                        if (tag.equals("GetAtt")) {
                            String s = scalar.getValue();
                            int dot = s.indexOf('.');
                            value = List.of(s.substring(0, dot), s.substring(dot + 1));
                        }
                    } else if (node instanceof SequenceNode seq) {
                        value = constructSequence(seq);
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    return Map.of(name, value);
                }
            });
        }
    }
}
