package com.mlplatform.logexport.worker.reconcile;

import com.mlplatform.logexport.shared.message.ExportMessage;

/** The export queue, where a re-drive puts the message for a job's current hop. */
public interface ExportQueue {

    void send(ExportMessage message);
}
