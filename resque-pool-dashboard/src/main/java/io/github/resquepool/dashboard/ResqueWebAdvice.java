package io.github.resquepool.dashboard;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Answers a missing or malformed parameter of a dashboard handler with 400 and a problem
 * page that names it, never 500. Applies to the {@link ResqueWebController dashboard's
 * controllers} only.
 */
@ControllerAdvice(annotations = ResqueWebController.class)
public class ResqueWebAdvice {

	private final DashboardPages pages;

	/**
	 * Creates the advice.
	 * @param pages the pages
	 */
	public ResqueWebAdvice(DashboardPages pages) {
		this.pages = pages;
	}

	@ExceptionHandler({ MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class })
	ResponseEntity<String> badParameter(Exception ex, HttpServletRequest request) {
		String message = (ex instanceof MethodArgumentTypeMismatchException mismatch)
				? "The parameter '" + mismatch.getName() + "' cannot be '" + mismatch.getValue()
						+ "': it takes a whole number in range."
				: "The parameter '" + ((MissingServletRequestParameterException) ex).getParameterName()
						+ "' is missing.";
		return this.pages.badRequest(request, message + " Nothing was done.");
	}

}
