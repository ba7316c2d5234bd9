package com.mlplatform.logexport.reliability.child;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.mlplatform.logexport.emulator.lambda.CountdownContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * A child JVM playing the reconciler Lambda on its EventBridge schedule, shortened to
 * {@code TRIALS_RECONCILE_EVERY_MILLIS}: one warm execution environment that calls
 * {@code handleRequest(new ScheduledEvent(), context)} on the class named by {@code TRIALS_RECONCILER_CLASS}, built
 * with its no-arg constructor (configured by the environment, as Lambda builds it). The class is looked up by name
 * so the trials compile without it; if it is missing the child says so ({@link ChildLine#RECONCILER_MISSING}) and
 * exits with status 3.
 */
public final class ReconcilerProcess {

    public static final int MISSING_EXIT_STATUS = 3;

    private ReconcilerProcess() {
    }

    public static void main(String[] args) throws Exception {
        String className = ChildEnv.required(ChildEnv.RECONCILER_CLASS);
        long every = ChildEnv.millis(ChildEnv.RECONCILE_EVERY_MILLIS).toMillis();
        Class<?> type;
        try {
            type = Class.forName(className);
        } catch (ClassNotFoundException e) {
            ChildLine.print(ChildLine.RECONCILER_MISSING, className);
            System.exit(MISSING_EXIT_STATUS);
            return;
        }
        Object handler = type.getConstructor().newInstance();
        Method handle = type.getMethod("handleRequest", ScheduledEvent.class, Context.class);
        ChildLine.print(ChildLine.READY, className);
        for (int run = 1; ; run++) {
            try {
                handle.invoke(handler, new ScheduledEvent(), CountdownContext.ofMillis("export-reconciler", 60_000));
                ChildLine.print(ChildLine.RECONCILED, Integer.toString(run));
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                ChildLine.print(ChildLine.RECONCILE_ERROR, cause.getClass().getName() + ": " + cause.getMessage());
            }
            Thread.sleep(every);
        }
    }
}
