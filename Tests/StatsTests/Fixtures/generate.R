#!/usr/bin/env Rscript
# Reference values for Barometre's Stats tests.
#
#   Rscript Tests/StatsTests/Fixtures/generate.R        (from the repository root)
#
# Writes Tests/StatsTests/Fixtures/reference-values.csv: one row per value, columns
#   group, id, a, b, c, d, level, key, value
# where `key` names the quantity (e.g. "difference.tango.lower") and `value` is written
# with 17 significant digits; "NA" marks a value that is undefined for that input and
# "Inf" an infinite limit. The tests must not need R: this file is committed with the CSV.
#
# Sources of each value:
#  * R's own functions wherever R has the method: prop.test(correct = FALSE)$conf.int
#    (Wilson), binom.test (Clopper–Pearson; exact McNemar p, since for p = 1/2 its
#    two-sided rule equals min(1, 2 P(X <= min(b, c)))), mcnemar.test (with and without
#    continuity correction), prop.test / chisq.test (Pearson chi-squared), fisher.test,
#    p.adjust (Holm, BH), qbeta (Jeffreys), qnorm.
#  * Published formulas, written here independently of the Swift code, solved with
#    uniroot at tight tolerance: Tango (1998), Tang, Tang & Chan (2003), the mid-p
#    Clopper–Pearson limits; Newcombe (1998) method 10 with his adjusted phi; Bonett &
#    Price (2006, 2012); MOVER-Wilson (Fagerland, Lydersen & Laake 2014).
#  * Exact power of the mid-p McNemar test by brute-force double enumeration over the
#    number of discordant pairs m and the split b (the Swift code uses a one-pass bound).
#  * Conventions of METHODS.md §2 where a quantity is not defined by R: b = c = 0 gives
#    McNemar p = 1 with no statistic; n = 0 gives no estimate.
# R version used: see the header line of the CSV.

options(digits = 17)
out <- file.path("Tests", "StatsTests", "Fixtures", "reference-values.csv")
rows <- list()
emit <- function(group, id, a, b, c, d, level, key, value) {
  v <- if (is.null(value) || length(value) == 0 || is.na(value)) "NA"
       else if (is.infinite(value)) (if (value > 0) "Inf" else "-Inf")
       else sprintf("%.17g", value)
  counts <- vapply(c(a, b, c, d), function(x) format(x, scientific = FALSE), "")
  rows[[length(rows) + 1]] <<- c(group, id, counts, level, key, v)
}
tol <- 1e-15
root <- function(f, lower, upper) uniroot(f, c(lower, upper), tol = tol, maxiter = 10000)$root

wilson <- function(x, n, level) {
  if (n == 0) return(c(NA, NA))
  as.numeric(suppressWarnings(prop.test(x, n, conf.level = level, correct = FALSE))$conf.int)
}
# Wilson limits with an arbitrary critical value (Bonett–Price's adjusted z).
wilson_z <- function(x, n, z) {
  centre <- (2 * x + z^2) / (2 * (n + z^2))
  half <- z * sqrt(z^2 + 4 * x * (1 - x / n)) / (2 * (n + z^2))
  c(centre - half, centre + half)
}
clopper <- function(x, n, level) {
  if (n == 0) return(c(NA, NA))
  as.numeric(binom.test(x, n, conf.level = level)$conf.int)
}
jeffreys <- function(x, n, level) {
  alpha <- 1 - level
  c(if (x == 0) 0 else qbeta(alpha / 2, x + 0.5, n - x + 0.5),
    if (x == n) 1 else qbeta(1 - alpha / 2, x + 0.5, n - x + 0.5))
}
agresti <- function(x, n, level) {
  z <- qnorm(1 - (1 - level) / 2)
  nt <- n + z^2; pt <- (x + z^2 / 2) / nt; h <- z * sqrt(pt * (1 - pt) / nt)
  c(max(0, pt - h), min(1, pt + h))
}
midp_ci <- function(x, n, level) {
  if (n == 0) return(c(NA, NA))
  alpha <- 1 - level
  L <- if (x == 0) 0 else root(function(p) sum(dbinom(x:n, n, p)) - dbinom(x, n, p) / 2 - alpha / 2, 0, 1)
  U <- if (x == n) 1 else root(function(p) sum(dbinom(0:x, n, p)) - dbinom(x, n, p) / 2 - alpha / 2, 0, 1)
  c(L, U)
}

