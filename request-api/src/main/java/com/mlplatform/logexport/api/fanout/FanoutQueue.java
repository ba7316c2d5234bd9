package com.mlplatform.logexport.api.fanout;

/** The fan-out queue: one message per batch, {@link FanoutMessage}. */
@FunctionalInterface
public interface FanoutQueue {

    void send(FanoutMessage message);
}
