# Reference rows of R's natural cubic spline basis, which the report card's prior uses
# (splines::ns, intercept omitted, as drrank calls it). R 4.2.2:
#   Rscript Tests/StatsTests/Fixtures/generate-natural-spline.R
# prints the rows pasted into ReportCardTests.swift (rNaturalSpline).
library(splines)
x <- seq(0, 1, length.out = 11)
m <- ns(x, df = 5)[c(1, 4, 8, 11), ]
for (i in 1:4) cat("[", paste(sprintf("%.15g", m[i, ]), collapse = ", "), "],\n")
