package com.mlplatform.logexport.worker.failure;

/** The use case's export role as users may see it: its name and account, parsed from the ARN. */
public record RoleRef(String name, String accountId) {

    public static RoleRef fromArn(String roleArn) {
        // arn:aws:iam::111111111111:role/path/Name
        String[] parts = roleArn == null ? new String[0] : roleArn.split(":", 6);
        if (parts.length < 6) {
            return new RoleRef("(unparseable role ARN)", "?");
        }
        String resource = parts[5];
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        return new RoleRef(name, parts[4]);
    }

    public String describe() {
        return "'" + name + "' in account " + accountId;
    }
}
