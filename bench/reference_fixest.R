# The fastest R workflow a researcher uses today (data.table + fixest), on a study in the
# `barometre import-study` format written by bench/generate-study.py. Timed side by side with
# `barometre analyze` by bench/compare.sh (issue #17 item 1) where fixest is installed; it is
# not used by the tests.
#
#   Rscript bench/reference_fixest.R STUDY.csv OUT.json
#
# The same computations as bench/reference_fast.py (polars + pyfixest): for each comparison
# (R vs T1, R vs T2) and each slice (all tests, then each region), the paired table (max
# rule), McNemar with and without continuity correction, and the linear probability model
# y ~ tested | offer with standard errors clustered by offer (fixest::feols, cluster = ~offer,
# the whole sample and every region in one call with fsplit = ~region).
suppressMessages({ library(data.table); library(fixest) })
setFixest_nthreads(2)
setDTthreads(2)
args <- commandArgs(TRUE)
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "results-json.R"))
d <- fread(args[1], colClasses = c(offer = "character", arm = "character", callback = "character", region = "character",
                                   organization = "character", sentorder = "integer"))
d[, y := as.integer(callback == "TRUE")]
# Test × arm: positive when any application of the arm is (the max rule).
positive <- dcast(d[, .(y = max(y)), by = .(offer, arm)], offer ~ arm, value.var = "y")
positive <- merge(positive, d[, .(region = region[1]), by = offer], by = "offer")

results <- list()
for (tested in c("T1", "T2")) {
  # One feols call for the whole sample and every region (fsplit), as a fixest user writes it.
  apps <- d[arm %in% c("R", tested)]
  apps[, x := as.numeric(arm == tested)]
  fits <- feols(y ~ x | offer, data = apps, cluster = ~offer, fsplit = ~region, notes = FALSE, warn = FALSE)
  samples <- models(fits)$sample
  for (slice in c("all", sort(unique(d$region)))) {
    sub <- if (slice == "all") positive else positive[region == slice]
    a <- sub[["R"]] == 1; b <- sub[[tested]] == 1
    both <- sum(a & b); ref_only <- sum(a & !b); tested_only <- sum(!a & b); neither <- sum(!a & !b)
    discordant <- ref_only + tested_only
    uncorrected <- if (discordant > 0) pchisq((ref_only - tested_only)^2 / discordant, 1, lower.tail = FALSE) else 1
    corrected <- if (discordant > 0) pchisq((abs(ref_only - tested_only) - 1)^2 / discordant, 1, lower.tail = FALSE) else 1
    fit <- fits[[match(if (slice == "all") "Full sample" else slice, samples)]]
    results[[length(results) + 1]] <- list(tested = tested, slice = slice, table = c(both, ref_only, tested_only, neither),
                                           mcnemar_p = corrected, mcnemar_uncorrected_p = uncorrected, regression = unname(coef(fit)["x"]))
  }
}
write_results(results, args[2])
