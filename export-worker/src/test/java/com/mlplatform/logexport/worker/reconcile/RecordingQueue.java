package com.mlplatform.logexport.worker.reconcile;

import com.mlplatform.logexport.shared.message.ExportMessage;
import java.util.ArrayList;
import java.util.List;

/** The export queue as a list of what was sent. */
final class RecordingQueue implements ExportQueue {

    private final List<ExportMessage> sent = new ArrayList<>();

    @Override
    public void send(ExportMessage message) {
        sent.add(message);
    }

    List<ExportMessage> sent() {
        return List.copyOf(sent);
    }

    List<ExportMessage> sentFor(String exportId) {
        return sent.stream().filter(m -> m.exportId().equals(exportId)).toList();
    }

    void clear() {
        sent.clear();
    }
}
