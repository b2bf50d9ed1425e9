package io.github.resquepool.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * A POST form of a page: where it goes, its button, its hidden fields. The {@code button}
 * and {@code form-fields} templates render it, with the CSRF field, and leave it out of a
 * read-only dashboard.
 *
 * @param action where it posts, relative
 * @param label its button
 * @param fields its hidden fields, in order
 */
record Form(String action, String label, List<Field> fields) {

	/**
	 * A form with the given hidden fields, those with a {@code null} value left out.
	 * @param action where it posts
	 * @param label its button
	 * @param namesAndValues name, value, name, value…
	 * @return the form
	 */
	static Form of(String action, String label, Object... namesAndValues) {
		List<Field> fields = new ArrayList<>();
		for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
			if (namesAndValues[i + 1] != null) {
				fields.add(new Field((String) namesAndValues[i], namesAndValues[i + 1]));
			}
		}
		return new Form(action, label, List.copyOf(fields));
	}

	record Field(String name, Object value) {
	}

}
