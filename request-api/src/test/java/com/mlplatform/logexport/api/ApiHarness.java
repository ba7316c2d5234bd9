package com.mlplatform.logexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.emulator.Accounts;
import com.mlplatform.logexport.emulator.EmulatedPlatform;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.config.PlatformResources;
import com.mlplatform.logexport.shared.json.Json;
import com.mlplatform.logexport.shared.usecase.UseCase;
import com.mlplatform.logexport.shared.usecase.UseCaseRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The real handler on a freshly provisioned emulator, with two use cases in two accounts:
 * {@code uc-a} (members alice, bob) and {@code uc-b} (member carol).
 */
final class ApiHarness implements AutoCloseable {

    static final String UC_A = "uc-a";
    static final String UC_B = "uc-b";

    final EmulatedPlatform platform;
    final AwsClients clients;
    final PlatformResources resources;
    final UseCaseRegistry registry;
    RequestApiHandler handler;

    ApiHarness() {
        platform = EmulatedPlatform.fresh();
        clients = platform.platformClients();
        resources = platform.resources();
        registry = new UseCaseRegistry(clients.dynamo(), resources.usecasesTable());
        registry.put(useCase(UC_A, Accounts.USECASE_A, Set.of("alice", "bob")));
        registry.put(useCase(UC_B, Accounts.USECASE_B, Set.of("carol")));
        handler = new RequestApiHandler(clients, config());
    }

    static UseCase useCase(String id, String account, Set<String> members) {
        return new UseCase(id, account, "arn:aws:iam::" + account + ":role/PlatformLogExportReadRole", "ext-" + id,
                "us-east-1", null, members);
    }

    ApiConfig config() {
        return ApiConfig.fromEnv(env(Map.of()));
    }

    Map<String, String> env(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put(PlatformResources.ENV_EXPORTS_TABLE, resources.exportsTable());
        env.put(PlatformResources.ENV_USECASES_TABLE, resources.usecasesTable());
        env.put(PlatformResources.ENV_QUEUE_URL, resources.queueUrl());
        env.put(PlatformResources.ENV_BUCKET, resources.bucket());
        env.put(ApiConfig.ENV_CORS_ALLOWED_ORIGINS, Events.ORIGIN);
        env.putAll(overrides);
        return env;
    }

    Reply call(String method, String path, String user, String body, Map<String, String> headers) {
        APIGatewayV2HTTPResponse r = handler.handleRequest(Events.event(method, path, user, body, headers), null);
        return new Reply(r.getStatusCode(), r.getHeaders(), r.getBody());
    }

    Reply call(String method, String path, String user, String body) {
        return call(method, path, user, body, Map.of());
    }

    Reply call(String method, String path, String user) {
        return call(method, path, user, null, Map.of());
    }

    @Override
    public void close() {
        clients.close();
    }

    /** A response with its body parsed. */
    record Reply(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String text(String pointer) {
            return json().at(pointer).asText();
        }

        Reply assertStatus(int expected) {
            assertThat(status).as("status of response %s", body).isEqualTo(expected);
            return this;
        }

        Reply assertError(int expectedStatus, String code) {
            assertStatus(expectedStatus);
            assertThat(text("/error/code")).isEqualTo(code);
            assertThat(text("/error/message")).isNotBlank();
            assertThat(text("/error/requestId")).isNotBlank();
            assertThat(headers).containsKey("Access-Control-Allow-Origin");
            return this;
        }
    }
}
