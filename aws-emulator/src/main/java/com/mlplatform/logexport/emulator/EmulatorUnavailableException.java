package com.mlplatform.logexport.emulator;

/** No AWS-compatible server could be had. Its message says how to get one; tests fail with it, never skip. */
public final class EmulatorUnavailableException extends RuntimeException {
    public EmulatorUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
