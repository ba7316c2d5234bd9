package com.mlplatform.logexport.shared.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The process environment, read once at cold start by the configuration records ({@code ApiConfig},
 * {@code WorkerConfig}). Every message names the variable, so a bad deployment says what to fix.
 */
public record Env(Map<String, String> vars) {

    public Env {
        vars = java.util.Collections.unmodifiableMap(new java.util.HashMap<>(Objects.requireNonNull(vars, "vars")));
    }

    /** The value, or {@code fallback} when the variable is unset or blank. */
    public String text(String name, String fallback) {
        String value = vars.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** A required value: a missing or blank variable is an error naming it. */
    public String required(String name) {
        String value = vars.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("missing required environment variable " + name);
        }
        return value;
    }

    public boolean flag(String name, boolean fallback) {
        return Boolean.parseBoolean(text(name, Boolean.toString(fallback)));
    }

    /** A whole number, or {@code fallback} when unset. */
    public long number(String name, long fallback) {
        String value = text(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
        }
    }

    /** A whole number of seconds, or {@code fallback} when unset. */
    public Duration seconds(String name, Duration fallback) {
        return Duration.ofSeconds(number(name, fallback.toSeconds()));
    }
}
