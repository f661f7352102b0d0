import Stats
import Values

// The JSON contract of `barometre analyze --format json` ("barometre.findings/1"; README).

extension Defined where Value == HypothesisTest {
    var json: JSONValue {
        switch self {
        case let .value(test):
            var pairs: [(String, JSONValue)] = []
            pairs.append(("statistic", test.statistic.map(JSONValue.number) ?? .null))
            if let df = test.degreesOfFreedom { pairs.append(("df", .number(df))) }
            pairs.append(("p", .number(test.pValue)))
            pairs.append(("method", .string(test.method)))
            return .object(pairs)
        case let .undefined(reason):
            return .object([("statistic", .null), ("p", .null), ("note", .string(reason))])
        }
    }
}

extension Defined where Value == ConfidenceInterval {
    var json: JSONValue {
        switch self {
        case let .value(i): return .array([.number(i.lower), .number(i.upper)])
        case .undefined: return .null
        }
    }
}

extension Defined where Value == RobustCoefficient {
    func json(variant: ClusterAdjustment) -> JSONValue {
        switch self {
        case let .value(c):
            return .object([("estimate", .number(c.estimate)), ("se", .number(c.standardError)),
                            ("interval", .array([.number(c.interval.lower), .number(c.interval.upper)])),
                            ("t", .number(c.t)), ("df", .number(c.degreesOfFreedom)), ("p", .number(c.pValue)),
                            ("model", .string("positive ~ reference + test fixed effects; estimate = reference − tested")),
                            ("variant", .string(variant.rawValue))])
        case let .undefined(reason):
            return .object([("estimate", .null), ("se", .null), ("interval", .null), ("note", .string(reason)), ("variant", .string(variant.rawValue))])
        }
    }
}

private func pair(_ reference: Int, _ tested: Int) -> JSONValue {
    .object([("reference", .int(reference)), ("tested", .int(tested))])
}

extension ComparisonFinding {
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("reference", .string(reference)), ("tested", .string(tested)),
            ("slice", .object(slice.keys.sorted().map { ($0, .string(slice[$0]!)) })),
            ("tests", .int(tests)),
            ("applications", pair(applications.reference, applications.tested)),
            ("positives", pair(positives.reference, positives.tested)),
        ]
        if let paired {
            let t = paired.table
            pairs.append(("table", .object([("both", .int(t.both)), ("referenceOnly", .int(t.referenceOnly)),
                                            ("testedOnly", .int(t.testedOnly)), ("neither", .int(t.neither))])))
        } else {
            pairs.append(("table", .null))
        }
        pairs.append(("patterns", .object(patterns.map { ($0.key.description, $0.value) }.sorted { $0.0 < $1.0 }.map { ($0.0, .int($0.1)) })))
        // The paired indicators, exactly as `barometre stats paired` prints them.
        if case let .object(stats)? = paired?.json {
            for (key, value) in stats where !["level", "table", "methods"].contains(key) { pairs.append((key, value)) }
        } else {
            for key in ["rates", "difference", "ratio", "oddsRatio", "net", "discordant", "gross", "significance"] { pairs.append((key, .null)) }
        }
        if let rates = applicationRates {
            pairs.append(("applicationRates", .object([("reference", rates.reference.json), ("tested", rates.tested.json)])))
        } else {
            pairs.append(("applicationRates", .null))
        }
        var chi = chiSquare.json
        if case var .object(members) = chi { members.append(("scope", .string("application level, ignoring the pairing"))); chi = .object(members) }
        pairs.append(("chiSquare", chi))
        pairs.append(("regression", regression.json(variant: .lmDummiesHC1)))
        pairs.append(("regressionNested", regressionNested.json(variant: .nestedFixedEffects)))
        pairs.append(("independent", .object([
            ("scope", .string("application level, as two independent samples (ignoring the pairing)")),
            ("difference", .object([("estimate", applicationDifference.map(JSONValue.number) ?? .null),
                                    ("intervals", .object([("newcombe", independentDifference.json)]))])),
            ("fisher", .object([("p", independentFisher.value.map { .number($0.pValue) } ?? .null)])),
        ])))
        if let between {
            pairs.append(("between", .object([
                ("scope", .string("targets that received only one of the two arms, as independent samples")),
                ("targets", pair(between.targets.reference, between.targets.tested)),
                ("applications", pair(between.applications.reference, between.applications.tested)),
                ("positives", pair(between.positives.reference, between.positives.tested)),
                ("difference", .object([("estimate", between.difference.value.map(JSONValue.number) ?? .null),
                                        ("intervals", .object([("newcombe", between.newcombe.json)]))])),
                ("chiSquare", between.chiSquare.json), ("fisher", between.fisher.json),
            ])))
        } else {
            pairs.append(("between", .null))
        }
        pairs.append(("primary", .object([("test", .string(primaryTest.rawValue)), ("p", primaryP.map(JSONValue.number) ?? .null)])))
        pairs.append(("family", .string(family.rawValue)))
        pairs.append(("adjusted", .object([("holm", holm.map(JSONValue.number) ?? .null), ("bh", benjaminiHochberg.map(JSONValue.number) ?? .null)])))
        if excludedTests > 0 { pairs.append(("excludedTests", .int(excludedTests))) }
        if let sliceKind { pairs.append(("sliceKind", .string(sliceKind.rawValue))) }
        pairs.append(("measures", .array(measures.map { m in
            .object([("name", .string(m.name)), ("pairs", .int(m.pairs)),
                     ("difference", .string("reference − tested, per test (mean over each arm's applications)")),
                     ("meanDifference", m.meanDifference.value.map(JSONValue.number) ?? .null), ("interval", m.interval.json),
                     ("intervalMethod", .string("Student t")), ("wilcoxon", m.wilcoxon.json),
                     ("hodgesLehmann", m.hodgesLehmann.value.map(JSONValue.number) ?? .null)])
        })))
        return .object(pairs)
    }

    /// Application-level difference of rates, p_R − p_T.
    var applicationDifference: Double? {
        guard applications.reference > 0, applications.tested > 0 else { return nil }
        return Double(positives.reference) / Double(applications.reference) - Double(positives.tested) / Double(applications.tested)
    }
}

