package com.mlplatform.logexport.worker.invocation;

import com.mlplatform.logexport.worker.logs.LogEvent;

/** Earliest and latest event timestamps written: the header's "time range". Null until an event is written. */
final class EventSpan {

    Long first;
    Long last;

    EventSpan(Long first, Long last) {
        this.first = first;
        this.last = last;
    }

    void add(LogEvent e) {
        if (first == null || e.timestamp() < first) {
            first = e.timestamp();
        }
        if (last == null || e.timestamp() > last) {
            last = e.timestamp();
        }
    }
}
