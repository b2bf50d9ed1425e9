package io.github.resquepool.sample.jobs;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.ResqueJob;

/**
 * A job that also wants to know where it runs: the {@link JobContext} parameter takes no
 * argument from the payload, wherever it is in the signature.
 */
@Component
public class ImageJobs {

	private static final Logger log = LoggerFactory.getLogger(ImageJobs.class);

	/**
	 * Resizes an image, for payloads such as
	 * {@code {"class":"Images::Resize","args":["https://cdn.example.com/a.jpg",{"width":800,"format":"webp"}]}}.
	 * @param context the running job
	 * @param url the image
	 * @param options free-form options ({@code width}, {@code height}, {@code format},
	 * ...)
	 * @throws InterruptedException when the pool stops the job
	 */
	@ResqueJob("Images::Resize")
	public void resize(JobContext context, String url, Map<String, Object> options) throws InterruptedException {
		Thread.sleep(100); // resizing
		log.info("Resized {} with {} (queue {}, worker {})", url, options, context.queue(), context.workerId());
	}

}