extension Findings {
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("schema", .string("barometre.findings/1")),
            ("source", .object([("kind", .string(request.kind.rawValue)), ("id", .string(request.id))])),
            ("simulated", .bool(request.simulated)),
            ("level", .number(request.level)),
            ("reference", .string(request.referenceArm)),
            ("arms", .array(arms.map(JSONValue.string))),
            ("scale", .array(request.scale.map(JSONValue.string))),
            ("positiveThreshold", .string(request.scale[request.thresholdIndex])),
            ("pending", .int(pending)),
            ("multiplicity", .object([
                ("confirmatory", .object([
                    ("comparisons", .int(comparisons.filter { $0.family == .confirmatory && $0.primaryP != nil }.count)),
                    ("primary", .array(comparisons.filter { $0.family == .confirmatory }.map { .string($0.tested) })),
                    ("method", .string("Holm, within the primary comparisons (each tested arm named primary against the reference, all tests, at the positive threshold); only these make headlines")),
                ])),
                ("exploratory", .object([
                    ("comparisons", .int(comparisons.filter { $0.family == .exploratory && $0.primaryP != nil }.count)),
                    ("method", .string("Benjamini–Hochberg, within the exploratory comparisons (slices, all-pairs, arms not named primary); organizations have their own Benjamini–Hochberg family")),
                ])),
            ])),
            ("comparisons", .array(comparisons.map(\.json))),
            ("stratified", .array(stratified.map { s in
                var mh: JSONValue = .null
                if let m = s.mantelHaenszel {
                    mh = .object([("oddsRatio", m.oddsRatio.value.map(JSONValue.number) ?? .null), ("interval", m.interval.json),
                                  ("intervalMethod", .string("Robins–Breslow–Greenland")),
                                  ("statistic", m.test.statistic.map(JSONValue.number) ?? .null), ("p", .number(m.test.pValue)),
                                  ("test", .string(m.test.method)), ("strata", .int(m.strata))])
                }
                return .object([("reference", .string(s.reference)), ("tested", .string(s.tested)), ("by", .string(s.by)),
                                ("strata", .int(s.strata)), ("mantelHaenszel", mh),
                                ("homogeneity", s.mantelHaenszel?.homogeneity.json ?? .null),
                                ("discordantHomogeneity", s.discordantHomogeneity.json),
                                ("pooledDiscordantShare", s.pooledDiscordantShare.value.map(JSONValue.number) ?? .null)])
            })),
            ("ordinal", .array(ordinal.map { o in
                .object([("reference", .string(o.reference)), ("tested", .string(o.tested)),
                         ("stages", .array(o.stages.map { stage in
                             .object([("stage", .string(stage.stage)), ("definition", .string("reached \(stage.stage) or higher")),
                                      ("table", .object([("both", .int(stage.table.both)), ("referenceOnly", .int(stage.table.referenceOnly)),
                                                         ("testedOnly", .int(stage.table.testedOnly)), ("neither", .int(stage.table.neither))])),
                                      ("net", stage.net.value.map(JSONValue.number) ?? .null)])
                         })),
                         ("cumulatedNet", .object([("estimate", o.cumulatedNet.value.map(JSONValue.number) ?? .null), ("interval", o.cumulatedInterval.json),
                                                   ("method", .string("percentile bootstrap over tests, \(o.bootstrapReplicates) replicates, seed \(o.seed) (GSL mt19937)"))]))])
            })),
            ("checks", .object([
                ("sendOrder", .array(sendOrder.map(\.json))),
                ("testers", .array(testers.map(\.json))),
            ])),
            ("organizations", .object([
                ("tests", .array(organizations.map { o in
                    .object([("reference", .string(o.reference)), ("tested", .string(o.tested)), ("organization", .string(o.label)),
                             ("name", o.name.map(JSONValue.string) ?? .null), ("tests", .int(o.tests)),
                             ("table", .object([("both", .int(o.table.both)), ("referenceOnly", .int(o.table.referenceOnly)),
                                                ("testedOnly", .int(o.table.testedOnly)), ("neither", .int(o.table.neither))])),
                             ("midP", .number(o.midP)), ("q", o.q.map(JSONValue.number) ?? .null)])
                })),
                ("reportCard", .array(reportCards.map(\.json))),
            ])),
            ("notes", .array(notes.map(JSONValue.string))),
        ]
        // The placebo comparison, when the design has one (before the checks).
        if let placebo, let at = pairs.firstIndex(where: { $0.0 == "checks" }) {
            pairs.insert(("placebo", placebo.json), at: at)
        }
        return .object(pairs)
    }
}

