package com.mlplatform.logexport.api.http;

import java.util.Arrays;
import java.util.List;

/**
 * Every route the API serves. {@code openapi.yaml} documents exactly these (OpenApiContractTest keeps the two in
 * step), and the infra builds the HTTP API from that document.
 */
public enum Operation {
    CREATE_EXPORT("POST", "/usecases/{usecaseId}/trainings/{trainingId}/log-exports"),
    CREATE_BATCH("POST", "/usecases/{usecaseId}/log-exports"),
    GET_EXPORT("GET", "/log-exports/{exportId}"),
    CANCEL_EXPORT("DELETE", "/log-exports/{exportId}"),
    GET_BATCH("GET", "/log-export-batches/{batchId}"),
    CREATE_ARCHIVE("POST", "/log-export-batches/{batchId}/archive"),
    LEGACY_DOWNLOAD("GET", "/usecases/{usecaseId}/trainings/{trainingId}/logs/download");

    private final String method;
    private final String pathTemplate;
    private final List<String> segments;

    Operation(String method, String pathTemplate) {
        this.method = method;
        this.pathTemplate = pathTemplate;
        this.segments = Arrays.asList(pathTemplate.substring(1).split("/"));
    }

    public String method() {
        return method;
    }

    public String pathTemplate() {
        return pathTemplate;
    }

    List<String> segments() {
        return segments;
    }
}
