package io.github.resquepool.resque;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Queue list syntax and expansion, as Ruby's {@code Worker#queues=} / {@code #queues} /
 * {@code glob_match} (wire contract section 4).
 */
class QueueSpecTests {

	/**
	 * The {@code queues} set of the contract's observed examples, in no particular order.
	 */
	private static final List<String> KNOWN = List.of("zeta", "alpha", "mail", "critical", "low", "file_a", "file_b");

	@Test
	void starExpandsToEveryKnownQueueSortedAlphabetically() {
		assertThat(QueueSpec.parse("*").expand(KNOWN)).containsExactly("alpha", "critical", "file_a", "file_b", "low",
				"mail", "zeta");
	}

	@Test
	void literalBeforeStarKeepsItsPlaceAndIsNotRepeated() {
		assertThat(QueueSpec.parse("critical,*").expand(KNOWN)).containsExactly("critical", "alpha", "file_a", "file_b",
				"low", "mail", "zeta");
	}

	@Test
	void exclusionAfterStarDropsTheExcludedQueue() {
		assertThat(QueueSpec.parse("*,!low").expand(KNOWN)).containsExactly("alpha", "critical", "file_a", "file_b",
				"mail", "zeta");
	}

	@Test
	void exclusionGlobBeforeStarDropsEveryMatchingQueue() {
		assertThat(QueueSpec.parse("!file_*,*").expand(KNOWN)).containsExactly("alpha", "critical", "low", "mail",
				"zeta");
	}

	@Test
	void staticListIsUsedAsWrittenExistingOrNot() {
		QueueSpec spec = QueueSpec.parse("mail,missing");
		assertThat(spec.isDynamic()).isFalse();
		assertThat(spec.expand(KNOWN)).containsExactly("mail", "missing");
		assertThat(spec.expand(List.of())).containsExactly("mail", "missing");
	}

	@Test
	void staticListKeepsItsOwnOrderRatherThanSorting() {
		assertThat(QueueSpec.parse("zeta,alpha").expand(KNOWN)).containsExactly("zeta", "alpha");
	}

	@Test
	void literalEntryOfADynamicListIsOnlyUsedWhenItIsInTheQueuesSet() {
		QueueSpec spec = QueueSpec.parse("mail,missing,!low");
		assertThat(spec.isDynamic()).isTrue();
		assertThat(spec.expand(KNOWN)).containsExactly("mail");
	}

	@Test
	void eachInclusionEntrySortsOnlyItsOwnMatches() {
		assertThat(QueueSpec.parse("z*,file_*,a*").expand(KNOWN)).containsExactly("zeta", "file_a", "file_b", "alpha");
	}

	@Test
	void entriesAreTrimmed() {
		QueueSpec spec = QueueSpec.parse(" high , low ");
		assertThat(spec.inclusions()).containsExactly("high", "low");
		assertThat(spec.idPart()).isEqualTo("high,low");
	}

	@Test
	void listMayBeGivenAsSeveralEntriesEachHoldingCommas() {
		QueueSpec spec = QueueSpec.parse(List.of("high,normal", "*", "!low"));
		assertThat(spec.inclusions()).containsExactly("high", "normal", "*");
		assertThat(spec.expand(KNOWN)).containsExactly("alpha", "critical", "file_a", "file_b", "mail", "zeta");
	}

	@Test
	void dynamicListIsReexpandedAgainstTheCurrentSet() {
		QueueSpec spec = QueueSpec.parse("*");
		assertThat(spec.expand(List.of("b"))).containsExactly("b");
		assertThat(spec.expand(List.of("b", "a"))).containsExactly("a", "b");
		assertThat(spec.expand(List.of())).isEmpty();
	}

	@Test
	void wildcardsDoNotMatchALeadingDot() {
		List<String> known = List.of(".hidden", "visible", "a.b");
		assertThat(QueueSpec.parse("*").expand(known)).containsExactly("a.b", "visible");
		assertThat(QueueSpec.parse("?hidden").expand(known)).isEmpty();
		assertThat(QueueSpec.parse("[.]hidden").expand(known)).isEmpty();
		assertThat(QueueSpec.parse(".*").expand(known)).containsExactly(".hidden");
		assertThat(QueueSpec.parse("a*").expand(known)).containsExactly("a.b");
	}

	@Test
	void starMatchesAnyRunOfCharactersIncludingSlashesAndNothing() {
		List<String> known = List.of("file_", "file_x/y", "file", "xfile_a");
		assertThat(QueueSpec.parse("file_*").expand(known)).containsExactly("file_", "file_x/y");
	}

	@Test
	void questionMarkMatchesExactlyOneCharacter() {
		List<String> known = List.of("q", "q1", "q12", "qa");
		assertThat(QueueSpec.parse("q?").expand(known)).containsExactly("q1", "qa");
	}