extension CheckFinding {
    var json: JSONValue {
        .object([("reference", .string(reference)), ("tested", .string(tested)), ("check", .string(description)),
                 ("estimate", estimate.map(JSONValue.number) ?? .null),
                 ("interval", interval.map { .array([.number($0.lower), .number($0.upper)]) } ?? .null),
                 ("test", test.json), ("groups", .int(groups))])
    }
}

extension PlaceboFinding {
    var json: JSONValue {
        .object([("arm", .string(arm)), ("tests", .int(tests)),
                 ("design", .string(declared ? "the reference arm against the declared placebo arm (a second copy of its profile), in tests where both answered"
                                             : "the arm's first application sent against its second, in tests with two")),
                 ("discordance", .number(discordance)), ("analysis", paired.json)])
    }
}

extension OrganizationReportCard {
    var json: JSONValue {
        let g = grades
        let objective: (String, JSONValue)
        switch g.objective {
        case let .lambda(l): objective = ("lambda", .number(l))
        case let .discordanceRate(d): objective = ("discordanceRate", .number(d))
        }
        return .object([
            ("reference", .string(reference)), ("tested", .string(tested)),
            ("method", .string("empirical-Bayes report card (Kline, Rose & Walters 2024): log-spline deconvolution (Efron 2016), posteriors, pairwise ordering probabilities, grades by integer program")),
            ("minimumTests", .int(request.minimumTests)), ("organizations", .int(grades.fromTop.count)), ("leftOut", .int(leftOut)),
            ("pooledStandardErrors", .int(pooledStandardErrors)),
            ("prior", .object([
                ("grid", .array(prior.grid.map(JSONValue.number))), ("mass", .array(prior.mass.map(JSONValue.number))),
                ("penalty", .number(prior.penalty)), ("splineDegreesOfFreedom", .int(prior.coefficients.count)),
                ("mean", .number(prior.mean)), ("sd", .number(prior.standardDeviation)),
                ("momentWeighting", .string(prior.momentWeighting)),
            ])),
            ("estimatesMean", .number(prior.estimatesMean)),
            ("sd", prior.biasCorrectedSD.map(JSONValue.number) ?? .null),
            ("nullShare", nullShare.map(JSONValue.number) ?? .null),
            ("concentration", concentration.map(JSONValue.number) ?? .null),
            ("grades", .object([
                objective,
                ("count", .int(g.count)),
                ("separatedPairs", .int(g.separatedPairs)),
                ("expectedMisorderedPairs", .number(g.expectedDiscordances)),
                ("expectedMisorderedShare", g.discordanceShare.map(JSONValue.number) ?? .null),
                ("largestMisorderProbability", g.largestDiscordance.map(JSONValue.number) ?? .null),
                ("objectiveValue", .number(g.value)), ("bound", .number(g.bound)), ("provenOptimal", .bool(g.provenOptimal)),
                ("solver", .string(g.method)),
            ])),
            ("rows", .array(rows.map { r in
                .object([("organization", .string(r.label)), ("name", r.name.map(JSONValue.string) ?? .null), ("tests", .int(r.tests)),
                         ("estimate", .number(r.posterior.estimate)), ("standardError", .number(r.posterior.standardError)),
                         ("standardErrorPooled", .bool(r.standardErrorPooled)),
                         ("posteriorMean", .number(r.posterior.mean)),
                         ("interval", .array([.number(r.posterior.interval.lower), .number(r.posterior.interval.upper)])),
                         ("condorcetRank", .int(r.condorcetRank)),
                         ("grade", .string(letter(fromTop: r.gradeFromTop))), ("gradeFromTop", .int(r.gradeFromTop))])
            })),
        ])
    }
}
