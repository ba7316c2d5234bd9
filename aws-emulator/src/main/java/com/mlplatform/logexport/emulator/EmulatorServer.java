package com.mlplatform.logexport.emulator;

import java.net.URI;

/** A running AWS-compatible server. */
public sealed interface EmulatorServer extends AutoCloseable
        permits ExternalEndpoint, LocalStackServer, MotoServer {

    URI endpoint();

    /** A short description for logs: which server, how it was chosen. */
    String describe();

    /** Forget every resource in every account, so each test class starts clean. */
    void reset();

    /** Whether account selection by {@code x-moto-account-id} header works (moto); else by access key id. */
    boolean supportsAccountHeader();

    @Override
    void close();
}
