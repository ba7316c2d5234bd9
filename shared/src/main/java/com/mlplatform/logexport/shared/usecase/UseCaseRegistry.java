package com.mlplatform.logexport.shared.usecase;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The use-case registry table, read by the request API (membership) and the worker (role, region, log group).
 *
 * <p>Schema: partition key {@code usecaseId} (S); attributes {@code accountId} (S), {@code roleArn} (S),
 * {@code externalId} (S, optional), {@code region} (S), {@code logGroup} (S, optional), {@code members} (SS).
 * Reads are strongly consistent so that removing a member revokes access on the very next request.
 */
public final class UseCaseRegistry {

    private final DynamoDbClient dynamo;
    private final String table;

    public UseCaseRegistry(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public Optional<UseCase> find(String usecaseId) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("usecaseId", AttributeValue.fromS(usecaseId)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new UseCase(
                item.get("usecaseId").s(),
                str(item, "accountId"),
                str(item, "roleArn"),
                str(item, "externalId"),
                str(item, "region"),
                str(item, "logGroup"),
                item.containsKey("members") ? new HashSet<>(item.get("members").ss()) : Set.of()));
    }

    public void put(UseCase useCase) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("usecaseId", AttributeValue.fromS(useCase.usecaseId()));
        item.put("accountId", AttributeValue.fromS(useCase.accountId()));
        item.put("roleArn", AttributeValue.fromS(useCase.roleArn()));
        if (useCase.externalId() != null) {
            item.put("externalId", AttributeValue.fromS(useCase.externalId()));
        }
        item.put("region", AttributeValue.fromS(useCase.region()));
        item.put("logGroup", AttributeValue.fromS(useCase.logGroup()));
        if (!useCase.members().isEmpty()) {
            item.put("members", AttributeValue.fromSs(useCase.members().stream().sorted().toList()));
        }
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }
}
