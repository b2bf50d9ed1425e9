package io.github.resquepool.autoconfigure.dashboard;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the Resque dashboard ({@code resque.web.*}).
 */
@ConfigurationProperties("resque.web")
public class ResqueWebProperties {

	/** Whether the application serves the dashboard. */
	private boolean enabled;

	/** Where the dashboard sits, relative to the servlet context. */
	private String path = "/resque";

	/** Whether the dashboard only shows: no buttons, and 403 on every POST. */
	private boolean readOnly = true;

	/**
	 * The user of HTTP Basic when Spring Security is absent. Without a user and a
	 * password every request gets 401.
	 */
	private String username;

	/** The password of HTTP Basic when Spring Security is absent. */
	private String password;

	/**
	 * The role a user signed in with Spring Security needs, as in {@code hasRole}; empty
	 * lets any authenticated user in. The HTTP Basic user holds it.
	 */
	private String role = "RESQUE";

	/**
	 * How many failure entries a filtered view of Failed, a bulk preview and a bulk
	 * action read at most, from where they start.
	 */
	private int failedScanLimit = 2000;

	/** How many rows a page shows. */
	private int pageSize = 20;

	/**
	 * How many failures one bulk retry or remove acts on at most: the first matches up to
	 * this many; the notice says how many were left for the next round.
	 */
	private int bulkLimit = 1000;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public boolean isReadOnly() {
		return this.readOnly;
	}

	public void setReadOnly(boolean readOnly) {
		this.readOnly = readOnly;
	}

	public String getUsername() {
		return this.username;
	}

	public void setUsername(String username) {
		this.username = username;
	}

	public String getPassword() {
		return this.password;
	}

	public void setPassword(String password) {
		this.password = password;
	}

	public String getRole() {
		return this.role;
	}

	public void setRole(String role) {
		this.role = role;
	}

	public int getFailedScanLimit() {
		return this.failedScanLimit;
	}

	public void setFailedScanLimit(int failedScanLimit) {
		this.failedScanLimit = failedScanLimit;
	}

	public int getPageSize() {
		return this.pageSize;
	}

	public void setPageSize(int pageSize) {
		this.pageSize = pageSize;
	}

	public int getBulkLimit() {
		return this.bulkLimit;
	}

	public void setBulkLimit(int bulkLimit) {
		this.bulkLimit = bulkLimit;
	}

	/**
	 * @return the path without a trailing slash, starting with one
	 */
	public String normalizedPath() {
		String p = (this.path == null || this.path.isBlank()) ? "/resque" : this.path.strip();
		if (!p.startsWith("/")) {
			p = "/" + p;
		}
		while (p.length() > 1 && p.endsWith("/")) {
			p = p.substring(0, p.length() - 1);
		}
		return p;
	}

}
