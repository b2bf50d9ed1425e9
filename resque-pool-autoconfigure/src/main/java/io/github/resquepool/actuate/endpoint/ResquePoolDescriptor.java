package io.github.resquepool.actuate.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

import io.github.resquepool.outbox.OutboxView;
import io.github.resquepool.pool.PoolStatus;
import io.github.resquepool.pool.PoolStatus.State;
import io.github.resquepool.resque.Checkpoint;
import io.github.resquepool.resque.JobPayload;
import io.github.resquepool.scheduler.SchedulerView;
import io.github.resquepool.worker.WorkerState;

/**
 * What {@code GET /actuator/resquepool} answers: the pool's state, its groups, its
 * workers and its totals since it started. Fields that may be {@code null} ({@code job},
 * {@code lastReloadError}) are always written, as {@code null} when there is nothing to
 * show.
 *
 * @param poolId the pool's id in Redis, {@code null} before the first start
 * @param state the effective state: {@code PAUSING} while a requested pause waits for
 * running jobs
 * @param requestedState the state operators asked for
 * @param redisUp whether the pool's last Redis command succeeded
 * @param groups the worker groups, in configuration order
 * @param workers every worker, also those that leave after their current job
 * @param processed jobs finished since the pool started
 * @param failed jobs failed since the pool started
 * @param lastReloadError why the last reload was refused, or {@code null}
 * @param fleetOverrides the fleet overrides the pool runs under (see {@code resquefleet})
 * @param scheduler the pool's resque-scheduler, or {@code null} (then not written) when
 * it is off
 * @param outbox the transactional outbox's backlog, or {@code null} (then not written)
 * when the outbox is off
 */
