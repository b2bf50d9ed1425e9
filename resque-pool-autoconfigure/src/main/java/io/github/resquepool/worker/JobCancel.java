package io.github.resquepool.worker;

import java.time.Instant;

/**
 * A cancel of a running job: who asked for it and when.
 *
 * @param by who cancelled it, as the fleet write names its author
 * @param at when it was asked for
 */
public record JobCancel(String by, Instant at) {

	/**
	 * @return who cancelled the job and when, as the failure entry and the interrupt say
	 * it
	 */
	public String describe() {
		return "Cancelled by " + this.by + " at " + this.at;
	}

}
