package dev.verigen.orchestrator.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verigen.orchestrator.strategies.BestOfN;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ComputeOptimalTest {

    private final ComputeOptimal allocator = new ComputeOptimal(Fixtures.options(), Fixtures.book(false));

    @Test
    void everyItemGetsAPilotFirstAsAnOrdinaryScoredBestOfNRun() {
        var state = new BatchState(List.of("a", "b", "c"), 100_000, List.of(), List.of());
        List<Purchase> buy = allocator.next(state);
        assertThat(buy).extracting(Purchase::itemId).containsExactly("a", "b", "c");
        assertThat(buy).allSatisfy(p -> {
            assertThat(p.tag()).isEqualTo("r0");
            assertThat(p.pipeline().strategy()).isEqualTo(BestOfN.NAME);
            assertThat(p.pipeline().n()).isEqualTo(4);
            assertThat(p.pipeline().rewardModel()).isEqualTo("sim-orm");
            assertThat(p.maxTokens()).isEqualTo(Fixtures.votingCap(4));
        });
        assertThat(buy.stream().map(p -> p.pipeline().sampling().seed()).distinct()).hasSize(3);
    }

    @Test
    void theItemWhoseCurveGainsMorePerTokenGetsTheNextPurchase() {
        var finished = List.of(Fixtures.easyPilot("easy"), Fixtures.hardPilot("hard"));
        long spent = 400;
        // room for one more 4-sample purchase (expected 200 tokens, reserving 250), not two
        var state = new BatchState(List.of("easy", "hard"), spent + 260, finished, List.of());
        List<Purchase> buy = allocator.next(state);
        assertThat(buy).singleElement().satisfies(p -> {
            assertThat(p.itemId()).isEqualTo("hard");
            assertThat(p.tag()).isEqualTo("r1");
            assertThat(p.pipeline().n()).isEqualTo(4);
        });
        // with the roles of the curves swapped by the samples, the other item is chosen
        var swapped = List.of(Fixtures.hardPilot("easy"), Fixtures.easyPilot("hard"));
        assertThat(allocator.next(new BatchState(List.of("easy", "hard"), spent + 260, swapped, List.of())))
                .singleElement().extracting(Purchase::itemId).isEqualTo("easy");
    }

    @Test
    void settledAndUnsolvableItemsGetNothingMore() {
        var flat = new ComputeOptimal(Fixtures.options(), Fixtures.book(true));
        var settled = Fixtures.votes("settled", "r0", 0.95, "8", "8", "8", "8");
        var state = new BatchState(List.of("settled", "hopeless"), 1_000_000,
                List.of(settled, Fixtures.hardPilot("hopeless")), List.of());
        assertThat(flat.next(state)).isEmpty();
        Map<String, Decision> d = flat.decisions(state);
        assertThat(d.get("settled").reason()).isEqualTo(Decision.Reason.SETTLED);
        assertThat(d.get("settled").answer()).isEqualTo("8");
        assertThat(d.get("hopeless").reason()).isEqualTo(Decision.Reason.UNSOLVABLE);
        assertThat(d.get("hopeless").bin()).isEqualTo(2);
    }

    @Test
    void theVerifiersPrecisionCeilingBlocksPurchasesItsFalsePositivesWouldSpoil() {
        var state = new BatchState(List.of("hard"), 1_000_000, List.of(Fixtures.hardPilot("hard")), List.of());
        assertThat(allocator.next(state)).isNotEmpty();
        // solve rate 0.1 in bin 2: precision ≤ 0.1·0.9 / (0.1·0.9 + 0.9·0.3) = 0.25, below what the pilot has
        var options = Options.read(with(Map.of("verifier", "numeric", "verifierFalsePositiveRate", 0.3,
                "verifierFalseNegativeRate", 0.1)));
        var guarded = new ComputeOptimal(options, Fixtures.book(false));
        assertThat(guarded.next(state)).isEmpty();
        Decision d = guarded.decisions(state).get("hard");
        assertThat(d.reason()).isEqualTo(Decision.Reason.CEILING);
        assertThat(d.expectedAccuracy()).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void measuredVerifierErrorsAreInTheCurvesAndGivenOnesAreAppliedAnalytically() {
        var state = new BatchState(List.of("hard"), 1_000_000, List.of(Fixtures.hardPilot("hard")), List.of());
        var options = Options.read(with(Map.of("verifier", "numeric")));
        assertThat(new ComputeOptimal(options, Fixtures.book(false)).next(state)).as("unmeasured: none assumed")
                .isNotEmpty();
        // measured with the curves: the curves already hold what a vote among passes achieved with this verifier
        var measured = Fixtures.book(false).withVerifier(new CurveBook.VerifierErrors(0.3, 0.1, 500));
        assertThat(new ComputeOptimal(options, measured).next(state)).isNotEmpty();
        assertThat(options.verifierRates(measured).source()).startsWith("measured on 500 graded samples");
        assertThat(options.verifierRates(measured).analytic()).isFalse();
        // the same rates given: the precision ceiling of a pass
        var given = Options.read(with(Map.of("verifier", "numeric", "verifierFalsePositiveRate", 0.3,
                "verifierFalseNegativeRate", 0.1)));
        var guarded = new ComputeOptimal(given, measured);
        assertThat(guarded.next(state)).isEmpty();
        assertThat(guarded.decisions(state).get("hard").reason()).isEqualTo(Decision.Reason.CEILING);
        assertThat(given.verifierRates(measured).analytic()).isTrue();
    }

    @Test
    void itStopsWhereANewSampleIsLikelierAFalsePositiveThanATruePositive() {
        // fpr 0.3, fnr 0.1: a pass rate of 1/4 means a solve rate of about 0, of 3/4 one of 0.75
        List<Sample> rare = new java.util.ArrayList<>();
        List<Sample> common = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rare.add(new Sample("a" + i, i == 0, 0.5, null, 45, true));
            common.add(new Sample(i == 0 ? "b" : "5", i > 0, 0.5, null, 45, true));
        }
        var state = new BatchState(List.of("rare", "common"), 1_000_000, List.of(
                new ItemRun("rare", "r0", "vote", 200, rare, "a0", 0.5),
                new ItemRun("common", "r0", "vote", 200, common, "5", 0.5)), List.of());
        var options = Options.read(with(Map.of("verifier", "numeric", "verifierFalsePositiveRate", 0.3,
                "verifierFalseNegativeRate", 0.1)));
        var allocator = new ComputeOptimal(options, Fixtures.book(false));
        Map<String, Decision> d = allocator.decisions(state);
        assertThat(d.get("rare").reason()).isEqualTo(Decision.Reason.FALSE_POSITIVES);
        assertThat(d.get("common").reason()).isNotEqualTo(Decision.Reason.FALSE_POSITIVES);
        assertThat(allocator.next(state)).extracting(Purchase::itemId).doesNotContain("rare");
    }

    @Test
    void abstainsWhenTheExpectedPrecisionIsTooLowAndSpendsNothingOnWhatItWouldAbstainOn() {
        var options = Options.read(with(Map.of("abstain", true, "abstainBelow", 0.8)));
        var state = new BatchState(List.of("easy", "hard"), 1_000_000,
                List.of(Fixtures.easyPilot("easy"), Fixtures.hardPilot("hard")), List.of());
        var abstaining = new ComputeOptimal(options, Fixtures.book(false));
        // the hard item's curve tops out at 0.75 < 0.8: no purchase can make it answerable
        assertThat(abstaining.next(state)).extracting(Purchase::itemId).doesNotContain("hard");
        Map<String, Decision> d = abstaining.decisions(state);
        assertThat(d.get("hard").abstained()).isTrue();
        assertThat(d.get("hard").answer()).isNull();
        assertThat(d.get("hard").reason()).isEqualTo(Decision.Reason.UNSOLVABLE);
        assertThat(d.get("easy").abstained()).isFalse();
        assertThat(d.get("easy").answer()).isEqualTo("5");
    }

    @Test
    void theFinalAnswerPoolsEveryVotingRunAndASearchAnswerIsFinal() {
        var pilot = Fixtures.votes("x", "r0", 0.5, "5", "5", "7", "7");
        var more = Fixtures.votes("x", "r1", 0.9, "7", "7", "3", "5");
        var state = new BatchState(List.of("x"), 0, List.of(more, pilot), List.of());
        Decision d = allocator.decisions(state).get("x");
        assertThat(d.answer()).isEqualTo("7");
        assertThat(d.samples()).isEqualTo(8);
        assertThat(d.reason()).isEqualTo(Decision.Reason.BUDGET);
        var search = new ItemRun("x", "r2", "pf4", 700, List.of(), "9", 0.8);
        assertThat(allocator.decisions(new BatchState(List.of("x"), 0, List.of(pilot, more, search), List.of()))
                .get("x")).satisfies(s -> {
                    assertThat(s.answer()).isEqualTo("9");
                    assertThat(s.reason()).isEqualTo(Decision.Reason.SEARCHED);
                });
    }

    @Test
    void theSameStateAlwaysGivesTheSamePurchases() {
        var finished = List.of(Fixtures.hardPilot("a"), Fixtures.hardPilot("b"), Fixtures.easyPilot("c"));
        var state = new BatchState(List.of("a", "b", "c", "d"), 5_000, finished, List.of());
        List<Purchase> first = allocator.next(state);
        assertThat(first).isNotEmpty();
        assertThat(new ComputeOptimal(Fixtures.options(), Fixtures.book(false)).next(state)).isEqualTo(first);
        assertThat(allocator.decisions(state)).isEqualTo(allocator.decisions(state));
        assertThat(ComputeOptimal.seed(7, "a", "r1")).isNotEqualTo(ComputeOptimal.seed(7, "a", "r2"))
                .isNotEqualTo(ComputeOptimal.seed(7, "b", "r1")).isEqualTo(ComputeOptimal.seed(7, "a", "r1"));
    }

    @Test
    void anItemWithARunInFlightWaitsForIt() {
        var state = new BatchState(List.of("hard"), 1_000_000, List.of(Fixtures.hardPilot("hard")), List.of());
        Purchase flying = allocator.next(state).getFirst();
        var waiting = new BatchState(List.of("hard"), 1_000_000, List.of(Fixtures.hardPilot("hard")), List.of(flying));
        assertThat(allocator.next(waiting)).isEmpty();
        assertThat(allocator.decisions(waiting).get("hard").reason()).isEqualTo(Decision.Reason.PENDING);
        var back = Fixtures.votes("hard", flying.tag(), 0.6, "1", "1", "2", "3");
        var after = new BatchState(List.of("hard"), 1_000_000, List.of(Fixtures.hardPilot("hard"), back), List.of());
        assertThat(allocator.next(after)).singleElement().extracting(Purchase::tag).isEqualTo("r2");
    }

    @Test
    void anItemCapStopsItsSpending() {
        var capped = new ComputeOptimal(Options.read(with(Map.of("maxTokensPerItem", 300))), Fixtures.book(false));
        var state = new BatchState(List.of("hard"), 1_000_000, List.of(Fixtures.hardPilot("hard")), List.of());
        assertThat(capped.next(state)).isEmpty();
        assertThat(capped.decisions(state).get("hard").reason()).isEqualTo(Decision.Reason.BUDGET);
    }

    @Test
    void neverReservesMoreThanTheBatchBudgetAndAlwaysFinishes() {
        for (int seed = 0; seed < 60; seed++) {
            var random = new SplittableRandom(seed);
            List<String> ids = List.of("a", "b", "c", "d", "e");
            long total = 200 + random.nextInt(6_000);
            List<ItemRun> finished = new ArrayList<>();
            List<Purchase> flying = new ArrayList<>();
            for (int call = 0; call < 200; call++) {
                var state = new BatchState(ids, total, finished, flying);
                List<Purchase> buy = allocator.next(state);
                long reserved = buy.stream().mapToLong(Purchase::maxTokens).sum();
                assertThat(state.spentTokens() + state.reservedTokens() + reserved).isLessThanOrEqualTo(total);
                flying.addAll(buy);
                if (flying.isEmpty()) {
                    break;
                }
                // one run finishes per call, in a seeded order: the rest stay in flight
                Purchase done = flying.remove(random.nextInt(flying.size()));
                finished.add(simulate(done, random));
                assertThat(call).isLessThan(199);
            }
            assertThat(finished.stream().mapToLong(ItemRun::tokens).sum()).isLessThanOrEqualTo(total);
        }
    }

    @Test
    void verificationsAreBoughtWhereTheirCurveGainsMorePerTokenThanMoreSolutions() {
        var options = Options.read(with(Map.of("strategies", List.of(
                Map.of("name", "vote", "strategy", "best_of_n"),
                Map.of("name", "genrm", "strategy", "best_of_n", "n", 4, "verifications", 4, "maxTokens", 900)))));
        var state = new BatchState(List.of("easy", "hard"), 1_000_000,
                List.of(Fixtures.easyPilot("easy"), Fixtures.hardPilot("hard")), List.of());
        // the hard bin's voting curve: +0.20 for 200 tokens (4 → 8 samples); four solutions with four verdicts each:
        // 0.95 for 300 tokens, 0.0018 a token against the vote's 0.001
        CurveBook book = Fixtures.book(false);
        List<CurveBook.Curve> curves = new ArrayList<>(book.curves());
        curves.add(new CurveBook.Curve("genrm", 4, 2, List.of(new CurveBook.Point(4, 300, 0.95, 50)), 0.95));
        var withJudge = new CurveBook(book.pool(), book.suite(), book.source(), book.bins(), book.voteExponent(),
                book.sampleTokens(), book.runTokens(), book.stages(), curves);
        var allocator = new ComputeOptimal(options, withJudge);
        Purchase verify = allocator.next(state).stream().filter(p -> p.itemId().equals("hard")).findFirst()
                .orElseThrow();
        assertThat(verify.arm()).isEqualTo("genrm");
        assertThat(verify.pipeline().strategy()).isEqualTo(BestOfN.NAME);
        assertThat(verify.pipeline().n()).isEqualTo(4);
        assertThat(verify.pipeline().rewardModel()).isEqualTo("judge:sim-math:k=4");
        assertThat(verify.maxTokens()).isEqualTo(900);
        // without a curve for verifying, the same item buys more solutions
        assertThat(new ComputeOptimal(options, Fixtures.book(false)).next(state).stream()
                .filter(p -> p.itemId().equals("hard")).findFirst().orElseThrow().arm()).isEqualTo("vote");
        // the verifying run's own answer is final
        var verified = new ItemRun("hard", verify.tag(), "genrm", 280, List.of(), "3", 0.75);
        var after = new BatchState(List.of("easy", "hard"), 1_000_000,
                List.of(Fixtures.easyPilot("easy"), Fixtures.hardPilot("hard"), verified), List.of());
        assertThat(allocator.decisions(after).get("hard")).satisfies(d -> {
            assertThat(d.answer()).isEqualTo("3");
            assertThat(d.reason()).isEqualTo(Decision.Reason.VERIFIED);
        });
    }

    /** A run that spends what a real one would, never more than its budget. */
    private static ItemRun simulate(Purchase p, SplittableRandom random) {
        List<Sample> samples = new ArrayList<>();
        long tokens = Fixtures.PROMPT;
        for (int i = 0; i < p.pipeline().n(); i++) {
            long t = 20 + random.nextInt(Fixtures.SAMPLE_MAX - 20);
            tokens += t;
            samples.add(new Sample(Integer.toString(random.nextInt(3)), null, random.nextDouble(), null, t, true));
        }
        assertThat(tokens).isLessThanOrEqualTo(p.maxTokens());
        return new ItemRun(p.itemId(), p.tag(), p.arm(), tokens, samples, samples.getFirst().answer(), null);
    }

    private static Map<String, Object> with(Map<String, Object> extra) {
        Map<String, Object> m = Fixtures.settings();
        m.putAll(extra);
        return m;
    }
}