	@Test
	void bracketClassMatchesARange() {
		List<String> known = List.of("file_a", "file_b", "file_c", "file_d", "file_ab");
		assertThat(QueueSpec.parse("file_[a-c]").expand(known)).containsExactly("file_a", "file_b", "file_c");
		assertThat(QueueSpec.parse("file_[bd]").expand(known)).containsExactly("file_b", "file_d");
	}

	@Test
	void bracketClassWithBangOrCaretIsNegated() {
		List<String> known = List.of("a1", "b1", "c1");
		assertThat(QueueSpec.parse("[!a]1").expand(known)).containsExactly("b1", "c1");
		assertThat(QueueSpec.parse("[^a]1").expand(known)).containsExactly("b1", "c1");
	}

	@Test
	void bracesAreLiteralButMakeTheListDynamic() {
		QueueSpec spec = QueueSpec.parse("x{a}");
		assertThat(spec.isDynamic()).isTrue();
		assertThat(spec.expand(List.of("x{a}", "xa", "x"))).containsExactly("x{a}");
		assertThat(spec.expand(List.of("xa"))).isEmpty();
	}

	@Test
	void matchingIsCaseSensitive() {
		assertThat(QueueSpec.parse("Mail*").expand(List.of("mail", "Mailer"))).containsExactly("Mailer");
	}

	@Test
	void regexMetacharactersInNamesAreLiteral() {
		assertThat(QueueSpec.parse("a.c*").expand(List.of("abc", "a.c", "a.cd"))).containsExactly("a.c", "a.cd");
		assertThat(QueueSpec.parse("a+*").expand(List.of("a+", "aa"))).containsExactly("a+");
	}

	@Test
	void dynamicnessFollowsRubysCharacterSet() {
		assertThat(QueueSpec.parse("high,low").isDynamic()).isFalse();
		assertThat(QueueSpec.parse("high,!low").isDynamic()).isTrue();
		for (String glob : List.of("a*", "a?", "[ab]", "a]", "a{", "a}")) {
			assertThat(QueueSpec.parse(glob).isDynamic()).as(glob).isTrue();
		}
	}

	@Test
	void idPartOmitsExclusionsAndKeepsInclusionsUnexpanded() {
		assertThat(QueueSpec.parse("*,!low").idPart()).isEqualTo("*");
		assertThat(QueueSpec.parse("!file_*,critical,*").idPart()).isEqualTo("critical,*");
		assertThat(QueueSpec.parse("high,low").idPart()).isEqualTo("high,low");
		assertThat(QueueSpec.parse("file_*").idPart()).isEqualTo("file_*");
	}

	@Test
	void mayWatchTellsWhetherAQueueCanBeInTheExpansion() {
		QueueSpec spec = QueueSpec.parse("*,!low");
		assertThat(spec.mayWatch("mail")).isTrue();
		assertThat(spec.mayWatch("low")).isFalse();
		assertThat(spec.mayWatch(".hidden")).isFalse();
		assertThat(QueueSpec.parse("high,low").mayWatch("low")).isTrue();
		assertThat(QueueSpec.parse("high,low").mayWatch("other")).isFalse();
	}

	@Test
	void listsWithTheSameEntriesAreEqual() {
		assertThat(QueueSpec.parse("a, b,!c")).isEqualTo(QueueSpec.parse("a,b,!c"))
			.hasSameHashCodeAs(QueueSpec.parse("a,b,!c"));
		assertThat(QueueSpec.parse("a,b")).isNotEqualTo(QueueSpec.parse("b,a"));
		assertThat(Set.of(QueueSpec.parse("*,!low"))).contains(QueueSpec.parse("*,!low"));
	}

	@ParameterizedTest(name = "\"{0}\"")
	@ValueSource(strings = { "", " ", ",", "a,,b", "a,", "!low", "!low,!high", "!", "a:b", "a b", "a/b", "a#b", "a%b",
			"a\tb", "a\nb" })
	void invalidListsAreRejected(String list) {
		assertThatIllegalArgumentException().isThrownBy(() -> QueueSpec.parse(list)).withMessageContaining("queue");
	}

	@Test
	void emptyListOfEntriesIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> QueueSpec.parse(List.of()));
	}

	@Test
	void rejectionMessagesNameTheProblem() {
		assertThatIllegalArgumentException().isThrownBy(() -> QueueSpec.parse("!low"))
			.withMessageContaining("only exclusions");
		assertThatIllegalArgumentException().isThrownBy(() -> QueueSpec.parse("a:b")).withMessageContaining("a:b");
		assertThatIllegalArgumentException().isThrownBy(() -> QueueSpec.parse("a,,b")).withMessageContaining("empty");
	}

}
