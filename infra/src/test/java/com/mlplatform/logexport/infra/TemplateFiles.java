package com.mlplatform.logexport.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Mutated copies of a template, for tests that show a check fails when the template is wrong. */
final class TemplateFiles {

    private TemplateFiles() {
    }

    /** A mutable deep copy of a loaded template's maps and lists (intrinsics are already in long form). */
    static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> m) {
            var out = new LinkedHashMap<String, Object>();
            m.forEach((k, v) -> out.put(String.valueOf(k), deepCopy(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            var out = new ArrayList<>();
            l.forEach(v -> out.add(deepCopy(v)));
            return out;
        }
        return value;
    }

    /** Writes {@code root} as YAML (long-form intrinsics) to {@code dir/template.yaml}. */
    static Path write(Map<String, Object> root, Path dir) {
        var options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Path file = dir.resolve("template.yaml");
        try {
            Files.writeString(file, new Yaml(options).dump(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