public record ResquePoolDescriptor(@Nullable String poolId, State state, State requestedState, boolean redisUp,
		List<GroupDescriptor> groups, List<WorkerDescriptor> workers, long processed, long failed,
		@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String lastReloadError, List<String> fleetOverrides,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable SchedulerDescriptor scheduler,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable OutboxDescriptor outbox) implements OperationResponseBody {

	/**
	 * Describes a snapshot of the pool without a scheduler.
	 * @param status the snapshot
	 * @param showArgs whether running jobs show their arguments
	 * @return the descriptor
	 */
	public static ResquePoolDescriptor of(PoolStatus status, boolean showArgs) {
		return of(status, showArgs, null);
	}

	/**
	 * Describes a snapshot of the pool.
	 * @param status the snapshot
	 * @param showArgs whether running jobs show their arguments
	 * @return the descriptor
	 */
	public static ResquePoolDescriptor of(PoolStatus status, boolean showArgs, @Nullable SchedulerView scheduler) {
		return of(status, showArgs, scheduler, null);
	}

	/**
	 * Describes a snapshot of the pool, its scheduler and the outbox.
	 * @param status the snapshot
	 * @param showArgs whether running jobs show their arguments
	 * @param scheduler what the scheduler saw last, or {@code null} when it is off
	 * @param outbox what the outbox counted last, or {@code null} when it is off
	 * @return the descriptor
	 */
	public static ResquePoolDescriptor of(PoolStatus status, boolean showArgs, @Nullable SchedulerView scheduler,
			@Nullable OutboxView outbox) {
		return new ResquePoolDescriptor(status.poolId(), status.state(), status.requested(), status.redisUp(),
				status.groups().stream().map(GroupDescriptor::of).toList(),
				status.workers().stream().map((worker) -> WorkerDescriptor.of(worker, showArgs)).toList(),
				status.processed(), status.failed(), status.lastReloadError(), status.fleetOverrides(),
				(scheduler != null) ? SchedulerDescriptor.of(scheduler) : null,
				(outbox != null) ? new OutboxDescriptor(outbox.backlog(), outbox.oldestAge(), outbox.held()) : null);
	}

	/**
	 * The transactional outbox, as its thread counted it last (every five poll intervals;
	 * no database call).
	 *
	 * @param backlog the rows of {@code resque_outbox} not delivered yet, whoever holds
	 * them
	 * @param oldestAge the age of the oldest of them, {@code PT0S} when there is none
	 * @param held the rows this instance holds and has not delivered yet
	 */
	public record OutboxDescriptor(long backlog, Duration oldestAge, int held) {
	}

	/**
	 * The pool's resque-scheduler, as its own loop last saw it (no Redis call).
	 *
	 * @param master whether this JVM holds resque-scheduler's master lock
	 * @param lockValue this JVM's lock value, {@code <host>:<pid>}
	 * @param lockHolder who holds the lock (this JVM, another pool, or a Ruby scheduler),
	 * or {@code null} when nobody does
	 * @param delayedItems how many delayed items exist, or {@code null} before the first
	 * read
	 * @param nextDue when the earliest delayed bucket is due, or {@code null} when there
	 * is none
	 * @param checkedAt when the delayed queue was last read, or {@code null} before the
	 * first read
	 */
	public record SchedulerDescriptor(boolean master, String lockValue,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String lockHolder,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Long delayedItems,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Instant nextDue,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Instant checkedAt) {

		static SchedulerDescriptor of(SchedulerView view) {
			return new SchedulerDescriptor(view.master(), view.lockValue(), view.holder(),
					(view.delayedItems() >= 0) ? view.delayedItems() : null, view.nextDue(), view.checkedAt());
		}

	}

	/**
	 * One group of workers.
	 *
	 * @param name its name
	 * @param queues its queue list as configured
	 * @param count the desired number of workers
	 * @param live the workers that run and stay
	 * @param state the effective state
	 * @param requestedState the state asked for
	 * @param backoff the wait before a crashed worker is replaced, or {@code null} when
	 * the group is not backing off
	 * @param crashes worker crashes counted in a row
	 */
	public record GroupDescriptor(String name, String queues, int count, int live, State state, State requestedState,
			@Nullable Duration backoff, int crashes) {

		static GroupDescriptor of(PoolStatus.Group group) {
			Duration backoff = group.backoff().isZero() ? null : group.backoff();
			return new GroupDescriptor(group.name(), group.queues(), group.count(), group.live(), group.state(),
					group.requested(), backoff, group.crashes());
		}

	}

	/**
	 * One worker.
	 *
	 * @param id its id, exactly as registered in Redis
	 * @param group its group
	 * @param state what it does
	 * @param job the job it runs, or {@code null}
	 * @param timeoutStack its thread's stack when its last job ran past its timeout, or
	 * {@code null} (then not written)
	 */
	public record WorkerDescriptor(String id, String group, WorkerState state,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable JobDescriptor job, @Nullable String timeoutStack) {

		static WorkerDescriptor of(PoolStatus.WorkerInfo worker, boolean showArgs) {
			PoolStatus.Job job = worker.job();
			return new WorkerDescriptor(worker.id(), worker.group(), worker.state(),
					(job != null) ? JobDescriptor.of(job, showArgs, Instant.now()) : null, worker.timeoutStack());
		}

	}

	/**
	 * A running job.
	 *
	 * @param className the Resque class name, written as {@code class}
	 * @param queue the queue it came from
	 * @param runAt when the worker took it
	 * @param runningFor how long it has run
	 * @param args its arguments, or {@code null} unless
	 * {@code resque.pool.endpoint.show-args} is set (they may hold personal data)
	 * @param checkpoint the cursor it saved last, when it checkpoints, else {@code null}
	 * @param progress the progress it reported last, or {@code null}
	 * @param cancelledBy who cancelled it, or {@code null}
	 */
	public record JobDescriptor(@JsonProperty("class") String className, String queue, Instant runAt,
			Duration runningFor, @Nullable JsonNode args, @Nullable CheckpointDescriptor checkpoint,
			@Nullable ProgressDescriptor progress, @Nullable String cancelledBy) {

		private static final JsonMapper JSON = JsonMapper.builder().build();

		static JobDescriptor of(PoolStatus.Job job, boolean showArgs, Instant now) {
			JsonNode args = showArgs ? JobPayload.tryParse(job.payload()).map(JobPayload::args).orElse(null) : null;
			CheckpointDescriptor checkpoint = (job.cursor() != null)
					? new CheckpointDescriptor(readJson(job.cursor()), job.cursorSavedAt(),
							(job.cursorSavedAt() != null) ? Duration.between(job.cursorSavedAt(), now) : null)
					: null;
			Checkpoint.Progress reported = job.progress();
			ProgressDescriptor progress = (reported != null)
					? new ProgressDescriptor(reported.done(), reported.total(),
							(reported.percent() >= 0) ? reported.percent() : null, reported.message(), reported.at())
					: null;
			return new JobDescriptor(job.className(), job.queue(), job.runAt(), job.runningFor(), args, checkpoint,
					progress, job.cancelledBy());
		}

		private static JsonNode readJson(String json) {
			try {
				return JSON.readTree(json);
			}
			catch (JacksonException ex) {
				return JSON.getNodeFactory().stringNode(json);
			}
		}

	}

	/**
	 * The cursor a checkpointing job saved last.
	 *
	 * @param cursor the cursor, as the job saved it
	 * @param savedAt when it was saved, or {@code null} when the job only read it
	 * @param age how long ago it was saved, or {@code null}
	 */
	public record CheckpointDescriptor(JsonNode cursor, @Nullable Instant savedAt, @Nullable Duration age) {
	}

	/**
	 * The progress a job reported last.
	 *
	 * @param done how many units are done
	 * @param total how many there are, 0 when unknown
	 * @param percent the share done, or {@code null} when the total is unknown
	 * @param message what it is doing, or {@code null}
	 * @param at when it reported it
	 */
	public record ProgressDescriptor(long done, long total, @Nullable Integer percent, @Nullable String message,
			Instant at) {
	}

}