# ---- paired differences -------------------------------------------------------------
wald_diff <- function(a, b, c, d, level) {
  n <- a + b + c + d; z <- qnorm(1 - (1 - level) / 2)
  est <- (b - c) / n; se <- sqrt(max(0, (b + c) - (b - c)^2 / n)) / n
  c(max(-1, est - z * se), min(1, est + z * se))
}
bp_diff <- function(a, b, c, d, level) {
  n <- a + b + c + d; z <- qnorm(1 - (1 - level) / 2)
  pb <- (b + 1) / (n + 2); pc <- (c + 1) / (n + 2); dl <- pb - pc
  se <- sqrt((pb + pc - dl^2) / (n + 2))
  c(max(-1, dl - z * se), min(1, dl + z * se))
}
newcombe_diff <- function(a, b, c, d, level) {
  n <- a + b + c + d
  p1 <- (a + b) / n; p2 <- (a + c) / n
  w1 <- wilson(a + b, n, level); w2 <- wilson(a + c, n, level)
  m <- (a + b) * (c + d) * (a + c) * (b + d)
  cross <- a * d - b * c
  phi <- if (m == 0) 0 else if (cross > n / 2) (cross - n / 2) / sqrt(m) else if (cross >= 0) 0 else cross / sqrt(m)
  L <- (p1 - p2) - sqrt(max(0, (p1 - w1[1])^2 - 2 * phi * (p1 - w1[1]) * (w2[2] - p2) + (w2[2] - p2)^2))
  U <- (p1 - p2) + sqrt(max(0, (w1[2] - p1)^2 - 2 * phi * (w1[2] - p1) * (p2 - w2[1]) + (p2 - w2[1])^2))
  c(max(-1, L), min(1, U))
}
tango_T <- function(d0, b, c, n) {
  A <- 2 * n; B <- -b - c + (2 * n - b + c) * d0; C <- -c * d0 * (1 - d0)
  p21 <- (sqrt(B^2 - 4 * A * C) - B) / (2 * A)
  num <- b - c - n * d0; v <- n * (2 * p21 + d0 * (1 - d0))
  if (v <= 0) return(if (num == 0) 0 else sign(num) * Inf)
  num / sqrt(v)
}
tango_diff <- function(a, b, c, d, level) {
  n <- a + b + c + d; z <- qnorm(1 - (1 - level) / 2); est <- (b - c) / n; e <- 1e-12
  L <- if (est <= -1 + e || tango_T(-1 + e, b, c, n) - z <= 0) -1 else
    root(function(x) tango_T(x, b, c, n) - z, -1 + e, est)
  U <- if (est >= 1 - e || tango_T(1 - e, b, c, n) + z >= 0) 1 else
    root(function(x) tango_T(x, b, c, n) + z, est, 1 - e)
  c(L, U)
}

