package io.github.resquepool.dashboard;

/**
 * The links to a list's previous and next pages, rendered by the {@code pager} template.
 *
 * @param previous the previous page's address, or {@code null} on the first
 * @param number the current page, from 1
 * @param next the next page's address, or {@code null} on the last
 */
record Pager(String previous, long number, String next) {

	/**
	 * @param base the list's address, ending in {@code ?} or {@code &}
	 * @param current the current page, from 0
	 * @param more whether entries follow this page
	 * @return the pager
	 */
	static Pager of(String base, int current, boolean more) {
		return new Pager((current > 0) ? base + "page=" + (current - 1) : null, (long) current + 1,
				(more && current < Integer.MAX_VALUE) ? base + "page=" + (current + 1) : null);
	}

}
