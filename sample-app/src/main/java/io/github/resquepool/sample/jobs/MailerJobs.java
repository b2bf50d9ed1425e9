package io.github.resquepool.sample.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import io.github.resquepool.job.ResqueJob;

/**
 * Quick jobs: e-mails.
 */
@Component
public class MailerJobs {

	private static final Logger log = LoggerFactory.getLogger(MailerJobs.class);

	/**
	 * Sends the welcome e-mail, for payloads such as
	 * {@code {"class":"Mailers::Welcome","args":[42,"en"]}}.
	 * @param userId the new user
	 * @param locale the language of the e-mail
	 * @throws InterruptedException when the pool stops the job
	 */
	@ResqueJob("Mailers::Welcome")
	public void welcome(long userId, String locale) throws InterruptedException {
		Thread.sleep(20); // talking to the mail server
		log.info("Sent welcome e-mail to user {} (locale {})", userId, locale);
	}

}
