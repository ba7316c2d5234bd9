package com.mlplatform.logexport.api.archive;

import com.mlplatform.logexport.shared.archive.ArchiveMembers;
import com.mlplatform.logexport.shared.job.ExportJob;

/** Where the API writes a batch's archive request ({@code exportstable.DynamoArchiveRecords} in production). */
public interface ArchiveRecords {

    /**
     * Writes the member snapshot and the QUEUED archive job together, if no archive job exists for the batch or
     * the one that exists FAILED (a new attempt replaces it). False when another archive job holds the id: the
     * caller reads it and answers with its state.
     */
    boolean create(ArchiveMembers snapshot, ExportJob job);
}
