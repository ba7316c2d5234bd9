package com.mlplatform.logexport.shared.job;

/** How far an export has got; the UI draws its progress bar from this. */
public record Progress(int streamsTotal, int streamsDone, long events, long bytes) {

    public static final Progress NONE = new Progress(0, 0, 0, 0);

    public Progress {
        if (streamsTotal < 0 || streamsDone < 0 || events < 0 || bytes < 0) {
            throw new IllegalArgumentException("progress counters must not be negative");
        }
    }
}
