package com.mlplatform.logexport.worker.invocation;

import com.mlplatform.logexport.worker.upload.MultipartStore;
import com.mlplatform.logexport.worker.upload.PartSizePolicy;

/** Where the file goes: the export bucket's name (for the result), its store, and the part sizes to cut. */
public record ExportBucket(String name, MultipartStore store, PartSizePolicy partSizes) {
}
