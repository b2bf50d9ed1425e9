package io.github.resquepool.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.resquepool.job.JobControl;
import io.github.resquepool.job.JobInterrupt;
import io.github.resquepool.resque.Checkpoint;
import io.github.resquepool.resque.CheckpointStore;
import io.github.resquepool.resque.ResqueRedisException;

/**
 * The control one run of a job gets from its worker: its cursor and progress in Redis
 * ({@link CheckpointStore}), written only while the worker holds the job, and the reasons
 * to stop at a checkpoint (the worker leaves, the run is past {@code max-run-time}, a
 * cancel). The endpoints read the last cursor and progress from here.
 */
final class RunControl implements JobControl {

	/** The least time between two progress writes of one job. */
	static final Duration PROGRESS_WRITE_INTERVAL = Duration.ofSeconds(1);

	private static final Duration FIRST_RETRY = Duration.ofMillis(100);

	private static final Duration LAST_RETRY = Duration.ofSeconds(5);

	private final CheckpointStore store;

	private final Supplier<JsonMapper> mapper;

	private final String workerId;

	private final String statusSha;

	private final String className;

	private final JsonNode args;

	private String key;

	private final Instant startedAt;

	private final Duration maxRunTime;

	private final BooleanSupplier leaving;

	private final Clock clock;

	private volatile boolean loaded;

	private volatile String cursor;

	private volatile Instant savedAt;

	private volatile boolean touched;

	private volatile Checkpoint.Progress progress;

	private Instant progressWritten;

	private Checkpoint.Progress progressWrittenReport;

	private volatile JobCancel cancel;

	/**
	 * @param store where checkpoints are kept
	 * @param mapper reads and writes cursors, looked up when first needed
	 * @param workerId the worker running the job
	 * @param statusSha the SHA-1 of the job's working status
	 * @param className the job's class, which with its arguments names its checkpoint
	 * ({@link CheckpointStore#key}, made when first needed: most jobs never checkpoint)
	 * @param args the job's arguments
	 * @param startedAt when the run started
	 * @param maxRunTime how long the run may go on before it stops at a checkpoint, or
	 * {@code null}
	 * @param leaving whether the worker was asked to leave
	 * @param clock the clock
	 */
	RunControl(CheckpointStore store, Supplier<JsonMapper> mapper, String workerId, String statusSha, String className,
			JsonNode args, Instant startedAt, Duration maxRunTime, BooleanSupplier leaving, Clock clock) {
		this.store = store;
		this.mapper = mapper;
		this.workerId = workerId;
		this.statusSha = statusSha;
		this.className = className;
		this.args = args;
		this.startedAt = startedAt;
		this.maxRunTime = maxRunTime;
		this.leaving = leaving;
		this.clock = clock;
	}

	@Override
	public <T> Optional<T> cursor(Class<T> type) {
		if (!this.loaded) {
			Optional<Checkpoint> saved = persistently(() -> this.store.read(key()));
			saved.ifPresent((checkpoint) -> {
				this.cursor = checkpoint.cursor();
				this.savedAt = checkpoint.savedAt();
				this.touched = true;
			});
			this.loaded = true;
		}
		String json = this.cursor;
		if (json == null) {
			return Optional.empty();
		}
		try {
			return Optional.ofNullable(this.mapper.get().readValue(json, type));
		}
		catch (JacksonException ex) {
			throw new IllegalStateException(
					"The saved cursor " + json + " of this job cannot be read as " + type.getName(), ex);
		}
	}

	@Override
	public void checkpoint(Object cursor) {
		String json = this.mapper.get().writeValueAsString(cursor);
		String checkpointKey = key();
		Optional<Instant> at = persistently(
				() -> this.store.saveCursor(this.workerId, this.statusSha, checkpointKey, json));
		if (at.isEmpty()) {
			throw new JobInterrupt(JobInterrupt.Reason.TAKEN_AWAY,
					"The pool took this job away from worker " + this.workerId + "; it stops at this checkpoint");
		}
		this.cursor = json;
		this.savedAt = at.get();
		this.loaded = true;
		this.touched = true;
		JobCancel cancelled = this.cancel;
		if (cancelled != null) {
			throw new JobInterrupt(JobInterrupt.Reason.CANCELLED, cancelled.describe());
		}
		if (this.leaving.getAsBoolean()) {
			throw new JobInterrupt(JobInterrupt.Reason.STOPPING,
					"Worker " + this.workerId + " is stopping; the job goes back to the head of its queue");
		}
		if (this.maxRunTime != null
				&& Duration.between(this.startedAt, this.clock.instant()).compareTo(this.maxRunTime) > 0) {
			throw new JobInterrupt(JobInterrupt.Reason.MAX_RUN_TIME,
					"The job ran past max-run-time (" + this.maxRunTime + "); it goes back to the tail of its queue");
		}
	}

