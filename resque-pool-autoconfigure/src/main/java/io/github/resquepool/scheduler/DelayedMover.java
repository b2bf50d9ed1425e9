package io.github.resquepool.scheduler;

import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.resquepool.resque.DelayedItem;
import io.github.resquepool.resque.DelayedStore;
import io.github.resquepool.resque.DelayedStore.BatchResult;
import io.github.resquepool.resque.RubyTime;

/**
 * Moves every due bucket of the delayed queue, oldest first and FIFO within a bucket, as
 * resque-scheduler's {@code handle_delayed_items} does, but one atomic script per batch
 * that moves an item only if nobody moved it meanwhile. Bad entries go to {@code failed};
 * a non-integer bucket member, on which a Ruby scheduler spins, is removed.
 */
final class DelayedMover {

	private static final Log logger = LogFactory.getLog(DelayedMover.class);

	/**
	 * The most consecutive conflicts with another mover before the pass gives up until
	 * later.
	 */
	private static final int MAX_CONFLICTS = 100;

	private final DelayedStore store;

	private final int batchSize;

	private final String worker;

	private final SchedulerListener listener;

	DelayedMover(DelayedStore store, int batchSize, String worker, SchedulerListener listener) {
		this.store = store;
		this.batchSize = batchSize;
		this.worker = worker;
		this.listener = listener;
	}

	/**
	 * Moves what is due.
	 * @param nowSecond the current epoch second: buckets scored up to it are due
	 * @param stillMaster asked between batches; the pass stops when it answers false
	 * @return the earliest bucket left, which is not due, if any
	 */
	Optional<DelayedStore.Bucket> moveDue(long nowSecond, BooleanSupplier stillMaster) {
		int conflicts = 0;
		while (true) {
			Optional<DelayedStore.Bucket> first = this.store.first();
			if (first.isEmpty() || first.get().score() > nowSecond || !stillMaster.getAsBoolean()) {
				return first;
			}
			String member = first.get().member();
			BatchResult result = this.store.moveBatch(member, this.batchSize, RubyTime.failedAtNow(), this.worker);
			if (result.conflicted()) {
				if (++conflicts >= MAX_CONFLICTS) {
					return first;
				}
				continue;
			}
			conflicts = 0;
			report(member, result);
		}
	}

	private void report(String member, BatchResult result) {
		if (result.notAList()) {
			logger.error("Removed bucket '" + member + "' from delayed_queue_schedule: its key delayed:" + member
					+ " is not a list");
		}
		else if (!DelayedItem.isBucketMember(member)) {
			logger.error("Removed bucket '" + member + "' from delayed_queue_schedule: a bucket must be an integer"
					+ " number of seconds (a Ruby scheduler spins on it); its " + result.items().size()
					+ " item(s) went to the failed list");
		}
		int moved = 0;
		for (DelayedItem item : result.items()) {
			if (item.isBad()) {
				logger.error("Delayed item in delayed:" + member + " went to the failed list: " + item.problem() + ": "
						+ abbreviate(item.raw()));
				this.listener.delayedFailed(item);
			}
			else {
				moved++;
			}
		}
		if (moved > 0) {
			this.listener.delayedMoved(moved);
		}
	}

	private static String abbreviate(String text) {
		return (text.length() > 200) ? text.substring(0, 200) + "..." : text;
	}

}
