package io.github.resquepool.sample.jobs;

import java.time.LocalDate;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The argument of {@code Reports::Build}: one JSON object, with the snake_case keys a
 * Ruby producer would write, e.g. {@code Resque.enqueue_to("reports", "Reports::Build",
 * {report: "sales", account_id: 42, from: "2025-01-01", to: "2025-01-31", format:
 * "pdf"})}.
 *
 * @param report which report
 * @param accountId the account it is for
 * @param from first day covered
 * @param to last day covered
 * @param format output format, such as {@code pdf} or {@code csv}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReportRequest(String report, long accountId, LocalDate from, LocalDate to, String format) {

}