	@Override
	public boolean isCancelled() {
		return this.cancel != null;
	}

	@Override
	public void progress(long done, long total, String message) {
		this.progress = new Checkpoint.Progress(done, total, message, this.clock.instant());
		this.touched = true;
		writeProgress();
	}

	/**
	 * Writes the last progress reported when it was not written yet and the last write is
	 * at least {@link #PROGRESS_WRITE_INTERVAL} old; called by the job's reports and by
	 * the pool's beat, so that a report held back by the interval reaches Redis too.
	 */
	void writeProgress() {
		Checkpoint.Progress report;
		synchronized (this) {
			report = this.progress;
			Instant now = this.clock.instant();
			if (report == null || report == this.progressWrittenReport || (this.progressWritten != null
					&& Duration.between(this.progressWritten, now).compareTo(PROGRESS_WRITE_INTERVAL) < 0)) {
				return;
			}
			this.progressWritten = now;
			this.progressWrittenReport = report;
		}
		try {
			this.store.saveProgress(this.workerId, this.statusSha, key(), report.done(), report.total(),
					report.message());
		}
		catch (ResqueRedisException ex) {
			// Progress is for people watching: a later report or beat writes it again.
			synchronized (this) {
				this.progressWrittenReport = null;
			}
		}
	}

	/**
	 * Cancels the run: {@link #isCancelled()} turns true and the next checkpoint throws.
	 * @param cancel who cancelled it and when
	 */
	void cancel(JobCancel cancel) {
		this.cancel = cancel;
	}

	/**
	 * @return the cancel, or {@code null}
	 */
	JobCancel cancelled() {
		return this.cancel;
	}

	/**
	 * @return the job's checkpoint key when the run read or wrote its checkpoint (so a
	 * success deletes it), else {@code null}
	 */
	String touchedKey() {
		return this.touched ? key() : null;
	}

	private synchronized String key() {
		if (this.key == null) {
			this.key = CheckpointStore.key(this.className, this.args);
		}
		return this.key;
	}

	/**
	 * @return the last cursor saved or read, as JSON, or {@code null}
	 */
	String cursorJson() {
		return this.cursor;
	}

	/**
	 * @return when the last cursor was saved, or {@code null}
	 */
	Instant cursorSavedAt() {
		return this.savedAt;
	}

	/**
	 * @return the last progress reported, or {@code null}
	 */
	Checkpoint.Progress progressReport() {
		return this.progress;
	}

	/**
	 * Calls Redis until it answers: a checkpoint that returned has been written. While
	 * Redis is down the job waits (100 ms doubling to 5 s); when its worker is asked to
	 * leave meanwhile, or its thread is interrupted, it stops here without writing, and
	 * its job stays recorded at {@code worker:<id>} for a live pool to requeue. The one
	 * interrupt that does not stop a write is a cancel's: it is meant to wake a sleeping
	 * job, and the work before the checkpoint is done, so its cursor is still saved.
	 */
	private <T> T persistently(Supplier<T> call) {
		Duration wait = FIRST_RETRY;
		boolean cancelInterrupt = false;
		try {
			while (true) {
				try {
					return call.get();
				}
				catch (ResqueRedisException ex) {
					if (!cancelInterrupt && this.cancel != null && Thread.interrupted()) {
						// The interrupt of a cancel, to wake a sleeping job, came while
						// this
						// write waited for Redis: the work before this checkpoint is
						// done, so
						// the write is made once more, and the job stops right after it.
						cancelInterrupt = true;
						continue;
					}
					waitOrStop(ex, wait);
					wait = (wait.compareTo(LAST_RETRY.dividedBy(2)) < 0) ? wait.multipliedBy(2) : LAST_RETRY;
				}
			}
		}
		finally {
			if (cancelInterrupt) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void waitOrStop(ResqueRedisException ex, Duration wait) {
		if (this.leaving.getAsBoolean() || Thread.currentThread().isInterrupted()) {
			throw new JobInterrupt(reasonToStop(),
					"Redis is unavailable (" + ex.getMessage() + ") and the job must stop");
		}
		try {
			Thread.sleep(wait.toMillis());
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new JobInterrupt(reasonToStop(), "Interrupted while Redis is unavailable");
		}
	}

	private JobInterrupt.Reason reasonToStop() {
		return (this.cancel != null) ? JobInterrupt.Reason.CANCELLED : JobInterrupt.Reason.STOPPING;
	}

}
