package io.github.resquepool.sample.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.ResqueJob;

/**
 * A long job that checkpoints after every row: a deploy (SIGTERM), a kill -9 or a retry
 * resumes it where it stopped instead of at row 0, and a stop ends it at its next
 * checkpoint instead of waiting out the shutdown timeout.
 */
@Component
public class ImportJobs {

	private static final Logger log = LoggerFactory.getLogger(ImportJobs.class);

	/**
	 * Imports the rows of a file, 100 ms each.
	 * @param file the file's name
	 * @param rows how many rows it has
	 * @param context the job's context, for its cursor, checkpoints and progress
	 * @throws InterruptedException when the job is cancelled while it sleeps
	 */
	@ResqueJob("Imports::Rows")
	public void importRows(String file, int rows, JobContext context) throws InterruptedException {
		long next = context.cursor(Long.class).orElse(0L);
		if (next > 0) {
			log.info("Resuming import of {} at row {} of {}", file, next, rows);
		}
		while (next < rows) {
			Thread.sleep(100);
			next++;
			context.progress(next, rows, "importing " + file);
			context.checkpoint(next);
		}
		log.info("Imported {} rows of {}", rows, file);
	}

}
