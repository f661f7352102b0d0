# The analysis a researcher runs today in base R + sandwich, on a study in the
# `barometre import-study` format written by bench/generate-study.py. Timed side by side
# with `barometre analyze` by bench/compare.sh; it is not used by the tests.
#
#   Rscript bench/reference.R STUDY.csv OUT.json
#
# For each comparison (R vs T1, R vs T2) and each slice (all tests, then each region):
#   - the paired table of the tests (an arm is positive in a test when any of its
#     applications is: the max rule), the two rates, mcnemar.test (with and without
#     continuity correction) and the exact binom.test on the discordant pairs;
#   - the application-level prop.test (no correction);
#   - the linear probability model y ~ tested with test fixed effects and standard errors
#     clustered by test: vcovCL(type = "HC1").
# The fixed effects are swept out by the within transformation (ave by test) before lm:
# lm(y ~ tested + factor(offer)) builds one column per test and cannot run beyond about
# 10^4 tests (10^6 tests would need a 3.75·10^6 × 10^6 model matrix). Same estimate; the
# HC1 factor then counts 1 parameter instead of 1 + tests, as `barometre analyze` reports
# next to the R convention.
suppressMessages(library(sandwich))
args <- commandArgs(TRUE)
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "results-json.R"))
d <- read.csv(args[1], colClasses = c("character", "character", "character", "character", "character", "integer"))
d$y <- as.integer(d$callback == "TRUE")
offer <- factor(d$offer)
# Test × arm: positive when any application of the arm is (the max rule).
positive <- tapply(d$y, list(offer, d$arm), max)
first <- !duplicated(offer)
region <- setNames(d$region[first], as.character(offer[first]))[rownames(positive)]

results <- list()
for (tested in c("T1", "T2")) {
  for (slice in c("all", sort(unique(d$region)))) {
    keep <- if (slice == "all") rep(TRUE, nrow(positive)) else region == slice
    a <- positive[keep, "R"] == 1
    b <- positive[keep, tested] == 1
    both <- sum(a & b); ref_only <- sum(a & !b); tested_only <- sum(!a & b); neither <- sum(!a & !b)
    table <- matrix(c(both, tested_only, ref_only, neither), 2)
    mc <- mcnemar.test(table)
    mc_uncorrected <- mcnemar.test(table, correct = FALSE)
    exact <- binom.test(ref_only, ref_only + tested_only)
    rows <- d$arm %in% c("R", tested) & (slice == "all" | d$region == slice)
    apps <- d[rows, ]
    x <- as.integer(apps$arm == tested)
    pt <- prop.test(c(sum(apps$y[x == 0]), sum(apps$y[x == 1])), c(sum(x == 0), sum(x == 1)), correct = FALSE)
    g <- factor(apps$offer)
    yd <- apps$y - ave(apps$y, g)
    xd <- x - ave(x, g)
    fit <- lm(yd ~ xd - 1)
    se <- sqrt(vcovCL(fit, cluster = g, type = "HC1")[1, 1])
    results[[length(results) + 1]] <- list(
      tested = tested, slice = slice, tests = sum(keep), table = c(both, ref_only, tested_only, neither),
      rate_reference = mean(a), rate_tested = mean(b),
      mcnemar_p = mc$p.value, mcnemar_uncorrected_p = mc_uncorrected$p.value, exact_p = exact$p.value,
      prop_test_p = pt$p.value, regression = unname(coef(fit)[1]), regression_se = se)
  }
}
write_results(results, args[2])
