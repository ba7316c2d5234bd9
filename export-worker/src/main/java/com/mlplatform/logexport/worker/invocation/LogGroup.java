package com.mlplatform.logexport.worker.invocation;

import com.mlplatform.logexport.worker.logs.LogSource;

/** The use case's training log group: its name (for messages to the user) and how to read it. */
public record LogGroup(String name, LogSource source) {
}