# ---- paired ratios --------------------------------------------------------------------
tang_T <- function(phi, a, b, c, n) {
  A <- n * (1 + phi); B <- (a + c) * phi^2 - (a + b + 2 * c); C <- c * (1 - phi) * (a + b + c) / n
  p21 <- (-B + sqrt(max(0, B^2 - 4 * A * C))) / (2 * A)
  num <- (a + b) - (a + c) * phi; v <- n * (1 + phi) * p21 + (a + b + c) * (phi - 1)
  if (v <= 0) return(if (num == 0) 0 else sign(num) * Inf)
  num / sqrt(v)
}
tang_ratio <- function(a, b, c, d, level) {
  n <- a + b + c + d; z <- qnorm(1 - (1 - level) / 2)
  est <- if (a + c > 0) (a + b) / (a + c) else NA
  s <- if (!is.na(est) && est > 0) est else 1
  # Root on (0, Inf) of a decreasing function: bracket by halving/doubling from s (the
  # variance vanishes as phi -> 0 when a + b = 0, so no fixed bracket is safe), then uniroot.
  # Returns NA when the sign never changes: the limit is 0 or Inf.
  solve_dec <- function(f) {
    v <- f(s); if (v == 0) return(s)
    prev <- s
    repeat {
      nxt <- if (v < 0) prev / 2 else prev * 2
      if (nxt <= 0 || !is.finite(nxt)) return(NA)
      w <- f(nxt); if (is.nan(w)) return(NA)
      if ((w < 0) != (v < 0) || w == 0) {
        lo <- min(prev, nxt); hi <- max(prev, nxt)
        return(uniroot(f, c(lo, hi), tol = 1e-13 * hi, maxiter = 10000)$root)
      }
      prev <- nxt
    }
  }
  L <- if (!is.na(est) && est == 0) 0 else { r <- solve_dec(function(p) tang_T(p, a, b, c, n) - z); if (is.na(r)) 0 else r }
  U <- if (is.na(est)) Inf else { r <- solve_dec(function(p) tang_T(p, a, b, c, n) + z); if (is.na(r)) Inf else r }
  c(L, U)
}
bp_ratio <- function(a, b, c, d, level) {
  ns <- a + b + c; n1 <- a + b; n2 <- a + c; z0 <- qnorm(1 - (1 - level) / 2)
  A <- sqrt((b + c + 2) / ((n1 + 1) * (n2 + 1)))
  B <- sqrt((1 - (n1 + 1) / (ns + 2)) / (n1 + 1))
  C <- sqrt((1 - (n2 + 1) / (ns + 2)) / (n2 + 1))
  z <- A / (B + C) * z0
  w1 <- pmin(1, pmax(0, wilson_z(n1, ns, z))); w2 <- pmin(1, pmax(0, wilson_z(n2, ns, z)))
  c(w1[1] / w2[2], if (w2[1] > 0) w1[2] / w2[1] else Inf)
}
mover_ratio <- function(a, b, c, d, level) {
  n <- a + b + c + d; p1 <- (a + b) / n; p2 <- (a + c) / n
  w1 <- wilson(a + b, n, level); w2 <- wilson(a + c, n, level)
  l1 <- w1[1]; u1 <- w1[2]; l2 <- w2[1]; u2 <- w2[2]
  m <- (a + b) * (c + d) * (a + c) * (b + d)
  r <- if (m > 0) (a * d - b * c) / sqrt(m) else 0
  A <- r * (p1 - l1) * (u2 - p2); B <- r * (u1 - p1) * (p2 - l2)
  # A discriminant that is 0 in exact arithmetic (rho = 1, p1 = p2) may round to -1e-17.
  rd <- function(D) if (D >= -1e-12) sqrt(max(0, D)) else NaN
  L <- (A - p1 * p2 + rd((A - p1 * p2)^2 - l1 * (2 * p1 - l1) * u2 * (2 * p2 - u2))) / (u2 * (u2 - 2 * p2))
  U <- (B - p1 * p2 - rd((B - p1 * p2)^2 - u1 * (2 * p1 - u1) * l2 * (2 * p2 - l2))) / (l2 * (l2 - 2 * p2))
  c(if (is.nan(L)) 0 else max(0, L), if (is.nan(U) || U < 0) Inf else U)
}
odds <- function(p) ifelse(p >= 1, Inf, p / (1 - p))

