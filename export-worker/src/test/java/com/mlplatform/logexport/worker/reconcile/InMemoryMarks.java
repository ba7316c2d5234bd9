package com.mlplatform.logexport.worker.reconcile;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

final class InMemoryMarks implements RedriveMarks {

    private final Map<String, RedriveMark> marks = new HashMap<>();

    @Override
    public Optional<RedriveMark> find(String exportId) {
        return Optional.ofNullable(marks.get(exportId));
    }

    @Override
    public void save(RedriveMark mark) {
        marks.put(mark.exportId(), mark);
    }
}
