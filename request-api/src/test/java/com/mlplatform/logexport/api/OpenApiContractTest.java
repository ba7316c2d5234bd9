package com.mlplatform.logexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.api.http.Identifiers;
import com.mlplatform.logexport.api.http.Operation;
import com.mlplatform.logexport.api.accept.ExportRequestBody;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** openapi.yaml and the router describe the same API: route for route, method for method, pattern for pattern. */
class OpenApiContractTest {

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head",
            "patch", "trace");
    private static final String CATCH_ALL = "/{proxy+}";
    private static Map<String, Object> doc;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws Exception {
        try (InputStream in = OpenApiContractTest.class.getResourceAsStream("/openapi.yaml")) {
            assertThat(in).as("openapi.yaml on the classpath").isNotNull();
            doc = new Yaml().load(in);
        }
    }

    @Test
    void everyRouteOfTheRouter_shouldBeDocumented_andNothingElse() {
        Set<String> documented = new TreeSet<>();
        paths().forEach((path, item) -> {
            if (path.equals(CATCH_ALL)) {
                return;
            }
            map(item).keySet().stream().filter(HTTP_METHODS::contains)
                    .forEach(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path));
        });
        Set<String> routed = new TreeSet<>();
        for (Operation op : Operation.values()) {
            routed.add(op.method() + " " + op.pathTemplate());
        }
        assertThat(documented).isEqualTo(routed);
    }

    @Test
    void everyOperation_shouldIntegrateWithTheLiveAliasOfRequestApiFunction() {
        paths().forEach((path, item) -> map(item).forEach((method, op) -> {
            if (!HTTP_METHODS.contains(method) && !method.equals("x-amazon-apigateway-any-method")) {
                return;
            }
            Map<String, Object> integration = map(map(op).get("x-amazon-apigateway-integration"));
            assertThat(integration).as("%s %s", method, path)
                    .containsEntry("type", "aws_proxy").containsEntry("httpMethod", "POST")
                    .containsEntry("payloadFormatVersion", "2.0");
            assertThat(String.valueOf(map(integration.get("uri")).get("Fn::Sub")))
                    .contains("${RequestApiFunction.Arn}:live/invocations");
        }));
    }

    @Test
    void catchAll_shouldLetPreflightsThroughWithoutAToken_andSendEverythingElseToTheLambda() {
        Map<String, Object> item = map(paths().get(CATCH_ALL));
        assertThat(map(item.get("options")).get("security")).isEqualTo(List.of());
        assertThat(item).containsKey("x-amazon-apigateway-any-method");
    }

    @Test
    void parameterPatterns_shouldBeTheOnesTheCodeEnforces() {
        Map<String, Object> params = map(map(doc.get("components")).get("parameters"));
        assertThat(pattern(params, "trainingId")).isEqualTo(Identifiers.TRAINING_ID_REGEX);
        assertThat(pattern(params, "usecaseId")).isEqualTo(Identifiers.USECASE_ID_REGEX);
        assertThat(pattern(params, "exportId")).isEqualTo(Identifiers.EXPORT_ID_REGEX);
        assertThat(pattern(params, "batchId")).isEqualTo(Identifiers.BATCH_ID_REGEX);
        assertThat(pattern(params, "idempotencyKey")).isEqualTo(Identifiers.IDEMPOTENCY_KEY_REGEX);
        assertThat(map(map(params.get("trainingId")).get("schema")).get("maxLength"))
                .isEqualTo(Identifiers.TRAINING_ID_MAX_LENGTH);
    }

    @Test
    void everyPathParameter_shouldBeDeclaredOnItsOperation() {
        paths().forEach((path, item) -> map(item).forEach((method, op) -> {
            if (!HTTP_METHODS.contains(method) || path.equals(CATCH_ALL)) {
                return;
            }
            Set<String> declared = new HashSet<>();
            for (Object p : (List<?>) map(op).get("parameters")) {
                String ref = String.valueOf(map(p).get("$ref"));
                Map<String, Object> param = map(map(map(doc.get("components")).get("parameters"))
                        .get(ref.substring(ref.lastIndexOf('/') + 1)));
                if ("path".equals(param.get("in"))) {
                    declared.add(String.valueOf(param.get("name")));
                }
            }
            Set<String> inPath = new HashSet<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(path);
            while (m.find()) {
                inPath.add(m.group(1));
            }
            assertThat(declared).as("%s %s", method, path).isEqualTo(inPath);
        }));
    }

    @Test
    void bodySchemas_shouldAllowExactlyTheFieldsTheParserAccepts() {
        Map<String, Object> schemas = map(map(doc.get("components")).get("schemas"));
        Map<String, Object> options = map(schemas.get("ExportOptions"));
        Map<String, Object> batch = map(schemas.get("BatchRequest"));
        assertThat(options.get("additionalProperties")).isEqualTo(false);
        assertThat(batch.get("additionalProperties")).isEqualTo(false);
        assertThat(map(options.get("properties")).keySet()).containsExactlyInAnyOrder("format", "startTime", "endTime",
                "compression");
        assertThat(map(batch.get("properties")).keySet())
                .containsExactlyInAnyOrder("trainingIds", "format", "startTime", "endTime", "compression");
        assertThat(map(map(batch.get("properties")).get("trainingIds")).get("maxItems"))
                .isEqualTo(ExportRequestBody.MAX_BATCH_SIZE);
    }

    private static Map<String, Object> paths() {
        return map(doc.get("paths"));
    }

    private static String pattern(Map<String, Object> params, String name) {
        return String.valueOf(map(map(params.get(name)).get("schema")).get("pattern"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }
}