# ---- paired tables --------------------------------------------------------------------
paired <- list(
  # Published tables (METHODS.md §6) and the TEPP inter1 comparisons (shared/data/tepp).
  list("cavo2012", 59, 6, 16, 80), list("ezra2010", 7, 25, 2, 68), list("bentur2009", 1, 1, 7, 12),
  list("inter1-woman-f", 43, 43, 27, 197), list("inter1-man-m", 45, 41, 20, 204), list("inter1-woman-s", 15, 71, 11, 213),
  list("inter1-woman-f-net", 43, 43, 27, 0),
  # Edge cases.
  list("all-zero", 0, 0, 0, 0), list("no-positive", 0, 0, 0, 10), list("all-both", 10, 0, 0, 0),
  list("no-discordant", 5, 0, 0, 5), list("c-zero", 0, 5, 0, 5), list("b-zero", 0, 0, 5, 5),
  list("single-b", 0, 1, 0, 0), list("single-c", 0, 0, 1, 0), list("single-a", 1, 0, 0, 0), list("single-d", 0, 0, 0, 1),
  list("only-c", 0, 0, 5, 0), list("only-b", 0, 5, 0, 0), list("b-equals-c", 10, 7, 7, 20),
  list("a-zero", 0, 12, 4, 30), list("d-zero", 20, 9, 3, 0), list("tiny", 1, 2, 0, 1),
  list("large", 300000, 120000, 100000, 480000), list("large-rare", 50, 900, 600, 998450),
  # Assorted designs.
  list("t1", 12, 8, 3, 77), list("t2", 40, 22, 10, 128), list("t3", 3, 14, 2, 81), list("t4", 90, 5, 15, 10),
  list("t5", 25, 25, 24, 26), list("t6", 2, 30, 1, 7), list("t7", 150, 60, 35, 755), list("t8", 0, 3, 1, 40),
  list("t9", 8, 1, 9, 2), list("t10", 33, 17, 5, 445)
)
levels <- c(0.95)
for (tb in paired) {
  id <- tb[[1]]; a <- tb[[2]]; b <- tb[[3]]; c <- tb[[4]]; d <- tb[[5]]; n <- a + b + c + d
  for (level in if (id %in% c("cavo2012", "t2", "large")) c(0.90, 0.95, 0.99) else levels) {
    E <- function(key, value) emit("paired", id, a, b, c, d, level, key, value)
    # McNemar family.
    m <- matrix(c(a, c, b, d), 2)  # rows: reference +/-, columns: tested +/-
    if (b + c == 0) {
      E("mcnemar.statistic", NA); E("mcnemar.p", 1); E("mcnemar-corrected.statistic", NA); E("mcnemar-corrected.p", 1)
      E("exact.p", 1); E("mid-p.p", 1)
    } else {
      t0 <- mcnemar.test(m, correct = FALSE); t1 <- mcnemar.test(m, correct = TRUE)
      E("mcnemar.statistic", t0$statistic); E("mcnemar.p", t0$p.value)
      E("mcnemar-corrected.statistic", t1$statistic); E("mcnemar-corrected.p", t1$p.value)
      E("exact.p", binom.test(b, b + c, 0.5)$p.value)
      k <- min(b, c); E("mid-p.p", min(1, 2 * pbinom(k, b + c, 0.5) - dbinom(k, b + c, 0.5)))
    }
    if (n == 0) next  # nothing else is defined without tests
    # Rates.
    for (arm in list(list("reference", a + b), list("tested", a + c))) {
      w <- wilson(arm[[2]], n, level); cp <- clopper(arm[[2]], n, level)
      E(paste0("rates.", arm[[1]], ".estimate"), arm[[2]] / n)
      E(paste0("rates.", arm[[1]], ".wilson.lower"), w[1]); E(paste0("rates.", arm[[1]], ".wilson.upper"), w[2])
      E(paste0("rates.", arm[[1]], ".clopper-pearson.lower"), cp[1]); E(paste0("rates.", arm[[1]], ".clopper-pearson.upper"), cp[2])
    }
    # Difference over all tests, and net discrimination over tests with a positive.
    diffs <- list(newcombe = newcombe_diff, tango = tango_diff, "bonett-price" = bp_diff, wald = wald_diff)
    E("difference.estimate", (b - c) / n)
    for (name in names(diffs)) {
      v <- diffs[[name]](a, b, c, d, level)
      E(paste0("difference.", name, ".lower"), v[1]); E(paste0("difference.", name, ".upper"), v[2])
    }
    if (a + b + c > 0) {
      E("net.estimate", (b - c) / (a + b + c))
      for (name in c("newcombe", "tango")) {
        v <- diffs[[name]](a, b, c, 0, level)
        E(paste0("net.", name, ".lower"), v[1]); E(paste0("net.", name, ".upper"), v[2])
      }
      # Ratio (defined as an interval whenever some test had a positive).
      E("ratio.estimate", if (a + c > 0) (a + b) / (a + c) else NA)
      ratios <- list(tang = tang_ratio, "bonett-price" = bp_ratio, "mover-wilson" = mover_ratio)
      for (name in names(ratios)) {
        v <- ratios[[name]](a, b, c, d, level)
        E(paste0("ratio.", name, ".lower"), v[1]); E(paste0("ratio.", name, ".upper"), v[2])
      }
    }
    # Discordant share and conditional odds ratio.
    if (b + c > 0) {
      cp <- clopper(b, b + c, level); mp <- midp_ci(b, b + c, level); w <- wilson(b, b + c, level)
      E("discordant.estimate", b / (b + c))
      E("discordant.clopper-pearson.lower", cp[1]); E("discordant.clopper-pearson.upper", cp[2])
      E("discordant.mid-p.lower", mp[1]); E("discordant.mid-p.upper", mp[2])
      E("oddsRatio.estimate", if (c > 0) b / c else NA)
      E("oddsRatio.clopper-pearson.lower", odds(cp[1])); E("oddsRatio.clopper-pearson.upper", odds(cp[2]))
      E("oddsRatio.mid-p.lower", odds(mp[1])); E("oddsRatio.mid-p.upper", odds(mp[2]))
      E("oddsRatio.wilson.lower", odds(w[1])); E("oddsRatio.wilson.upper", odds(w[2]))
    }
  }
}

