package com.mlplatform.logexport.worker.invocation;

import com.mlplatform.logexport.worker.failure.Retrier;

/**
 * The two retry budgets of an export invocation.
 *
 * @param work  for the work itself: gives up ({@code OutOfTime}) at the soft deadline
 * @param pause for saving a checkpoint and cleaning up: may use the time between the soft and the hard deadline
 */
public record Retries(Retrier work, Retrier pause) {
}
