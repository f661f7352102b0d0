#!/usr/bin/env Rscript
# Reference values for `barometre analyze` on real TEPP studies (../shared/data/tepp).
#
#   Rscript Tests/BarometerTests/Fixtures/generate-analysis.R     (from the repository root;
#                                                                 needs r-cran-sandwich)
#
# Writes Tests/BarometerTests/Fixtures/analysis-reference.csv: study, reference, tested,
# key, value (17 significant digits). For each study the reference arm is compared with
# every tested arm, over the offers where both arms applied:
#   * paired table with the "max" rule (an arm is positive in an offer if any of its
#     applications is), as the TEPP `callback` package does;
#   * rates over tests with binom.test (Clopper–Pearson) intervals;
#   * mcnemar.test (with and without continuity correction), binom.test on the
#     discordant tests (exact conditional McNemar);
#   * lm(positive ~ reference + factor(offer)) with sandwich::vcovCL(cluster = ~offer)
#     (type "HC1", cadjust: G/(G-1)(N-1)/(N-K)): estimate and standard error;
#   * application level: prop.test(correct = FALSE) (Pearson chi-squared) and fisher.test;
#   * mantelhaen.test(correct = FALSE) across the study's first slice column, and the
#     Breslow-Day homogeneity statistic (without Tarone's correction), which base R lacks:
#     written here from Breslow & Day (1980), the fitted cell found with polyroot.
suppressMessages(library(sandwich))
options(digits = 17)
root <- file.path("..", "shared", "data", "tepp")
studies <- list(
  list(id = "inter1", arms = c("gender", "origin"), reference = "Man.F", slice = "paris"),
  list(id = "labour1", arms = c("hist"), reference = "LTC", slice = "paris"),
  list(id = "mobility1", arms = c("gender", "licenses"), reference = "Man.Yes", slice = "paris"),
  list(id = "origin1", arms = c("nation", "lnation", "fnation"), reference = "F.F.F", slice = "reput")
)
rows <- list()
emit <- function(study, ref, tested, key, value) {
  v <- if (is.null(value) || length(value) == 0 || is.na(value)) "NA" else sprintf("%.17g", value)
  rows[[length(rows) + 1]] <<- c(study, ref, tested, key, v)
}
for (s in studies) {
  d <- read.csv(file.path(root, paste0(s$id, ".csv")), stringsAsFactors = FALSE)
  d$arm <- do.call(paste, c(d[s$arms], sep = "."))
  d$y <- as.numeric(d$callback == TRUE | d$callback == "TRUE")
  for (tested in setdiff(sort(unique(d$arm)), s$reference)) {
    E <- function(key, value) emit(s$id, s$reference, tested, key, value)
    two <- d[d$arm %in% c(s$reference, tested), ]
    offers <- intersect(unique(two$offer[two$arm == s$reference]), unique(two$offer[two$arm == tested]))
    two <- two[two$offer %in% offers, ]
    rpos <- tapply(two$y[two$arm == s$reference], two$offer[two$arm == s$reference], max)
    tpos <- tapply(two$y[two$arm == tested], two$offer[two$arm == tested], max)
    tpos <- tpos[names(rpos)]
    a <- sum(rpos == 1 & tpos == 1); b <- sum(rpos == 1 & tpos == 0); c <- sum(rpos == 0 & tpos == 1); dd <- sum(rpos == 0 & tpos == 0)
    n <- a + b + c + dd
    E("tests", n); E("both", a); E("referenceOnly", b); E("testedOnly", c); E("neither", dd)
    cpR <- binom.test(a + b, n)$conf.int; cpT <- binom.test(a + c, n)$conf.int
    E("rate.reference", (a + b) / n); E("rate.reference.cp.lower", cpR[1]); E("rate.reference.cp.upper", cpR[2])
    E("rate.tested", (a + c) / n); E("rate.tested.cp.lower", cpT[1]); E("rate.tested.cp.upper", cpT[2])
    m <- matrix(c(a, c, b, dd), 2)
    if (b + c > 0) {
      E("mcnemar.p", mcnemar.test(m, correct = FALSE)$p.value)
      E("mcnemar-corrected.p", mcnemar.test(m, correct = TRUE)$p.value)
      E("exact.p", binom.test(b, b + c, 0.5)$p.value)
    }
    two$ref <- as.numeric(two$arm == s$reference)
    fit <- lm(y ~ ref + factor(offer), data = two)
    V <- vcovCL(fit, cluster = ~offer, type = "HC1")
    E("regression.estimate", coef(fit)[["ref"]]); E("regression.se", sqrt(V["ref", "ref"]))
    nR <- sum(two$ref == 1); nT <- sum(two$ref == 0); pR <- sum(two$y[two$ref == 1]); pT <- sum(two$y[two$ref == 0])
    E("applications.reference", nR); E("applications.tested", nT); E("positives.reference", pR); E("positives.tested", pT)
    E("chisq.p", suppressWarnings(prop.test(c(pR, pT), c(nR, nT), correct = FALSE))$p.value)
    E("fisher.p", fisher.test(matrix(c(pR, pT, nR - pR, nT - pT), 2))$p.value)
    # Mantel-Haenszel across the slice column, application level (offers where both applied).
    tab <- table(factor(two$ref, levels = c(1, 0)), factor(two$y, levels = c(1, 0)), two[[s$slice]])
    keep <- apply(tab, 3, sum) >= 2
    if (sum(keep) >= 1) {
      mh <- mantelhaen.test(tab[, , keep, drop = FALSE], correct = FALSE)
      E("mh.or", mh$estimate); E("mh.lower", mh$conf.int[1]); E("mh.upper", mh$conf.int[2]); E("mh.p", mh$p.value)
      # Breslow-Day: sum over strata of (a - A)^2 / Var(A), A the reference-positive count that
      # gives the pooled odds ratio with the stratum's margins.
      psi <- mh$estimate; bd <- 0; k <- 0
      for (s3 in which(keep)) {
        x <- tab[, , s3]; a <- x[1, 1]; m1 <- sum(x[1, ]); n1 <- sum(x[, 1]); m2 <- sum(x[2, ])
        lo <- max(0, n1 - m2); hi <- min(m1, n1)
        if (hi <= lo) next
        # A (m2 - n1 + A) = psi (m1 - A)(n1 - A)  <=>  (1 - psi) A^2 + (m2 - n1 + psi (m1 + n1)) A - psi m1 n1 = 0
        r <- Re(polyroot(c(-psi * m1 * n1, m2 - n1 + psi * (m1 + n1), 1 - psi)))
        A <- r[r >= lo - 1e-9 & r <= hi + 1e-9][1]
        v <- 1 / (1 / A + 1 / (m1 - A) + 1 / (n1 - A) + 1 / (m2 - n1 + A))
        if (!is.finite(v) || v <= 0) next
        bd <- bd + (a - A)^2 / v; k <- k + 1
      }
      if (k >= 2) { E("bd.statistic", bd); E("bd.p", pchisq(bd, k - 1, lower.tail = FALSE)) }
    }
  }
}
out <- file.path("Tests", "BarometerTests", "Fixtures", "analysis-reference.csv")
writeLines(c(paste0("# generated by Tests/BarometerTests/Fixtures/generate-analysis.R with ", R.version.string),
             "study,reference,tested,key,value", vapply(rows, paste, "", collapse = ",")), out)
cat(sprintf("wrote %d reference values to %s\n", length(rows), out))