# ---- one proportion ---------------------------------------------------------------------
props <- list(c(0, 1), c(1, 1), c(0, 10), c(10, 10), c(1, 10), c(5, 10), c(86, 310), c(26, 310),
              c(3, 1000), c(997, 1000), c(450000, 1000000), c(13, 16), c(250, 533))
for (p in props) for (level in c(0.9, 0.95, 0.99)) {
  x <- p[1]; n <- p[2]; id <- paste0(format(x, scientific = FALSE), "/", format(n, scientific = FALSE))
  E <- function(key, value) emit("proportion", id, x, n, 0, 0, level, key, value)
  for (m in list(list("wilson", wilson), list("clopper-pearson", clopper), list("jeffreys", jeffreys),
                 list("agresti-coull", agresti), list("mid-p", midp_ci))) {
    v <- m[[2]](x, n, level); E(paste0(m[[1]], ".lower"), v[1]); E(paste0(m[[1]], ".upper"), v[2])
  }
}

# ---- two independent proportions (columns a, b = positives, trials of arm 1; c, d = of arm 2)
indep <- list(c(86, 310, 26, 310), c(10, 50, 20, 50), c(0, 20, 5, 20), c(7, 7, 3, 9), c(246, 2435, 164, 2435),
              c(1, 3, 2, 4), c(500, 1000, 480, 1000), c(0, 5, 0, 5))
for (p in indep) {
  x1 <- p[1]; n1 <- p[2]; x2 <- p[3]; n2 <- p[4]; id <- paste(p, collapse = "-")
  E <- function(key, value) emit("independent", id, x1, n1, x2, n2, 0.95, key, value)
  tab <- matrix(c(x1, x2, n1 - x1, n2 - x2), 2)
  if (x1 + x2 == 0 || x1 + x2 == n1 + n2) { E("pearson.statistic", NA); E("pearson.p", NA) } else {
    pt <- suppressWarnings(chisq.test(tab, correct = FALSE))
    E("pearson.statistic", pt$statistic); E("pearson.p", pt$p.value)
  }
  E("fisher.p", fisher.test(tab)$p.value)
  w1 <- wilson(x1, n1, 0.95); w2 <- wilson(x2, n2, 0.95); p1 <- x1 / n1; p2 <- x2 / n2
  E("newcombe.lower", max(-1, p1 - p2 - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2)))
  E("newcombe.upper", min(1, p1 - p2 + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2)))
}

# ---- multiplicity -------------------------------------------------------------------------
pvecs <- list(c(0.01, 0.04, 0.03, 0.005, 0.2), c(0.5, 0.5, 0.001), c(0.0001, 0.9, 0.04, 0.04, 0.6, 0.012, 0.3),
              c(1, 1, 1), c(0.05))
