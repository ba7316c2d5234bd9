package com.mlplatform.logexport.infra;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reading CloudFormation intrinsics (long form, as {@code CloudFormationTemplate} loads them) without evaluating. */
final class Intrinsics {

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{(?!!)([A-Za-z0-9:]+)(?:\\.[A-Za-z0-9.]+)?}");

    private Intrinsics() {
    }

    /**
     * Every name a value refers to: {@code Ref X}, {@code Fn::GetAtt [X, ...]} and {@code ${X}} / {@code ${X.Attr}}
     * in {@code Fn::Sub}, at any depth. Pseudo parameters ({@code AWS::Region}, ...) are included.
     */
    static Set<String> references(Object value) {
        Set<String> names = new LinkedHashSet<>();
        collect(value, names);
        return names;
    }

    private static void collect(Object value, Set<String> names) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                var entry = map.entrySet().iterator().next();
                String key = String.valueOf(entry.getKey());
                Object arg = entry.getValue();
                switch (key) {
                    case "Ref" -> {
                        names.add(String.valueOf(arg).split("\\.")[0]);
                        return;
                    }
                    case "Fn::GetAtt" -> {
                        names.add(arg instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(arg).split("\\.")[0]);
                        return;
                    }
                    case "Fn::Sub" -> {
                        if (arg instanceof String s) {
                            names.addAll(subVariables(s));
                        } else if (arg instanceof List<?> l) {
                            Set<String> vars = subVariables(String.valueOf(l.get(0)));
                            if (l.size() > 1 && l.get(1) instanceof Map<?, ?> bindings) {
                                bindings.keySet().forEach(k -> vars.remove(String.valueOf(k)));
                                collect(bindings, names);
                            }
                            names.addAll(vars);
                        }
                        return;
                    }
                    default -> {
                    }
                }
            }
            map.values().forEach(v -> collect(v, names));
        } else if (value instanceof List<?> list) {
            list.forEach(v -> collect(v, names));
        }
    }

    static Set<String> subVariables(String text) {
        Set<String> vars = new LinkedHashSet<>();
        var m = SUB_VARIABLE.matcher(text);
        while (m.find()) {
            vars.add(m.group(1));
        }
        return vars;
    }

    /** The logical id of {@code !GetAtt X.Arn} (or {@code Fn::GetAtt [X, Arn]}), if that is what the value is. */
    static Optional<String> getAttArnOf(Object value) {
        if (value instanceof Map<?, ?> map && map.size() == 1 && map.get("Fn::GetAtt") instanceof List<?> l
                && l.size() == 2 && "Arn".equals(l.get(1))) {
            return Optional.of(String.valueOf(l.get(0)));
        }
        return Optional.empty();
    }

    /** The name of {@code !Ref X}, if that is what the value is. */
    static Optional<String> refOf(Object value) {
        if (value instanceof Map<?, ?> map && map.size() == 1 && map.get("Ref") != null) {
            return Optional.of(String.valueOf(map.get("Ref")));
        }
        return Optional.empty();
    }

    /** A string or a list of strings (IAM's Action and Resource accept both) as a list. */
    static List<Object> asList(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> l) {
            return List.copyOf(l);
        }
        return List.of(value);
    }
}
