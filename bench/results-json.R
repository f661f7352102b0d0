# Writes a bench reference script's results (a list of flat named lists: strings, numbers,
# numeric vectors) as a JSON array, without a JSON package. Sourced by bench/reference.R and
# bench/reference_fixest.R.
write_results <- function(results, path) {
  json <- paste0("[", paste(vapply(results, function(r) {
    paste0("{", paste(sprintf("\"%s\": %s", names(r), vapply(r, function(v) {
      if (is.character(v)) sprintf("\"%s\"", v) else if (length(v) > 1) sprintf("[%s]", paste(v, collapse = ", ")) else format(v, digits = 15)
    }, "")), collapse = ", "), "}")
  }, ""), collapse = ",\n"), "]\n")
  writeLines(json, path)
}
