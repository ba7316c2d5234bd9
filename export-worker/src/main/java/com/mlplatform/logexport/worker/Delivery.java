package com.mlplatform.logexport.worker;

import com.mlplatform.logexport.shared.message.ExportMessage;
import com.mlplatform.logexport.worker.time.Budget;
import com.mlplatform.logexport.worker.upload.S3MultipartStore;

/**
 * One delivery of one queue message: the message, who holds the job's lease while working on it (invocation and
 * message id), the invocation's time budget, and the export bucket with every call bounded by that budget.
 */
record Delivery(String messageId, ExportMessage message, String owner, Budget budget, S3MultipartStore store) {
}
