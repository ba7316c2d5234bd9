package com.mlplatform.logexport.emulator;

import java.net.URI;

/**
 * A server someone else started and named in {@code AWS_ENDPOINT_URL}. We cannot reset it generically: if it is a
 * moto server we use moto's reset API, otherwise tests rely on the fresh names the provisioner generates.
 */
record ExternalEndpoint(URI endpoint) implements EmulatorServer {

    @Override
    public String describe() {
        return "AWS_ENDPOINT_URL=" + endpoint;
    }

    @Override
    public void reset() {
        MotoServer.tryReset(endpoint);
    }

    @Override
    public boolean supportsAccountHeader() {
        return MotoServer.isMoto(endpoint);
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
