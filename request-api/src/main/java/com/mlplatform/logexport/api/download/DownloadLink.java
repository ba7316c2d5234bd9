package com.mlplatform.logexport.api.download;

import java.time.Instant;

/** A presigned GET for a finished export's file. */
public record DownloadLink(String url, Instant expiresAt, String filename, long sizeBytes) {
}
