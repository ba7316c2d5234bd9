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

    private CloudFormationTemplate(Map<String, Object> root) {
        this.root = root;
    }

    public static CloudFormationTemplate load(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            Map<String, Object> root = new Yaml(new IntrinsicConstructor()).load(reader);
            return new CloudFormationTemplate(root);
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
     * Evaluates {@code Ref} to a parameter's default (or to {@code refs} for resources) and {@code Fn::GetAtt} via
     * {@code attributes} ("Logical.Attr" keys). Anything else is returned as is.
     */
    @SuppressWarnings("unchecked")
    public Object resolve(Object value, Map<String, Object> refs, Map<String, Object> attributes) {
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            var entry = map.entrySet().iterator().next();
            String key = String.valueOf(entry.getKey());
            if (key.equals("Ref")) {
                String name = String.valueOf(entry.getValue());
                return refs.containsKey(name) ? refs.get(name) : parameterDefault(name);
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
