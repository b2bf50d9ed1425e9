package io.github.resquepool.dashboard;

import org.springframework.context.ApplicationEvent;

/**
 * Published for every action taken through the dashboard, after it ran (or was refused).
 */
public class ResqueWebActionEvent extends ApplicationEvent {

	private final String action;

	private final String target;

	private final String principal;

	private final String outcome;

	/**
	 * Creates the event.
	 * @param source the dashboard
	 * @param action the action, such as {@code failed.retry} or {@code fleet.pause}
	 * @param target what it acted on, in words
	 * @param principal who asked
	 * @param outcome what happened, in words
	 */
	public ResqueWebActionEvent(Object source, String action, String target, String principal, String outcome) {
		super(source);
		this.action = action;
		this.target = target;
		this.principal = principal;
		this.outcome = outcome;
	}

	/**
	 * @return the action, such as {@code failed.retry}
	 */
	public String getAction() {
		return this.action;
	}

	/**
	 * @return what it acted on
	 */
	public String getTarget() {
		return this.target;
	}

	/**
	 * @return who asked
	 */
	public String getPrincipal() {
		return this.principal;
	}

	/**
	 * @return what happened
	 */
	public String getOutcome() {
		return this.outcome;
	}

	@Override
	public String toString() {
		return "ResqueWebActionEvent[" + this.action + " " + this.target + " by " + this.principal + ": " + this.outcome
				+ "]";
	}

}