for (i in seq_along(pvecs)) {
  pv <- pvecs[[i]]; h <- p.adjust(pv, "holm"); q <- p.adjust(pv, "BH")
  for (j in seq_along(pv)) {
    emit("multiplicity", paste0("set", i), j, 0, 0, 0, 0, "p", pv[j])
    emit("multiplicity", paste0("set", i), j, 0, 0, 0, 0, "holm", h[j])
    emit("multiplicity", paste0("set", i), j, 0, 0, 0, 0, "bh", q[j])
  }
}

# ---- power ----------------------------------------------------------------------------------
connor <- function(p10, p01, alpha, power) {
  psi <- p10 + p01; dl <- p10 - p01
  ceiling((qnorm(1 - alpha / 2) * sqrt(psi) + qnorm(power) * sqrt(psi - dl^2))^2 / dl^2)
}
midp_power <- function(n, p10, p01, alpha) {
  psi <- p10 + p01; pi <- p10 / psi; total <- 0
  for (m in 1:n) {
    w <- dbinom(m, n, psi); if (w == 0) next
    b <- 0:m; k <- pmin(b, m - b)
    pv <- pmin(1, 2 * pbinom(k, m, 0.5) - dbinom(k, m, 0.5))
    total <- total + w * sum(dbinom(b[pv <= alpha], m, pi))
  }
  total
}
for (s in list(c(0.10, 0.05, 0.05, 0.8), c(0.20, 0.15, 0.05, 0.8), c(0.30, 0.10, 0.05, 0.9), c(0.05, 0.02, 0.01, 0.8))) {
  emit("power", "connor", 0, 0, 0, 0, s[3], sprintf("pairs|%g|%g|%g", s[1], s[2], s[4]), connor(s[1], s[2], s[3], s[4]))
}
for (s in list(c(469, 0.10, 0.05, 0.05), c(50, 0.20, 0.05, 0.05), c(200, 0.12, 0.08, 0.01), c(30, 0.3, 0.1, 0.05),
               c(1, 0.5, 0.2, 0.05), c(120, 0.1, 0.1, 0.05))) {
  emit("power", "mid-p", s[1], 0, 0, 0, s[4], sprintf("power|%g|%g", s[2], s[3]), midp_power(s[1], s[2], s[3], s[4]))
}

# ---- paired measures: t interval, Wilcoxon signed-rank, Hodges-Lehmann (Walsh median) --------
measures <- list(
  small = c(2.5, -1, 4, 3.5, 0.5, 6, -2.5, 1.5),                  # exact Wilcoxon (n < 50, no ties, no zeros)
  ties = c(2, 2, -1, 3, 0, 4, 2, -1, 5, 1),                        # zeros and ties: normal approximation
  delays = c(26, 3, 48, 0, 12, -6, 72, 24, 24, 5, -12, 30, 18, 0, 96, 4, 1, 40, -3, 22,
             8, 15, 60, 2, -1, 36, 9, 14, 20, 7, 50, 11, 3, 28, 16, -8, 44, 6, 19, 33,
             10, 12, 27, 5, 21, 13, 0, 17, 23, 29, 31, 2, 4, 38))    # n > 50
for (name in names(measures)) {
  x <- measures[[name]]
  E <- function(key, value) emit("measures", name, length(x), 0, 0, 0, 0.95, key, value)
  tt <- t.test(x)
  E("mean", mean(x)); E("t.lower", tt$conf.int[1]); E("t.upper", tt$conf.int[2])
  E("wilcoxon.p", suppressWarnings(wilcox.test(x))$p.value)
  w <- outer(x, x, "+") / 2
  E("hodges-lehmann", median(w[upper.tri(w, diag = TRUE)]))
  E("values", NA)
  for (i in seq_along(x)) emit("measures", name, i, 0, 0, 0, 0.95, "value", x[i])
}

header <- c("group", "id", "a", "b", "c", "d", "level", "key", "value")
lines <- c(paste0("# generated by Tests/StatsTests/Fixtures/generate.R with ", R.version.string),
           paste(header, collapse = ","), vapply(rows, function(r) paste(r, collapse = ","), ""))
writeLines(lines, out)
cat(sprintf("wrote %d reference values to %s\n", length(rows), out))
